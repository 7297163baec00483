import type { Knex } from 'knex';
import { makeAppendOnly } from '../src/db/appendOnly';

/**
 * Upkeep (管护): who keeps an asset (responsible body, person, fund source) from which date, and what was
 * done (inspections, repairs) at what cost. Assignments keep their history like ownership: a new keeper
 * closes the current row (effective_to, exclusive, set once). Records are append-only.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('upkeep_assignments', (t) => {
    t.increments('id').primary();
    t.integer('asset_id').notNullable().references('id').inTable('assets');
    t.integer('body_party_id').notNullable().references('id').inTable('parties');
    t.string('person_name', 50).notNullable();
    t.string('person_role', 100).nullable();
    t.string('fund_source', 30).notNullable();
    t.string('effective_from', 10).notNullable();
    t.string('effective_to', 10).nullable();
    t.string('note', 1000).nullable();
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
    t.index(['asset_id', 'effective_from']);
  });

  await knex.schema.createTable('upkeep_records', (t) => {
    t.increments('id').primary();
    t.integer('asset_id').notNullable().references('id').inTable('assets');
    t.string('kind', 20).notNullable();
    t.string('done_on', 10).notNullable();
    t.bigInteger('cost_fen').notNullable();
    t.string('note', 1000).nullable();
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
    t.index(['asset_id', 'done_on']);
  });
  await makeAppendOnly(knex, 'upkeep_records');
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['upkeep_records', 'upkeep_assignments']) await knex.schema.dropTableIfExists(table);
}
