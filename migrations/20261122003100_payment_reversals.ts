import type { Knex } from 'knex';
import { makeAppendOnly } from '../src/db/appendOnly';

/**
 * A payment can bounce (退票) or be recovered: its reversal is a row of its own (payments stay append-only),
 * and the household may then be paid again, so (plan, household) is no longer unique among payments.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('distribution_payments', (t) => {
    t.dropUnique(['plan_id', 'household_id']);
    t.index(['plan_id', 'household_id']);
  });
  await knex.schema.createTable('distribution_payment_reversals', (t) => {
    t.increments('id').primary();
    t.integer('payment_id').notNullable().unique().references('id').inTable('distribution_payments');
    t.integer('plan_id').notNullable().references('id').inTable('distribution_plans');
    t.string('reversed_on', 10).notNullable();
    t.string('reason', 1000).notNullable();
    t.integer('entry_id').notNullable();
    t.integer('recorded_by').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
  });
  await makeAppendOnly(knex, 'distribution_payment_reversals');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('distribution_payment_reversals');
}
