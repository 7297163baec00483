import type { Knex } from 'knex';

/**
 * A change of operation mode is approved on the approval chain (issue 9): the contract that makes the change
 * names the approved chain, and a chain is used by one contract only.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('contracts', (t) => {
    t.integer('mode_change_chain_id').nullable().references('id').inTable('approval_chains');
    t.unique(['mode_change_chain_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('contracts', (t) => {
    t.dropUnique(['mode_change_chain_id']);
    t.dropColumn('mode_change_chain_id');
  });
}
