import { z } from 'zod';
import type { Executor } from '../../db/connection';
import type { ServiceContext } from '../../shared/context';
import { DomainError } from '../../shared/errors';
import { formatFen, MAX_FEN } from '../../shared/money';
import { keysetPage, PageArgs } from '../../shared/pagination';
import { dateString, parseInput, text } from '../../shared/validation';
import { isValidDate, requireNotFuture } from '../../shared/dates';
import { authorize, canRead } from '../auth/auth.service';
import type { Actor } from '../auth/auth.types';
import * as partiesRepo from '../parties/parties.repository';
import type { Party } from '../parties/parties.types';
import { canSeeParty } from '../parties/parties.service';
import { isRegionCode, prefixOf } from '../regions/regions.codes';
import * as regionsRepo from '../regions/regions.repository';
import { scopedPrefix } from '../regions/regions.service';
import { entryHash, requestFingerprint } from './journal.hash';
import * as repo from './journal.repository';
import {
  ACCOUNT_KINDS,
  Account,
  AccountKind,
  ENTRY_KINDS,
  EntryKind,
  JournalEntry,
  mayGoNegative,
  PostingWithAccount,
  SOURCE_TYPES,
  SourceType,
} from './journal.types';
import { verifyChain } from './journal.verify';
import type { JournalLoaders } from './journal.loaders';

// =========================================================================================================
// Posting: the one way money moves. Other modules (income, distribution, disposal, bundles) call postEntry
// inside their own transaction, after their own checks and authorisation.
// =========================================================================================================

export interface PostingRequest {
  /** The holder: a party id (parties.id). */
  holderPartyId: number;
  kind: AccountKind;
  /** Signed fen: positive = debit (into the account), negative = credit (out of it). */
  amountFen: number;
}

export interface EntryRequest {
  kind: EntryKind;
  effectiveOn: string;
  memo: string;
  source?: { type: SourceType; id: number } | null;
  assetId?: number | null;
  reversesEntryId?: number | null;
  /** Unique per money movement; a retry of the same request with the same key posts nothing new. */
  idempotencyKey: string;
  /** requestFingerprint(operation, actor, input) of the request that asked for this entry. */
  requestFingerprint: string;
  postings: PostingRequest[];
}

export interface PostedEntry {
  entry: JournalEntry;
  postings: PostingWithAccount[];
  /** True when the idempotency key had already been used by the same request: nothing new was posted. */
  replayed: boolean;
}

const fen = z
  .number()
  .int()
  .refine((v) => Number.isSafeInteger(v) && v !== 0 && Math.abs(v) <= MAX_FEN, {
    message: 'amount must be a non-zero integer of fen within ±2^53',
    params: { code: 'INVALID_AMOUNT' },
  });

export const idempotencyKey = text(100);

/**
 * dateString's rule (same message and code), remembered per text: a batch carries the same few dates
 * thousands of times, and strict dayjs parsing was a sixth of postEntries' CPU (issue 16, G8's profile).
 * Bounded: forgotten wholesale past 10,000 texts.
 */
const knownDates = new Map<string, boolean>();
function isValidDateRemembered(value: string): boolean {
  let ok = knownDates.get(value);
  if (ok === undefined) {
    ok = isValidDate(value);
    if (knownDates.size >= 10_000) knownDates.clear();
    knownDates.set(value, ok);
  }
  return ok;
}
const entryDate = z.string().refine(isValidDateRemembered, { message: 'must be a real date YYYY-MM-DD', params: { code: 'INVALID_DATE' } });

/** The most postings one entry may carry: a distribution to 100,000 households, with room for its fund postings. */
export const MAX_ENTRY_POSTINGS = 100_100;

const entrySchema = z.object({
  kind: z.enum(ENTRY_KINDS),
  effectiveOn: entryDate,
  memo: text(500),
  source: z
    .object({ type: z.enum(Object.keys(SOURCE_TYPES) as [SourceType, ...SourceType[]]), id: z.number().int().positive() })
    .nullish(),
  assetId: z.number().int().positive().nullish(),
  reversesEntryId: z.number().int().positive().nullish(),
  idempotencyKey,
  requestFingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  postings: z
    .array(z.object({ holderPartyId: z.number().int().positive(), kind: z.enum(ACCOUNT_KINDS as [AccountKind, ...AccountKind[]]), amountFen: fen }))
    // A distribution posts to each recipient household in one entry (see distribution's MAX_PLAN_HOUSEHOLDS).
    .max(MAX_ENTRY_POSTINGS),
});

/** Double-entry rules that need no database: the postings sum to zero and no account appears twice. */
/** The balance rules of one posting against its account's balance before it: no overdraft of an account kind
 * that must not go negative, and a balance that stays inside 2^53 fen (exact as a number). */
function requireBalanceAfter(p: PostingRequest, index: number, beforeFen: number, holderName: string): void {
  const after = beforeFen + p.amountFen;
  if (after < 0 && !mayGoNegative(p.kind)) {
    throw new DomainError(
      'INSUFFICIENT_BALANCE',
      `${holderName} ${p.kind} holds ${formatFen(beforeFen)} yuan; ${formatFen(-p.amountFen)} cannot be taken from it`,
      ['input', 'postings', String(index), 'amount'],
    );
  }
  if (Math.abs(after) > MAX_FEN) {
    throw new DomainError('INVALID_AMOUNT', 'The balance would pass 2^53 fen', ['input', 'postings', String(index), 'amount']);
  }
}

function requireBalancedPostings(postings: PostingRequest[]): void {
  if (postings.length < 2) {
    throw new DomainError('INVALID_POSTINGS', 'An entry needs at least two postings', ['input', 'postings']);
  }
  const total = postings.reduce((s, p) => s + BigInt(p.amountFen), 0n);
  if (total !== 0n) {
    throw new DomainError('UNBALANCED_ENTRY', `Postings must sum to zero; they sum to ${total} fen`, ['input', 'postings']);
  }
  const seen = new Set<string>();
  postings.forEach((p, i) => {
    const key = `${p.holderPartyId}/${p.kind}`;
    if (seen.has(key)) {
      throw new DomainError('INVALID_POSTINGS', `Account ${p.kind} of party ${p.holderPartyId} appears twice in one entry`, [
        'input',
        'postings',
        String(i),
      ]);
    }
    seen.add(key);
  });
}

/**
 * Takes the journal lock and looks the idempotency key up. Returns the first result when the same request
 * already used the key; throws IDEMPOTENCY_CONFLICT when another request did; null when the key is new.
 * Money-moving services call this before anything else, so a retry skips their side effects too; holding
 * the lock from here to commit means a concurrent retry waits and then finds the first one's entry.
 */
export async function replayOf(svc: ServiceContext, key: string, fingerprint: string): Promise<PostedEntry | null> {
  return (await lockAndLookUp(svc, key, fingerprint)).replay;
}

/**
 * Keys live in the actor's region: a key typed in 茶坪村 never meets one typed in 金台村, so nobody can
 * probe another region's keys (or learn their entry numbers) by retrying with them. Stored as
 * "<region code>:<key>"; the region is the actor's, not the target's, so it is known before any lookup.
 */
export function scopedIdempotencyKey(svc: ServiceContext, key: string): string {
  return `${svc.actor.regionCode}:${key}`;
}

async function lockAndLookUp(svc: ServiceContext, key: string, fingerprint: string) {
  const head = await repo.lockHead(svc.db);
  const existing = await repo.findEntryByIdempotencyKey(svc.db, scopedIdempotencyKey(svc, key));
  if (!existing) return { head, replay: null };
  if (existing.requestFingerprint !== fingerprint) {
    throw new DomainError(
      'IDEMPOTENCY_CONFLICT',
      `Idempotency key ${JSON.stringify(key)} was already used for a different request (entry #${existing.sequence})`,
      ['input', 'idempotencyKey'],
    );
  }
  const replay: PostedEntry = { entry: existing, postings: await repo.postingsOf(svc.db, [existing.id]), replayed: true };
  return { head, replay };
}

/**
 * The hashed fields of an entry, for postEntry and postEntries alike: one builder, so a batch can never hash
 * an entry differently from posting it alone.
 */
function entryFields(svc: ServiceContext, req: z.infer<typeof entrySchema>, sequence: number, idempotencyKey: string, recordedAt: string) {
  return {
    sequence,
    kind: req.kind,
    effectiveOn: req.effectiveOn,
    memo: req.memo,
    sourceType: req.source?.type ?? null,
    sourceId: req.source?.id ?? null,
    assetId: req.assetId ?? null,
    reversesEntryId: req.reversesEntryId ?? null,
    idempotencyKey,
    requestFingerprint: req.requestFingerprint,
    actorUserId: svc.actor.userId,
    recordedAt,
  };
}

/**
 * Appends one balanced entry to the chain, in the caller's transaction. Under the journal lock it re-checks
 * the idempotency key, creates missing accounts, refuses to take an account below zero where its kind
 * forbids it (against balances read under the lock), then links the entry to the chain's tip.
 *
 * Lock order: every money-moving transaction takes the journal lock first — call replayOf before locking
 * anything else (requireAsset, a plan row…) — so two of them can never wait on each other.
 */
export async function postEntry(svc: ServiceContext, request: EntryRequest): Promise<PostedEntry> {
  const req = parseInput(entrySchema, request);
  requireBalancedPostings(req.postings);
  requireNotFuture(svc, req.effectiveOn, ['input', 'effectiveOn']);

  const { head, replay } = await lockAndLookUp(svc, req.idempotencyKey, req.requestFingerprint);
  if (replay) return replay;
  const now = svc.clock.now();

  const holders = new Map((await partiesRepo.findByIds(svc.db, [...new Set(req.postings.map((p) => p.holderPartyId))])).map((h) => [h.id, h]));
  req.postings.forEach((p, i) => {
    if (!holders.has(p.holderPartyId)) {
      throw new DomainError('NOT_FOUND', `No party ${p.holderPartyId} to hold the account`, ['input', 'postings', String(i), 'holderId']);
    }
  });
  const byPair = await repo.ensureAccounts(svc.db, req.postings, now);
  const accounts: Account[] = req.postings.map((p) => byPair.get(`${p.holderPartyId}/${p.kind}`)!);

  const balances = await repo.currentBalances(svc.db, accounts.map((a) => a.id));
  req.postings.forEach((p, i) => requireBalanceAfter(p, i, balances.get(accounts[i].id)!, holders.get(p.holderPartyId)!.name));

  const postings = req.postings.map((p, i) => ({
    accountId: accounts[i].id,
    holderPartyId: p.holderPartyId,
    accountKind: p.kind,
    amountFen: p.amountFen,
  }));
  const fields = entryFields(svc, req, head.lastSequence + 1, scopedIdempotencyKey(svc, req.idempotencyKey), now);
  const hash = entryHash(head.lastHash, fields, postings);
  const entry = { ...fields, prevHash: head.lastHash, hash };
  const id = await repo.insertEntry(svc.db, entry, postings);
  await repo.advanceHead(svc.db, { lastSequence: entry.sequence, lastHash: hash });
  return { entry: { id, ...entry }, postings: await repo.postingsOf(svc.db, [id]), replayed: false };
}

/**
 * Appends many balanced entries in order under one journal lock, in the caller's transaction: the batch path
 * of imports, venture releases and data generation. Each request gets exactly the checks, rows and hash it
 * would get from postEntry called for each in turn (test/journal.batch.test.ts holds the two chains equal):
 * replays of used keys (also of a key used earlier in the same batch), accounts created in order of first
 * use, balances carried from entry to entry in memory, the chain computed in memory — then written in a
 * few multi-row statements (entries, postings) and the head advanced once. All entries share one
 * recordedAt (the clock read once). A rejection throws the problem posting one by one would have met first
 * (the caller's transaction then rolls back).
 */
export async function postEntries(svc: ServiceContext, requests: readonly EntryRequest[]): Promise<PostedEntry[]> {
  // A request's own problems are found up front but thrown in order, after the balance problems of the
  // requests before it: the rejection is the one posting one by one would have met first.
  const problems: unknown[] = [];
  // Today read once for the batch (the clock is read once for recordedAt too).
  const today = svc.clock.today();
  const onToday = { clock: { now: svc.clock.now, today: () => today } };
  const reqs = requests.map((r, i) => {
    try {
      const req = parseInput(entrySchema, r);
      requireBalancedPostings(req.postings);
      requireNotFuture(onToday, req.effectiveOn, ['input', 'effectiveOn']);
      return req;
    } catch (err) {
      problems[i] = err;
      return null;
    }
  });
  const head = await repo.lockHead(svc.db);
  const now = svc.clock.now();
  const valid = reqs.filter((r): r is NonNullable<typeof r> => r !== null);
  const scopedKeys = reqs.map((r) => (r ? scopedIdempotencyKey(svc, r.idempotencyKey) : ''));
  const usedBefore = new Map((await repo.findEntriesByIdempotencyKeys(svc.db, scopedKeys.filter(Boolean))).map((e) => [e.idempotencyKey, e]));
  const holderIds = [...new Set(valid.flatMap((r) => r.postings.map((p) => p.holderPartyId)))];
  const holders = new Map<number, Party>((await partiesRepo.findByIds(svc.db, holderIds)).map((h) => [h.id, h]));

  // Pass 1, in order: replays (of earlier entries or of this batch's own), key conflicts, holders.
  type Slot = { replayOf: JournalEntry } | { replayOfBatch: number } | { post: true } | { problem: true };
  const slots: Slot[] = [];
  const inBatch = new Map<string, number>();
  reqs.forEach((req, i) => {
    if (!req) return void slots.push({ problem: true });
    const key = scopedKeys[i];
    const earlier = usedBefore.get(key);
    const batchIndex = inBatch.get(key);
    const firstFingerprint = earlier ? earlier.requestFingerprint : batchIndex !== undefined ? reqs[batchIndex]!.requestFingerprint : null;
    if (firstFingerprint !== null) {
      if (firstFingerprint !== req.requestFingerprint) {
        problems[i] = new DomainError(
          'IDEMPOTENCY_CONFLICT',
          `Idempotency key ${JSON.stringify(req.idempotencyKey)} was already used for a different request${earlier ? ` (entry #${earlier.sequence})` : ''}`,
          ['input', 'idempotencyKey'],
        );
        return void slots.push({ problem: true });
      }
      return void slots.push(earlier ? { replayOf: earlier } : { replayOfBatch: batchIndex! });
    }
    const missing = req.postings.findIndex((p) => !holders.has(p.holderPartyId));
    if (missing >= 0) {
      problems[i] = new DomainError('NOT_FOUND', `No party ${req.postings[missing].holderPartyId} to hold the account`, [
        'input',
        'postings',
        String(missing),
        'holderId',
      ]);
      return void slots.push({ problem: true });
    }
    inBatch.set(key, i);
    slots.push({ post: true });
  });

  // Accounts in order of first use (the ids postEntry one by one would give them), then balances under the lock.
  const toPost = reqs.filter((_, i) => 'post' in slots[i]) as NonNullable<(typeof reqs)[number]>[];
  const firstUse = new Map<string, PostingRequest>();
  for (const p of toPost.flatMap((r) => r.postings)) if (!firstUse.has(`${p.holderPartyId}/${p.kind}`)) firstUse.set(`${p.holderPartyId}/${p.kind}`, p);
  const byPair = await repo.ensureAccounts(svc.db, [...firstUse.values()], now);
  const accountIds = [...new Set([...byPair.values()].map((a) => a.id))];
  const balances = await repo.currentBalances(svc.db, accountIds);

  // Pass 2, in order: balance rules against the running balances, then the chain in memory.
  let { lastSequence, lastHash } = head;
  const written: { entry: repo.NewEntry; postings: Omit<PostingWithAccount, 'id' | 'entryId'>[] }[] = [];
  const writtenAt = new Map<number, number>();
  reqs.forEach((req, i) => {
    if ('problem' in slots[i]) throw problems[i];
    if (!req || !('post' in slots[i])) return;
    const accounts = req.postings.map((p) => byPair.get(`${p.holderPartyId}/${p.kind}`)!);
    req.postings.forEach((p, j) => requireBalanceAfter(p, j, balances.get(accounts[j].id)!, holders.get(p.holderPartyId)!.name));
    req.postings.forEach((p, j) => balances.set(accounts[j].id, balances.get(accounts[j].id)! + p.amountFen));
    const postings = req.postings.map((p, j) => ({ accountId: accounts[j].id, holderPartyId: p.holderPartyId, accountKind: p.kind, amountFen: p.amountFen }));
    const fields = entryFields(svc, req, lastSequence + 1, scopedKeys[i], now);
    const hash = entryHash(lastHash, fields, postings);
    writtenAt.set(i, written.length);
    written.push({ entry: { ...fields, prevHash: lastHash, hash }, postings });
    lastSequence = fields.sequence;
    lastHash = hash;
  });

  const { entryIds, postingIds } = await repo.insertEntriesReturning(svc.db, written);
  if (written.length) await repo.advanceHead(svc.db, { lastSequence, lastHash });

  // The answer, as postEntry gives it: each entry with its postings as stored (in id order); built from what
  // was written, only replays of earlier entries are read back.
  const entries: JournalEntry[] = written.map((w) => ({ id: entryIds.get(w.entry.sequence)!, ...w.entry }));
  const postingsBy = new Map<number, PostingWithAccount[]>();
  written.forEach((w, k) => {
    const entryId = entries[k].id;
    const ids = postingIds.get(entryId)!;
    const list: PostingWithAccount[] = w.postings.map((p) => ({
      id: ids.get(p.accountId)!,
      entryId,
      accountId: p.accountId,
      amountFen: p.amountFen,
      holderPartyId: p.holderPartyId,
      accountKind: p.accountKind,
    }));
    postingsBy.set(entryId, list.sort((x, y) => x.id - y.id));
  });
  const replayed = slots.flatMap((s) => ('replayOf' in s ? [s.replayOf.id] : []));
  for (const p of replayed.length ? await repo.postingsOf(svc.db, replayed) : []) {
    const list = postingsBy.get(p.entryId);
    if (list) list.push(p);
    else postingsBy.set(p.entryId, [p]);
  }
  return slots.map((s, i): PostedEntry => {
    if ('replayOf' in s) return { entry: s.replayOf, postings: postingsBy.get(s.replayOf.id) ?? [], replayed: true };
    const entry = entries[writtenAt.get('replayOfBatch' in s ? s.replayOfBatch : i)!];
    return { entry, postings: postingsBy.get(entry.id) ?? [], replayed: 'replayOfBatch' in s };
  });
}

/** The account of a holder and kind, created on demand (the same one every time). */
export async function accountOf(svc: ServiceContext, holderPartyId: number, kind: AccountKind): Promise<Account> {
  return repo.ensureAccount(svc.db, holderPartyId, kind, svc.clock.now());
}

// =========================================================================================================
// Reversal (冲销): the original stays; a new entry with negated postings points to it.
// =========================================================================================================

const reverseSchema = z.object({
  entryId: z.number(),
  reason: text(400),
  effectiveOn: dateString.nullish(),
  idempotencyKey,
});

/** Says why an entry may not be reversed on its own (null: it may); registered by modules above the journal. */
export type ReversalGuard = (svc: ServiceContext, entryId: number) => Promise<string | null>;
const reversalGuards: ReversalGuard[] = [];

/** A module that builds on journal entries refuses their bare reversal (it keeps the journal below it). */
export function guardReversal(guard: ReversalGuard): void {
  reversalGuards.push(guard);
}

/** Sources whose entries only their own module may reverse, because it tracks their state. */
const DOMAIN_REVERSED_SOURCES: readonly SourceType[] = ['DISTRIBUTION_PLAN'];

export async function reverseEntry(svc: ServiceContext, raw: unknown): Promise<PostedEntry> {
  const input = parseInput(reverseSchema, raw);
  // Role first: a clerk's retry must not learn anything about someone else's key.
  authorize(svc.actor, 'journal.reverse', svc.actor.regionCode);
  const fingerprint = requestFingerprint('journalEntryReverse', svc.actor.userId, {
    entryId: input.entryId,
    reason: input.reason,
    effectiveOn: input.effectiveOn ?? null,
  });
  // Then the entry's scope, before the key is looked up: authorise first, learn nothing otherwise.
  const { entry: original, regions } = await requireEntry(svc, input.entryId, ['input', 'entryId']);
  authorize(svc.actor, 'journal.reverse', regions.find((r) => canRead(svc.actor, r))!);
  const replay = await replayOf(svc, input.idempotencyKey, fingerprint);
  if (replay) return replay;

  if (original.kind === 'REVERSAL') {
    throw new DomainError('CANNOT_REVERSE_REVERSAL', `Entry #${original.sequence} is itself a reversal; post a new entry instead`, [
      'input',
      'entryId',
    ]);
  }
  // A module above that has built on an entry (a plan that claims a receipt) refuses its bare reversal.
  for (const guard of reversalGuards) {
    const why = await guard(svc, original.id);
    if (why) throw new DomainError('USE_DOMAIN_REVERSAL', `Entry #${original.sequence} ${why}`, ['input', 'entryId']);
  }
  // A distribution's entries carry its workflow (executed, paid, closed): reversing one here would leave the
  // plan saying money moved that did not. Such entries are corrected through distributionPlanReverse.
  if (original.sourceType && DOMAIN_REVERSED_SOURCES.includes(original.sourceType)) {
    throw new DomainError(
      'USE_DOMAIN_REVERSAL',
      `Entry #${original.sequence} belongs to a ${SOURCE_TYPES[original.sourceType]}; correct it through that workflow (e.g. distributionPlanReverse)`,
      ['input', 'entryId'],
    );
  }
  const [already] = await repo.findReversalsOf(svc.db, [original.id]);
  if (already) {
    throw new DomainError('ALREADY_REVERSED', `Entry #${original.sequence} was already reversed by entry #${already.sequence}`, [
      'input',
      'entryId',
    ]);
  }
  const effectiveOn = input.effectiveOn ?? svc.clock.today();
  if (effectiveOn < original.effectiveOn) {
    throw new DomainError('DATE_ORDER', `A reversal cannot take effect before the entry it reverses (${original.effectiveOn})`, [
      'input',
      'effectiveOn',
    ]);
  }
  const postings = await repo.postingsOf(svc.db, [original.id]);
  return postEntry(svc, {
    kind: 'REVERSAL',
    effectiveOn,
    memo: `冲销 #${original.sequence}: ${input.reason}`,
    source: original.sourceType ? { type: original.sourceType, id: original.sourceId! } : null,
    assetId: original.assetId,
    reversesEntryId: original.id,
    idempotencyKey: input.idempotencyKey,
    requestFingerprint: fingerprint,
    postings: postings.map((p) => ({ holderPartyId: p.holderPartyId, kind: p.accountKind, amountFen: -p.amountFen })),
  });
}

// =========================================================================================================
// Reads. An entry is visible when one of its postings is held inside the actor's scope; all its postings
// are then shown, since half an entry would not balance.
// =========================================================================================================

/** An entry's read rule: visible when one of its postings is held inside the actor's scope. */
const entryVisibleTo = (actor: Actor, holderRegions: readonly string[]) => holderRegions.some((r) => canRead(actor, r));

async function visibleRegions(db: Executor, actor: Actor, entryId: number): Promise<string[]> {
  const regions = await repo.holderRegionsOfEntry(db, entryId);
  return entryVisibleTo(actor, regions) ? regions : [];
}

async function requireEntry(svc: ServiceContext, entryId: number, field: string[]): Promise<{ entry: JournalEntry; regions: string[] }> {
  const entry = await repo.findEntryById(svc.db, entryId);
  const regions = entry ? await visibleRegions(svc.db, svc.actor, entry.id) : [];
  if (!entry || !regions.length) throw new DomainError('NOT_FOUND', 'No such journal entry in your scope', field);
  return { entry, regions };
}

export async function getEntry(svc: ServiceContext, id: number): Promise<JournalEntry | null> {
  const entry = await repo.findEntryById(svc.db, id);
  return entry && (await visibleRegions(svc.db, svc.actor, id)).length ? entry : null;
}

/**
 * getEntry's rule, batched through the request's journal loaders: other modules' fields that name an entry
 * (a venture's contributions and splits) resolve a whole page in a constant number of queries.
 */
export async function loadVisibleEntry(svc: ServiceContext, loaders: JournalLoaders, id: number): Promise<JournalEntry | null> {
  const [entry, regions] = await Promise.all([loaders.entry.load(id), loaders.entryRegions.load(id)]);
  return entry && entryVisibleTo(svc.actor, regions) ? entry : null;
}

export async function getAccount(svc: ServiceContext, id: number): Promise<Account | null> {
  const [account] = await repo.findAccountsByIds(svc.db, [id]);
  if (!account) return null;
  // The account is visible where its holder is (node(Party)'s rule); its balance only inside the actor's
  // region (visibleBalance, which the Account.balance field calls), so every path answers the same.
  const holder = await partiesRepo.findById(svc.db, account.holderPartyId);
  return holder && canSeeParty(svc.actor, holder) ? account : null;
}

export interface EntryListFilter {
  regionCode?: string | null;
  holderId?: number | null;
  accountKind?: AccountKind | null;
  assetId?: number | null;
  kind?: EntryKind | null;
  fromDate?: string | null;
  toDate?: string | null;
}

export async function listEntries(svc: ServiceContext, filter: EntryListFilter, page: PageArgs) {
  const regionPrefix = scopedPrefix(svc.actor, filter.regionCode);
  const q = repo.listQuery(svc.db, { ...filter, holderPartyId: filter.holderId, regionPrefix });
  return keysetPage(q, page, repo.toEntry, 'journal_entries.id');
}

export interface AccountBalanceView {
  holder: Party;
  kind: AccountKind;
  account: Account | null;
  asOf: string | null;
  debitsFen: bigint;
  creditsFen: bigint;
  balanceFen: number;
}

/**
 * 可见余额 The one read rule for a balance, on every path (the `accountBalance` query and the
 * `Account.balance` field, issue 8): a holder's balance is shown only inside the actor's region
 * (`canRead` of the holder's region) — an account reached through a readable entry, or a neighbour
 * village's collective visible county-wide, still shows no balance to a clerk of another village. Null
 * when the actor may not see it (or the holder does not exist). As of an effective date (all postings when
 * none). An account never posted to has balance zero and is not created by reading.
 *
 * `known` passes what the caller already loaded (the field resolver's batched holder and its account), so
 * the rule is the same and nothing is fetched twice.
 */
export async function visibleBalance(
  svc: ServiceContext,
  holderPartyId: number,
  kind: AccountKind,
  asOf?: string | null,
  known: { holder?: Party | null; account?: Account | null } = {},
): Promise<AccountBalanceView | null> {
  const holder = known.holder !== undefined ? known.holder : ((await partiesRepo.findById(svc.db, holderPartyId)) ?? null);
  if (!holder || !canRead(svc.actor, holder.regionCode)) return null;
  const account = known.account !== undefined ? known.account : ((await repo.findAccount(svc.db, holderPartyId, kind)) ?? null);
  const balance = account ? await repo.balanceOf(svc.db, account.id, asOf) : { debitsFen: 0n, creditsFen: 0n, balanceFen: 0 };
  return { holder, kind, account, asOf: asOf ?? null, ...balance };
}

/** A holder's balance of one kind (the `accountBalance` query, and other modules' checks): `visibleBalance`. */
export async function accountBalance(
  svc: ServiceContext,
  holderPartyId: number,
  kind: AccountKind,
  asOf?: string | null,
): Promise<AccountBalanceView | null> {
  return visibleBalance(svc, holderPartyId, kind, asOf);
}

export interface TrialBalance {
  regionCode: string;
  asOf: string;
  lines: { accountKind: AccountKind; accountCount: number; debitsFen: bigint; creditsFen: bigint; balanceFen: bigint }[];
  /** Exact at any size: a province's turnover passes 2^53 fen (issue 8). */
  totalDebitsFen: bigint;
  totalCreditsFen: bigint;
  /** Net of the postings held outside the region in entries touching it: money that crossed the border. */
  outsideRegionNetFen: bigint;
  entryCount: number;
  unbalancedEntryCount: number;
  /** Every entry sums to zero, and the region's debits − credits equal the money that left or entered it. */
  balanced: boolean;
}

/** 试算平衡 Trial balance of a region as of a date (default today); null for a region outside the scope. */
export async function trialBalance(svc: ServiceContext, regionCode: string, asOf?: string | null): Promise<TrialBalance | null> {
  if (!isRegionCode(regionCode) || !canRead(svc.actor, regionCode)) return null;
  if (!(await regionsRepo.findByCode(svc.db, regionCode))) return null;
  const prefix = prefixOf(regionCode);
  const date = asOf ?? svc.clock.today();
  const rows = await repo.trialBalanceByKind(svc.db, prefix, date);
  const check = await repo.entryBalanceCheck(svc.db, prefix, date);
  const lines = rows.map((r) => ({ ...r, balanceFen: r.debitsFen - r.creditsFen }));
  // bigint: exact at any size, where sumFen over numbers refused past 2^53 fen (issue 8).
  const totalDebitsFen = lines.reduce((sum, l) => sum + l.debitsFen, 0n);
  const totalCreditsFen = lines.reduce((sum, l) => sum + l.creditsFen, 0n);
  return {
    regionCode,
    asOf: date,
    lines,
    totalDebitsFen,
    totalCreditsFen,
    outsideRegionNetFen: check.outsideNetFen,
    entryCount: check.entries,
    unbalancedEntryCount: check.unbalanced,
    balanced: check.unbalanced === 0 && totalDebitsFen - totalCreditsFen + check.outsideNetFen === 0n,
  };
}

/** 链校验 Verifies the whole chain (auditors: county finance, township reviewers, admins). */
export async function verifyJournal(svc: ServiceContext) {
  authorize(svc.actor, 'journal.verify', svc.actor.regionCode);
  return verifyChain(svc.db);
}

// =========================================================================================================
// Reads other modules need for their own reports (distribution audit, 资金滞留): no scope check here — the
// calling service has already checked the actor may see the holder.
// =========================================================================================================

/** The postings of one entry, with their accounts' holder and kind. */
export async function postingsOfEntry(svc: ServiceContext, entryId: number): Promise<PostingWithAccount[]> {
  return repo.postingsOf(svc.db, [entryId]);
}

/** Whether an entry has been reversed (by the journal's own reversal). */
export async function isReversed(svc: ServiceContext, entryId: number): Promise<boolean> {
  return (await repo.findReversalsOf(svc.db, [entryId])).length > 0;
}

/** Entries by id with their postings and whether each has been reversed (another module judging its sources). */
export async function entriesWithReversal(
  svc: ServiceContext,
  ids: readonly number[],
): Promise<(JournalEntry & { reversed: boolean; postings: PostingWithAccount[] })[]> {
  if (!ids.length) return [];
  const reversed = new Set((await repo.findReversalsOf(svc.db, ids)).map((r) => r.reversesEntryId));
  const postings = await repo.postingsOf(svc.db, ids);
  return (await repo.findEntriesByIds(svc.db, ids)).map((e) => ({ ...e, reversed: reversed.has(e.id), postings: postings.filter((p) => p.entryId === e.id) }));
}

/** Every movement of a holder's account of one kind, oldest first. */
export async function accountPostings(svc: ServiceContext, holderPartyId: number, kind: AccountKind) {
  return repo.movementsOf(svc.db, holderPartyId, kind);
}

/** The chain's tip now (a notice prints it at publication, issue 8). */
export async function journalHead(svc: ServiceContext) {
  return repo.readHead(svc.db);
}

/**
 * 检查点 An auditor writes the head down (sequence, hash, time, actor) as an append-only row; verification
 * then fails if the entries up to it are ever deleted or rewritten, even with the head reset.
 */
export async function recordCheckpoint(svc: ServiceContext) {
  authorize(svc.actor, 'journal.verify', svc.actor.regionCode);
  const head = await repo.lockHead(svc.db);
  const recordedAt = svc.clock.now();
  const id = await repo.insertCheckpoint(svc.db, { sequence: head.lastSequence, hash: head.lastHash, actorUserId: svc.actor.userId, recordedAt });
  return { id, sequence: head.lastSequence, hash: head.lastHash, recordedAt, actorUserId: svc.actor.userId };
}
