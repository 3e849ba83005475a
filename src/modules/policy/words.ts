// The policy's words as a shopper reads them, in their language: a category's, purpose's,
// exemption's, channel's, subject kind's or form's name from the policy's `translations` for that
// locale, else its own (English) text.
import type { Policy } from './model.js';
import type { Translation } from './schema.js';

function translation(policy: Policy, locale: string | null | undefined): Translation | undefined {
  if (!locale || locale === policy.doc.locale) return undefined;
  return (policy.doc.translations as Readonly<Record<string, Translation | undefined>>)[locale];
}

/** What a category is, e.g. "Postal address (billing, shipping or mailing)". */
export function categoryName(policy: Policy, id: string, locale?: string | null): string {
  return translation(policy, locale)?.categories[id] ?? policy.doc.categories[id]?.description ?? id;
}

/** What a purpose is, e.g. "Shipping an order". */
export function purposeName(policy: Policy, id: string, locale?: string | null): string {
  return translation(policy, locale)?.purposes[id] ?? policy.doc.purposes[id]?.description ?? id;
}

/** An exemption's title, e.g. "Data necessary to service our customers". */
export function exemptionName(policy: Policy, id: string, locale?: string | null): string {
  return translation(policy, locale)?.exemptions[id] ?? policy.doc.exemptions[id]?.title ?? id;
}

/** The policy's own words an exemption rests on, e.g. "Exclusions include data necessary to …". */
export function exemptionSource(policy: Policy, id: string, locale?: string | null): string {
  return translation(policy, locale)?.exemption_sources[id] ?? policy.doc.exemptions[id]?.source ?? '';
}

/** A regulator's name, e.g. "your local data protection authority". */
export function regulatorName(policy: Policy, id: string, locale?: string | null): string {
  return translation(policy, locale)?.regulators[id]?.name ?? policy.doc.regulators[id]?.name ?? id;
}

/** Whose information a subject kind is, e.g. "A person who placed an order (the buyer)". */
export function subjectKindName(policy: Policy, id: string, locale?: string | null): string {
  return translation(policy, locale)?.subject_kinds[id] ?? policy.doc.subject_kinds[id]?.description ?? id;
}

/** A collection point's title, e.g. "Checkout". */
export function collectionPointTitle(policy: Policy, id: string, locale?: string | null): string {
  return translation(policy, locale)?.collection_points[id] ?? policy.doc.collection_points[id]?.title ?? id;
}

/** A recipient's name, e.g. "Shipping carrier". */
export function recipientName(policy: Policy, id: string, locale?: string | null): string {
  return translation(policy, locale)?.recipients[id] ?? policy.doc.recipients[id]?.name ?? id;
}

/** A cookie's or tool's words in the reader's language (keyed by its name), if the policy translates it. */
export function cookieWords(
  policy: Policy,
  name: string,
  locale?: string | null,
): Translation['cookies'][string] | undefined {
  return translation(policy, locale)?.cookies[name];
}

/** A retention rule's reason. */
export function retentionReason(policy: Policy, reason: string, locale?: string | null): string {
  return translation(policy, locale)?.retention_reasons[reason] ?? reason;
}

/** A marketing channel's description. */
export function channelName(policy: Policy, id: string, locale?: string | null): string {
  return translation(policy, locale)?.channels[id] ?? policy.doc.channels[id]?.description ?? id;
}

/** A cookie category's title and description. */
export function cookieCategoryText(
  policy: Policy,
  id: string,
  locale?: string | null,
): { title: string; description: string } {
  const own = policy.doc.cookie_categories[id];
  return (
    translation(policy, locale)?.cookie_categories[id] ?? {
      title: own?.title ?? id,
      description: own?.description ?? '',
    }
  );
}

/** A promise's line and how it is kept. */
export function promiseText(
  policy: Policy,
  id: string,
  locale?: string | null,
): { title: string; enforcement: string } {
  const own = policy.doc.promises[id];
  return (
    translation(policy, locale)?.promises[id] ?? {
      title: own?.title ?? id,
      enforcement: own?.enforcement ?? '',
    }
  );
}
