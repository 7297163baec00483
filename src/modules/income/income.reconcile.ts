import type { Executor } from '../../db/connection';
import { ReconcileBatch, registerReconciler } from '../journal/journal.reconcile';
import * as repo from './income.repository';

/**
 * 账实核对 of income (docs/journal.md): each income record names an INCOME entry of the record's asset that
 * moved its amount, taken from its payer's outside account. Registered with the journal's verify when the
 * module loads.
 */
export async function reconcileIncome(db: Executor, afterId: number, limit: number): Promise<ReconcileBatch | null> {
  const rows = await repo.reconcileRowsAfter(db, afterId, limit);
  if (!rows.length) return null;
  return {
    lastId: rows[rows.length - 1].id,
    claims: rows.map((r) => ({
      rowId: r.id,
      label: `Income record #${r.id}`,
      entryId: r.entryId ?? null,
      kinds: ['INCOME'],
      movedFen: r.amountFen,
      assetId: r.assetId,
      postings: [{ holderPartyId: r.payerPartyId, kind: 'EXTERNAL_COUNTERPARTY', amountFen: -r.amountFen }],
    })),
  };
}

registerReconciler({ table: 'income_records', module: 'income', claims: reconcileIncome });
