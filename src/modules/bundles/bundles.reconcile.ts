import type { Executor } from '../../db/connection';
import { ReconcileBatch, ReconcileClaim, registerReconciler } from '../journal/journal.reconcile';
import * as repo from './bundles.repository';

/**
 * 账实核对 of pooled ventures (docs/journal.md): each income split against its BUNDLE_INCOME entry — the
 * amount moved out of the venture's outside account, and each member's line credited, to the fen, to that
 * member's income awaiting distribution — and each cash contribution (and its return) against its
 * BUNDLE_CONTRIBUTION entry. Asset contributions move no money and name no entry. Registered with the
 * journal's verify when the module loads; reads only the bundles module's tables.
 */

async function partiesOf(db: Executor, bundleIds: number[], memberIds: number[]) {
  const bundles = new Map((await repo.findBundles(db, [...new Set(bundleIds)])).map((b) => [b.id, b.partyId]));
  const members = new Map((await repo.findMembers(db, [...new Set(memberIds)])).map((m) => [m.id, m.partyId]));
  return { bundleParty: (id: number) => bundles.get(id) ?? -1, memberParty: (id: number) => members.get(id) ?? -1 };
}

export async function reconcileSplits(db: Executor, afterId: number, limit: number): Promise<ReconcileBatch | null> {
  const splits = await repo.splitsAfter(db, afterId, limit);
  if (!splits.length) return null;
  const { bundleParty, memberParty } = await partiesOf(
    db,
    splits.map((s) => s.bundleId),
    splits.flatMap((s) => s.lines.map((l) => l.memberId)),
  );
  return {
    lastId: splits[splits.length - 1].id,
    claims: splits.map((s) => ({
      rowId: s.id,
      label: `Venture split #${s.id} of ${s.amountFen} fen`,
      entryId: s.entryId ?? null,
      kinds: ['BUNDLE_INCOME'],
      movedFen: s.amountFen,
      postings: [
        { holderPartyId: bundleParty(s.bundleId), kind: 'EXTERNAL_COUNTERPARTY', amountFen: -s.amountFen },
        ...s.lines.map((l) => ({ holderPartyId: memberParty(l.memberId), kind: 'INCOME_PENDING_DISTRIBUTION' as const, amountFen: l.amountFen })),
      ],
    })),
  };
}

export async function reconcileContributions(db: Executor, afterId: number, limit: number): Promise<ReconcileBatch | null> {
  const rows = await repo.contributionsAfter(db, afterId, limit);
  if (!rows.length) return null;
  const cash = rows.filter((c) => c.kind === 'CASH' && (c.status === 'ACTIVE' || c.status === 'RETURNED'));
  const { bundleParty, memberParty } = await partiesOf(
    db,
    cash.map((c) => c.bundleId),
    cash.map((c) => c.memberId),
  );
  const claims: ReconcileClaim[] = [];
  for (const c of cash) {
    const moved = (sign: 1 | -1) => [
      { holderPartyId: memberParty(c.memberId), kind: 'CASH' as const, amountFen: -sign * c.valueFen },
      { holderPartyId: bundleParty(c.bundleId), kind: 'VENTURE_CONTRIBUTION' as const, amountFen: sign * c.valueFen },
    ];
    const label = `Cash contribution #${c.id} of ${c.valueFen} fen`;
    claims.push({ rowId: c.id, label, entryId: c.entryId ?? null, kinds: ['BUNDLE_CONTRIBUTION'], movedFen: c.valueFen, postings: moved(1) });
    if (c.status === 'RETURNED') {
      claims.push({
        rowId: c.id,
        label: `${label}, returned`,
        entryId: c.returnEntryId ?? null,
        kinds: ['BUNDLE_CONTRIBUTION'],
        movedFen: c.valueFen,
        postings: moved(-1),
      });
    }
  }
  return { lastId: rows[rows.length - 1].id, claims };
}

registerReconciler({ table: 'bundle_income_splits', module: 'bundles', claims: reconcileSplits });
registerReconciler({ table: 'bundle_contributions', module: 'bundles', claims: reconcileContributions });
