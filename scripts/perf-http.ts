/**
 * Ad-hoc HTTP measurement for issue 16's request-path goals (G1, G2, G3), used to prove each lever before and
 * after; the full harness with every measure is `npm run bench` (scripts/bench*.ts). Paired ratios against
 * bare baselines in the same run, A/B alternated, medians of rounds (min–max shown).
 *
 *   npx tsx scripts/perf-http.ts seed /tmp/perf.sqlite 20000      # a county register through importRegister
 *   npx tsx scripts/perf-http.ts run /tmp/perf.sqlite [rounds] [seconds]
 *   DATABASE_URL=postgres://… npx tsx scripts/perf-http.ts seed - 20000   (then run - …)
 *
 * G1: `{ me { name } }` through the app vs bare express answering the same JSON.
 * G2: a 50-asset page with village, project and funding lines vs express + knex REST returning the same rows.
 * G3: p99 of a page deep in the register vs page 1 (both through the app).
 *
 * Last figures (SQLite, 20,000 assets, 2 rounds, before = commit 1544125 / after = this branch, load average
 * 3–5 on 2 cores): G1 req/s ratio 0.40, 0.17 → 0.41, 0.38 (CPU/request ratio 0.29, 0.16 → 0.37, 0.36);
 * G2 0.34, 0.54 → 0.70, 0.69 (CPU 0.34, 0.49 → 0.67, 0.62), app p99 186, 112 → 94, 81 ms;
 * G3 deep/page-1 p99 0.51, 1.13 → 0.63, 1.28 (p99 of 5 s runs, noisy).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { spawn } from 'node:child_process';
import express from 'express';
import autocannon from 'autocannon';
import { createDb, Db } from '../src/db/connection';
import { migrateLatest } from '../src/db/migrations';
import { insertRegions } from '../src/modules/regions/regions.repository';
import { parentCodeOf } from '../src/modules/regions/regions.codes';
import { createUserWithToken, toActor } from '../src/modules/auth/auth.service';
import { importRegister } from '../src/modules/registerio/registerio.import';
import { pinnedClock } from '../src/server/demoClock';
import { createApp } from '../src/server/app';
import { REGIONS } from '../seeds/demo-data';
import { writeSheet } from './bench-import';

const TOKEN = 'perf-county-finance-token';
const dbOf = (file: string): Db => (file === '-' ? createDb() : createDb({ sqliteFile: file, databaseUrl: '' }));

async function seed(file: string, rows: number) {
  if (file !== '-') for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  const db = dbOf(file);
  await migrateLatest(db);
  await insertRegions(db, REGIONS.map((r) => ({ ...r, parentCode: parentCodeOf(r.code) })));
  const clock = pinnedClock('2026-11-22');
  const { userId } = await createUserWithToken(db, { name: '县规划', role: 'COUNTY_PLANNER', regionCode: '511922000000' }, clock.now());
  await createUserWithToken(db, { name: '县财政', role: 'COUNTY_FINANCE', regionCode: '511922000000', token: TOKEN }, clock.now());
  const sheet = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'perf-http-')), 'register.xlsx');
  await writeSheet(sheet, rows);
  const actor = toActor({ id: userId, name: '县规划', role: 'COUNTY_PLANNER', region_code: '511922000000' });
  const r = await importRegister({ db, clock, actor }, { name: 'register.xlsx', size: fs.statSync(sheet).size, open: () => fs.createReadStream(sheet) }, { maxBytes: 1e9 });
  console.log(`seeded ${r.assetsRegistered} assets (${r.errors.length} errors)`);
  await db.destroy();
}

const yuan = (fen: number) => `${Math.trunc(fen / 100)}.${String(Math.abs(fen % 100)).padStart(2, '0')}`;

/** The REST baseline: express + knex, the same rows and JSON as the G2 query, no GraphQL. */
function restBaseline(db: Db): express.Express {
  const app = express();
  app.post('/graphql', express.json(), async (req, res) => {
    if (req.body?.query?.includes('me {')) return void res.json({ data: { me: { name: '县财政' } } });
    const after = req.body?.variables?.after ? Number(Buffer.from(req.body.variables.after, 'base64url').toString().slice(2)) : 0;
    const base = db('assets').where('village_code', 'like', '511922%');
    const rows: any[] = await base.clone().where('id', '>', after).orderBy('id').limit(51);
    const [{ n }] = await base.clone().count({ n: '*' });
    const page = rows.slice(0, 50);
    const ids = page.map((r) => r.id);
    const regions = new Map((await db('regions').whereIn('code', [...new Set(page.map((r) => r.village_code))])).map((r: any) => [r.code, r]));
    const projects = new Map((await db('projects').whereIn('id', [...new Set(page.map((r) => r.project_id))])).map((p: any) => [p.id, p]));
    const lines = await db('asset_funding_lines').whereIn('asset_id', ids).orderBy('id');
    const byAsset = new Map<number, any[]>();
    for (const l of lines) (byAsset.get(l.asset_id) ?? byAsset.set(l.asset_id, []).get(l.asset_id)!).push({ source: l.source, amount: yuan(l.amount_fen) });
    const cursor = (id: number) => Buffer.from(`k:${id}`).toString('base64url');
    res.json({
      data: {
        assets: {
          totalCount: Number(n),
          pageInfo: { hasNextPage: rows.length > 50, endCursor: page.length ? cursor(page[page.length - 1].id) : null },
          nodes: page.map((a) => ({
            id: `Asset:${a.id}`,
            code: a.code,
            name: a.name,
            class: a.class,
            status: a.status,
            originalValue: yuan(a.original_value_fen),
            village: { code: a.village_code, name: regions.get(a.village_code)?.name },
            project: { id: `Project:${a.project_id}`, name: projects.get(a.project_id)?.name, year: projects.get(a.project_id)?.year },
            fundingLines: byAsset.get(a.id) ?? [],
          })),
        },
      },
    });
  });
  return app;
}

const ME = { query: '{ me { name } }' };
const PAGE_QUERY = `query Page($after: String) { assets(first: 50, after: $after) { totalCount pageInfo { hasNextPage endCursor }
  nodes { id code name class status originalValue village { code name } project { id name year } fundingLines { source amount } } } }`;

async function serve(file: string, appPort: number, basePort: number) {
  const db = dbOf(file);
  const app = createApp({ db });
  const appServer = http.createServer(app as any);
  await new Promise<void>((r) => appServer.listen(appPort, () => r()));
  const baseDb = dbOf(file);
  await new Promise<void>((r) => restBaseline(baseDb).listen(basePort, () => r()));
  // CPU spent by this process (server side only), asked for around each load: CPU per request hardly
  // depends on what else runs on the machine, unlike requests per second on a shared, loaded machine.
  process.on('message', () => {
    const u = process.cpuUsage();
    process.send?.({ cpu: u.user + u.system });
  });
  process.send?.('ready');
}

function serverCpu(child: ReturnType<typeof spawn>): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (m: any) => resolve(m.cpu));
    child.send('cpu');
  });
}

let server: ReturnType<typeof spawn>;

async function load(port: number, body: unknown, seconds: number) {
  const cpu0 = await serverCpu(server);
  const r = await autocannon({
    url: `http://127.0.0.1:${port}/graphql`,
    method: 'POST',
    connections: 10,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });
  const cpu = (await serverCpu(server)) - cpu0;
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.non2xx + r.timeouts, cpuPerReq: cpu / Math.max(1, r.requests.total) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs: number[], d = 2) => `${median(xs).toFixed(d)} (${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)})`;

async function post(port: number, body: unknown) {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) });
  return res.json() as Promise<any>;
}

async function run(file: string, rounds: number, seconds: number) {
  const appPort = 4700 + Math.floor(Math.random() * 200);
  const basePort = appPort + 1;
  const child = (server = spawn(process.execPath, [...process.execArgv, __filename, 'serve', file, String(appPort), String(basePort)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  try {
    // A cursor deep in the register (G3): the position of the 90%-th asset.
    const first = await post(appPort, { query: PAGE_QUERY });
    if (first.errors) throw new Error(JSON.stringify(first.errors));
    const total = first.data.assets.totalCount as number;
    const deepId = Math.floor(total * 0.9);
    const deep = { query: PAGE_QUERY, variables: { after: Buffer.from(`k:${deepId}`).toString('base64url') } };
    const same = JSON.stringify((await post(basePort, { query: PAGE_QUERY })).data.assets.nodes[0]) === JSON.stringify(first.data.assets.nodes[0]);
    console.log(`assets: ${total}; REST baseline returns the same first node: ${same}`);
    const g1: number[] = [];
    const g2: number[] = [];
    const g3: number[] = [];
    const c1: number[] = [];
    const c2: number[] = [];
    const p99: number[] = [];
    let errors = 0;
    const raw: string[] = [];
    for (let i = 0; i < rounds; i++) {
      // Alternate which side goes first in each round.
      const pair = async (body: unknown) => {
        const order = i % 2 === 0 ? [appPort, basePort] : [basePort, appPort];
        const out: Record<number, Awaited<ReturnType<typeof load>>> = {};
        for (const port of order) out[port] = await load(port, body, seconds);
        errors += out[appPort].errors + out[basePort].errors;
        return [out[appPort], out[basePort]] as const;
      };
      const [a1, b1] = await pair(ME);
      g1.push(a1.rps / b1.rps);
      c1.push(b1.cpuPerReq / a1.cpuPerReq);
      const [a2, b2] = await pair({ query: PAGE_QUERY });
      g2.push(a2.rps / b2.rps);
      c2.push(b2.cpuPerReq / a2.cpuPerReq);
      p99.push(a2.p99);
      const d = await load(appPort, deep, seconds);
      errors += d.errors;
      g3.push(d.p99 / a2.p99);
      raw.push(`round ${i + 1}: G1 ${a1.rps.toFixed(0)} vs ${b1.rps.toFixed(0)} req/s, CPU ${a1.cpuPerReq.toFixed(0)} vs ${b1.cpuPerReq.toFixed(0)} µs/req; G2 ${a2.rps.toFixed(0)} vs ${b2.rps.toFixed(0)} req/s (app p99 ${a2.p99} ms, REST p99 ${b2.p99} ms), CPU ${a2.cpuPerReq.toFixed(0)} vs ${b2.cpuPerReq.toFixed(0)} µs/req; G3 deep p99 ${d.p99} ms`);
      console.log(raw[raw.length - 1]);
    }
    console.log(`CPU-per-request ratio (baseline/app): G1 ${fmt(c1)} | G2 ${fmt(c2)}`);
    console.log(`G1 ratio ${fmt(g1)} | G2 ratio ${fmt(g2)} | G3 deep/page-1 p99 ${fmt(g3)} | app G2 p99 ms ${fmt(p99, 0)} | errors ${errors}`);
  } finally {
    child.kill();
  }
}

const [cmd, file = '/tmp/perf-http.sqlite', a, b] = process.argv.slice(2);
const main =
  cmd === 'seed' ? () => seed(file, Number(a ?? 20000)) : cmd === 'serve' ? () => serve(file, Number(a), Number(b)) : () => run(file, Number(a ?? 5), Number(b ?? 5));
main().catch((err) => {
  console.error(err);
  process.exit(1);
});
