// Words for a request's type, the place a person lives and a request's status, shared by the
// shopper's request pages and the staff console so both name a request the same way.
import { US_STATES } from '../modules/policy/index.js';
import type { Catalog } from '../platform/i18n/index.js';

export const TYPE_LABELS: Record<string, string> = {
  access: 'Send me a copy of my data',
  portability: 'Send me my data in a machine-readable format',
  correction: 'Correct my data',
  deletion: 'Delete my data',
  restriction: 'Stop processing my data',
  objection: 'Stop using my data for direct marketing',
};

/** Every jurisdiction a person may state: the EEA, the UK, each US state (by name) and elsewhere. */
export const JURISDICTION_LABELS: Record<string, string> = {
  eea: 'European Economic Area',
  uk: 'United Kingdom',
  ...Object.fromEntries(
    Object.entries(US_STATES)
      .sort(([, a], [, b]) => a.localeCompare(b))
      .map(([code, name]) => [`us-${code}`, name]),
  ),
  other: 'Elsewhere',
};

export const STATUS_LABELS: Record<string, string> = {
  awaiting_verification: 'Waiting for you to confirm your identity',
  awaiting_agent_confirmation: "Waiting for us to check the agent's permission",
  awaiting_approval: 'Being reviewed',
  in_progress: 'Being answered',
  completed: 'Answered',
  denied: 'Refused',
};

// The same words in each locale of the shopper pages (the console keeps the English ones above).
const ES_TYPE: Record<string, string> = {
  access: 'Envíenme una copia de mis datos',
  portability: 'Envíenme mis datos en un formato legible por máquina',
  correction: 'Corrijan mis datos',
  deletion: 'Eliminen mis datos',
  restriction: 'Dejen de tratar mis datos',
  objection: 'Dejen de usar mis datos para publicidad directa',
};

const ES_STATE: Record<string, string> = {
  'District of Columbia': 'Distrito de Columbia',
  Hawaii: 'Hawái',
  Louisiana: 'Luisiana',
  Michigan: 'Míchigan',
  'New Hampshire': 'Nuevo Hampshire',
  'New Jersey': 'Nueva Jersey',
  'New Mexico': 'Nuevo México',
  'New York': 'Nueva York',
  'North Carolina': 'Carolina del Norte',
  'North Dakota': 'Dakota del Norte',
  Oregon: 'Oregón',
  Pennsylvania: 'Pensilvania',
  'Rhode Island': 'Rhode Island',
  'South Carolina': 'Carolina del Sur',
  'South Dakota': 'Dakota del Sur',
  Tennessee: 'Tennessee',
  'West Virginia': 'Virginia Occidental',
};

const ES_JURISDICTION: Record<string, string> = {
  eea: 'Espacio Económico Europeo',
  uk: 'Reino Unido',
  ...Object.fromEntries(
    Object.entries(US_STATES)
      .map(([code, name]) => [`us-${code}`, ES_STATE[name] ?? name] as const)
      .sort(([, a], [, b]) => a.localeCompare(b, 'es')),
  ),
  other: 'Otro lugar',
};

const ES_STATUS: Record<string, string> = {
  awaiting_verification: 'Esperando a que confirme su identidad',
  awaiting_agent_confirmation: 'Esperando a que comprobemos la autorización del representante',
  awaiting_approval: 'En revisión',
  in_progress: 'En respuesta',
  completed: 'Respondida',
  denied: 'Rechazada',
};

export const TYPE_LABELS_BY_LOCALE: Catalog<Record<string, string>> = {
  'en-US': TYPE_LABELS,
  'es-US': ES_TYPE,
};
export const JURISDICTION_LABELS_BY_LOCALE: Catalog<Record<string, string>> = {
  'en-US': JURISDICTION_LABELS,
  'es-US': ES_JURISDICTION,
};
export const STATUS_LABELS_BY_LOCALE: Catalog<Record<string, string>> = {
  'en-US': STATUS_LABELS,
  'es-US': ES_STATUS,
};
