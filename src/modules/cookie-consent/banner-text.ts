// The banner's own words per locale (the consent script shows them as sent in its config; `{0}`
// stands for what the script fills in). Category titles and descriptions are the policy's, in the
// visitor's language through cookieCategoryText.
import type { Catalog } from '../../platform/i18n/index.js';

export interface BannerText {
  readonly title: string;
  readonly close: string;
  readonly intro: string;
  readonly notice: string;
  readonly accept: string;
  readonly reject: string;
  readonly choose: string;
  readonly save: string;
  readonly problem: string;
  readonly settings: string;
  readonly alwaysOnNote: string;
  readonly gpcLockedNote: string;
  readonly includingGa: string;
  readonly cookiesAndTools: string;
  readonly cookieLine: string;
  readonly gpcApplied: string;
  readonly gpcStaysOff: string;
  readonly alwaysOn: string;
  readonly offGpc: string;
  readonly on: string;
  readonly off: string;
  readonly doNotSell: string;
  readonly doNotSellTurnsOff: string;
  readonly doNotSellGpc: string;
  readonly saved: string;
  readonly gaOptOut: string;
  readonly gaOff: string;
  /** Shown in place of the choices while they load (only when that takes a moment). */
  readonly loading: string;
  /** Shown when the choices could not be loaded, above a button to try again. */
  readonly loadFailed: string;
  readonly retry: string;
}

/**
 * The words of the banner's first layer (title, text, the three choices, close, the GPC line, the
 * "Cookie settings" button, loading and failure): the only ones the first banner's config carries.
 * The rest come with the choices, on demand.
 */
export const FIRST_LAYER_WORDS = [
  'title',
  'close',
  'intro',
  'notice',
  'accept',
  'reject',
  'choose',
  'problem',
  'settings',
  'gpcApplied',
  'gpcStaysOff',
  'loading',
  'loadFailed',
  'retry',
] as const satisfies readonly (keyof BannerText)[];

export const BANNER_TEXT: Catalog<BannerText> = {
  'en-US': {
    title: 'Cookies at {0}',
    close: 'Close: only strictly necessary cookies',
    intro:
      'We use cookies to measure visits, test page layouts and deliver our ads, only if you agree. A cookie remembering your choice holds a random id, nothing that identifies you. ',
    notice: 'Our privacy notice',
    accept: 'Accept all',
    reject: 'Reject all',
    choose: 'Choose',
    save: 'Save my choices',
    problem: 'Your choice could not be saved. Please try again.',
    settings: 'Cookie settings',
    alwaysOnNote: ' (always on)',
    gpcLockedNote: ' (off: your browser sends Global Privacy Control)',
    includingGa: 'Including Google Analytics',
    cookiesAndTools: 'Cookies and tools ({0})',
    cookieLine: ': {0}. Lasts: {1}. Provider: {2}.',
    gpcApplied:
      'Your browser sends Global Privacy Control, and we applied it: we do not sell or share your information',
    gpcStaysOff: ', so {0} stays off even if you accept all.',
    alwaysOn: 'Always on',
    offGpc: 'Off (Global Privacy Control)',
    on: 'On',
    off: 'Off',
    doNotSell: 'Do not sell or share my personal information',
    doNotSellTurnsOff: 'Turns off {0}: what would sell or share your information, or use it for ads.',
    doNotSellGpc: ' Your browser’s Global Privacy Control already says so.',
    saved: 'Saved. Your choices apply now.',
    gaOptOut: 'Opt out of Google Analytics',
    gaOff: 'Turn Google Analytics on',
    loading: 'Loading the choices…',
    loadFailed: 'The choices could not be loaded.',
    retry: 'Try again',
  },
  'es-US': {
    title: 'Cookies en {0}',
    close: 'Cerrar: solo las cookies estrictamente necesarias',
    intro:
      'Usamos cookies para medir las visitas, probar diseños de página y mostrar nuestros anuncios, solo si usted está de acuerdo. La cookie que recuerda su elección guarda un identificador aleatorio, nada que lo identifique. ',
    notice: 'Nuestro aviso de privacidad',
    accept: 'Aceptar todo',
    reject: 'Rechazar todo',
    choose: 'Elegir',
    save: 'Guardar mis opciones',
    problem: 'No se pudo guardar su elección. Vuelva a intentarlo.',
    settings: 'Configuración de cookies',
    alwaysOnNote: ' (siempre activas)',
    gpcLockedNote: ' (desactivadas: su navegador envía Global Privacy Control)',
    includingGa: 'Incluido Google Analytics',
    cookiesAndTools: 'Cookies y herramientas ({0})',
    cookieLine: ': {0}. Duración: {1}. Proveedor: {2}.',
    gpcApplied:
      'Su navegador envía Global Privacy Control y lo aplicamos: no vendemos ni compartimos su información',
    gpcStaysOff: ', así que {0} sigue desactivado aunque acepte todo.',
    alwaysOn: 'Siempre activas',
    offGpc: 'Desactivadas (Global Privacy Control)',
    on: 'Activadas',
    off: 'Desactivadas',
    doNotSell: 'No vender ni compartir mi información personal',
    doNotSellTurnsOff:
      'Desactiva {0}: lo que vendería o compartiría su información, o la usaría para anuncios.',
    doNotSellGpc: ' La señal Global Privacy Control de su navegador ya lo indica.',
    saved: 'Guardado. Sus opciones se aplican ya.',
    gaOptOut: 'Excluirme de Google Analytics',
    gaOff: 'Activar Google Analytics',
    loading: 'Cargando las opciones…',
    loadFailed: 'No se pudieron cargar las opciones.',
    retry: 'Reintentar',
  },
};
