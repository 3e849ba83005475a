// Declared forms: a collection point whose fields carry a `type` in the policy. Its request body is
// built from the declaration alone (one key per field, checked by type, required as declared, plus
// the under-13 gate's keys), so a retailer adds a form by editing the policy, not the code.
import { z } from 'zod';
import { line, prose } from '../../platform/strings.js';
import { type FieldType, isDeclaredForm, type Policy } from '../policy/index.js';
import { type DayKind, FUTURE_YEARS, MAX_AGE } from './day-bounds.js';
import {
  addressSchema,
  ageFields,
  checkPhone,
  DEFAULT_PHONE_COUNTRY,
  emailSchema,
  phoneSchema,
} from './schemas.js';

/** A declared form's body, validated by `formSchema`: field name to value (and the gate's keys). */
export type FormBody = Readonly<Record<string, unknown>>;

export interface FormField {
  readonly name: string;
  readonly type: FieldType;
  readonly category: string;
  readonly purposes: readonly string[];
  readonly required: boolean;
  readonly values?: readonly string[];
  readonly multiple: boolean;
  readonly maxLength?: number;
  readonly grants: readonly string[];
  /** `date`: which days are plausible (checked against Vow's clock when the form is stored). */
  readonly dates: DayKind;
}

export interface DeclaredForm {
  readonly id: string;
  readonly title: string;
  /** The one kind of person the form collects. */
  readonly kind: string;
  readonly fields: readonly FormField[];
}

/** The declared form of a collection point, or undefined when the point is not one (or unknown). */
export function declaredForm(policy: Policy, id: string): DeclaredForm | undefined {
  const cp = Object.hasOwn(policy.doc.collection_points, id) ? policy.doc.collection_points[id] : undefined;
  if (!cp || !isDeclaredForm(cp)) return undefined;
  const fields = Object.entries(cp.fields).map(
    ([name, f]): FormField => ({
      name,
      type: f.type!,
      category: f.category,
      purposes: f.purposes,
      required: f.required,
      ...(f.values ? { values: f.values } : {}),
      multiple: f.multiple === true,
      ...(f.max_length === undefined ? {} : { maxLength: f.max_length }),
      grants: f.grants ?? [],
      dates: f.dates ?? 'any',
    }),
  );
  // The policy checks say every field of a form is the same person's.
  return { id, title: cp.title, kind: Object.values(cp.fields)[0]?.subject_kind ?? '', fields };
}

/** Every declared form of the policy, in file order. */
export function declaredForms(policy: Policy): DeclaredForm[] {
  return Object.keys(policy.doc.collection_points).flatMap((id) => {
    const form = declaredForm(policy, id);
    return form ? [form] : [];
  });
}

/** The days a date field takes, in words (the bounds are checked against Vow's clock). */
const DAYS: Readonly<Record<DayKind, string>> = {
  any: `a day at most ${MAX_AGE} years ago and at most ${FUTURE_YEARS} years ahead`,
  past: `a day at most ${MAX_AGE} years ago and at most one day ahead of Vow’s clock`,
  birth: `a birth date, not in the future and at most ${MAX_AGE} years ago`,
  future: `a day from yesterday to ${FUTURE_YEARS} years ahead`,
};

function describeField(f: FormField): string {
  const use = `${f.category}, used for ${f.purposes.join(', ')}`;
  if (f.type === 'opt_in') return `A box: true when ticked, which grants ${f.grants.join(', ')} (${use})`;
  if (f.type === 'date') return `YYYY-MM-DD, ${DAYS[f.dates]} (${use})`;
  return use.charAt(0).toUpperCase() + use.slice(1);
}

function valueSchema(f: FormField): z.ZodType {
  switch (f.type) {
    case 'email':
      return emailSchema;
    case 'phone':
      return phoneSchema;
    case 'postal_address':
      return addressSchema;
    case 'name':
      return line().trim().min(1).max(200);
    case 'date':
      return z.iso.date();
    case 'text':
      return prose()
        .trim()
        .min(1)
        .max(f.maxLength ?? 1000);
    case 'opt_in':
      return z.boolean();
    case 'enum': {
      const one = z.enum(f.values as [string, ...string[]]);
      if (!f.multiple) return one;
      return z
        .array(one)
        .min(1)
        .max(f.values?.length ?? 1)
        .refine((a) => new Set(a).size === a.length, { message: 'each value at most once' });
    }
  }
}

/**
 * The request body of a declared form: a strict object of its fields (an unknown key is refused),
 * each required unless declared `required: false`. A phone number without a `+` is read in the
 * country of the form's postal address, else the US.
 */
export function formSchema(policy: Policy, id: string) {
  const form = declaredForm(policy, id);
  if (!form) throw new Error(`The policy declares no form "${id}"`);
  const shape: Record<string, z.ZodType> = { ...ageFields };
  for (const f of form.fields) {
    const value = valueSchema(f).describe(describeField(f));
    shape[f.name] = f.required ? value : value.optional();
  }
  const phones = form.fields.filter((f) => f.type === 'phone').map((f) => f.name);
  const addresses = form.fields.filter((f) => f.type === 'postal_address').map((f) => f.name);
  return z.strictObject(shape).superRefine((body, ctx) => {
    for (const name of phones) {
      const country = addresses
        .map((a) => (body[a] as { country?: string } | undefined)?.country)
        .find((c) => c !== undefined);
      checkPhone(body[name] as string | undefined, country ?? DEFAULT_PHONE_COUNTRY, [name], ctx);
    }
  }) as z.ZodType<FormBody>;
}

/** What a submission to the form does to consent, in words (for the API description). */
export function consentEffects(policy: Policy, form: DeclaredForm): string {
  const out: string[] = [];
  for (const [id, ch] of Object.entries(policy.doc.channels)) {
    if (ch.granted_by.includes(form.id)) {
      const boxes = form.fields.filter((f) => f.type === 'opt_in' && f.grants.includes(id));
      out.push(
        boxes.length > 0
          ? `ticking ${boxes.map((b) => `\`${b.name}\``).join(' or ')} grants ${id}`
          : `the submission grants ${id}`,
      );
    } else if (ch.enrolled_by.includes(form.id))
      out.push(
        `enrolls in ${id}${ch.re_enrolled_by.includes(form.id) ? ', again after an unsubscribe' : ' (not after an unsubscribe)'}`,
      );
  }
  return out.length > 0 ? `Consent: ${out.join('; ')}.` : 'Consent: enrolls in nothing.';
}
