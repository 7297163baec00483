import type { Knex } from 'knex';
import { makeAppendOnly } from '../src/db/appendOnly';

/**
 * Foundation: users and tokens, regions, households, projects, the asset register and its event history.
 * Conventions (both databases): money is bigint fen; dates are text YYYY-MM-DD and timestamps text ISO 8601
 * UTC, so that they compare and round-trip identically on SQLite and PostgreSQL.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('regions', (t) => {
    t.string('code', 12).primary();
    t.string('name', 100).notNullable();
    t.string('level', 10).notNullable();
    t.string('parent_code', 12).nullable().references('code').inTable('regions');
    t.index(['parent_code']);
  });

  await knex.schema.createTable('users', (t) => {
    t.increments('id').primary();
    t.string('name', 100).notNullable();
    t.string('role', 20).notNullable();
    t.string('region_code', 12).notNullable().references('code').inTable('regions');
    t.string('created_at', 30).notNullable();
  });

  await knex.schema.createTable('api_tokens', (t) => {
    t.increments('id').primary();
    t.integer('user_id').notNullable().references('id').inTable('users');
    t.string('token_hash', 64).notNullable().unique();
    t.string('label', 100).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('revoked_at', 30).nullable();
  });

  // Generic audit trail for entities without a domain history of their own (households, projects).
  await knex.schema.createTable('audit_log', (t) => {
    t.increments('id').primary();
    t.string('entity_type', 40).notNullable();
    t.integer('entity_id').notNullable();
    t.string('action', 40).notNullable();
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
    t.text('payload').notNullable();
    t.index(['entity_type', 'entity_id']);
  });
  await makeAppendOnly(knex, 'audit_log');

  await knex.schema.createTable('households', (t) => {
    t.increments('id').primary();
    t.string('village_code', 12).notNullable().references('code').inTable('regions');
    t.string('head_name', 50).notNullable();
    t.string('id_number', 18).notNullable().unique();
    t.integer('member_count').notNullable();
    t.string('status', 20).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['village_code']);
  });

  // Status with effective dates: distribution checks eligibility "on the plan date", so history matters.
  await knex.schema.createTable('household_status_changes', (t) => {
    t.increments('id').primary();
    t.integer('household_id').notNullable().references('id').inTable('households');
    t.string('status', 20).notNullable();
    t.string('effective_on', 10).notNullable();
    t.string('reason', 500).nullable();
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
    t.index(['household_id', 'effective_on']);
  });
  await makeAppendOnly(knex, 'household_status_changes');

  await knex.schema.createTable('projects', (t) => {
    t.increments('id').primary();
    t.string('name', 200).notNullable();
    t.integer('year').notNullable();
    t.string('implementing_unit', 200).notNullable();
    t.string('region_code', 12).notNullable().references('code').inTable('regions');
    t.string('county_code', 12).notNullable();
    t.bigInteger('total_fen').notNullable();
    t.string('created_at', 30).notNullable();
    t.index(['region_code']);
    t.index(['county_code', 'year']);
  });

  await knex.schema.createTable('project_funding_lines', (t) => {
    t.increments('id').primary();
    t.integer('project_id').notNullable().references('id').inTable('projects');
    t.string('source', 40).notNullable();
    t.string('level', 20).nullable();
    t.bigInteger('amount_fen').notNullable();
    t.index(['project_id']);
  });

  await knex.schema.createTable('assets', (t) => {
    t.increments('id').primary();
    t.string('county_code', 12).notNullable();
    t.string('code', 40).notNullable();
    t.string('name', 200).notNullable();
    t.string('class', 20).notNullable();
    t.string('sub_type', 40).notNullable();
    t.double('quantity').notNullable();
    t.string('unit', 20).notNullable();
    t.string('village_code', 12).notNullable().references('code').inTable('regions');
    t.string('location', 200).nullable();
    t.integer('project_id').notNullable().references('id').inTable('projects');
    t.integer('year').notNullable();
    t.bigInteger('original_value_fen').notNullable();
    t.string('completed_on', 10).nullable();
    t.string('accepted_on', 10).nullable();
    t.string('handed_over_on', 10).nullable();
    t.string('booked_on', 10).nullable();
    t.string('status', 20).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.unique(['county_code', 'code']);
    t.index(['village_code']);
    t.index(['status']);
    t.index(['project_id']);
  });

  await knex.schema.createTable('asset_funding_lines', (t) => {
    t.increments('id').primary();
    t.integer('asset_id').notNullable().references('id').inTable('assets');
    t.string('source', 40).notNullable();
    t.string('level', 20).nullable();
    t.bigInteger('amount_fen').notNullable();
    t.index(['asset_id']);
    t.index(['source']);
  });

  // Per county/year/class counter for human asset codes; the row lock serialises concurrent registrations.
  await knex.schema.createTable('asset_code_sequences', (t) => {
    t.string('county_code', 12).notNullable();
    t.integer('year').notNullable();
    t.string('class', 20).notNullable();
    t.integer('last_seq').notNullable();
    t.primary(['county_code', 'year', 'class']);
  });

  await knex.schema.createTable('asset_events', (t) => {
    t.increments('id').primary();
    t.integer('asset_id').notNullable().references('id').inTable('assets');
    t.string('action', 40).notNullable();
    t.string('from_status', 20).nullable();
    t.string('to_status', 20).notNullable();
    t.string('effective_on', 10).notNullable();
    t.string('reason', 1000).nullable();
    t.text('payload').notNullable();
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
    t.index(['asset_id', 'id']);
  });
  await makeAppendOnly(knex, 'asset_events');
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'asset_events',
    'asset_code_sequences',
    'asset_funding_lines',
    'assets',
    'project_funding_lines',
    'projects',
    'household_status_changes',
    'households',
    'audit_log',
    'api_tokens',
    'users',
    'regions',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
