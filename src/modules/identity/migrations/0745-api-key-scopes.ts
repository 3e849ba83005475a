// API keys get scopes (what the system holding a key may do: api-scopes.ts). Every key made before
// could call every route a key reaches, and the systems holding them still must: they get `all`.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .alterTable('api_keys')
      .addColumn('scopes', 'text', (c) => c.notNull().defaultTo('all'))
      .execute();
  },
};
