/**
 * Crashes (issue 17, item 3). A server process (src/server/main.ts, as `npm start` runs it) is killed with
 * SIGKILL in the middle of three long money or register operations, then started again on the same database:
 *
 *   - the database equals its state before the operation, table by table (row counts and SHA-256 of the rows);
 *   - the journal verifies (journalVerify through the restarted server, and `npm run verify`);
 *   - the operation retried with the same idempotency key (the same file, for an import) completes exactly
 *     once, and a second retry is a replay that writes nothing.
 *
 * The kill lands mid-operation exactly: the server is started with the test-only crash hook
 * test/support/pauseInTransaction.ts, which stops the process just before the n-th statement of a kind is
 * sent (half the import's assets written, the execution's parties/accounts/entry written but no posting), so
 * the transaction is open with uncommitted rows when SIGKILL arrives. No timer decides where the kill lands.
 *
 * Sizes: a 300-row register import and a plan of 2,000 households by default; BANGFU_LONG_TESTS=1 runs a
 * 4,000-row import and 10,000 households (several minutes: nightly, not CI).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setup, TestEnv, onPostgres, gidNum } from './helpers';
import { startServer, stopAll, uploadTo, runCli, ChildServer } from './support/childServer';
import { digestOf, changedTables, TableDigest } from './support/digest';
import { chapingRow, csvOf, REGISTER_IMPORT } from './registerio.helpers';
import { fundVillage, planAt } from './distribution.helpers';
import { createBundle, giveCash, contributed, cashContribution, BUNDLE_PROFIT, BUNDLE_SPLIT } from './bundles.helpers';
import { verifyChain } from '../src/modules/journal/journal.verify';
import { V } from '../seeds/demo-data';

const LONG = process.env.BANGFU_LONG_TESTS === '1';
jest.setTimeout(LONG ? 1_800_000 : 300_000);
const t0 = Date.now();
const mark = (what: string) => process.env.BANGFU_TEST_TRACE && process.stderr.write(`[crash ${((Date.now() - t0) / 1000).toFixed(1)}s] ${what}\n`);
const IMPORT_ROWS = LONG ? 4_000 : 300;
const HOUSEHOLDS = LONG ? 10_000 : 2_000;

/** knex quotes identifiers with " on PostgreSQL and ` on SQLite. */
// knex quotes the table; the multi-row writer (src/db/insertRows.ts) does not.
const insertInto = (table: string) => `^insert into [\`"]?${table}[\`"]? `;

let env: TestEnv;
let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-crash-'));
  env = await setup(onPostgres ? {} : { sqliteFile: path.join(dir, 'ledger.sqlite') });
});
afterAll(async () => {
  await stopAll();
  await env?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const VERIFY = `{ journalVerify { intact count headSequence headHash } }`;

/**
 * Starts a server that pauses at `pauseAt`, sends the operation, kills the server (SIGKILL) once it has
 * paused inside the transaction, and starts a plain server again. Asserts that the client got no answer and
 * that the database is exactly as before. Returns the restarted server.
 */
async function crashMidway(pauseAt: string, operation: (s: ChildServer) => Promise<unknown>): Promise<ChildServer> {
  const before: Record<string, TableDigest> = await digestOf(env.db);
  mark('digest before');
  const doomed = await startServer(env.serverEnv, { pauseAt });
  mark('server up');
  const answer = operation(doomed).then(
    (body) => ({ answered: body }),
    () => 'no answer',
  );
  // If the operation answers, the pause was never reached (the statement it waits for changed): fail now
  // rather than wait out the timeout.
  const unpaused = answer.then((a) => {
    throw new Error(`the operation finished without reaching the pause ${pauseAt}: ${JSON.stringify(a).slice(0, 300)}`);
  });
  await Promise.race([doomed.waitFor(/BANGFU_TEST_PAUSED/, 300_000), unpaused]);
  unpaused.catch(() => undefined);
  mark('paused');
  await doomed.kill();
  expect(await answer).toBe('no answer');
  expect(changedTables(before, await digestOf(env.db))).toEqual([]);

  mark('digest after kill');
  const server = await startServer(env.serverEnv);
  mark('restarted');
  // Recovery (SQLite's WAL, PostgreSQL's aborted backend) leaves nothing behind either.
  expect(changedTables(before, await digestOf(env.db))).toEqual([]);
  await expectVerifies(server);
  return server;
}

async function expectVerifies(server: ChildServer) {
  mark('verify');
  const v = (await server.gql('finance', VERIFY)).data.journalVerify;
  expect(v).toMatchObject({ intact: true });
  const local = await verifyChain(env.db);
  expect(local).toMatchObject({ intact: true, headHash: v.headHash, count: v.count });
  const cli = await runCli('src/cli/verify.ts', ['--json'], env.serverEnv!);
  expect(cli.code).toBe(0);
  expect(JSON.parse(cli.stdout)).toMatchObject({ intact: true, headHash: v.headHash, count: v.count });
}

describe(`SIGKILL in the middle of a ${IMPORT_ROWS}-row register import`, () => {
  it('leaves no row; the same file imported again registers every row once; a third upload is recognised', async () => {
    const csv = Buffer.from(csvOf(Array.from({ length: IMPORT_ROWS }, (_, i) => chapingRow(i))), 'utf8');
    const upload = (s: ChildServer) => uploadTo(s, 'clerk', REGISTER_IMPORT, csv, '茶坪村台账.csv');
    const server = await crashMidway(`${insertInto('assets')}#${Math.ceil(IMPORT_ROWS / 2)}`, upload);

    mark('retry');
    const retry = await upload(server);
    mark('retried');
    expect(retry.data.registerImport.errors).toEqual([]);
    expect(retry.data.registerImport.result).toMatchObject({ written: true, alreadyImported: false, rows: IMPORT_ROWS, assetsRegistered: IMPORT_ROWS, errorCount: 0 });
    expect(Number((await env.db('assets').count({ n: '*' }).first())!.n)).toBe(IMPORT_ROWS);
    expect(Number((await env.db('register_imports').count({ n: '*' }).first())!.n)).toBe(1);

    const after = await digestOf(env.db);
    const again = await upload(server);
    expect(again.data.registerImport.result).toMatchObject({ written: false, alreadyImported: true });
    expect(changedTables(after, await digestOf(env.db))).toEqual([]);
    await expectVerifies(server);
    await server.stop();
  });
});

/** Households of 茶坪村 inserted in batches (as test/distribution.large.test.ts does), with their status history. */
async function manyHouseholds(n: number): Promise<number[]> {
  const now = env.clock.now();
  const ids: number[] = [];
  for (let i = 0; i < n; i += 200) {
    const rows = Array.from({ length: Math.min(200, n - i) }, (_, k) => ({
      village_code: V.chaping, head_name: `崩溃户${i + k}`, id_number: `C${String(i + k).padStart(17, '0')}`,
      member_count: 1 + ((i + k) % 5), status: 'FORMERLY_POOR', created_at: now, updated_at: now,
    }));
    const inserted = await env.db('households').insert(rows).returning('id');
    const batch = inserted.map((r: any) => r.id ?? r);
    ids.push(...batch);
    await env.db('household_status_changes').insert(
      batch.map((id: number) => ({ household_id: id, status: 'FORMERLY_POOR', effective_on: '2020-12-31', actor_user_id: env.userIds.admin, recorded_at: now })),
    );
  }
  return ids;
}

const EXECUTE = `mutation($input: DistributionExecuteInput!) {
  distributionPlanExecute(input: $input) { plan { id status executionEntrySequence } replayed errors { code field message } } }`;

describe(`SIGKILL in the middle of a distribution executed to ${HOUSEHOLDS} households`, () => {
  it('leaves no row; the retry with the same key posts one entry with a posting per household; a second retry is a replay', async () => {
    await fundVillage(env, V.chaping, HOUSEHOLDS * 100_000);
    const ids = await manyHouseholds(HOUSEHOLDS);
    const planId = await planAt(env, 'APPROVED', ids.map((id) => `Household:${id}`));
    const input = { planId, executedOn: '2025-02-03', idempotencyKey: `crash-exec-${planId}` };
    const execute = (s: ChildServer) => s.gql('clerk', EXECUTE, { input });
    // Paused after the households' parties, accounts and the journal entry are written, before any posting.
    const server = await crashMidway(`${insertInto('journal_postings')}#1`, execute);
    expect((await env.db('distribution_plans').where({ id: gidNum(planId) }).first()).status).toBe('APPROVED');

    const retry = (await execute(server)).data.distributionPlanExecute;
    expect(retry).toMatchObject({ plan: { status: 'EXECUTED' }, replayed: false, errors: [] });
    const plan = await env.db('distribution_plans').where({ id: gidNum(planId) }).first();
    expect(Number((await env.db('journal_entries').where({ kind: 'DISTRIBUTION' }).count({ n: '*' }).first())!.n)).toBe(1);
    expect(Number((await env.db('journal_postings').where({ entry_id: plan.execution_entry_id }).count({ n: '*' }).first())!.n)).toBe(1 + 3 + HOUSEHOLDS);

    const after = await digestOf(env.db);
    const replay = (await execute(server)).data.distributionPlanExecute;
    expect(replay).toMatchObject({ plan: { status: 'EXECUTED', executionEntrySequence: retry.plan.executionEntrySequence }, replayed: true, errors: [] });
    expect(changedTables(after, await digestOf(env.db))).toEqual([]);
    await expectVerifies(server);
    await server.stop();
  });
});

describe('SIGKILL in the middle of a venture income split', () => {
  it('leaves no row; the retry with the same key splits once; a second retry is a replay', async () => {
    await giveCash(env, V.chaping, 10_000_000);
    await giveCash(env, V.jintai, 10_000_000);
    const bundle = await createBundle(env, { name: '崩溃测试联营' });
    await contributed(env, 'clerk', cashContribution(bundle.id, V.chaping, '60000.00', '2025-04-01'));
    await contributed(env, 'otherClerk', cashContribution(bundle.id, V.jintai, '40000.00', '2025-04-01'));
    const profit = await env.gql('planner', BUNDLE_PROFIT, { input: { bundleId: bundle.id, year: 2025, profit: '12345.67', declaredOn: '2026-03-31', reference: '董〔2026〕9号' } });
    expect(profit.data.bundleProfitRecord.errors).toEqual([]);
    const input = { bundleId: bundle.id, year: 2025, amount: '12345.67', splitOn: '2026-04-01', idempotencyKey: 'crash-split-1' };
    const split = (s: ChildServer) => s.gql('planner', BUNDLE_SPLIT, { input });
    const server = await crashMidway(`${insertInto('journal_postings')}#1`, split);

    const retry = (await split(server)).data.bundleIncomeSplit;
    expect(retry).toMatchObject({ replayed: false, errors: [] });
    expect(retry.split.lines.map((l: any) => l.amount).sort()).toEqual(['4938.27', '7407.40']);
    expect(Number((await env.db('journal_entries').where({ kind: 'BUNDLE_INCOME' }).count({ n: '*' }).first())!.n)).toBe(1);

    const after = await digestOf(env.db);
    const replay = (await split(server)).data.bundleIncomeSplit;
    expect(replay).toMatchObject({ replayed: true, errors: [], split: { id: retry.split.id } });
    expect(changedTables(after, await digestOf(env.db))).toEqual([]);
    await expectVerifies(server);
    await server.stop();
  });
});
