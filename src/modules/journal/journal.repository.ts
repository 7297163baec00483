import type { Knex } from 'knex';
import type { Executor } from '../../db/connection';
import { inChunks, KEYS_PER_STATEMENT } from '../../db/inChunks';
import { exactSum, isPostgres, toBigInt, toInt } from '../../db/connection';
import { insertRows } from '../../db/insertRows';
import type {
  Account,
  AccountKind,
  EntryKind,
  JournalEntry,
  JournalHead,
  PostingWithAccount,
} from './journal.types';

/**
 * The only code that touches the journal tables. There is deliberately no update or delete function for
 * accounts, entries or postings: corrections are reversal entries. journal_head is the one row that changes.
 */

const toAccount = (r: any): Account => ({
  id: r.id,
  holderPartyId: r.holder_party_id,
  kind: r.kind,
  createdAt: r.created_at,
});

export const toEntry = (r: any): JournalEntry => ({
  id: r.id,
  sequence: toInt(r.sequence),
  kind: r.kind,
  effectiveOn: r.effective_on,
  memo: r.memo,
  sourceType: r.source_type,
  sourceId: r.source_id,
  assetId: r.asset_id,
  reversesEntryId: r.reverses_entry_id,
  idempotencyKey: r.idempotency_key,
  requestFingerprint: r.request_fingerprint,
  actorUserId: r.actor_user_id,
  recordedAt: r.recorded_at,
  prevHash: r.prev_hash,
  hash: r.hash,
});

const toPostingWithAccount = (r: any): PostingWithAccount => ({
  id: r.id,
  entryId: r.entry_id,
  accountId: r.account_id,
  amountFen: toInt(r.amount_fen),
  holderPartyId: r.holder_party_id,
  accountKind: r.account_kind,
});

// ---------------------------------------------------------------------------------------------------------
// The chain's tip and the journal lock

/**
 * Reads the chain's tip and, on PostgreSQL, locks it until the transaction ends: every append goes through
 * here first, so appends are serialised and two writers can never both extend the same tip (a fork). Under
 * READ COMMITTED, statements after the lock see everything committed before it, so balances re-read after
 * locking are current. SQLite needs no lock: knex runs it on one connection and a transaction holds it.
 */
export async function lockHead(db: Executor): Promise<JournalHead> {
  const q = db('journal_head').where({ id: 1 }).first('last_sequence', 'last_hash');
  if (isPostgres(db)) q.forUpdate();
  const r = await q;
  if (!r) throw new Error('journal_head row is missing (migration 20261122002000_journal not applied?)');
  return { lastSequence: toInt(r.last_sequence), lastHash: r.last_hash };
}

/** The recorded tip, without locking (verification, reports). */
export async function readHead(db: Executor): Promise<JournalHead> {
  const r = await db('journal_head').where({ id: 1 }).first('last_sequence', 'last_hash');
  return { lastSequence: toInt(r.last_sequence), lastHash: r.last_hash };
}

export async function advanceHead(db: Executor, head: JournalHead): Promise<void> {
  await db('journal_head').where({ id: 1 }).update({ last_sequence: head.lastSequence, last_hash: head.lastHash });
}

// ---------------------------------------------------------------------------------------------------------
// Accounts

export async function findAccount(db: Executor, holderPartyId: number, kind: AccountKind): Promise<Account | undefined> {
  const r = await db('journal_accounts').where({ holder_party_id: holderPartyId, kind }).first();
  return r && toAccount(r);
}

/** The account of a holder and kind, created on first use; the unique key makes concurrent creation safe. */
export async function ensureAccount(db: Executor, holderPartyId: number, kind: AccountKind, now: string): Promise<Account> {
  const existing = await findAccount(db, holderPartyId, kind);
  if (existing) return existing;
  await db('journal_accounts')
    .insert({ holder_party_id: holderPartyId, kind, created_at: now })
    .onConflict(['holder_party_id', 'kind'])
    .ignore();
  return (await findAccount(db, holderPartyId, kind))!;
}

/**
 * The accounts of many (holder, kind) pairs, created where missing, in a few statements per 500 pairs:
 * an entry posting to thousands of households must not cost several queries per posting.
 */
export async function ensureAccounts(
  db: Executor,
  pairs: readonly { holderPartyId: number; kind: AccountKind }[],
  now: string,
): Promise<Map<string, Account>> {
  const key = (holder: number, kind: string) => `${holder}/${kind}`;
  const found = new Map<string, Account>();
  const load = async (wanted: readonly { holderPartyId: number; kind: AccountKind }[]) => {
    for (let i = 0; i < wanted.length; i += 500) {
      const chunk = wanted.slice(i, i + 500);
      const rows = await db('journal_accounts')
        .whereIn('holder_party_id', [...new Set(chunk.map((p) => p.holderPartyId))])
        .whereIn('kind', [...new Set(chunk.map((p) => p.kind))]);
      for (const r of rows) found.set(key(r.holder_party_id, r.kind), toAccount(r));
    }
  };
  await load(pairs);
  const missing = pairs.filter((p) => !found.has(key(p.holderPartyId, p.kind)));
  if (missing.length) {
    const rows = missing.map((p) => ({ holder_party_id: p.holderPartyId, kind: p.kind, created_at: now }));
    const made = await insertRows(db, 'journal_accounts', rows, { returning: 'id, holder_party_id, kind, created_at', onConflictIgnore: ['holder_party_id', 'kind'] });
    for (const r of made) found.set(key(r.holder_party_id, r.kind), toAccount(r));
    // Created meanwhile by a concurrent writer (the conflict was ignored): read them.
    const raced = missing.filter((p) => !found.has(key(p.holderPartyId, p.kind)));
    if (raced.length) await load(raced);
  }
  return found;
}

export async function findAccountsByIds(db: Executor, ids: readonly number[]): Promise<Account[]> {
  return (await db('journal_accounts').whereIn('id', ids as number[])).map(toAccount);
}

export async function accountsOfHolders(db: Executor, holderPartyIds: readonly number[]): Promise<Account[]> {
  return (await db('journal_accounts').whereIn('holder_party_id', holderPartyIds as number[]).orderBy('id')).map(toAccount);
}

export interface Balance {
  /** Totals over the account's whole history: exact at any size (bigint). */
  debitsFen: bigint;
  creditsFen: bigint;
  /** The balance itself is bounded by 2^53 fen (postEntry refuses to pass it), so a number. */
  balanceFen: number;
}

/**
 * Balance of one account from its postings: as of an effective date when given, else over everything
 * posted. Debits and credits are summed in SQL and read as exact text (see exactSum).
 */
export async function balanceOf(db: Executor, accountId: number, asOf?: string | null): Promise<Balance> {
  const q = db('journal_postings as p')
    .where('p.account_id', accountId)
    .first(
      exactSum(db, 'case when p.amount_fen > 0 then p.amount_fen else 0 end', 'debits'),
      exactSum(db, 'case when p.amount_fen < 0 then -p.amount_fen else 0 end', 'credits'),
    );
  if (asOf) q.join('journal_entries as e', 'e.id', 'p.entry_id').where('e.effective_on', '<=', asOf);
  const r: any = await q;
  const debitsFen = toBigInt(r?.debits);
  const creditsFen = toBigInt(r?.credits);
  return { debitsFen, creditsFen, balanceFen: toInt(String(debitsFen - creditsFen)) };
}

/**
 * Current balances (everything posted) of several accounts, for the balance rules under the journal lock:
 * read by key from account_balances (the running balance every posting insert moves, see applyToBalances),
 * so a post costs the same however long the accounts' history. An account with no row has balance zero.
 */
export async function currentBalances(db: Executor, accountIds: readonly number[]): Promise<Map<number, number>> {
  const m = new Map<number, number>(accountIds.map((id) => [id, 0]));
  const rows = await inChunks(accountIds, (slice) => db('account_balances').whereIn('account_id', slice).select('account_id', 'balance_fen'));
  for (const r of rows as any[]) m.set(r.account_id, toInt(r.balance_fen));
  return m;
}

/**
 * Moves the running balances (account_balances) by postings just inserted, in the caller's transaction:
 * every function here that inserts postings calls it, so the cache moves with the record or not at all
 * (a rollback takes both). One multi-row upsert per 5,000 accounts: each account's postings are summed
 * first (exactly, as bigint), so a statement touches an account once. Entries are appended in id order
 * under the journal lock, so the last entry id only grows.
 */
async function applyToBalances(db: Executor, postings: readonly { entryId: number; accountId: number; amountFen: number }[]): Promise<void> {
  const by = new Map<number, { fen: bigint; count: number; last: number }>();
  for (const p of postings) {
    const b = by.get(p.accountId);
    if (b) {
      b.fen += BigInt(p.amountFen);
      b.count++;
      if (p.entryId > b.last) b.last = p.entryId;
    } else by.set(p.accountId, { fen: BigInt(p.amountFen), count: 1, last: p.entryId });
  }
  const rows = [...by];
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    const bindings: unknown[] = [];
    for (const [accountId, b] of chunk) {
      // A batch's net movement of one account can pass 2^53 (from +2^53 to −2^53): bound as text then.
      const fen = b.fen >= BigInt(Number.MIN_SAFE_INTEGER) && b.fen <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b.fen) : String(b.fen);
      bindings.push(accountId, fen, b.count, b.last);
    }
    await db.raw(
      `insert into account_balances (account_id, balance_fen, postings_count, last_entry_id) values ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}
       on conflict (account_id) do update set balance_fen = account_balances.balance_fen + excluded.balance_fen,
         postings_count = account_balances.postings_count + excluded.postings_count, last_entry_id = excluded.last_entry_id`,
      bindings as any[],
    );
  }
}

export interface StoredBalanceCheck {
  accountId: number;
  holderPartyId: number;
  kind: AccountKind;
  /** What account_balances says (null: no row). */
  stored: { balanceFen: bigint; postingsCount: number; lastEntryId: number } | null;
  /** What the postings say. */
  posted: { balanceFen: bigint; postingsCount: number; lastEntryId: number | null };
}

/**
 * Verification of the running balances: for up to `limit` accounts with id > afterId (lowest first), the
 * stored row beside the sum, count and last entry of the account's postings (summed exactly).
 */
export async function storedBalancesAgainstPostings(db: Executor, afterId: number, limit: number): Promise<StoredBalanceCheck[]> {
  const accounts = await db('journal_accounts as a')
    .leftJoin('account_balances as b', 'b.account_id', 'a.id')
    .where('a.id', '>', afterId)
    .orderBy('a.id')
    .limit(limit)
    .select('a.id', 'a.holder_party_id', 'a.kind', db.raw(isPostgres(db) ? 'b.balance_fen::text as balance_fen' : 'cast(b.balance_fen as text) as balance_fen'), 'b.postings_count', 'b.last_entry_id');
  if (!accounts.length) return [];
  const sums = new Map<number, any>();
  const rows = await db('journal_postings')
    .where('account_id', '>=', accounts[0].id)
    .where('account_id', '<=', accounts[accounts.length - 1].id)
    .groupBy('account_id')
    .select('account_id', exactSum(db, 'amount_fen', 'total'), db.raw('count(*) as n'), db.raw('max(entry_id) as last'));
  for (const r of rows as any[]) sums.set(r.account_id, r);
  return accounts.map((a: any) => {
    const s = sums.get(a.id);
    return {
      accountId: a.id,
      holderPartyId: a.holder_party_id,
      kind: a.kind,
      stored: a.postings_count === null || a.postings_count === undefined ? null : { balanceFen: toBigInt(a.balance_fen), postingsCount: toInt(a.postings_count), lastEntryId: toInt(a.last_entry_id) },
      posted: { balanceFen: toBigInt(s?.total), postingsCount: toInt(s?.n), lastEntryId: s ? toInt(s.last) : null },
    };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Entries and postings: insert and read only

export type NewEntry = Omit<JournalEntry, 'id'>;

const entryRow = (e: NewEntry) => ({
  sequence: e.sequence,
  kind: e.kind,
  effective_on: e.effectiveOn,
  memo: e.memo,
  source_type: e.sourceType,
  source_id: e.sourceId,
  asset_id: e.assetId,
  reverses_entry_id: e.reversesEntryId,
  idempotency_key: e.idempotencyKey,
  request_fingerprint: e.requestFingerprint,
  actor_user_id: e.actorUserId,
  recorded_at: e.recordedAt,
  prev_hash: e.prevHash,
  hash: e.hash,
});

export async function insertEntry(
  db: Executor,
  e: NewEntry,
  postings: { accountId: number; amountFen: number }[],
): Promise<number> {
  const [r] = await db('journal_entries').insert(entryRow(e)).returning('id');
  // One statement for up to 10,000 postings (a distribution posts to each of its households).
  await insertRows(db, 'journal_postings', postings.map((p) => ({ entry_id: r.id, account_id: p.accountId, amount_fen: p.amountFen })));
  await applyToBalances(db, postings.map((p) => ({ entryId: r.id, accountId: p.accountId, amountFen: p.amountFen })));
  return r.id;
}


/**
 * Bulk append (postEntries, data generation): many entries in few statements, 500 entries and their
 * postings per pair of statements, and the running balances moved once for the lot. The caller holds the
 * journal lock (or owns the database), computes hashes and sequences, and advances the head. Returns each entry's id by sequence and each posting's id
 * by entry id and account (an entry posts to an account at most once).
 */
export async function insertEntriesBulk(
  db: Executor,
  entries: { entry: NewEntry; postings: { accountId: number; amountFen: number }[] }[],
  rowsPerStatement = 500,
): Promise<Map<number, number>> {
  return (await insertEntriesReturning(db, entries, rowsPerStatement)).entryIds;
}

export async function insertEntriesReturning(
  db: Executor,
  entries: { entry: NewEntry; postings: { accountId: number; amountFen: number }[] }[],
  rowsPerStatement = 500,
): Promise<{ entryIds: Map<number, number>; postingIds: Map<number, Map<number, number>> }> {
  const entryIds = new Map<number, number>();
  // Posting ids by entry id, then account id (numeric keys: no key string built per posting).
  const postingIds = new Map<number, Map<number, number>>();
  for (let i = 0; i < entries.length; i += rowsPerStatement) {
    const chunk = entries.slice(i, i + rowsPerStatement);
    const rows = chunk.map(({ entry }) => entryRow(entry));
    // RETURNING order is not guaranteed on SQLite: match postings to entries by sequence.
    for (const r of await insertRows(db, 'journal_entries', rows, { returning: 'id, sequence' })) entryIds.set(toInt(r.sequence), r.id);
    // Rows in entry order, postings in the order given: the ids posting one entry at a time would give.
    const postingRows = chunk.flatMap((c) => c.postings.map((p) => ({ entry_id: entryIds.get(c.entry.sequence)!, account_id: p.accountId, amount_fen: p.amountFen })));
    for (const r of await insertRows(db, 'journal_postings', postingRows, { returning: 'id, entry_id, account_id' })) {
      const byAccount = postingIds.get(r.entry_id);
      if (byAccount) byAccount.set(r.account_id, r.id);
      else postingIds.set(r.entry_id, new Map([[r.account_id, r.id]]));
    }
  }
  await applyToBalances(
    db,
    entries.flatMap((c) => c.postings.map((p) => ({ entryId: entryIds.get(c.entry.sequence)!, accountId: p.accountId, amountFen: p.amountFen }))),
  );
  return { entryIds, postingIds };
}

export async function findEntryById(db: Executor, id: number): Promise<JournalEntry | undefined> {
  const r = await db('journal_entries').where({ id }).first();
  return r && toEntry(r);
}

export async function findEntriesByIds(db: Executor, ids: readonly number[]): Promise<JournalEntry[]> {
  return (await db('journal_entries').whereIn('id', ids as number[])).map(toEntry);
}

/** Entries by idempotency key (many at once, for a batch of postings). */
export async function findEntriesByIdempotencyKeys(db: Executor, keys: readonly string[]): Promise<JournalEntry[]> {
  return (await inChunks(keys, (slice) => db('journal_entries').whereIn('idempotency_key', slice))).map(toEntry);
}

export async function findEntryByIdempotencyKey(db: Executor, key: string): Promise<JournalEntry | undefined> {
  const r = await db('journal_entries').where({ idempotency_key: key }).first();
  return r && toEntry(r);
}

/**
 * Sub-query of the ids of entries that have been reversed, for other modules' reads that must leave
 * reversed money out (income received, last income date) without touching the journal tables themselves.
 */
export function reversedEntryIdsQuery(db: Executor): Knex.QueryBuilder {
  return db('journal_entries').whereNotNull('reverses_entry_id').select('reverses_entry_id');
}

/** Reversals of the given entries (at most one each). */
export async function findReversalsOf(db: Executor, entryIds: readonly number[]): Promise<JournalEntry[]> {
  return (await db('journal_entries').whereIn('reverses_entry_id', entryIds as number[])).map(toEntry);
}

const POSTING_COLUMNS = [
  'p.id as id',
  'p.entry_id as entry_id',
  'p.account_id as account_id',
  'p.amount_fen as amount_fen',
  'a.holder_party_id as holder_party_id',
  'a.kind as account_kind',
];

export async function postingsOf(db: Executor, entryIds: readonly number[]): Promise<PostingWithAccount[]> {
  const rows = await inChunks(entryIds, (slice) =>
    db('journal_postings as p').join('journal_accounts as a', 'a.id', 'p.account_id').whereIn('p.entry_id', slice).orderBy('p.id').select(POSTING_COLUMNS),
  );
  // In posting order across slices too.
  if (entryIds.length > KEYS_PER_STATEMENT) rows.sort((x: any, y: any) => x.id - y.id);
  return rows.map(toPostingWithAccount);
}

/** What reconciliation judges of an entry and of its postings: nothing else is read. */
export type ReconcileEntry = Pick<JournalEntry, 'id' | 'sequence' | 'kind' | 'assetId' | 'reversesEntryId'>;
export type ReconcilePosting = Pick<PostingWithAccount, 'entryId' | 'amountFen' | 'holderPartyId' | 'accountKind'>;

/**
 * The entries named by a batch of domain rows and their postings, for reconciliation (verify reads every
 * domain row's entry: at a million income records this is most of verify's time). Only the judged columns
 * are read, and ids that lie close together (a batch of income records names entries posted in the same
 * order) are read as one id range through the primary key and the postings' entry index rather than as a
 * long IN list, then filtered.
 */
export async function reconcileReads(db: Executor, ids: readonly number[]): Promise<{ entries: ReconcileEntry[]; postings: ReconcilePosting[] }> {
  if (!ids.length) return { entries: [], postings: [] };
  let lo = ids[0];
  let hi = ids[0];
  for (const id of ids) {
    if (id < lo) lo = id;
    if (id > hi) hi = id;
  }
  const dense = hi - lo < 4 * ids.length;
  const wanted = new Set(ids);
  const entryRows = await (dense ? db('journal_entries').whereBetween('id', [lo, hi]) : db('journal_entries').whereIn('id', ids as number[])).select(
    'id',
    'sequence',
    'kind',
    'asset_id',
    'reverses_entry_id',
  );
  const postingRows = await (dense ? db('journal_postings').whereBetween('entry_id', [lo, hi]) : db('journal_postings').whereIn('entry_id', ids as number[])).select(
    'entry_id',
    'amount_fen',
    'account_id',
  );
  // Accounts are few next to postings: read each once instead of joining it to every posting.
  const accountIds = [...new Set(postingRows.map((r: any) => r.account_id as number))];
  const accounts = new Map<number, { holder_party_id: number; kind: AccountKind }>(
    (await inChunks(accountIds, (slice) => db('journal_accounts').whereIn('id', slice).select('id', 'holder_party_id', 'kind'))).map((a: any) => [a.id, a]),
  );
  return {
    entries: entryRows
      .filter((r: any) => wanted.has(r.id))
      .map((r: any) => ({ id: r.id, sequence: toInt(r.sequence), kind: r.kind, assetId: r.asset_id ?? null, reversesEntryId: r.reverses_entry_id ?? null })),
    postings: postingRows
      .filter((r: any) => wanted.has(r.entry_id))
      .map((r: any) => {
        const a = accounts.get(r.account_id)!;
        return { entryId: r.entry_id, amountFen: toInt(r.amount_fen), holderPartyId: a.holder_party_id, accountKind: a.kind };
      }),
  };
}

/** Holders' region codes of the accounts an entry posts to: what decides who may see it. */
export async function holderRegionsOfEntry(db: Executor, entryId: number): Promise<string[]> {
  const rows = await db('journal_postings as p')
    .join('journal_accounts as a', 'a.id', 'p.account_id')
    .join('parties as h', 'h.id', 'a.holder_party_id')
    .where('p.entry_id', entryId)
    .distinct('h.region_code as region_code');
  return rows.map((r: any) => r.region_code);
}

// ---------------------------------------------------------------------------------------------------------
// Streaming reads for verification

// Columns by position: rows come as arrays (better-sqlite3 raw mode, pg rowMode 'array'), the layout
// journal.hash.ts's ChainEntryRaw / ChainPostingRaw name. Verification serialises straight from the arrays:
// objects per row, in the driver or here, cost more than reading the row.
const CHAIN_ENTRIES_SQL = `select id, sequence, kind, effective_on, memo, source_type, source_id, asset_id, reverses_entry_id,
  idempotency_key, request_fingerprint, actor_user_id, recorded_at, prev_hash, hash
  from journal_entries where sequence > ? and sequence <= ? order by sequence limit ?`;
// In chain order (the entries' sequence index walked in order: no sort); canonicalEntryRow checks each entry's
// few are in hash order and sorts them when not.
const CHAIN_POSTINGS_SQL = `select p.entry_id, p.account_id, a.holder_party_id, a.kind, p.amount_fen
  from journal_entries e join journal_postings p on p.entry_id = e.id join journal_accounts a on a.id = p.account_id
  where e.sequence > ? and e.sequence <= ? order by e.sequence`;

/** A slice of the chain as raw rows: entries in sequence order, and all their postings in chain order. */
export interface ChainRows {
  entries: unknown[][];
  postings: unknown[][];
}

const sqliteStatements = new WeakMap<object, { entries: any; postings: any }>();

/**
 * A slice of the chain for verification: up to `limit` entries after `afterSequence` (up to `uptoSequence`)
 * and all their postings, in chain order, as arrays. On SQLite the two statements run prepared, in raw mode,
 * on the driver's own connection (knex's per-query building and the driver's per-row objects were most of
 * verification's time); on PostgreSQL through knex with rowMode 'array'. Only the hashed columns are read.
 */
export async function chainSliceRows(db: Executor, afterSequence: number, uptoSequence: number, limit: number): Promise<ChainRows> {
  if (isPostgres(db)) {
    const entries = (await db.raw(CHAIN_ENTRIES_SQL, [afterSequence, uptoSequence, limit]).options({ rowMode: 'array' })).rows;
    if (!entries.length) return { entries, postings: [] };
    const last = toInt(entries[entries.length - 1][1]);
    const postings = (await db.raw(CHAIN_POSTINGS_SQL, [afterSequence, last]).options({ rowMode: 'array' })).rows;
    return { entries, postings };
  }
  const client: any = db.client;
  const conn = await client.acquireConnection();
  try {
    return readChainRows(statementsOf(conn), afterSequence, uptoSequence, limit);
  } finally {
    await client.releaseConnection(conn);
  }
}

function statementsOf(conn: any): { entries: any; postings: any } {
  let stmts = sqliteStatements.get(conn);
  if (!stmts) {
    stmts = { entries: conn.prepare(CHAIN_ENTRIES_SQL).raw(true), postings: conn.prepare(CHAIN_POSTINGS_SQL).raw(true) };
    sqliteStatements.set(conn, stmts);
  }
  return stmts;
}

function readChainRows(stmts: { entries: any; postings: any }, afterSequence: number, uptoSequence: number, limit: number): ChainRows {
  const entries = stmts.entries.all(afterSequence, uptoSequence, limit);
  return { entries, postings: entries.length ? stmts.postings.all(afterSequence, entries[entries.length - 1][1]) : [] };
}

/** What a verification worker thread needs to read the chain by itself (see chainFileSource). */
export interface ChainFileSource {
  file: string;
  /** CHAIN_ENTRIES_SQL and CHAIN_POSTINGS_SQL: the worker prepares them, raw, on a read-only connection. */
  entriesSql: string;
  postingsSql: string;
}

/**
 * Where verification worker threads can read the chain by themselves: the SQLite file of `db` and this
 * repository's two statements, which each worker prepares on a read-only connection of its own (the worker
 * loads only the driver, not knex and the repository). Null on PostgreSQL, in memory, or inside a
 * transaction (another connection would not see its uncommitted rows): verification then reads through
 * `db` (chainSliceRows).
 */
export function chainFileSource(db: Executor): ChainFileSource | null {
  if (isPostgres(db) || (db as Knex.Transaction).isTransaction) return null;
  const filename = (db.client.config.connection as { filename?: string } | undefined)?.filename;
  if (!filename || filename === ':memory:' || filename.startsWith('file:')) return null;
  return { file: filename, entriesSql: CHAIN_ENTRIES_SQL, postingsSql: CHAIN_POSTINGS_SQL };
}

// ---------------------------------------------------------------------------------------------------------
// Lists and reports

export interface EntryFilter {
  /** Region prefix of the holders: an entry is listed when one of its postings is held inside it. */
  regionPrefix: string;
  holderPartyId?: number | null;
  accountKind?: AccountKind | null;
  assetId?: number | null;
  kind?: EntryKind | null;
  fromDate?: string | null;
  toDate?: string | null;
}

export function listQuery(db: Executor, f: EntryFilter): Knex.QueryBuilder {
  const q = db('journal_entries').whereExists(function (this: Knex.QueryBuilder) {
    this.select(db.raw('1'))
      .from('journal_postings as p')
      .join('journal_accounts as a', 'a.id', 'p.account_id')
      .join('parties as h', 'h.id', 'a.holder_party_id')
      .whereRaw('p.entry_id = journal_entries.id')
      .where('h.region_code', 'like', `${f.regionPrefix}%`);
    if (f.holderPartyId) this.where('a.holder_party_id', f.holderPartyId);
    if (f.accountKind) this.where('a.kind', f.accountKind);
  });
  if (f.assetId) q.where('journal_entries.asset_id', f.assetId);
  if (f.kind) q.where('journal_entries.kind', f.kind);
  if (f.fromDate) q.where('journal_entries.effective_on', '>=', f.fromDate);
  if (f.toDate) q.where('journal_entries.effective_on', '<=', f.toDate);
  return q;
}

export interface TrialBalanceRow {
  accountKind: AccountKind;
  accountCount: number;
  /** A region's turnover has no 2^53 bound: exact bigint sums. */
  debitsFen: bigint;
  creditsFen: bigint;
}

/** Debits and credits by account kind over the accounts held inside the region, as of a date. */
export async function trialBalanceByKind(db: Executor, regionPrefix: string, asOf: string): Promise<TrialBalanceRow[]> {
  const rows = await db('journal_postings as p')
    .join('journal_entries as e', 'e.id', 'p.entry_id')
    .join('journal_accounts as a', 'a.id', 'p.account_id')
    .join('parties as h', 'h.id', 'a.holder_party_id')
    .where('h.region_code', 'like', `${regionPrefix}%`)
    .where('e.effective_on', '<=', asOf)
    .groupBy('a.kind')
    .orderBy('a.kind')
    .select(
      'a.kind as kind',
      db.raw('count(distinct a.id) as accounts'),
      exactSum(db, 'case when p.amount_fen > 0 then p.amount_fen else 0 end', 'debits'),
      exactSum(db, 'case when p.amount_fen < 0 then -p.amount_fen else 0 end', 'credits'),
    );
  return rows.map((r: any) => ({
    accountKind: r.kind,
    accountCount: toInt(r.accounts),
    debitsFen: toBigInt(r.debits),
    creditsFen: toBigInt(r.credits),
  }));
}

/**
 * The entries touching the region (a posting held inside it) as of a date: how many, how many do not sum to
 * zero or have fewer than two postings (must be none), and the net of their postings held outside the region
 * (the other side of money that crossed the region's border).
 */
export async function entryBalanceCheck(
  db: Executor,
  regionPrefix: string,
  asOf: string,
): Promise<{ entries: number; unbalanced: number; outsideNetFen: bigint }> {
  const like = `${regionPrefix}%`;
  const touching = db('journal_postings as p')
    .join('journal_accounts as a', 'a.id', 'p.account_id')
    .join('parties as h', 'h.id', 'a.holder_party_id')
    .where('h.region_code', 'like', like)
    .select('p.entry_id');
  const perEntry = db('journal_postings as q')
    .join('journal_entries as e', 'e.id', 'q.entry_id')
    .join('journal_accounts as qa', 'qa.id', 'q.account_id')
    .join('parties as qh', 'qh.id', 'qa.holder_party_id')
    .whereIn('q.entry_id', touching)
    .where('e.effective_on', '<=', asOf)
    .groupBy('q.entry_id')
    .select(
      'q.entry_id',
      db.raw('sum(q.amount_fen) as total'),
      db.raw('count(*) as n'),
      db.raw('sum(case when qh.region_code like ? then 0 else q.amount_fen end) as outside', [like]),
    );
  const r: any = await db
    .from(perEntry.as('t'))
    .first(
      db.raw('count(*) as entries'),
      db.raw('coalesce(sum(case when t.total <> 0 or t.n < 2 then 1 else 0 end), 0) as unbalanced'),
      exactSum(db, 't.outside', 'outside'),
    );
  return { entries: toInt(r?.entries), unbalanced: toInt(r?.unbalanced), outsideNetFen: toBigInt(r?.outside) };
}

/** Number of entries in the journal. */
export async function countEntries(db: Executor): Promise<number> {
  const r: any = await db('journal_entries').count({ n: '*' }).first();
  return toInt(r?.n);
}

export interface AccountMovement {
  entryId: number;
  sequence: number;
  effectiveOn: string;
  memo: string;
  amountFen: number;
}

/** Every posting to one holder's account of a kind, oldest first, with its entry's date and memo. */
export async function movementsOf(db: Executor, holderPartyId: number, kind: AccountKind): Promise<AccountMovement[]> {
  const rows = await db('journal_postings as p')
    .join('journal_accounts as a', 'a.id', 'p.account_id')
    .join('journal_entries as e', 'e.id', 'p.entry_id')
    .where({ 'a.holder_party_id': holderPartyId, 'a.kind': kind })
    .orderBy('e.sequence')
    .select('e.id as entry_id', 'e.sequence', 'e.effective_on', 'e.memo', 'p.amount_fen');
  return rows.map((r: any) => ({ entryId: r.entry_id, sequence: r.sequence, effectiveOn: r.effective_on, memo: r.memo, amountFen: r.amount_fen }));
}

/**
 * The chain head as it stood at a moment: the last entry recorded at or before `at` (entries are appended in
 * sequence order under the head lock, so recorded_at never runs backwards along the chain). Genesis before any.
 */
export async function headAt(db: Executor, at: string): Promise<JournalHead> {
  const r = await db('journal_entries').where('recorded_at', '<=', at).orderBy('sequence', 'desc').first('sequence', 'hash');
  return r ? { lastSequence: toInt(r.sequence), lastHash: r.hash } : { lastSequence: 0, lastHash: '0'.repeat(64) };
}

// ---------------------------------------------------------------------------------------------------------
// Checkpoints: the head written down (issue 8)

export interface HeadMark {
  /** Where the mark comes from, for a verification message ("checkpoint #3", "notice #7"). */
  source: string;
  sequence: number;
  hash: string;
}

export async function insertCheckpoint(db: Executor, c: { sequence: number; hash: string; actorUserId: number; recordedAt: string }): Promise<number> {
  const [r] = await db('journal_checkpoints')
    .insert({ sequence: c.sequence, hash: c.hash, actor_user_id: c.actorUserId, recorded_at: c.recordedAt })
    .returning('id');
  return r.id;
}

/** Every recorded head: auditors' checkpoints and the heads printed on published notices. */
export async function headMarks(db: Executor): Promise<HeadMark[]> {
  const checkpoints = await db('journal_checkpoints').select('id', 'sequence', 'hash');
  const notices = await db('distribution_notices').whereNotNull('journal_hash').select('id', 'journal_sequence', 'journal_hash');
  return [
    ...checkpoints.map((r: any) => ({ source: `checkpoint #${r.id}`, sequence: toInt(r.sequence), hash: r.hash })),
    ...notices.map((r: any) => ({ source: `notice #${r.id}`, sequence: toInt(r.journal_sequence), hash: r.journal_hash })),
  ];
}

/** Holders' region codes of each entry's accounts (a batch of holderRegionsOfEntry, for the entry loaders). */
export async function holderRegionsOfEntries(db: Executor, entryIds: readonly number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>(entryIds.map((id) => [id, []]));
  const rows = await db('journal_postings as p')
    .join('journal_accounts as a', 'a.id', 'p.account_id')
    .join('parties as h', 'h.id', 'a.holder_party_id')
    .whereIn('p.entry_id', entryIds as number[])
    .distinct('p.entry_id as entry_id', 'h.region_code as region_code');
  for (const r of rows as any[]) out.get(r.entry_id)?.push(r.region_code);
  return out;
}
