/**
 * npm run bench: the county-scale measures of issue 16 (G1–G9), each against its baseline in the same run.
 *
 *   npm run bench                     # a county of 100k assets, 10k households, 1M income entries (long: see README)
 *   npm run bench -- --quick          # a small county (5k assets, 1k households, 20k entries): a few minutes
 *   npm run bench -- --only G1,G2     # some measures
 *   npm run bench -- --rounds 5       # A/B rounds per measure (default 3 full, 2 quick)
 *   npm run bench -- --growth         # also the cost-growth table (G2, G5, G7 at 10×): see README for the time
 *   npm run bench -- --keep DIR       # build the county in DIR (kept, reused when present: --reuse)
 *   npm run bench -- --import-rows 20000   # any size: --assets --households --income-rows --import-rows
 *                                          #   --dist-households --seconds (HTTP seconds per run)
 *   DATABASE_URL=postgres://… npm run bench   # also G2, G3, G5, G6 on PostgreSQL (scratch databases, dropped)
 *   DATABASE_URL=… npm run bench -- --pg-only --out bench/results-pg.json   # only those
 *
 * Only public entry points are used, so the instrument keeps measuring whatever is on main: the server as
 * `npm start` starts it (a child process on the seeded database), the CLIs (`npm run verify`, the import
 * bench's importRegister), the services' exported functions (registerSummary, createPlan/executePlan,
 * recordIncome, postEntry, verifyChain, trialBalance). Every A/B measure alternates app and baseline runs and
 * reports the median with min–max over the rounds (a ratio is taken per round, then its median). It prints a
 * table and writes bench/results.json: [{ id, measure, value, baseline, ratio, goal, met, unit, details }].
 * None of this is a test: goals are reported, never asserted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import knex from 'knex';
import Database from 'better-sqlite3';
import autocannon from 'autocannon';
import { createDb, isPostgres, type Db } from '../src/db/connection';
import { migrateLatest } from '../src/db/migrations';
import { fixedClock } from '../src/shared/clock';
import { insertRegions } from '../src/modules/regions/regions.repository';
import { parentCodeOf } from '../src/modules/regions/regions.codes';
import { createUserWithToken, toActor } from '../src/modules/auth/auth.service';
import { collectiveOf } from '../src/modules/parties/parties.service';
import * as partiesRepo from '../src/modules/parties/parties.repository';
import * as journalService from '../src/modules/journal/journal.service';
import * as incomeService from '../src/modules/income/income.service';
import { trialBalance } from '../src/modules/journal/journal.service';
import { verifyChain } from '../src/modules/journal/journal.verify';
import { canonicalEntry, chainHash, GENESIS_HASH } from '../src/modules/journal/journal.hash';
import * as dist from '../src/modules/distribution/distribution.service';
import { registerSummary } from '../src/modules/reports/reports.service';
import type { ServiceContext } from '../src/shared/context';
import { REGIONS, V } from '../seeds/demo-data';
import { seedCounty, SEED_TOKENS, COUNTY, PROVINCE, argOf } from './seed-county';
import { writeSheet } from './bench-import';

const ROOT = path.join(__dirname, '..');
const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const GROWTH = argv.includes('--growth') || argv.includes('--growth-only');
const ONLY = argOf(argv, '--only')?.split(',').map((s) => s.trim().toUpperCase());
const ROUNDS = Number(argOf(argv, '--rounds') ?? (QUICK ? 2 : 3));
const PG_URL = process.env.DATABASE_URL || '';
/** --pg-only: only the PostgreSQL rows (with DATABASE_URL); --out FILE: results elsewhere than bench/results.json. */
const PG_ONLY = argv.includes('--pg-only');
const OUT = argOf(argv, '--out') ?? 'bench/results.json';
const SIZE = QUICK
  ? { assets: 5_000, households: 1_000, incomeRows: 20_000, importRows: 5_000, distHouseholds: 1_000, httpSeconds: 3, g8Service: 200, g8Post: 1_000 }
  : { assets: 100_000, households: 10_000, incomeRows: 1_000_000, importRows: 100_000, distHouseholds: 10_000, httpSeconds: 10, g8Service: 1_000, g8Post: 5_000 };
// Any size can be overridden: --assets --households --income-rows --import-rows --dist-households --seconds.
for (const [flag, key] of [['--assets', 'assets'], ['--households', 'households'], ['--income-rows', 'incomeRows'], ['--import-rows', 'importRows'], ['--dist-households', 'distHouseholds'], ['--seconds', 'httpSeconds']] as const) {
  const v = argOf(argv, flag);
  if (v !== undefined) SIZE[key] = Number(v.replace(/_/g, ''));
}
const CONNECTIONS = 10;
/** Memory bounds stated for item 4 of issue 16. */
const IMPORT_RSS_MB = 300;
const VERIFY_RSS_MB = 256;

/** While the growth table runs, only its own measure is wanted, whatever --only says. */
let growthWants: string | null = null;
const want = (id: string) => (growthWants ? id.toUpperCase().startsWith(growthWants) : !ONLY || ONLY.some((o) => id.toUpperCase().startsWith(o)));
const log = (m: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}`);

// ---- results ---------------------------------------------------------------------------------------------

interface Result {
  id: string;
  measure: string;
  value: number;
  baseline: number;
  ratio: number;
  goal: string;
  met: boolean;
  unit: string;
  details: Record<string, unknown>;
}
const results: Result[] = [];
/** Records a result, logs it, and keeps bench/results.json current (an interrupted run leaves what it measured). */
function record(r: Result): void {
  results.push(r);
  log(`${r.id}: ${fmt(r.value)} ${r.unit} vs ${fmt(r.baseline)} → ratio ${fmt(r.ratio)} (goal ${r.goal}: ${r.met ? 'met' : 'not met'})`);
  writeResults(true);
}
function writeResults(partial: boolean): void {
  const out = path.resolve(ROOT, OUT);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    JSON.stringify(results.map((r) => ({ ...r, details: { ...r.details, quick: QUICK, rounds: ROUNDS, ...(partial ? { partialRun: true } : {}) } })).concat(growth.length ? [{ id: 'growth', rows: growth } as any] : []), null, 2) + '\n',
  );
}
let errorsSeen = 0;
const invariants: { after: string; intact: boolean; balanced: boolean; entries: number }[] = [];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const spread = (xs: number[]) => [Math.min(...xs), Math.max(...xs)].map((x) => round(x, 3));
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

/** Alternating A/B rounds: a() then b(), `rounds` times; the ratio is taken per round. */
async function alternate(rounds: number, a: () => Promise<number>, b: () => Promise<number>, ratio: (a: number, b: number) => number) {
  const as: number[] = [];
  const bs: number[] = [];
  const rs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const x = await a();
    const y = await b();
    as.push(x);
    bs.push(y);
    rs.push(ratio(x, y));
  }
  return { value: median(as), baseline: median(bs), ratio: median(rs), values: as.map((x) => round(x)), baselines: bs.map((x) => round(x)), ratioRange: spread(rs) };
}

// ---- processes -------------------------------------------------------------------------------------------

/** Starts `npm start` (or another npm script / tsx file) as its own process group; resolves when it listens. */
async function startServer(kind: 'app' | 'baseline', port: number, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const args = kind === 'app' ? ['start'] : ['exec', '--', 'tsx', 'scripts/bench-baseline-server.ts'];
  const child = spawn('npm', args, { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port) }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} server did not start in 180 s: ${out}`)), 180_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (/on http:\/\/localhost/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} server exited (${code}): ${out}`));
    });
  });
  child.removeAllListeners('exit');
  return child;
}

function stopServer(child: ChildProcess | null): void {
  if (child?.pid) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
}

/** Runs a command under /usr/bin/time -v (when present): its stdout, wall seconds and peak RSS in MB. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv): { stdout: string; seconds: number; peakMb: number | null; status: number | null; stderr: string } {
  const hasTime = fs.existsSync('/usr/bin/time');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(hasTime ? '/usr/bin/time' : cmd, hasTime ? ['-v', cmd, ...args] : args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = ms(t0) / 1000;
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  return { stdout: r.stdout, seconds, peakMb: m ? Number(m[1]) / 1024 : null, status: r.status, stderr: r.stderr };
}

const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

// ---- PostgreSQL scratch databases ------------------------------------------------------------------------

const pgCreated: string[] = [];
async function pgScratch(label: string): Promise<string> {
  const name = `bf_bench_${label}_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  const admin = new URL(PG_URL);
  admin.pathname = '/postgres';
  const a = knex({ client: 'pg', connection: admin.toString(), pool: { min: 0, max: 1 } });
  await a.raw(`CREATE DATABASE ${name}`);
  await a.destroy();
  pgCreated.push(name);
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  return u.toString();
}
async function pgDropAll(): Promise<void> {
  if (!pgCreated.length) return;
  const admin = new URL(PG_URL);
  admin.pathname = '/postgres';
  const a = knex({ client: 'pg', connection: admin.toString(), pool: { min: 0, max: 1 } });
  for (const name of pgCreated) await a.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((e) => log(`could not drop ${name}: ${e}`));
  await a.destroy();
}

// ---- the county ------------------------------------------------------------------------------------------

interface County {
  label: string;
  env: NodeJS.ProcessEnv;
  db: Db;
  sqliteFile: string | null;
  assets: number;
}

async function buildCounty(label: string, where: { sqliteFile?: string; databaseUrl?: string }, size: { assets: number; households: number; incomeRows: number }, reuse = false): Promise<County> {
  const db = createDb(where.databaseUrl ? { databaseUrl: where.databaseUrl } : { sqliteFile: where.sqliteFile!, databaseUrl: '' });
  await migrateLatest(db);
  const existing = Number((await db('assets').count({ n: '*' }).first())?.n ?? 0);
  if (reuse && existing === size.assets) {
    log(`${label}: reusing the county in ${where.sqliteFile}`);
  } else {
    const t0 = process.hrtime.bigint();
    const s = await seedCounty(db, { ...size, onProgress: (m) => log(`${label}: ${m}`) });
    log(`${label}: county seeded in ${(ms(t0) / 1000).toFixed(1)} s (${s.villages} villages, ${s.assets} assets, ${s.entries} entries)`);
  }
  return {
    label,
    db,
    sqliteFile: where.sqliteFile ?? null,
    assets: size.assets,
    env: where.databaseUrl ? { DATABASE_URL: where.databaseUrl, MIGRATION_DATABASE_URL: '', DEMO: 'off' } : { DATABASE_URL: '', SQLITE_FILE: where.sqliteFile!, DEMO: 'off' },
  };
}

// ---- HTTP: G1, G2, G3 ------------------------------------------------------------------------------------

const ASSET_FIELDS = 'id code name class subType status originalValue village { code name } project { id name fundingLines { source level amount } } fundingLines { source level amount }';
const ASSET_PAGE = `query Page($after: String) { assets(first: 50, after: $after) { edges { node { ${ASSET_FIELDS} } } } }`;

interface Load {
  rps: number;
  p99: number;
  errors: number;
}
async function load(url: string, opts: { method?: 'GET' | 'POST'; body?: string; token?: string; seconds: number }): Promise<Load> {
  const r = await autocannon({
    url,
    method: opts.method ?? 'POST',
    body: opts.body,
    headers: { 'content-type': 'application/json', ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
    connections: CONNECTIONS,
    duration: opts.seconds,
  });
  const errors = r.errors + r.timeouts + r.non2xx;
  errorsSeen += errors;
  return { rps: r.requests.average, p99: r.latency.p99, errors };
}

async function post(url: string, body: unknown, token?: string): Promise<any> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  return res.json();
}

async function httpMeasures(county: County, suffix: string, portBase: number): Promise<void> {
  const ids = suffix ? ['G2', 'G3'] : ['G1', 'G2', 'G3'];
  if (!ids.some(want)) return;
  let app: ChildProcess | null = null;
  let base: ChildProcess | null = null;
  try {
    log(`${county.label}: starting the app (npm start) and the baseline server`);
    app = await startServer('app', portBase, county.env);
    const gql = `http://127.0.0.1:${portBase}/graphql`;
    const token = SEED_TOKENS.finance;
    const me = await post(gql, { query: '{ me { name } }' }, token);
    if (!me?.data?.me?.name) throw new Error(`the app did not answer { me { name } }: ${JSON.stringify(me)}`);
    base = await startServer('baseline', portBase + 1, { ...county.env, BENCH_ME_NAME: me.data.me.name });
    const rest = `http://127.0.0.1:${portBase + 1}`;
    const seconds = SIZE.httpSeconds;
    const warm = async () => {
      await load(gql, { body: JSON.stringify({ query: ASSET_PAGE }), token, seconds: 1 });
      await load(`${rest}/assets?first=50`, { method: 'GET', seconds: 1 });
    };
    await warm();

    if (!suffix && want('G1')) {
      log('G1: { me { name } } vs bare express');
      const body = JSON.stringify({ query: '{ me { name } }' });
      const ab = await alternate(
        ROUNDS,
        async () => (await load(gql, { body, token, seconds })).rps,
        async () => (await load(`${rest}/me`, { body, seconds })).rps,
        (a, b) => a / b,
      );
      record({ id: 'G1', measure: '{ me { name } } req/s: app vs bare express, same JSON', value: round(ab.value), baseline: round(ab.baseline), ratio: round(ab.ratio), goal: '≥ 0.45', met: ab.ratio >= 0.45, unit: 'req/s', details: { ...ab, connections: CONNECTIONS, seconds } });
    }

    if (want('G2')) {
      log(`G2${suffix}: 50-asset page vs express + knex REST`);
      const appJson = await post(gql, { query: ASSET_PAGE }, token);
      const restJson = await (await fetch(`${rest}/assets?first=50`)).json();
      const sameJson = JSON.stringify(appJson) === JSON.stringify(restJson);
      if (appJson.errors) {
        errorsSeen++;
        log(`G2: the app answered errors: ${JSON.stringify(appJson.errors).slice(0, 300)}`);
      }
      if (!sameJson) log('G2: note: the app and the REST baseline answer different JSON (see details.sameJson)');
      const body = JSON.stringify({ query: ASSET_PAGE });
      const ab = await alternate(
        ROUNDS,
        async () => (await load(gql, { body, token, seconds })).rps,
        async () => (await load(`${rest}/assets?first=50`, { method: 'GET', seconds })).rps,
        (a, b) => a / b,
      );
      const p99 = (await load(gql, { body, token, seconds: Math.min(3, seconds) })).p99;
      const restP99 = (await load(`${rest}/assets?first=50`, { method: 'GET', seconds: Math.min(3, seconds) })).p99;
      record({ id: `G2${suffix}`, measure: `50-asset page req/s: app vs express + knex REST${suffix ? ' (PostgreSQL)' : ''}`, value: round(ab.value), baseline: round(ab.baseline), ratio: round(ab.ratio), goal: '≥ 0.70', met: ab.ratio >= 0.7, unit: 'req/s', details: { ...ab, sameJson, appP99Ms: p99, restP99Ms: restP99, connections: CONNECTIONS, seconds } });
    }

    if (want('G3')) {
      const position = Math.floor(county.assets * 0.9);
      log(`G3${suffix}: paging to position ${position} for the cursor`);
      let after: string | null = null;
      for (let n = 0; n < position; n += 100) {
        const r: any = await post(gql, { query: 'query($after: String) { assets(first: 100, after: $after) { pageInfo { endCursor } } }', variables: { after } }, token);
        after = r?.data?.assets?.pageInfo?.endCursor;
        if (!after) throw new Error(`G3: paging stopped at ${n}: ${JSON.stringify(r).slice(0, 300)}`);
      }
      const deep = JSON.stringify({ query: ASSET_PAGE, variables: { after } });
      const first = JSON.stringify({ query: ASSET_PAGE });
      const ab = await alternate(
        ROUNDS,
        async () => (await load(gql, { body: deep, token, seconds })).p99,
        async () => (await load(gql, { body: first, token, seconds })).p99,
        (a, b) => a / Math.max(b, 1),
      );
      record({ id: `G3${suffix}`, measure: `p99 of the page after position ${position.toLocaleString('en-US')} vs page 1 (keyset)${suffix ? ' (PostgreSQL)' : ''}`, value: ab.value, baseline: ab.baseline, ratio: round(ab.ratio), goal: '≤ 1.2', met: ab.ratio <= 1.2, unit: 'ms p99', details: { ...ab, position } });
    }
  } finally {
    stopServer(app);
    stopServer(base);
  }
}

// ---- G4: register import ---------------------------------------------------------------------------------

/** The import's heap cap in the bench, as docs/import-export.md advises for a whole county's register. */
const IMPORT_HEAP_MB = 160;

async function g4(dir: string): Promise<void> {
  if (!want('G4')) return;
  const rows = SIZE.importRows;
  const sheet = path.join(dir, `register-${rows}.xlsx`);
  if (!fs.existsSync(sheet)) {
    log(`G4: writing a ${rows}-row register sheet`);
    await writeSheet(sheet, rows);
  }
  const rounds = QUICK ? ROUNDS : 1; // a full import takes minutes: one round at full size
  const importRun = async () => {
    // V8's old generation capped (IMPORT_HEAP_MB): the import's live heap is ~50 MB, but uncapped V8 lets
    // garbage grow to ~400 MB RSS at 100k rows on a machine with memory to spare (docs/import-export.md).
    const r = timed(TSX, ['scripts/bench-import.ts'], { BENCH_SHEET: sheet, BENCH_JSON: '1', BENCH_ROWS: String(rows), DATABASE_URL: '', NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${IMPORT_HEAP_MB}`.trim() });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    if (r.status !== 0 || !line.startsWith('{')) {
      errorsSeen++;
      throw new Error(`G4 import failed (${r.status}): ${r.stderr.slice(-2000)}`);
    }
    const j = JSON.parse(line);
    if (j.errors || j.registered !== rows) errorsSeen++;
    lastImport = { ...j, peakMb: r.peakMb ?? j.peakRss / 1e6, wallSeconds: r.seconds };
    return j.seconds * 1000;
  };
  let lastImport: any = null;
  const peaks: number[] = [];
  const ab = await alternate(
    rounds,
    async () => {
      const v = await importRun();
      peaks.push(lastImport.peakMb);
      return v;
    },
    () => rawImportBaseline(dir, rows),
    (a, b) => a / b,
  );
  const peak = Math.max(...peaks);
  record({ id: 'G4', measure: `${rows.toLocaleString('en-US')}-row register import (validated, evented) vs raw prepared inserts in one transaction`, value: round(ab.value / 1000), baseline: round(ab.baseline / 1000), ratio: round(ab.ratio), goal: `≤ 5, peak RSS < ${IMPORT_RSS_MB} MB`, met: ab.ratio <= 5 && peak < IMPORT_RSS_MB, unit: 's', details: { ...ab, peakRssMb: round(peak), rowsPerSecond: round(rows / (ab.value / 1000)), last: lastImport } });
}

/** The same rows (project per 500 rows, asset, two funding lines, a REGISTER event) with raw prepared statements. */
async function rawImportBaseline(dir: string, rows: number): Promise<number> {
  const file = path.join(dir, 'raw-import.sqlite');
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  const db = createDb({ sqliteFile: file, databaseUrl: '' });
  await migrateLatest(db);
  await insertRegions(db, REGIONS.map((r) => ({ ...r, parentCode: parentCodeOf(r.code) })));
  const { userId } = await createUserWithToken(db, { name: 'raw', role: 'ADMIN', regionCode: '511922000000' }, '2026-11-22T02:00:00.000Z');
  await db.destroy();
  const villages = REGIONS.filter((r) => r.level === 'VILLAGE' && r.code.startsWith('511922105'));
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  const now = '2026-11-22T02:00:00.000Z';
  const insProject = raw.prepare('INSERT INTO projects (name, year, implementing_unit, region_code, county_code, total_fen, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insAsset = raw.prepare(
    'INSERT INTO assets (county_code, code, name, class, sub_type, quantity, unit, village_code, location, project_id, year, original_value_fen, completed_on, accepted_on, handed_over_on, booked_on, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insLine = raw.prepare('INSERT INTO asset_funding_lines (asset_id, source, level, amount_fen) VALUES (?, ?, ?, ?)');
  const insEvent = raw.prepare('INSERT INTO asset_events (asset_id, action, from_status, to_status, effective_on, reason, payload, actor_user_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const t0 = process.hrtime.bigint();
  raw.transaction(() => {
    let projectId = 0;
    for (let i = 0; i < rows; i++) {
      const v = villages[i % villages.length];
      if (i % (500 * villages.length) < villages.length) projectId = Number(insProject.run(`${v.name}帮扶项目${i}`, 2021, '南江县农业农村局', v.code, '511922000000', 0, now).lastInsertRowid);
      const value = (10_000 + (i % 1000) * 10) * 100;
      const id = Number(insAsset.run('511922000000', `511922-2021-JY-${i}`, `资产${i}`, 'OPERATING', 'PROCESSING_FACILITY', 300, '平方米', v.code, null, projectId, 2021, value, '2021-09-01', '2021-10-08', '2021-11-20', '2021-11-25', 'HANDED_OVER', now, now).lastInsertRowid);
      insLine.run(id, 'CENTRAL_TRANSITION', 'CENTRAL', Math.round(value * 0.8));
      insLine.run(id, 'VILLAGE_SELF_FUNDED', 'VILLAGE', value - Math.round(value * 0.8));
      insEvent.run(id, 'REGISTER', null, 'REGISTERED', '2021-11-25', null, '{}', userId, now);
    }
  })();
  const t = ms(t0);
  raw.close();
  return t;
}

// ---- G5: distribution ------------------------------------------------------------------------------------

/**
 * 40% of the income as household dividends. A plan line takes at most 20,000 recipients (the input bound), so
 * a larger village (the growth table's 100,000 households) gets the 40% split over several equal lines.
 */
function dividendLines(householdIds: number[]) {
  const lines = Math.ceil(householdIds.length / 20_000);
  const per = Math.ceil(householdIds.length / lines);
  return Array.from({ length: lines }, (_, k) => ({
    type: 'HOUSEHOLD_DIVIDEND',
    basis: 'PERCENT',
    percentBp: 4000 / lines,
    description: lines > 1 ? `分红 ${k + 1}/${lines}` : '分红',
    recipients: householdIds.slice(k * per, (k + 1) * per).map((householdId) => ({ householdId })),
  }));
}

/** A village of n households and, per round, fresh income and a plan drafted then executed through the service. */
async function distributionBench(where: { sqliteFile?: string; databaseUrl?: string }, n: number, rounds: number, rawBaseline: () => Promise<number>): Promise<{ draft: ReturnType<typeof summarise>; execute: ReturnType<typeof summarise> }> {
  const db = createDb(where.databaseUrl ? { databaseUrl: where.databaseUrl } : { sqliteFile: where.sqliteFile!, databaseUrl: '' });
  try {
    await migrateLatest(db);
    const clock = fixedClock('2026-11-22T02:00:00.000Z');
    await insertRegions(db, REGIONS.map((r) => ({ ...r, parentCode: parentCodeOf(r.code) })));
    const { userId } = await createUserWithToken(db, { name: 'bench', role: 'ADMIN', regionCode: PROVINCE }, clock.now());
    const actor = toActor({ id: userId, name: 'bench', role: 'ADMIN', region_code: PROVINCE });
    const svc = (trx: any): ServiceContext => ({ db: trx, clock, actor });
    let payerId = 0;
    let collectiveId = 0;
    await db.transaction(async (trx) => {
      const now = clock.now();
      for (let i = 0; i < n; i += 400) {
        // Bench households need unique ID numbers, not valid ones: they never pass through the API.
        const rows = Array.from({ length: Math.min(400, n - i) }, (_, k) => ({ village_code: V.chaping, head_name: `户${i + k}`, id_number: `B${String(i + k).padStart(17, '0')}`, member_count: 1 + ((i + k) % 5), status: 'FORMERLY_POOR', created_at: now, updated_at: now }));
        const ids = await trx('households').insert(rows).returning('id');
        await trx('household_status_changes').insert(ids.map((x: any) => ({ household_id: x.id ?? x, status: 'FORMERLY_POOR', effective_on: '2010-12-31', actor_user_id: userId, recorded_at: now })));
      }
      collectiveId = (await collectiveOf(trx, clock, V.chaping)).id;
      payerId = await partiesRepo.insert(trx, { kind: 'COMPANY', name: '经营方', regionCode: '511922000000', createdAt: now });
    });
    const householdIds: number[] = (await db('households').select('id').orderBy('id')).map((r: any) => r.id);
    const draft: number[] = [];
    const execute: number[] = [];
    const base: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const y = 2012 + round;
      await db.transaction((trx) =>
        journalService.postEntry(svc(trx), {
          kind: 'INCOME',
          effectiveOn: `${y}-06-30`,
          memo: `bench income ${y}`,
          idempotencyKey: `bench-income-${y}`,
          requestFingerprint: crypto.createHash('sha256').update(`bench-income-${y}`).digest('hex'),
          postings: [
            { holderPartyId: payerId, kind: 'EXTERNAL_COUNTERPARTY', amountFen: -1_000_000_000 },
            { holderPartyId: collectiveId, kind: 'INCOME_PENDING_DISTRIBUTION', amountFen: 1_000_000_000 },
          ],
        } as any),
      );
      let t0 = process.hrtime.bigint();
      const plan: any = await db.transaction((trx) =>
        dist.createPlan(svc(trx), {
          villageCode: V.chaping,
          title: `bench ${y}`,
          periodFrom: `${y}-01-01`,
          periodTo: `${y}-12-31`,
          planOn: `${y + 1}-01-15`,
          lines: [...dividendLines(householdIds), { type: 'COLLECTIVE_RETENTION', basis: 'REMAINDER', description: '集体积累', recipients: [] }],
        }),
      );
      draft.push(ms(t0));
      const step = (fn: (s: ServiceContext, i: any) => Promise<unknown>, input: any) => db.transaction((trx) => fn(svc(trx), { planId: plan.id, ...input }));
      for (const [s, d] of [['PARTY_BRANCH_PROPOSAL', 16], ['TWO_COMMITTEES', 17], ['PARTY_MEMBERS', 18], ['REPRESENTATIVES', 19]] as const) {
        await step(dist.recordMeeting, { step: s, heldOn: `${y + 1}-01-${d}`, memberCount: 30, attendance: 30, votesFor: 30, votesAgainst: 0, abstentions: 0 });
      }
      await step(dist.publishPlanNotice, { startOn: `${y + 1}-01-20` });
      await step(dist.approvePlan, { reviewedOn: `${y + 1}-01-25` });
      t0 = process.hrtime.bigint();
      await step(dist.executePlan, { executedOn: `${y + 1}-02-01`, idempotencyKey: `bench-exec-${y}` });
      execute.push(ms(t0));
      base.push(await rawBaseline());
    }
    await checkInvariants(db, actor, clock, `G5 (${isPostgres(db) ? 'PostgreSQL' : 'SQLite'}, ${n} households)`);
    return { draft: summarise(draft, base), execute: summarise(execute, base) };
  } finally {
    await db.destroy();
  }
}

function summarise(values: number[], baselines: number[]) {
  const ratios = values.map((v, i) => v / baselines[i]);
  return { value: median(values), baseline: median(baselines), ratio: median(ratios), values: values.map((x) => round(x)), baselines: baselines.map((x) => round(x)), ratioRange: spread(ratios) };
}

/** Raw prepared statements writing the same rows as a distribution (a recipient and a posting per household). */
function rawDistributionSqlite(dir: string, n: number): () => Promise<number> {
  return async () => {
    const file = path.join(dir, 'raw-dist.sqlite');
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    const raw = new Database(file);
    raw.pragma('journal_mode = WAL');
    raw.exec('CREATE TABLE r (id INTEGER PRIMARY KEY, plan_id INTEGER, household_id INTEGER, weight INTEGER, amount_fen INTEGER)');
    raw.exec('CREATE TABLE p (id INTEGER PRIMARY KEY, entry_id INTEGER, account_id INTEGER, amount_fen INTEGER)');
    const insR = raw.prepare('INSERT INTO r (plan_id, household_id, weight, amount_fen) VALUES (?, ?, ?, ?)');
    const insP = raw.prepare('INSERT INTO p (entry_id, account_id, amount_fen) VALUES (?, ?, ?)');
    const t0 = process.hrtime.bigint();
    raw.transaction(() => {
      for (let id = 1; id <= n; id++) insR.run(1, id, 10000, 40000);
    })();
    raw.transaction(() => {
      for (let id = 1; id <= n; id++) insP.run(1, id, 40000);
    })();
    const t = ms(t0);
    raw.close();
    return t;
  };
}

/** The PostgreSQL counterpart: one connection, named prepared statements, one transaction per table. */
function rawDistributionPg(url: string, n: number): () => Promise<number> {
  return async () => {
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('DROP TABLE IF EXISTS bench_r; DROP TABLE IF EXISTS bench_p');
      await client.query('CREATE TABLE bench_r (id serial PRIMARY KEY, plan_id int, household_id int, weight int, amount_fen bigint)');
      await client.query('CREATE TABLE bench_p (id serial PRIMARY KEY, entry_id int, account_id int, amount_fen bigint)');
      const t0 = process.hrtime.bigint();
      await client.query('BEGIN');
      for (let id = 1; id <= n; id++) await client.query({ name: 'ins_r', text: 'INSERT INTO bench_r (plan_id, household_id, weight, amount_fen) VALUES ($1, $2, $3, $4)', values: [1, id, 10000, 40000] });
      await client.query('COMMIT');
      await client.query('BEGIN');
      for (let id = 1; id <= n; id++) await client.query({ name: 'ins_p', text: 'INSERT INTO bench_p (entry_id, account_id, amount_fen) VALUES ($1, $2, $3)', values: [1, id, 40000] });
      await client.query('COMMIT');
      return ms(t0);
    } finally {
      await client.end();
    }
  };
}

async function g5(dir: string, n: number, pgUrl: string | null, suffix: string): Promise<void> {
  if (!want('G5')) return;
  log(`G5${suffix}: distribution to ${n} households`);
  const where = pgUrl ? { databaseUrl: pgUrl } : { sqliteFile: path.join(dir, `dist-${n}-${Date.now()}.sqlite`) };
  const r = await distributionBench(where, n, ROUNDS, pgUrl ? rawDistributionPg(pgUrl, n) : rawDistributionSqlite(dir, n));
  const label = suffix ? ' (PostgreSQL)' : '';
  record({ id: `G5-draft${suffix}`, measure: `distribution to ${n.toLocaleString('en-US')} households, drafted, vs raw prepared statements${label}`, value: round(r.draft.value), baseline: round(r.draft.baseline), ratio: round(r.draft.ratio), goal: '≤ 2.5', met: r.draft.ratio <= 2.5, unit: 'ms', details: r.draft });
  record({ id: `G5-execute${suffix}`, measure: `distribution to ${n.toLocaleString('en-US')} households, executed, vs raw prepared statements${label}`, value: round(r.execute.value), baseline: round(r.execute.baseline), ratio: round(r.execute.ratio), goal: '≤ 2.5', met: r.execute.ratio <= 2.5, unit: 'ms', details: r.execute });
}

// ---- G6: county roll-up ----------------------------------------------------------------------------------

async function g6(county: County, suffix: string): Promise<void> {
  if (!want('G6')) return;
  log(`G6${suffix}: registerSummary (class × fund source) vs bare GROUP BY`);
  const db = county.db;
  const user = await db('users').where({ role: 'COUNTY_FINANCE' }).first();
  const svc: ServiceContext = { db, clock: fixedClock('2026-11-22T02:00:00.000Z'), actor: toActor(user) };
  const bare = () =>
    db.raw(
      `SELECT a.class, f.source, count(*) AS n, sum(f.amount_fen) AS fen FROM assets a JOIN asset_funding_lines f ON f.asset_id = a.id
        WHERE a.village_code LIKE ? AND a.status <> 'DISPOSED' GROUP BY a.class, f.source`,
      ['511922%'],
    );
  await registerSummary(svc, { regionCode: COUNTY, groupBy: ['CLASS', 'FUND_SOURCE'] });
  await bare();
  const ab = await alternate(
    Math.max(ROUNDS, 3),
    async () => {
      const t0 = process.hrtime.bigint();
      const s = await registerSummary(svc, { regionCode: COUNTY, groupBy: ['CLASS', 'FUND_SOURCE'] });
      if (!s || s.total.assetCount <= 0) errorsSeen++;
      return ms(t0);
    },
    async () => {
      const t0 = process.hrtime.bigint();
      await bare();
      return ms(t0);
    },
    (a, b) => a / b,
  );
  record({ id: `G6${suffix}`, measure: `county roll-up (registerSummary, class × fund source) vs the bare SQL GROUP BY${suffix ? ' (PostgreSQL)' : ''}`, value: round(ab.value), baseline: round(ab.baseline), ratio: round(ab.ratio), goal: '≤ 1.2', met: ab.ratio <= 1.2, unit: 'ms', details: ab });
}

// ---- G7: verification ------------------------------------------------------------------------------------

/** In-memory serialise + hash of `count` synthetic entries shaped like the seed's income entries. */
function hashBaseline(count: number): { serialiseAndHash: number; hashOnly: number } {
  const sample: { fields: any; postings: any[]; bytes: Buffer }[] = [];
  for (let i = 1; i <= Math.min(count, 50_000); i++) {
    const fields = { sequence: i, kind: 'INCOME', effectiveOn: '2024-05-01', memo: `租金收入 凭证号 SK2024-${i}`, sourceType: 'CONTRACT', sourceId: i % 3000, assetId: i % 9000, reversesEntryId: null, idempotencyKey: `seed:county:income:${i}`, requestFingerprint: 'a'.repeat(64), actorUserId: 5, recordedAt: '2024-05-01T01:00:00.000Z' };
    const postings = [
      { accountId: 1 + (i % 50), holderPartyId: 400 + (i % 50), accountKind: 'EXTERNAL_COUNTERPARTY', amountFen: -12345 },
      { accountId: 100 + (i % 400), holderPartyId: 1 + (i % 400), accountKind: 'INCOME_PENDING_DISTRIBUTION', amountFen: 12345 },
    ];
    sample.push({ fields, postings, bytes: Buffer.from(canonicalEntry(fields as any, postings as any), 'utf8') });
  }
  let t0 = process.hrtime.bigint();
  let h = GENESIS_HASH;
  for (let i = 0; i < count; i++) {
    const s = sample[i % sample.length];
    h = chainHash(h, canonicalEntry(s.fields, s.postings));
  }
  const serialiseAndHash = count / (ms(t0) / 1000);
  t0 = process.hrtime.bigint();
  h = GENESIS_HASH;
  for (let i = 0; i < count; i++) h = crypto.createHash('sha256').update(h, 'utf8').update('\n', 'utf8').update(sample[i % sample.length].bytes).digest('hex');
  return { serialiseAndHash, hashOnly: count / (ms(t0) / 1000) };
}

async function verifyRun(county: County): Promise<{ rate: number; peakMb: number | null; count: number }> {
  const r = timed(TSX, ['src/cli/verify.ts', '--json'], county.env);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) {
    errorsSeen++;
    throw new Error(`npm run verify failed (${r.status}): ${r.stdout}${r.stderr.slice(-1000)}`);
  }
  const j = JSON.parse(line);
  if (!j.intact) errorsSeen++;
  return { rate: j.count / j.seconds, peakMb: r.peakMb, count: j.count };
}

async function g7(county: County, suffix = ''): Promise<{ rate: number; peakMb: number | null } | null> {
  if (!want('G7')) return null;
  log(`G7${suffix}: npm run verify over the county's journal`);
  const peaks: number[] = [];
  let count = 0;
  const hashOnly: number[] = [];
  const ab = await alternate(
    ROUNDS,
    async () => {
      const r = await verifyRun(county);
      if (r.peakMb !== null) peaks.push(r.peakMb);
      count = r.count;
      return r.rate;
    },
    async () => {
      const b = hashBaseline(Math.min(count, 200_000));
      hashOnly.push(b.hashOnly);
      return b.serialiseAndHash;
    },
    (a, b) => a / b,
  );
  const peak = peaks.length ? Math.max(...peaks) : NaN;
  record({
    id: `G7${suffix}`,
    measure: `journal verification (npm run verify) of ${count.toLocaleString('en-US')} entries, entries/s (baseline: serialise + hash in memory)`,
    value: Math.round(ab.value),
    baseline: Math.round(ab.baseline),
    ratio: round(ab.ratio),
    goal: `≥ 300,000 entries/s, peak RSS < ${VERIFY_RSS_MB} MB`,
    met: ab.value >= 300_000 && (Number.isNaN(peak) || peak < VERIFY_RSS_MB),
    unit: 'entries/s',
    details: { ...ab, entries: count, peakRssMb: round(peak), hashOnlyPerSecond: Math.round(median(hashOnly)) },
  });
  return { rate: ab.value, peakMb: peak };
}

// ---- G8: journaled write rate ----------------------------------------------------------------------------

async function g8(county: County): Promise<void> {
  if (!want('G8')) return;
  const db = county.db;
  const clerkRow = await db('users').where({ role: 'ADMIN' }).first();
  const actor = toActor(clerkRow);
  const clock = fixedClock('2026-11-22T02:00:00.000Z');
  const svc = (trx: any): ServiceContext => ({ db: trx, clock, actor });
  // Operating assets in operation whose contract started by 2021 (the seed's income-bearing assets).
  const contracts = await db('contracts').select('id', 'asset_id', 'operator_party_id', 'village_code').where('start_on', '<=', '2021-01-01').orderBy('id').limit(500);
  if (!contracts.length) throw new Error('G8: the county has no contracts to record income under');
  const owners = new Map<number, number>();
  for (const o of await db('asset_owners').whereIn('asset_id', contracts.map((c: any) => c.asset_id)).whereNull('effective_to')) owners.set(o.asset_id, o.party_id);
  const run = Date.now();

  // (a) recordIncome, one transaction per receipt (what the recordIncome mutation does).
  log(`G8: ${SIZE.g8Service} income receipts through recordIncome, one transaction each`);
  let t0 = process.hrtime.bigint();
  for (let i = 0; i < SIZE.g8Service; i++) {
    const c = contracts[i % contracts.length];
    await db.transaction((trx) =>
      incomeService.recordIncome(svc(trx), { assetId: c.asset_id, kind: 'RENT', receivedOn: '2026-01-10', payer: { partyId: c.operator_party_id }, voucherNo: `BENCH-${run}-${i}`, amountFen: 10_000 + i, contractId: c.id, idempotencyKey: `bench-g8-${run}-${i}` }),
    );
  }
  const serviceRate = SIZE.g8Service / (ms(t0) / 1000);

  // (b) postEntry (the journal service), all in one transaction: the per-entry path's ceiling.
  log(`G8: ${SIZE.g8Post} entries through postEntry in one transaction`);
  const accounts = contracts.map((c: any) => ({ payer: c.operator_party_id, owner: owners.get(c.asset_id) ?? c.operator_party_id }));
  t0 = process.hrtime.bigint();
  await db.transaction(async (trx) => {
    for (let i = 0; i < SIZE.g8Post; i++) {
      const a = accounts[i % accounts.length];
      await journalService.postEntry(svc(trx), {
        kind: 'INCOME',
        effectiveOn: '2026-01-11',
        memo: 'bench',
        idempotencyKey: `bench-g8p-${run}-${i}`,
        requestFingerprint: crypto.createHash('sha256').update(`${run}-${i}`).digest('hex'),
        postings: [
          { holderPartyId: a.payer, kind: 'EXTERNAL_COUNTERPARTY', amountFen: -(1000 + i) },
          { holderPartyId: a.owner, kind: 'INCOME_PENDING_DISTRIBUTION', amountFen: 1000 + i },
        ],
      } as any);
    }
  });
  const postRate = SIZE.g8Post / (ms(t0) / 1000);

  // (c) the batch path (journal.postEntries: one head lock, multi-row inserts), in batches of 5,000.
  log(`G8: ${SIZE.g8Post} entries through postEntries in batches of 5,000, one transaction`);
  const requests = Array.from({ length: SIZE.g8Post }, (_, i) => {
    const a = accounts[i % accounts.length];
    return {
      kind: 'INCOME',
      effectiveOn: '2026-01-12',
      memo: 'bench batch',
      idempotencyKey: `bench-g8b-${run}-${i}`,
      requestFingerprint: crypto.createHash('sha256').update(`b-${run}-${i}`).digest('hex'),
      postings: [
        { holderPartyId: a.payer, kind: 'EXTERNAL_COUNTERPARTY', amountFen: -(1000 + i) },
        { holderPartyId: a.owner, kind: 'INCOME_PENDING_DISTRIBUTION', amountFen: 1000 + i },
      ],
    };
  });
  t0 = process.hrtime.bigint();
  await db.transaction(async (trx) => {
    for (let i = 0; i < requests.length; i += 5000) await journalService.postEntries(svc(trx), requests.slice(i, i + 5000) as any);
  });
  const batchRate = SIZE.g8Post / (ms(t0) / 1000);

  // Baseline: raw prepared inserts of the same rows (entry + two postings) in one transaction, no hashing.
  const rawRate = await rawJournalBaseline(SIZE.g8Post);
  await checkInvariants(db, actor, clock, 'G8 (the county, after its writes)');
  const value = Math.max(serviceRate, postRate, batchRate);
  record({
    id: 'G8',
    measure: 'journaled write rate, income entries/s through the services (best path) vs raw prepared inserts',
    value: Math.round(value),
    baseline: Math.round(rawRate),
    ratio: round(value / rawRate, 3),
    goal: '≥ 50,000 entries/s (batch)',
    met: value >= 50_000,
    unit: 'entries/s',
    details: { recordIncomePerTransaction: Math.round(serviceRate), postEntryOneTransaction: Math.round(postRate), postEntriesBatch: Math.round(batchRate), serviceEntries: SIZE.g8Service, postEntries: SIZE.g8Post },
  });
}

async function rawJournalBaseline(n: number): Promise<number> {
  const file = path.join(os.tmpdir(), `bf-bench-raw-journal-${process.pid}.sqlite`);
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.exec('DROP TABLE IF EXISTS e; DROP TABLE IF EXISTS p');
  raw.exec('CREATE TABLE e (id INTEGER PRIMARY KEY, sequence INTEGER UNIQUE, kind TEXT, effective_on TEXT, memo TEXT, idempotency_key TEXT UNIQUE, actor_user_id INTEGER, recorded_at TEXT, prev_hash TEXT, hash TEXT)');
  raw.exec('CREATE TABLE p (id INTEGER PRIMARY KEY, entry_id INTEGER, account_id INTEGER, amount_fen INTEGER)');
  const insE = raw.prepare('INSERT INTO e (sequence, kind, effective_on, memo, idempotency_key, actor_user_id, recorded_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insP = raw.prepare('INSERT INTO p (entry_id, account_id, amount_fen) VALUES (?, ?, ?)');
  const h = 'f'.repeat(64);
  const t0 = process.hrtime.bigint();
  raw.transaction(() => {
    for (let i = 1; i <= n; i++) {
      const id = Number(insE.run(i, 'INCOME', '2026-01-11', 'bench', `k${i}`, 1, '2026-01-11T00:00:00Z', h, h).lastInsertRowid);
      insP.run(id, 1, -1000);
      insP.run(id, 2, 1000);
    }
  })();
  const rate = n / (ms(t0) / 1000);
  raw.close();
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  return rate;
}

// ---- G9: invariants --------------------------------------------------------------------------------------

async function checkInvariants(db: Db, actor: ReturnType<typeof toActor>, clock: ReturnType<typeof fixedClock>, after: string): Promise<void> {
  const v = await verifyChain(db, { batchSize: 5000 });
  const tb = await trialBalance({ db, clock, actor: { ...actor, role: 'ADMIN', regionCode: PROVINCE, scopePrefix: '51' } as any }, PROVINCE, '2099-12-31');
  const ok = { after, intact: v.intact, balanced: !!tb?.balanced, entries: v.count };
  invariants.push(ok);
  if (!ok.intact || !ok.balanced) {
    errorsSeen++;
    log(`G9: invariant broken after ${after}: ${JSON.stringify(ok)}`);
  }
}

// ---- growth ------------------------------------------------------------------------------------------------

interface GrowthRow {
  measure: string;
  size: string;
  value: number;
  unit: string;
  perUnit: string;
}
const growth: GrowthRow[] = [];

/** --growth-only G5,G7: only some of the growth table's measures. */
const GROWTH_ONLY = argOf(argv, '--growth-only')?.split(',').map((s) => s.trim().toUpperCase());
const growthWant = (id: string) => !GROWTH_ONLY || GROWTH_ONLY.includes(id);

async function growthTable(dir: string): Promise<void> {
  log('growth: G2 at 10k and 100k assets, G5 at 1k, 10k, 100k households, G7 at 100k and 1M entries');
  for (const assets of growthWant('G2') ? [10_000, 100_000] : []) {
    const c = await buildCounty(`growth ${assets} assets`, { sqliteFile: path.join(dir, `growth-a${assets}.sqlite`) }, { assets, households: 1_000, incomeRows: 0 }, true);
    const before = results.length;
    growthWants = 'G2';
    await httpMeasures(c, `@${assets / 1000}k`, 4300 + assets / 10_000).finally(() => (growthWants = null));
    const r = results.splice(before).find((x) => x.id.startsWith('G2'));
    if (r) growth.push({ measure: 'G2 page req/s (app)', size: `${assets.toLocaleString('en-US')} assets`, value: r.value, unit: 'req/s', perUnit: `ratio ${r.ratio}` });
    await c.db.destroy();
  }
  for (const n of growthWant('G5') ? [1_000, 10_000, 100_000] : []) {
    const file = path.join(dir, `growth-d${n}.sqlite`);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true }); // a fresh village each run, even with --keep
    const r = await distributionBench({ sqliteFile: file }, n, 1, rawDistributionSqlite(dir, n));
    growth.push({ measure: 'G5 draft ms', size: `${n.toLocaleString('en-US')} households`, value: round(r.draft.value), unit: 'ms', perUnit: `${round((r.draft.value * 1000) / n)} µs/household` });
    growth.push({ measure: 'G5 execute ms', size: `${n.toLocaleString('en-US')} households`, value: round(r.execute.value), unit: 'ms', perUnit: `${round((r.execute.value * 1000) / n)} µs/household` });
  }
  for (const entries of growthWant('G7') ? [100_000, 1_000_000] : []) {
    const c = await buildCounty(`growth ${entries} entries`, { sqliteFile: path.join(dir, `growth-j${entries}.sqlite`) }, { assets: 2_000, households: 100, incomeRows: entries }, true);
    const r = await verifyRun(c);
    growth.push({ measure: 'G7 verify entries/s', size: `${entries.toLocaleString('en-US')} entries`, value: Math.round(r.rate), unit: 'entries/s', perUnit: `${round(1e6 / r.rate)} µs/entry, peak RSS ${round(r.peakMb ?? NaN)} MB` });
    await c.db.destroy();
  }
}

// ---- main ------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = Date.now();
  const keep = argOf(argv, '--keep');
  const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-bench-'));
  fs.mkdirSync(dir, { recursive: true });
  const reuse = argv.includes('--reuse');
  const size = { assets: SIZE.assets, households: SIZE.households, incomeRows: SIZE.incomeRows };
  log(`${QUICK ? 'quick' : 'full'} run in ${dir}: ${size.assets} assets, ${size.households} households, ${size.incomeRows} income entries; ${ROUNDS} rounds; ${os.cpus().length} CPUs, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const loadBefore = os.loadavg()[0];
  let county: County | null = null;
  let pgCounty: County | null = null;
  try {
    const needCounty = !PG_ONLY && ['G1', 'G2', 'G3', 'G6', 'G7', 'G8'].some(want);
    if (needCounty) county = await buildCounty('SQLite county', { sqliteFile: path.join(dir, `county-${size.assets}.sqlite`) }, size, reuse);
    if (county) {
      await httpMeasures(county, '', 4200);
      await g6(county, '');
      await g7(county);
    }
    if (!PG_ONLY) {
      await g4(dir);
      await g5(dir, SIZE.distHouseholds, null, '');
    }
    if (county) await g8(county);
    if (PG_URL && ['G2', 'G3', 'G5', 'G6'].some(want)) {
      pgCounty = await buildCounty('PostgreSQL county', { databaseUrl: await pgScratch('county') }, { ...size, incomeRows: Math.min(size.incomeRows, 10_000) });
      await httpMeasures(pgCounty, '-pg', 4250);
      await g6(pgCounty, '-pg');
      await g5(dir, SIZE.distHouseholds, await pgScratch('dist'), '-pg');
    }
    if (GROWTH) await growthTable(dir);
  } finally {
    await county?.db.destroy();
    await pgCounty?.db.destroy();
    if (PG_URL) await pgDropAll();
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
  const allIntact = invariants.every((i) => i.intact && i.balanced);
  record({ id: 'G9', measure: 'errors in every run (HTTP non-2xx, errors, time-outs; GraphQL errors; failed writes); invariants (verify, trial balance) after each write benchmark', value: errorsSeen, baseline: 0, ratio: 0, goal: '0 errors, invariants hold', met: errorsSeen === 0 && allIntact, unit: 'errors', details: { invariants } });

  // ---- report
  const rows = results.map((r) => [r.id, r.measure, `${fmt(r.value)} ${r.unit}`, fmt(r.baseline), fmt(r.ratio) + (Array.isArray((r.details as any).ratioRange) ? ` (${(r.details as any).ratioRange.join('–')})` : ''), r.goal, r.met ? 'yes' : 'no']);
  const head = ['id', 'measure', 'value', 'baseline', 'ratio (min–max)', 'goal', 'met'];
  console.log(`\n| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  if (growth.length) {
    console.log('\n| growth | size | value | per unit |\n|---|---|---|---|');
    for (const g of growth) console.log(`| ${g.measure} | ${g.size} | ${fmt(g.value)} ${g.unit} | ${g.perUnit} |`);
  }
  const minutes = (Date.now() - started) / 60000;
  console.log(`\n${QUICK ? 'quick' : 'full'} run, ${minutes.toFixed(1)} min, load average ${loadBefore.toFixed(1)} → ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs`);
  writeResults(false);
  console.log(`written ${OUT}`);
}

const fmt = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : String(round(x))) : '—');

main().catch(async (err) => {
  console.error(err);
  if (PG_URL) await pgDropAll().catch(() => undefined);
  process.exit(1);
});
