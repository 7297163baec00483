import type { Knex } from 'knex';
import { makeAppendOnly } from '../src/db/appendOnly';

/**
 * Documents (附件): evidence of any step — acceptance, deed, certificate, contract, resolution, photos.
 * `documents` holds the description and the SHA-256 of the content; `document_blobs` holds the content when
 * it was uploaded (bytea on PostgreSQL, blob on SQLite), so a backup of the database is a backup of the
 * evidence. Both are append-only: evidence is never edited or deleted, only added.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('documents', (t) => {
    t.increments('id').primary();
    t.integer('asset_id').notNullable().references('id').inTable('assets');
    t.integer('event_id').nullable().references('id').inTable('asset_events');
    t.integer('contract_id').nullable().references('id').inTable('contracts');
    t.string('kind', 30).notNullable();
    t.string('title', 200).notNullable();
    t.string('file_name', 200).notNullable();
    t.string('content_type', 100).notNullable();
    t.string('sha256', 64).notNullable();
    t.bigInteger('size_bytes').notNullable();
    t.string('document_on', 10).notNullable();
    t.boolean('stored').notNullable();
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
    t.index(['asset_id']);
    t.index(['contract_id']);
  });
  await makeAppendOnly(knex, 'documents');

  await knex.schema.createTable('document_blobs', (t) => {
    t.integer('document_id').primary().references('id').inTable('documents');
    t.binary('content').notNullable();
  });
  await makeAppendOnly(knex, 'document_blobs');
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['document_blobs', 'documents']) await knex.schema.dropTableIfExists(table);
}
