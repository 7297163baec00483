import type { Knex } from 'knex';
import { appendOnlyTables, refuseReplace } from '../src/db/appendOnlyReplace';

/**
 * SQLite's INSERT OR REPLACE deletes the clashing row without firing DELETE triggers (unless recursive
 * triggers are on), so it could rewrite history past the append-only triggers (issue 8). Every append-only
 * table gets a BEFORE INSERT trigger refusing a row whose primary or unique key already exists. PostgreSQL
 * has no REPLACE; its ON CONFLICT DO UPDATE fires the UPDATE trigger, which already refuses.
 */
export async function up(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'pg') return;
  for (const table of await appendOnlyTables(knex)) await refuseReplace(knex, table);
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'pg') return;
  for (const table of await appendOnlyTables(knex)) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_no_replace`);
}
