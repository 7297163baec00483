import type { Knex } from 'knex';
import { dropAppendOnly, makeAppendOnly } from '../src/db/appendOnly';

/**
 * Revitalisation (盘活, issue 12).
 *
 * - county_policies takes every county number in one place: the revitalisation thresholds (idle months,
 *   low-efficiency benchmark rate, the number of formerly-poor workers that excuses a low return) and the
 *   maximum contract term that stood in its own table, contract_term_limits. Existing limits move over
 *   (a county with a limit but no policy row gets a row with the defaults of the day), and the old table
 *   goes. max_contract_term_years stays NULL where the county set none (the default, 20 years, applies).
 * - revitalisation_flags: an idle or low-efficiency flag raised on an asset, with the figures behind it.
 * - revitalisation_cases: one case per asset (一资产一方案) with its path, measures, owner, deadline,
 *   target; closed (销号) with the evidence that closed it, or abandoned with a reason.
 * - revitalisation_case_updates: progress notes of a case, append-only.
 * - benefit_linkage_records: what an operating asset did for poor households in a year (联农带农), one row
 *   per asset and year (a correction replaces the figures and is kept in the audit log).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('county_policies', (t) => {
    t.integer('idle_months').notNullable().defaultTo(12);
    t.integer('low_efficiency_benchmark_bp').notNullable().defaultTo(300);
    t.integer('benefit_excuse_workers').notNullable().defaultTo(10);
    t.integer('max_contract_term_years').nullable();
  });
  const limits = await knex('contract_term_limits').select();
  for (const l of limits) {
    const existing = await knex('county_policies').where({ county_code: l.county_code }).first();
    if (existing) {
      await knex('county_policies').where({ county_code: l.county_code }).update({ max_contract_term_years: l.max_years });
    } else {
      // The defaults of policy.types.ts on the day of this migration.
      await knex('county_policies').insert({
        county_code: l.county_code,
        notice_days: 10,
        dividend_share_ceiling_bp: 5000,
        min_collective_retention_bp: 1000,
        idle_funds_months: 12,
        results_notice_days: 30,
        formerly_poor_weight_bp: 10000,
        monitored_weight_bp: 15000,
        idle_months: 12,
        low_efficiency_benchmark_bp: 300,
        benefit_excuse_workers: 10,
        max_contract_term_years: l.max_years,
        updated_at: l.updated_at,
        updated_by: l.actor_user_id,
      });
    }
  }
  await knex.schema.dropTable('contract_term_limits');

  await knex.schema.createTable('revitalisation_flags', (t) => {
    t.increments('id').primary();
    t.integer('asset_id').notNullable().references('id').inTable('assets');
    t.string('village_code', 12).notNullable();
    t.string('kind', 20).notNullable(); // IDLE | LOW_EFFICIENCY
    t.string('raised_on', 10).notNullable();
    t.integer('year').nullable(); // LOW_EFFICIENCY: the year judged
    t.text('evidence').notNullable(); // JSON: the figures behind the flag
    t.integer('asset_event_id').notNullable();
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
    t.index(['asset_id']);
    t.index(['village_code']);
  });

  await knex.schema.createTable('revitalisation_cases', (t) => {
    t.increments('id').primary();
    t.integer('asset_id').notNullable().references('id').inTable('assets');
    t.string('village_code', 12).notNullable();
    t.integer('flag_id').notNullable().references('id').inTable('revitalisation_flags');
    t.bigInteger('asset_value_fen').notNullable(); // original value when opened: the 盘活率 weight
    t.string('path', 30).notNullable();
    t.text('measures').notNullable();
    t.string('responsible_unit', 200).notNullable();
    t.string('responsible_person', 100).notNullable();
    t.string('opened_on', 10).notNullable();
    t.string('deadline_on', 10).notNullable();
    t.text('target').notNullable();
    t.bigInteger('target_income_fen').nullable();
    t.string('status', 20).notNullable(); // OPEN | CLOSED | ABANDONED
    t.string('ended_on', 10).nullable();
    t.string('closing_kind', 40).nullable();
    t.text('closing_evidence').nullable(); // JSON
    t.string('abandon_reason', 1000).nullable();
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['asset_id']);
    t.index(['village_code', 'status']);
  });
  // One open case per asset, enforced by the database too.
  await knex.raw(`CREATE UNIQUE INDEX revitalisation_cases_one_open ON revitalisation_cases (asset_id) WHERE status = 'OPEN'`);

  await knex.schema.createTable('revitalisation_case_updates', (t) => {
    t.increments('id').primary();
    t.integer('case_id').notNullable().references('id').inTable('revitalisation_cases');
    t.string('kind', 20).notNullable(); // OPEN | PROGRESS | CHANGE | CLOSE | ABANDON
    t.string('on_date', 10).notNullable();
    t.text('note').nullable();
    t.text('changes').nullable(); // JSON
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
    t.index(['case_id']);
  });

  await knex.schema.createTable('benefit_linkage_records', (t) => {
    t.increments('id').primary();
    t.integer('asset_id').notNullable().references('id').inTable('assets');
    t.string('village_code', 12).notNullable();
    t.integer('year').notNullable();
    t.bigInteger('output_value_fen').notNullable();
    t.bigInteger('wages_fen').notNullable();
    t.integer('poor_workers').notNullable();
    t.bigInteger('poor_worker_earnings_fen').notNullable();
    t.string('source', 200).nullable();
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
    t.unique(['asset_id', 'year']);
    t.index(['village_code', 'year']);
  });
  // Flags and case progress are history: append-only (src/db/tables.ts).
  await makeAppendOnly(knex, 'revitalisation_flags');
  await makeAppendOnly(knex, 'revitalisation_case_updates');
}

export async function down(knex: Knex): Promise<void> {
  await dropAppendOnly(knex, 'revitalisation_flags');
  await dropAppendOnly(knex, 'revitalisation_case_updates');
  for (const t of ['benefit_linkage_records', 'revitalisation_case_updates', 'revitalisation_cases', 'revitalisation_flags']) {
    await knex.schema.dropTableIfExists(t);
  }
  await knex.schema.createTable('contract_term_limits', (t) => {
    t.string('county_code', 12).primary().references('code').inTable('regions');
    t.integer('max_years').notNullable();
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('updated_at', 30).notNullable();
  });
  await knex.raw(`INSERT INTO contract_term_limits (county_code, max_years, actor_user_id, updated_at)
    SELECT county_code, max_contract_term_years, updated_by, updated_at FROM county_policies WHERE max_contract_term_years IS NOT NULL`);
  await knex.schema.alterTable('county_policies', (t) => {
    t.dropColumn('idle_months');
    t.dropColumn('low_efficiency_benchmark_bp');
    t.dropColumn('benefit_excuse_workers');
    t.dropColumn('max_contract_term_years');
  });
}
