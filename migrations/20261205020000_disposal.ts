import type { Knex } from 'knex';
import { dropAppendOnly, makeAppendOnly } from '../src/db/appendOnly';

/**
 * Disposal (处置) and pledges (抵押/质押), issue 11 (docs/disposal.md).
 *
 * - disposal_policies: a county's disposal numbers (value tiers, appraisal and exchange thresholds, notice
 *   days, the limit for booking proceeds). Absent row: the documented defaults apply.
 * - disposals: one request to dispose of one asset, from request through appraisal, the approval chain
 *   (approval_chains, purpose DISPOSAL), notice and execution. The asset is held by a DISPOSAL hold
 *   (asset_holds) while the request lives.
 * - disposal_notices: the public notice (公示), append-only: immutable once published (brief §11 rule 29).
 * - disposal_objections: objections raised during the notice and their resolution.
 * - disposal_events: the request's own history, append-only.
 * - asset_pledges: a pledge or mortgage of an asset (抵押/质押), approved on a chain (purpose PLEDGE) and
 *   holding the asset by a PLEDGE hold until released.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('disposal_policies', (t) => {
    t.string('county_code', 12).primary().references('code').inTable('regions');
    t.bigInteger('tier1_max_fen').notNullable();
    t.bigInteger('tier2_max_fen').notNullable();
    t.bigInteger('appraisal_threshold_fen').notNullable();
    t.bigInteger('exchange_threshold_fen').notNullable();
    t.integer('notice_days').notNullable();
    t.integer('proceeds_booking_days').notNullable();
    t.string('updated_at', 30).notNullable();
    t.integer('updated_by').notNullable().references('id').inTable('users');
  });

  await knex.schema.createTable('disposals', (t) => {
    t.increments('id').primary();
    t.integer('asset_id').notNullable().references('id').inTable('assets');
    t.string('village_code', 12).notNullable().references('code').inTable('regions');
    t.string('county_code', 12).notNullable();
    t.string('reason', 30).notNullable();
    t.string('method', 30).notNullable();
    t.string('description', 2000).notNullable();
    t.text('document_ids').notNullable();
    t.string('status', 30).notNullable();
    t.string('requested_on', 10).notNullable();
    t.bigInteger('book_value_fen').notNullable();
    t.boolean('appraisal_required').notNullable();
    t.boolean('exchange_required').notNullable();
    t.integer('chain_id').nullable().references('id').inTable('approval_chains');
    t.string('appraiser', 200).nullable();
    t.string('appraised_on', 10).nullable();
    t.bigInteger('appraised_value_fen').nullable();
    t.string('appraisal_report_no', 100).nullable();
    t.bigInteger('exception_floor_fen').nullable();
    t.string('exception_reason', 1000).nullable();
    t.string('approved_on', 10).nullable();
    t.string('rejected_on', 10).nullable();
    t.integer('recipient_party_id').nullable().references('id').inTable('parties');
    t.bigInteger('price_fen').nullable();
    t.integer('insurer_party_id').nullable().references('id').inTable('parties');
    t.bigInteger('insurance_fen').nullable();
    t.string('executed_on', 10).nullable();
    t.string('proceeds_received_on', 10).nullable();
    t.string('exchange_deal_ref', 100).nullable();
    t.string('deal_contract_no', 100).nullable();
    t.integer('entry_id').nullable().references('id').inTable('journal_entries');
    t.string('execute_key', 100).nullable().unique();
    t.string('execute_fingerprint', 64).nullable();
    t.string('cancelled_on', 10).nullable();
    t.string('cancel_reason', 1000).nullable();
    t.integer('requested_by').notNullable().references('id').inTable('users');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['asset_id']);
    t.index(['county_code', 'status']);
    t.index(['village_code']);
  });

  await knex.schema.createTable('disposal_notices', (t) => {
    t.increments('id').primary();
    t.integer('disposal_id').notNullable().unique().references('id').inTable('disposals');
    t.string('start_on', 10).notNullable();
    t.string('end_on', 10).notNullable();
    t.text('content').notNullable(); // canonical JSON of what was published
    t.integer('published_by').notNullable().references('id').inTable('users');
    t.string('published_at', 30).notNullable();
  });
  await makeAppendOnly(knex, 'disposal_notices');

  await knex.schema.createTable('disposal_objections', (t) => {
    t.increments('id').primary();
    t.integer('disposal_id').notNullable().references('id').inTable('disposals');
    t.string('raised_on', 10).notNullable();
    t.string('raised_by', 100).notNullable();
    t.string('content', 2000).notNullable();
    t.string('resolved_on', 10).nullable();
    t.string('resolution', 2000).nullable();
    t.integer('recorded_by').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
    t.index(['disposal_id']);
  });

  await knex.schema.createTable('disposal_events', (t) => {
    t.increments('id').primary();
    t.integer('disposal_id').notNullable().references('id').inTable('disposals');
    t.string('action', 40).notNullable();
    t.string('from_status', 30).nullable();
    t.string('to_status', 30).notNullable();
    t.string('effective_on', 10).notNullable();
    t.text('payload').notNullable();
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
    t.index(['disposal_id']);
  });
  await makeAppendOnly(knex, 'disposal_events');

  await knex.schema.createTable('asset_pledges', (t) => {
    t.increments('id').primary();
    t.integer('asset_id').notNullable().references('id').inTable('assets');
    t.string('village_code', 12).notNullable().references('code').inTable('regions');
    t.string('county_code', 12).notNullable();
    t.string('kind', 20).notNullable(); // MORTGAGE | PLEDGE
    t.integer('pledgee_party_id').notNullable().references('id').inTable('parties');
    t.bigInteger('loan_fen').notNullable();
    t.string('loan_purpose', 1000).notNullable();
    t.string('contract_no', 100).notNullable();
    t.string('start_on', 10).notNullable();
    t.string('end_on', 10).nullable();
    t.string('status', 20).notNullable(); // PENDING | ACTIVE | REJECTED | RELEASED
    t.integer('chain_id').nullable().references('id').inTable('approval_chains');
    t.string('approved_on', 10).nullable();
    t.string('released_on', 10).nullable();
    t.string('release_reason', 1000).nullable();
    t.integer('requested_by').notNullable().references('id').inTable('users');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['asset_id']);
    t.index(['county_code', 'status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('asset_pledges');
  await dropAppendOnly(knex, 'disposal_events');
  await knex.schema.dropTable('disposal_events');
  await knex.schema.dropTable('disposal_objections');
  await dropAppendOnly(knex, 'disposal_notices');
  await knex.schema.dropTable('disposal_notices');
  await knex.schema.dropTable('disposals');
  await knex.schema.dropTable('disposal_policies');
}
