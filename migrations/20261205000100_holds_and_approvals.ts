import type { Knex } from 'knex';
import { dropAppendOnly, makeAppendOnly } from '../src/db/appendOnly';

/**
 * The house for the second half of the lifecycle (issue 9).
 *
 * - asset_holds: whatever holds an asset (an operation contract, a pooled venture, a pledge, a pending
 *   disposal) over a date range. Owned by the assets module; acquiring one that overlaps a live hold is
 *   refused. A hold is live on day d when start_on <= d <= end_on (open end when null) and d < released_on.
 *   status_before is the asset status the hold replaced, where the hold changed it (bundle, disposal), so
 *   that releasing it restores the status. Existing contracts are backfilled as CONTRACT holds.
 * - approval_chains / approval_steps / approval_decisions: one approval mechanism for every decision that
 *   needs someone else's consent (village resolution, township, county department, county finance).
 *   Decisions are append-only; a chain's status is the summary of its steps' decisions.
 * - asset event actions take one tense: INCOME_RECORDED becomes INCOME_RECORD like every other action.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('asset_holds', (t) => {
    t.increments('id').primary();
    t.integer('asset_id').notNullable().references('id').inTable('assets');
    t.string('kind', 20).notNullable(); // CONTRACT | BUNDLE | PLEDGE | DISPOSAL
    t.integer('holder_id').notNullable(); // the contract, venture, pledge or disposal that holds the asset
    t.string('holder_label', 200).notNullable();
    t.string('start_on', 10).notNullable();
    t.string('end_on', 10).nullable();
    t.string('released_on', 10).nullable();
    t.string('release_reason', 1000).nullable();
    t.string('status_before', 20).nullable();
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.unique(['kind', 'holder_id', 'asset_id']);
    t.index(['asset_id', 'start_on']);
  });
  await knex.raw(`
    INSERT INTO asset_holds (asset_id, kind, holder_id, holder_label, start_on, end_on, released_on, release_reason,
                             status_before, actor_user_id, created_at, updated_at)
    SELECT c.asset_id, 'CONTRACT', c.id, c.contract_no, c.start_on, c.end_on, c.terminated_on,
           c.termination_reason, NULL, v.actor_user_id, c.created_at, c.updated_at
      FROM contracts c JOIN contract_versions v ON v.contract_id = c.id AND v.version = 1`);

  await knex.schema.createTable('approval_chains', (t) => {
    t.increments('id').primary();
    t.string('purpose', 40).notNullable(); // OWNERSHIP_CHANGE | DISPOSAL | BUNDLE_JOIN | PLEDGE | …
    t.string('subject_type', 40).notNullable();
    t.integer('subject_id').nullable();
    t.string('county_code', 12).notNullable();
    t.string('region_code', 12).notNullable(); // the region the request comes from (a village, usually)
    t.string('template', 60).notNullable(); // which template the county policy chose, e.g. DISPOSAL_TIER_2
    t.string('status', 20).notNullable(); // PENDING | APPROVED | REJECTED | WITHDRAWN
    t.text('summary').notNullable(); // what is being approved, canonical JSON, fixed at request time
    t.integer('requested_by').notNullable().references('id').inTable('users');
    t.string('requested_on', 10).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['county_code', 'status']);
    t.index(['subject_type', 'subject_id']);
  });
  await knex.schema.createTable('approval_steps', (t) => {
    t.increments('id').primary();
    t.integer('chain_id').notNullable().references('id').inTable('approval_chains');
    t.integer('seq').notNullable();
    t.string('kind', 30).notNullable(); // VILLAGE_RESOLUTION | TOWNSHIP | COUNTY_DEPARTMENT | COUNTY_FINANCE
    t.string('role', 30).notNullable();
    t.string('region_code', 12).notNullable();
    t.unique(['chain_id', 'seq']);
  });
  await makeAppendOnly(knex, 'approval_steps');
  await knex.schema.createTable('approval_decisions', (t) => {
    t.increments('id').primary();
    t.integer('chain_id').notNullable().references('id').inTable('approval_chains');
    t.integer('step_id').notNullable().references('id').inTable('approval_steps');
    t.string('decision', 10).notNullable(); // APPROVE | REJECT | WITHDRAW
    t.string('decided_on', 10).notNullable();
    t.string('reference', 100).nullable();
    t.string('reason', 1000).nullable();
    t.text('meeting').nullable(); // a village resolution's 四议两公开 record, canonical JSON
    t.text('document_ids').notNullable();
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
    t.unique(['step_id']);
    t.index(['chain_id']);
  });
  await makeAppendOnly(knex, 'approval_decisions');

  await dropAppendOnly(knex, 'asset_events');
  await knex('asset_events').where({ action: 'INCOME_RECORDED' }).update({ action: 'INCOME_RECORD' });
  await makeAppendOnly(knex, 'asset_events');
}

export async function down(knex: Knex): Promise<void> {
  await dropAppendOnly(knex, 'asset_events');
  await knex('asset_events').where({ action: 'INCOME_RECORD' }).update({ action: 'INCOME_RECORDED' });
  await makeAppendOnly(knex, 'asset_events');
  await dropAppendOnly(knex, 'approval_decisions');
  await dropAppendOnly(knex, 'approval_steps');
  await knex.schema.dropTable('approval_decisions');
  await knex.schema.dropTable('approval_steps');
  await knex.schema.dropTable('approval_chains');
  await knex.schema.dropTable('asset_holds');
}
