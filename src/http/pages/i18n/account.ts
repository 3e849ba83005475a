// The account pages' words (log in, register, confirm, reset, My data) and the account emails, per
// locale. A missing translation is a type error (Catalog).
import { html, type SafeHtml } from '../../../platform/html.js';
import type { Catalog } from '../../../platform/i18n/index.js';

export interface AccountWords {
  readonly logIn: string;
  readonly logInTitle: string;
  readonly email: string;
  /** The browser's hint when an address lacks a part (shown with its own "match the format"). */
  readonly emailHint: string;
  readonly password: string;
  readonly createAccount: string;
  readonly forgot: string;
  readonly registerIntro: string;
  readonly passwordMin: string;
  readonly createButton: string;
  readonly confirmTitle: string;
  readonly confirmIntro: string;
  readonly confirmButton: string;
  readonly notYou: SafeHtml;
  readonly myData: string;
  readonly notice: string;
  readonly resetTitle: string;
  readonly emailMeLink: string;
  readonly newPasswordTitle: string;
  readonly newPassword: string;
  readonly setPassword: string;
  readonly sent: Readonly<Record<'deletion' | 'correction', string>>;
  sentLine(sent: string, due: string | undefined): string;
  readonly erased: string;
  signedInAs(email: SafeHtml, verified: boolean): SafeHtml;
  readonly downloadJson: string;
  readonly downloadCsv: string;
  readonly whatWeHold: string;
  readonly nothingButAccount: string;
  readonly correctOrDelete: string;
  readonly chooseIntro: string;
  readonly askUsTo: string;
  readonly correctSomething: string;
  readonly deleteMyData: string;
  readonly onlyCorrection: string;
  readonly whatToCorrect: string;
  readonly choose: string;
  readonly rightValue: string;
  readonly anythingElse: string;
  readonly whereYouLive: string;
  /** The first choice of "Where you live": short enough to read whole in a phone's select. */
  readonly asOnFile: string;
  /** Under the select: what that choice means without an address on file. */
  readonly asOnFileHint: string;
  readonly continue: string;
  readonly moreChoices: string;
  readonly otherRequests: string;
  readonly complaint: string;
  readonly logOut: string;
  readonly deleteQ: string;
  readonly correctionQ: string;
  readonly deleteIntro: SafeHtml;
  readonly whatWeDelete: string;
  readonly nothingBesides: string;
  readonly whatWeKeep: string;
  /** Before the list of what a deletion leaves in place. */
  readonly ofWhatWeHold: string;
  correctionIntro(category: SafeHtml | string, value: SafeHtml | string): SafeHtml;
  readonly theInformation: string;
  readonly yesDelete: string;
  readonly sendCorrection: string;
  readonly goBack: string;
  readonly confirmFirst: string;
  /** A correction sent without what to correct or its value (the form comes back filled in). */
  readonly correctionNeeds: string;
  /** A correction naming what the policy says cannot be corrected (consent history, a cookie id). */
  readonly notCorrectable: string;
  /** Message pages after an account step: title and text. */
  readonly messages: Readonly<
    Record<
      | 'checkEmailConfirm'
      | 'checkEmailReset'
      | 'linkUnknown'
      | 'linkInvalid'
      | 'emailConfirmed'
      | 'passwordChanged'
      | 'linkNotValid',
      { title: string; text: string }
    >
  >;
  /** The account emails. */
  mailExists(resetLink: string): { subject: string; text: string };
  mailVerify(link: string): { subject: string; text: string };
  mailReset(link: string): { subject: string; text: string };
}

export const ACCOUNT_WORDS: Catalog<AccountWords> = {
  'en-US': {
    logIn: 'Log in',
    logInTitle: 'Log in to your account',
    email: 'Email',
    emailHint: 'Your whole email address, like name@example.com',
    password: 'Password',
    createAccount: 'Create an account',
    forgot: 'Forgot your password?',
    registerIntro: `We send a link to your email address to confirm it is yours. Once confirmed, your account shows
every piece of information we hold about you.`,
    passwordMin: 'Password (at least 12 characters)',
    createButton: 'Create account',
    confirmTitle: 'Confirm your email address',
    confirmIntro: 'To confirm this address, enter the password you chose when you created the account.',
    confirmButton: 'Confirm',
    notYou: html`You did not create an account? Then someone else used your address: do not confirm.
To take the account over, <a href="/account/reset-request">set your own password</a> with a link we
email you; that ends every session on it.`,
    myData: 'My data',
    notice: 'Privacy notice',
    resetTitle: 'Reset your password',
    emailMeLink: 'Email me a link',
    newPasswordTitle: 'Choose a new password',
    newPassword: 'New password (at least 12 characters)',
    setPassword: 'Set password',
    sent: {
      deletion: 'Your deletion request was received',
      correction: 'Your correction request was received',
    },
    sentLine: (sent, due) => `${sent}. ${due ? `We answer by ${due}; ` : ''}we email you when it is done.`,
    erased:
      'Your data was deleted at your request. Your account remains only for what we must keep (listed below); you can log out.',
    signedInAs: (email, verified) =>
      html`Signed in as <strong>${email}</strong>${verified ? '' : ' (not yet confirmed: open the link we emailed you)'}.`,
    downloadJson: 'Download (JSON)',
    downloadCsv: 'Download (CSV, for spreadsheets)',
    whatWeHold: 'What we hold about you',
    nothingButAccount: 'We hold nothing about you besides your account.',
    correctOrDelete: 'Correct or delete it',
    chooseIntro:
      'Choose what you would like; you will see exactly what happens, and what we keep, before anything is sent.',
    askUsTo: 'Ask us to',
    correctSomething: 'Correct something',
    deleteMyData: 'Delete my data',
    onlyCorrection: 'Only for a correction',
    whatToCorrect: 'What to correct',
    choose: '(choose)',
    rightValue: 'The right value',
    anythingElse: 'Anything else we should know (optional)',
    whereYouLive: 'Where you live',
    asOnFile: 'Where my address on file is',
    asOnFileHint: 'Without an address on file, we count it as “Elsewhere”.',
    continue: 'Continue',
    moreChoices: 'More choices',
    otherRequests: 'Other requests (a copy, stop using my data)',
    complaint: 'Make a complaint',
    logOut: 'Log out',
    deleteQ: 'Delete my data?',
    correctionQ: 'Send this correction?',
    deleteIntro: html`We will delete your information from every system that holds it, except what we must keep.
<strong>This cannot be undone</strong>: deleted information cannot be brought back, and you may stop receiving
messages you asked for.`,
    whatWeDelete: 'What we delete',
    nothingBesides: 'Nothing besides what we keep below.',
    whatWeKeep: 'What we keep, and why',
    ofWhatWeHold: 'Of what we hold about you, we keep:',
    correctionIntro: (category, value) =>
      html`We will check your request and correct <strong>${category}</strong>${value ? html` to <strong>${value}</strong>` : ''}. We email you when it is done.`,
    theInformation: 'the information you named',
    yesDelete: 'Yes, delete my data',
    sendCorrection: 'Send the correction',
    goBack: 'No, go back to My data',
    correctionNeeds: 'For a correction, choose what to correct and type the right value.',
    notCorrectable:
      'This kind of information cannot be corrected (it records what happened): choose one from the list.',
    confirmFirst:
      'Confirm your email address first (open the link we emailed you): we hold nothing else under it yet.',
    messages: {
      checkEmailConfirm: { title: 'Check your email', text: 'We sent you a link to confirm your address.' },
      checkEmailReset: {
        title: 'Check your email',
        text: 'If an account uses this address, we sent it a link.',
      },
      linkUnknown: { title: 'Link not valid', text: 'This link is unknown, expired or already used.' },
      linkInvalid: { title: 'Link not valid', text: 'This link is not valid; ask for a new one.' },
      linkNotValid: { title: 'Link not valid', text: 'This link is unknown, expired or already used.' },
      emailConfirmed: {
        title: 'Email confirmed',
        text: 'Your email address is confirmed. Log in to see your data.',
      },
      passwordChanged: { title: 'Password changed', text: 'Log in with your new password.' },
    },
    mailExists: (reset) => ({
      subject: 'You already have an account',
      text: `Someone (perhaps you) tried to create an account with this address, which already has one.\nForgot your password? ${reset}\n`,
    }),
    mailVerify: (link) => ({
      subject: 'Confirm your email address',
      text: `Open this link to confirm your email address (valid for 7 days); you will be asked for the password you chose:\n${link}\nIf you did not create an account, do not confirm: someone else used your address.\n`,
    }),
    mailReset: (link) => ({
      subject: 'Reset your password',
      text: `Open this link within an hour to choose a new password:\n${link}\nIf you did not ask for this, ignore this email.\n`,
    }),
  },
  'es-US': {
    logIn: 'Iniciar sesión',
    logInTitle: 'Inicie sesión en su cuenta',
    email: 'Correo electrónico',
    emailHint: 'Su correo electrónico completo, por ejemplo nombre@ejemplo.com',
    password: 'Contraseña',
    createAccount: 'Crear una cuenta',
    forgot: '¿Olvidó su contraseña?',
    registerIntro: `Enviamos un enlace a su correo electrónico para confirmar que es suyo. Una vez confirmado, su
cuenta muestra toda la información que tenemos sobre usted.`,
    passwordMin: 'Contraseña (12 caracteres como mínimo)',
    createButton: 'Crear cuenta',
    confirmTitle: 'Confirme su correo electrónico',
    confirmIntro: 'Para confirmar esta dirección, escriba la contraseña que eligió al crear la cuenta.',
    confirmButton: 'Confirmar',
    notYou: html`¿No creó una cuenta? Entonces otra persona usó su dirección: no la confirme. Para
quedarse con la cuenta, <a href="/account/reset-request">elija su propia contraseña</a> con un enlace
que le enviamos por correo; eso cierra todas las sesiones abiertas en ella.`,
    myData: 'Mis datos',
    notice: 'Aviso de privacidad',
    resetTitle: 'Restablezca su contraseña',
    emailMeLink: 'Envíenme un enlace',
    newPasswordTitle: 'Elija una contraseña nueva',
    newPassword: 'Contraseña nueva (12 caracteres como mínimo)',
    setPassword: 'Guardar la contraseña',
    sent: {
      deletion: 'Recibimos su solicitud de eliminación',
      correction: 'Recibimos su solicitud de corrección',
    },
    sentLine: (sent, due) =>
      `${sent}. ${due ? `Respondemos a más tardar el ${due}; ` : ''}le escribiremos cuando esté hecho.`,
    erased:
      'Sus datos se eliminaron a petición suya. Su cuenta solo se conserva para lo que debemos guardar (abajo); puede cerrar la sesión.',
    signedInAs: (email, verified) =>
      html`Sesión iniciada como <strong>${email}</strong>${verified ? '' : ' (aún sin confirmar: abra el enlace que le enviamos)'}.`,
    downloadJson: 'Descargar (JSON)',
    downloadCsv: 'Descargar (CSV, para hojas de cálculo)',
    whatWeHold: 'Lo que tenemos sobre usted',
    nothingButAccount: 'No tenemos nada sobre usted aparte de su cuenta.',
    correctOrDelete: 'Corríjalos o elimínelos',
    chooseIntro:
      'Elija lo que desea; verá exactamente qué ocurre, y qué conservamos, antes de que se envíe nada.',
    askUsTo: 'Pídanos',
    correctSomething: 'Corregir algo',
    deleteMyData: 'Eliminar mis datos',
    onlyCorrection: 'Solo para una corrección',
    whatToCorrect: 'Qué corregir',
    choose: '(elija)',
    rightValue: 'El valor correcto',
    anythingElse: 'Algo más que debamos saber (opcional)',
    whereYouLive: 'Dónde vive',
    asOnFile: 'Donde está mi dirección registrada',
    asOnFileHint: 'Si no tenemos su dirección, contamos «Otro lugar».',
    continue: 'Continuar',
    moreChoices: 'Más opciones',
    otherRequests: 'Otras solicitudes (una copia, dejar de usar mis datos)',
    complaint: 'Presentar una queja',
    logOut: 'Cerrar sesión',
    deleteQ: '¿Eliminar mis datos?',
    correctionQ: '¿Enviar esta corrección?',
    deleteIntro: html`Eliminaremos su información de todos los sistemas que la guardan, salvo lo que debemos conservar.
<strong>No se puede deshacer</strong>: la información eliminada no se puede recuperar, y puede dejar de recibir
mensajes que pidió.`,
    whatWeDelete: 'Lo que eliminamos',
    nothingBesides: 'Nada aparte de lo que conservamos abajo.',
    whatWeKeep: 'Lo que conservamos y por qué',
    ofWhatWeHold: 'De lo que tenemos sobre usted, conservamos:',
    correctionIntro: (category, value) =>
      html`Revisaremos su solicitud y corregiremos <strong>${category}</strong>${value ? html` a <strong>${value}</strong>` : ''}. Le escribiremos cuando esté hecho.`,
    theInformation: 'la información que indicó',
    yesDelete: 'Sí, eliminar mis datos',
    sendCorrection: 'Enviar la corrección',
    goBack: 'No, volver a Mis datos',
    correctionNeeds: 'Para una corrección, elija qué corregir y escriba el valor correcto.',
    notCorrectable:
      'Este tipo de información no se puede corregir (registra lo que sucedió): elija uno de la lista.',
    confirmFirst:
      'Primero confirme su correo electrónico (abra el enlace que le enviamos): aún no tenemos nada más con esa dirección.',
    messages: {
      checkEmailConfirm: {
        title: 'Revise su correo',
        text: 'Le enviamos un enlace para confirmar su dirección.',
      },
      checkEmailReset: {
        title: 'Revise su correo',
        text: 'Si alguna cuenta usa esta dirección, le enviamos un enlace.',
      },
      linkUnknown: { title: 'Enlace no válido', text: 'Este enlace es desconocido, caducó o ya se usó.' },
      linkInvalid: { title: 'Enlace no válido', text: 'Este enlace no es válido; pida uno nuevo.' },
      linkNotValid: { title: 'Enlace no válido', text: 'Este enlace es desconocido, caducó o ya se usó.' },
      emailConfirmed: {
        title: 'Correo confirmado',
        text: 'Su correo electrónico está confirmado. Inicie sesión para ver sus datos.',
      },
      passwordChanged: { title: 'Contraseña cambiada', text: 'Inicie sesión con su contraseña nueva.' },
    },
    mailExists: (reset) => ({
      subject: 'Ya tiene una cuenta',
      text: `Alguien (quizás usted) intentó crear una cuenta con esta dirección, que ya tiene una.\n¿Olvidó su contraseña? ${reset}\n`,
    }),
    mailVerify: (link) => ({
      subject: 'Confirme su correo electrónico',
      text: `Abra este enlace para confirmar su correo electrónico (válido 7 días); se le pedirá la contraseña que eligió:\n${link}\nSi no creó una cuenta, no la confirme: otra persona usó su dirección.\n`,
    }),
    mailReset: (link) => ({
      subject: 'Restablezca su contraseña',
      text: `Abra este enlace antes de una hora para elegir una contraseña nueva:\n${link}\nSi no lo pidió, ignore este correo.\n`,
    }),
  },
};
