import type { Executor } from '../../db/connection';

/**
 * 账实核对 (issue 8, item 7): every money-bearing domain row must agree with the journal entry it names.
 * An audit read across modules' tables, on purpose: the journal's hash chain proves the journal unaltered,
 * this proves the books around it still say what the journal says. Each check returns the first row that
 * disagrees (lowest id), or nothing.
 */
export interface Disagreement {
  table: string;
  rowId: number;
  entryId: number | null;
  message: string;
}

/** Money moved into (debited to) accounts by an entry: for a balanced entry, the amount it moved. */
const REPAID = `coalesce((SELECT sum(c.amount_fen) FROM distribution_plan_receipts c WHERE c.plan_id = r.id AND c.role = 'COST'
  AND c.paid_from IS NOT NULL AND c.paid_from <> 'INCOME_PENDING_DISTRIBUTION' AND c.released_on IS NULL), 0)`;
const MOVED = `(SELECT coalesce(sum(CASE WHEN p.amount_fen > 0 THEN p.amount_fen ELSE 0 END), 0) FROM journal_postings p WHERE p.entry_id = e.id)`;

const CHECKS: { table: string; sql: string; message: (r: any) => string }[] = [
  {
    table: 'income_records',
    sql: `SELECT r.id, r.entry_id, r.amount_fen AS expected, ${MOVED} AS moved, e.id AS found, e.kind
          FROM income_records r LEFT JOIN journal_entries e ON e.id = r.entry_id
          WHERE e.id IS NULL OR e.kind <> 'INCOME' OR ${MOVED} <> r.amount_fen OR coalesce(e.asset_id, -1) <> r.asset_id
          ORDER BY r.id LIMIT 1`,
    message: (r) => `Income record #${r.id} says ${r.expected} fen; its entry ${r.found ? `moved ${r.moved} fen (${r.kind})` : 'is missing'}`,
  },
  {
    table: 'distribution_payments',
    sql: `SELECT r.id, r.entry_id, r.amount_fen AS expected, ${MOVED} AS moved, e.id AS found, e.kind
          FROM distribution_payments r LEFT JOIN journal_entries e ON e.id = r.entry_id
          WHERE e.id IS NULL OR e.kind <> 'PAYMENT' OR ${MOVED} <> r.amount_fen
          ORDER BY r.id LIMIT 1`,
    message: (r) => `Payment #${r.id} says ${r.expected} fen; its entry ${r.found ? `moved ${r.moved} fen (${r.kind})` : 'is missing'}`,
  },
  {
    table: 'distribution_payment_reversals',
    sql: `SELECT r.id, r.entry_id, e.id AS found, e.reverses_entry_id, pay.entry_id AS payment_entry
          FROM distribution_payment_reversals r
          JOIN distribution_payments pay ON pay.id = r.payment_id
          LEFT JOIN journal_entries e ON e.id = r.entry_id
          WHERE e.id IS NULL OR e.kind <> 'REVERSAL' OR coalesce(e.reverses_entry_id, -1) <> pay.entry_id
          ORDER BY r.id LIMIT 1`,
    message: (r) => `Payment reversal #${r.id}: its entry ${r.found ? `does not reverse the payment's entry #${r.payment_entry}` : 'is missing'}`,
  },
  {
    table: 'distribution_plans',
    // The execution moves the plan's total plus the costs it repays to the pot that fronted them
    // (distribution_plan_receipts rows of role COST paid from anything but income awaiting distribution).
    sql: `SELECT r.id, r.execution_entry_id AS entry_id, r.total_fen + ${REPAID} AS expected, ${MOVED} AS moved, e.id AS found, e.kind
          FROM distribution_plans r LEFT JOIN journal_entries e ON e.id = r.execution_entry_id
          WHERE r.execution_entry_id IS NOT NULL AND (e.id IS NULL OR e.kind <> 'DISTRIBUTION' OR ${MOVED} <> r.total_fen + ${REPAID})
          ORDER BY r.id LIMIT 1`,
    message: (r) => `Distribution plan #${r.id} executed ${r.expected} fen; its entry ${r.found ? `moved ${r.moved} fen (${r.kind})` : 'is missing'}`,
  },
];

/** The first domain row that disagrees with its journal entry, checking each kind of row in turn. */
export async function firstDisagreement(db: Executor): Promise<Disagreement | null> {
  for (const check of CHECKS) {
    const result = await db.raw(check.sql);
    const [row] = Array.isArray(result) ? result : result.rows;
    if (row) return { table: check.table, rowId: row.id, entryId: row.entry_id ?? null, message: check.message(row) };
  }
  return null;
}
