/** Every refusal of the bundle mutations comes back coded, and writes nothing. */
import { setup, TestEnv, snapshot, gidNum } from './helpers';
import { company } from './journal.fixtures';
import { createProject, registerAsset, STEP, confirmInput } from './fixtures';
import { lease } from './income.helpers';
import {
  assetContribution,
  BUNDLE_CONTRIBUTE,
  BUNDLE_CREATE,
  BUNDLE_PROFIT,
  BUNDLE_QUERY,
  BUNDLE_SPLIT,
  BUNDLE_TABLES,
  BUNDLE_WITHDRAW,
  cashContribution,
  contributed,
  createBundle,
  creditCode,
  decideAll,
  giveCash,
  memberAsset,
} from './bundles.helpers';
import { acquireHold } from '../src/modules/assets/assets.holds';
import * as assetsRepo from '../src/modules/assets/assets.repository';
import { V } from '../seeds/demo-data';

let env: TestEnv;
let bundle: any;
let other: any; // a second venture holding one asset
let payer: number;
beforeAll(async () => {
  env = await setup();
  payer = await company(env, '南江县云顶农业发展有限公司');
  await giveCash(env, V.chaping, 10_000_000);
  bundle = await createBundle(env, { name: '云顶联营甲' });
  other = await createBundle(env, { name: '云顶联营乙' });
});
afterAll(() => env.close());

/** Runs a mutation and expects one coded error and no row written anywhere. */
async function refused(token: Parameters<TestEnv['gql']>[0], query: string, input: unknown, code: string) {
  const before = await snapshot(env.db, BUNDLE_TABLES);
  const body = await env.gql(token, query, { input });
  const payload = Object.values(body.data ?? {})[0] as any;
  const codes = payload?.errors?.map((e: any) => e.code) ?? body.errors?.map((e: any) => e.extensions.code);
  expect(codes).toEqual([code]);
  expect(await snapshot(env.db, BUNDLE_TABLES)).toEqual(before);
  return payload?.errors?.[0] ?? body.errors?.[0];
}

describe('bundleCreate refusals', () => {
  const base = { name: '云顶新联营', legalForm: 'COMPANY', creditCode: creditCode(1), startOn: '2025-01-01', villageCodes: [V.chaping, V.jintai] };
  it('an invalid credit code (GB 32100 check)', async () => {
    const bad = creditCode(1).slice(0, 17) + (creditCode(1).endsWith('0') ? '1' : '0');
    await refused('planner', BUNDLE_CREATE, { ...base, creditCode: bad }, 'INVALID_CREDIT_CODE');
  });
  it('a credit code already registered', async () => {
    const taken = (await env.gql('planner', BUNDLE_QUERY, { id: bundle.id })).data.bundle.party.creditCode;
    await refused('planner', BUNDLE_CREATE, { ...base, creditCode: taken }, 'DUPLICATE');
  });
  it('a member village outside the creator\'s region', async () => {
    const e = await refused('reviewer', BUNDLE_CREATE, { ...base, villageCodes: [V.chaping, V.hongyan] }, 'INVALID_REGION');
    expect(e.field).toEqual(['input', 'villageCodes', '1']);
    await refused('planner', BUNDLE_CREATE, { ...base, villageCodes: [V.chaping, V.liangya] }, 'INVALID_REGION');
  });
  it('a code that is not a village', async () => {
    await refused('planner', BUNDLE_CREATE, { ...base, villageCodes: ['511922105000'] }, 'INVALID_REGION');
  });
  it('a start date in the future', async () => {
    await refused('planner', BUNDLE_CREATE, { ...base, startOn: '2027-01-01' }, 'DATE_IN_FUTURE');
  });
});

describe('bundleContribute refusals', () => {
  it('an asset not confirmed', async () => {
    const project = await createProject(env);
    const asset = await registerAsset(env, project.id);
    await refused('clerk', BUNDLE_CONTRIBUTE, assetContribution(bundle.id, V.chaping, asset.id, '100000.00'), 'NOT_CONFIRMED');
  });
  it('an asset confirmed but not handed over', async () => {
    const project = await createProject(env);
    const asset = await registerAsset(env, project.id);
    await env.gql('clerk', STEP('rightsConfirm'), { input: confirmInput(asset.id, '2021-11-10') });
    await refused('clerk', BUNDLE_CONTRIBUTE, assetContribution(bundle.id, V.chaping, asset.id, '100000.00'), 'ILLEGAL_TRANSITION');
  });
  it('an asset co-owned by a village that is not a member', async () => {
    const asset = await memberAsset(env, 'clerk', V.chaping, [
      { villageCode: V.chaping, shareBp: 5000 },
      { villageCode: V.shiqiao, shareBp: 5000 },
    ]);
    await refused('clerk', BUNDLE_CONTRIBUTE, assetContribution(bundle.id, V.chaping, asset.id, '100000.00'), 'NOT_AN_OWNER');
  });
  it('an asset that is not the contributing village\'s', async () => {
    const asset = await memberAsset(env, 'clerk', V.chaping, [{ villageCode: V.jintai, shareBp: 10000 }]);
    await refused('clerk', BUNDLE_CONTRIBUTE, assetContribution(bundle.id, V.chaping, asset.id, '100000.00'), 'NOT_AN_OWNER');
  });
  it('an asset held by an operation contract', async () => {
    const asset = await memberAsset(env, 'clerk', V.chaping);
    await lease(env, asset.id, payer);
    const e = await refused('clerk', BUNDLE_CONTRIBUTE, assetContribution(bundle.id, V.chaping, asset.id, '100000.00'), 'ASSET_HELD');
    expect(e.message).toMatch(/contract/i);
  });
  it('an asset held by a pledge', async () => {
    const asset = await memberAsset(env, 'clerk', V.chaping);
    await env.db.transaction(async (trx) => {
      const a = (await assetsRepo.findById(trx, gidNum(asset.id)))!;
      await acquireHold(env.svc('admin', trx), a, { kind: 'PLEDGE', holderId: 7, holderLabel: '农商行抵押〔2025〕7号', startOn: '2025-01-01', endOn: null });
    });
    const e = await refused('clerk', BUNDLE_CONTRIBUTE, assetContribution(bundle.id, V.chaping, asset.id, '100000.00'), 'ASSET_HELD');
    expect(e.message).toContain('农商行抵押〔2025〕7号');
  });
  it('an asset held by another venture (pending or in force)', async () => {
    const asset = await memberAsset(env, 'clerk', V.chaping);
    const pending = await env.gql('clerk', BUNDLE_CONTRIBUTE, { input: assetContribution(other.id, V.chaping, asset.id, '100000.00') });
    expect(pending.data.bundleContribute.errors).toEqual([]);
    await refused('clerk', BUNDLE_CONTRIBUTE, assetContribution(bundle.id, V.chaping, asset.id, '100000.00'), 'ASSET_HELD');
    await decideAll(env, pending.data.bundleContribute.approval.id, '2025-03-01');
    const e = await refused('clerk', BUNDLE_CONTRIBUTE, assetContribution(bundle.id, V.chaping, asset.id, '100000.00', '2025-06-01'), 'ASSET_HELD');
    expect(e.message).toContain('云顶联营');
  });
  it('an asset without its appraisal', async () => {
    const asset = await memberAsset(env, 'clerk', V.chaping);
    await refused('clerk', BUNDLE_CONTRIBUTE, { ...assetContribution(bundle.id, V.chaping, asset.id, '1.00'), appraisal: null }, 'APPRAISAL_REQUIRED');
  });
  it('a zero or negative value', async () => {
    const asset = await memberAsset(env, 'clerk', V.chaping);
    await refused('clerk', BUNDLE_CONTRIBUTE, assetContribution(bundle.id, V.chaping, asset.id, '0.00'), 'INVALID_AMOUNT');
    await refused('clerk', BUNDLE_CONTRIBUTE, cashContribution(bundle.id, V.chaping, '0.00'), 'INVALID_AMOUNT');
    await refused('clerk', BUNDLE_CONTRIBUTE, cashContribution(bundle.id, V.chaping, '-100.00'), 'INVALID_AMOUNT');
  });
  it('more cash than the village holds', async () => {
    await refused('clerk', BUNDLE_CONTRIBUTE, cashContribution(bundle.id, V.chaping, '100000.01'), 'INSUFFICIENT_BALANCE');
  });
  it('a village that is not a member', async () => {
    const b = await createBundle(env, { name: '云顶联营丙', villageCodes: [V.jintai] });
    // To 茶坪村's clerk the venture does not exist; an administrator is told the village is no member.
    await refused('clerk', BUNDLE_CONTRIBUTE, cashContribution(b.id, V.chaping, '1.00'), 'NOT_FOUND');
    await refused('admin', BUNDLE_CONTRIBUTE, cashContribution(b.id, V.chaping, '1.00'), 'NOT_A_MEMBER');
  });
  it('a contribution before the venture starts', async () => {
    await refused('clerk', BUNDLE_CONTRIBUTE, cashContribution(bundle.id, V.chaping, '1.00', '2024-12-31'), 'DATE_ORDER');
  });
  it('without its resolution nothing is held or moved; a rejected resolution leaves the contribution REJECTED', async () => {
    const asset = await memberAsset(env, 'clerk', V.chaping);
    const p = (await env.gql('clerk', BUNDLE_CONTRIBUTE, { input: assetContribution(bundle.id, V.chaping, asset.id, '100000.00') })).data.bundleContribute;
    const before = await snapshot(env.db, ['asset_holds', 'bundle_share_events', 'journal_entries']);
    const d = await decideAll(env, p.approval.id, '2025-03-02', 'REJECT');
    expect(d.data.approvalDecide.chain.status).toBe('REJECTED');
    expect(await snapshot(env.db, ['asset_holds', 'bundle_share_events', 'journal_entries'])).toEqual(before);
    const row = await env.db('bundle_contributions').where({ id: gidNum(p.contribution.id) }).first();
    expect(row.status).toBe('REJECTED');
  });
});

describe('bundleWithdraw, profit and split refusals', () => {
  let joinedBundle: any;
  beforeAll(async () => {
    joinedBundle = await createBundle(env, { name: '云顶联营丁' });
    await contributed(env, 'clerk', cashContribution(joinedBundle.id, V.chaping, '1000.00', '2025-04-01'));
  });
  it('a withdrawal before joining, or of a village that never joined', async () => {
    await refused('clerk', BUNDLE_WITHDRAW, { bundleId: joinedBundle.id, villageCode: V.chaping, withdrawnOn: '2025-03-31', reason: '测试' }, 'DATE_ORDER');
    await refused('otherClerk', BUNDLE_WITHDRAW, { bundleId: joinedBundle.id, villageCode: V.jintai, withdrawnOn: '2025-05-01', reason: '测试' }, 'ILLEGAL_TRANSITION');
  });
  it('a split with no recorded profit, or before it was declared', async () => {
    const split = { bundleId: joinedBundle.id, year: 2025, amount: '10.00', splitOn: '2026-04-01', idempotencyKey: 'rej-split-1' };
    await refused('planner', BUNDLE_SPLIT, split, 'PROFIT_NOT_RECORDED');
    const p = await env.gql('planner', BUNDLE_PROFIT, { input: { bundleId: joinedBundle.id, year: 2025, profit: '100.00', declaredOn: '2026-03-31', reference: '董〔2026〕1号' } });
    expect(p.data.bundleProfitRecord.errors).toEqual([]);
    await refused('planner', BUNDLE_SPLIT, { ...split, splitOn: '2026-03-30' }, 'DATE_ORDER');
    await refused('planner', BUNDLE_SPLIT, { ...split, amount: '100.01' }, 'SPLIT_EXCEEDS_PROFIT');
    await refused('planner', BUNDLE_SPLIT, { ...split, amount: '0.00' }, 'INVALID_AMOUNT');
  });
  it('a profit recorded again with another figure; the same figure returns the first record', async () => {
    const input = { bundleId: joinedBundle.id, year: 2025, profit: '100.00', declaredOn: '2026-03-31', reference: '董〔2026〕1号' };
    const same = await env.gql('planner', BUNDLE_PROFIT, { input });
    expect(same.data.bundleProfitRecord).toMatchObject({ profit: { year: 2025, profit: '100.00' }, errors: [] });
    await refused('planner', BUNDLE_PROFIT, { ...input, profit: '200.00' }, 'DUPLICATE');
  });
  it('a split on a date nobody holds shares', async () => {
    const b = await createBundle(env, { name: '云顶联营戊' });
    await env.gql('planner', BUNDLE_PROFIT, { input: { bundleId: b.id, year: 2025, profit: '100.00', declaredOn: '2026-03-31', reference: '董〔2026〕2号' } });
    await refused('planner', BUNDLE_SPLIT, { bundleId: b.id, year: 2025, amount: '10.00', splitOn: '2026-04-01', idempotencyKey: 'rej-split-2' }, 'NO_SHARES');
  });
});
