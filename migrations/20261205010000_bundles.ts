import type { Knex } from 'knex';
import { dropAppendOnly, makeAppendOnly } from '../src/db/appendOnly';

/**
 * Pooled ventures (打包联营, issue 10): the 云顶镇 model.
 *
 * - bundles: a venture, with its registered party (kind VENTURE, unified social credit code) and the region
 *   that supervises it (the township when every member lies in one, else the county).
 * - bundle_members: the villages invited; ACTIVE from their first approved contribution, WITHDRAWN after.
 * - bundle_contributions: an asset at its appraised value or cash, each approved by a BUNDLE_JOIN chain
 *   (every owner village's resolution, then the township or county filing). owner_weights is the
 *   contribution's value split over the asset's owner villages at contribution time (canonical JSON).
 * - bundle_revaluations: appraisals that replaced a contribution's value (append-only).
 * - bundle_share_events / bundle_share_lines: every change of the share table is a dated event with the whole
 *   table after it (cap-table style); the table on a date is the last event on or before it. Append-only.
 * - bundle_profits: the venture's distributable profit of a year, recorded once.
 * - bundle_income_splits / bundle_income_split_lines: each split of profit to the members, with its journal
 *   entry. Append-only.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bundles', (t) => {
    t.increments('id').primary();
    t.integer('party_id').notNullable().references('id').inTable('parties').unique();
    t.string('name', 200).notNullable();
    t.string('legal_form', 30).notNullable();
    t.string('county_code', 12).notNullable();
    t.string('region_code', 12).notNullable();
    t.string('status', 20).notNullable(); // ACTIVE | DISSOLVED
    t.string('start_on', 10).notNullable();
    t.string('dissolved_on', 10).nullable();
    t.string('dissolve_reason', 1000).nullable();
    t.integer('created_by').notNullable().references('id').inTable('users');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['region_code']);
  });
  await knex.schema.createTable('bundle_members', (t) => {
    t.increments('id').primary();
    t.integer('bundle_id').notNullable().references('id').inTable('bundles');
    t.string('village_code', 12).notNullable();
    t.integer('party_id').notNullable().references('id').inTable('parties');
    t.string('status', 20).notNullable(); // INVITED | ACTIVE | WITHDRAWN
    t.string('invited_on', 10).notNullable();
    t.string('joined_on', 10).nullable();
    t.string('withdrawn_on', 10).nullable();
    t.string('withdraw_reason', 1000).nullable();
    t.integer('withdraw_chain_id').nullable().references('id').inTable('approval_chains');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.unique(['bundle_id', 'village_code']);
    t.index(['village_code']);
  });
  await knex.schema.createTable('bundle_contributions', (t) => {
    t.increments('id').primary();
    t.integer('bundle_id').notNullable().references('id').inTable('bundles');
    t.integer('member_id').notNullable().references('id').inTable('bundle_members');
    t.string('kind', 10).notNullable(); // ASSET | CASH
    t.integer('asset_id').nullable().references('id').inTable('assets');
    t.bigInteger('value_fen').notNullable();
    t.string('appraiser', 200).nullable();
    t.string('appraised_on', 10).nullable();
    t.string('appraisal_report_no', 100).nullable();
    t.integer('appraisal_document_id').nullable().references('id').inTable('documents');
    t.text('owner_weights').notNullable();
    t.string('contributed_on', 10).notNullable();
    t.string('effective_on', 10).nullable();
    t.string('status', 20).notNullable(); // PENDING | ACTIVE | REJECTED | RETURNED
    t.integer('chain_id').notNullable().references('id').inTable('approval_chains');
    t.integer('entry_id').nullable().references('id').inTable('journal_entries');
    t.string('returned_on', 10).nullable();
    t.integer('return_entry_id').nullable().references('id').inTable('journal_entries');
    t.integer('created_by').notNullable().references('id').inTable('users');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['bundle_id']);
    t.index(['asset_id']);
  });
  await knex.schema.createTable('bundle_revaluations', (t) => {
    t.increments('id').primary();
    t.integer('contribution_id').notNullable().references('id').inTable('bundle_contributions');
    t.bigInteger('value_before_fen').notNullable();
    t.bigInteger('value_after_fen').notNullable();
    t.string('appraiser', 200).notNullable();
    t.string('appraised_on', 10).notNullable();
    t.string('appraisal_report_no', 100).nullable();
    t.integer('appraisal_document_id').nullable().references('id').inTable('documents');
    t.string('effective_on', 10).notNullable();
    t.string('reason', 1000).nullable();
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
  });
  await makeAppendOnly(knex, 'bundle_revaluations');
  await knex.schema.createTable('bundle_share_events', (t) => {
    t.increments('id').primary();
    t.integer('bundle_id').notNullable().references('id').inTable('bundles');
    t.integer('seq').notNullable();
    t.string('effective_on', 10).notNullable();
    t.string('cause', 20).notNullable(); // CONTRIBUTE | REVALUE | WITHDRAW | DISSOLVE
    t.integer('subject_id').nullable(); // the contribution, revaluation or member behind the change
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
    t.unique(['bundle_id', 'seq']);
  });
  await makeAppendOnly(knex, 'bundle_share_events');
  await knex.schema.createTable('bundle_share_lines', (t) => {
    t.increments('id').primary();
    t.integer('event_id').notNullable().references('id').inTable('bundle_share_events');
    t.integer('member_id').notNullable().references('id').inTable('bundle_members');
    t.string('village_code', 12).notNullable();
    t.bigInteger('value_fen').notNullable();
    t.integer('share_bp').notNullable();
    t.unique(['event_id', 'member_id']);
  });
  await makeAppendOnly(knex, 'bundle_share_lines');
  await knex.schema.createTable('bundle_profits', (t) => {
    t.increments('id').primary();
    t.integer('bundle_id').notNullable().references('id').inTable('bundles');
    t.integer('year').notNullable();
    t.bigInteger('profit_fen').notNullable();
    t.string('declared_on', 10).notNullable();
    t.string('reference', 100).notNullable();
    t.string('memo', 500).nullable();
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
    t.unique(['bundle_id', 'year']);
  });
  await makeAppendOnly(knex, 'bundle_profits');
  await knex.schema.createTable('bundle_income_splits', (t) => {
    t.increments('id').primary();
    t.integer('bundle_id').notNullable().references('id').inTable('bundles');
    t.integer('profit_id').notNullable().references('id').inTable('bundle_profits');
    t.bigInteger('amount_fen').notNullable();
    t.string('split_on', 10).notNullable();
    t.integer('share_event_id').notNullable().references('id').inTable('bundle_share_events');
    t.integer('entry_id').notNullable().references('id').inTable('journal_entries').unique();
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
    t.index(['bundle_id']);
  });
  await makeAppendOnly(knex, 'bundle_income_splits');
  await knex.schema.createTable('bundle_income_split_lines', (t) => {
    t.increments('id').primary();
    t.integer('split_id').notNullable().references('id').inTable('bundle_income_splits');
    t.integer('member_id').notNullable().references('id').inTable('bundle_members');
    t.string('village_code', 12).notNullable();
    t.integer('share_bp').notNullable();
    t.bigInteger('amount_fen').notNullable();
    t.unique(['split_id', 'member_id']);
  });
  await makeAppendOnly(knex, 'bundle_income_split_lines');
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['bundle_income_split_lines', 'bundle_income_splits', 'bundle_profits', 'bundle_share_lines', 'bundle_share_events', 'bundle_revaluations']) {
    await dropAppendOnly(knex, t);
  }
  for (const t of [
    'bundle_income_split_lines',
    'bundle_income_splits',
    'bundle_profits',
    'bundle_share_lines',
    'bundle_share_events',
    'bundle_revaluations',
    'bundle_contributions',
    'bundle_members',
    'bundles',
  ]) {
    await knex.schema.dropTableIfExists(t);
  }
}
