import type { Knex } from 'knex';

/**
 * 村干部/村务人员名册 The register of village officials (issue 14): who held which office in a village and
 * when, optionally linked to a system user, the household the official belongs to and the official's own
 * party. Owned by the officials module. Reference data: a row is written once and its term is ended in place
 * (term_end_on, end_reason); every registration and end of term is kept in audit_log, as households' and
 * parties' corrections are.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('village_officials', (t) => {
    t.increments('id').primary();
    t.string('village_code', 12).notNullable().references('code').inTable('regions');
    t.string('name', 50).notNullable();
    t.string('role', 40).notNullable();
    t.string('role_note', 100).nullable();
    t.string('id_number', 18).nullable();
    t.integer('user_id').nullable().references('id').inTable('users');
    t.integer('household_id').nullable().references('id').inTable('households');
    t.integer('party_id').nullable().references('id').inTable('parties');
    t.string('term_start_on', 10).notNullable();
    t.string('term_end_on', 10).nullable();
    t.string('end_reason', 500).nullable();
    t.integer('created_by').notNullable().references('id').inTable('users');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['village_code']);
    t.index(['household_id']);
    t.index(['party_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('village_officials');
}
