// What the complaints module writes to the person who complained, in their language. Staff's answer
// is quoted as written.
import { type Catalog, DEFAULT_LOCALE, formatDay, isLocale } from '../../platform/i18n/index.js';

interface ComplaintMail {
  received(p: {
    receivedOn: string;
    dueOn: string;
    statusUrl: string;
    regulator?: { name: string; url: string };
  }): {
    subject: string;
    text: string;
  };
  reply(p: { text: string; regulator?: { name: string; url: string } }): { subject: string; text: string };
}

const join = (...parts: (string | false | undefined)[]) => parts.filter(Boolean).join('\n\n');

export const COMPLAINT_MAIL: Catalog<ComplaintMail> = {
  'en-US': {
    received: (p) => ({
      subject: 'We received your privacy complaint',
      text: join(
        `We received your complaint on ${formatDay(p.receivedOn, 'en-US')} and will answer by ${formatDay(p.dueOn, 'en-US')}.`,
        `Follow it at ${p.statusUrl}`,
        p.regulator &&
          `If you are not satisfied with our answer, you may complain to ${p.regulator.name}: ${p.regulator.url}`,
      ),
    }),
    reply: (p) => ({
      subject: 'Our answer to your privacy complaint',
      text: join(
        p.text,
        p.regulator &&
          `If you are not satisfied, you may complain to ${p.regulator.name}: ${p.regulator.url}`,
      ),
    }),
  },
  'es-US': {
    received: (p) => ({
      subject: 'Recibimos su queja sobre privacidad',
      text: join(
        `Recibimos su queja el ${formatDay(p.receivedOn, 'es-US')} y le responderemos a más tardar el ${formatDay(p.dueOn, 'es-US')}.`,
        `Sígala en ${p.statusUrl}`,
        p.regulator &&
          `Si no queda satisfecho con nuestra respuesta, puede presentar una queja ante ${p.regulator.name}: ${p.regulator.url}`,
      ),
    }),
    reply: (p) => ({
      subject: 'Nuestra respuesta a su queja sobre privacidad',
      text: join(
        p.text,
        p.regulator &&
          `Si no queda satisfecho, puede presentar una queja ante ${p.regulator.name}: ${p.regulator.url}`,
      ),
    }),
  },
};

export function complaintMail(locale: string | null | undefined): ComplaintMail {
  return COMPLAINT_MAIL[isLocale(locale) ? locale : DEFAULT_LOCALE];
}
