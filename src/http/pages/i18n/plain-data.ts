// The words of a person's data in plain language (My data, the export page and its downloads), per
// locale. The policy's own words (categories, purposes, exemptions) come from the policy's
// translation through the policy module's helpers.
import type { Catalog } from '../../../platform/i18n/index.js';

export interface PlainWords {
  readonly tables: Readonly<Record<string, string>>;
  readonly columns: Readonly<Record<string, string>>;
  readonly values: Readonly<Record<string, string>>;
  readonly months: readonly string[];
  readonly erased: string;
  readonly yes: string;
  readonly no: string;
  readonly units: Readonly<Record<'Y' | 'M' | 'D', readonly [string, string]>>;
  readonly from: Readonly<Record<string, string>>;
  readonly untilDeletion: string;
  kept(duration: string, from: string, reason: string): string;
  readonly legalTitle: string;
  readonly legalWhy: string;
  heldBy(controller: string): string;
  readonly heldInVow: string;
  heldInDataset(dataset: string): string;
  readonly password: string;
  readonly fingerprints: string;
  readonly csvHeader: readonly string[];
  /** A recipient of the policy, in one line: who, what it is to us, and what it gets the data for. */
  recipient(name: string, role: string, purposes: readonly string[]): string;
  readonly processor: string;
  readonly thirdParty: string;
  /** The label of the recipients under a section's records. */
  readonly sharedWithLabel: string;
  /** A section's data given to no one outside the retailer. */
  readonly sharedWithNoOne: string;
  /** The page view of the data. */
  /** The folded part under a section's records: what it is, what it is used for, how long it is kept. */
  readonly aboutIt: string;
  readonly whatItIs: string;
  readonly usedForLabel: string;
  readonly nothingBeyond: string;
  readonly howLong: string;
  readonly where: string;
  readonly ifDelete: string;
  /** What a deletion leaves, before the exemption's name ("We keep it: Suppression list"). */
  readonly weKeepIt: string;
  /** The policy's own words for the exemption, quoted. */
  policySays(source: string): string;
  recordOf(i: number, n: number): string;
  readonly record: string;
  readonly heldNotShown: string;
}

export const PLAIN_WORDS: Catalog<PlainWords> = {
  'en-US': {
    tables: {
      subject_identifiers: 'Your contact details',
      orders: 'Your orders',
      order_lines: 'Items in your orders',
      registrations: 'Your registration',
      contest_entries: 'Your contest entries',
      catalog_requests: 'Your catalog requests',
      sms_signups: 'Your text message sign-ups',
      inbound_messages: 'Emails you sent us',
      form_submissions: 'Forms you sent us',
      form_values: 'Answers you gave on our forms',
      consent_events: 'Your consent history',
      consent_state: 'Your current marketing choices',
      subject_records: 'Where your information came from',
      shopper_accounts: 'Your account',
      customers: 'Your customer record',
      addresses: 'Your addresses',
      reviews: 'Your reviews',
      wishlists: 'Your wishlists',
    },
    columns: {
      at: 'When',
      cause_type: 'Why',
      event: 'What happened',
      channel: 'Which messages',
      sealed_value: 'Value',
      email_sealed: 'Email address',
      buyer_sealed: 'Buyer',
      gift_sealed: 'Gift recipient',
      shop_order_id: 'Order number',
      total_cents: 'Total',
      created_at: 'Created',
      placed_at: 'Placed',
      line1: 'Address',
      ship_line1: 'Shipping address',
      subject_kind: 'As',
      collection_point: 'Form',
      fields: 'What the form held',
      kind: 'Kind',
      source: 'Source',
      email: 'Email address',
      verified: 'Confirmed',
      updated_at: 'Updated',
      state: 'State',
      postal_code: 'Postal code',
      city: 'City',
      region: 'Region',
      country: 'Country',
      line2: 'Address (line 2)',
      name: 'Name',
      phone: 'Phone',
      quantity: 'Quantity',
      unit_price_cents: 'Unit price',
      currency: 'Currency',
      sku: 'Item number',
      items: 'Items',
      billing_address: 'Billing address',
      shipping_address: 'Shipping address',
      postal_address: 'Postal address',
      first_name: 'First name',
      last_name: 'Last name',
      gender: 'Gender',
      catalog_opt_in: 'Printed catalog by mail',
      registered_at: 'Registered',
      relationship_status: 'Relationship status',
      jewelry_types: 'Jewelry you are interested in',
      budget: 'Budget',
      age_range: 'Age range',
      residence_type: 'Type of home',
      consent_text: 'What you agreed to',
      collected_at: 'Received',
      received_at: 'Received',
      subject: 'Subject',
      value: 'Answer',
    },
    values: {
      collection_point: 'A form you sent us',
      cookie_banner: 'Your cookie choice',
      gpc: 'Your browser’s Global Privacy Control signal',
      unsubscribe_link: 'The unsubscribe link in an email',
      rights_request: 'Your privacy request',
      staff: 'Our customer service, at your request',
      accept_all: 'Accept all',
      reject_all: 'Reject all',
      choose: 'Your own choice per category',
      gpc_signal: 'Your browser’s Global Privacy Control signal',
      enrolled: 'enrolled',
      unsubscribed: 'unsubscribed',
    },
    months: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
    erased: '(erased)',
    yes: 'Yes',
    no: 'No',
    units: { Y: ['year', 'years'], M: ['month', 'months'], D: ['day', 'days'] },
    from: {
      order_date: 'from the order date',
      last_activity: 'after your last activity',
      collected: 'from when we received it',
    },
    untilDeletion: 'until you ask us to delete it or close your account',
    kept: (d, from, reason) => `Kept ${d}${from ? ` ${from}` : ''}: ${reason}`,
    legalTitle: 'Legal retention',
    legalWhy: 'The law requires us to keep these records, for the time it sets.',
    heldBy: (c) => `Held by ${c}`,
    heldInVow: 'Held in our privacy records',
    heldInDataset: (d) => `Held in our ${d} records`,
    password:
      'Your password: we keep it only in a scrambled form that cannot be turned back into the password, so it is not shown.',
    fingerprints:
      'Fingerprints of your email address that let us find your records without reading them: they mean nothing on their own.',
    csvHeader: [
      'Section',
      'Record',
      'Information',
      'Value',
      'Used for',
      'How long we keep it',
      'Who we share it with',
    ],
    recipient: (name, role, purposes) => `${name} (${role}): ${purposes.join(', ')}`,
    processor: 'a service provider working for us',
    thirdParty: 'a third party',
    sharedWithLabel: 'Who we share it with',
    sharedWithNoOne: 'No one outside our company',
    aboutIt: 'What it is, what we use it for and how long we keep it',
    whatItIs: 'What it is',
    usedForLabel: 'What we use it for',
    nothingBeyond: 'Nothing beyond keeping it as described here',
    howLong: 'How long we keep it',
    where: 'Where',
    ifDelete: 'If you ask us to delete it',
    weKeepIt: 'We keep it:',
    policySays: (source) => `Our privacy policy: “${source}”`,
    recordOf: (i, n) => `Record ${i} of ${n}`,
    record: 'Record',
    heldNotShown: 'Held but not shown',
  },
  'es-US': {
    tables: {
      subject_identifiers: 'Sus datos de contacto',
      orders: 'Sus pedidos',
      order_lines: 'Artículos de sus pedidos',
      registrations: 'Su registro',
      contest_entries: 'Sus participaciones en concursos',
      catalog_requests: 'Sus solicitudes de catálogo',
      sms_signups: 'Sus suscripciones a mensajes de texto',
      inbound_messages: 'Correos que nos envió',
      form_submissions: 'Formularios que nos envió',
      form_values: 'Respuestas que dio en nuestros formularios',
      consent_events: 'Su historial de consentimiento',
      consent_state: 'Sus opciones de marketing actuales',
      subject_records: 'De dónde vino su información',
      shopper_accounts: 'Su cuenta',
      customers: 'Su ficha de cliente',
      addresses: 'Sus direcciones',
      reviews: 'Sus reseñas',
      wishlists: 'Sus listas de deseos',
    },
    columns: {
      at: 'Cuándo',
      cause_type: 'Por qué',
      event: 'Qué ocurrió',
      channel: 'Qué mensajes',
      sealed_value: 'Valor',
      email_sealed: 'Correo electrónico',
      buyer_sealed: 'Comprador',
      gift_sealed: 'Destinatario del regalo',
      shop_order_id: 'Número de pedido',
      total_cents: 'Total',
      created_at: 'Creado',
      placed_at: 'Realizado',
      line1: 'Dirección',
      ship_line1: 'Dirección de envío',
      kind: 'Tipo',
      source: 'Origen',
      email: 'Correo electrónico',
      verified: 'Confirmado',
      updated_at: 'Actualizado',
      state: 'Estado',
      postal_code: 'Código postal',
      city: 'Ciudad',
      region: 'Región',
      country: 'País',
      line2: 'Dirección (línea 2)',
      name: 'Nombre',
      phone: 'Teléfono',
      quantity: 'Cantidad',
      unit_price_cents: 'Precio unitario',
      currency: 'Moneda',
      sku: 'Referencia',
      subject_kind: 'Como',
      collection_point: 'Formulario',
      fields: 'Lo que contenía el formulario',
      items: 'Artículos',
      billing_address: 'Dirección de facturación',
      shipping_address: 'Dirección de envío',
      postal_address: 'Dirección postal',
      first_name: 'Nombre',
      last_name: 'Apellido',
      gender: 'Género',
      catalog_opt_in: 'Catálogo impreso por correo postal',
      registered_at: 'Registrado',
      relationship_status: 'Estado civil',
      jewelry_types: 'Joyas que le interesan',
      budget: 'Presupuesto',
      age_range: 'Rango de edad',
      residence_type: 'Tipo de vivienda',
      consent_text: 'Lo que aceptó',
      collected_at: 'Recibido',
      received_at: 'Recibido',
      subject: 'Asunto',
      value: 'Respuesta',
    },
    values: {
      collection_point: 'Un formulario que nos envió',
      cookie_banner: 'Su elección de cookies',
      gpc: 'La señal Global Privacy Control de su navegador',
      unsubscribe_link: 'El enlace para darse de baja de un correo',
      rights_request: 'Su solicitud de privacidad',
      staff: 'Nuestro servicio al cliente, a petición suya',
      accept_all: 'Aceptar todo',
      reject_all: 'Rechazar todo',
      choose: 'Su propia elección por categoría',
      gpc_signal: 'La señal Global Privacy Control de su navegador',
      enrolled: 'inscrito',
      unsubscribed: 'dado de baja',
    },
    months: ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sept', 'oct', 'nov', 'dic'],
    erased: '(borrado)',
    yes: 'Sí',
    no: 'No',
    units: { Y: ['año', 'años'], M: ['mes', 'meses'], D: ['día', 'días'] },
    from: {
      order_date: 'desde la fecha del pedido',
      last_activity: 'después de su última actividad',
      collected: 'desde que la recibimos',
    },
    untilDeletion: 'hasta que nos pida eliminarla o cierre su cuenta',
    kept: (d, from, reason) => `Se conserva ${d}${from ? ` ${from}` : ''}: ${reason}`,
    legalTitle: 'Conservación legal',
    legalWhy: 'La ley nos obliga a conservar estos registros durante el tiempo que fija.',
    heldBy: (c) => `En poder de ${c}`,
    heldInVow: 'En nuestros registros de privacidad',
    heldInDataset: (d) => `En nuestros registros «${d}»`,
    password:
      'Su contraseña: solo la guardamos de forma cifrada que no permite recuperarla, así que no se muestra.',
    fingerprints:
      'Huellas de su correo electrónico que nos permiten encontrar sus registros sin leerlos: no significan nada por sí solas.',
    csvHeader: [
      'Sección',
      'Registro',
      'Información',
      'Valor',
      'Se usa para',
      'Cuánto tiempo la conservamos',
      'Con quién la compartimos',
    ],
    recipient: (name, role, purposes) => `${name} (${role}): ${purposes.join(', ')}`,
    processor: 'un proveedor de servicios que trabaja para nosotros',
    thirdParty: 'un tercero',
    sharedWithLabel: 'Con quién la compartimos',
    sharedWithNoOne: 'Nadie fuera de nuestra empresa',
    aboutIt: 'Qué es, para qué la usamos y cuánto tiempo la conservamos',
    whatItIs: 'Qué es',
    usedForLabel: 'Para qué la usamos',
    nothingBeyond: 'Nada más que conservarla como se describe aquí',
    howLong: 'Cuánto tiempo la conservamos',
    where: 'Dónde',
    ifDelete: 'Si nos pide eliminarla',
    weKeepIt: 'La conservamos:',
    policySays: (source) => `Nuestra política de privacidad: «${source}»`,
    recordOf: (i, n) => `Registro ${i} de ${n}`,
    record: 'Registro',
    heldNotShown: 'Datos que guardamos pero no mostramos',
  },
};
