import type { Knex } from 'knex';
import { makeAppendOnly } from '../src/db/appendOnly';

/**
 * 台账导入 Register imports (issue 13): one row per file written, keyed by the file's SHA-256, so that the same
 * sheet imported twice is recognised and writes nothing the second time. Append-only like the other records.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('register_imports', (t) => {
    t.increments('id').primary();
    t.string('file_hash', 64).notNullable().unique();
    t.string('file_name', 255).notNullable();
    t.string('region_code', 12).notNullable().references('code').inTable('regions');
    t.integer('rows').notNullable();
    t.integer('assets').notNullable();
    t.integer('projects_created').notNullable();
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
  });
  await makeAppendOnly(knex, 'register_imports');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('register_imports');
}
