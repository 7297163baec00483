import type { Knex } from 'knex';

/**
 * Parties (主体): the entities that own, operate, keep, pay or receive — village collectives, townships,
 * county bodies, households, companies, cooperatives, individuals, pooled ventures. Owners, operators and
 * journal account holders all point here, so "who" is one concept across modules.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('parties', (t) => {
    t.increments('id').primary();
    t.string('kind', 30).notNullable();
    t.string('name', 200).notNullable();
    // The region the party belongs to: a collective's village, a township, a county, a household's village.
    t.string('region_code', 12).notNullable().references('code').inTable('regions');
    t.string('credit_code', 18).nullable().unique();
    t.integer('household_id').nullable().unique().references('id').inTable('households');
    t.string('created_at', 30).notNullable();
    t.index(['region_code', 'kind']);
  });
  // One collective per village, one township/county body of each name per region.
  await knex.raw(
    "CREATE UNIQUE INDEX parties_one_collective_per_village ON parties (region_code) WHERE kind = 'VILLAGE_COLLECTIVE'",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('parties');
}
