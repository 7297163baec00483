import type { Knex } from 'knex';

/**
 * Depreciation rules per county and asset sub-type (issue 14): useful life in months, residual rate in basis
 * points, and whether the sub-type is depreciated at all. Absent rows fall back to the documented defaults
 * (src/modules/policy/policy.depreciation.ts). Owned by the policy module; mutable configuration, each change
 * kept in the audit log.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('depreciation_rules', (t) => {
    t.string('county_code', 12).notNullable().references('code').inTable('regions');
    t.string('sub_type', 40).notNullable();
    t.integer('life_months').notNullable();
    t.integer('residual_bp').notNullable();
    t.boolean('depreciated').notNullable();
    t.integer('updated_by').notNullable().references('id').inTable('users');
    t.string('updated_at', 30).notNullable();
    t.primary(['county_code', 'sub_type']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('depreciation_rules');
}
