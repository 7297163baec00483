import type { Knex } from 'knex';

/**
 * County numbers in one place (issue 11): the disposal numbers that stood in their own table,
 * disposal_policies, move into county_policies (the policy module's), with the defaults of the day as column
 * defaults (tier 1 below 50 000 yuan, tier 2 up to 500 000, appraisal threshold 500 000, exchange threshold
 * 50 000, notice 10 days, proceeds booked within 30 days; docs/disposal.md). A county with disposal numbers but
 * no policy row gets a row with the policy defaults of the day; the old table goes.
 */
const DEFAULTS = {
  disposal_tier1_max_fen: 5_000_000,
  disposal_tier2_max_fen: 50_000_000,
  disposal_appraisal_threshold_fen: 50_000_000,
  disposal_exchange_threshold_fen: 5_000_000,
  disposal_notice_days: 10,
  disposal_proceeds_booking_days: 30,
};

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('county_policies', (t) => {
    t.bigInteger('disposal_tier1_max_fen').notNullable().defaultTo(DEFAULTS.disposal_tier1_max_fen);
    t.bigInteger('disposal_tier2_max_fen').notNullable().defaultTo(DEFAULTS.disposal_tier2_max_fen);
    t.bigInteger('disposal_appraisal_threshold_fen').notNullable().defaultTo(DEFAULTS.disposal_appraisal_threshold_fen);
    t.bigInteger('disposal_exchange_threshold_fen').notNullable().defaultTo(DEFAULTS.disposal_exchange_threshold_fen);
    t.integer('disposal_notice_days').notNullable().defaultTo(DEFAULTS.disposal_notice_days);
    t.integer('disposal_proceeds_booking_days').notNullable().defaultTo(DEFAULTS.disposal_proceeds_booking_days);
  });
  for (const d of await knex('disposal_policies').select()) {
    const numbers = {
      disposal_tier1_max_fen: d.tier1_max_fen,
      disposal_tier2_max_fen: d.tier2_max_fen,
      disposal_appraisal_threshold_fen: d.appraisal_threshold_fen,
      disposal_exchange_threshold_fen: d.exchange_threshold_fen,
      disposal_notice_days: d.notice_days,
      disposal_proceeds_booking_days: d.proceeds_booking_days,
    };
    const existing = await knex('county_policies').where({ county_code: d.county_code }).first();
    if (existing) {
      await knex('county_policies').where({ county_code: d.county_code }).update(numbers);
    } else {
      // The defaults of policy.types.ts on the day of this migration (the later columns keep their defaults).
      await knex('county_policies').insert({
        county_code: d.county_code,
        notice_days: 10,
        dividend_share_ceiling_bp: 5000,
        min_collective_retention_bp: 1000,
        idle_funds_months: 12,
        results_notice_days: 30,
        formerly_poor_weight_bp: 10000,
        monitored_weight_bp: 15000,
        ...numbers,
        updated_at: d.updated_at,
        updated_by: d.updated_by,
      });
    }
  }
  await knex.schema.dropTable('disposal_policies');
}

export async function down(knex: Knex): Promise<void> {
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
  await knex.raw(`INSERT INTO disposal_policies (county_code, tier1_max_fen, tier2_max_fen, appraisal_threshold_fen, exchange_threshold_fen,
      notice_days, proceeds_booking_days, updated_at, updated_by)
    SELECT county_code, disposal_tier1_max_fen, disposal_tier2_max_fen, disposal_appraisal_threshold_fen, disposal_exchange_threshold_fen,
      disposal_notice_days, disposal_proceeds_booking_days, updated_at, updated_by FROM county_policies`);
  await knex.schema.alterTable('county_policies', (t) => {
    for (const c of Object.keys(DEFAULTS)) t.dropColumn(c);
  });
}
