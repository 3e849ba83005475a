// Words for a request's type, the place a person lives and a request's status, shared by the
// shopper's request pages and the staff console so both name a request the same way.
import { US_STATES } from '../modules/policy/index.js';

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
