// The migrations of modules/incidents, by name (a shipped migration is never edited or renamed).
import type { VowMigration } from '../../../platform/store/index.js';
import { migration as m0770 } from './0770-incidents.js';
import { migration as m0771 } from './0771-incident-communications.js';
import { migration as m0772 } from './0772-incident-message-versions.js';
import { migration as m0796 } from './0796-incident-us-states.js';
import { migration as m0805 } from './0805-incident-state-reminders.js';

export const incidentsMigrations: Readonly<Record<string, VowMigration>> = {
  '0770-incidents': m0770,
  '0771-incident-communications': m0771,
  '0772-incident-message-versions': m0772,
  '0796-incident-us-states': m0796,
  '0805-incident-state-reminders': m0805,
};
