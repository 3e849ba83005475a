// The demo storefront's words in each language of the shopper pages: a shop's own page is in its
// visitor's language, as the banner over it is. The text-message consent wording is kept with the
// sign-up as proof of what the person agreed to, so it is recorded in the language it was shown in.
import type { Catalog } from '../../../platform/i18n/index.js';

export interface DemoWords {
  readonly title: string;
  heading(shop: string): string;
  readonly intro: string;
  readonly products: readonly string[];
  addToCart(product: string): string;
  readonly cart: string;
  /** The cart's unit, by plural category (Intl.PluralRules): one item, 0 or 2 items. */
  readonly items: { readonly one: string; readonly other: string };
  readonly placeOrder: string;
  /** The cart's messages, written by /demo/store.js ({n} and its {unit}, {total}). */
  readonly added: string;
  readonly empty: string;
  readonly placed: string;
  readonly contestTitle: string;
  readonly smsTitle: string;
  readonly catalogTitle: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly choose: string;
  readonly contestNotice: string;
  readonly smsNotice: string;
  readonly catalogNotice: string;
  readonly whatWeCollect: string;
  readonly enter: string;
  readonly signUp: string;
  readonly sendCatalog: string;
  readonly sent: Readonly<Record<'contest' | 'sms' | 'catalog', string>>;
  readonly cookieChoices: string;
  readonly changeCookies: string;
  readonly gaOptOut: string;
  smsConsent(shop: string): string;
}

export const DEMO_WORDS: Catalog<DemoWords> = {
  'en-US': {
    title: 'Demo storefront',
    heading: (shop) => `${shop} demo storefront`,
    intro:
      "A pretend shop page that carries Vow's consent script. Nothing here is sold. Try the cookie banner: every choice is recorded in Vow's consent ledger, and the cart below works whatever you choose.",
    products: ['Lab-grown diamond solitaire ring', 'Classic stud earrings', 'Tennis bracelet'],
    addToCart: (p) => `Add ${p} to cart`,
    cart: 'Cart:',
    items: { one: 'item', other: 'items' },
    placeOrder: 'Place order',
    added: 'Added to your cart.',
    empty: 'Your cart is empty.',
    placed: 'Thank you: your order of {n} {unit} ({total}) is placed.',
    contestTitle: 'Win a pair of diamond studs',
    smsTitle: 'Offers by text message',
    catalogTitle: 'Free catalog',
    labels: {
      email: 'Email',
      name: 'Name (optional)',
      phone: 'Mobile number',
      consent: 'Yes, text me offers',
      first_name: 'First name',
      last_name: 'Last name',
      line1: 'Street address',
      city: 'City',
      postal_code: 'ZIP code',
      relationship_status: 'Relationship status',
      jewelry_types: 'What are you shopping for?',
      budget: 'Budget (US dollars)',
      age_range: 'Age range',
      residence_type: 'Where you live',
      gender: 'Gender (optional)',
    },
    choose: '(choose)',
    contestNotice: 'Entering the contest adds you to our marketing emails (unsubscribe in any email).',
    smsNotice: 'We use your number only for marketing text messages.',
    catalogNotice: 'We mail you the catalog and promotions, and add you to our marketing emails.',
    whatWeCollect: 'What we collect here and why',
    enter: 'Enter the contest',
    signUp: 'Sign up for texts',
    sendCatalog: 'Send me the catalog',
    sent: {
      contest:
        'You are entered. Good luck! (Entrants get our marketing emails; every email has an unsubscribe link.)',
      sms: 'You are signed up for text messages. Reply STOP at any time.',
      catalog: 'Your free catalog is on its way.',
    },
    cookieChoices: 'Your cookie choices',
    changeCookies: 'Change cookie settings',
    gaOptOut: 'You can opt out of Google Analytics data gathering on this page:',
    smsConsent: (shop) =>
      `Yes, text me offers and news from ${shop} at this number (up to 4 messages a month). Consent is not a condition of purchase. Reply STOP to stop, HELP for help. Message and data rates may apply.`,
  },
  'es-US': {
    title: 'Tienda de demostración',
    heading: (shop) => `Tienda de demostración de ${shop}`,
    intro:
      'Una página de tienda ficticia que lleva el script de consentimiento de Vow. Aquí no se vende nada. Pruebe el aviso de cookies: cada elección queda registrada en el registro de consentimientos de Vow, y el carrito de abajo funciona elija lo que elija.',
    products: [
      'Anillo solitario de diamante cultivado en laboratorio',
      'Aretes clásicos de botón',
      'Pulsera tenis',
    ],
    addToCart: (p) => `Añadir ${p} al carrito`,
    cart: 'Carrito:',
    items: { one: 'artículo', other: 'artículos' },
    placeOrder: 'Hacer el pedido',
    added: 'Se añadió a su carrito.',
    empty: 'Su carrito está vacío.',
    placed: 'Gracias: su pedido de {n} {unit} ({total}) está hecho.',
    contestTitle: 'Gane unos aretes de diamantes',
    smsTitle: 'Ofertas por mensaje de texto',
    catalogTitle: 'Catálogo gratuito',
    labels: {
      email: 'Correo electrónico',
      name: 'Nombre (opcional)',
      phone: 'Número de celular',
      consent: 'Sí, envíenme ofertas por mensaje de texto',
      first_name: 'Nombre',
      last_name: 'Apellido',
      line1: 'Dirección',
      city: 'Ciudad',
      postal_code: 'Código postal',
      relationship_status: 'Situación sentimental',
      jewelry_types: '¿Qué está buscando?',
      budget: 'Presupuesto (dólares estadounidenses)',
      age_range: 'Rango de edad',
      residence_type: 'Dónde vive',
      gender: 'Género (opcional)',
    },
    choose: '(elija)',
    contestNotice:
      'Participar en el concurso le inscribe en nuestros correos de marketing (puede cancelar la suscripción desde cualquier correo).',
    smsNotice: 'Usamos su número solo para mensajes de texto de marketing.',
    catalogNotice:
      'Le enviamos por correo postal el catálogo y promociones, y le inscribimos en nuestros correos de marketing.',
    whatWeCollect: 'Qué recopilamos aquí y por qué',
    enter: 'Participar en el concurso',
    signUp: 'Suscribirme a los mensajes de texto',
    sendCatalog: 'Envíenme el catálogo',
    sent: {
      contest:
        'Ya está participando. ¡Buena suerte! (Quienes participan reciben nuestros correos de marketing; cada correo tiene un enlace para cancelar la suscripción).',
      sms: 'Está suscrito a los mensajes de texto. Responda STOP cuando quiera.',
      catalog: 'Su catálogo gratuito está en camino.',
    },
    cookieChoices: 'Sus opciones de cookies',
    changeCookies: 'Cambiar la configuración de cookies',
    gaOptOut: 'Puede excluir la recopilación de datos de Google Analytics en esta página:',
    smsConsent: (shop) =>
      `Sí, envíenme ofertas y novedades de ${shop} por mensaje de texto a este número (hasta 4 mensajes al mes). El consentimiento no es una condición de compra. Responda STOP para dejar de recibirlos, HELP para obtener ayuda. Pueden aplicarse tarifas de mensajes y datos.`,
  },
};
