import type { Knex } from 'knex';
import { dropAppendOnly, makeAppendOnly } from '../src/db/appendOnly';

/**
 * 处置收入再利用 The re-use of disposal proceeds (issue 11: proceeds are "tagged for re-use in
 * poverty-alleviation projects"): one row per re-use, naming the disposal, the owner whose DISPOSAL_PROCEEDS
 * account paid it, the assistance project (帮扶项目) it funds, and the journal entry (kind TRANSFER, source the
 * disposal) that moved it to the owner's PROJECT_FUNDING account. Append-only: a mistaken re-use is corrected
 * by a new row with a reversal, never by editing this one (docs/disposal.md).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('disposal_proceeds_reuses', (t) => {
    t.increments('id').primary();
    t.integer('disposal_id').notNullable().references('id').inTable('disposals');
    t.integer('owner_party_id').notNullable().references('id').inTable('parties');
    t.string('village_code', 12).notNullable().references('code').inTable('regions');
    t.string('county_code', 12).notNullable();
    t.integer('project_id').notNullable().references('id').inTable('projects');
    t.bigInteger('amount_fen').notNullable();
    t.string('reused_on', 10).notNullable();
    t.string('purpose', 1000).notNullable();
    t.integer('entry_id').notNullable().unique().references('id').inTable('journal_entries');
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
    t.index(['disposal_id']);
    t.index(['village_code']);
  });
  await makeAppendOnly(knex, 'disposal_proceeds_reuses');
}

export async function down(knex: Knex): Promise<void> {
  await dropAppendOnly(knex, 'disposal_proceeds_reuses');
  await knex.schema.dropTable('disposal_proceeds_reuses');
}
