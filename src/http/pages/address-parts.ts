// A postal address corrected in its parts on the shopper forms (the request form and My data): the
// street, city, state or region, postal code and country each in its own field. Typed on one line,
// a corrected address was kept as its street alone, city and postal code empty, which a mailing
// cannot use and the state's law (the request's clock) cannot be read from.
import { IDENTIFIER_CATEGORY } from '../../modules/subjects/index.js';

import { html, type SafeHtml } from '../../platform/html.js';
import type { Catalog, Locale } from '../../platform/i18n/index.js';
import { line } from '../../platform/strings.js';
import type { FieldRef } from './form-state.js';

/** The category a postal address is collected as (its correction replaces the address identifier). */
export const ADDRESS_CATEGORY = IDENTIFIER_CATEGORY.address;

const PARTS = ['line1', 'line2', 'city', 'region', 'postal_code', 'country'] as const;
type Part = (typeof PARTS)[number];

/** The form's field of each part. */
const field = (part: Part) => `address_${part}`;

/** The body keys of the parts, as the forms' schemas take them. */
export const addressPartsBody = {
  address_line1: line().max(200).optional(),
  address_line2: line().max(200).optional(),
  address_city: line().max(100).optional(),
  address_region: line().max(100).optional(),
  address_postal_code: line().max(20).optional(),
  address_country: line().max(2).optional(),
};

export const ADDRESS_FIELDS: readonly string[] = PARTS.map(field);

interface AddressWords {
  readonly legend: string;
  readonly hint: string;
  readonly labels: Readonly<Record<Part, string>>;
  readonly onlyForAddress: string;
  readonly needsStreet: string;
}

const WORDS: Catalog<AddressWords> = {
  'en-US': {
    legend: 'Correcting your postal address?',
    hint: 'Give it here, in its parts, instead of on one line above.',
    labels: {
      line1: 'Street address',
      line2: 'Apartment, suite (optional)',
      city: 'City',
      region: 'State or region (optional)',
      postal_code: 'ZIP or postal code',
      country: 'Country (two letters, such as US)',
    },
    onlyForAddress: 'These are for a postal address: choose the postal address above, or leave them empty.',
    needsStreet: 'Give the street address too.',
  },
  'es-US': {
    legend: '¿Corrige su dirección postal?',
    hint: 'Indíquela aquí, por partes, en lugar de en una sola línea arriba.',
    labels: {
      line1: 'Calle y número',
      line2: 'Apartamento, oficina (opcional)',
      city: 'Ciudad',
      region: 'Estado o región (opcional)',
      postal_code: 'Código postal',
      country: 'País (dos letras, como US)',
    },
    onlyForAddress:
      'Estos campos son para una dirección postal: elija la dirección postal arriba o déjelos vacíos.',
    needsStreet: 'Indique también la calle y el número.',
  },
};

/** The parts as the form's list of mistakes names them. */
export function addressFieldRefs(locale: Locale): FieldRef[] {
  return PARTS.map((p) => ({ name: field(p), id: field(p), label: WORDS[locale].labels[p] }));
}

/**
 * The value of a correction from the form: the address's parts as JSON when any part was given
 * (the category must then be the postal address, and the street given), else what was typed on the
 * one line. A mistake names its field and says what is wrong.
 */
export function correctionValueOf(
  category: string | undefined,
  typedValue: string | undefined,
  body: Readonly<Record<string, unknown>>,
  locale: Locale,
): { readonly value: string | undefined } | { readonly field: string; readonly mistake: string } {
  const part = (p: Part) => {
    const v = body[field(p)];
    return typeof v === 'string' ? v.trim() : '';
  };
  if (PARTS.every((p) => part(p) === '')) return { value: typedValue || undefined };
  const w = WORDS[locale];
  if (category !== ADDRESS_CATEGORY) return { field: field('line1'), mistake: w.onlyForAddress };
  if (!part('line1')) return { field: field('line1'), mistake: w.needsStreet };
  const address: Record<string, string> = {};
  for (const p of PARTS) if (part(p)) address[p] = p === 'country' ? part(p).toUpperCase() : part(p);
  return { value: JSON.stringify(address) };
}

/**
 * The parts' fields, under the one-line value, when the shopper may correct a postal address;
 * `typedOf`, `errOf` and `badOf` give each field's typed value, mistake and invalid attributes.
 */
export function addressPartsFieldset(
  offered: readonly string[],
  typedOf: (name: string) => string,
  errOf: (name: string) => SafeHtml | string,
  badOf: (name: string) => SafeHtml | string,
  locale: Locale,
): SafeHtml | string {
  if (!offered.includes(ADDRESS_CATEGORY)) return '';
  const w = WORDS[locale];
  const auto: Readonly<Record<Part, string>> = {
    line1: 'address-line1',
    line2: 'address-line2',
    city: 'address-level2',
    region: 'address-level1',
    postal_code: 'postal-code',
    country: 'country',
  };
  // Folded away unless something was typed in it (or refused): most corrections are not an address.
  const open = PARTS.some((p) => typedOf(field(p)) !== '' || String(errOf(field(p))) !== '');
  return html`<details class="address-parts" data-testid="address-parts"${open ? html` open` : ''}>
    <summary id="address-parts-h">${w.legend}</summary>
    <div role="group" aria-labelledby="address-parts-h">
    <p class="small">${w.hint}</p>
    ${PARTS.map(
      (p) =>
        html`<p><label for="${field(p)}">${w.labels[p]}</label>${errOf(field(p))}<input id="${field(p)}" name="${field(p)}" autocomplete="${auto[p]}" maxlength="${p === 'country' ? 2 : p === 'postal_code' ? 20 : p === 'line1' || p === 'line2' ? 200 : 100}" value="${typedOf(field(p))}"${badOf(field(p))}></p>`,
    )}
    </div>
  </details>`;
}
