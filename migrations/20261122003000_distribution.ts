import type { Knex } from 'knex';
import { makeAppendOnly } from '../src/db/appendOnly';

/**
 * Income distribution (收益分配): county policy profiles, plans with typed lines and recipients, the
 * 四议两公开 meeting records, public notices, objections, payments and the plan's event history.
 */
export async function up(knex: Knex): Promise<void> {
  // The configurable numbers of a county's rules; one row per county, defaults applied when absent.
  await knex.schema.createTable('county_policies', (t) => {
    t.string('county_code', 12).primary().references('code').inTable('regions');
    t.integer('notice_days').notNullable();
    t.integer('dividend_share_ceiling_bp').notNullable();
    t.integer('min_collective_retention_bp').notNullable();
    t.integer('idle_funds_months').notNullable();
    t.integer('results_notice_days').notNullable();
    t.integer('formerly_poor_weight_bp').notNullable();
    t.integer('monitored_weight_bp').notNullable();
    t.string('updated_at', 30).notNullable();
    t.integer('updated_by').notNullable().references('id').inTable('users');
  });

  await knex.schema.createTable('distribution_plans', (t) => {
    t.increments('id').primary();
    t.integer('owner_party_id').notNullable().references('id').inTable('parties');
    t.string('village_code', 12).notNullable().references('code').inTable('regions');
    t.string('title', 200).notNullable();
    t.string('period_from', 10).notNullable();
    t.string('period_to', 10).notNullable();
    t.string('plan_on', 10).notNullable();
    t.bigInteger('total_fen').notNullable();
    t.string('status', 20).notNullable();
    t.string('notice_start_on', 10).nullable();
    t.string('notice_end_on', 10).nullable();
    t.string('approved_on', 10).nullable();
    t.string('executed_on', 10).nullable();
    t.integer('execution_entry_id').nullable();
    t.string('results_start_on', 10).nullable();
    t.string('results_end_on', 10).nullable();
    t.integer('reverses_plan_id').nullable().references('id').inTable('distribution_plans');
    t.integer('created_by').notNullable().references('id').inTable('users');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['village_code', 'status']);
  });

  await knex.schema.createTable('distribution_lines', (t) => {
    t.increments('id').primary();
    t.integer('plan_id').notNullable().references('id').inTable('distribution_plans');
    t.integer('line_no').notNullable();
    t.string('type', 30).notNullable();
    t.string('basis', 20).notNullable();
    t.bigInteger('fixed_fen').nullable();
    t.integer('percent_bp').nullable();
    t.bigInteger('amount_fen').notNullable();
    t.string('description', 500).notNullable();
    t.unique(['plan_id', 'line_no']);
  });

  await knex.schema.createTable('distribution_recipients', (t) => {
    t.increments('id').primary();
    t.integer('plan_id').notNullable().references('id').inTable('distribution_plans');
    t.integer('line_id').notNullable().references('id').inTable('distribution_lines');
    t.integer('household_id').notNullable().references('id').inTable('households');
    t.string('household_status', 20).notNullable();
    t.integer('weight').notNullable();
    t.integer('work_days').nullable();
    t.bigInteger('amount_fen').notNullable();
    t.unique(['line_id', 'household_id']);
    t.index(['plan_id', 'household_id']);
  });

  await knex.schema.createTable('distribution_meetings', (t) => {
    t.increments('id').primary();
    t.integer('plan_id').notNullable().references('id').inTable('distribution_plans');
    t.string('step', 30).notNullable();
    t.string('held_on', 10).notNullable();
    t.integer('member_count').notNullable();
    t.integer('attendance').notNullable();
    t.integer('votes_for').notNullable();
    t.integer('votes_against').notNullable();
    t.integer('abstentions').notNullable();
    t.string('minutes_ref', 200).nullable();
    t.string('note', 1000).nullable();
    t.integer('recorded_by').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
    t.unique(['plan_id', 'step']);
  });
  await makeAppendOnly(knex, 'distribution_meetings');

  // Published notices are immutable (brief §11 item 29): the content hash fixes what was shown.
  await knex.schema.createTable('distribution_notices', (t) => {
    t.increments('id').primary();
    t.integer('plan_id').notNullable().references('id').inTable('distribution_plans');
    t.string('kind', 20).notNullable();
    t.string('start_on', 10).notNullable();
    t.string('end_on', 10).notNullable();
    t.string('content_sha256', 64).notNullable();
    t.text('content').notNullable();
    t.integer('published_by').notNullable().references('id').inTable('users');
    t.string('published_at', 30).notNullable();
    t.unique(['plan_id', 'kind']);
  });
  await makeAppendOnly(knex, 'distribution_notices');

  await knex.schema.createTable('distribution_objections', (t) => {
    t.increments('id').primary();
    t.integer('plan_id').notNullable().references('id').inTable('distribution_plans');
    t.string('raised_on', 10).notNullable();
    t.string('raised_by', 100).notNullable();
    t.string('content', 2000).notNullable();
    t.string('resolved_on', 10).nullable();
    t.string('resolution', 2000).nullable();
    t.integer('recorded_by').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
  });

  await knex.schema.createTable('distribution_payments', (t) => {
    t.increments('id').primary();
    t.integer('plan_id').notNullable().references('id').inTable('distribution_plans');
    t.integer('household_id').notNullable().references('id').inTable('households');
    t.bigInteger('amount_fen').notNullable();
    t.string('paid_on', 10).notNullable();
    t.string('bank_reference', 100).notNullable();
    t.integer('entry_id').notNullable();
    t.integer('recorded_by').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
    t.unique(['plan_id', 'household_id']);
  });
  await makeAppendOnly(knex, 'distribution_payments');

  await knex.schema.createTable('distribution_events', (t) => {
    t.increments('id').primary();
    t.integer('plan_id').notNullable().references('id').inTable('distribution_plans');
    t.string('action', 40).notNullable();
    t.string('from_status', 20).nullable();
    t.string('to_status', 20).notNullable();
    t.string('effective_on', 10).notNullable();
    t.string('reason', 1000).nullable();
    t.text('payload').notNullable();
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
    t.index(['plan_id', 'id']);
  });
  await makeAppendOnly(knex, 'distribution_events');
}

export async function down(knex: Knex): Promise<void> {
  for (const t of [
    'distribution_events',
    'distribution_payments',
    'distribution_objections',
    'distribution_notices',
    'distribution_meetings',
    'distribution_recipients',
    'distribution_lines',
    'distribution_plans',
    'county_policies',
  ]) {
    await knex.schema.dropTableIfExists(t);
  }
}
