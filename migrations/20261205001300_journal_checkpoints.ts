import type { Knex } from 'knex';
import { makeAppendOnly } from '../src/db/appendOnly';
import { refuseReplace } from '../src/db/appendOnlyReplace';

/**
 * Checkpoints of the journal's head (issue 8): deleting the last entries and resetting the head would go
 * unnoticed unless someone wrote the head down. An auditor's checkpoint, and every published notice, keep
 * the head (sequence, hash) at that moment; verification fails when one names an entry or hash no longer there.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('journal_checkpoints', (t) => {
    t.increments('id').primary();
    t.bigInteger('sequence').notNullable();
    t.string('hash', 64).notNullable();
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
  });
  await makeAppendOnly(knex, 'journal_checkpoints');
  if (knex.client.config.client !== 'pg') await refuseReplace(knex, 'journal_checkpoints');
  await knex.schema.alterTable('distribution_notices', (t) => {
    t.bigInteger('journal_sequence').nullable();
    t.string('journal_hash', 64).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('journal_checkpoints');
}
