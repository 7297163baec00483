import type { Knex } from 'knex';

/**
 * A county's ceiling on a single money mutation (issue 8): an amount above it needs an explicit
 * confirmation, or it is refused with AMOUNT_ABOVE_LIMIT. Null keeps the project default.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('county_policies', (t) => {
    t.bigInteger('single_amount_ceiling_fen').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('county_policies', (t) => {
    t.dropColumn('single_amount_ceiling_fen');
  });
}
