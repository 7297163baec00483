import type { Knex } from 'knex';

/**
 * The status of an asset on a date is the last step effective on or before it (assets.statusOnSql: ordered by
 * effective_on, then id). With only (asset_id, id) indexed, every asset's lookup sorted its events; this index
 * answers it by walking back from the date (issue 16, G6: the register as of a past date).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('asset_events', (t) => {
    t.index(['asset_id', 'effective_on', 'id'], 'asset_events_asset_id_effective_on_id_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('asset_events', (t) => {
    t.dropIndex(['asset_id', 'effective_on', 'id'], 'asset_events_asset_id_effective_on_id_index');
  });
}
