import type { Executor } from '../../db/connection';
import { allocateBy } from '../journal/allocation';
import { ReconcileBatch, ReconcileClaim, registerReconciler } from '../journal/journal.reconcile';
import { ownersOn } from '../rights/rights.service';
import * as repo from './disposal.repository';

/**
 * 账实核对 of disposal proceeds (docs/journal.md): an executed disposal with proceeds (price plus insurance)
 * names a DISPOSAL entry of its asset that moved them, out of the buyer's and the insurer's outside
 * accounts, into each owner's DISPOSAL_PROCEEDS by the owner's share on the day of execution — the same
 * split, to the fen, execution made. A disposal without proceeds names no entry. Registered with the
 * journal's verify when the module loads; reads the disposal module's own table and the owners through
 * the rights module's service.
 */
export async function reconcileDisposals(db: Executor, afterId: number, limit: number): Promise<ReconcileBatch | null> {
  const rows = await repo.executedDisposalsAfter(db, afterId, limit);
  if (!rows.length) return null;
  const claims: ReconcileClaim[] = [];
  for (const d of rows) {
    const price = Number(d.priceFen ?? 0);
    const insurance = Number(d.insuranceFen ?? 0);
    const total = price + insurance;
    if (total === 0 && d.entryId === null) continue;
    const owners = [...(await ownersOn(db, d.assetId, d.executedOn!))].sort((a, b) => a.partyId - b.partyId);
    const shares = owners.length ? allocateBy(total, owners, (o) => o.shareBp) : [];
    claims.push({
      rowId: d.id,
      label: `Disposal #${d.id} with proceeds of ${total} fen`,
      entryId: d.entryId ?? null,
      kinds: ['DISPOSAL'],
      movedFen: total,
      assetId: d.assetId,
      postings: [
        ...(price > 0 && d.recipientPartyId ? [{ holderPartyId: d.recipientPartyId, kind: 'EXTERNAL_COUNTERPARTY' as const, amountFen: -price }] : []),
        ...(insurance > 0 && d.insurerPartyId ? [{ holderPartyId: d.insurerPartyId, kind: 'EXTERNAL_COUNTERPARTY' as const, amountFen: -insurance }] : []),
        ...shares.map((s) => ({ holderPartyId: s.item.partyId, kind: 'DISPOSAL_PROCEEDS' as const, amountFen: s.amountFen })),
      ],
    });
  }
  return { lastId: rows[rows.length - 1].id, claims };
}

/**
 * A re-use of proceeds (处置收入再利用) names a TRANSFER entry that moved its amount, within the owner
 * collective, out of DISPOSAL_PROCEEDS into PROJECT_FUNDING.
 */
export async function reconcileReuses(db: Executor, afterId: number, limit: number): Promise<ReconcileBatch | null> {
  const rows = await repo.reusesAfter(db, afterId, limit);
  if (!rows.length) return null;
  const claims: ReconcileClaim[] = rows.map((r) => ({
    rowId: r.id,
    label: `Re-use #${r.id} of disposal #${r.disposalId}'s proceeds (${r.amountFen} fen)`,
    entryId: r.entryId,
    kinds: ['TRANSFER'],
    movedFen: r.amountFen,
    postings: [
      { holderPartyId: r.ownerPartyId, kind: 'DISPOSAL_PROCEEDS', amountFen: -r.amountFen },
      { holderPartyId: r.ownerPartyId, kind: 'PROJECT_FUNDING', amountFen: r.amountFen },
    ],
  }));
  return { lastId: rows[rows.length - 1].id, claims };
}

registerReconciler({ table: 'disposals', module: 'disposal', claims: reconcileDisposals });
registerReconciler({ table: 'disposal_proceeds_reuses', module: 'disposal', claims: reconcileReuses });
