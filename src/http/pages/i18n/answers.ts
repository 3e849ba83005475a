// The words of the answers a built-in form offers (the catalog request's relationship status,
// budget, age range, where you live, gender, jewelry; the registration's gender), by the code the
// form stores: what the demo storefront's selects show and what "My data", its downloads and the
// access export say back to the shopper, in each language of the shopper pages.
import type { Catalog } from '../../../platform/i18n/index.js';

export interface AnswerWords {
  /** Answer words by code; a code not here is worded by its shape (a range) or from its id. */
  readonly answers: Readonly<Record<string, string>>;
  range(from: string, to: string): string;
  under(n: string): string;
  over(n: string): string;
  orMore(n: string): string;
  /** A stored answer the form no longer offers: shown as stored, with this note. */
  retired(code: string): string;
}

export const ANSWER_WORDS: Catalog<AnswerWords> = {
  'en-US': {
    answers: {
      single: 'Single',
      in_a_relationship: 'In a relationship',
      engaged: 'Engaged',
      married: 'Married',
      no_labels: 'No labels',
      engagement_ring: 'Engagement ring',
      wedding_band: 'Wedding band',
      mens_rings: 'Men’s rings',
      earrings: 'Earrings',
      bracelets: 'Bracelets',
      necklaces_pendants: 'Necklaces and pendants',
      just_browsing: 'Just browsing',
      urban: 'In a city',
      suburban: 'In the suburbs',
      rural: 'In the country',
      male: 'Male',
      female: 'Female',
      no_thanks: 'Prefer not to say',
      no_answer: 'Prefer not to say',
    },
    range: (a, b) => `${a} to ${b}`,
    under: (n) => `Under ${n}`,
    over: (n) => `Over ${n}`,
    orMore: (n) => `${n} or more`,
    retired: (code) => `${code} (an answer our form no longer offers)`,
  },
  'es-US': {
    answers: {
      single: 'Sin pareja',
      in_a_relationship: 'En una relación',
      engaged: 'Con compromiso de boda',
      married: 'Casado o casada',
      no_labels: 'Sin etiquetas',
      engagement_ring: 'Anillo de compromiso',
      wedding_band: 'Alianza de boda',
      mens_rings: 'Anillos para hombre',
      earrings: 'Aretes',
      bracelets: 'Pulseras',
      necklaces_pendants: 'Collares y colgantes',
      just_browsing: 'Solo estoy mirando',
      urban: 'En la ciudad',
      suburban: 'En las afueras',
      rural: 'En el campo',
      male: 'Hombre',
      female: 'Mujer',
      no_thanks: 'Prefiero no decirlo',
      no_answer: 'Prefiero no decirlo',
    },
    range: (a, b) => `De ${a} a ${b}`,
    under: (n) => `Menos de ${n}`,
    over: (n) => `Más de ${n}`,
    orMore: (n) => `${n} o más`,
    retired: (code) => `${code} (una respuesta que nuestro formulario ya no ofrece)`,
  },
};
