// Storing a submission to a declared form, from its declaration alone: the under-13 gate, the
// person found by the form's identifiers (email, phone, postal address: indexed by the subjects
// module), every other value sealed under the person's key in form_values with its field's
// category, and the channels the submission grants (its opt-in boxes, or the form itself).
import { VowError } from '../../platform/errors.js';
import type { Policy, VowContext } from '../policy/index.js';
import { type IdentifierInput, openSealed, type PostalAddress } from '../subjects/index.js';
import { type AgeFields, assertNotUnder13 } from './age-gate.js';
import { assertPlausibleDays } from './day-bounds.js';
import { type DeclaredForm, declaredForm, type FormBody, type FormField } from './form-schema.js';
import type { Plan, PlanDeps } from './plan.js';
import { grantedBy } from './point-fields.js';
import { DEFAULT_PHONE_COUNTRY } from './schemas.js';

/** The record type of a declared form's submission (subject_records.record_type). */
export const FORM_RECORD_TYPE = 'form';

type ValueType = 'text' | 'boolean' | 'list';

function valueTypeOf(f: FormField): ValueType {
  if (f.type === 'opt_in') return 'boolean';
  return f.type === 'enum' && f.multiple ? 'list' : 'text';
}

/** A value as the text sealed for it (read back by `valueTypeOf`). */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function fromText(type: string, text: string): unknown {
  if (type === 'boolean') return text === 'true';
  if (type === 'list') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * The channels one submission grants: each channel listing the form in its `granted_by` is granted
 * by a ticked box naming it; a channel no box names is granted by the submission itself (a sign-up
 * form is the explicit yes).
 */
export function grantsOf(policy: Policy, form: DeclaredForm, body: FormBody): string[] {
  const boxes = form.fields.filter((f) => f.type === 'opt_in');
  return grantedBy(policy, form.id).filter((channel) => {
    const naming = boxes.filter((b) => b.grants.includes(channel));
    return naming.length === 0 || naming.some((b) => body[b.name] === true);
  });
}

function identifierOf(f: FormField, body: FormBody, country: string): IdentifierInput | undefined {
  const value = body[f.name];
  if (value === undefined) return undefined;
  if (f.type === 'email') return { kind: 'email', field: f.name, value: value as string };
  if (f.type === 'phone')
    return { kind: 'phone', field: f.name, value: value as string, defaultCountry: country };
  if (f.type === 'postal_address') return { kind: 'address', field: f.name, value: value as PostalAddress };
  return undefined;
}

/** POST /v1/collection-points/{id}/submissions for a declared form: one person, one submission. */
export function planForm({ ctx, subjects }: PlanDeps, point: string, body: FormBody, at: Date): Plan {
  const policy = ctx.policy;
  const form = declaredForm(policy, point);
  if (!form) throw new VowError('VOW_NOT_FOUND', `The policy in force declares no form "${point}"`);
  assertNotUnder13([body as AgeFields], ctx.clock.now());
  const present = form.fields.filter((f) => body[f.name] !== undefined);
  // The days it states, by what each is: a day in 9999 or 0001 is a typo, not a day to keep.
  assertPlausibleDays(
    present
      .filter((f) => f.type === 'date')
      .map((f) => ({ field: f.name, day: body[f.name] as string, kind: f.dates })),
    ctx.clock.now(),
  );
  const country =
    present
      .filter((f) => f.type === 'postal_address')
      .map((f) => (body[f.name] as PostalAddress).country)
      .find((c) => c !== undefined) ?? DEFAULT_PHONE_COUNTRY;
  const identifiers = present.flatMap((f) => {
    const id = identifierOf(f, body, country);
    return id ? [id] : [];
  });
  const kept = present.filter((f) => identifierOf(f, body, country) === undefined);
  return {
    point,
    recordType: FORM_RECORD_TYPE,
    at,
    parties: [
      {
        identifiers: subjects.index(identifiers),
        kind: form.kind,
        fields: Object.fromEntries(
          present.map((f) => [f.name, { category: f.category, purposes: [...f.purposes] }]),
        ),
        optIns: grantsOf(policy, form, body),
        sealedEach: Object.fromEntries(kept.map((f) => [f.name, asText(body[f.name])])),
      },
    ],
    rows: (rec) => {
      const subjectId = rec.subjectIds[0]!;
      const sealed = rec.sealedEach[0] ?? {};
      return [
        {
          table: 'form_submissions',
          values: {
            id: rec.id,
            collection_point: point,
            subject_id: subjectId,
            policy_version: policy.version,
            collected_at: rec.at,
          },
        },
        ...kept.map((f) => ({
          table: 'form_values' as const,
          values: {
            submission_id: rec.id,
            field: f.name,
            subject_id: subjectId,
            category: f.category,
            value_type: valueTypeOf(f),
            value: sealed[f.name]!,
          },
        })),
      ];
    },
  };
}

/** The values of one person in one declared form's submission, by field (identifiers aside). */
export async function formValues(
  ctx: VowContext,
  subjectId: string,
  recordId: string,
): Promise<Record<string, unknown>> {
  const rows = await ctx.store.db
    .selectFrom('form_values')
    .select(['field', 'value_type', 'value'])
    .where('submission_id', '=', recordId)
    .where('subject_id', '=', subjectId)
    .execute();
  const out: Record<string, unknown> = {};
  for (const r of rows) {
    // A value the walker masked or whose key was destroyed is absent, never an error.
    const plain = await openSealed(ctx.vault, subjectId, r.value);
    if (plain !== null) out[r.field] = fromText(r.value_type, plain);
  }
  return out;
}
