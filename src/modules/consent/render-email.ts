// A campaign email for one person, as a full RFC 5322 message (P10, RFC 8058, CAN-SPAM): From, To,
// Subject, Date, Message-ID, List-Unsubscribe with a one-click token URL, List-Unsubscribe-Post,
// text and HTML bodies whose footer carries the same link and the retailer's postal address.
// Refused (VOW_CONSENT_DENIED) for anyone decide() denies email marketing to.

import type { AuditEntry } from '../../platform/audit/index.js';
import { VowError } from '../../platform/errors.js';
import { escapeHtml } from '../../platform/html.js';
import type { DecisionService } from '../decisions/index.js';
import type { VowContext } from '../policy/index.js';
import { audienceMembers, audienceTarget } from './audiences.js';
import { issueUnsubscribeToken } from './unsubscribe-tokens.js';

export interface RenderEmailInput {
  readonly subjectId: string;
  /** The channel the send belongs to (default email_marketing); its unsubscribe link leaves it. */
  readonly channel?: string | undefined;
  readonly subject: string;
  readonly text: string;
  /** HTML body; when absent, made from the text. */
  readonly html?: string | undefined;
  /** Defaults to the controller's name and email from the policy. */
  readonly from?: string | undefined;
  /** Who asked for the rendering (audit). */
  readonly actor?: AuditEntry['actor'] | undefined;
}

export interface RenderedEmail {
  /** The whole message, CRLF line ends. */
  readonly raw: string;
  readonly messageId: string;
  readonly unsubscribeUrl: string;
}

export async function renderCampaignEmail(
  ctx: VowContext,
  decisions: DecisionService,
  input: RenderEmailInput,
): Promise<RenderedEmail> {
  const policy = ctx.policy;
  const channel = input.channel ?? 'email_marketing';
  const target = audienceTarget(policy, channel, 'marketing.email');
  const decision = await decisions.decide({
    subject: { id: input.subjectId },
    purpose: target.purpose,
    categories: [target.category],
  });
  if (decision.decision === 'deny') {
    throw new VowError('VOW_CONSENT_DENIED', 'This person may not be sent marketing email', {
      reasons: decision.reasons.map((r) => r.code),
    });
  }
  // The address itself must be one this channel may use (e.g. not one given as a gift recipient).
  let to: string | undefined;
  for await (const m of audienceMembers(ctx, target, { onlySubjects: [input.subjectId], pageSize: 1 })) {
    to = m.value;
    break;
  }
  if (to === undefined) {
    const states = await ctx.store.db
      .selectFrom('consent_state')
      .select('state')
      .where('subject_ref', '=', input.subjectId)
      .where('channel', '=', channel)
      .executeTakeFirst();
    if (states?.state !== 'enrolled' && states?.state !== 'granted') {
      throw new VowError('VOW_CONSENT_DENIED', `This person is not on ${channel}`, { channel });
    }
    throw new VowError('VOW_CONSENT_NO_CONTACT', 'No email address of this person may be used for this send');
  }

  const token = await issueUnsubscribeToken(ctx, ctx.store.db, input.subjectId, channel);
  const url = `${ctx.config.publicUrl}/u/${token}`;
  const c = policy.doc.controller;
  const host = new URL(ctx.config.publicUrl).hostname || 'vow.invalid';
  const messageId = `<${ctx.random.uuid()}@${host}>`;
  const footerText =
    `\n\n--\nYou receive this email as part of ${c.name}'s email marketing program. ` +
    `Unsubscribe with one click: ${url}\n${c.name}, ${c.postal_address}\n`;
  const bodyHtml =
    input.html ??
    input.text
      .split(/\n{2,}/)
      .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
      .join('\n');
  const footerHtml =
    `<hr><p><small>You receive this email as part of ${escapeHtml(c.name)}'s email marketing program. ` +
    `<a href="${escapeHtml(url)}">Unsubscribe</a>.<br>${escapeHtml(c.name)}, ${escapeHtml(c.postal_address)}</small></p>`;
  // The MIME composer is loaded on the first rendered email, not at start.
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
  const composer = new MailComposer({
    from: input.from ?? { name: c.name, address: c.email },
    to,
    subject: input.subject,
    date: ctx.clock.now(),
    messageId,
    text: input.text + footerText,
    html: `<!doctype html><html><body>${bodyHtml}${footerHtml}</body></html>`,
    headers: {
      'List-Unsubscribe': `<${url}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  });
  const raw = await new Promise<Buffer>((resolve, reject) => {
    composer.compile().build((err, message) => (err ? reject(err) : resolve(message)));
  });
  await ctx.audit.record({
    actor: input.actor ?? { type: 'system' },
    action: 'email.rendered',
    target: { type: 'subject', id: input.subjectId },
    details: { channel, purpose: target.purpose },
  });
  return { raw: raw.toString('utf8'), messageId, unsubscribeUrl: url };
}
