/**
 * Re-use of disposal proceeds (处置收入再利用), issue 11: an owner village commits part of its share of a
 * disposal's proceeds to a named assistance project by one journal entry (DISPOSAL_PROCEEDS → PROJECT_FUNDING,
 * kind TRANSFER, source the disposal); never more than what remains of its share, only its own village's
 * projects, never to anyone else; the list shows proceeds, re-used and remaining per disposal and per village.
 */
import { gidNum, setup, snapshot, TestEnv, TokenName } from './helpers';
import { company } from './journal.fixtures';
import { createProject } from './fixtures';
import { approvedAndNoticed, assetOfValue, DISPOSAL_TABLES, gqlOk, key } from './disposal.helpers';
import { V } from '../seeds/demo-data';

let env: TestEnv;
let insurer: number;
let disposalId: string;
let chapingProject: { id: string };
let jintaiProject: { id: string };
let countyProject: { id: string };
const TABLES = [...DISPOSAL_TABLES, 'disposal_proceeds_reuses'];

const REUSE = `mutation($input: DisposalProceedsReuseInput!) { disposalProceedsReuse(input: $input) {
  reuse { id amount reusedOn purpose owner { id name } project { id name } disposal { id }
          entry { id kind sourceType postings { amount account { kind holder { id } } } } }
  disposal { id proceedsReused proceedsRemaining } replayed errors { code field message } } }`;
const EXECUTE = `mutation($input: DisposalExecuteInput!) { disposalExecute(input: $input) { disposal { id status } errors { code message } } }`;

beforeAll(async () => {
  env = await setup();
  insurer = await company(env, '中国人民财产保险股份有限公司南江支公司');
  chapingProject = await createProject(env, { name: '茶坪村产业路硬化项目', year: 2026 }, 'clerk');
  jintaiProject = await createProject(env, { name: '金台村冷链设施项目', year: 2026, regionCode: V.jintai }, 'otherClerk');
  countyProject = await createProject(env, { name: '南江县产业帮扶项目', year: 2026, regionCode: '511922000000' }, 'planner');
  const asset = await assetOfValue(env, '380000.00', [
    { villageCode: V.chaping, shareBp: 3333 },
    { villageCode: V.jintai, shareBp: 6667 },
  ]);
  disposalId = await approvedAndNoticed(env, asset.id, { method: 'LOSS', reason: 'DISASTER_DAMAGE', description: '洪水冲毁大棚' });
  // Before execution there is nothing to re-use.
  const early = await env.gql('clerk', REUSE, { input: reuseInput() });
  expect(early.data.disposalProceedsReuse.errors[0].code).toBe('ILLEGAL_TRANSITION');
  const e = await env.gql('clerk', EXECUTE, {
    input: { disposalId, executedOn: '2026-04-15', price: '0.00', insurance: { insurer: { partyId: `Party:${insurer}` }, amount: '120000.01' }, proceedsReceivedOn: '2026-04-20', idempotencyKey: key() },
  });
  expect(e.data.disposalExecute.errors).toEqual([]);
});
afterAll(() => env.close());

function reuseInput(overrides: Record<string, unknown> = {}) {
  return { disposalId, villageCode: V.chaping, projectId: chapingProject.id, amount: '30000.00', reusedOn: '2026-05-01', purpose: '用于茶坪村产业路硬化', idempotencyKey: key('reuse'), ...overrides };
}

async function refused(token: TokenName, input: Record<string, unknown>, code: string) {
  const before = await snapshot(env.db, TABLES);
  const body = await env.gql(token, REUSE, { input });
  const errors = body.data?.disposalProceedsReuse?.errors ?? body.errors;
  expect(errors?.map((e: { code?: string; extensions?: { code?: string } }) => e.code ?? e.extensions?.code)).toContain(code);
  expect(await snapshot(env.db, TABLES)).toEqual(before);
  return body;
}

const collectiveId = async (villageCode: string) => Number((await env.db('parties').where({ kind: 'VILLAGE_COLLECTIVE', region_code: villageCode }).first()).id);
const balance = async (villageCode: string, kind: string) =>
  (await env.gql('finance', `query($h: ID!, $k: AccountKind!) { accountBalance(holderId: $h, kind: $k) { balance } }`, { h: `Party:${await collectiveId(villageCode)}`, k: kind })).data
    .accountBalance.balance;

describe('disposalProceedsReuse', () => {
  it('moves 茶坪村\'s share from DISPOSAL_PROCEEDS to PROJECT_FUNDING by one TRANSFER entry, with its record and event; a retry replays', async () => {
    const input = reuseInput();
    const r = await gqlOk(env, 'clerk', REUSE, input, 'disposalProceedsReuse');
    const chaping = await collectiveId(V.chaping);
    expect(r.reuse).toMatchObject({ amount: '30000.00', reusedOn: '2026-05-01', owner: { id: `Party:${chaping}` }, project: { id: chapingProject.id }, disposal: { id: disposalId } });
    expect(r.reuse.entry).toMatchObject({ kind: 'TRANSFER', sourceType: 'DISPOSAL' });
    const postings = r.reuse.entry.postings.map((p: any) => [gidNum(p.account.holder.id), p.account.kind, p.amount]).sort();
    expect(postings).toEqual([
      [chaping, 'DISPOSAL_PROCEEDS', '-30000.00'],
      [chaping, 'PROJECT_FUNDING', '30000.00'],
    ]);
    // 茶坪村's share was 39 996.00 of 120 000.01 (3333 bp).
    expect(r.disposal).toMatchObject({ proceedsReused: '30000.00', proceedsRemaining: '90000.01' });
    expect(await balance(V.chaping, 'DISPOSAL_PROCEEDS')).toBe('9996.00');
    expect(await balance(V.chaping, 'PROJECT_FUNDING')).toBe('30000.00');
    const rows = await env.db('disposal_proceeds_reuses').where({ disposal_id: gidNum(disposalId) });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ village_code: V.chaping, project_id: gidNum(chapingProject.id), owner_party_id: chaping });
    expect(Number(rows[0].amount_fen)).toBe(3_000_000);
    const ev = await env.db('disposal_events').where({ disposal_id: gidNum(disposalId), action: 'PROCEEDS_REUSE' });
    expect(ev).toHaveLength(1);

    const before = await snapshot(env.db, TABLES);
    const again = await gqlOk(env, 'clerk', REUSE, input, 'disposalProceedsReuse');
    expect(again).toMatchObject({ replayed: true, reuse: { id: r.reuse.id } });
    expect(await snapshot(env.db, TABLES)).toEqual(before);
    await refused('clerk', { ...input, amount: '1.00' }, 'IDEMPOTENCY_CONFLICT');
  });

  it('refuses more than what remains of the village\'s share, nothing written', async () => {
    const body = await refused('clerk', reuseInput({ amount: '9996.01' }), 'INSUFFICIENT_BALANCE');
    expect(body.data.disposalProceedsReuse.errors[0].message).toMatch(/9996\.00/);
    await gqlOk(env, 'clerk', REUSE, reuseInput({ amount: '9996.00', projectId: countyProject.id }), 'disposalProceedsReuse');
    await refused('clerk', reuseInput({ amount: '0.01' }), 'INSUFFICIENT_BALANCE');
  });

  it('refuses a project of another village, a date before the proceeds, a zero amount, a village that got no share', async () => {
    await refused('clerk', reuseInput({ projectId: jintaiProject.id }), 'NOT_FOUND'); // 金台村's project is not visible to 茶坪村
    await refused('admin', reuseInput({ projectId: jintaiProject.id }), 'INVALID_REGION');
    await refused('otherClerk', reuseInput({ villageCode: V.jintai, reusedOn: '2026-04-19' }), 'DATE_ORDER');
    await refused('otherClerk', reuseInput({ villageCode: V.jintai, projectId: jintaiProject.id, amount: '0.00' }), 'INVALID_AMOUNT');
    await refused('admin', reuseInput({ villageCode: V.liangya }), 'NOT_AN_OWNER');
  });

  it('roles and scope: only the owner village\'s clerk (or admin) re-uses its share', async () => {
    for (const token of ['finance', 'planner', 'reviewer'] as TokenName[]) await refused(token, reuseInput(), 'FORBIDDEN');
    await refused('otherClerk', reuseInput(), 'FORBIDDEN'); // 茶坪村's share, asked by 金台村's clerk
    await refused('liangyaClerk', reuseInput({ villageCode: V.liangya }), 'NOT_FOUND');
    // 金台村 co-owns the asset registered in 茶坪村: its clerk re-uses its own share.
    const r = await gqlOk(env, 'otherClerk', REUSE, reuseInput({ villageCode: V.jintai, projectId: jintaiProject.id, amount: '80004.01' }), 'disposalProceedsReuse');
    expect(r.reuse.amount).toBe('80004.01');
  });

  it('the journal refuses a bare reversal of a re-use entry', async () => {
    const row = await env.db('disposal_proceeds_reuses').orderBy('id').first();
    const body = await env.gql('finance', `mutation($input: JournalEntryReverseInput!) { journalEntryReverse(input: $input) { errors { code message } } }`, {
      input: { entryId: `JournalEntry:${row.entry_id}`, reason: '误记', idempotencyKey: key('rev') },
    });
    const errors = body.data?.journalEntryReverse?.errors ?? body.errors;
    expect(errors.length).toBeGreaterThan(0);
    expect(JSON.stringify(errors)).toMatch(/re-uses the proceeds/);
  });

  it('county finance sees proceeds, re-used and remaining per disposal and per village', async () => {
    const l = await env.gql('finance', `{ disposals(filter: { status: EXECUTED }) { nodes { id proceedsReused proceedsRemaining proceedsReuses { amount project { name } } execution { proceeds } } } }`);
    const d = l.data.disposals.nodes.find((n: any) => n.id === disposalId);
    expect(d).toMatchObject({ proceedsReused: '120000.01', proceedsRemaining: '0.00', execution: { proceeds: '120000.01' } });
    expect(d.proceedsReuses.map((r: any) => r.amount)).toEqual(['30000.00', '9996.00', '80004.01']);
    const s = await env.gql('finance', `{ disposalProceedsByRegion(regionCode: "511922000000", year: 2026) { region { code } disposals proceeds reused remaining } }`);
    expect(s.data.disposalProceedsByRegion).toEqual([{ region: { code: V.chaping }, disposals: 1, proceeds: '120000.01', reused: '120000.01', remaining: '0.00' }]);
    const none = await env.gql('finance', `{ disposalProceedsByRegion(regionCode: "511922000000", year: 2025) { disposals } }`);
    expect(none.data.disposalProceedsByRegion).toEqual([]);
    const other = await env.gql('jiangeFinance', `{ disposalProceedsByRegion { disposals } }`);
    expect(other.data.disposalProceedsByRegion).toEqual([]);
  });
});
