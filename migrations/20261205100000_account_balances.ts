import type { Knex } from 'knex';

/**
 * 账户余额 A running balance per journal account (issue 16): the sum and count of the account's postings,
 * kept in the same transaction as every posting insert (journal.repository.ts), so a post reads its accounts'
 * balances by key instead of summing their whole history. A derived cache, never the record: the postings
 * are the record, verify recomputes every row from them (journal.reconcile.ts), and this migration builds
 * the rows from the postings already written. Accounts never posted to have no row (balance zero).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('account_balances', (t) => {
    t.integer('account_id').primary().references('id').inTable('journal_accounts');
    // Signed fen, inside ±2^53 (postEntry refuses a posting that would pass it).
    t.bigInteger('balance_fen').notNullable();
    t.bigInteger('postings_count').notNullable();
    // The newest entry that posted to the account (entries are appended in id order under the journal lock).
    // No foreign key: the row is a cache checked by verify, and must not stand in the way of restoring the
    // journal tables wholesale (test/journal.tamper.test.ts puts every entry back after each tampering).
    t.integer('last_entry_id').notNullable();
  });
  await knex.raw(`
    INSERT INTO account_balances (account_id, balance_fen, postings_count, last_entry_id)
    SELECT account_id, SUM(amount_fen), COUNT(*), MAX(entry_id) FROM journal_postings GROUP BY account_id`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('account_balances');
}
