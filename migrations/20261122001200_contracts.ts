import type { Knex } from 'knex';
import { makeAppendOnly } from '../src/db/appendOnly';

/**
 * Operation contracts (运营合同).
 *
 * - contracts: the contract's identity (number, asset, mode, operator) and its lifecycle state (terminated or
 *   not). start_on / end_on / term_months mirror the current version so that the expiry, overlap and overlong
 *   checks are plain indexed queries.
 * - contract_versions: the terms, one row per version (original, amendment, renewal); append-only, so an
 *   amendment never overwrites what was agreed before.
 * - contract_decisions: decision records behind a contract (village resolution, township or village filing);
 *   append-only.
 * - contract_term_limits: the county's maximum contract term in years (default 20 when absent).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('contracts', (t) => {
    t.increments('id').primary();
    t.integer('asset_id').notNullable().references('id').inTable('assets');
    t.string('county_code', 12).notNullable();
    t.string('village_code', 12).notNullable();
    t.string('contract_no', 60).notNullable();
    t.string('mode', 20).notNullable();
    t.integer('operator_party_id').notNullable().references('id').inTable('parties');
    t.string('status', 20).notNullable(); // OPEN | TERMINATED (PENDING/ACTIVE/EXPIRED derive from the dates)
    t.string('signed_on', 10).notNullable();
    t.string('start_on', 10).notNullable();
    t.string('end_on', 10).notNullable();
    t.integer('term_months').notNullable();
    t.integer('current_version').notNullable();
    t.string('terminated_on', 10).nullable();
    t.string('termination_reason', 1000).nullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.unique(['county_code', 'contract_no']);
    t.index(['asset_id']);
    t.index(['village_code']);
    t.index(['end_on']);
    t.index(['operator_party_id']);
  });

  await knex.schema.createTable('contract_versions', (t) => {
    t.increments('id').primary();
    t.integer('contract_id').notNullable().references('id').inTable('contracts');
    t.integer('version').notNullable();
    t.string('kind', 20).notNullable(); // ORIGINAL | AMENDMENT | RENEWAL
    t.string('signed_on', 10).notNullable();
    t.string('effective_from', 10).notNullable();
    t.string('start_on', 10).notNullable();
    t.string('end_on', 10).notNullable();
    t.string('fee_kind', 20).notNullable(); // NONE | FIXED | PERCENT_OF_VALUE
    t.bigInteger('fee_amount_fen').nullable();
    t.integer('fee_rate_bp').nullable();
    t.string('fee_period', 20).nullable();
    t.integer('guaranteed_rate_bp').nullable();
    t.bigInteger('deposit_fen').nullable();
    t.string('reason', 1000).nullable();
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
    t.unique(['contract_id', 'version']);
  });
  await makeAppendOnly(knex, 'contract_versions');

  await knex.schema.createTable('contract_decisions', (t) => {
    t.increments('id').primary();
    t.integer('contract_id').notNullable().references('id').inTable('contracts');
    t.integer('version').notNullable();
    t.string('kind', 30).notNullable();
    t.string('reference', 100).notNullable();
    t.string('decided_on', 10).notNullable();
    t.integer('party_id').nullable().references('id').inTable('parties');
    t.string('recorded_at', 30).notNullable();
    t.index(['contract_id']);
  });
  await makeAppendOnly(knex, 'contract_decisions');

  await knex.schema.createTable('contract_term_limits', (t) => {
    t.string('county_code', 12).primary().references('code').inTable('regions');
    t.integer('max_years').notNullable();
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('updated_at', 30).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['contract_term_limits', 'contract_decisions', 'contract_versions', 'contracts']) {
    await knex.schema.dropTableIfExists(table);
  }
}
