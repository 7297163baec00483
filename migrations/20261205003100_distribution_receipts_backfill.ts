import type { Knex } from 'knex';

/**
 * Plans executed before plans named their receipts (issue 15) claim, oldest plan first, the receipts of their
 * period not yet claimed — income, venture split and opening-balance credits to the collective's income
 * awaiting distribution, not reversed. So an upgraded database does not offer their money to a new plan and
 * their audit reports trace it. Plans not yet executed are left alone: their clerks redraft them, or they
 * execute against the journal balance as before. Nothing here touches the journal.
 */
const RECEIPT_KINDS: Record<string, string> = { INCOME: 'ASSET_INCOME', BUNDLE_INCOME: 'VENTURE_SPLIT', OPENING_BALANCE: 'OPENING_BALANCE' };

export async function up(knex: Knex): Promise<void> {
  const plans = await knex('distribution_plans').whereIn('status', ['EXECUTED', 'CLOSED']).orderBy('id');
  for (const plan of plans) {
    const credits = await knex('journal_postings as p')
      .join('journal_accounts as a', 'a.id', 'p.account_id')
      .join('journal_entries as e', 'e.id', 'p.entry_id')
      .where({ 'a.holder_party_id': plan.owner_party_id, 'a.kind': 'INCOME_PENDING_DISTRIBUTION' })
      .where('p.amount_fen', '>', 0)
      .whereIn('e.kind', Object.keys(RECEIPT_KINDS))
      .whereBetween('e.effective_on', [plan.period_from, plan.period_to])
      .whereNotIn('e.id', knex('journal_entries').whereNotNull('reverses_entry_id').select('reverses_entry_id'))
      .whereNotIn('e.id', knex('distribution_plan_receipts').where({ owner_party_id: plan.owner_party_id }).whereNull('released_on').select('entry_id'))
      .orderBy('e.sequence')
      .select('e.id as entry_id', 'e.kind as kind', 'e.effective_on as effective_on', 'p.amount_fen as amount_fen');
    // Oldest first, only as much as the plan distributed: a receipt is claimed whole or not at all.
    let left = Number(plan.total_fen);
    for (const c of credits) {
      const fen = Number(c.amount_fen);
      if (fen > left) break;
      left -= fen;
      await knex('distribution_plan_receipts').insert({
        plan_id: plan.id,
        owner_party_id: plan.owner_party_id,
        entry_id: c.entry_id,
        role: 'RECEIPT',
        kind: RECEIPT_KINDS[c.kind],
        effective_on: c.effective_on,
        amount_fen: fen,
        paid_from: null,
        released_on: null,
      });
    }
  }
}

export async function down(knex: Knex): Promise<void> {
  // The claims are the integrity migration's table; dropping it there removes them.
  void knex;
}
