/**
 * npm run bench:import (also G4 of `npm run bench`, which runs it as a child under /usr/bin/time -v with
 * BENCH_JSON=1: one line of JSON on stdout): imports a generated county register of BENCH_ROWS rows (default 100,000) into a
 * scratch SQLite file with the demo's regions, through the same importRegister the CLI and the API use,
 * and reports rows/s and the peak resident memory (goal: under 300 MB, issue 13).
 *
 *   npm run bench:import                          # 100,000 rows, several minutes
 *   BENCH_ROWS=5000 npm run bench:import          # quicker
 *   BENCH_SHEET=/tmp/big.xlsx BENCH_KEEP=1 npm run bench:import   # keep the sheet, e.g. for npm run import
 *
 * The sheet is written with ExcelJS's streaming WorkbookWriter: 茶坪村-style rows spread over the eight
 * villages of 云顶镇, each village's rows under projects of 500 rows, every operating asset confirmed and
 * handed over.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { createDb } from '../src/db/connection';
import { migrateLatest } from '../src/db/migrations';
import { insertRegions } from '../src/modules/regions/regions.repository';
import { parentCodeOf } from '../src/modules/regions/regions.codes';
import { createUserWithToken, toActor } from '../src/modules/auth/auth.service';
import { importRegister } from '../src/modules/registerio/registerio.import';
import { pinnedClock } from '../src/server/demoClock';
import { REGIONS } from '../seeds/demo-data';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const VILLAGES = REGIONS.filter((r) => r.level === 'VILLAGE' && r.code.startsWith('511922105'));
const HEADERS = ['资产编号', '资产名称', '资产类别', '资产子类', '所属项目', '建设年度', '所在村', '数量', '单位', '原值（元）', '中央衔接资金（元）', '村集体自筹（元）', '竣工日期', '验收日期', '入账日期', '权属主体', '确权证号', '确权日期', '移交日期', '移交书编号', '移交单位', '见证单位'];

export async function writeSheet(file: string, rows: number): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('资产台账明细');
  ws.addRow(HEADERS).commit();
  for (let i = 0; i < rows; i++) {
    const v = VILLAGES[i % VILLAGES.length];
    const operating = i % 2 === 0;
    const value = 10_000 + (i % 1000) * 10;
    const central = Math.round(value * 0.8);
    ws.addRow([
      `YD-${String(i).padStart(6, '0')}`,
      `${v.name}${operating ? '加工厂房' : '产业路'}${i}号`,
      operating ? '经营性资产' : '公益性资产',
      operating ? '生产加工设施' : '道路',
      `${v.name}帮扶项目${Math.floor(i / (500 * VILLAGES.length))}`,
      2021,
      v.name,
      operating ? 300 : 1.5,
      operating ? '平方米' : '公里',
      value,
      central,
      value - central,
      '2021-09-01',
      '2021-10-08',
      '2021-11-25',
      `${v.name}股份经济合作社`,
      `云顶资确〔2021〕${i}号`,
      '2021-11-10',
      operating ? '2021-11-20' : null,
      operating ? `云顶资移〔2021〕${i}号` : null,
      operating ? '南江县农业农村局' : null,
      operating ? '云顶镇人民政府' : null,
    ]).commit();
  }
  ws.commit();
  await wb.commit();
}

async function main(): Promise<void> {
  const json = process.env.BENCH_JSON === '1';
  const log = json ? (..._: unknown[]) => undefined : console.log;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-import-'));
  const sheet = process.env.BENCH_SHEET ?? path.join(dir, 'register.xlsx');
  let t = Date.now();
  if (!fs.existsSync(sheet)) await writeSheet(sheet, ROWS);
  log(`sheet: ${sheet}, ${ROWS} rows, ${(fs.statSync(sheet).size / 1e6).toFixed(1)} MB, written in ${((Date.now() - t) / 1000).toFixed(1)}s`);

  const db = createDb({ sqliteFile: path.join(dir, 'bench.sqlite'), databaseUrl: '' });
  await migrateLatest(db);
  await insertRegions(db, REGIONS.map((r) => ({ ...r, parentCode: parentCodeOf(r.code) })));
  const clock = pinnedClock('2026-11-22');
  const { userId } = await createUserWithToken(db, { name: '县规划', role: 'COUNTY_PLANNER', regionCode: '511922000000' }, clock.now());
  const actor = toActor({ id: userId, name: '县规划', role: 'COUNTY_PLANNER', region_code: '511922000000' });

  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200);
  t = Date.now();
  let last = 0;
  const result = await importRegister({ db, clock, actor }, { name: 'register.xlsx', size: fs.statSync(sheet).size, open: () => fs.createReadStream(sheet) }, {
    maxBytes: 500 * 1024 * 1024,
    onProgress: (p) => {
      if (Date.now() - last > 5000) {
        last = Date.now();
        log(`  ${p.phase} ${p.rows} rows, ${p.errors} errors, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
      }
    },
  });
  clearInterval(sampler);
  const seconds = (Date.now() - t) / 1000;
  if (json) console.log(JSON.stringify({ rows: result.rows, registered: result.assetsRegistered, errors: result.errors.length, seconds, peakRss: peak }));
  log(
    `imported ${result.assetsRegistered}/${result.rows} rows (${result.errors.length} errors) in ${seconds.toFixed(1)}s: ` +
      `${Math.round(result.rows / seconds)} rows/s; peak RSS ${(peak / 1e6).toFixed(0)} MB (goal < 300 MB)`,
  );
  if (result.errors.length) log(result.errors.slice(0, 5));
  await db.destroy();
  if (!process.env.BENCH_KEEP) fs.rmSync(dir, { recursive: true, force: true });
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
