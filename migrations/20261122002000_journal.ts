import type { Knex } from 'knex';
import { makeAppendOnly } from '../src/db/appendOnly';

const GENESIS_HASH = '0'.repeat(64);

/**
 * The money journal (DESIGN §3): accounts held by parties, entries and their postings. Accounts, entries and
 * postings are append-only (triggers on both databases); journal_head is the one mutable row, the chain's
 * tip, which writers lock to append one at a time and which verification compares the chain's end against.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('journal_accounts', (t) => {
    t.increments('id').primary();
    t.integer('holder_party_id').notNullable().references('id').inTable('parties');
    t.string('kind', 40).notNullable();
    t.string('created_at', 30).notNullable();
    // One account per holder and kind: created on demand, the same one every time.
    t.unique(['holder_party_id', 'kind']);
  });
  await makeAppendOnly(knex, 'journal_accounts');

  await knex.schema.createTable('journal_entries', (t) => {
    t.increments('id').primary();
    // Position in the chain: 1, 2, 3… without gaps, assigned under the journal lock.
    t.bigInteger('sequence').notNullable().unique();
    t.string('kind', 30).notNullable();
    t.string('effective_on', 10).notNullable();
    t.string('memo', 500).notNullable();
    t.string('source_type', 30).nullable();
    t.integer('source_id').nullable();
    t.integer('asset_id').nullable().references('id').inTable('assets');
    // A reversal points to the entry it reverses; unique, so an entry is reversed at most once.
    t.integer('reverses_entry_id').nullable().unique().references('id').inTable('journal_entries');
    t.string('idempotency_key', 100).notNullable().unique();
    t.string('request_fingerprint', 64).notNullable();
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
    t.string('prev_hash', 64).notNullable();
    t.string('hash', 64).notNullable();
    t.index(['asset_id']);
    t.index(['effective_on']);
    t.index(['source_type', 'source_id']);
    t.index(['kind']);
  });
  await makeAppendOnly(knex, 'journal_entries');

  await knex.schema.createTable('journal_postings', (t) => {
    t.increments('id').primary();
    t.integer('entry_id').notNullable().references('id').inTable('journal_entries');
    t.integer('account_id').notNullable().references('id').inTable('journal_accounts');
    // Signed fen: positive = debit (into the account), negative = credit (out of it).
    t.bigInteger('amount_fen').notNullable();
    t.check('amount_fen <> 0', [], 'journal_postings_amount_not_zero');
    t.index(['entry_id']);
    t.index(['account_id', 'entry_id']);
  });
  await makeAppendOnly(knex, 'journal_postings');

  await knex.schema.createTable('journal_head', (t) => {
    t.integer('id').primary();
    t.bigInteger('last_sequence').notNullable();
    t.string('last_hash', 64).notNullable();
    t.check('id = 1', [], 'journal_head_single_row');
  });
  await knex('journal_head').insert({ id: 1, last_sequence: 0, last_hash: GENESIS_HASH });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['journal_head', 'journal_postings', 'journal_entries', 'journal_accounts']) {
    await knex.schema.dropTableIfExists(table);
  }
}
