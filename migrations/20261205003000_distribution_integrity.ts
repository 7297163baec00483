import type { Knex } from 'knex';
import { makeAppendOnly } from '../src/db/appendOnly';

/**
 * Distribution integrity (issue 15):
 * - the receipts (and costs) each plan distributes, a receipt claimed by at most one live plan;
 * - upkeep records that moved money point to their UPKEEP_EXPENSE journal entry;
 * - attendance rows behind public-welfare job wages, and the hardship category a grant relies on;
 * - payments per recipient line;
 * - the county settings these rules read.
 */
export async function up(knex: Knex): Promise<void> {
  // A plan's claim on a journal entry that credited (RECEIPT) or charged (COST) the collective. A claim is
  // released (released_on) when the plan is cancelled, rejected or reversed, and the entry is free again.
  await knex.schema.createTable('distribution_plan_receipts', (t) => {
    t.increments('id').primary();
    t.integer('plan_id').notNullable().references('id').inTable('distribution_plans');
    t.integer('owner_party_id').notNullable().references('id').inTable('parties');
    t.integer('entry_id').notNullable().references('id').inTable('journal_entries');
    t.string('role', 10).notNullable(); // RECEIPT | COST
    t.string('kind', 30).notNullable(); // ASSET_INCOME, VENTURE_SPLIT, OPENING_BALANCE, UPKEEP_EXPENSE …
    t.string('effective_on', 10).notNullable();
    t.bigInteger('amount_fen').notNullable();
    // The collective's pot that paid a cost (repaid from the plan's receipts at execution); null for receipts.
    t.string('paid_from', 40).nullable();
    t.string('released_on', 10).nullable();
    t.index(['plan_id']);
  });
  // The database's own guard that a receipt is distributed at most once, even by two racing requests.
  await knex.raw(
    'CREATE UNIQUE INDEX distribution_plan_receipts_live ON distribution_plan_receipts (entry_id, owner_party_id) WHERE released_on IS NULL',
  );

  await knex.schema.alterTable('upkeep_records', (t) => {
    t.integer('entry_id').nullable();
    t.string('paid_from', 40).nullable();
  });

  await knex.schema.alterTable('distribution_recipients', (t) => {
    t.string('hardship_category', 50).nullable();
  });

  // 考勤 Attendance rows behind a public-welfare job recipient's work days.
  await knex.schema.createTable('distribution_attendance', (t) => {
    t.increments('id').primary();
    t.integer('plan_id').notNullable().references('id').inTable('distribution_plans');
    t.integer('recipient_id').notNullable().references('id').inTable('distribution_recipients');
    t.string('from_on', 10).notNullable();
    t.string('to_on', 10).notNullable();
    t.integer('days').notNullable();
    t.string('note', 200).nullable();
    t.index(['plan_id', 'recipient_id']);
  });
  await makeAppendOnly(knex, 'distribution_attendance');

  // Payments per recipient line; null on payments recorded before, which covered all the household's lines.
  await knex.schema.alterTable('distribution_payments', (t) => {
    t.integer('recipient_id').nullable();
  });

  await knex.schema.alterTable('county_policies', (t) => {
    t.string('township_review', 20).notNullable().defaultTo('DURING_NOTICE');
    t.integer('job_wage_share_ceiling_bp').notNullable().defaultTo(2000);
    t.text('hardship_categories').notNullable().defaultTo('[]');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('county_policies', (t) => {
    t.dropColumn('township_review');
    t.dropColumn('job_wage_share_ceiling_bp');
    t.dropColumn('hardship_categories');
  });
  await knex.schema.dropTableIfExists('distribution_attendance');
  await knex.schema.dropTableIfExists('distribution_plan_receipts');
}
