import type { Executor } from '../../db/connection';
import * as repo from './journal.repository';
import type { AccountKind, EntryKind } from './journal.types';

/**
 * 账实核对 (issue 8, item 7; issue 17): every money-bearing domain row must agree with the journal entry it
 * names. The journal's hash chain proves the journal unaltered; reconciliation proves the books around it
 * still say what the journal says.
 *
 * The journal sits below the modules that own those rows, so it cannot read them: each owning module
 * registers a reconciler when it loads (`registerReconciler`, like `guardReversal`), which reads ITS OWN
 * tables and states, row by row, what the row claims its entry is (a `ReconcileClaim`). The journal reads
 * the entries named and compares. No module reads another's tables; verify composes them all.
 */

/** What a domain row says about the journal entry it names. Every field left out is not checked. */
export interface ReconcileClaim {
  /** The row's id in the reconciler's table (several claims may share a row: a contribution and its return). */
  rowId: number;
  /** The row in words, for the failure message: "Income record #3". */
  label: string;
  /** The entry the row names; null when the row must name one and does not (reported as missing). */
  entryId: number | null;
  /** The kinds the entry may have. */
  kinds: readonly EntryKind[];
  /** The money the entry moved (the sum of its debits), in fen. */
  movedFen?: number;
  /** The asset the entry must name (null: it names none). */
  assetId?: number | null;
  /** The entry the entry must reverse. */
  reversesEntryId?: number;
  /** Net fen the entry must post to each (holder, account kind) named; pairs not named are not checked. */
  postings?: readonly { holderPartyId: number; kind: AccountKind; amountFen: number }[];
}

export interface Reconciler {
  /** The domain table whose rows it reconciles (what a failure names: `<table> #<row>`). */
  table: string;
  /** The module that owns the table. */
  module: string;
  /**
   * The claims of the rows with id > afterId, lowest id first, at most `limit` rows (a row's claims all in
   * one batch), and the last row id read; null when no row is left. A row that names no entry on purpose
   * (an asset contribution, a disposal with no proceeds) makes no claim. Reads only the owning module's
   * tables (through its repository).
   */
  claims?(db: Executor, afterId: number, limit: number): Promise<ReconcileBatch | null>;
  /**
   * Instead of claims, for a table the journal judges itself (its own running balances, account_balances):
   * the rows with id > afterId, lowest first, at most `limit`, and the first that is wrong (null: none);
   * null when no row is left.
   */
  check?(db: Executor, afterId: number, limit: number): Promise<{ lastId: number; wrong: { rowId: number; message: string } | null } | null>;
}

export interface ReconcileBatch {
  lastId: number;
  claims: ReconcileClaim[];
}

/** The first row that disagrees with its journal entry. */
export interface Disagreement {
  table: string;
  module: string;
  rowId: number;
  entryId: number | null;
  message: string;
}

const reconcilers = new Map<string, Reconciler>();

/** Registers a module's reconciler (at load time; registering a table again replaces it). */
export function registerReconciler(r: Reconciler): void {
  reconcilers.set(r.table, r);
}

/** The reconcilers registered, in registration order (module load order). */
export function registeredReconcilers(): Reconciler[] {
  return [...reconcilers.values()];
}

const BATCH = 2000;

function movedFen(postings: readonly repo.ReconcilePosting[]): number {
  return postings.reduce((s, p) => s + (p.amountFen > 0 ? p.amountFen : 0), 0);
}

/** What is wrong with an entry, judged against a claim; null when it agrees. */
function judgeClaim(claim: ReconcileClaim, entry: repo.ReconcileEntry | undefined, postings: readonly repo.ReconcilePosting[]): string | null {
  if (claim.entryId === null) return `${claim.label} names no journal entry`;
  if (!entry) return `${claim.label}: its entry id ${claim.entryId} is missing`;
  if (!claim.kinds.includes(entry.kind)) return `${claim.label}: its entry #${entry.sequence} is a ${entry.kind}, not a ${claim.kinds.join(' or ')}`;
  if (claim.movedFen !== undefined) {
    const moved = movedFen(postings);
    if (moved !== claim.movedFen) return `${claim.label} says ${claim.movedFen} fen; its entry #${entry.sequence} moved ${moved} fen (${entry.kind})`;
  }
  if (claim.assetId !== undefined && entry.assetId !== claim.assetId) {
    return `${claim.label} is of asset ${claim.assetId ?? 'none'}; its entry #${entry.sequence} names asset ${entry.assetId ?? 'none'}`;
  }
  if (claim.reversesEntryId !== undefined && entry.reversesEntryId !== claim.reversesEntryId) {
    return `${claim.label}: its entry #${entry.sequence} does not reverse entry id ${claim.reversesEntryId}`;
  }
  const wanted = new Map<string, number>();
  for (const p of claim.postings ?? []) wanted.set(`${p.holderPartyId}:${p.kind}`, (wanted.get(`${p.holderPartyId}:${p.kind}`) ?? 0) + p.amountFen);
  for (const [key, fen] of wanted) {
    const [holder, kind] = key.split(':');
    const posted = postings.filter((p) => p.holderPartyId === Number(holder) && p.accountKind === kind).reduce((s, p) => s + p.amountFen, 0);
    if (posted !== fen) return `${claim.label} says ${fen} fen to party ${holder}'s ${kind}; its entry #${entry.sequence} posted ${posted} fen`;
  }
  return null;
}

/**
 * The first domain row, of any registered reconciler, that disagrees with its journal entry (each table
 * in turn, lowest row id first), or null. Reads in batches of 2,000 rows, so memory stays bounded.
 */
export async function firstDisagreement(db: Executor): Promise<Disagreement | null> {
  for (const r of reconcilers.values()) {
    let afterId = 0;
    for (;;) {
      if (r.check) {
        const checked = await r.check(db, afterId, BATCH);
        if (!checked) break;
        if (checked.wrong) return { table: r.table, module: r.module, rowId: checked.wrong.rowId, entryId: null, message: checked.wrong.message };
        afterId = checked.lastId;
        continue;
      }
      const batch = await r.claims!(db, afterId, BATCH);
      if (!batch) break;
      const { claims } = batch;
      const ids = [...new Set(claims.map((c) => c.entryId).filter((id): id is number => id !== null))];
      const read = await repo.reconcileReads(db, ids);
      const entries = new Map(read.entries.map((e) => [e.id, e]));
      const postings = new Map<number, repo.ReconcilePosting[]>();
      for (const p of read.postings) {
        const list = postings.get(p.entryId);
        if (list) list.push(p);
        else postings.set(p.entryId, [p]);
      }
      for (const c of claims) {
        const wrong = judgeClaim(c, c.entryId === null ? undefined : entries.get(c.entryId), c.entryId === null ? [] : postings.get(c.entryId) ?? []);
        if (wrong) return { table: r.table, module: r.module, rowId: c.rowId, entryId: c.entryId, message: wrong };
      }
      afterId = batch.lastId;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// The journal's own derived rows: account_balances (issue 16)

/**
 * 余额核对 Every account's running balance (account_balances: balance, posting count, last entry) against its
 * postings, account by account (the row id reported is the account id). An account with postings and no
 * row, or a row that says anything but what the postings say, is reported; an account never posted to may
 * have no row. A DBA's edit of a balance therefore fails verify like a domain row's edit does.
 */
export async function checkStoredBalances(
  db: Executor,
  afterId: number,
  limit: number,
): Promise<{ lastId: number; wrong: { rowId: number; message: string } | null } | null> {
  const rows = await repo.storedBalancesAgainstPostings(db, afterId, limit);
  if (!rows.length) return null;
  for (const r of rows) {
    const { stored, posted } = r;
    const said = (x: { balanceFen: bigint; postingsCount: number; lastEntryId: number | null }) =>
      `${x.balanceFen} fen over ${x.postingsCount} postings${x.lastEntryId === null ? '' : ` (last entry id ${x.lastEntryId})`}`;
    const label = `Account #${r.accountId} (party ${r.holderPartyId}'s ${r.kind})`;
    if (!stored) {
      if (posted.postingsCount > 0) return { lastId: r.accountId, wrong: { rowId: r.accountId, message: `${label} has no running balance; its postings hold ${said(posted)}` } };
      continue;
    }
    if (stored.balanceFen !== posted.balanceFen || stored.postingsCount !== posted.postingsCount || stored.lastEntryId !== posted.lastEntryId) {
      return { lastId: r.accountId, wrong: { rowId: r.accountId, message: `${label}: its running balance says ${said(stored)}; its postings hold ${said(posted)}` } };
    }
  }
  return { lastId: rows[rows.length - 1].accountId, wrong: null };
}

// Registered here, with the journal: whatever loads verify (the server, npm run verify) loads this file.
registerReconciler({ table: 'account_balances', module: 'journal', check: checkStoredBalances });
