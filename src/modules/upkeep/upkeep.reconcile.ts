import type { Executor } from '../../db/connection';
import { ReconcileBatch, registerReconciler } from '../journal/journal.reconcile';
import * as repo from './upkeep.repository';

/**
 * 账实核对 of upkeep costs (docs/journal.md): an upkeep record with a cost names an UPKEEP_EXPENSE entry of
 * its asset that moved the cost (from the pot it was paid from into the collective's expenses). A record
 * without a cost names no entry. Registered with the journal's verify when the module loads.
 */
export async function reconcileUpkeep(db: Executor, afterId: number, limit: number): Promise<ReconcileBatch | null> {
  const rows = await repo.recordsAfter(db, afterId, limit);
  if (!rows.length) return null;
  return {
    lastId: rows[rows.length - 1].id,
    claims: rows
      .filter((r) => Number(r.costFen) > 0 || r.entryId !== null)
      .map((r) => ({
        rowId: r.id,
        label: `Upkeep record #${r.id} costing ${Number(r.costFen)} fen`,
        entryId: r.entryId,
        kinds: ['UPKEEP_EXPENSE'],
        movedFen: Number(r.costFen),
        assetId: r.assetId,
      })),
  };
}

registerReconciler({ table: 'upkeep_records', module: 'upkeep', claims: reconcileUpkeep });
