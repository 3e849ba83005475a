import { sql } from 'kysely';
import { buyer, measurement, restriction } from '../support.js';
import {
  type AnyCase,
  complaint,
  deletedPerson,
  disclosure,
  now,
  renderRecorded,
  request,
  setRequest,
  uid,
} from './helpers.js';

export const CASES: AnyCase[] = [
  // P16, P21: corrections verified and approved first.
  {
    name: 'P16: a correction completed without verification',
    setup: (e) => request(e, 'correction'),
    async inject(e, id: string) {
      await setRequest(e, id, {
        status: 'completed',
        responded_at: now(e),
        response_nature: 'corrected',
        verified_at: null,
        verification_method: null,
      });
      return { promise: 'P16', table: 'rights_requests', rule: 'request.verified_first', row: id };
    },
  },
  {
    name: 'P21: a correction completed without an officer’s approval',
    setup: (e) => request(e, 'correction'),
    async inject(e, id: string) {
      await setRequest(e, id, {
        status: 'completed',
        responded_at: now(e),
        response_nature: 'corrected',
        verified_at: now(e),
        verification_method: 'email_code',
        approved_by: null,
      });
      return { promise: 'P21', table: 'rights_requests', rule: 'request.correction_approved', row: id };
    },
  },
  {
    name: 'P21: a correction open past its deadline',
    setup: (e) => request(e, 'correction'),
    async inject(e, id: string) {
      await setRequest(e, id, { due_on: '2020-01-01', extended_due_on: null });
      return { promise: 'P21', table: 'rights_requests', rule: 'request.on_time', row: id };
    },
  },
  {
    name: 'P16: a correction verified only after it was answered',
    setup: (e) => request(e, 'correction'),
    async inject(e, id: string) {
      await setRequest(e, id, {
        status: 'completed',
        responded_at: '2026-01-01T00:00:00.000Z',
        response_nature: 'corrected',
        verified_at: '2026-01-02T00:00:00.000Z',
        verification_method: 'email_code',
        approved_by: 'staff-1',
      });
      return { promise: 'P16', table: 'rights_requests', rule: 'request.verified_first', row: id };
    },
  },
  {
    name: 'P16: a correction marked verified with no method of verification',
    setup: (e) => request(e, 'correction'),
    async inject(e, id: string) {
      await setRequest(e, id, {
        status: 'completed',
        responded_at: now(e),
        response_nature: 'corrected',
        verified_at: now(e),
        verification_method: null,
        approved_by: 'staff-1',
      });
      return { promise: 'P16', table: 'rights_requests', rule: 'request.verified_first', row: id };
    },
  },
  {
    name: 'P21: an agent’s correction fulfilled without confirming the agent',
    setup: (e) => request(e, 'correction'),
    async inject(e, id: string) {
      await setRequest(e, id, {
        status: 'completed',
        responded_at: now(e),
        response_nature: 'corrected',
        verified_at: now(e),
        verification_method: 'email_code',
        approved_by: 'staff-1',
        is_agent: 1,
        agent_confirmed_at: null,
      });
      return { promise: 'P21', table: 'rights_requests', rule: 'request.agent_confirmed', row: id };
    },
  },
  {
    name: 'P21: a correction closed without a response',
    setup: (e) => request(e, 'correction'),
    async inject(e, id: string) {
      await setRequest(e, id, { status: 'completed', responded_at: null, response_nature: null });
      return { promise: 'P21', table: 'rights_requests', rule: 'request.answered', row: id };
    },
  },
  // P20, P24: requests answered on time, with a response.
  {
    name: 'P20: an access request closed without a response',
    setup: (e) => request(e, 'access'),
    async inject(e, id: string) {
      await setRequest(e, id, { status: 'completed', responded_at: null, response_nature: null });
      return { promise: 'P20', table: 'rights_requests', rule: 'request.answered', row: id };
    },
  },
  {
    name: 'P20: an access request open past its deadline',
    setup: (e) => request(e, 'access'),
    async inject(e, id: string) {
      await setRequest(e, id, { due_on: '2020-01-01', extended_due_on: null });
      return { promise: 'P20', table: 'rights_requests', rule: 'request.on_time', row: id };
    },
  },
  {
    name: 'P20: an access request fulfilled without verification',
    setup: (e) => request(e, 'access'),
    async inject(e, id: string) {
      await setRequest(e, id, {
        status: 'completed',
        responded_at: now(e),
        response_nature: 'data_sent',
        verified_at: null,
        verification_method: null,
      });
      return { promise: 'P20', table: 'rights_requests', rule: 'request.verified_first', row: id };
    },
  },
  {
    name: 'P24: a request received by email closed without a response',
    setup: (e) => request(e, 'access', 'email'),
    async inject(e, id: string) {
      await setRequest(e, id, { status: 'completed', responded_at: null, response_nature: null });
      return { promise: 'P24', table: 'rights_requests', rule: 'request.answered', row: id };
    },
  },
  {
    name: 'P24: a request received by post open past its deadline',
    setup: (e) => request(e, 'access', 'postal'),
    async inject(e, id: string) {
      await setRequest(e, id, { due_on: '2020-01-01', extended_due_on: null });
      return { promise: 'P24', table: 'rights_requests', rule: 'request.on_time', row: id };
    },
  },
  {
    name: 'P24: a request received by email refused without a basis',
    setup: (e) => request(e, 'access', 'email'),
    async inject(e, id: string) {
      await setRequest(e, id, {
        status: 'denied',
        responded_at: now(e),
        response_nature: 'denied',
        denial_basis: null,
      });
      return { promise: 'P24', table: 'rights_requests', rule: 'request.denial_basis', row: id };
    },
  },
  // P22: deletion from every database.
  {
    name: 'P22: a deleted person’s look-up written back by a restore',
    setup: deletedPerson,
    async inject(e, s) {
      await e.store.db
        .insertInto('subject_lookup')
        .values({ kind: 'email', blind_index: uid('restored'), subject_id: s.subjectId, created_at: now(e) })
        .execute();
      return {
        promise: 'P22',
        table: 'subject_lookup',
        rule: 'deletion.erased_everywhere',
        subject: s.subjectId,
      };
    },
  },
  {
    name: 'P22: a deleted person’s contest entry re-imported',
    setup: deletedPerson,
    async inject(e, s) {
      const id = uid('inj-entry');
      await e.store.db
        .insertInto('contest_entries')
        .values({
          id,
          subject_id: s.subjectId,
          contest_id: null,
          sealed: null,
          policy_version: e.ctx.policy.version,
          collected_at: now(e),
        })
        .execute();
      return { promise: 'P22', table: 'contest_entries', rule: 'deletion.erased_everywhere', row: id };
    },
  },
  {
    name: 'P22: a deletion request closed as completed without a response',
    setup: (e) => request(e, 'deletion'),
    async inject(e, id: string) {
      await setRequest(e, id, { status: 'completed', responded_at: null, response_nature: null });
      return { promise: 'P22', table: 'rights_requests', rule: 'request.answered', row: id };
    },
  },
  {
    name: 'P22: a deletion request refused without a basis',
    setup: (e) => request(e, 'deletion'),
    async inject(e, id: string) {
      await setRequest(e, id, {
        status: 'denied',
        responded_at: now(e),
        response_nature: 'denied',
        denial_basis: null,
      });
      return { promise: 'P22', table: 'rights_requests', rule: 'request.denial_basis', row: id };
    },
  },
  {
    name: 'P22: a row naming a person Vow does not know',
    setup: async () => ({}),
    async inject(e) {
      const id = uid('inj-entry');
      await e.store.db
        .insertInto('contest_entries')
        .values({
          id,
          subject_id: uid('nobody'),
          contest_id: null,
          sealed: null,
          policy_version: e.ctx.policy.version,
          collected_at: now(e),
        })
        .execute();
      return { promise: 'P22', table: 'contest_entries', rule: 'person.known', row: id };
    },
  },
  {
    name: 'P22: measurements kept past 14 months',
    setup: async () => ({}),
    async inject(e) {
      await measurement(e, 'C'.repeat(43), '/rings', '2024-01-01T00:00:00.000Z');
      return { promise: 'P22', table: 'analytics_events', rule: 'retention.kept_too_long' };
    },
  },
  // P23: stop processing.
  {
    name: 'P23: a disclosure for marketing after an objection',
    async setup(e) {
      const b = await buyer(e);
      await restriction(e, {
        id: uid('objection'),
        subjectId: b.subjectId,
        scope: 'purposes',
        purposes: ['marketing'],
      });
      e.clock.advance(60_000);
      return b;
    },
    async inject(e, s) {
      const id = await disclosure(e, s.subjectId, 'email_service', 'marketing.email', ['contact.email']);
      return { promise: 'P23', table: 'disclosures', rule: 'disclosure.restricted', row: id };
    },
  },
  {
    name: 'P23: a marketing email rendered after a restriction of everything',
    async setup(e) {
      const b = await buyer(e);
      await restriction(e, { id: uid('restrict'), subjectId: b.subjectId, scope: 'all', purposes: [] });
      e.clock.advance(60_000);
      return b;
    },
    async inject(e, s) {
      await renderRecorded(e, s.subjectId);
      return { promise: 'P23', table: 'audit_log', rule: 'render.restricted', subject: s.subjectId };
    },
  },
  {
    name: 'P23: an objection request open past its deadline',
    setup: (e) => request(e, 'objection'),
    async inject(e, id: string) {
      await setRequest(e, id, { due_on: '2020-01-01', extended_due_on: null });
      return { promise: 'P23', table: 'rights_requests', rule: 'request.on_time', row: id };
    },
  },
  // P25: complaints answered, with the regulator named.
  {
    name: 'P25: a complaint unanswered past its reply date',
    setup: complaint,
    async inject(e, id: string) {
      await sql`update complaints set reply_due_on = '2020-01-01' where id = ${id}`.execute(e.store.db);
      return { promise: 'P25', table: 'complaints', rule: 'complaint.on_time', row: id };
    },
  },
  {
    name: 'P25: a complaint closed without a reply',
    setup: complaint,
    async inject(e, id: string) {
      await sql`update complaints set status = 'closed' where id = ${id}`.execute(e.store.db);
      return { promise: 'P25', table: 'complaints', rule: 'complaint.answered', row: id };
    },
  },
  {
    name: 'P25: a complaint naming a regulator of another jurisdiction',
    setup: complaint,
    async inject(e, id: string) {
      await sql`update complaints set regulator = 'us-ca' where id = ${id}`.execute(e.store.db);
      return { promise: 'P25', table: 'complaints', rule: 'complaint.regulator_named', row: id };
    },
  },
];
