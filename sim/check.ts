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
import { binds, lastBoundDay, MAY_GO_NEGATIVE, MHold, Model } from './model';
import { COUNTY, VILLAGES } from './world';
import { registerSummary } from '../src/modules/reports/reports.service';

const TOWNSHIP = '511922105000';

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
    // 'A|B': several rules fail at once and the model does not fix which the service checks first.
    const fits = expected.code === 'DENIED' ? DENIAL.includes(got.code) : expected.code === '*' || expected.code.split('|').includes(got.code);
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

export async function checkAll(db: Knex, clock: Clock, admin: Actor, m: Model, ledger = true, rollUps = true): Promise<void> {
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
  if (rollUps) await checkRollUps(db, clock, admin, m);
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
  // Holds: the database's as the model has them, and no two binding the same asset on a common day (a
  // pledge beside a contract excepted, as the rules allow: the lease runs on). A hold binds from its start to its end, or to the
  // day before its release.
  const holds: any[] = await db('asset_holds').select('asset_id', 'kind', 'holder_id', 'start_on', 'end_on', 'released_on').orderBy('id');
  const mh = holds.map((h) => ({ assetId: h.asset_id, kind: h.kind, holderId: h.holder_id, startOn: h.start_on, endOn: h.end_on, releasedOn: h.released_on }));
  const key = (h: MHold) => `${h.assetId}/${h.kind}/${h.holderId}/${h.startOn}/${h.endOn}/${h.releasedOn}`;
  const dbHolds = mh.map(key).sort().join(',');
  const modelHolds = m.holds.map(key).sort().join(',');
  if (dbHolds !== modelHolds) fail(`holds: database ${dbHolds || 'none'}, model ${modelHolds || 'none'}`);
  for (let i = 0; i < mh.length; i++) {
    for (let j = i + 1; j < mh.length; j++) {
      const [a, b] = [mh[i], mh[j]];
      if (a.assetId !== b.assetId || [a.kind, b.kind].sort().join() === 'CONTRACT,PLEDGE') continue;
      const la = lastBoundDay(a);
      if (la !== null && la < a.startOn) continue;
      if (binds(b, a.startOn, la)) fail(`asset ${a.assetId} is under two overlapping holds (${a.kind} ${a.holderId}, ${b.kind} ${b.holderId})`);
    }
  }
  // 7. Contracts as the model has them.
  const cs: any[] = await db('contracts').select('id', 'asset_id', 'status', 'start_on', 'end_on', 'terminated_on').orderBy('id');
  if (cs.length !== m.contracts.length) fail(`${cs.length} contracts in the database, ${m.contracts.length} in the model`);
  for (const c of cs) {
    const mc = m.contracts.find((x) => x.id === c.id);
    if (!mc) fail(`contract ${c.id} not in the model`);
    const want = `${mc!.assetId} ${mc!.terminatedOn ? 'TERMINATED' : 'OPEN'} ${mc!.startOn}–${mc!.endOn} ${mc!.terminatedOn}`;
    const got = `${c.asset_id} ${c.status} ${c.start_on}–${c.end_on} ${c.terminated_on}`;
    if (got !== want) fail(`contract ${c.id}: ${got}, model ${want}`);
  }
  await checkVenture(db, m);
  // 10. Revitalisation: the flags and cases as the model has them.
  const flags: any[] = await db('revitalisation_flags').select('id', 'asset_id', 'kind', 'raised_on').orderBy('id');
  const gotF = flags.map((f) => `${f.id}:${f.asset_id}:${f.kind}:${f.raised_on}`).join(',');
  const wantF = m.flags.map((f) => `${f.id}:${f.assetId}:IDLE:${f.raisedOn}`).join(',');
  if (gotF !== wantF) fail(`revitalisation flags: database ${gotF || 'none'}, model ${wantF || 'none'}`);
  const cases: any[] = await db('revitalisation_cases').select('id', 'asset_id', 'flag_id', 'opened_on', 'status').orderBy('id');
  const gotC = cases.map((c) => `${c.id}:${c.asset_id}:${c.flag_id}:${c.opened_on}:${c.status}`).join(',');
  const wantC = m.cases.map((c) => `${c.id}:${c.assetId}:${c.flagId}:${c.openedOn}:${c.status}`).join(',');
  if (gotC !== wantC) fail(`revitalisation cases: database ${gotC || 'none'}, model ${wantC || 'none'}`);
}

/**
 * 9. The register's roll-ups (reports registerSummary): the county's total is the sum of its rows, the
 *    township's total is the county's row of that township, and the township's rows by village and status
 *    count what the model holds. Every simulated asset is recorded at the same original value.
 */
export const ASSET_VALUE_FEN = 60_000_000;
async function checkRollUps(db: Knex, clock: Clock, admin: Actor, m: Model): Promise<void> {
  const svc = { db, clock, actor: admin, loaders: {} } as unknown as ServiceContext;
  const groupBy = ['CHILD_REGION', 'STATUS'] as const;
  const county = (await registerSummary(svc, { regionCode: COUNTY, groupBy: [...groupBy] }))!;
  const township = (await registerSummary(svc, { regionCode: TOWNSHIP, groupBy: [...groupBy] }))!;
  const fields = ['assetCount', 'originalValueFen', 'accumulatedDepreciationFen', 'bookValueFen', 'disposedCount', 'disposedOriginalValueFen'] as const;
  const sum = (rows: any[]) => Object.fromEntries(fields.map((f) => [f, rows.reduce((s, r) => s + Number(r[f]), 0)]));
  const show = (x: any) => fields.map((f) => `${f} ${x[f]}`).join(', ');
  if (show(sum(county.rows)) !== show(county.total)) fail(`registerSummary of the county: rows sum to ${show(sum(county.rows))}, total ${show(county.total)}`);
  if (show(sum(township.rows)) !== show(township.total)) fail(`registerSummary of the township: rows sum to ${show(sum(township.rows))}, total ${show(township.total)}`);
  const countyRow = sum(county.rows.filter((r) => r.key.regionCode === TOWNSHIP));
  if (show(countyRow) !== show(township.total)) fail(`registerSummary: the county's rows of ${TOWNSHIP} (${show(countyRow)}) ≠ the township's total (${show(township.total)})`);
  const live = m.assets.filter((a) => a.status !== 'DISPOSED');
  const want = new Map<string, number>();
  for (const a of live) want.set(`${a.village}/${a.status}`, (want.get(`${a.village}/${a.status}`) ?? 0) + 1);
  const got = new Map<string, number>();
  for (const r of township.rows) if (r.assetCount) got.set(`${r.key.regionCode}/${r.key.status}`, r.assetCount);
  const show2 = (x: Map<string, number>) => [...x].sort().map(([k, n]) => `${k}:${n}`).join(',');
  if (show2(got) !== show2(want)) fail(`registerSummary of the township by village and status: ${show2(got)}, model ${show2(want)}`);
  if (county.total.originalValueFen !== live.length * ASSET_VALUE_FEN) fail(`registerSummary of the county: original value ${county.total.originalValueFen}, model ${live.length * ASSET_VALUE_FEN}`);
}

/** 8. The venture: contributions, members, every share table (sums to 10000) and every split (sums to its amount). */
async function checkVenture(db: Knex, m: Model): Promise<void> {
  const v = m.venture;
  const contributions: any[] = await db('bundle_contributions').where({ bundle_id: v.id }).select('id', 'status', 'value_fen', 'asset_id').orderBy('id');
  const got = contributions.map((c) => `${c.id}:${c.status}:${num(c.value_fen)}:${c.asset_id}`).join(',');
  const want = v.contributions.map((c) => `${c.id}:${c.status}:${c.valueFen}:${c.assetId}`).join(',');
  if (got !== want) fail(`venture contributions: database ${got}, model ${want}`);
  const members: any[] = await db('bundle_members').where({ bundle_id: v.id }).select('id', 'village_code', 'status', 'joined_on').orderBy('village_code');
  const gotM = members.map((x) => `${x.village_code}:${x.status}:${x.joined_on}`).join(',');
  const wantM = [...v.members].sort(([a], [b]) => (a < b ? -1 : 1)).map(([code, x]) => `${code}:${x.status}:${x.joinedOn}`).join(',');
  if (gotM !== wantM) fail(`venture members: database ${gotM}, model ${wantM}`);
  const villageOf = new Map(members.map((x) => [x.id, x.village_code]));
  const events: any[] = await db('bundle_share_events').where({ bundle_id: v.id }).select('id', 'effective_on', 'cause').orderBy('seq');
  const lines: any[] = events.length ? await db('bundle_share_lines').whereIn('event_id', events.map((e) => e.id)).select('event_id', 'member_id', 'village_code', 'value_fen', 'share_bp').orderBy('id') : [];
  if (events.length !== v.shareEvents.length) fail(`venture share events: ${events.length} in the database, ${v.shareEvents.length} in the model`);
  events.forEach((e, i) => {
    const ls = lines.filter((l) => l.event_id === e.id);
    const sum = ls.reduce((s, l) => s + Number(l.share_bp), 0);
    // Every table sums to 10000; an empty one only once no member holds a stake (the last one withdrew).
    if (e.cause !== 'DISSOLVE' && ls.length > 0 && sum !== 10000) fail(`venture share event ${e.id} (${e.effective_on}): shares sum to ${sum}, not 10000`);
    const g = `${e.effective_on} ${ls.map((l) => `${l.village_code}:${num(l.value_fen)}:${l.share_bp}`).join(',')}`;
    const mw = v.shareEvents[i];
    const w = `${mw.effectiveOn} ${mw.lines.map((l) => `${l.village}:${l.valueFen}:${l.shareBp}`).join(',')}`;
    if (g !== w) fail(`venture share event ${i + 1}: database ${g}, model ${w}`);
  });
  const splits: any[] = await db('bundle_income_splits').where({ bundle_id: v.id }).select('id', 'amount_fen', 'split_on').orderBy('id');
  const slines: any[] = splits.length ? await db('bundle_income_split_lines').whereIn('split_id', splits.map((x) => x.id)).select('split_id', 'member_id', 'share_bp', 'amount_fen').orderBy('id') : [];
  if (splits.length !== v.splits.length) fail(`venture splits: ${splits.length} in the database, ${v.splits.length} in the model`);
  splits.forEach((sp, i) => {
    const ls = slines.filter((l) => l.split_id === sp.id);
    const sum = ls.reduce((s, l) => s + num(l.amount_fen), 0);
    if (sum !== num(sp.amount_fen)) fail(`venture split ${sp.id}: lines sum to ${sum} fen, the split is ${sp.amount_fen}`);
    const g = `${num(sp.amount_fen)} ${sp.split_on} ${ls.map((l) => `${villageOf.get(l.member_id)}:${l.share_bp}:${num(l.amount_fen)}`).join(',')}`;
    const ms = v.splits[i];
    const w = `${ms.amountFen} ${ms.splitOn} ${ms.lines.map((l, k) => `${l.village}:${l.shareBp}:${ms.parts[k]}`).join(',')}`;
    if (g !== w) fail(`venture split ${i + 1}: database ${g}, model ${w}`);
  });
}
