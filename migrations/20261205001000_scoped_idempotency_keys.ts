import type { Knex } from 'knex';

/**
 * Idempotency keys are stored with the actor's region code in front ("511922105005:pay-1"), so keys of
 * different regions never meet (issue 8). The column grows to hold the prefix; SQLite does not enforce
 * varchar lengths, so only PostgreSQL needs the change. Widening a column rewrites no row.
 */
export async function up(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'pg') {
    await knex.raw('ALTER TABLE journal_entries ALTER COLUMN idempotency_key TYPE varchar(120)');
  }
}

export async function down(): Promise<void> {
  // Narrowing back could truncate stored keys: left wide.
}
