// The words of a form's mistakes, per locale: what is wrong with a value, said at its field and in
// the list at the top of the form sent back.
import type { Catalog } from '../../../platform/i18n/index.js';
import type { FieldIssue, IssueKind } from '../../form-issues.js';

export interface FormIssueWords {
  /** The heading of the list of mistakes at the top of a form sent back. */
  readonly summary: string;
  issue(kind: IssueKind, limit: number | string | undefined): string;
}

export const FORM_ISSUE_WORDS: Catalog<FormIssueWords> = {
  'en-US': {
    summary: 'Your form was not sent. Please check:',
    issue: (kind, limit) => {
      switch (kind) {
        case 'too_long':
          return `Too long: use at most ${limit} characters.`;
        case 'too_short':
          return `Too short: use at least ${limit} characters.`;
        case 'empty':
          return 'This is empty: please fill it in.';
        case 'choice':
          return 'Choose one of the options offered.';
        case 'email':
          return 'Enter your whole email address, like name@example.com.';
        case 'phone':
          return 'Enter a phone number we can text, like 414 555 0100 or +44 20 7946 0958.';
        case 'date':
          return 'Enter a date as year-month-day, like 2026-02-14.';
        case 'too_late':
          return limit ? `Enter a date no later than ${limit}.` : 'This date is too far ahead.';
        case 'too_early':
          return limit ? `Enter a date no earlier than ${limit}.` : 'This date is too long ago.';
        case 'not_allowed':
          return 'This cannot be chosen here: choose another.';
        case 'characters':
          return 'Remove the special characters (such as control characters) from this text.';
        case 'invalid':
          return 'This is not accepted: please check it.';
      }
    },
  },
  'es-US': {
    summary: 'Su formulario no se envió. Revise:',
    issue: (kind, limit) => {
      switch (kind) {
        case 'too_long':
          return `Demasiado largo: use ${limit} caracteres como máximo.`;
        case 'too_short':
          return `Demasiado corto: use ${limit} caracteres como mínimo.`;
        case 'empty':
          return 'Está vacío: complételo.';
        case 'choice':
          return 'Elija una de las opciones ofrecidas.';
        case 'email':
          return 'Escriba su correo electrónico completo, por ejemplo nombre@ejemplo.com.';
        case 'phone':
          return 'Escriba un número de teléfono que pueda recibir mensajes, por ejemplo 414 555 0100 o +44 20 7946 0958.';
        case 'date':
          return 'Escriba una fecha como año-mes-día, por ejemplo 2026-02-14.';
        case 'too_late':
          return limit
            ? `Escriba una fecha no posterior al ${limit}.`
            : 'Esta fecha está demasiado adelante.';
        case 'too_early':
          return limit ? `Escriba una fecha no anterior al ${limit}.` : 'Esta fecha es demasiado antigua.';
        case 'not_allowed':
          return 'Esto no se puede elegir aquí: elija otra opción.';
        case 'characters':
          return 'Quite los caracteres especiales (como los caracteres de control) de este texto.';
        case 'invalid':
          return 'Esto no se acepta: revíselo.';
      }
    },
  },
};

/** One mistake in the page's words. */
export function issueText(issue: FieldIssue, words: FormIssueWords): string {
  return words.issue(issue.kind, issue.limit);
}
