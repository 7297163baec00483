import type { Executor } from '../../db/connection';
import { ReconcileBatch, ReconcileClaim, registerReconciler } from '../journal/journal.reconcile';
import type { AccountKind } from '../journal/journal.types';
import * as repo from './distribution.repository';
import { COST_SOURCES, RECEIPT_SOURCES } from './distribution.receipts';

/**
 * 账实核对 of distribution (docs/journal.md): payments, payment reversals, plan executions, and the receipts
 * and costs a plan took, each against the entry it names. Registered with the journal's verify when the
 * module loads; reads only distribution's own tables.
 */

function batchOf<T extends { id: number }>(rows: T[], claims: (rows: T[]) => ReconcileClaim[] | Promise<ReconcileClaim[]>) {
  return async (): Promise<ReconcileBatch | null> => (rows.length ? { lastId: rows[rows.length - 1].id, claims: await claims(rows) } : null);
}

/** A payment entry moved the fen of every payment row it covers (a household paid several lines at once). */
export async function reconcilePayments(db: Executor, afterId: number, limit: number): Promise<ReconcileBatch | null> {
  const rows = await repo.paymentRowsAfter(db, afterId, limit);
  return batchOf(rows, async (rs) => {
    const perEntry = await repo.paymentFenByEntry(db, [...new Set(rs.map((r) => r.entryId).filter((id): id is number => id !== null))]);
    return rs.map((r) => ({
      rowId: r.id,
      label: `Payment #${r.id} (${r.amountFen} fen)`,
      entryId: r.entryId,
      kinds: ['PAYMENT'],
      movedFen: r.entryId === null ? undefined : perEntry.get(r.entryId),
    }));
  })();
}

/** A payment reversal's entry reverses the payment's entry. */
export async function reconcilePaymentReversals(db: Executor, afterId: number, limit: number): Promise<ReconcileBatch | null> {
  const rows = await repo.paymentReversalRowsAfter(db, afterId, limit);
  return batchOf(rows, (rs) =>
    rs.map((r) => ({
      rowId: r.id,
      label: `Payment reversal #${r.id}`,
      entryId: r.entryId,
      kinds: ['REVERSAL'],
      reversesEntryId: r.paymentEntryId ?? -1,
    })),
  )();
}

/** An execution moves the plan's total plus the costs it repays, out of the owner's income awaiting distribution. */
export async function reconcileExecutions(db: Executor, afterId: number, limit: number): Promise<ReconcileBatch | null> {
  const plans = await repo.executedPlansAfter(db, afterId, limit);
  return batchOf(plans, async (ps) => {
    const repaid = await repo.repaidCostFenOfPlans(db, ps.map((p) => p.id));
    return ps.map((p) => {
      const fen = Number(p.totalFen) + (repaid.get(p.id) ?? 0);
      return {
        rowId: p.id,
        label: `Distribution plan #${p.id} executed ${fen} fen`,
        entryId: p.executionEntryId,
        kinds: ['DISTRIBUTION'],
        movedFen: fen,
        postings: [{ holderPartyId: p.ownerPartyId, kind: 'INCOME_PENDING_DISTRIBUTION', amountFen: -fen }],
      };
    });
  })();
}

/**
 * 成本费用与收入来源: a receipt a plan took credited the owner's income awaiting distribution with its fen; a
 * cost charged the owner's expenses with its fen, taken from the pot it names.
 */
export async function reconcilePlanReceipts(db: Executor, afterId: number, limit: number): Promise<ReconcileBatch | null> {
  const rows = await repo.planReceiptRowsAfter(db, afterId, limit);
  return batchOf(rows, (rs) =>
    rs.map((r): ReconcileClaim => {
      const label = `Plan #${r.planId}'s ${r.role === 'COST' ? 'cost' : 'receipt'} row #${r.id} (${r.kind}, ${r.amountFen} fen)`;
      if (r.role === 'RECEIPT') {
        const kind = RECEIPT_SOURCES[r.kind as keyof typeof RECEIPT_SOURCES];
        return {
          rowId: r.id,
          label,
          entryId: r.entryId,
          kinds: kind ? [kind] : [],
          postings: [{ holderPartyId: r.ownerPartyId, kind: 'INCOME_PENDING_DISTRIBUTION', amountFen: r.amountFen }],
        };
      }
      const kind = COST_SOURCES[r.kind as keyof typeof COST_SOURCES];
      return {
        rowId: r.id,
        label,
        entryId: r.entryId,
        kinds: kind ? [kind] : [],
        postings: [
          { holderPartyId: r.ownerPartyId, kind: 'EXPENSES', amountFen: r.amountFen },
          ...(r.paidFrom ? [{ holderPartyId: r.ownerPartyId, kind: r.paidFrom as AccountKind, amountFen: -r.amountFen }] : []),
        ],
      };
    }),
  )();
}

registerReconciler({ table: 'distribution_payments', module: 'distribution', claims: reconcilePayments });
registerReconciler({ table: 'distribution_payment_reversals', module: 'distribution', claims: reconcilePaymentReversals });
registerReconciler({ table: 'distribution_plans', module: 'distribution', claims: reconcileExecutions });
registerReconciler({ table: 'distribution_plan_receipts', module: 'distribution', claims: reconcilePlanReceipts });
