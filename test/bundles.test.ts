/**
 * Pooled ventures through HTTP, the whole life of one venture: created with its party, assets and cash
 * contributed on their resolutions, shares as dated events, income refused on a bundled asset, leases and
 * disposal blocked by the hold, a profit split exact to the fen (idempotent), a revaluation, a withdrawal
 * (holds released, cash refunded, history kept) and the dissolution.
 */
import { setup, TestEnv, gidNum, snapshot } from './helpers';
import { company } from './journal.fixtures';
import { signContract } from './fixtures';
import { incomeInput, recordIncome } from './income.helpers';
import {
  assetContribution,
  BUNDLE_CONTRIBUTE,
  BUNDLE_DISSOLVE,
  BUNDLE_PROFIT,
  BUNDLE_QUERY,
  BUNDLE_REVALUE,
  BUNDLE_SPLIT,
  BUNDLE_TABLES,
  BUNDLE_WITHDRAW,
  cashContribution,
  contributed,
  createBundle,
  decideAll,
  giveCash,
  memberAsset,
} from './bundles.helpers';
import { acquireHold } from '../src/modules/assets/assets.holds';
import * as assetsRepo from '../src/modules/assets/assets.repository';
import { DomainError } from '../src/shared/errors';
import { V, YUNDING } from '../seeds/demo-data';

let env: TestEnv;
let bundle: any;
let tea: { id: string }; // 茶坪村 100%
let joint: { id: string }; // 金台村 60%, 茶坪村 40%
let payer: number;
let jintaiParty: number;
beforeAll(async () => {
  env = await setup();
  payer = await company(env, '南江县云顶农业发展有限公司');
  tea = await memberAsset(env, 'clerk', V.chaping);
  joint = await memberAsset(env, 'otherClerk', V.jintai, [
    { villageCode: V.jintai, shareBp: 6000 },
    { villageCode: V.chaping, shareBp: 4000 },
  ]);
  jintaiParty = await giveCash(env, V.jintai, 100_000_000); // 1 000 000.00 yuan
  bundle = await createBundle(env, { name: '南江县云顶茶旅农业发展有限公司' });
});
afterAll(() => env.close());

const view = async (token: Parameters<TestEnv['gql']>[0] = 'planner') => (await env.gql(token, BUNDLE_QUERY, { id: bundle.id })).data.bundle;
const sharesOn = async (on: string) =>
  (await env.gql('planner', `query($id: ID!, $on: Date) { bundle(id: $id) { shares(on: $on) { villageCode shareBp value } } }`, { id: bundle.id, on })).data
    .bundle.shares;
const cashOf = async (party: number) =>
  (await env.gql('finance', `query($h: ID!) { accountBalance(holderId: $h, kind: CASH) { balance } }`, { h: `Party:${party}` })).data.accountBalance.balance;

describe('a venture from creation to dissolution', () => {
  it('bundleCreate registers the venture, its VENTURE party and the invited villages, supervised by the township', async () => {
    expect(bundle).toMatchObject({
      name: '南江县云顶茶旅农业发展有限公司',
      legalForm: 'COMPANY',
      status: 'ACTIVE',
      startOn: '2025-01-01',
      region: { code: YUNDING },
      party: { name: '南江县云顶茶旅农业发展有限公司', kind: 'VENTURE' },
      totalContributed: '0.00',
      shares: [],
      shareEvents: [],
    });
    expect(bundle.members.map((m: any) => [m.village.code, m.status, m.shareBp])).toEqual([
      [V.jintai, 'INVITED', 0],
      [V.chaping, 'INVITED', 0],
    ]);
  });

  it('an asset contribution waits for the village resolution and the township filing, then holds the asset', async () => {
    const body = await env.gql('clerk', BUNDLE_CONTRIBUTE, { input: assetContribution(bundle.id, V.chaping, tea.id, '800000.00', '2025-03-01') });
    const p = body.data.bundleContribute;
    expect(p.errors).toEqual([]);
    expect(p.contribution).toMatchObject({ status: 'PENDING', value: '800000.00', kind: 'ASSET' });
    expect(p.approval).toMatchObject({ status: 'PENDING', template: 'BUNDLE_JOIN' });
    expect(p.approval.steps).toEqual([
      { kind: 'VILLAGE_RESOLUTION', region: { code: V.chaping } },
      { kind: 'TOWNSHIP', region: { code: YUNDING } },
    ]);
    // Pending: nothing held, no share yet.
    let b = await view();
    expect(b.holds).toEqual([]);
    expect(b.shareEvents).toEqual([]);
    expect(b.contributions[0].asset.status).toBe('HANDED_OVER');
    // The township cannot decide before the village has resolved.
    const early = await env.gql('reviewer', `mutation($input: ApprovalDecideInput!) { approvalDecide(input: $input) { errors { code } } }`, {
      input: { chainId: p.approval.id, decision: 'APPROVE', decidedOn: '2025-03-05' },
    });
    expect(early.errors[0].extensions.code).toBe('FORBIDDEN');

    const d = await decideAll(env, p.approval.id, '2025-03-05');
    expect(d.data.approvalDecide.chain.status).toBe('APPROVED');
    b = await view();
    expect(b.contributions[0]).toMatchObject({ status: 'ACTIVE', effectiveOn: '2025-03-05', asset: { status: 'BUNDLED' } });
    expect(b.holds).toEqual([
      { kind: 'BUNDLE', holderId: bundle.id, holderLabel: bundle.name, startOn: '2025-03-05', releasedOn: null, statusBefore: 'HANDED_OVER' },
    ]);
    expect(b.members.find((m: any) => m.village.code === V.chaping)).toMatchObject({ status: 'ACTIVE', joinedOn: '2025-03-05', shareBp: 10000, contributed: '800000.00' });
    expect(b.shareEvents).toEqual([{ seq: 1, effectiveOn: '2025-03-05', cause: 'CONTRIBUTE', shares: [{ villageCode: V.chaping, shareBp: 10000 }] }]);
    const events = await env.gql('planner', `query($id: ID!) { asset(id: $id) { status events { action fromStatus toStatus effectiveOn } } }`, { id: tea.id });
    expect(events.data.asset.events.at(-1)).toEqual({ action: 'BUNDLE', fromStatus: 'HANDED_OVER', toStatus: 'BUNDLED', effectiveOn: '2025-03-05' });
  });

  it('a jointly owned asset needs every owner village\'s resolution and credits each owner by its ownership share', async () => {
    const body = await env.gql('otherClerk', BUNDLE_CONTRIBUTE, { input: assetContribution(bundle.id, V.jintai, joint.id, '500000.00', '2025-04-01') });
    const p = body.data.bundleContribute;
    expect(p.approval.template).toBe('BUNDLE_JOIN_JOINT');
    expect(p.approval.steps.map((s: any) => [s.kind, s.region.code])).toEqual([
      ['VILLAGE_RESOLUTION', V.jintai],
      ['VILLAGE_RESOLUTION', V.chaping],
      ['TOWNSHIP', YUNDING],
    ]);
    await decideAll(env, p.approval.id, '2025-04-01');
    const b = await view();
    const c = b.contributions.find((x: any) => x.id === p.contribution.id);
    expect(c.ownerWeights).toEqual([
      { villageCode: V.jintai, value: '300000.00' },
      { villageCode: V.chaping, value: '200000.00' },
    ]);
    // 茶坪 1 000 000, 金台 300 000: 7692.3 / 2307.7 bp → the spare point to the larger remainder.
    expect(b.shares).toEqual([
      { villageCode: V.jintai, shareBp: 2308, value: '300000.00' },
      { villageCode: V.chaping, shareBp: 7692, value: '1000000.00' },
    ]);
  });

  it('cash moves by a journal entry from the village\'s cash to the venture\'s capital', async () => {
    const p = await contributed(env, 'otherClerk', cashContribution(bundle.id, V.jintai, '300000.00', '2025-05-01'));
    const b = await view();
    const c = b.contributions.find((x: any) => x.id === p.contribution.id);
    expect(c).toMatchObject({ kind: 'CASH', status: 'ACTIVE', entry: { kind: 'BUNDLE_CONTRIBUTION' } });
    expect(await cashOf(jintaiParty)).toBe('700000.00');
    const capital = await env.gql('planner', `query($h: ID!) { accountBalance(holderId: $h, kind: VENTURE_CONTRIBUTION) { balance } }`, { h: b.party.id });
    expect(capital.data.accountBalance.balance).toBe('300000.00');
    expect(b.shares).toEqual([
      { villageCode: V.jintai, shareBp: 3750, value: '600000.00' },
      { villageCode: V.chaping, shareBp: 6250, value: '1000000.00' },
    ]);
    expect(b.totalContributed).toBe('1600000.00');
  });

  it('income is refused directly on a bundled asset, naming the venture', async () => {
    const before = await snapshot(env.db, BUNDLE_TABLES);
    const body = await recordIncome(env, incomeInput(tea.id, payer, { receivedOn: '2025-06-30', kind: 'RENT' }));
    expect(body.data.incomeRecord.errors).toEqual([
      { code: 'ASSET_BUNDLED', field: ['input', 'assetId'], message: expect.stringContaining(`南江县云顶茶旅农业发展有限公司 (${bundle.id})`) },
    ]);
    expect(await snapshot(env.db, BUNDLE_TABLES)).toEqual(before);
  });

  it('the BUNDLE hold blocks a lease, a pledge and a disposal of the bundled asset', async () => {
    const before = await snapshot(env.db, BUNDLE_TABLES);
    // contractSign refuses a BUNDLED asset by its status; underneath, the hold refuses any overlapping arrangement.
    await expect(signContract(env, tea.id, { mode: 'LEASE', operator: { partyId: `Party:${payer}` }, signedOn: '2025-06-01', startOn: '2025-07-01', endOn: '2030-06-30' })).rejects.toThrow(
      /ILLEGAL_TRANSITION.*BUNDLED/,
    );
    for (const kind of ['CONTRACT', 'PLEDGE', 'DISPOSAL'] as const) {
      const err = await env.db
        .transaction(async (trx) => {
          const svc = env.svc('admin', trx);
          const asset = (await assetsRepo.findById(trx, gidNum(tea.id)))!;
          await acquireHold(svc, asset, { kind, holderId: 99, holderLabel: `${kind} 99`, startOn: '2025-08-01', endOn: null, step: kind === 'DISPOSAL' ? 'REQUEST_DISPOSAL' : undefined });
        })
        .catch((e) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe('ASSET_HELD');
      expect((err as DomainError).message).toContain('南江县云顶茶旅农业发展有限公司');
    }
    expect(await snapshot(env.db, BUNDLE_TABLES)).toEqual(before);
  });

  it('bundleIncomeSplit splits the recorded profit by the shares of the day, exact to the fen, once per key', async () => {
    const profit = await env.gql('planner', BUNDLE_PROFIT, {
      input: { bundleId: bundle.id, year: 2025, profit: '200000.00', declaredOn: '2026-03-31', reference: '云顶茶旅董〔2026〕3号' },
    });
    expect(profit.data.bundleProfitRecord).toMatchObject({ profit: { year: 2025, profit: '200000.00', split: '0.00' }, errors: [] });
    const input = { bundleId: bundle.id, year: 2025, amount: '150000.01', splitOn: '2026-04-01', idempotencyKey: 'split-2025-1' };
    const before = await snapshot(env.db, BUNDLE_TABLES);
    const body = await env.gql('reviewer', BUNDLE_SPLIT, { input });
    const p = body.data.bundleIncomeSplit;
    expect(p.errors).toEqual([]);
    expect(p.replayed).toBe(false);
    // 15 000 001 fen × 6250 / 10000 = 9 375 000.625; × 3750 = 5 625 000.375 → the spare fen to 茶坪村.
    expect(p.split.lines).toEqual([
      { villageCode: V.jintai, shareBp: 3750, amount: '56250.00' },
      { villageCode: V.chaping, shareBp: 6250, amount: '93750.01' },
    ]);
    expect(p.split.entry).toMatchObject({ kind: 'BUNDLE_INCOME', sourceType: 'BUNDLE' });
    expect(p.split.entry.postings.map((x: any) => [x.account.kind, x.amount]).sort()).toEqual([
      ['EXTERNAL_COUNTERPARTY', '-150000.01'],
      ['INCOME_PENDING_DISTRIBUTION', '56250.00'],
      ['INCOME_PENDING_DISTRIBUTION', '93750.01'],
    ]);
    const after = await snapshot(env.db, BUNDLE_TABLES);
    expect(after.bundle_income_splits - before.bundle_income_splits).toBe(1);
    expect(after.journal_entries - before.journal_entries).toBe(1);

    // A retry posts nothing new; the same key with another body is refused.
    const again = await env.gql('reviewer', BUNDLE_SPLIT, { input });
    expect(again.data.bundleIncomeSplit).toMatchObject({ replayed: true, split: { id: p.split.id }, errors: [] });
    const other = await env.gql('reviewer', BUNDLE_SPLIT, { input: { ...input, amount: '1.00' } });
    expect(other.data.bundleIncomeSplit.errors[0].code).toBe('IDEMPOTENCY_CONFLICT');
    // More than the profit left is refused.
    const over = await env.gql('reviewer', BUNDLE_SPLIT, { input: { ...input, amount: '50000.00', idempotencyKey: 'split-2025-2' } });
    expect(over.data.bundleIncomeSplit.errors[0].code).toBe('SPLIT_EXCEEDS_PROFIT');
    expect(await snapshot(env.db, BUNDLE_TABLES)).toEqual(after);
    const b = await view('clerk');
    expect(b.profits).toEqual([{ year: 2025, profit: '200000.00', split: '150000.01' }]);
    expect(b.incomeSplits).toHaveLength(1);
  });

  it('a revaluation recomputes the shares from its date; the history keeps the old table', async () => {
    const teaContribution = (await view()).contributions[0];
    const body = await env.gql('planner', BUNDLE_REVALUE, {
      input: {
        contributionId: teaContribution.id,
        appraisal: { appraiser: '四川天诚资产评估有限公司', appraisedOn: '2026-04-20', value: '1000000.00', reportNo: '川天诚评报字〔2026〕第007号' },
        effectiveOn: '2026-05-01',
        reason: '加工线技改完成后重新评估',
      },
    });
    expect(body.data.bundleContributionRevalue.errors).toEqual([]);
    expect(body.data.bundleContributionRevalue.contribution.revaluations).toEqual([{ valueBefore: '800000.00', valueAfter: '1000000.00', effectiveOn: '2026-05-01' }]);
    expect((await sharesOn('2026-05-01')).map((s: any) => s.shareBp)).toEqual([3333, 6667]);
    expect((await sharesOn('2026-04-30')).map((s: any) => s.shareBp)).toEqual([3750, 6250]);
    expect((await sharesOn('2025-04-15')).map((s: any) => s.shareBp)).toEqual([2308, 7692]);
    expect(await sharesOn('2025-03-04')).toEqual([]);
  });

  it('a member withdraws on its resolution: holds released, status restored, cash refunded, shares recomputed, history kept', async () => {
    // Before joining is refused.
    const early = await env.gql('otherClerk', BUNDLE_WITHDRAW, { input: { bundleId: bundle.id, villageCode: V.jintai, withdrawnOn: '2025-03-31', reason: '调整产业方向' } });
    expect(early.data.bundleWithdraw.errors[0].code).toBe('DATE_ORDER');
    const body = await env.gql('otherClerk', BUNDLE_WITHDRAW, { input: { bundleId: bundle.id, villageCode: V.jintai, withdrawnOn: '2026-06-30', reason: '调整产业方向' } });
    const p = body.data.bundleWithdraw;
    expect(p.errors).toEqual([]);
    expect(p.approval.steps.map((s: any) => s.kind)).toEqual(['VILLAGE_RESOLUTION', 'TOWNSHIP']);
    expect((await view()).members.find((m: any) => m.village.code === V.jintai).status).toBe('ACTIVE');
    await decideAll(env, p.approval.id, '2026-06-30');
    const b = await view();
    expect(b.members.find((m: any) => m.village.code === V.jintai)).toMatchObject({ status: 'WITHDRAWN', withdrawnOn: '2026-06-30', shareBp: 0, contributed: '0.00' });
    expect(b.shares).toEqual([{ villageCode: V.chaping, shareBp: 10000, value: '1000000.00' }]);
    const jc = b.contributions.filter((c: any) => c.id !== b.contributions[0].id);
    expect(jc.map((c: any) => c.status)).toEqual(['RETURNED', 'RETURNED']);
    expect(jc[0].asset.status).toBe('HANDED_OVER');
    expect(jc[1].returnEntry).not.toBeNull();
    expect(await cashOf(jintaiParty)).toBe('1000000.00');
    expect(b.holds.find((h: any) => h.releasedOn)).toMatchObject({ releasedOn: '2026-06-30', statusBefore: 'HANDED_OVER' });
    expect(b.shareEvents.map((e: any) => e.cause)).toEqual(['CONTRIBUTE', 'CONTRIBUTE', 'CONTRIBUTE', 'REVALUE', 'WITHDRAW']);
    expect((await sharesOn('2026-06-29')).map((s: any) => s.shareBp)).toEqual([3333, 6667]);
    // The withdrawn village still sees the venture and its history.
    const seen = await view('otherClerk');
    expect(seen.incomeSplits[0].lines.map((l: any) => l.amount)).toEqual(['56250.00', '93750.01']);
    // And income may be recorded on its asset again.
    const inc = await recordIncome(env, incomeInput(joint.id, payer, { receivedOn: '2026-07-15', kind: 'DIVIDEND' }), 'otherClerk');
    expect(inc.data.incomeRecord.errors).toEqual([]);
  });

  it('bundleDissolve releases everything and leaves an empty table; the journal stays intact', async () => {
    const body = await env.gql('reviewer', BUNDLE_DISSOLVE, { input: { bundleId: bundle.id, dissolvedOn: '2026-09-30', reason: '联营协议到期' } });
    expect(body.data.bundleDissolve).toMatchObject({ bundle: { status: 'DISSOLVED', dissolvedOn: '2026-09-30' }, errors: [] });
    const b = await view();
    expect(b.shares).toEqual([]);
    expect(b.contributions[0]).toMatchObject({ status: 'RETURNED', asset: { status: 'HANDED_OVER' } });
    expect(b.holds.every((h: any) => h.releasedOn)).toBe(true);
    expect(b.shareEvents.at(-1)).toMatchObject({ cause: 'DISSOLVE', effectiveOn: '2026-09-30', shares: [] });
    const again = await env.gql('reviewer', BUNDLE_DISSOLVE, { input: { bundleId: bundle.id, dissolvedOn: '2026-10-30', reason: 'x' } });
    expect(again.data.bundleDissolve.errors[0].code).toBe('ILLEGAL_TRANSITION');
    const verify = await env.gql('finance', `{ journalVerify { intact } }`);
    expect(verify.data.journalVerify.intact).toBe(true);
  });

  it('lists ventures by region, status and member village, and a village\'s view of its ventures', async () => {
    const list = await env.gql('clerk', `{ bundles(filter: { status: DISSOLVED }) { totalCount nodes { id name } } }`);
    expect(list.data.bundles).toEqual({ totalCount: 1, nodes: [{ id: bundle.id, name: bundle.name }] });
    const other = await env.gql('otherReviewer', `{ bundles { totalCount } }`);
    expect(other.data.bundles.totalCount).toBe(0);
    const mine = await env.gql('otherClerk', `query($v: String!) { villageVentures(villageCode: $v) { status bundle { id } shareBp(on: "2026-01-01") } }`, { v: V.jintai });
    expect(mine.data.villageVentures).toEqual([{ status: 'WITHDRAWN', bundle: { id: bundle.id }, shareBp: 3750 }]);
  });
});
