/**
 * Knex configuration: embedded SQLite (better-sqlite3) by default, PostgreSQL when DATABASE_URL is set.
 * The application builds its connection from the same function (src/db/connection.ts), so the knex CLI,
 * `npm run migrate` and the server always agree.
 */
import { knexConfig } from './src/db/connection';

export default knexConfig();
module.exports = knexConfig();
