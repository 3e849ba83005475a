// The words of the privacy request pages (form, review, status, appeal, export summary) and of the
// complaint pages, per locale.
import { html, type SafeHtml } from '../../../platform/html.js';
import type { Catalog } from '../../../platform/i18n/index.js';

/** The messages the status page shows after a form on it was sent (its `m` query parameter). */
export const STATUS_MESSAGES = [
  'ok',
  'locked',
  'wait',
  'invalid',
  'resent',
  'soon',
  'daily',
  'mailbox',
  'nocode',
] as const;
export type StatusMessage = (typeof STATUS_MESSAGES)[number];

/**
 * How the status page shows each message: `ok` (done, green), `info` (a neutral notice: a new code
 * not sent yet because of a limit, no mistake of the shopper's, with the wait in words) or `error`
 * (a wrong code and what follows from it, red).
 */
export const STATUS_MESSAGE_KINDS: Readonly<Record<StatusMessage, 'ok' | 'info' | 'error'>> = {
  ok: 'ok',
  resent: 'ok',
  soon: 'info',
  daily: 'info',
  mailbox: 'info',
  locked: 'error',
  wait: 'error',
  invalid: 'error',
  nocode: 'info',
};

export interface RequestWords {
  readonly backToNotice: string;
  readonly anotherRequest: string;
  readonly myData: string;
  readonly formTitle: string;
  formIntro(p: { address: string; email: string }): SafeHtml;
  readonly signedInHint: SafeHtml;
  readonly accountHint: SafeHtml;
  readonly deletionKeeps: string;
  readonly whatToDo: string;
  readonly whereLive: string;
  /** The place list's first entry: nothing is chosen for the shopper (their law decides their rights). */
  readonly chooseWhere: string;
  readonly yourEmail: string;
  readonly yourName: string;
  readonly onlyCorrections: string;
  readonly whatIsWrong: string;
  readonly notCorrection: string;
  readonly correctValue: string;
  readonly anythingElse: string;
  readonly send: string;
  readonly complainHint: SafeHtml;
  readonly reviewTitle: string;
  readonly askUsTo: string;
  readonly emailLabel: string;
  readonly whereYouLive: string;
  readonly toCorrect: string;
  readonly nextCode: string;
  readonly cannotUndo: string;
  readonly whatWeKeep: string;
  readonly deleteExcept: string;
  readonly yesDeletion: string;
  readonly sendRequest: string;
  readonly startAgain: string;
  readonly yourAppeal: string;
  readonly received: string;
  readonly status: string;
  readonly weDecideBy: string;
  readonly appealOpen: string;
  readonly appealGranted: string;
  readonly appealUpheld: string;
  readonly appealTitle: string;
  appealIntro(days: number | undefined): string;
  readonly appealReason: string;
  readonly sendAppeal: string;
  readonly statusTitle: string;
  readonly request: string;
  readonly weAnswerBy: string;
  readonly extended: string;
  readonly confirmYou: string;
  readonly codeSent: string;
  readonly code: string;
  readonly confirm: string;
  readonly answered: string;
  readonly keepPrivate: string;
  /** Under the code form: a new code, to the address given with the request. */
  readonly newCodeHint: string;
  readonly newCode: string;
  readonly messages: Readonly<Record<StatusMessage, string>>;
  exportTitle(controller: string): string;
  exportPrepared(day: string): string;
  readonly downloadJson: string;
  readonly downloadCsv: string;
  completeCopy(href: string): SafeHtml;
  readonly holdWhy: string;
  readonly holdNothing: string;
  readonly information: string;
  readonly pieces: string;
  readonly usedFor: string;
  readonly onlyKept: string;
  readonly categoriesOnly: string;
  readonly theInformation: string;
  readonly noValues: string;
  readonly whoReceived: string;
  readonly ifDelete: string;
  readonly notFoundTitle: string;
  readonly notFoundText: string;
  readonly expiredTitle: string;
  readonly expiredText: string;
  readonly noAppealTitle: string;
  /** Complaints. */
  readonly complaintTitle: string;
  readonly complaintIntro: string;
  readonly complaintEmail: string;
  readonly complaintText: string;
  readonly sendComplaint: string;
  readonly yourComplaint: string;
  readonly complaintStatus: Readonly<Record<string, string>>;
  complaintRegulator(link: SafeHtml): SafeHtml;
  readonly complaintKeepPrivate: string;
  readonly complaintNotFound: string;
  readonly complaintNotFoundText: string;
  /** A form's mistakes, shown next to the field (the form keeps what was typed). */
  readonly mistakes: Readonly<Record<'email' | 'correction' | 'message' | 'notCorrectable', string>>;
}

export const REQUEST_WORDS: Catalog<RequestWords> = {
  'en-US': {
    backToNotice: 'Back to the privacy notice',
    anotherRequest: 'Make another request',
    myData: 'My data',
    formTitle: 'Make a privacy request',
    formIntro: (
      p,
    ) => html`You can ask for a copy of your data, its correction or deletion, or that we stop using it. We
confirm who you are before we disclose, change or delete anything: we email a code to the address
you give. You can also write to ${p.address} or email
<a href="mailto:${p.email}">${p.email}</a>.`,
    signedInHint: html`Signed in? <a href="/account/my-data">My data</a> shows what we hold and takes corrections and deletions without a code.`,
    accountHint: html`Have an account? <a href="/login">Log in</a> to see your data at once.`,
    deletionKeeps: 'What a deletion keeps, and why',
    whatToDo: 'What would you like us to do?',
    whereLive: 'Where do you live?',
    chooseWhere: 'Choose where you live',
    yourEmail: 'Your email address',
    yourName: 'Your name (optional)',
    onlyCorrections: 'Only for corrections',
    whatIsWrong: 'What is wrong?',
    notCorrection: '(not a correction)',
    correctValue: 'The correct value',
    anythingElse: 'Anything else we should know (optional)',
    send: 'Send request',
    complainHint: html`Something went wrong with your data? <a href="/privacy/complaint">Make a complaint</a>.`,
    reviewTitle: 'Check your request',
    askUsTo: 'You ask us to',
    emailLabel: 'Your email',
    whereYouLive: 'Where you live',
    toCorrect: 'To correct',
    nextCode:
      'Next, we email a code to this address to confirm it is you; nothing happens before you type it.',
    cannotUndo: 'Once confirmed, a deletion cannot be undone.',
    whatWeKeep: 'What we keep, and why',
    deleteExcept: 'We delete your information from every system that holds it, except:',
    yesDeletion: 'Yes, send my deletion request',
    sendRequest: 'Send the request',
    startAgain: 'No, start again',
    yourAppeal: 'Your appeal',
    received: 'Received',
    status: 'Status',
    weDecideBy: 'We decide by',
    appealOpen: 'Being reviewed by someone who did not make the first decision',
    appealGranted: 'Granted: we are answering your request',
    appealUpheld: 'Refusal confirmed',
    appealTitle: 'Appeal this decision',
    appealIntro: (days) =>
      `Someone who did not make the first decision will review it${days ? ` and answer within ${days} days` : ''}.`,
    appealReason: 'Why we should reconsider (optional)',
    sendAppeal: 'Send the appeal',
    statusTitle: 'Your privacy request',
    request: 'Request',
    weAnswerBy: 'We answer by',
    extended: ' (extended)',
    confirmYou: 'Confirm it is you',
    codeSent: 'We emailed a 6-digit code to the address you gave. It works for 15 minutes.',
    code: 'The 6-digit code from our email',
    confirm: 'Confirm',
    newCodeHint:
      'No code arrived, or it ran out, or too many wrong codes were typed? We can email a new one to the address you gave with this request.',
    newCode: 'Email me a new code',
    answered: 'We emailed you our answer.',
    keepPrivate: "Keep this page's address private: it is the key to your request.",
    messages: {
      ok: 'Thank you: we confirmed it is you. We are answering your request.',
      locked:
        'Too many wrong codes: this code no longer works. Ask for a new code below; we email it to the address you gave. If you typed the wrong codes yourself, wait 15 minutes first.',
      wait: 'Too many wrong codes were typed for this email address. Try again in an hour.',
      invalid:
        'That code is not valid. Check the latest email from us and type its 6 digits again. A code works for 15 minutes: if yours has run out, ask for a new one below.',
      resent:
        'We emailed a new code to the address you gave with this request. Type it below within 15 minutes; the code we sent before no longer works.',
      soon: 'We sent a code less than a minute ago. Check your inbox and your spam folder; if nothing arrived, ask again in a minute.',
      daily:
        'We sent 5 codes for this request in the last 24 hours, the most we send in a day. Type the latest one, or ask for a new code tomorrow.',
      mailbox:
        'We sent too many emails to this address in the last hour. Ask for a new code again in an hour.',
      nocode:
        'This request has no email address we can send a code to. Make a new request with your email address, or write to us at the address in our privacy notice.',
    },
    exportTitle: (c) => `Your data held by ${c}`,
    exportPrepared: (d) => `Prepared ${d} in answer to your request. This link works for 7 days.`,
    downloadJson: 'Download (JSON)',
    downloadCsv: 'Download (CSV, for spreadsheets)',
    completeCopy: (href) =>
      html`Moving your data to another service? The <a href="${href}" download="my-data-complete.json">complete machine-readable copy</a> keeps every value exactly as stored.`,
    holdWhy: 'What we hold and why',
    holdNothing: 'We hold nothing about you.',
    information: 'Information',
    pieces: 'Pieces',
    usedFor: 'Used for',
    onlyKept: 'Only kept, not used',
    categoriesOnly:
      'We confirmed your identity with two details, so we list the categories of data we hold, not the values.',
    theInformation: 'The information itself',
    noValues: 'No values to show.',
    whoReceived: 'Who received it',
    ifDelete: 'If you ask us to delete it',
    notFoundTitle: 'Request not found',
    notFoundText:
      'This link does not match a request. If it came in an email, open the whole link (some mail programs cut long links short).',
    expiredTitle: 'Link expired',
    expiredText: 'This download link has expired or does not exist. Make a new request.',
    noAppealTitle: 'No appeal possible',
    complaintTitle: 'Make a privacy complaint',
    complaintIntro: `Tell us what went wrong. We answer by email, and tell you which authority you can turn to if
our answer does not satisfy you.`,
    complaintEmail: 'Your email address (for our answer)',
    complaintText: 'Your complaint',
    sendComplaint: 'Send complaint',
    yourComplaint: 'Your privacy complaint',
    complaintStatus: {
      open: 'Received: we are looking into it',
      answered: 'Answered: we emailed you our answer',
      closed: 'Closed',
    },
    complaintRegulator: (link) => html`If our answer does not satisfy you, you may complain to ${link}.`,
    complaintKeepPrivate: "Keep this page's address private: it is the key to your complaint.",
    complaintNotFound: 'Complaint not found',
    complaintNotFoundText:
      'This link does not match a complaint. If it came in an email, open the whole link.',
    mistakes: {
      email: 'Enter your whole email address, like name@example.com.',
      correction: 'For a correction, choose what is wrong and type the correct value.',
      message: 'Tell us what went wrong: your complaint is empty.',
      notCorrectable:
        'This kind of information cannot be corrected (it records what happened): choose one from the list.',
    },
  },
  'es-US': {
    backToNotice: 'Volver al aviso de privacidad',
    anotherRequest: 'Hacer otra solicitud',
    myData: 'Mis datos',
    formTitle: 'Hacer una solicitud de privacidad',
    formIntro: (
      p,
    ) => html`Puede pedir una copia de sus datos, su corrección o eliminación, o que dejemos de usarlos.
Confirmamos quién es usted antes de revelar, cambiar o eliminar nada: enviamos un código a la dirección
que nos indique. También puede escribir a ${p.address} o a
<a href="mailto:${p.email}">${p.email}</a>.`,
    signedInHint: html`¿Tiene la sesión iniciada? <a href="/account/my-data">Mis datos</a> muestra lo que tenemos y acepta correcciones y eliminaciones sin código.`,
    accountHint: html`¿Tiene una cuenta? <a href="/login">Inicie sesión</a> para ver sus datos al instante.`,
    deletionKeeps: 'Lo que conserva una eliminación, y por qué',
    whatToDo: '¿Qué desea que hagamos?',
    whereLive: '¿Dónde vive?',
    chooseWhere: 'Elija dónde vive',
    yourEmail: 'Su correo electrónico',
    yourName: 'Su nombre (opcional)',
    onlyCorrections: 'Solo para correcciones',
    whatIsWrong: '¿Qué está mal?',
    notCorrection: '(no es una corrección)',
    correctValue: 'El valor correcto',
    anythingElse: 'Algo más que debamos saber (opcional)',
    send: 'Enviar solicitud',
    complainHint: html`¿Algo salió mal con sus datos? <a href="/privacy/complaint">Presente una queja</a>.`,
    reviewTitle: 'Revise su solicitud',
    askUsTo: 'Nos pide',
    emailLabel: 'Su correo electrónico',
    whereYouLive: 'Dónde vive',
    toCorrect: 'Qué corregir',
    nextCode:
      'A continuación enviamos un código a esta dirección para confirmar que es usted; no ocurre nada antes de que lo escriba.',
    cannotUndo: 'Una vez confirmada, una eliminación no se puede deshacer.',
    whatWeKeep: 'Lo que conservamos y por qué',
    deleteExcept: 'Eliminamos su información de todos los sistemas que la guardan, salvo:',
    yesDeletion: 'Sí, enviar mi solicitud de eliminación',
    sendRequest: 'Enviar la solicitud',
    startAgain: 'No, empezar de nuevo',
    yourAppeal: 'Su apelación',
    received: 'Recibida',
    status: 'Estado',
    weDecideBy: 'Decidimos a más tardar el',
    appealOpen: 'En revisión por alguien que no tomó la primera decisión',
    appealGranted: 'Aceptada: estamos respondiendo a su solicitud',
    appealUpheld: 'Rechazo confirmado',
    appealTitle: 'Apelar esta decisión',
    appealIntro: (days) =>
      `Alguien que no tomó la primera decisión la revisará${days ? ` y responderá en un plazo de ${days} días` : ''}.`,
    appealReason: 'Por qué deberíamos reconsiderarla (opcional)',
    sendAppeal: 'Enviar la apelación',
    statusTitle: 'Su solicitud de privacidad',
    request: 'Solicitud',
    weAnswerBy: 'Respondemos a más tardar el',
    extended: ' (plazo ampliado)',
    confirmYou: 'Confirme que es usted',
    codeSent: 'Enviamos un código de 6 dígitos a la dirección que indicó. Es válido durante 15 minutos.',
    code: 'El código de 6 dígitos de nuestro correo',
    confirm: 'Confirmar',
    newCodeHint:
      '¿No le llegó el código, caducó o se escribieron demasiados códigos incorrectos? Podemos enviar uno nuevo a la dirección que indicó en esta solicitud.',
    newCode: 'Enviarme un nuevo código',
    answered: 'Le enviamos nuestra respuesta por correo.',
    keepPrivate: 'Mantenga privada la dirección de esta página: es la llave de su solicitud.',
    messages: {
      ok: 'Gracias: confirmamos que es usted. Estamos respondiendo a su solicitud.',
      locked:
        'Demasiados códigos incorrectos: este código ya no es válido. Pida un nuevo código abajo; lo enviamos a la dirección que indicó. Si escribió usted los códigos incorrectos, espere antes 15 minutos.',
      wait: 'Se escribieron demasiados códigos incorrectos para este correo. Vuelva a intentarlo en una hora.',
      invalid:
        'Ese código no es válido. Revise nuestro último correo y vuelva a escribir sus 6 dígitos. Un código es válido durante 15 minutos: si el suyo caducó, pida uno nuevo abajo.',
      resent:
        'Enviamos un nuevo código a la dirección que indicó en esta solicitud. Escríbalo abajo en un plazo de 15 minutos; el código que le enviamos antes ya no es válido.',
      soon: 'Le enviamos un código hace menos de un minuto. Revise su bandeja de entrada y la carpeta de correo no deseado; si no le llegó nada, vuelva a pedirlo en un minuto.',
      daily:
        'Enviamos 5 códigos para esta solicitud en las últimas 24 horas, el máximo que enviamos en un día. Escriba el último, o pida un nuevo código mañana.',
      mailbox:
        'Enviamos demasiados correos a esta dirección en la última hora. Vuelva a pedir un nuevo código en una hora.',
      nocode:
        'Esta solicitud no tiene un correo electrónico al que enviar un código. Haga una nueva solicitud con su correo electrónico, o escríbanos a la dirección de nuestro aviso de privacidad.',
    },
    exportTitle: (c) => `Sus datos en poder de ${c}`,
    exportPrepared: (d) =>
      `Preparado el ${d} en respuesta a su solicitud. Este enlace es válido durante 7 días.`,
    downloadJson: 'Descargar (JSON)',
    downloadCsv: 'Descargar (CSV, para hojas de cálculo)',
    completeCopy: (href) =>
      html`¿Va a llevar sus datos a otro servicio? La <a href="${href}" download="my-data-complete.json">copia completa legible por máquina</a> conserva cada valor exactamente como está guardado.`,
    holdWhy: 'Lo que tenemos y por qué',
    holdNothing: 'No tenemos nada sobre usted.',
    information: 'Información',
    pieces: 'Datos',
    usedFor: 'Se usa para',
    onlyKept: 'Solo se conserva, no se usa',
    categoriesOnly:
      'Confirmamos su identidad con dos datos, así que indicamos las categorías de datos que tenemos, no los valores.',
    theInformation: 'La información en sí',
    noValues: 'No hay valores que mostrar.',
    whoReceived: 'Quién la recibió',
    ifDelete: 'Si nos pide eliminarla',
    notFoundTitle: 'Solicitud no encontrada',
    notFoundText:
      'Este enlace no corresponde a ninguna solicitud. Si le llegó por correo, abra el enlace completo (algunos programas de correo cortan los enlaces largos).',
    expiredTitle: 'Enlace caducado',
    expiredText: 'Este enlace de descarga caducó o no existe. Haga una nueva solicitud.',
    noAppealTitle: 'No es posible apelar',
    complaintTitle: 'Presentar una queja de privacidad',
    complaintIntro: `Cuéntenos qué salió mal. Respondemos por correo electrónico y le indicamos a qué autoridad
puede acudir si nuestra respuesta no le satisface.`,
    complaintEmail: 'Su correo electrónico (para nuestra respuesta)',
    complaintText: 'Su queja',
    sendComplaint: 'Enviar la queja',
    yourComplaint: 'Su queja de privacidad',
    complaintStatus: {
      open: 'Recibida: la estamos estudiando',
      answered: 'Respondida: le enviamos nuestra respuesta por correo',
      closed: 'Cerrada',
    },
    complaintRegulator: (link) =>
      html`Si nuestra respuesta no le satisface, puede presentar una queja ante ${link}.`,
    complaintKeepPrivate: 'Mantenga privada la dirección de esta página: es la llave de su queja.',
    complaintNotFound: 'Queja no encontrada',
    complaintNotFoundText:
      'Este enlace no corresponde a ninguna queja. Si le llegó por correo, abra el enlace completo.',
    mistakes: {
      email: 'Escriba su correo electrónico completo, por ejemplo nombre@ejemplo.com.',
      correction: 'Para una corrección, elija qué está mal y escriba el valor correcto.',
      message: 'Cuéntenos qué salió mal: su queja está vacía.',
      notCorrectable:
        'Este tipo de información no se puede corregir (registra lo que sucedió): elija uno de la lista.',
    },
  },
};
