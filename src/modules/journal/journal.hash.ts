import crypto from 'node:crypto';
import type { JournalEntry, PostingWithAccount } from './journal.types';

/**
 * The hash chain's pure half: canonical serialisation of an entry and SHA-256. Verification recomputes these
 * from the stored rows, so the canonical form is a format: changing it invalidates every stored hash.
 * Bump CANONICAL_VERSION (and keep the old serialiser for old entries) if it ever has to change.
 */
export const CANONICAL_VERSION = 1;

/** prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export type CanonicalValue = null | boolean | number | string | CanonicalValue[] | { [key: string]: CanonicalValue };

/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace, strings escaped as JSON.stringify
 * does, numbers only as safe integers (money is integer fen; a float here would be a bug), no undefined.
 */
export function canonicalJson(value: CanonicalValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value)) throw new Error(`canonical JSON takes safe integers only, got ${value}`);
      return String(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const keys = Object.keys(value).sort();
      return `{${keys
        .map((k) => {
          const v = value[k];
          if (v === undefined) throw new Error(`canonical JSON: ${k} is undefined`);
          return `${JSON.stringify(k)}:${canonicalJson(v)}`;
        })
        .join(',')}}`;
    }
    default:
      throw new Error(`canonical JSON cannot hold ${typeof value}`);
  }
}

export type HashedEntryFields = Pick<
  JournalEntry,
  | 'sequence'
  | 'kind'
  | 'effectiveOn'
  | 'memo'
  | 'sourceType'
  | 'sourceId'
  | 'assetId'
  | 'reversesEntryId'
  | 'idempotencyKey'
  | 'requestFingerprint'
  | 'actorUserId'
  | 'recordedAt'
>;

export type HashedPosting = Pick<PostingWithAccount, 'accountId' | 'holderPartyId' | 'accountKind' | 'amountFen'>;

/** Postings in hash order: by account id, then amount (an entry never posts twice to one account). */
export function sortPostings<P extends HashedPosting>(postings: readonly P[]): readonly P[] {
  // Postings usually arrive in order (verification reads them so): check before copying and sorting.
  for (let i = 1; i < postings.length; i++) {
    const a = postings[i - 1];
    const b = postings[i];
    if (a.accountId - b.accountId > 0 || (a.accountId === b.accountId && a.amountFen > b.amountFen)) {
      return [...postings].sort((x, y) => x.accountId - y.accountId || x.amountFen - y.amountFen);
    }
  }
  return postings;
}

/**
 * The canonical form of an entry: every stored column except the surrogate id and the hashes themselves,
 * with its postings (account id, the account's holder and kind, signed fen) in hash order. It is exactly
 * canonicalJson of the object built by canonicalEntryObject; written out by hand because verification runs
 * it a million times (the generic serialiser sorts keys on every call). A test holds the two equal.
 */
export function canonicalEntry(e: HashedEntryFields, postings: readonly HashedPosting[]): string {
  const sorted = sortPostings(postings);
  let ps = '';
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i];
    ps += `${i ? ',' : ''}{"account":${int(p.accountId)},"accountKind":${str(p.accountKind)},"amountFen":${int(p.amountFen)},"holder":${int(p.holderPartyId)}}`;
  }
  const source = e.sourceType === null ? 'null' : `{"id":${int(e.sourceId)},"type":${str(e.sourceType)}}`;
  return (
    `{"actorId":${int(e.actorUserId)},"assetId":${intOrNull(e.assetId)},"effectiveOn":${str(e.effectiveOn)},` +
    `"idempotencyKey":${str(e.idempotencyKey)},"kind":${str(e.kind)},"memo":${str(e.memo)},"postings":[${ps}],` +
    `"recordedAt":${str(e.recordedAt)},"requestFingerprint":${str(e.requestFingerprint)},` +
    `"reversesEntryId":${intOrNull(e.reversesEntryId)},"sequence":${int(e.sequence)},"source":${source},"v":${CANONICAL_VERSION}}`
  );
}

/**
 * Entry columns by position, as verification reads them (journal.repository.ts CHAIN_ENTRIES_SQL, raw rows):
 * id, sequence, kind, effective_on, memo, source_type, source_id, asset_id, reverses_entry_id,
 * idempotency_key, request_fingerprint, actor_user_id, recorded_at, prev_hash, hash.
 */
export type ChainEntryRaw = readonly unknown[];
/** Posting columns by position (CHAIN_POSTINGS_SQL): entry_id, account_id, holder_party_id, account kind, amount_fen. */
export type ChainPostingRaw = readonly unknown[];

/**
 * canonicalEntry of a raw entry row and its postings `postings[from…to)`, written straight from the columns:
 * no entry or posting objects, no copy of the postings (verification runs it a million times; building the
 * objects cost more than writing the string). The same bytes as canonicalEntry (a test holds them equal);
 * postings not in hash order take canonicalEntry's path, which sorts them.
 */
export function canonicalEntryRow(r: ChainEntryRaw, postings: readonly ChainPostingRaw[], from: number, to: number): string {
  let ps = '';
  for (let i = from; i < to; i++) {
    const p = postings[i];
    if (i > from) {
      const q = postings[i - 1];
      if ((q[1] as number) > (p[1] as number) || (q[1] === p[1] && (q[4] as number) > (p[4] as number))) return canonicalEntryOfRow(r, postings, from, to);
      ps += ',';
    }
    ps += `{"account":${int(p[1] as number)},"accountKind":${str(p[3] as string)},"amountFen":${int(p[4] as number)},"holder":${int(p[2] as number)}}`;
  }
  const source = r[5] === null ? 'null' : `{"id":${int(r[6] as number)},"type":${str(r[5] as string)}}`;
  return (
    `{"actorId":${int(r[11] as number)},"assetId":${intOrNull(r[7] as number | null)},"effectiveOn":${str(r[3] as string)},` +
    `"idempotencyKey":${str(r[9] as string)},"kind":${str(r[2] as string)},"memo":${str(r[4] as string)},"postings":[${ps}],` +
    `"recordedAt":${str(r[12] as string)},"requestFingerprint":${str(r[10] as string)},` +
    `"reversesEntryId":${intOrNull(r[8] as number | null)},"sequence":${int(r[1] as number)},"source":${source},"v":${CANONICAL_VERSION}}`
  );
}

/** canonicalEntryRow of postings out of hash order: sorted as sortPostings sorts them (a copy of the run's rows). */
function canonicalEntryOfRow(r: ChainEntryRaw, postings: readonly ChainPostingRaw[], from: number, to: number): string {
  const sorted = postings.slice(from, to).sort((x, y) => (x[1] as number) - (y[1] as number) || (x[4] as number) - (y[4] as number));
  return canonicalEntryRow(r, sorted, 0, sorted.length);
}

/** The same content as a plain object, for the generic serialiser (and for reading the format). */
export function canonicalEntryObject(e: HashedEntryFields, postings: readonly HashedPosting[]): CanonicalValue {
  return {
    v: CANONICAL_VERSION,
    sequence: e.sequence,
    kind: e.kind,
    effectiveOn: e.effectiveOn,
    memo: e.memo,
    source: e.sourceType === null ? null : { type: e.sourceType, id: e.sourceId },
    assetId: e.assetId,
    reversesEntryId: e.reversesEntryId,
    idempotencyKey: e.idempotencyKey,
    requestFingerprint: e.requestFingerprint,
    actorId: e.actorUserId,
    recordedAt: e.recordedAt,
    postings: sortPostings(postings).map((p) => ({
      account: p.accountId,
      holder: p.holderPartyId,
      accountKind: p.accountKind,
      amountFen: p.amountFen,
    })),
  };
}

function int(v: number | null): string {
  if (!Number.isSafeInteger(v)) throw new Error(`canonical JSON takes safe integers only, got ${v}`);
  return String(v);
}
const intOrNull = (v: number | null) => (v === null ? 'null' : int(v));
/** Characters JSON.stringify would escape or rewrite (quote, backslash, controls, surrogates): the slow path. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
function str(v: string | null): string {
  if (typeof v !== 'string') throw new Error(`canonical JSON: string expected, got ${v}`);
  // Same output as JSON.stringify: most memos, keys and dates have nothing to escape.
  return NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : `"${v}"`;
}

// One-shot hashing (Node ≥ 20.12) skips the Hash object: the same bytes, about twice as fast per entry.
const oneShot: ((algorithm: string, data: string, encoding: 'hex') => string) | undefined = (crypto as any).hash;

/** hash = hex SHA-256 of the UTF-8 bytes of prevHash, a line feed, and the canonical entry. */
export function chainHash(prevHash: string, canonical: string): string {
  if (oneShot) return oneShot('sha256', `${prevHash}\n${canonical}`, 'hex');
  return crypto.createHash('sha256').update(prevHash, 'utf8').update('\n', 'utf8').update(canonical, 'utf8').digest('hex');
}

export function entryHash(prevHash: string, e: HashedEntryFields, postings: readonly HashedPosting[]): string {
  return chainHash(prevHash, canonicalEntry(e, postings));
}

/**
 * What makes two requests "the same" for idempotency: the operation, who asked, and the normalised input
 * (without the key itself). Stored on the entry; a retry with the same key must match it.
 */
export function requestFingerprint(operation: string, actorUserId: number, input: CanonicalValue): string {
  return crypto
    .createHash('sha256')
    .update(canonicalJson({ operation, actor: actorUserId, input }), 'utf8')
    .digest('hex');
}
