// Data subject requests, verification codes, export links and complaints (src/rights).
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createTable('rights_requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('jurisdiction', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text')
      .addColumn('email_index', 'text')
      .addColumn('sealed', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('due_on', 'text', (c) => c.notNull())
      .addColumn('ack_due_on', 'text')
      .addColumn('extended_due_on', 'text')
      .addColumn('extended_at', 'text')
      .addColumn('acknowledged_at', 'text')
      .addColumn('verified_at', 'text')
      .addColumn('verification_method', 'text')
      .addColumn('is_agent', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('agent_confirmed_at', 'text')
      .addColumn('agent_confirmed_by', 'text')
      .addColumn('approved_by', 'text')
      .addColumn('responded_at', 'text')
      .addColumn('response_nature', 'text')
      .addColumn('denial_basis', 'text')
      .addColumn('result', 'text')
      .addColumn('status_token_index', 'text', (c) => c.notNull().unique())
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('rights_requests_due')
      .on('rights_requests')
      .columns(['status', 'due_on'])
      .execute();
    await db.schema
      .createIndex('rights_requests_subject')
      .on('rights_requests')
      .columns(['subject_id'])
      .execute();
    await db.schema
      .createTable('rights_verifications')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('code_hash', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('used_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('rights_verifications_request')
      .on('rights_verifications')
      .columns(['request_id', 'created_at'])
      .execute();
    await db.schema
      .createTable('rights_exports')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('token_index', 'text', (c) => c.notNull().unique())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('sealed', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('downloads', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createTable('complaints')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('jurisdiction', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('sealed', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('reply_due_on', 'text', (c) => c.notNull())
      .addColumn('first_reply_at', 'text')
      .addColumn('regulator', 'text')
      .addColumn('request_id', 'text')
      .addColumn('status_token_index', 'text', (c) => c.notNull().unique())
      .addColumn('created_by', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('complaint_replies')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('complaint_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('staff_id', 'text')
      .addColumn('sealed', 'text', (c) => c.notNull())
      .execute();
  },
};
