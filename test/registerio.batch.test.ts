import { Readable } from 'node:stream';
import { setup, TestEnv, snapshot } from './helpers';
import { chapingRow, IMPORT_TABLES, SheetRow, xlsxOf } from './registerio.helpers';
import { importRegister, ImportResult } from '../src/modules/registerio/registerio.import';
import { toActor } from '../src/modules/auth/auth.service';
import { createProject } from '../src/modules/projects/projects.service';
import { V } from '../seeds/demo-data';

// The register import writes most rows in batches (AssetBatch, RightsBatch: the services' checks, lookups
// once per batch, multi-row inserts). These tests import the same sheets through the batch and through the
// services one row at a time (`batch: false`), into two databases set up alike, and require the same
// result: the same rows in every table (ids, payloads and dates included) and the same problems reported.
jest.retryTimes(2, { logErrorsBeforeRetry: true });

let batched: TestEnv;
let single: TestEnv;
beforeAll(async () => {
  batched = await setup();
  single = await setup();
});
afterAll(async () => {
  await batched.close();
  await single.close();
});

/** A row the batch takes: its own code, no upkeep, no contract. */
const plain = (i: number, overrides: SheetRow = {}) =>
  chapingRow(i, { 管护主体: null, 管护责任人: null, 管护资金来源: null, 经营方式: null, 经营主体: null, 合同编号: null, 合同起止: null, ...overrides });

async function importBoth(rows: SheetRow[], name: string): Promise<[ImportResult, ImportResult]> {
  const file = await xlsxOf(rows);
  const run = (env: TestEnv, batch: boolean) =>
    importRegister(
      { db: env.db, clock: env.clock, actor: toActor({ id: env.userIds.clerk, name: '茶坪村会计', role: 'VILLAGE_CLERK', region_code: V.chaping }) },
      { name, size: file.length, open: () => Readable.from([file]) },
      { maxBytes: 10 * 1024 * 1024, batch },
    );
  return [await run(batched, true), await run(single, false)];
}

async function tablesOf(env: TestEnv): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of IMPORT_TABLES) {
    out[t] = (await env.db(t).select().orderBy(t === 'asset_code_sequences' ? ['county_code', 'year', 'class'] : ['id'])).map((r: any) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && k === 'payload' ? JSON.parse(v) : v])),
    );
  }
  return out;
}

describe('register import: the batch writes what the services write', () => {
  it('operating rows (confirmed, handed over), joint owners, household rows, and rows the batch leaves to the services, interleaved', async () => {
    const rows = Array.from({ length: 90 }, (_, i) => (i % 10 === 7 ? chapingRow(i) : plain(i)));
    rows.push(chapingRow(90, { 资产编号: null })); // a generated code: through the services
    const [a, b] = await importBoth(rows, 'mixed.xlsx');
    expect(a.errors).toEqual([]);
    expect(a).toEqual({ ...b });
    expect(a.written).toBe(true);
    expect(a.assetsRegistered).toBe(91);
    const [ta, tb] = [await tablesOf(batched), await tablesOf(single)];
    expect(ta.assets).toHaveLength(91);
    for (const t of IMPORT_TABLES) expect([t, ta[t]]).toEqual([t, tb[t]]);
  });

  it('reports the same problems for the same broken rows, and writes nothing', async () => {
    const p = { 所属项目: '茶坪村批量测试项目' };
    const rows = [
      plain(600, p),
      plain(603, { ...p, 验收日期: '2021-08-01' }), // DATE_ORDER (register)
      plain(606, { ...p, 权属主体: '茶坪村 60%；金台村 30%' }), // SHARES_NOT_100
      plain(609, { ...p, 资产类别: '到户类资产', 资产子类: '牲畜' }), // OWNER_NOT_ALLOWED (a collective owning a household asset)
      plain(612, { ...p, 权属主体: '某某公司' }), // UNKNOWN_PARTY
      plain(615, { ...p, 确权日期: '2021-11-25', 移交日期: '2021-11-21' }), // DATE_ORDER: handover before the confirmation
      plain(618, { ...p, 验收日期: null }), // NOT_ACCEPTED: handed over without acceptance
      plain(621, { ...p, 入账日期: '2027-01-05' }), // DATE_IN_FUTURE
      plain(624, { ...p, 所在村: '金台村' }), // outside the clerk's village
      plain(627, p),
      plain(630, { ...p, 资产编号: 'IMPORTED-BEFORE' }), // a code already registered (below)
    ];
    const before = await snapshot(batched.db, IMPORT_TABLES);
    // IMPORTED-BEFORE is registered in both databases first, by a sheet of its own.
    const [firstA, firstB] = await importBoth([plain(633, { 资产编号: 'IMPORTED-BEFORE', 所属项目: '茶坪村先导项目' })], 'first.xlsx');
    expect([firstA.errors, firstA.written, firstB.written]).toEqual([[], true, true]);
    const [a, b] = await importBoth(rows, 'broken.xlsx');
    expect(a.written).toBe(false);
    expect(a.errors).toEqual(b.errors);
    expect(a.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [3, '验收日期', 'DATE_ORDER'],
      [4, '权属主体', 'SHARES_NOT_100'],
      [5, '权属主体', 'OWNER_NOT_ALLOWED'],
      [6, '权属主体', 'UNKNOWN_PARTY'],
      [7, '移交日期', 'DATE_ORDER'],
      [8, null, 'NOT_ACCEPTED'],
      [9, '入账日期', 'DATE_IN_FUTURE'],
      [10, '所在村', 'INVALID_REGION'],
      [12, '资产编号', 'DUPLICATE'],
    ]);
    const after = await snapshot(batched.db, IMPORT_TABLES);
    expect(after.assets).toBe(before.assets + 1);
    expect(await tablesOf(batched)).toEqual(await tablesOf(single));
  });

  it("draws on an existing project's funding row by row: the row beyond what is left is refused", async () => {
    // A project registered beforehand with the funding of one and a half rows.
    for (const env of [batched, single]) {
      const actor = toActor({ id: env.userIds.clerk, name: '茶坪村会计', role: 'VILLAGE_CLERK', region_code: V.chaping });
      await env.db.transaction((trx) =>
        createProject({ db: trx, clock: env.clock, actor }, {
          name: '茶坪村资金测试项目',
          year: 2021,
          implementingUnit: '南江县农业农村局',
          regionCode: V.chaping,
          fundingLines: [
            { source: 'CENTRAL_TRANSITION', amountFen: 1_200_000 },
            { source: 'VILLAGE_SELF_FUNDED', amountFen: 300_000 },
          ],
        }),
      );
    }
    const money = { 所属项目: '茶坪村资金测试项目', 建设年度: 2021, '原值（元）': 10_000, '中央衔接资金（元）': 8_000, '村集体自筹（元）': 2_000 };
    const [a, b] = await importBoth([plain(700, { ...money, 资产编号: 'F-1' }), plain(703, { ...money, 资产编号: 'F-2' })], 'funding.xlsx');
    expect(a.projectsReused).toBe(1);
    expect(a.errors.map((e) => [e.row, e.code])).toEqual([[3, 'FUNDING_EXCEEDS_PROJECT']]);
    expect(a.errors).toEqual(b.errors);
    expect(await tablesOf(batched)).toEqual(await tablesOf(single));
  });
});
