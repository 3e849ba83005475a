// What a refusal says to a shopper, in their language. English pages show the error's own message
// (which names the field or the reason); other locales get a sentence per error code, else per
// status, followed by the stable code so support can still tell refusals apart.
import type { VowError } from '../platform/errors.js';
import { DEFAULT_LOCALE, type Locale } from '../platform/i18n/index.js';

const ES_BY_CODE: Readonly<Record<string, string>> = {
  VOW_BAD_CREDENTIALS: 'El correo electrónico y la contraseña no coinciden',
  VOW_WEAK_PASSWORD: 'La contraseña es demasiado débil o corta: use 12 caracteres como mínimo',
  VOW_LOCKED_OUT: 'Demasiados intentos fallidos: espere unos minutos y vuelva a intentarlo',
  VOW_RATE_LIMITED: 'Demasiados intentos: espere un momento y vuelva a intentarlo',
  VOW_TOKEN_INVALID: 'Este enlace es desconocido, caducó o ya se usó',
  VOW_VALIDATION: 'Falta un dato del formulario o no es válido: revíselo',
  VOW_REQUEST_INVALID: 'A la solicitud le falta un dato que su tipo necesita: revise el formulario',
  VOW_VERIFICATION_FAILED: 'El código no es correcto, caducó o ya se usó',
  VOW_VERIFICATION_LOCKED: 'Demasiados códigos incorrectos: haga una nueva solicitud',
  VOW_REQUEST_STATE: 'La solicitud ya no está en un paso en que esto se pueda hacer',
  VOW_APPEAL_NOT_OFFERED: 'Esta decisión no se puede apelar (o ya se apeló)',
  VOW_CSRF: 'El formulario caducó: vuelva a cargar la página y envíelo de nuevo',
};

function spanish(error: VowError, status: number): string {
  const byCode = ES_BY_CODE[error.code];
  if (byCode) return byCode;
  if (status === 401) return 'Inicie sesión e inténtelo de nuevo';
  if (status === 403) return 'No está permitido';
  if (status === 404) return 'No se encontró: el enlace no es válido o caducó';
  if (status === 409) return 'Esto ya se hizo o ya no es posible';
  if (status === 410) return 'El enlace caducó';
  if (status === 429) return 'Demasiados intentos: espere un momento y vuelva a intentarlo';
  return 'No se pudo completar: revise los datos del formulario';
}

/** The refusal's message as a shopper page shows it in this locale. */
export function refusalText(error: VowError, status: number, locale: Locale = DEFAULT_LOCALE): string {
  if (locale === DEFAULT_LOCALE) return error.message;
  return `${spanish(error, status)} (${error.code})`;
}
