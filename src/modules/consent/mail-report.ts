// Reading mail feedback reports: delivery status notifications (RFC 3464, multipart/report;
// report-type=delivery-status) and spam complaints (ARF, RFC 5965, report-type=feedback-report).
// Only the report's machine-readable part is read: a per-recipient Action and Status for a DSN,
// the Feedback-Type and the original recipient for an ARF report.

export type MailReport =
  | {
      readonly kind: 'bounce';
      readonly recipients: readonly { address: string; hard: boolean; status: string }[];
      /** The one-click tokens in the returned message's List-Unsubscribe (proof Vow rendered it). */
      readonly tokens: readonly string[];
    }
  | {
      readonly kind: 'complaint';
      readonly feedbackType: string;
      readonly recipients: readonly string[];
      readonly tokens: readonly string[];
    }
  | { readonly kind: 'other' };

/**
 * Recipients of one delivery report read at most. A report comes back for one message, and every
 * message Vow sends has one recipient; anyone can mail a report, and each recipient costs a look-up
 * once one valid token is attached (one of the sender's own mails gives one), so a report naming
 * 40,000 addresses is read as naming the first few (security.md #31).
 */
export const MAX_REPORT_RECIPIENTS = 20;

interface Part {
  readonly headers: Map<string, string>;
  readonly body: string;
}

/** Header fields of a block (continuation lines unfolded), names in lower case; first value wins. */
function fields(block: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of block
    .replace(/\r\n/g, '\n')
    .replace(/\n[ \t]+/g, ' ')
    .split('\n')) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    if (!out.has(name)) out.set(name, line.slice(i + 1).trim());
  }
  return out;
}

function split(raw: string): Part {
  const text = raw.replace(/\r\n/g, '\n');
  const end = text.indexOf('\n\n');
  return end === -1
    ? { headers: fields(text), body: '' }
    : { headers: fields(text.slice(0, end)), body: text.slice(end + 2) };
}

function decode(part: Part): string {
  const cte = (part.headers.get('content-transfer-encoding') ?? '').toLowerCase();
  if (cte === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (cte === 'quoted-printable')
    return part.body
      .replace(/=\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  return part.body;
}

function param(contentType: string, name: string): string | undefined {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

function children(part: Part): Part[] {
  const boundary = param(part.headers.get('content-type') ?? '', 'boundary');
  if (!boundary) return [];
  const pieces = part.body.split(`--${boundary}`);
  return pieces
    .slice(1)
    .filter((p) => !p.startsWith('--'))
    .map((p) => split(p.replace(/^\n/, '')));
}

/** A character an address may hold here: not white space, `<`, `>` or `@`. */
function addressChar(c: string | undefined): boolean {
  return c !== undefined && c !== '@' && c !== '<' && c !== '>' && !/\s/.test(c);
}

/**
 * The first `local@domain` of a text (runs of address characters either side of an `@`), found in
 * one pass. It was the unanchored regex `/<?([^\s<>@]+@[^\s<>@]+)>?/`, which rescans the rest of
 * the text from every position when there is no `@`: quadratic, and the report is anyone's (the
 * SMTP listener takes mail from anyone): one 160 KB Final-Recipient cost 30 s of CPU, 2 MB hours
 * (security.md #31). Same answer on every text (test/security/mail-report-cost.test.ts).
 */
export function firstAddress(text: string): string | undefined {
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    if (!addressChar(text[at - 1]) || !addressChar(text[at + 1])) continue;
    let start = at - 1;
    while (addressChar(text[start - 1])) start--;
    let end = at + 1;
    while (addressChar(text[end + 1])) end++;
    return text.slice(start, end + 1);
  }
  return undefined;
}

/** The address of an `rfc822; addr` field value (DSN) or a bare / angle-bracketed address (ARF). */
function address(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const v = value.includes(';') ? value.slice(value.indexOf(';') + 1) : value;
  return firstAddress(v.trim())?.toLowerCase();
}

/** The parts that return the original message (whole, or its headers only). */
const RETURNED = ['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers'];

/**
 * The unsubscribe tokens of the returned message's `List-Unsubscribe` header (every campaign email
 * Vow renders carries one: `<…/u/TOKEN>`). Only the returned message is read, never the report's
 * own headers or text.
 */
function unsubscribeTokens(returned: Part | undefined): string[] {
  if (!returned) return [];
  const header = split(decode(returned)).headers.get('list-unsubscribe') ?? '';
  return [...header.matchAll(/\/u\/([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g)].map((m) => m[1]!);
}

export function parseMailReport(raw: string): MailReport {
  const root = split(raw);
  const type = root.headers.get('content-type') ?? '';
  if (!/^multipart\/report/i.test(type)) return { kind: 'other' };
  const reportType = (param(type, 'report-type') ?? '').toLowerCase();
  const parts = children(root);
  const typeOf = (p: Part) => (p.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const returned = parts.find((p) => RETURNED.includes(typeOf(p)));
  const tokens = unsubscribeTokens(returned);
  if (reportType === 'delivery-status') {
    const status = parts.find((p) => typeOf(p) === 'message/delivery-status');
    if (!status) return { kind: 'other' };
    // Per-message fields, a blank line, then one block of fields per recipient.
    const blocks = decode(status)
      .replace(/\r\n/g, '\n')
      .split(/\n\s*\n/)
      .slice(1);
    const recipients = blocks
      .map(fields)
      .map((f) => ({
        address: address(f.get('final-recipient') ?? f.get('original-recipient')),
        action: (f.get('action') ?? '').toLowerCase(),
        status: (f.get('status') ?? '').split(/\s/)[0] ?? '',
      }))
      .filter((r): r is { address: string; action: string; status: string } => r.address !== undefined)
      .filter((r) => r.action === 'failed' || r.action === 'delayed')
      .map((r) => ({
        address: r.address,
        status: r.status,
        hard: r.action === 'failed' && r.status.startsWith('5.'),
      }))
      .slice(0, MAX_REPORT_RECIPIENTS);
    return { kind: 'bounce', recipients, tokens };
  }
  if (reportType === 'feedback-report') {
    const report = parts.find((p) => typeOf(p) === 'message/feedback-report');
    if (!report) return { kind: 'other' };
    const f = fields(decode(report));
    const to =
      address(f.get('original-rcpt-to')) ??
      (returned ? address(split(decode(returned)).headers.get('to')) : undefined);
    return {
      kind: 'complaint',
      feedbackType: (f.get('feedback-type') ?? 'abuse').toLowerCase(),
      recipients: to ? [to] : [],
      tokens,
    };
  }
  return { kind: 'other' };
}
