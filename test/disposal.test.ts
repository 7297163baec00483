/**
 * Disposal (处置), issue 11: the full flow per method family, each rejection writing nothing, holds in every
 * direction, proceeds to the fen for joint owners, terminal DISPOSED.
 */
import { count, failureOf, gidNum, setup, snapshot, TestEnv } from './helpers';
import { company } from './journal.fixtures';
import { incomeInput, lease, ownedAsset, recordIncome } from './income.helpers';
import { signContract, step } from './fixtures';
import { V } from '../seeds/demo-data';
import { demoResidentId } from '../seeds/demo';
import * as assetsRepo from '../src/modules/assets/assets.repository';
import { acquireHold } from '../src/modules/assets/assets.holds';
import {
  approveAll,
  approvedAndNoticed,
  assetOfValue,
  decideInput,
  DISPOSAL_TABLES,
  getDisposal,
  gqlOk,
  key,
  M,
  requestInput,
} from './disposal.helpers';

let env: TestEnv;
let buyer: number;
let insurer: number;

beforeAll(async () => {
  env = await setup();
  buyer = await company(env, '南江县华兴农业开发有限公司');
  insurer = await company(env, '中国人民财产保险股份有限公司南江支公司');
});
afterAll(() => env.close());

const collectiveId = async (villageCode: string) =>
  Number((await env.db('parties').where({ kind: 'VILLAGE_COLLECTIVE', region_code: villageCode }).first()).id);

/** Runs a mutation expected to fail with `code`, and checks that nothing at all was written. */
async function refused(token: Parameters<TestEnv['gql']>[0], query: string, input: Record<string, unknown>, field: string, code: string) {
  const before = await snapshot(env.db, DISPOSAL_TABLES);
  const body = await env.gql(token, query, { input });
  const errors = body.data?.[field]?.errors ?? body.errors;
  expect(errors?.map((e: { code?: string; extensions?: { code?: string } }) => e.code ?? e.extensions?.code)).toContain(code);
  expect(await snapshot(env.db, DISPOSAL_TABLES)).toEqual(before);
  return body;
}

const executeInput = (disposalId: string, overrides: Record<string, unknown> = {}) => ({
  disposalId,
  executedOn: '2026-04-15',
  recipient: { partyId: `Party:${buyer}` },
  price: '520000.00',
  exchangeDealRef: '巴中农交所〔2026〕拍字第007号',
  dealContractNo: 'NJ-CZ-2026-001',
  idempotencyKey: key(),
  ...overrides,
});

describe('auction of an operating asset (value-transferring family)', () => {
  let assetId: string;
  let disposalId: string;

  it('requests: the asset takes a DISPOSAL hold and becomes DISPOSAL_PENDING; an appraisal comes before any step', async () => {
    assetId = (await ownedAsset(env)).id;
    const r = await gqlOk(env, 'clerk', M.request, requestInput(assetId), 'disposalRequest');
    disposalId = r.disposal.id;
    expect(r.disposal).toMatchObject({ status: 'AWAITING_APPRAISAL', appraisalRequired: true, bookValue: '600000.00', chain: null });
    expect(r.disposal.asset.status).toBe('DISPOSAL_PENDING');
    const hold = await env.db('asset_holds').where({ kind: 'DISPOSAL', holder_id: gidNum(disposalId) }).first();
    expect(hold).toMatchObject({ start_on: '2026-03-01', end_on: null, released_on: null, status_before: 'HANDED_OVER' });
    const ev = await env.db('asset_events').where({ asset_id: gidNum(assetId), action: 'REQUEST_DISPOSAL' }).first();
    expect(ev).toMatchObject({ from_status: 'HANDED_OVER', to_status: 'DISPOSAL_PENDING', effective_on: '2026-03-01' });
    await refused('clerk', M.decide, decideInput(disposalId, 'VILLAGE_RESOLUTION', '2026-03-05'), 'disposalDecide', 'DISPOSAL_APPRAISAL_REQUIRED');
  });

  it('refuses an appraisal dated before the request, then records it and opens the tier-3 chain for an operating sale', async () => {
    const appraisal = { disposalId, appraiser: '四川天元资产评估有限公司', appraisedOn: '2026-02-20', value: '500000.00', reportNo: '川天元评报字〔2026〕第18号' };
    await refused('clerk', M.appraise, appraisal, 'disposalAppraise', 'DATE_ORDER');
    const a = await gqlOk(env, 'clerk', M.appraise, { ...appraisal, appraisedOn: '2026-03-10' }, 'disposalAppraise');
    expect(a.disposal.status).toBe('IN_APPROVAL');
    expect(a.disposal.exchangeRequired).toBe(true);
    expect(a.disposal.chain.template).toBe('DISPOSAL_TIER_3_OPERATING_SALE');
    expect(a.disposal.chain.steps.map((s: { kind: string; region: { code: string } }) => [s.kind, s.region.code])).toEqual([
      ['VILLAGE_RESOLUTION', V.chaping],
      ['TOWNSHIP', '511922105000'],
      ['COUNTY_DEPARTMENT', '511922000000'],
      ['COUNTY_FINANCE', '511922000000'],
    ]);
  });

  it('refuses a step out of order, by the wrong role or region, or dated before the appraisal', async () => {
    // County finance may not decide first: the step is the village's.
    const body = await env.gql('finance', M.decide, { input: decideInput(disposalId, 'COUNTY_FINANCE', '2026-03-20') });
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    const other = await env.gql('otherClerk', M.decide, { input: decideInput(disposalId, 'VILLAGE_RESOLUTION', '2026-03-20') });
    expect(other.data.disposalDecide.errors[0].code).toBe('NOT_FOUND');
    await refused('clerk', M.decide, decideInput(disposalId, 'VILLAGE_RESOLUTION', '2026-03-05'), 'disposalDecide', 'DATE_ORDER');
    // A resolution without quorum, or without a majority of those present, approves nothing.
    const meeting = { heldOn: '2026-03-20', memberCount: 30, attendance: 19, votesFor: 19 };
    await refused('clerk', M.decide, decideInput(disposalId, 'VILLAGE_RESOLUTION', '2026-03-20', 'APPROVE', { meeting }), 'disposalDecide', 'QUORUM_NOT_MET');
    const split = { ...meeting, attendance: 24, votesFor: 12 };
    await refused('clerk', M.decide, decideInput(disposalId, 'VILLAGE_RESOLUTION', '2026-03-20', 'APPROVE', { meeting: split }), 'disposalDecide', 'MAJORITY_NOT_REACHED');
    expect(await count(env.db, 'approval_decisions')).toBe(0);
  });

  it('approves step by step (the last step settles it), then refuses execution before the notice', async () => {
    const d = await approveAll(env, disposalId);
    expect(d.status).toBe('APPROVED');
    expect(d.approvedOn).toBe('2026-03-23');
    expect(d.chain.status).toBe('APPROVED');
    expect(d.flags).toEqual(['NO_NOTICE']);
    await refused('clerk', M.execute, executeInput(disposalId), 'disposalExecute', 'ILLEGAL_TRANSITION');
  });

  it('publishes the notice once (immutable), records and resolves an objection', async () => {
    await refused('clerk', M.notice, { disposalId, startOn: '2026-03-22' }, 'disposalNoticePublish', 'DATE_ORDER');
    await refused('clerk', M.notice, { disposalId, startOn: '2026-04-01', endOn: '2026-04-05' }, 'disposalNoticePublish', 'NOTICE_TOO_SHORT');
    const n = await gqlOk(env, 'clerk', M.notice, { disposalId, startOn: '2026-04-01', content: '茶叶加工厂房公开拍卖' }, 'disposalNoticePublish');
    expect(n.disposal.notice).toMatchObject({ startOn: '2026-04-01', endOn: '2026-04-10' });
    expect(n.disposal.status).toBe('IN_NOTICE');
    await refused('clerk', M.notice, { disposalId, startOn: '2026-04-02' }, 'disposalNoticePublish', 'ILLEGAL_TRANSITION');
    // The database refuses to change a published notice as well.
    expect(await failureOf(env.db('disposal_notices').update({ end_on: '2026-04-03' }))).toMatch(/append-only/i);

    await refused('clerk', M.objection, { disposalId, raisedOn: '2026-04-12', raisedBy: '村民王某', content: '价格偏低' }, 'disposalObjectionRecord', 'DATE_ORDER');
    const o = await gqlOk(env, 'clerk', M.objection, { disposalId, raisedOn: '2026-04-03', raisedBy: '村民王某', content: '起拍价是否偏低？' }, 'disposalObjectionRecord');
    const objectionId = o.disposal.objections[0].id;
    await refused('clerk', M.execute, executeInput(disposalId, { executedOn: '2026-04-20' }), 'disposalExecute', 'OPEN_OBJECTIONS');
    await gqlOk(env, 'clerk', M.resolve, { objectionId, resolvedOn: '2026-04-05', resolution: '起拍价不低于评估价，已答复' }, 'disposalObjectionResolve');
  });

  it('refuses execution during the notice, below the appraisal, without the exchange deal, or with zero price', async () => {
    await refused('clerk', M.execute, executeInput(disposalId, { executedOn: '2026-04-10' }), 'disposalExecute', 'NOTICE_NOT_ENDED');
    await refused('clerk', M.execute, executeInput(disposalId, { price: '499999.99' }), 'disposalExecute', 'PRICE_BELOW_APPRAISAL');
    await refused('clerk', M.execute, executeInput(disposalId, { exchangeDealRef: null }), 'disposalExecute', 'EXCHANGE_DEAL_REQUIRED');
    await refused('clerk', M.execute, executeInput(disposalId, { price: '0.00' }), 'disposalExecute', 'INVALID_AMOUNT');
    await refused('clerk', M.execute, executeInput(disposalId, { recipient: null }), 'disposalExecute', 'REQUIRED');
    await refused('clerk', M.execute, executeInput(disposalId, { proceedsReceivedOn: '2026-04-14' }), 'disposalExecute', 'DATE_ORDER');
  });

  it('executes: one entry books the price to the owner\'s DISPOSAL_PROCEEDS; the asset is DISPOSED; a retry replays', async () => {
    const input = executeInput(disposalId);
    const e = await gqlOk(env, 'clerk', M.execute, input, 'disposalExecute');
    expect(e.replayed).toBe(false);
    expect(e.disposal.status).toBe('EXECUTED');
    expect(e.disposal.asset.status).toBe('DISPOSED');
    const chaping = await collectiveId(V.chaping);
    expect(e.disposal.execution.entry.kind).toBe('DISPOSAL');
    expect(e.disposal.execution.entry.sourceType).toBe('DISPOSAL');
    const postings = e.disposal.execution.entry.postings.map((p: { amount: string; account: { kind: string; holder: { id: string } } }) => [
      p.account.kind,
      gidNum(p.account.holder.id),
      p.amount,
    ]);
    expect(postings).toEqual(
      expect.arrayContaining([
        ['EXTERNAL_COUNTERPARTY', buyer, '-520000.00'],
        ['DISPOSAL_PROCEEDS', chaping, '520000.00'],
      ]),
    );
    expect(postings).toHaveLength(2);
    const hold = await env.db('asset_holds').where({ kind: 'DISPOSAL', holder_id: gidNum(disposalId) }).first();
    expect(hold.released_on).toBe('2026-04-15');
    const ev = await env.db('asset_events').where({ asset_id: gidNum(assetId), action: 'DISPOSE' }).first();
    expect(ev).toMatchObject({ from_status: 'DISPOSAL_PENDING', to_status: 'DISPOSED' });

    const before = await snapshot(env.db, DISPOSAL_TABLES);
    const again = await gqlOk(env, 'clerk', M.execute, input, 'disposalExecute');
    expect(again.replayed).toBe(true);
    expect(again.disposal.execution.entry.id).toBe(e.disposal.execution.entry.id);
    expect(await snapshot(env.db, DISPOSAL_TABLES)).toEqual(before);
    await refused('clerk', M.execute, { ...input, price: '530000.00' }, 'disposalExecute', 'IDEMPOTENCY_CONFLICT');
  });

  it('the journal refuses a bare reversal of the execution entry (nothing written)', async () => {
    const d = await env.db('disposals').where({ id: gidNum(disposalId) }).first();
    const before = await env.db('journal_entries').count({ n: '*' }).first();
    const body = await env.gql('finance', `mutation($input: JournalEntryReverseInput!) { journalEntryReverse(input: $input) { errors { code message } } }`, {
      input: { entryId: `JournalEntry:${d.entry_id}`, reason: '误记', idempotencyKey: 'disposal-exec-rev-1' },
    });
    const errors = body.data?.journalEntryReverse?.errors ?? body.errors;
    expect(errors[0].code).toBe('USE_DOMAIN_REVERSAL');
    expect(errors[0].message).toMatch(/executed and terminal/);
    expect(await env.db('journal_entries').count({ n: '*' }).first()).toEqual(before);
  });

  it('DISPOSED is terminal: no step out, no new disposal, no pledge, no income', async () => {
    const idle = await step(env, 'assetMarkIdle', assetId, '2026-05-01');
    expect(idle.errors[0].code).toBe('ILLEGAL_TRANSITION');
    await refused('clerk', M.request, requestInput(assetId, { requestedOn: '2026-05-01' }), 'disposalRequest', 'ILLEGAL_TRANSITION');
    await refused(
      'clerk',
      M.pledge,
      { assetId, kind: 'MORTGAGE', pledgee: { partyId: `Party:${buyer}` }, loan: '100000.00', loanPurpose: '贷款', contractNo: 'X-1', pledgedOn: '2026-05-01' },
      'assetPledge',
      'ILLEGAL_TRANSITION',
    );
    const inc = await recordIncome(env, incomeInput(assetId, buyer, { receivedOn: '2026-05-01' }));
    expect(inc.data.incomeRecord.errors[0].code).toBe('ILLEGAL_TRANSITION');
    // Kept in history with its whole file: the asset card shows the disposal, its chain, notice and proceeds.
    const card = await env.gql('finance', `query($id: ID!) { asset(id: $id) { status disposals { status method appraisal { value } chain { status }
      notice { startOn } objections { resolvedOn } execution { proceeds entry { id } } events { action } } pledges { id } } }`, { id: assetId });
    expect(card.data.asset.status).toBe('DISPOSED');
    expect(card.data.asset.disposals).toHaveLength(1);
    expect(card.data.asset.disposals[0]).toMatchObject({
      status: 'EXECUTED',
      method: 'AUCTION',
      appraisal: { value: '500000.00' },
      chain: { status: 'APPROVED' },
      notice: { startOn: '2026-04-01' },
      objections: [{ resolvedOn: '2026-04-05' }],
      execution: { proceeds: '520000.00' },
    });
    expect(card.data.asset.disposals[0].events.map((e: { action: string }) => e.action)).toEqual([
      'REQUEST',
      'APPRAISE',
      'APPROVE',
      'NOTICE_PUBLISH',
      'OBJECTION_RECORD',
      'OBJECTION_RESOLVE',
      'EXECUTE',
    ]);
  });
});

describe('loss with insurance compensation, jointly owned (报损)', () => {
  it('books the insurance compensation to the owners\' proceeds, split 3333/6667 exact to the fen', async () => {
    const asset = await assetOfValue(env, '380000.00', [
      { villageCode: V.chaping, shareBp: 3333 },
      { villageCode: V.jintai, shareBp: 6667 },
    ]);
    const id = await approvedAndNoticed(env, asset.id, { method: 'LOSS', reason: 'DISASTER_DAMAGE', description: '2026年7月洪水冲毁大棚' });
    const d = await getDisposal(env, id);
    expect(d.appraisalRequired).toBe(false);
    expect(d.chain.template).toBe('DISPOSAL_TIER_2');
    // Each owner village resolves (茶坪村 and 金台村, both of 云顶镇), then their township and the county department.
    expect(d.chain.steps.map((s: { kind: string; region: { code: string } }) => [s.kind, s.region.code])).toEqual([
      ['VILLAGE_RESOLUTION', V.jintai],
      ['VILLAGE_RESOLUTION', V.chaping],
      ['TOWNSHIP', '511922105000'],
      ['COUNTY_DEPARTMENT', '511922000000'],
    ]);
    const e = await gqlOk(
      env,
      'clerk',
      M.execute,
      {
        disposalId: id,
        executedOn: '2026-04-15',
        price: '0.00',
        insurance: { insurer: { partyId: `Party:${insurer}` }, amount: '120000.01' },
        proceedsReceivedOn: '2026-04-20',
        idempotencyKey: key(),
      },
      'disposalExecute',
    );
    const byHolder: Record<number, string> = {};
    for (const p of e.disposal.execution.entry.postings) byHolder[gidNum(p.account.holder.id)] = p.amount;
    // 12000001 fen × 3333 / 10000 = 3999600.3333 → 3999600; × 6667 → 8000400.6667 → 8000401 (largest remainder).
    expect(byHolder).toEqual({ [insurer]: '-120000.01', [await collectiveId(V.chaping)]: '39996.00', [await collectiveId(V.jintai)]: '80004.01' });
    expect(e.disposal.execution).toMatchObject({ price: '0.00', insurance: '120000.01', proceeds: '120000.01', proceedsReceivedOn: '2026-04-20' });
    expect(e.disposal.asset.status).toBe('DISPOSED');
  });
});

describe('a jointly owned asset needs every owner village\'s resolution', () => {
  it('only 金台村\'s own clerk records 金台村\'s resolution, though the asset is registered in 茶坪村', async () => {
    const asset = await assetOfValue(env, '30000.00', [
      { villageCode: V.chaping, shareBp: 5000 },
      { villageCode: V.jintai, shareBp: 5000 },
    ]);
    const r = await gqlOk(env, 'clerk', M.request, requestInput(asset.id, { method: 'SCRAPPING' }), 'disposalRequest');
    expect(r.disposal.chain.nextStep.region.code).toBe(V.jintai);
    const body = await env.gql('clerk', M.decide, { input: decideInput(r.disposal.id, 'VILLAGE_RESOLUTION', '2026-03-05') });
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    const ok = await gqlOk(env, 'otherClerk', M.decide, decideInput(r.disposal.id, 'VILLAGE_RESOLUTION', '2026-03-05'), 'disposalDecide');
    expect(ok.disposal.chain.nextStep.region.code).toBe(V.chaping);
    // 金台村's clerk decides only its own step: the disposal stays 茶坪村's to write.
    await refused('otherClerk', M.cancel, { disposalId: r.disposal.id, cancelledOn: '2026-03-06', reason: '撤回' }, 'disposalCancel', 'NOT_FOUND');
  });
});

describe('scrapping with no proceeds (报废)', () => {
  it('takes the tier-1 chain, needs no appraisal and ends with no journal entry', async () => {
    const asset = await assetOfValue(env, '30000.00');
    const id = await approvedAndNoticed(env, asset.id, { method: 'SCRAPPING', reason: 'END_OF_LIFE', description: '设备已达使用年限' });
    const d = await getDisposal(env, id);
    expect(d.chain.template).toBe('DISPOSAL_TIER_1');
    const entries = await count(env.db, 'journal_entries');
    const e = await gqlOk(env, 'clerk', M.execute, { disposalId: id, executedOn: '2026-04-11', price: '0.00', idempotencyKey: key() }, 'disposalExecute');
    expect(e.disposal.execution.entry).toBeNull();
    expect(e.disposal.asset.status).toBe('DISPOSED');
    expect(await count(env.db, 'journal_entries')).toBe(entries);
  });
});

describe('price below the appraisal under an approved exception', () => {
  it('adds county finance to the chain, allows the floor, refuses below it and flags the sale', async () => {
    const asset = await assetOfValue(env, '40000.00');
    const id = await approvedAndNoticed(env, asset.id, { method: 'TRANSFER' }, { value: '45000.00', exception: { floor: '40000.00', reason: '设备老化，两次挂牌无人应价' } });
    const d = await getDisposal(env, id);
    expect(d.chain.template).toBe('DISPOSAL_TIER_1_OPERATING_SALE_PRICE_EXCEPTION');
    expect(d.priceException).toEqual({ floor: '40000.00', reason: '设备老化，两次挂牌无人应价' });
    expect(d.exchangeRequired).toBe(false); // 45 000 < 50 000 yuan
    await refused('clerk', M.execute, executeInput(id, { price: '39999.99', exchangeDealRef: null }), 'disposalExecute', 'PRICE_BELOW_APPRAISAL');
    const e = await gqlOk(env, 'clerk', M.execute, executeInput(id, { price: '41000.00', exchangeDealRef: null, proceedsReceivedOn: '2026-06-30' }), 'disposalExecute');
    expect(e.disposal.flags).toEqual(['BELOW_APPRAISAL_WITH_EXCEPTION', 'PROCEEDS_LATE']);
    const list = await env.gql('finance', `{ disposals(filter: { method: TRANSFER }) { totalCount nodes { id flags execution { proceeds } } } }`);
    expect(list.data.disposals.nodes).toContainEqual({ id, flags: ['BELOW_APPRAISAL_WITH_EXCEPTION', 'PROCEEDS_LATE'], execution: { proceeds: '41000.00' } });
  });
});

describe('rejection and cancellation restore the status before', () => {
  it('a rejection at the township ends the request and restores the asset', async () => {
    const asset = await assetOfValue(env, '20000.00');
    await step(env, 'assetMarkIdle', asset.id, '2025-01-01');
    const r = await gqlOk(env, 'clerk', M.request, requestInput(asset.id, { method: 'SCRAPPING' }), 'disposalRequest');
    const id = r.disposal.id;
    await gqlOk(env, 'clerk', M.decide, decideInput(id, 'VILLAGE_RESOLUTION', '2026-03-05'), 'disposalDecide');
    await refused('reviewer', M.decide, decideInput(id, 'TOWNSHIP', '2026-03-06', 'REJECT', { reason: null }), 'disposalDecide', 'REQUIRED');
    const rej = await gqlOk(env, 'reviewer', M.decide, decideInput(id, 'TOWNSHIP', '2026-03-06', 'REJECT'), 'disposalDecide');
    expect(rej.disposal).toMatchObject({ status: 'REJECTED', rejectedOn: '2026-03-06' });
    expect(rej.disposal.asset.status).toBe('IDLE');
    expect(rej.disposal.chain.status).toBe('REJECTED');
    const hold = await env.db('asset_holds').where({ kind: 'DISPOSAL', holder_id: gidNum(id) }).first();
    expect(hold.released_on).toBe('2026-03-06');
    // The chain is settled: nothing more to decide, and the disposal cannot move on.
    await refused('planner', M.decide, decideInput(id, 'COUNTY_DEPARTMENT', '2026-03-07'), 'disposalDecide', 'ILLEGAL_TRANSITION');
    await refused('clerk', M.notice, { disposalId: id, startOn: '2026-03-10' }, 'disposalNoticePublish', 'ILLEGAL_TRANSITION');
    // The asset is free again: a new request is accepted.
    const again = await gqlOk(env, 'clerk', M.request, requestInput(asset.id, { method: 'SCRAPPING', requestedOn: '2026-03-10' }), 'disposalRequest');
    expect(again.disposal.asset.status).toBe('DISPOSAL_PENDING');
  });

  it('a cancellation withdraws the chain and restores the asset', async () => {
    const asset = await assetOfValue(env, '20000.00');
    const r = await gqlOk(env, 'clerk', M.request, requestInput(asset.id, { method: 'SCRAPPING' }), 'disposalRequest');
    await refused('clerk', M.cancel, { disposalId: r.disposal.id, cancelledOn: '2026-02-01', reason: '撤回' }, 'disposalCancel', 'DATE_ORDER');
    const c = await gqlOk(env, 'clerk', M.cancel, { disposalId: r.disposal.id, cancelledOn: '2026-03-02', reason: '经村民代表会议讨论，暂缓处置' }, 'disposalCancel');
    expect(c.disposal.status).toBe('CANCELLED');
    expect(c.disposal.asset.status).toBe('HANDED_OVER');
    expect(c.disposal.chain.status).toBe('WITHDRAWN');
    await refused('clerk', M.cancel, { disposalId: r.disposal.id, cancelledOn: '2026-03-03', reason: '撤回' }, 'disposalCancel', 'ILLEGAL_TRANSITION');
  });
});

describe('holds in every direction', () => {
  const pledgeInput = (assetId: string, overrides: Record<string, unknown> = {}) => ({
    assetId,
    kind: 'MORTGAGE',
    pledgee: { partyId: `Party:${buyer}` },
    loan: '200000.00',
    loanPurpose: '茶叶加工扩产流动资金贷款',
    contractNo: `NJ-DK-${Math.random().toString(36).slice(2, 8)}`,
    pledgedOn: '2026-02-01',
    endOn: '2029-01-31',
    ...overrides,
  });

  it('a running lease refuses a disposal, naming the contract', async () => {
    const asset = await ownedAsset(env);
    await lease(env, asset.id, buyer);
    const body = await refused('clerk', M.request, requestInput(asset.id), 'disposalRequest', 'ASSET_HELD');
    expect(body.data.disposalRequest.errors[0].message).toMatch(/contract|合同|NJ-TEST/i);
  });

  it('a leased asset may be pledged (with approval); the pledge then refuses a new lease, a disposal, and another pledge', async () => {
    const asset = await ownedAsset(env);
    const contract = await lease(env, asset.id, buyer, { endOn: '2026-06-30' });
    const p = await gqlOk(env, 'clerk', M.pledge, pledgeInput(asset.id), 'assetPledge');
    expect(p.pledge).toMatchObject({ status: 'PENDING', kind: 'MORTGAGE', loan: '200000.00' });
    expect(p.pledge.chain).toMatchObject({ template: 'PLEDGE', status: 'PENDING' });
    const steps = [
      ['clerk', 'VILLAGE_RESOLUTION', '2026-02-05'],
      ['reviewer', 'TOWNSHIP', '2026-02-06'],
      ['finance', 'COUNTY_FINANCE', '2026-02-07'],
    ] as const;
    for (const [token, kind, on] of steps) {
      const d = decideInput('x', kind, on);
      const { disposalId: _x, ...rest } = d;
      const body = await env.gql(token, M.approvalDecide, { input: { ...rest, chainId: p.pledge.chain.id } });
      expect(body.data.approvalDecide.errors).toEqual([]);
    }
    const active = await env.gql('clerk', `query($id: ID!) { assetPledge(id: $id) { status approvedOn } }`, { id: p.pledge.id });
    expect(active.data.assetPledge).toEqual({ status: 'ACTIVE', approvedOn: '2026-02-07' });

    const held = await refused('clerk', M.request, requestInput(asset.id, { requestedOn: '2026-07-01' }), 'disposalRequest', 'ASSET_HELD');
    expect(held.data.disposalRequest.errors[0].message).toMatch(/抵押/);
    const lease2 = await env.gql('clerk', `mutation($input: ContractSignInput!) { contractSign(input: $input) { errors { code } } }`, {
      input: {
        assetId: asset.id,
        contractNo: 'NJ-NEW-1',
        mode: 'LEASE',
        operator: { partyId: `Party:${buyer}` },
        signedOn: '2026-06-01',
        startOn: '2026-07-01',
        endOn: '2028-06-30',
        fee: { kind: 'FIXED', amount: '10000.00', period: 'YEAR' },
      },
    });
    expect(lease2.data.contractSign.errors[0].code).toBe('ASSET_HELD');
    await refused('clerk', M.pledge, pledgeInput(asset.id, { pledgedOn: '2026-03-01' }), 'assetPledge', 'ASSET_HELD');
    expect(contract.state).toBeDefined();

    // Released, the asset is free again.
    await refused('clerk', M.pledgeRelease, { pledgeId: p.pledge.id, releasedOn: '2026-02-06', reason: '贷款结清' }, 'assetPledgeRelease', 'DATE_ORDER');
    const rel = await gqlOk(env, 'clerk', M.pledgeRelease, { pledgeId: p.pledge.id, releasedOn: '2026-07-01', reason: '贷款结清' }, 'assetPledgeRelease');
    expect(rel.pledge).toMatchObject({ status: 'RELEASED', releasedOn: '2026-07-01' });
    const events = await env.db('asset_events').where({ asset_id: gidNum(asset.id) }).whereIn('action', ['PLEDGE', 'PLEDGE_RELEASE']).orderBy('id');
    expect(events.map((e: { action: string }) => e.action)).toEqual(['PLEDGE', 'PLEDGE_RELEASE']);
    const r = await gqlOk(env, 'clerk', M.request, requestInput(asset.id, { requestedOn: '2026-07-02' }), 'disposalRequest');
    expect(r.disposal.asset.status).toBe('DISPOSAL_PENDING');
  });

  it('a pending disposal refuses a pledge and a lease; a rejected pledge frees the asset', async () => {
    const asset = await assetOfValue(env, '20000.00');
    await gqlOk(env, 'clerk', M.request, requestInput(asset.id, { method: 'SCRAPPING' }), 'disposalRequest');
    await refused('clerk', M.pledge, pledgeInput(asset.id, { pledgedOn: '2026-03-05' }), 'assetPledge', 'ASSET_HELD');
    const body = await env.gql('clerk', `mutation($input: ContractSignInput!) { contractSign(input: $input) { errors { code } } }`, {
      input: { assetId: asset.id, contractNo: 'NJ-NEW-2', mode: 'SELF_OPERATED', operator: { villageCode: V.chaping }, signedOn: '2026-03-05', startOn: '2026-04-01', endOn: '2027-03-31' },
    });
    expect(body.data.contractSign.errors[0].code).toMatch(/ASSET_HELD|ILLEGAL_TRANSITION/);

    const other = await assetOfValue(env, '20000.00');
    const p = await gqlOk(env, 'clerk', M.pledge, pledgeInput(other.id), 'assetPledge');
    const { disposalId: _x, ...rest } = decideInput('x', 'VILLAGE_RESOLUTION', '2026-02-03', 'REJECT');
    const rej = await env.gql('clerk', M.approvalDecide, { input: { ...rest, chainId: p.pledge.chain.id } });
    expect(rej.data.approvalDecide.chain.status).toBe('REJECTED');
    const after = await env.gql('clerk', `query($id: ID!) { assetPledge(id: $id) { status releasedOn } }`, { id: p.pledge.id });
    expect(after.data.assetPledge).toEqual({ status: 'REJECTED', releasedOn: '2026-02-03' });
    await gqlOk(env, 'clerk', M.request, requestInput(other.id, { method: 'SCRAPPING' }), 'disposalRequest');
  });

  it('a contract signed on a pledged asset is refused by the hold; signContract helper sanity', async () => {
    const asset = await ownedAsset(env);
    await gqlOk(env, 'clerk', M.pledge, pledgeInput(asset.id), 'assetPledge');
    await expect(signContract(env, asset.id, { signedOn: '2026-02-02', startOn: '2026-03-01', endOn: '2027-02-28' })).rejects.toThrow(/ASSET_HELD/);
  });
});

describe('holds: a venture and another disposal', () => {
  it('an asset in a pooled venture (BUNDLE hold) cannot be disposed of; nor can one already pending', async () => {
    const asset = await assetOfValue(env, '20000.00');
    await env.db.transaction(async (trx) => {
      const svc = env.svc('admin', trx);
      const row = await assetsRepo.findByIdForUpdate(trx, gidNum(asset.id));
      await acquireHold(svc, row!, { kind: 'BUNDLE', holderId: 77, holderLabel: '云顶镇联营体', startOn: '2025-01-01', endOn: null, step: 'BUNDLE' });
    });
    const held = await refused('clerk', M.request, requestInput(asset.id, { method: 'SCRAPPING' }), 'disposalRequest', 'ASSET_HELD');
    expect(held.data.disposalRequest.errors[0].message).toMatch(/云顶镇联营体/);

    const other = await assetOfValue(env, '20000.00');
    await gqlOk(env, 'clerk', M.request, requestInput(other.id, { method: 'SCRAPPING' }), 'disposalRequest');
    const again = await refused('clerk', M.request, requestInput(other.id, { method: 'SCRAPPING', requestedOn: '2026-03-02' }), 'disposalRequest', 'ASSET_HELD');
    expect(again.data.disposalRequest.errors[0].message).toMatch(/处置申请/);
  });
});

describe('related buyer (the officials register)', () => {
  const sellTo = async (householdGid: string) => {
    const asset = await assetOfValue(env, '30000.00');
    const id = await approvedAndNoticed(env, asset.id, { method: 'TRANSFER' }, { value: '30000.00' });
    const e = await gqlOk(
      env,
      'clerk',
      M.execute,
      executeInput(id, { price: '30000.00', exchangeDealRef: null, recipient: { householdId: householdGid } }),
      'disposalExecute',
    );
    return e.disposal.flags;
  };
  const register = async (n: number, headName: string) => {
    const hh = await env.gql('clerk', `mutation($input: HouseholdRegisterInput!) { householdRegister(input: $input) { household { id } errors { code message } } }`, {
      input: { villageCode: V.chaping, headName, idNumber: demoResidentId('511922', n), memberCount: 4, status: 'ORDINARY', statusEffectiveOn: '2020-12-31' },
    });
    return hh.data.householdRegister.household.id as string;
  };

  it('does not flag a sale to a household of the village that no official belongs to', async () => {
    expect(await sellTo(await register(9003, '陈小明'))).toEqual([]);
  });

  it('flags a sale to the household of an official in office on the execution date', async () => {
    const hh = await register(9002, '陈小华');
    const o = await env.gql('clerk', `mutation($input: OfficialRegisterInput!) { officialRegister(input: $input) { official { id } errors { code message } } }`, {
      input: { villageCode: V.chaping, name: '陈小华', role: 'COMMITTEE_DIRECTOR', householdId: hh, termStartOn: '2021-01-15' },
    });
    expect(o.data.officialRegister.errors).toEqual([]);
    expect(await sellTo(hh)).toEqual(['RELATED_BUYER']);
  });
});

describe('proceeds never go to an individual', () => {
  it('refuses to execute a sale of an asset owned by a household', async () => {
    const hh = await env.gql('clerk', `mutation($input: HouseholdRegisterInput!) { householdRegister(input: $input) { household { id } errors { code message } } }`, {
      input: { villageCode: V.chaping, headName: '李大山', idNumber: demoResidentId('511922', 9001), memberCount: 3, status: 'FORMERLY_POOR', statusEffectiveOn: '2020-12-31' },
    });
    const householdId = hh.data.householdRegister.household.id;
    const asset = await ownedAsset(
      env,
      [{ householdId, shareBp: 10000 }],
      { class: 'HOUSEHOLD', subType: 'LIVESTOCK', originalValue: '30000.00', fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '30000.00' }] },
      { rightsLevel: 'HOUSEHOLD' },
    );
    const id = await approvedAndNoticed(env, asset.id, { method: 'TRANSFER' }, { value: '30000.00' });
    await refused('clerk', M.execute, executeInput(id, { price: '30000.00', exchangeDealRef: null }), 'disposalExecute', 'PROCEEDS_TO_INDIVIDUAL');
  });
});
