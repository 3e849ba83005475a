// What the policy in force promises by itself (P1, P7, P26): every collection point links a section
// of the notice, every rule that is not strictly necessary names a consent channel the person can
// use, and the notice names the controller's contact. Cheap, and read at every run: the policy in
// force is live data too (a policy file edited into breaking its own promises shows here).
import { staticCover } from '../covers.js';
import { ALL, type Family } from '../family.js';
import { ATTRIBUTION } from '../policy-map.js';

export const staticFamily: Family = {
  ...staticCover,
  async run(env, sink) {
    sink.checked(ALL);
    const doc = env.map.policy.doc;
    const sections = new Set(doc.notice.sections.map((s) => s.id));
    for (const [id, cp] of Object.entries(doc.collection_points))
      if (!sections.has(cp.notice))
        sink.add(ALL, {
          promise: ATTRIBUTION.notice,
          table: 'policy',
          row: `collection_points.${id}`,
          rule: 'policy.notice_linked',
          reason: 'A collection point links no section of the notice',
          values: { notice: cp.notice },
        });
    for (const r of doc.rules)
      if (
        (r.basis === 'opt_in' || r.basis === 'opt_out') &&
        (!r.channel || !Object.hasOwn(doc.channels, r.channel))
      )
        sink.add(ALL, {
          promise: ATTRIBUTION.noRule,
          table: 'policy',
          row: `rules.${r.id}`,
          rule: 'policy.consent_channel',
          reason: 'A rule that needs consent names no channel the person can use to give or refuse it',
          values: { basis: r.basis, channel: r.channel ?? null },
        });
    const notice = doc.notice.sections.map((s) => s.paragraphs.join(' ')).join(' ');
    const digits = (t: string) => t.replace(/\D/g, '');
    const contact = doc.controller;
    if (!notice.includes(contact.email) || !digits(notice).includes(digits(contact.phone)))
      sink.add(ALL, {
        promise: ATTRIBUTION.contact,
        table: 'policy',
        row: 'controller',
        rule: 'policy.contact_named',
        reason: 'The notice does not name the controller’s email and phone for questions',
        values: {
          email_named: notice.includes(contact.email),
          phone_named: digits(notice).includes(digits(contact.phone)),
        },
      });
    return 'done';
  },
};
