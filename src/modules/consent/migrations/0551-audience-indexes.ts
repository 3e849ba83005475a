// Indexes found missing by the benchmark at scale (`npm run bench`, the email audience):
// - an audience page (consent_state: channel = ?, state in (…), subject_ref > ? order by
//   subject_ref limit 500) sorted every remaining row of the channel for each page on SQLite
//   (quadratic in the audience); with (channel, subject_ref, state) it reads in order and stops;
// - the page's contacts (subject_identifiers: subject_id in (…500) and kind = ?) were read through
//   the (kind, blind_index) index, i.e. every identifier of that kind for each page.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createIndex('consent_state_channel_ref')
      .on('consent_state')
      .columns(['channel', 'subject_ref', 'state'])
      .execute();
    await db.schema
      .createIndex('subject_identifiers_subject_kind')
      .on('subject_identifiers')
      .columns(['subject_id', 'kind', 'collected_at'])
      .execute();
  },
};
