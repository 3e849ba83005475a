// What each family of checks covers: its id, its title and the promises it can break under a policy,
// apart from how it runs (checks/*.ts spread these into their families). Reading them loads the
// policy map alone, not the checks, the store or kysely: `vow policy check` and the console's policy
// page warn of the checks a policy names no promise for (unpromised.ts) through the module's light
// entry (light.ts), and that start stays light (test/cli/start-loads.test.ts).
import type { Retention } from '../policy/index.js';
import type { Family } from './family.js';
import { ATTRIBUTION, type PolicyMap } from './policy-map.js';

/** A family's id, title and covers(): what reading a policy needs of it. */
export type FamilyCover = Pick<Family, 'id' | 'title' | 'covers'>;

/** The promise a request of each type breaks when it is late or unanswered (P20 otherwise). */
export const BY_TYPE: Readonly<Record<string, string>> = {
  access: 'P20',
  portability: 'P20',
  correction: 'P21',
  deletion: 'P22',
  restriction: 'P23',
  objection: 'P23',
};

/** The promise a retention entry is kept under: the `never` rule of its subject kinds, else ATTRIBUTION.retention. */
export function retentionPromiseOf(map: PolicyMap, entry: Retention): string {
  if (!entry.subject_kinds) return ATTRIBUTION.retention;
  return map.neverPromise(Object.keys(map.policy.doc.purposes), entry.subject_kinds) ?? ATTRIBUTION.retention;
}

/** checks/static.ts */
export const staticCover: FamilyCover = {
  id: 'policy',
  title: 'the notice and the controller’s contacts',
  covers() {
    return {
      [ATTRIBUTION.notice]: 'every collection point links a section of the notice',
      [ATTRIBUTION.noRule]:
        'every rule that is not strictly necessary names a consent channel to opt out or in',
      [ATTRIBUTION.contact]: 'the notice names the controller’s phone and email',
    };
  },
};

/** checks/records.ts */
export const recordsCover: FamilyCover = {
  id: 'records',
  title: 'stored records and the people they name',
  covers() {
    return {
      [ATTRIBUTION.notice]: 'every record names a policy version that was in force (its notice is known)',
      [ATTRIBUTION.unknownPerson]:
        'every row naming a person names one Vow knows (so exports and deletions find it)',
      [ATTRIBUTION.accountAccess]:
        'every shopper account is linked to a person Vow knows (so "my data" shows it)',
    };
  },
};

/** checks/consent.ts */
export const consentCover: FamilyCover = {
  id: 'consent',
  title: 'consent and opt-outs',
  covers(map) {
    const out = new Map<string, Map<string, string[]>>();
    const add = (p: string, what: string, channel: string) => {
      const byWhat = out.get(p) ?? new Map<string, string[]>();
      byWhat.set(what, [...(byWhat.get(what) ?? []), channel]);
      out.set(p, byWhat);
    };
    for (const channel of map.channels) {
      add(
        map.optOutPromise(channel),
        'after an opt-out only a re-enrolling cause enrolls again, and consent_state equals the ledger',
        channel,
      );
      const kinds = [...map.kindsOfChannel(channel)];
      for (const p of new Set([...kinds.map((k) => map.enrolPromise(channel, k)), map.enrolPromise(channel)]))
        add(
          p,
          'every enrolment has a cause the channel lists, naming a record that exists and precedes it',
          channel,
        );
      for (const kind of Object.keys(map.policy.doc.subject_kinds)) {
        const never = map.refusedByNever(channel, [kind]);
        if (never) add(never, `no ${kind.replace(/_/g, ' ')} is in the channel`, channel);
      }
    }
    const text: Record<string, string> = {};
    for (const [p, byWhat] of out)
      text[p] = [...byWhat].map(([what, channels]) => `${channels.join(', ')}: ${what}`).join('; ');
    return text;
  },
};

/** checks/disclosures.ts */
export const disclosuresCover: FamilyCover = {
  id: 'disclosures',
  title: 'disclosures to recipients and site measurements',
  covers(map) {
    const out: Record<string, string> = {};
    const add = (p: string, what: string) => {
      out[p] = out[p] ? `${out[p]}; ${what}` : what;
    };
    for (const [id, r] of Object.entries(map.policy.doc.recipients))
      add(
        r.promise,
        `${id} received only the purposes and categories the policy allows it, under consent when needed`,
      );
    for (const rule of map.policy.doc.rules)
      if (rule.basis === 'never')
        add(
          rule.promise,
          `no ${rule.subject_kinds.join('/')} data disclosed for a purpose refused by ${rule.id}`,
        );
    add(ATTRIBUTION.noRule, 'no disclosure for a purpose no rule allows for the person');
    add(ATTRIBUTION.restriction, 'no disclosure for a purpose the person had restricted');
    // Only a purpose marked aggregate_only can be fed personal data wrongly.
    if (Object.values(map.policy.doc.purposes).some((p) => p.aggregate_only === true))
      add(ATTRIBUTION.aggregateOnly, 'aggregate purposes received no personal category');
    add(
      ATTRIBUTION.cookies,
      'site measurements and cookie-consent rows are keyed by a hashed cookie id, with scrubbed paths and codes only',
    );
    return out;
  },
};

/** checks/leftovers.ts */
export const leftoversCover: FamilyCover = {
  id: 'leftovers',
  title: 'what a deletion leaves behind',
  covers() {
    return {
      [ATTRIBUTION.children]:
        'nothing of a person marked under 13 in any table that names people, their key destroyed, their requests without contact',
      [ATTRIBUTION.deletion]:
        'nothing of a deleted person outside what the annotations retain, in every table the erasure registry declares, their key destroyed',
    };
  },
};

/** checks/leftovers.ts */
export const childrenCover: FamilyCover = {
  id: 'children',
  title: 'data of children under 13',
  covers() {
    return { [ATTRIBUTION.children]: 'no identifier of a child (under13_markers) held again' };
  },
};

/** checks/sealed.ts */
export const sealedCover: FamilyCover = {
  id: 'sealed',
  title: 'sealed values',
  covers() {
    return {
      [ATTRIBUTION.sealedValues]:
        'every sealed column (annotations, and the schema’s *sealed* columns) holds sealed values only',
    };
  },
};

/** checks/requests.ts */
export const requestsCover: FamilyCover = {
  id: 'requests',
  title: 'privacy requests and complaints',
  covers() {
    const out: Record<string, string> = {};
    for (const [type, p] of Object.entries(BY_TYPE))
      out[p] = out[p]
        ? `${out[p]}, ${type}`
        : `every request answered on time, with a response, after verification: ${type}`;
    out[ATTRIBUTION.requestsByMail] =
      'every request received by email or post answered on time, with a response';
    out[ATTRIBUTION.correctionVerified] =
      'every correction fulfilled after verification and a privacy officer’s approval';
    out[ATTRIBUTION.complaints] =
      'every complaint answered by its reply date, the reply recorded, the regulator named';
    return out;
  },
};

/** checks/reports.ts */
export const reportsCover: FamilyCover = {
  id: 'reports',
  title: 'aggregate reports',
  covers() {
    return {
      [ATTRIBUTION.aggregateOnly]:
        'every aggregate report released within the policy’s ε, threshold, contribution cap and per-recipient budget',
    };
  },
};

/** checks/audit-chain.ts */
export const auditChainCover: FamilyCover = {
  id: 'audit-chain',
  title: 'the audit chain and its anchors',
  covers(_map, deps) {
    return {
      [ATTRIBUTION.auditTrail]: `the audit chain verifies, its head matches, and every anchor ${deps.anchors ? 'in the anchor file ' : ''}matches the chain`,
    };
  },
};

/** checks/audit-stream.ts */
export const auditStreamCover: FamilyCover = {
  id: 'audit-stream',
  title: 'the audit trail of marketing sends, restrictions and consent changes',
  covers(map) {
    const out: Record<string, string> = {
      [ATTRIBUTION.unsubscribeLink]: 'every marketing email prepared carried a one-click unsubscribe token',
      [ATTRIBUTION.restriction]: 'no marketing email prepared for a purpose the person had restricted',
      [ATTRIBUTION.children]: 'everyone the audit trail says was marked under 13 is still marked',
      [ATTRIBUTION.auditTrail]:
        'every consent change since the last check has its audit entry, and every audited consent change is still in the ledger, at the time and under the id its entry recorded',
    };
    for (const p of new Set(map.channels.map((c) => map.optOutPromise(c))))
      out[p] =
        `${out[p] ? `${out[p]}; ` : ''}no marketing email prepared after an opt-out, no audited opt-out lost from the ledger`;
    return out;
  },
};

/** checks/retention.ts */
export const retentionCover: FamilyCover = {
  id: 'retention',
  title: 'retention periods',
  covers(map) {
    const out: Record<string, string> = {
      [ATTRIBUTION.retention]: 'no value kept past the policy’s retention of its category (checked daily)',
    };
    for (const r of map.policy.doc.retention)
      if (r.subject_kinds)
        out[retentionPromiseOf(map, r)] =
          `no ${r.subject_kinds.join('/')} ${r.category} kept past ${r.keep_for}`;
    return out;
  },
};

/** Every family's cover, in the order FAMILIES runs them (families.ts; a test holds them equal). */
export const FAMILY_COVERS: readonly FamilyCover[] = [
  staticCover,
  recordsCover,
  consentCover,
  disclosuresCover,
  leftoversCover,
  childrenCover,
  sealedCover,
  requestsCover,
  reportsCover,
  auditChainCover,
  auditStreamCover,
  retentionCover,
];
