// The five built-in forms besides checkout, each one person and one row of its own table:
// registrations, contest entries, catalog requests, SMS sign-ups and inbound customer-service email.
// Their bodies and tables predate declared forms and stay as they are (their endpoints are stable).
import { createHash } from 'node:crypto';
import type { VowContext } from '../policy/index.js';
import type { IdentifierInput } from '../subjects/index.js';
import { assertNotUnder13 } from './age-gate.js';
import { CATALOG_QUESTIONS } from './catalog-requests-of.js';
import { assertPlausibleInstants } from './instants.js';
import type { Plan, PlanDeps, PlanRow } from './plan.js';
import { assertPoint, fieldsOf, grantedBy, kindOf } from './point-fields.js';
import {
  type CatalogRequestBody,
  type ContestEntryBody,
  DEFAULT_PHONE_COUNTRY,
  type InboundMessageBody,
  type RegistrationBody,
  type SmsSignupBody,
} from './schemas.js';

type RowOf = (rec: { id: string; subjectId: string; sealed: string | null; at: string }) => PlanRow;

/** One person, one record: the shape of every built-in point but checkout. */
function single(
  { ctx, subjects }: PlanDeps,
  opts: {
    point: string;
    recordType: string;
    at: Date;
    identifiers: IdentifierInput[];
    fieldNames: string[];
    optIns: string[];
    sealed?: unknown;
    row: RowOf;
  },
): Plan {
  assertPoint(ctx.policy, opts.point);
  return {
    point: opts.point,
    recordType: opts.recordType,
    at: opts.at,
    parties: [
      {
        identifiers: subjects.index(opts.identifiers),
        kind: kindOf(ctx.policy, opts.point, opts.fieldNames[0]!),
        fields: fieldsOf(ctx.policy, opts.point, opts.fieldNames),
        optIns: opts.optIns,
        ...(opts.sealed === undefined ? {} : { sealed: opts.sealed }),
      },
    ],
    rows: (rec) => [
      opts.row({ id: rec.id, subjectId: rec.subjectIds[0]!, sealed: rec.sealed[0]!, at: rec.at }),
    ],
  };
}

/** POST /v1/registrations: an account holder; the catalog box grants the policy's channels (P5). */
export function planRegistration(deps: PlanDeps, body: RegistrationBody, at: Date): Plan {
  const point = 'registration';
  assertNotUnder13([body], deps.ctx.clock.now());
  assertPlausibleInstants({ registered_at: body.registered_at }, deps.ctx.clock.now());
  return single(deps, {
    point,
    recordType: 'registration',
    at,
    identifiers: [
      { kind: 'account', field: 'account_id', value: body.account_id },
      { kind: 'email', field: 'email', value: body.email },
      ...(body.postal_address
        ? [{ kind: 'address' as const, field: 'postal_address', value: body.postal_address }]
        : []),
    ],
    fieldNames: [
      'email',
      'account_id',
      'name',
      ...(body.postal_address ? ['postal_address'] : []),
      ...(body.gender ? ['gender'] : []),
      'catalog_opt_in',
    ],
    optIns: body.catalog_opt_in === true ? grantedBy(deps.ctx.policy, point) : [],
    sealed: { name: body.name },
    row: (rec) => ({
      table: 'registrations',
      values: {
        id: rec.id,
        subject_id: rec.subjectId,
        sealed: rec.sealed!,
        gender: body.gender ?? null,
        catalog_opt_in: body.catalog_opt_in === true ? 1 : 0,
        registered_at: body.registered_at ? new Date(body.registered_at).toISOString() : rec.at,
        policy_version: deps.ctx.policy.version,
        collected_at: rec.at,
      },
    }),
  });
}

/** POST /v1/contest-entries: enrolls the entrant in email marketing (P8, by the consent rules). */
export function planContestEntry(deps: PlanDeps, body: ContestEntryBody, at: Date): Plan {
  assertNotUnder13([body], deps.ctx.clock.now());
  return single(deps, {
    point: 'contest_entry',
    recordType: 'contest_entry',
    at,
    identifiers: [{ kind: 'email', field: 'email', value: body.email }],
    fieldNames: ['email', ...(body.name ? ['name'] : [])],
    optIns: [],
    ...(body.name ? { sealed: { name: body.name } } : {}),
    row: (rec) => ({
      table: 'contest_entries',
      values: {
        id: rec.id,
        subject_id: rec.subjectId,
        contest_id: body.contest_id ?? null,
        sealed: rec.sealed,
        policy_version: deps.ctx.policy.version,
        collected_at: rec.at,
      },
    }),
  });
}

/** POST /v1/catalog-requests: the catalog form, every answer within the policy's values. */
export function planCatalogRequest(deps: PlanDeps, body: CatalogRequestBody, at: Date): Plan {
  assertNotUnder13([body], deps.ctx.clock.now());
  return single(deps, {
    point: 'catalog_request',
    recordType: 'catalog_request',
    at,
    identifiers: [
      { kind: 'email', field: 'email', value: body.email },
      { kind: 'address', field: 'postal_address', value: body.postal_address },
    ],
    fieldNames: [
      'email',
      'first_name',
      'last_name',
      'postal_address',
      ...CATALOG_QUESTIONS.filter((a) => body[a] !== undefined),
    ],
    optIns: [],
    sealed: { first_name: body.first_name, last_name: body.last_name },
    row: (rec) => ({
      table: 'catalog_requests',
      values: {
        id: rec.id,
        subject_id: rec.subjectId,
        sealed: rec.sealed!,
        relationship_status: body.relationship_status ?? '',
        jewelry_types: JSON.stringify(body.jewelry_types ?? []),
        budget: body.budget ?? '',
        age_range: body.age_range ?? '',
        residence_type: body.residence_type ?? '',
        gender: body.gender ?? null,
        policy_version: deps.ctx.policy.version,
        collected_at: rec.at,
      },
    }),
  });
}

/** POST /v1/sms-signups: prior express written consent, its wording kept as proof. */
export function planSmsSignup(deps: PlanDeps, body: SmsSignupBody, at: Date): Plan {
  const point = 'sms_signup';
  assertNotUnder13([body], deps.ctx.clock.now());
  return single(deps, {
    point,
    recordType: 'sms_signup',
    at,
    identifiers: [
      {
        kind: 'phone',
        field: 'phone',
        value: body.phone,
        defaultCountry: body.country ?? DEFAULT_PHONE_COUNTRY,
      },
    ],
    fieldNames: ['phone'],
    optIns: grantedBy(deps.ctx.policy, point),
    row: (rec) => ({
      table: 'sms_signups',
      values: {
        id: rec.id,
        subject_id: rec.subjectId,
        consent_text: body.consent_text,
        consent_text_sha256: createHash('sha256').update(body.consent_text, 'utf8').digest('hex'),
        policy_version: deps.ctx.policy.version,
        collected_at: rec.at,
      },
    }),
  });
}

/** POST /v1/inbound-messages: a return address for support.reply only (P4); enrolls nothing. */
export function planInboundMessage(deps: PlanDeps, body: InboundMessageBody, at: Date): Plan {
  assertNotUnder13([body], deps.ctx.clock.now());
  assertPlausibleInstants({ received_at: body.received_at }, deps.ctx.clock.now());
  return single(deps, {
    point: 'inbound_email',
    recordType: 'inbound_message',
    at,
    identifiers: [{ kind: 'email', field: 'from', value: body.from }],
    fieldNames: ['from', 'subject'],
    optIns: [],
    sealed: { subject: body.subject },
    row: (rec) => ({
      table: 'inbound_messages',
      values: {
        id: rec.id,
        subject_id: rec.subjectId,
        sealed: rec.sealed!,
        received_at: new Date(body.received_at).toISOString(),
        policy_version: deps.ctx.policy.version,
        collected_at: rec.at,
      },
    }),
  });
}

/** The values of one person in one built-in record (not checkout), by field; {} for another type. */
export async function builtInValues(
  ctx: VowContext,
  recordType: string,
  recordId: string,
  open: (sealed: string | null) => Promise<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  const db = ctx.store.db;
  switch (recordType) {
    case 'registration': {
      const r = await db
        .selectFrom('registrations')
        .selectAll()
        .where('id', '=', recordId)
        .executeTakeFirst();
      if (!r) return {};
      return {
        name: (await open(r.sealed)).name,
        ...(r.gender ? { gender: r.gender } : {}),
        catalog_opt_in: r.catalog_opt_in === 1,
      };
    }
    case 'contest_entry': {
      const r = await db
        .selectFrom('contest_entries')
        .selectAll()
        .where('id', '=', recordId)
        .executeTakeFirst();
      if (!r) return {};
      const v = await open(r.sealed);
      return v.name === undefined ? {} : { name: v.name };
    }
    case 'catalog_request': {
      const r = await db
        .selectFrom('catalog_requests')
        .selectAll()
        .where('id', '=', recordId)
        .executeTakeFirst();
      if (!r) return {};
      const v = await open(r.sealed);
      return {
        first_name: v.first_name,
        last_name: v.last_name,
        relationship_status: r.relationship_status,
        jewelry_types: JSON.parse(r.jewelry_types),
        budget: r.budget,
        age_range: r.age_range,
        residence_type: r.residence_type,
        ...(r.gender ? { gender: r.gender } : {}),
      };
    }
    case 'inbound_message': {
      const r = await db
        .selectFrom('inbound_messages')
        .selectAll()
        .where('id', '=', recordId)
        .executeTakeFirst();
      if (!r) return {};
      return { subject: (await open(r.sealed)).subject };
    }
    default:
      return {};
  }
}
