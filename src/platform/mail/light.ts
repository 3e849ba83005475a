// The mail part's light entry: its migrations, for the registry of every migration
// (src/app/migrations.ts), without the outbox, the transports or the feedback listener (nodemailer
// and smtp-server), which a command that only opens the store does not need. Everything here is on
// index.ts too.
export { mailMigrations } from './migrations/index.js';
