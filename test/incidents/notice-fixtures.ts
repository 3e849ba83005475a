// The Art. 34 message of the tests, in both languages the test policy is published in (en-US, its
// own, and es-US, its translation).
import type { NoticeDraft, NoticeVersion } from '../../src/modules/incidents/index.js';

export const ES: NoticeDraft = {
  subject: 'Jewelry Co: una violación de datos afecta a su dirección',
  whatHappened: 'Una empresa de mensajería perdió una caja de albaranes impresos.',
  consequences: 'Alguien podría enviarle cartas haciéndose pasar por nosotros.',
  measures: 'Cambiamos de empresa de mensajería.',
  advice: 'Desconfíe de cartas que le pidan pagar un anillo que no pidió.',
};

/** The message: the English draft given, and the Spanish version (ES unless given). */
export function inBoth(en: NoticeDraft, es: NoticeDraft = ES): NoticeVersion[] {
  return [
    { lang: 'en-US', ...en },
    { lang: 'es-US', ...es },
  ];
}
