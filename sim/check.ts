/**
 * Running one operation the way a resolver does (runMutation: one transaction, a DomainError rolled back and
 * returned as a coded error), and the checks run after every step: the database against the model, and the
 * ledger's invariants on the database alone.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type Database from 'better-sqlite3';
import { isPostgres } from '../src/db/connection';
import { runMutation } from '../src/shared/mutation';
import type { Actor } from '../src/shared/actor';
import type { RequestContext, ServiceContext } from '../src/shared/context';
import type { Clock } from '../src/shared/clock';
import { verifyChain } from '../src/modules/journal/journal.verify';
import { trialBalance } from '../src/modules/journal/journal.service';
import { firstDisagreement } from '../src/modules/journal/journal.reconcile';
// Each money module registers its reconciler when its reconcile file loads (as `npm run verify` loads them).
import '../src/modules/upkeep/upkeep.reconcile';
import '../src/modules/income/income.reconcile';
import '../src/modules/distribution/distribution.reconcile';
import '../src/modules/bundles/bundles.reconcile';
import '../src/modules/disposal/disposal.reconcile';
import { MAY_GO_NEGATIVE, Model } from './model';
import { COUNTY, VILLAGES } from './world';

export class SimFailure extends Error {}
export const fail = (msg: string): never => {
  throw new SimFailure(msg);
};

export type Outcome<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

/** Runs `work` as `actor` exactly as a resolver's runMutation would. */
export async function attempt<T>(db: Knex, clock: Clock, actor: Actor, work: (svc: ServiceContext) => Promise<T>): Promise<Outcome<T>> {
  const ctx = { db, clock, actor, loaders: {}, config: { uploadMaxBytes: 1 } } as unknown as RequestContext;
  try {
    const r = await runMutation(ctx, work, (value) => ({ value }));
    if (r.errors.length) return { ok: false, code: r.errors[0].code, message: r.errors[0].message };
    return { ok: true, value: r.value };
  } catch (err) {
    const code = (err as any)?.extensions?.code;
    if (code === 'FORBIDDEN' || code === 'UNAUTHENTICATED') return { ok: false, code, message: (err as Error).message };
    throw err;
  }
}

const DENIAL = ['FORBIDDEN', 'NOT_FOUND'];
/** The outcome must be what the model expects. */
export function expectOutcome(op: string, expected: { ok: true } | { ok: false; code: string }, got: Outcome<unknown>): void {
  if (expected.ok && !got.ok) fail(`${op}: the model expects success, the service refused with ${got.code}: ${got.message}`);
  if (!expected.ok && got.ok) fail(`${op}: the model expects ${expected.code}, the service accepted it`);
  if (!expected.ok && !got.ok) {
    const fits = expected.code === 'DENIED' ? DENIAL.includes(got.code) : expected.code === '*' || expected.code === got.code;
    if (!fits) fail(`${op}: the model expects ${expected.code}, the service refused with ${got.code}: ${got.message}`);
  }
}

// ------------------------------------------------------------------------------------------------------
// Content hash of every table: a rejected operation or a replayed key must leave it as it was.
// ------------------------------------------------------------------------------------------------------
const tablesCache = new WeakMap<object, string[]>();
async function tablesOf(db: Knex): Promise<string[]> {
  const key = db.client as object;
  const hit = tablesCache.get(key);
  if (hit) return hit;
  const rows = isPostgres(db)
    ? (await db.raw(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)).rows
    : await db.raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`);
  const names = (rows as { name: string }[]).map((r) => r.name).filter((n) => !n.startsWith('knex_migrations')).sort();
  tablesCache.set(key, names);
  return names;
}

const statements = new WeakMap<object, Database.Statement>();

export async function contentHash(db: Knex, raw?: () => Database.Database): Promise<{ hash: string; counts: Record<string, number> }> {
  const h = crypto.createHash('sha256');
  const counts: Record<string, number> = {};
  const conn = raw?.();
  if (conn) {
    // One prepared statement over every table: each row as a JSON array built by SQLite, in rowid order.
    let st = statements.get(conn);
    if (!st) {
      const parts = (await tablesOf(db)).map((t) => {
        const cols = (conn.prepare(`PRAGMA table_info("${t}")`).all() as { name: string }[]).map((c) => `"${c.name}"`);
        return `SELECT * FROM (SELECT '${t}' AS t, json_array(${cols.join(', ')}) AS r FROM "${t}" ORDER BY rowid)`;
      });
      statements.set(conn, (st = conn.prepare(parts.join(' UNION ALL ')).raw(true)));
    }
    const rows = st.all() as [string, string][];
    for (const [t, r] of rows) {
      counts[t] = (counts[t] ?? 0) + 1;
      h.update(t).update('\0').update(r).update('\n');
    }
  } else if (isPostgres(db)) {
    // One query: per table its row count and an md5 of its rows as text, in a fixed order.
    const sql = (await tablesOf(db))
      .map((t) => `SELECT '${t}' AS t, count(*) AS n, md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) AS h FROM "${t}" x`)
      .join(' UNION ALL ');
    for (const row of (await db.raw(sql)).rows as { t: string; n: string; h: string }[]) {
      counts[row.t] = Number(row.n);
      h.update(row.t).update('\0').update(row.h).update('\n');
    }
  } else {
    for (const t of await tablesOf(db)) {
      const rows = await db(t).select('*');
      counts[t] = rows.length;
      const lines = rows.map((r: unknown) => JSON.stringify(r)).sort();
      h.update(t).update('\0').update(lines.join('\n')).update('\0');
    }
  }
  return { hash: h.digest('hex'), counts };
}

export function sameContent(op: string, before: { hash: string; counts: Record<string, number> }, after: { hash: string; counts: Record<string, number> }) {
  if (before.hash === after.hash) return;
  const changed = Object.keys(after.counts).filter((t) => after.counts[t] !== before.counts[t]);
  fail(`${op}: changed the database (${changed.length ? `row counts of ${changed.join(', ')}` : 'row contents'}) although it was ${'rejected or replayed'}`);
}

// ------------------------------------------------------------------------------------------------------
// Invariants after every step.
// ------------------------------------------------------------------------------------------------------
const num = (v: unknown) => Number(v ?? 0);

export async function checkAll(db: Knex, clock: Clock, admin: Actor, m: Model, ledger = true): Promise<void> {
  // 1. Every entry balances; no account that must not go negative does.
  const unbalanced = await db('journal_postings').select('entry_id').groupBy('entry_id').havingRaw('sum(amount_fen) <> 0');
  if (unbalanced.length) fail(`entry ${unbalanced[0].entry_id} does not balance`);
  const balances: { party_id: number; kind: string; household_id: number | null; pkind: string; region_code: string; bal: unknown }[] = await db('journal_accounts as a')
    .join('parties as p', 'p.id', 'a.holder_party_id')
    .leftJoin('journal_postings as jp', 'jp.account_id', 'a.id')
    .groupBy('a.id', 'a.kind', 'p.id', 'p.household_id', 'p.kind', 'p.region_code')
    .select('p.id as party_id', 'a.kind', 'p.household_id', 'p.kind as pkind', 'p.region_code', db.raw('coalesce(sum(jp.amount_fen), 0) as bal'));
  const dbBalances = new Map<string, number>();
  for (const b of balances) {
    const bal = num(b.bal);
    if (bal < 0 && !MAY_GO_NEGATIVE.has(b.kind)) fail(`account ${b.kind} of party ${b.party_id} is negative (${bal} fen)`);
    if (bal === 0) continue;
    const label = b.household_id ? `hh:${b.household_id}` : b.pkind === 'VILLAGE_COLLECTIVE' ? `v:${b.region_code}` : `party:${b.party_id}`;
    dbBalances.set(`${label}/${b.kind}`, bal);
  }
  // 2. Balances equal the model's.
  const keys = new Set([...dbBalances.keys(), ...m.balances.keys()]);
  for (const k of keys) {
    if ((dbBalances.get(k) ?? 0) !== (m.balances.get(k) ?? 0)) fail(`balance ${k}: database ${dbBalances.get(k) ?? 0} fen, model ${m.balances.get(k) ?? 0} fen`);
  }
  if (ledger) await checkLedger(db, clock, admin, balances.map((b) => ({ kind: b.kind, region: b.region_code, bal: num(b.bal) })));
  await checkPlansAndAssets(db, m, dbBalances);
}

/** Verify, reconcile, and the trial balances with their roll-up. */
async function checkLedger(db: Knex, clock: Clock, admin: Actor, accounts: { kind: string; region: string; bal: number }[]): Promise<void> {
  // 3. The chain verifies and every money row agrees with its entry.
  const v = await verifyChain(db);
  if (!v.intact) fail(`journal verify fails: ${JSON.stringify(v.failure)}`);
  const off = await firstDisagreement(db);
  if (off) fail(`reconcile: ${off.message}`);
  // 4. Trial balances: every region zero; the county rolls up its villages (and its own counterparty).
  const svc = { db, clock, actor: admin };
  const county = await trialBalance(svc, COUNTY);
  if (!county?.balanced) fail(`trial balance of the county is not zero`);
  // The county's trial balance is a roll-up over its region prefix: it must equal the sum of its accounts
  // (every holder in the county: collectives, households, the county company) kind by kind.
  const byKind = new Map<string, bigint>();
  for (const acc of accounts) if (acc.region.startsWith('511922')) byKind.set(acc.kind, (byKind.get(acc.kind) ?? 0n) + BigInt(acc.bal));
  for (const l of county!.lines) {
    if (BigInt(l.balanceFen) !== (byKind.get(l.accountKind) ?? 0n)) fail(`county trial balance ${l.accountKind} ${l.balanceFen} ≠ sum of its accounts ${byKind.get(l.accountKind) ?? 0n}`);
    byKind.delete(l.accountKind);
  }
  for (const [k, v] of byKind) if (v !== 0n) fail(`county trial balance lacks ${k} (${v} fen in its accounts)`);
  for (const code of VILLAGES) {
    const tb = await trialBalance(svc, code);
    if (!tb?.balanced) fail(`trial balance of ${code} is not zero`);
  }
}

async function checkPlansAndAssets(db: Knex, m: Model, dbBalances: Map<string, number>): Promise<void> {

  // 5. Plans: status, total, lines and recipients as the model has them; lines sum to the total, recipients
  //    to their line; what each household received equals its standing payments and its CASH.
  const plans = await db('distribution_plans').select('id', 'status', 'total_fen');
  if (plans.length !== m.plans.length) fail(`${plans.length} plans in the database, ${m.plans.length} in the model`);
  const lines = await db('distribution_lines').select('id', 'plan_id', 'line_no', 'type', 'amount_fen').orderBy(['plan_id', 'line_no']);
  const recips = await db('distribution_recipients').select('line_id', 'household_id', 'amount_fen').orderBy('id');
  for (const mp of m.plans) {
    const p = plans.find((x: any) => x.id === mp.id);
    if (!p) fail(`plan ${mp.id} missing`);
    if (p.status !== mp.status) fail(`plan ${mp.id}: status ${p.status}, model ${mp.status}`);
    if (num(p.total_fen) !== mp.totalFen) fail(`plan ${mp.id}: total ${p.total_fen}, model ${mp.totalFen}`);
    const ls = lines.filter((l: any) => l.plan_id === mp.id);
    if (ls.reduce((s: number, l: any) => s + num(l.amount_fen), 0) !== num(p.total_fen)) fail(`plan ${mp.id}: lines do not sum to the total`);
    if (ls.length !== mp.lines.length) fail(`plan ${mp.id}: ${ls.length} lines, model ${mp.lines.length}`);
    ls.forEach((l: any, i: number) => {
      const ml = mp.lines[i];
      if (l.type !== ml.type || num(l.amount_fen) !== ml.amountFen) fail(`plan ${mp.id} line ${i + 1}: ${l.type} ${l.amount_fen}, model ${ml.type} ${ml.amountFen}`);
      const rs = recips.filter((r: any) => r.line_id === l.id);
      if (rs.length && rs.reduce((s: number, r: any) => s + num(r.amount_fen), 0) !== num(l.amount_fen)) fail(`plan ${mp.id} line ${i + 1}: recipients do not sum to the line`);
      const got = rs.map((r: any) => `${r.household_id}:${num(r.amount_fen)}`).join(',');
      const want = ml.recipients.map((r) => `${r.householdId}:${r.amountFen}`).join(',');
      if (got !== want) fail(`plan ${mp.id} line ${i + 1}: recipients ${got}, model ${want}`);
    });
  }
  const standing: { household_id: number; amt: unknown }[] = await db('distribution_payments as p')
    .leftJoin('distribution_payment_reversals as r', 'r.payment_id', 'p.id')
    .whereNull('r.id')
    .groupBy('p.household_id')
    .select('p.household_id', db.raw('sum(p.amount_fen) as amt'));
  const received = new Map<number, number>();
  for (const mp of m.plans) for (const [h, amt] of mp.paid) received.set(h, (received.get(h) ?? 0) + amt);
  for (const s of standing) {
    const amt = num(s.amt);
    if (amt !== (received.get(s.household_id) ?? 0)) fail(`household ${s.household_id} received ${amt} fen, model ${received.get(s.household_id) ?? 0}`);
    if (amt !== (dbBalances.get(`hh:${s.household_id}/CASH`) ?? 0)) fail(`household ${s.household_id}: payments ${amt} fen ≠ its CASH ${dbBalances.get(`hh:${s.household_id}/CASH`) ?? 0}`);
  }
  for (const [h, amt] of received) if (amt && !standing.some((s) => s.household_id === h)) fail(`household ${h}: model paid ${amt} fen, database none`);

  // 6. Assets: status as the model has it, and as its events replay to; DISPOSED is terminal; no two live
  //    holds of an asset overlap.
  const assets = await db('assets').select('id', 'status').orderBy('id');
  if (assets.length !== m.assets.length) fail(`${assets.length} assets in the database, ${m.assets.length} in the model`);
  const events = await db('asset_events').select('asset_id', 'action', 'from_status', 'to_status').orderBy('id');
  for (const a of assets) {
    const ma = m.assets.find((x) => x.id === a.id);
    if (!ma) fail(`asset ${a.id} not in the model`);
    if (ma!.status !== a.status) fail(`asset ${a.id}: status ${a.status}, model ${ma!.status}`);
    let status: string | null = null;
    let disposed = false;
    for (const e of events.filter((x: any) => x.asset_id === a.id)) {
      if (disposed) fail(`asset ${a.id}: an event after DISPOSED (${e.action})`);
      if (status !== null && e.from_status !== null && e.from_status !== status) fail(`asset ${a.id}: event ${e.action} starts from ${e.from_status}, the status was ${status}`);
      status = e.to_status;
      if (status === 'DISPOSED') disposed = true;
    }
    if (status !== a.status) fail(`asset ${a.id}: events replay to ${status}, the row says ${a.status}`);
  }
  const overlap = await db.raw(`SELECT a.asset_id FROM asset_holds a JOIN asset_holds b ON a.asset_id = b.asset_id AND a.id < b.id
    WHERE a.released_on IS NULL AND b.released_on IS NULL
      AND (a.end_on IS NULL OR b.start_on <= a.end_on) AND (b.end_on IS NULL OR a.start_on <= b.end_on)
      AND NOT (a.kind = 'PLEDGE' OR b.kind = 'PLEDGE') LIMIT 1`);
  const o = Array.isArray(overlap) ? overlap : overlap.rows;
  if (o.length) fail(`asset ${o[0].asset_id} is under two overlapping holds`);
}
