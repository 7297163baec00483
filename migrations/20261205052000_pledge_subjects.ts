import type { Knex } from 'knex';

/**
 * A pledge's subject (issue 11, rule 21: "an asset or a venture stake may be pledged"): `subject_kind` ASSET
 * (asset_id set, as before) or VENTURE_STAKE (bundle_member_id set: a village collective's stake in a pooled
 * venture, asset_id null). Existing rows are asset pledges.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('asset_pledges', (t) => {
    t.string('subject_kind', 20).notNullable().defaultTo('ASSET');
    t.integer('bundle_member_id').nullable().references('id').inTable('bundle_members');
    t.index(['bundle_member_id']);
  });
  if (knex.client.config.client === 'pg') {
    await knex.raw('ALTER TABLE asset_pledges ALTER COLUMN asset_id DROP NOT NULL');
  } else {
    await knex.schema.alterTable('asset_pledges', (t) => {
      t.integer('asset_id').nullable().alter();
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex('asset_pledges').where({ subject_kind: 'VENTURE_STAKE' }).delete();
  if (knex.client.config.client === 'pg') {
    await knex.raw('ALTER TABLE asset_pledges ALTER COLUMN asset_id SET NOT NULL');
  } else {
    await knex.schema.alterTable('asset_pledges', (t) => {
      t.integer('asset_id').notNullable().alter();
    });
  }
  await knex.schema.alterTable('asset_pledges', (t) => {
    t.dropIndex(['bundle_member_id']);
    t.dropForeign(['bundle_member_id']);
    t.dropColumn('bundle_member_id');
    t.dropColumn('subject_kind');
  });
}
