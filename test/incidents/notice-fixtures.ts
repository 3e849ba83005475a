// The Art. 34 message of the tests, in both languages the test policy is published in (en-US, its
// own, and es-US, its translation), and its sending through the API.
import assert from 'node:assert/strict';
import type { NoticeDraft, NoticeVersion } from '../../src/modules/incidents/index.js';
import type { TestEnv } from '../helpers/env.js';
import { EN, type Staff } from '../helpers/incidents.js';

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

/**
 * The message (EN and ES) confirmed through the API by `officer` for incident `id`, and Vow's job
 * run to its end: everyone with an email address written to.
 */
export async function tellThroughApi(env: TestEnv, officer: Staff, id: string): Promise<void> {
  const queued = await env.app.inject({
    method: 'POST',
    url: `/v1/incidents/${id}/notice`,
    headers: officer.writeHeaders,
    payload: { versions: [EN, { lang: 'es-US', ...ES }] },
  });
  assert.equal(queued.statusCode, 202, queued.body);
  await env.services.jobs.drain();
  await env.services.jobs.drain();
}
