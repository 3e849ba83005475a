// The imports module's light entry: its migrations, for the registry of every migration
// (src/app/migrations.ts), without the module's services, so a command that opens the store loads
// the migration files and not the whole module. Everything here is on index.ts too.
export { importsMigrations } from './migrations/index.js';
