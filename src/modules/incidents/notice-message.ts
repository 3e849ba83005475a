// The Art. 34 message as the privacy officer writes it: one version per language the policy is
// published in (noticeLanguages), checked before anything is previewed or queued. A language without
// its version, or a version missing a part Art. 34(2) asks for, is a missing translation
// (VOW_INCIDENT_TRANSLATION_MISSING); a version in a language the policy does not publish, or text
// that names someone, is invalid (VOW_INCIDENT_INVALID).
import { VowError } from '../../platform/errors.js';
import { LOCALE_NAMES, type Locale } from '../../platform/i18n/index.js';
import type { NoticeDraft, NoticeVersion } from './notice-text.js';
import { hasBidiControl, holdsEmailAddress } from './text-checks.js';

const PARTS = [
  ['subject', 'subject', true],
  ['whatHappened', 'description of what happened', true],
  ['consequences', 'likely consequences', true],
  ['measures', 'measures taken or proposed', true],
  ['advice', 'advice', false],
] as const satisfies readonly (readonly [keyof NoticeDraft, string, boolean])[];

export const MAX_SUBJECT = 200;

function invalid(message: string): VowError {
  return new VowError('VOW_INCIDENT_INVALID', message);
}

/**
 * A version whose parts are all text: one left out that may be (the advice) is empty, any other
 * that is not text is refused, so a caller of the service outside the typed HTTP shells (a script, a
 * job) gets VOW_INCIDENT_INVALID instead of the database's NOT NULL or a type error.
 */
function withParts(v: NoticeVersion, where: string): NoticeVersion {
  const out: Record<string, unknown> = { ...v };
  for (const [key, label, required] of PARTS) {
    const value: unknown = v[key];
    if (value === undefined && !required) out[key] = '';
    else if (typeof value !== 'string')
      throw invalid(`The ${label} (${where}) must be text, not ${value === null ? 'null' : typeof value}`);
  }
  return out as unknown as NoticeVersion;
}

/**
 * The versions in the mail's order (the policy's language first), each one checked; `languages` are
 * the languages the policy is published in.
 */
export function checkedVersions(
  versions: readonly NoticeVersion[],
  languages: readonly Locale[],
): NoticeVersion[] {
  const seen = new Set<string>();
  for (const v of versions) {
    if (!languages.includes(v.lang))
      throw invalid(
        `The policy is not published in ${v.lang}: the message is written in ${languages.join(', ')}`,
      );
    if (seen.has(v.lang)) throw invalid(`The message has two versions in ${v.lang}`);
    seen.add(v.lang);
  }
  const primary = languages[0];
  const out: NoticeVersion[] = [];
  for (const lang of languages) {
    const given = versions.find((x) => x.lang === lang);
    const where = `${LOCALE_NAMES[lang]} (${lang})`;
    if (!given)
      throw new VowError(
        'VOW_INCIDENT_TRANSLATION_MISSING',
        `The message has no version in ${where}: the policy is published in it, and Vow does not know which language each person reads, so every mail carries every version`,
        { lang },
      );
    const v = withParts(given, where);
    for (const [key, label, required] of PARTS) {
      const value = v[key];
      if (required && value.trim() === '') {
        if (lang === primary) throw invalid(`The message needs its ${label} (Art. 34(2) with Art. 33(3))`);
        throw new VowError(
          'VOW_INCIDENT_TRANSLATION_MISSING',
          `The ${where} version needs its ${label} (Art. 34(2) with Art. 33(3))`,
          { lang },
        );
      }
      if (holdsEmailAddress(value))
        throw invalid(
          `The ${label} (${where}) holds what looks like an email address: the contact point is added from the policy`,
        );
      if (hasBidiControl(value))
        throw invalid(
          `The ${label} (${where}) holds a character that reorders text (a bidirectional override or isolate): what a person reads would not be what was previewed`,
        );
    }
    if (/[\r\n]/.test(v.subject)) throw invalid(`The subject (${where}) is one line`);
    if (v.subject.length > MAX_SUBJECT)
      throw invalid(`The subject (${where}) is at most ${MAX_SUBJECT} characters`);
    out.push(v);
  }
  return out;
}
