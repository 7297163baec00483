import type { Knex } from 'knex';
import { makeAppendOnly } from '../src/db/appendOnly';

/**
 * Income recording (收益入账, issue 4): one row per receipt of asset income, pointing to the journal entry
 * that booked it. Append-only like the journal: a wrong receipt is corrected by reversing its entry.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('income_records', (t) => {
    t.increments('id').primary();
    t.integer('asset_id').notNullable().references('id').inTable('assets');
    // The asset's village, copied for scope filters and the voucher rule.
    t.string('village_code', 12).notNullable().references('code').inTable('regions');
    t.integer('contract_id').nullable().references('id').inTable('contracts');
    t.string('kind', 30).notNullable();
    t.string('received_on', 10).notNullable();
    t.integer('payer_party_id').notNullable().references('id').inTable('parties');
    t.string('voucher_no', 60).notNullable();
    t.bigInteger('amount_fen').notNullable();
    t.check('amount_fen > 0', [], 'income_records_amount_positive');
    t.string('memo', 200).nullable();
    t.integer('entry_id').notNullable().unique().references('id').inTable('journal_entries');
    t.integer('actor_user_id').notNullable().references('id').inTable('users');
    t.string('recorded_at', 30).notNullable();
    t.index(['asset_id', 'received_on']);
    t.index(['village_code', 'received_on']);
  });
  // A receipt voucher (收款凭证) is used once per village and year: the same voucher under a new
  // idempotency key is a second recording of the same money, not a retry.
  await knex.raw(
    'CREATE UNIQUE INDEX income_records_voucher_unique ON income_records (village_code, voucher_no, substr(received_on, 1, 4))',
  );
  await makeAppendOnly(knex, 'income_records');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('income_records');
}
