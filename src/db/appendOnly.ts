import type { Knex } from 'knex';

/**
 * Database-level guard for history tables (events, journal): UPDATE and DELETE abort, on SQLite and on
 * PostgreSQL. The code has no update/delete path for these tables either; this is the second lock.
 */
export async function makeAppendOnly(knex: Knex, table: string): Promise<void> {
  if (knex.client.config.client === 'pg') {
    await knex.raw(`
      CREATE OR REPLACE FUNCTION bangfu_append_only() RETURNS trigger AS $$
      BEGIN
        RAISE EXCEPTION 'APPEND_ONLY: table % is append-only (% rejected)', TG_TABLE_NAME, TG_OP;
      END;
      $$ LANGUAGE plpgsql;`);
    await knex.raw(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
      FOR EACH ROW EXECUTE FUNCTION bangfu_append_only();`);
    // TRUNCATE bypasses row triggers; block it too.
    await knex.raw(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION bangfu_append_only();`);
  } else {
    await knex.raw(`CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
      BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY: table ${table} is append-only (UPDATE rejected)'); END;`);
    await knex.raw(`CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
      BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY: table ${table} is append-only (DELETE rejected)'); END;`);
  }
}

export async function dropAppendOnly(knex: Knex, table: string): Promise<void> {
  if (knex.client.config.client === 'pg') {
    await knex.raw(`DROP TRIGGER IF EXISTS ${table}_append_only ON ${table}`);
    await knex.raw(`DROP TRIGGER IF EXISTS ${table}_no_truncate ON ${table}`);
  } else {
    await knex.raw(`DROP TRIGGER IF EXISTS ${table}_no_update`);
    await knex.raw(`DROP TRIGGER IF EXISTS ${table}_no_delete`);
  }
}
