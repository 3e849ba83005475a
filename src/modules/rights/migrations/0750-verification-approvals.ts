// Four eyes on staff verifications: a data-point verification that lets a deletion, a correction or
// a copy of the values go ahead waits for a privacy officer independent of the verifier. At most
// one waits per request.
import { sql } from 'kysely';
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createTable('rights_verification_approvals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('matched', 'text', (c) => c.notNull())
      .addColumn('declaration_signed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('verified_by', 'text', (c) => c.notNull())
      .addColumn('verified_at', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', 'text')
      .addColumn('decision_reason', 'text')
      .execute();
    await db.schema
      .createIndex('rights_verification_approvals_request')
      .on('rights_verification_approvals')
      .columns(['request_id', 'verified_at'])
      .execute();
    await db.schema
      .createIndex('rights_verification_approvals_pending')
      .on('rights_verification_approvals')
      .column('request_id')
      .unique()
      .where(sql.ref('status'), '=', sql.lit('pending'))
      .execute();
  },
};
