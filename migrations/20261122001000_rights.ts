import type { Knex } from 'knex';
import { makeAppendOnly } from '../src/db/appendOnly';

/**
 * Rights confirmation (确权) and handover (移交).
 *
 * - rights_confirmations: one row per confirmation or later change of ownership (rights level, certificate,
 *   approval of a transfer); append-only.
 * - asset_owners: who owns what share (basis points) from which date. A row is never overwritten: a change of
 *   ownership closes the current rows (effective_to, set once, exclusive) and adds new ones, so the owners on
 *   any past date can be read back — income is split by the owners on the income date.
 * - handover_deeds: the 移交书 of an asset (transferor, recipient, witness, date); append-only, one per asset.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rights_confirmations', (t) => {
    t.increments('id').primary();
    t.integer('asset_id').notNullable().references('id').inTable('assets');
    t.string('kind', 20).notNullable(); // CONFIRMATION | CHANGE
    t.string('rights_level', 20).notNullable();
    t.string('certificate_no', 60).notNullable();
    t.string('effective_on', 10).notNullable();
    t.string('reason', 1000).nullable();
    // A change of ownership is a transfer of public assets: it needs an approval on record (brief §11.21).
    t.string('approval_ref', 100).nullable();
    t.string('approved_by', 200).nullable();
    t.string('approved_on', 10).nullable();
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
    t.index(['asset_id', 'id']);
  });
  await makeAppendOnly(knex, 'rights_confirmations');

  await knex.schema.createTable('asset_owners', (t) => {
    t.increments('id').primary();
    t.integer('asset_id').notNullable().references('id').inTable('assets');
    t.integer('party_id').notNullable().references('id').inTable('parties');
    t.integer('share_bp').notNullable().checkBetween([1, 10000]);
    t.string('effective_from', 10).notNullable();
    t.string('effective_to', 10).nullable();
    t.integer('confirmation_id').notNullable().references('id').inTable('rights_confirmations');
    t.string('recorded_at', 30).notNullable();
    t.index(['asset_id', 'effective_from']);
    t.index(['party_id']);
  });

  await knex.schema.createTable('handover_deeds', (t) => {
    t.increments('id').primary();
    t.integer('asset_id').notNullable().unique().references('id').inTable('assets');
    t.string('deed_no', 60).notNullable();
    t.string('handed_over_on', 10).notNullable();
    t.string('transferor', 200).notNullable();
    t.integer('recipient_party_id').notNullable().references('id').inTable('parties');
    t.string('recipient_signatory', 50).nullable();
    t.string('witness', 200).notNullable();
    t.string('note', 1000).nullable();
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
  });
  await makeAppendOnly(knex, 'handover_deeds');
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['handover_deeds', 'asset_owners', 'rights_confirmations']) await knex.schema.dropTableIfExists(table);
}
