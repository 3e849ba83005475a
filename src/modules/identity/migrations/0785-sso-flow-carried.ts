// A single sign-on started from the log-in page carries where the staff member was going (a console
// path) and the token of a form kept when their session lapsed (form-drafts.ts), so both come back
// after the provider as after a password log-in. Sealed under a key derived from the flow's PKCE
// verifier, which only the flow's cookie holds: the row alone opens nothing. Null for a plain start.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema.alterTable('staff_sso_flows').addColumn('carried', 'text').execute();
  },
};
