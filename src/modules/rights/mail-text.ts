// What the rights module writes to a person about their request, in the request's language. Staff's
// own words (a refusal's basis, an extension's reason) are quoted as written.
import { type Catalog, DEFAULT_LOCALE, formatDay, isLocale } from '../../platform/i18n/index.js';
import type { RequestType } from './tables.js';

export interface RightsMail {
  readonly typeName: Readonly<Record<RequestType, string>>;
  code(p: {
    shop: string;
    type: string;
    receivedOn: string;
    code: string;
    statusUrl: string;
    dueOn: string;
    /** A new code asked for on the status page: the one sent before no longer works. */
    again?: boolean;
  }): {
    subject: string;
    text: string;
  };
  corrected(p: { category: string }): { subject: string; text: string };
  extended(p: { type: string; receivedOn: string; reason: string; dueOn: string }): {
    subject: string;
    text: string;
  };
  denied(p: {
    type: string;
    basis: string;
    regulator: string | undefined;
    /** Where the person's state law offers an appeal: its deadline and the statute. */
    appeal?: { days: number; cite: string };
  }): { subject: string; text: string };
  appealDecided(p: {
    granted: boolean;
    type: string;
    reasons: string;
    /** Where the law requires it, after an upheld refusal: the attorney general to complain to. */
    attorneyGeneral?: { name: string; url: string };
  }): { subject: string; text: string };
  restrictionLifted(p: { since: string; reason: string }): { subject: string; text: string };
  restricted(p: { purposes: readonly string[] | 'all' }): { subject: string; text: string };
  accessReady(p: { type: string; link: string; categoriesOnly: boolean }): { subject: string; text: string };
  deleted(p: { categories: readonly string[] | 'all'; kept: readonly string[] }): {
    subject: string;
    text: string;
  };
  /** The person's data was erased after the request found them: nothing left to act on. */
  erasedMeanwhile(p: { kind: Exclude<RequestType, 'deletion'>; type: string }): {
    subject: string;
    text: string;
  };
}

const join = (...parts: (string | false | undefined)[]) => parts.filter(Boolean).join('\n\n');

export const RIGHTS_MAIL: Catalog<RightsMail> = {
  'en-US': {
    typeName: {
      access: 'access',
      portability: 'portability',
      correction: 'correction',
      deletion: 'deletion',
      restriction: 'restriction',
      objection: 'objection',
    },
    code: (p) => ({
      subject: `Your ${p.shop} privacy request: ${p.again ? 'a new confirmation code' : 'confirmation code'}`,
      text: join(
        p.again
          ? `Here is a new code for your ${p.type} request received on ${formatDay(p.receivedOn, 'en-US')}. The code we sent before no longer works.`
          : `We received your ${p.type} request on ${formatDay(p.receivedOn, 'en-US')}.`,
        `To confirm it is you, enter this code on the request page within 15 minutes: ${p.code}`,
        `Follow your request at ${p.statusUrl}`,
        `We answer by ${formatDay(p.dueOn, 'en-US')}.`,
        'If you did not make this request, ignore this message.',
      ),
    }),
    corrected: (p) => ({
      subject: 'Your data was corrected',
      text: `We corrected your data (${p.category}) everywhere we hold it.`,
    }),
    extended: (p) => ({
      subject: 'Your privacy request: we need more time',
      text: join(
        `We need more time to answer your ${p.type} request received on ${formatDay(p.receivedOn, 'en-US')}.`,
        `Why: ${p.reason}`,
        `We will answer by ${formatDay(p.dueOn, 'en-US')}.`,
      ),
    }),
    denied: (p) => ({
      subject: 'Your privacy request',
      text: join(
        `We cannot act on your ${p.type} request. The reason: ${p.basis}`,
        p.appeal &&
          `You may appeal this decision from your request's status page; we decide an appeal within ${p.appeal.days} days (${p.appeal.cite}).`,
        `You may complain to ${p.regulator ?? 'your data protection authority'}.`,
      ),
    }),
    appealDecided: (p) => ({
      subject: 'Your privacy request: the decision on your appeal',
      text: join(
        p.granted
          ? `We reviewed your appeal and reversed our refusal of your ${p.type} request. We are answering it now.`
          : `We reviewed your appeal and confirm our refusal of your ${p.type} request.`,
        `Our reasons: ${p.reasons}`,
        p.attorneyGeneral &&
          `If you disagree, you may contact the ${p.attorneyGeneral.name} to submit a complaint: ${p.attorneyGeneral.url}`,
      ),
    }),
    restrictionLifted: (p) => ({
      subject: 'Your privacy request: the restriction ends',
      text: `The restriction of processing you asked for on ${formatDay(p.since, 'en-US')} ends now. The reason: ${p.reason}`,
    }),
    restricted: (p) => ({
      subject: 'We stopped processing your data',
      text:
        p.purposes === 'all'
          ? 'From now on we only store your data; we do not use it, until you tell us otherwise. We will tell you before this ends.'
          : `From now on we no longer use your data for: ${p.purposes.join('; ')}.`,
    }),
    accessReady: (p) => ({
      subject: 'Your data is ready to download',
      text: join(
        `Your ${p.type} request is answered. Download your data (JSON, CSV per table and a readable summary) within 7 days:`,
        p.link,
        p.categoriesOnly &&
          'We verified your identity with two details, so this answer lists the categories of data we hold, not the values.',
      ),
    }),
    deleted: (p) => ({
      subject: 'Your data was deleted',
      text: join(
        p.categories === 'all'
          ? 'We deleted the data we held about you.'
          : `We deleted your data in these categories: ${p.categories.join('; ')}.`,
        p.kept.length > 0
          ? `We kept the following, as the law or our policy requires:\n${p.kept.map((k) => `- ${k}`).join('\n')}`
          : 'Nothing was kept.',
        p.categories === 'all' &&
          'We keep a keyed hash of your address on our suppression list so that we never email you again.',
      ),
    }),
    erasedMeanwhile: (p) => ({
      subject: `Your ${p.type} request is answered`,
      text: join(
        p.kind === 'access' || p.kind === 'portability'
          ? `We hold no data about you any more, so there is nothing to send in answer to your ${p.type} request.`
          : p.kind === 'correction'
            ? `There is nothing left to correct: we hold no data about you any more.`
            : 'There is nothing left to restrict: we hold no data about you any more, so we do not use it for anything.',
        'The data we held about you was deleted after you made this request (for example, because you also asked us to delete it).',
      ),
    }),
  },
  'es-US': {
    typeName: {
      access: 'acceso',
      portability: 'portabilidad',
      correction: 'corrección',
      deletion: 'eliminación',
      restriction: 'limitación del tratamiento',
      objection: 'oposición',
    },
    code: (p) => ({
      subject: `Su solicitud de privacidad a ${p.shop}: ${p.again ? 'un nuevo código de confirmación' : 'código de confirmación'}`,
      text: join(
        p.again
          ? `Este es un nuevo código para su solicitud de ${p.type} recibida el ${formatDay(p.receivedOn, 'es-US')}. El código que le enviamos antes ya no es válido.`
          : `Recibimos su solicitud de ${p.type} el ${formatDay(p.receivedOn, 'es-US')}.`,
        `Para confirmar que es usted, escriba este código en la página de la solicitud en un plazo de 15 minutos: ${p.code}`,
        `Siga su solicitud en ${p.statusUrl}`,
        `Le responderemos a más tardar el ${formatDay(p.dueOn, 'es-US')}.`,
        'Si usted no hizo esta solicitud, ignore este mensaje.',
      ),
    }),
    corrected: (p) => ({
      subject: 'Corregimos sus datos',
      text: `Corregimos sus datos (${p.category}) en todos los lugares donde los guardamos.`,
    }),
    extended: (p) => ({
      subject: 'Su solicitud de privacidad: necesitamos más tiempo',
      text: join(
        `Necesitamos más tiempo para responder a su solicitud de ${p.type} recibida el ${formatDay(p.receivedOn, 'es-US')}.`,
        `Motivo: ${p.reason}`,
        `Le responderemos a más tardar el ${formatDay(p.dueOn, 'es-US')}.`,
      ),
    }),
    denied: (p) => ({
      subject: 'Su solicitud de privacidad',
      text: join(
        `No podemos atender su solicitud de ${p.type}. Motivo: ${p.basis}`,
        p.appeal &&
          `Puede apelar esta decisión desde la página de estado de su solicitud; decidimos una apelación en un plazo de ${p.appeal.days} días (${p.appeal.cite}).`,
        `Puede presentar una queja ante ${p.regulator ?? 'su autoridad de protección de datos'}.`,
      ),
    }),
    appealDecided: (p) => ({
      subject: 'Su solicitud de privacidad: la decisión sobre su apelación',
      text: join(
        p.granted
          ? `Revisamos su apelación y revocamos nuestra negativa a su solicitud de ${p.type}. La estamos atendiendo ahora.`
          : `Revisamos su apelación y confirmamos nuestra negativa a su solicitud de ${p.type}.`,
        `Nuestros motivos: ${p.reasons}`,
        p.attorneyGeneral &&
          `Si no está de acuerdo, puede comunicarse con ${p.attorneyGeneral.name} para presentar una queja: ${p.attorneyGeneral.url}`,
      ),
    }),
    restrictionLifted: (p) => ({
      subject: 'Su solicitud de privacidad: la limitación termina',
      text: `La limitación del tratamiento que pidió el ${formatDay(p.since, 'es-US')} termina ahora. Motivo: ${p.reason}`,
    }),
    restricted: (p) => ({
      subject: 'Dejamos de tratar sus datos',
      text:
        p.purposes === 'all'
          ? 'A partir de ahora solo guardamos sus datos; no los usamos hasta que usted nos diga lo contrario. Le avisaremos antes de que esto termine.'
          : `A partir de ahora ya no usamos sus datos para: ${p.purposes.join('; ')}.`,
    }),
    accessReady: (p) => ({
      subject: 'Sus datos están listos para descargar',
      text: join(
        `Respondimos a su solicitud de ${p.type}. Descargue sus datos (JSON, un CSV por tabla y un resumen legible) en un plazo de 7 días:`,
        p.link,
        p.categoriesOnly &&
          'Verificamos su identidad con dos datos, por eso esta respuesta enumera las categorías de datos que guardamos, no los valores.',
      ),
    }),
    deleted: (p) => ({
      subject: 'Eliminamos sus datos',
      text: join(
        p.categories === 'all'
          ? 'Eliminamos los datos que teníamos sobre usted.'
          : `Eliminamos sus datos de estas categorías: ${p.categories.join('; ')}.`,
        p.kept.length > 0
          ? `Conservamos lo siguiente, como lo exige la ley o nuestra política:\n${p.kept.map((k) => `- ${k}`).join('\n')}`
          : 'No conservamos nada.',
        p.categories === 'all' &&
          'Conservamos un hash con clave de su dirección en nuestra lista de exclusión para no volver a escribirle nunca.',
      ),
    }),
    erasedMeanwhile: (p) => ({
      subject: `Respondimos a su solicitud de ${p.type}`,
      text: join(
        p.kind === 'access' || p.kind === 'portability'
          ? `Ya no tenemos ningún dato sobre usted, así que no hay nada que enviarle en respuesta a su solicitud de ${p.type}.`
          : p.kind === 'correction'
            ? 'No queda nada que corregir: ya no tenemos ningún dato sobre usted.'
            : 'No queda nada que limitar: ya no tenemos ningún dato sobre usted, así que no lo usamos para nada.',
        'Los datos que teníamos sobre usted se eliminaron después de que hiciera esta solicitud (por ejemplo, porque también nos pidió eliminarlos).',
      ),
    }),
  },
};

/** The request's messages, in its language (English for a request stored before languages existed). */
export function rightsMail(locale: string | null | undefined): RightsMail {
  return RIGHTS_MAIL[isLocale(locale) ? locale : DEFAULT_LOCALE];
}
