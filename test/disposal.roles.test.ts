/**
 * Disposal and pledges, issue 11: who may do what, as generated tables (DESIGN §6). Every refusal writes
 * nothing. The village clerk (and admin) write; each chain step is decided only by the role and region it
 * names; reads are limited to the actor's scope.
 */
import { setup, snapshot, TestEnv, TokenName } from './helpers';
import { company } from './journal.fixtures';
import { approvedAndNoticed, assetOfValue, decideInput, DISPOSAL_TABLES, getDisposal, gqlOk, key, M, requestInput } from './disposal.helpers';

let env: TestEnv;
let buyer: number;

beforeAll(async () => {
  env = await setup();
  buyer = await company(env, '南江县华兴农业开发有限公司');
});
afterAll(() => env.close());

type Outcome = 'OK' | 'FORBIDDEN' | 'NOT_FOUND';

/** What each non-writing role gets back for a write on a 茶坪村 disposal. */
const WRITERS: [TokenName, Outcome][] = [
  ['reviewer', 'FORBIDDEN'],
  ['finance', 'FORBIDDEN'],
  ['planner', 'FORBIDDEN'],
  ['otherClerk', 'NOT_FOUND'], // 金台村: the asset does not exist for it
  ['liangyaClerk', 'NOT_FOUND'], // another county
  ['jiangeFinance', 'FORBIDDEN'],
];

async function expectOutcome(token: TokenName, query: string, input: Record<string, unknown>, field: string, outcome: Outcome) {
  const before = await snapshot(env.db, DISPOSAL_TABLES);
  const body = await env.gql(token, query, { input });
  if (outcome === 'FORBIDDEN') expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  else expect(body.data?.[field]?.errors?.[0]?.code).toBe(outcome);
  expect(await snapshot(env.db, DISPOSAL_TABLES)).toEqual(before);
}

describe('writes: only the village clerk of the asset (or admin)', () => {
  let assetId: string;
  let noticed: string;
  let awaiting: string;

  beforeAll(async () => {
    assetId = (await assetOfValue(env, '20000.00')).id;
    noticed = await approvedAndNoticed(env, (await assetOfValue(env, '20000.00')).id, { method: 'SCRAPPING' });
    awaiting = (await gqlOk(env, 'clerk', M.request, requestInput((await assetOfValue(env, '30000.00')).id), 'disposalRequest')).disposal.id;
  });

  const cases = (): [string, string, string, () => Record<string, unknown>][] => [
    ['disposalRequest', M.request, 'disposalRequest', () => requestInput(assetId, { method: 'SCRAPPING' })],
    [
      'disposalAppraise',
      M.appraise,
      'disposalAppraise',
      () => ({ disposalId: awaiting, appraiser: '评估所', appraisedOn: '2026-03-10', value: '30000.00', reportNo: 'R-1' }),
    ],
    ['disposalObjectionRecord', M.objection, 'disposalObjectionRecord', () => ({ disposalId: noticed, raisedOn: '2026-04-02', raisedBy: '村民', content: '异议' })],
    [
      'disposalExecute',
      M.execute,
      'disposalExecute',
      () => ({ disposalId: noticed, executedOn: '2026-04-15', price: '0.00', idempotencyKey: key('roles') }),
    ],
    ['disposalCancel', M.cancel, 'disposalCancel', () => ({ disposalId: awaiting, cancelledOn: '2026-03-05', reason: '撤回' })],
    [
      'assetPledge',
      M.pledge,
      'assetPledge',
      () => ({ assetId, kind: 'MORTGAGE', pledgee: { partyId: `Party:${buyer}` }, loan: '1000.00', loanPurpose: '贷款', contractNo: 'P-1', pledgedOn: '2026-02-01' }),
    ],
  ];

  for (const [name] of [['disposalRequest'], ['disposalAppraise'], ['disposalObjectionRecord'], ['disposalExecute'], ['disposalCancel'], ['assetPledge']]) {
    for (const [token, outcome] of WRITERS) {
      it(`${name} by ${token}: ${outcome}`, async () => {
        const [, query, field, input] = cases().find((c) => c[0] === name)!;
        await expectOutcome(token, query, input(), field, outcome);
      });
    }
  }

  it('the clerk of the village may do each of them (admin too)', async () => {
    const r = await env.gql('admin', M.request, { input: requestInput(assetId, { method: 'SCRAPPING' }) });
    expect(r.data.disposalRequest.errors).toEqual([]);
  });
});

describe('chain steps: each decided only by the role and region it names', () => {
  let disposalId: string;
  /** Every test user against every step of a tier-3 operating sale, in order. */
  const TOKENS: TokenName[] = ['clerk', 'otherClerk', 'liangyaClerk', 'reviewer', 'otherReviewer', 'planner', 'finance', 'jiangeFinance', 'admin'];
  const STEPS: [string, TokenName, string][] = [
    ['VILLAGE_RESOLUTION', 'clerk', '2026-03-20'],
    ['TOWNSHIP', 'reviewer', '2026-03-21'],
    ['COUNTY_DEPARTMENT', 'planner', '2026-03-22'],
    ['COUNTY_FINANCE', 'finance', '2026-03-23'],
  ];

  beforeAll(async () => {
    const asset = await assetOfValue(env, '600000.00');
    disposalId = (await gqlOk(env, 'clerk', M.request, requestInput(asset.id), 'disposalRequest')).disposal.id;
    await gqlOk(env, 'clerk', M.appraise, { disposalId, appraiser: '评估所', appraisedOn: '2026-03-10', value: '600000.00', reportNo: 'R-2' }, 'disposalAppraise');
  });

  for (const [kind, decider, on] of STEPS) {
    for (const token of TOKENS.filter((t) => t !== decider)) {
      it(`${kind} is refused to ${token}`, async () => {
        const before = await snapshot(env.db, DISPOSAL_TABLES);
        const body = await env.gql(token, M.decide, { input: decideInput(disposalId, kind, on) });
        const code = body.errors?.[0]?.extensions?.code ?? body.data?.disposalDecide?.errors?.[0]?.code;
        expect(['FORBIDDEN', 'NOT_FOUND']).toContain(code);
        expect(await snapshot(env.db, DISPOSAL_TABLES)).toEqual(before);
      });
    }
    it(`${kind} is decided by ${decider}`, async () => {
      const p = await gqlOk(env, decider, M.decide, decideInput(disposalId, kind, on), 'disposalDecide');
      expect(p.disposal.chain.steps.find((s: { kind: string }) => s.kind === kind).decision.decision).toBe('APPROVE');
    });
  }

  it('settles the chain: the disposal is APPROVED', async () => {
    expect((await getDisposal(env, disposalId)).status).toBe('APPROVED');
  });
});

describe('reads stay inside the scope', () => {
  it('lists disposals for the county and township; nothing for other villages and counties', async () => {
    const list = async (token: TokenName) =>
      (await env.gql(token, `{ disposals(filter: { year: 2026 }) { totalCount nodes { id flags } } }`)).data.disposals.totalCount as number;
    const all = await list('finance');
    expect(all).toBeGreaterThan(0);
    expect(await list('reviewer')).toBe(all);
    expect(await list('clerk')).toBe(all);
    expect(await list('otherClerk')).toBe(0);
    expect(await list('jiangeFinance')).toBe(0);
    const one = (await env.gql('finance', `{ disposals(first: 1) { nodes { id } } }`)).data.disposals.nodes[0].id;
    expect(await getDisposal(env, one, 'otherClerk')).toBeNull();
    expect(await getDisposal(env, one, 'liangyaClerk')).toBeNull();
    expect((await getDisposal(env, one, 'planner')).id).toBe(one);
  });
});

describe('county disposal policy', () => {
  const UPDATE = `mutation($input: DisposalPolicyUpdateInput!) { disposalPolicyUpdate(input: $input) {
    policy { countyCode tier1Max tier2Max appraisalThreshold exchangeThreshold noticeDays proceedsBookingDays isDefault } errors { code field } } }`;

  it('reads the documented defaults, and only county finance of that county changes them', async () => {
    const p = await env.gql('clerk', `{ disposalPolicy(countyCode: "511922000000") { tier1Max tier2Max appraisalThreshold exchangeThreshold noticeDays proceedsBookingDays isDefault } }`);
    expect(p.data.disposalPolicy).toEqual({
      tier1Max: '50000.00',
      tier2Max: '500000.00',
      appraisalThreshold: '500000.00',
      exchangeThreshold: '50000.00',
      noticeDays: 10,
      proceedsBookingDays: 30,
      isDefault: true,
    });
    for (const token of ['clerk', 'reviewer', 'planner', 'jiangeFinance'] as TokenName[]) {
      const body = await env.gql(token, UPDATE, { input: { countyCode: '511922000000', noticeDays: 15 } });
      expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    }
    const bad = await env.gql('finance', UPDATE, { input: { countyCode: '511922000000', tier1Max: '600000.00' } });
    expect(bad.data.disposalPolicyUpdate.errors[0].code).toBe('OUT_OF_RANGE');
    const ok = await env.gql('finance', UPDATE, { input: { countyCode: '511922000000', tier1Max: '100000.00', noticeDays: 15 } });
    expect(ok.data.disposalPolicyUpdate.policy).toMatchObject({ tier1Max: '100000.00', noticeDays: 15, tier2Max: '500000.00', isDefault: false });
  });

  it('the numbers live in the county policy: one audited change each, neither mutation clobbers the other\'s numbers', async () => {
    const audits = async () => (await env.db('audit_log').orderBy('id')).filter((r: any) => r.entity_type.endsWith('Policy'));
    const before = await audits();
    const ok = await env.gql('finance', UPDATE, { input: { countyCode: '511922000000', exchangeThreshold: '60000.00' } });
    expect(ok.data.disposalPolicyUpdate.errors).toEqual([]);
    const after = await audits();
    expect(after).toHaveLength(before.length + 1);
    const last = after[after.length - 1];
    expect(last.entity_type).toBe('CountyPolicy');
    const payload = JSON.parse(last.payload);
    expect([payload.before.disposalExchangeThresholdFen, payload.after.disposalExchangeThresholdFen]).toEqual([5_000_000, 6_000_000]);
    const row = await env.db('county_policies').where({ county_code: '511922000000' }).first();
    expect(Number(row.disposal_exchange_threshold_fen)).toBe(6_000_000);
    // A change of another county number keeps the disposal numbers, and is audited once too.
    const other = await env.gql('finance', `mutation { countyPolicyUpdate(input: { countyCode: "511922000000", idleFundsMonths: 9 }) { errors { code } } }`);
    expect(other.data.countyPolicyUpdate.errors).toEqual([]);
    expect(await audits()).toHaveLength(before.length + 2);
    const p = await env.gql('finance', `{ disposalPolicy(countyCode: "511922000000") { tier1Max exchangeThreshold noticeDays isDefault } }`);
    expect(p.data.disposalPolicy).toEqual({ tier1Max: '100000.00', exchangeThreshold: '60000.00', noticeDays: 15, isDefault: false });
  });

  it('the new tier and notice days apply to the next request', async () => {
    const asset = await assetOfValue(env, '80000.00');
    const r = await gqlOk(env, 'clerk', M.request, requestInput(asset.id, { method: 'SCRAPPING' }), 'disposalRequest');
    expect(r.disposal.chain.template).toBe('DISPOSAL_TIER_1');
    const id = r.disposal.id;
    await gqlOk(env, 'clerk', M.decide, decideInput(id, 'VILLAGE_RESOLUTION', '2026-03-05'), 'disposalDecide');
    await gqlOk(env, 'reviewer', M.decide, decideInput(id, 'TOWNSHIP', '2026-03-06'), 'disposalDecide');
    const n = await gqlOk(env, 'clerk', M.notice, { disposalId: id, startOn: '2026-03-10' }, 'disposalNoticePublish');
    expect(n.disposal.notice.endOn).toBe('2026-03-24');
  });
});
