import { setup, TestEnv, snapshot, gidNum, count, failureOf } from './helpers';
import { confirmInput, CONTRACT_FIELDS, CONTRACT_SIGN, contractInput, createProject, handedOverAsset, HOUSEHOLD_REGISTER, householdInput, registerAsset, signContract, step, STEP } from './fixtures';
import { V, YUNDING } from '../seeds/demo-data';
import type { TokenName } from './helpers';
import { withCheck } from '../seeds/demo-rights';

const AMEND = `mutation($input: ContractAmendInput!) { contractAmend(input: $input) { contract { ${CONTRACT_FIELDS} } errors { code field message } } }`;
const RENEW = `mutation($input: ContractRenewInput!) { contractRenew(input: $input) { contract { ${CONTRACT_FIELDS} } errors { code field message } } }`;
const TERMINATE = `mutation($input: ContractTerminateInput!) {
  contractTerminate(input: $input) { contract { ${CONTRACT_FIELDS} } asset { status } errors { code field message } }
}`;
const TABLES = ['contracts', 'contract_versions', 'contract_decisions', 'asset_events'];

let env: TestEnv;
let projectId: string;
let companyId: string;
beforeAll(async () => {
  env = await setup();
  projectId = (
    await createProject(env, {
      fundingLines: [
        { source: 'CENTRAL_TRANSITION', amount: '90000000.00' },
        { source: 'VILLAGE_SELF_FUNDED', amount: '9000000.00' },
      ],
    })
  ).id;
  const r = await env.gql('planner', `mutation($input: PartyRegisterInput!) { partyRegister(input: $input) { party { id } } }`, {
    input: { kind: 'COMPANY', name: '南江县云顶农业发展有限公司', regionCode: '511922000000', creditCode: withCheck('91511922MA6BQ8W21') },
  });
  companyId = r.data.partyRegister.party.id;
});
afterAll(() => env.close());

/** A 600000.00 operating asset of 茶坪村, confirmed 2021-11-10 and handed over 2021-11-20. */
async function handedOver(overrides: Record<string, unknown> = {}) {
  const asset = await registerAsset(env, projectId, overrides);
  await step(env, 'rightsConfirm', asset.id, '2021-11-10');
  await step(env, 'assetHandOver', asset.id, '2021-11-20');
  return asset;
}

const lease = (assetId: string, overrides: Record<string, unknown> = {}) =>
  contractInput(assetId, {
    mode: 'LEASE',
    operator: { partyId: companyId },
    fee: { kind: 'FIXED', amount: '50000.00', period: 'QUARTER' },
    guaranteedRateBp: 600,
    deposit: '20000.00',
    ...overrides,
  });

const sign = (input: object, token: 'clerk' | 'admin' | 'planner' | 'otherClerk' = 'clerk') => env.gql(token, CONTRACT_SIGN, { input });
const status = async (assetId: string) => (await env.db('assets').where({ id: gidNum(assetId) }).first()).status;

describe('contractSign', () => {
  it('signs a lease: contract, first version, events, and the asset goes into operation on the start date', async () => {
    const asset = await handedOver();
    const body = await sign(lease(asset.id, { contractNo: '南江茶坪租〔2021〕01号' }));
    const { contract, asset: a, errors } = body.data.contractSign;
    expect(errors).toEqual([]);
    expect(contract).toMatchObject({
      contractNo: '南江茶坪租〔2021〕01号',
      mode: 'LEASE',
      state: 'ACTIVE',
      signedOn: '2021-12-15',
      startOn: '2022-01-01',
      endOn: '2031-12-31',
      termMonths: 120,
      version: 1,
      guaranteedRateBp: 600,
      guaranteedAnnualReturn: '36000.00',
      deposit: '20000.00',
      operator: { name: '南江县云顶农业发展有限公司', kind: 'COMPANY' },
      fee: { kind: 'FIXED', amount: '50000.00', rateBp: null, period: 'QUARTER', annualAmount: '200000.00' },
      versions: [{ version: 1, kind: 'ORIGINAL', effectiveFrom: '2022-01-01', fee: { kind: 'FIXED', amount: '50000.00', period: 'QUARTER' } }],
    });
    expect(a.status).toBe('IN_OPERATION');
    expect(a.events.slice(-2)).toEqual([
      { action: 'CONTRACT_SIGN', fromStatus: 'HANDED_OVER', toStatus: 'HANDED_OVER', effectiveOn: '2021-12-15' },
      { action: 'START_OPERATION', fromStatus: 'HANDED_OVER', toStatus: 'IN_OPERATION', effectiveOn: '2022-01-01' },
    ]);
    const row = await env.db('contracts').where({ id: gidNum(contract.id) }).first();
    expect(row).toMatchObject({ status: 'OPEN', county_code: '511922000000', village_code: V.chaping, term_months: 120, current_version: 1 });
    const v = await env.db('contract_versions').where({ contract_id: row.id });
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ kind: 'ORIGINAL', fee_kind: 'FIXED', fee_amount_fen: 5_000_000, fee_period: 'QUARTER', guaranteed_rate_bp: 600, deposit_fen: 2_000_000 });
    const started = await env.db('asset_events').where({ asset_id: gidNum(asset.id), action: 'START_OPERATION' }).first();
    expect(JSON.parse(started.payload)).toMatchObject({ contractId: row.id });
  });

  it('computes a percentage-of-value fee exactly, and self-operation by the owner collective', async () => {
    const a = await handedOver();
    const pct = await sign(lease(a.id, { fee: { kind: 'PERCENT_OF_VALUE', rateBp: 575, period: 'HALF_YEAR' }, guaranteedRateBp: 0, deposit: null }));
    expect(pct.data.contractSign.contract).toMatchObject({
      fee: { kind: 'PERCENT_OF_VALUE', amount: null, rateBp: 575, annualAmount: '34500.00' },
      guaranteedRateBp: null,
      guaranteedAnnualReturn: null,
      deposit: null,
    });
    const b = await handedOver();
    const self = await sign(contractInput(b.id));
    expect(self.data.contractSign.contract).toMatchObject({ mode: 'SELF_OPERATED', operator: { kind: 'VILLAGE_COLLECTIVE' }, fee: { kind: 'NONE', annualAmount: '0.00' } });
  });

  it('leaves the status alone for a contract that starts later; operation cannot start before it', async () => {
    const asset = await handedOver();
    const body = await sign(lease(asset.id, { signedOn: '2026-11-01', startOn: '2027-01-01', endOn: '2029-12-31' }));
    expect(body.data.contractSign.contract.state).toBe('PENDING');
    expect(body.data.contractSign.asset.status).toBe('HANDED_OVER');
    const early = await step(env, 'assetStartOperation', asset.id, '2026-11-22');
    expect(early.errors[0]).toMatchObject({ code: 'NO_CONTRACT' });
    expect(await status(asset.id)).toBe('HANDED_OVER');
  });

  it('fixes an asset in operation without a contract (有租无合同): signed, no status change', async () => {
    const asset = await handedOver();
    const c = await signContract(env, asset.id, { endOn: '2025-12-31' });
    expect(c.state).toBe('EXPIRED');
    expect(await status(asset.id)).toBe('IN_OPERATION');
    const body = await sign(contractInput(asset.id, { signedOn: '2026-11-20', startOn: '2026-11-21', endOn: '2030-11-20' }));
    expect(body.data.contractSign.errors).toEqual([]);
    expect(body.data.contractSign.asset.status).toBe('IN_OPERATION');
  });

  type Case = [string, () => Promise<{ id: string }>, Record<string, unknown>, string, string[]];
  const cases: Case[] = [
    ['for a public-welfare asset', () => handedOver({ class: 'PUBLIC_WELFARE', subType: 'ROAD' }), {}, 'CLASS_NOT_ALLOWED', ['input', 'assetId']],
    ['before the handover (contract before handover)', async () => {
      const a = await registerAsset(env, projectId);
      await step(env, 'rightsConfirm', a.id, '2021-11-10');
      return a;
    }, {}, 'ILLEGAL_TRANSITION', ['input', 'assetId']],
    ['signed after the start', handedOver, { signedOn: '2022-01-02' }, 'DATE_ORDER', ['input', 'startOn']],
    ['ending on its start', handedOver, { endOn: '2022-01-01' }, 'DATE_ORDER', ['input', 'endOn']],
    ['ending before its start', handedOver, { endOn: '2021-12-31' }, 'DATE_ORDER', ['input', 'endOn']],
    ['signed before the handover', handedOver, { signedOn: '2021-11-19' }, 'DATE_ORDER', ['input', 'signedOn']],
    ['signed in the future', handedOver, { signedOn: '2026-11-23', startOn: '2027-01-01' }, 'DATE_IN_FUTURE', ['input', 'signedOn']],
    ['a lease without rent', handedOver, { fee: null }, 'REQUIRED', ['input', 'fee']],
    ['self-operation with rent', handedOver, { mode: 'SELF_OPERATED', operator: { villageCode: V.chaping } }, 'INVALID_INPUT', ['input', 'fee']],
    ['self-operation by a company', handedOver, { mode: 'SELF_OPERATED', fee: null, guaranteedRateBp: null, deposit: null }, 'OPERATOR_NOT_ALLOWED', ['input', 'operator']],
    ['a lease to the owner itself', handedOver, { operator: { villageCode: V.chaping } }, 'OPERATOR_NOT_ALLOWED', ['input', 'operator']],
    ['a fixed fee without period', handedOver, { fee: { kind: 'FIXED', amount: '100.00' } }, 'REQUIRED', ['input', 'fee', 'period']],
    ['a zero fixed fee', handedOver, { fee: { kind: 'FIXED', amount: '0.00', period: 'YEAR' } }, 'INVALID_AMOUNT', ['input', 'fee', 'amount']],
    ['a monthly fee whose yearly sum passes 2^53 fen', handedOver, { fee: { kind: 'FIXED', amount: '10000000000000.00', period: 'MONTH' } }, 'INVALID_AMOUNT', ['input', 'fee', 'amount']],
    ['a percentage without rate', handedOver, { fee: { kind: 'PERCENT_OF_VALUE', period: 'YEAR' } }, 'REQUIRED', ['input', 'fee', 'rateBp']],
    ['a NONE fee with an amount', handedOver, { mode: 'ENTRUSTED', fee: { kind: 'NONE', amount: '1.00' } }, 'INVALID_INPUT', ['input', 'fee']],
    ['a guarantee over 100%', handedOver, { guaranteedRateBp: 10001 }, 'OUT_OF_RANGE', ['input', 'guaranteedRateBp']],
    ['a negative deposit', handedOver, { deposit: '-1.00' }, 'INVALID_AMOUNT', ['input', 'deposit']],
    ['an empty contract number', handedOver, { contractNo: ' ' }, 'REQUIRED', ['input', 'contractNo']],
    ['an unknown operator', handedOver, { operator: { partyId: 'Party:999999' } }, 'NOT_FOUND', ['input', 'operator', 'partyId']],
    ['a resolution of a village that does not own it', handedOver, { decisions: [{ kind: 'VILLAGE_RESOLUTION', reference: 'x', decidedOn: '2021-12-01', villageCode: V.jintai }] }, 'NOT_AN_OWNER', ['input', 'decisions', '0', 'villageCode']],
    ['a decision after signing', handedOver, { decisions: [{ kind: 'TOWNSHIP_FILING', reference: 'x', decidedOn: '2021-12-16' }] }, 'DATE_ORDER', ['input', 'decisions', '0', 'decidedOn']],
  ];

  it.each(cases)('rejects a contract %s with a code and writes nothing', async (_l, make, overrides, code, field) => {
    const asset = await make();
    const before = await snapshot(env.db, TABLES);
    const statusBefore = await status(asset.id);
    const body = await sign(lease(asset.id, overrides));
    expect(body.data.contractSign.contract).toBeNull();
    expect(body.data.contractSign.errors[0]).toMatchObject({ code, field });
    expect(await snapshot(env.db, TABLES)).toEqual(before);
    expect(await status(asset.id)).toBe(statusBefore);
  });

  it('rejects a contract number already used in the county', async () => {
    const a = await handedOver();
    const b = await handedOver();
    await signContract(env, a.id, { contractNo: 'NJ-DUP-1' });
    const before = await snapshot(env.db, TABLES);
    const body = await sign(contractInput(b.id, { contractNo: 'NJ-DUP-1' }));
    expect(body.data.contractSign.errors[0]).toMatchObject({ code: 'DUPLICATE', field: ['input', 'contractNo'] });
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });

  it('refuses other roles (FORBIDDEN) and other villages (NOT_FOUND)', async () => {
    const asset = await handedOver();
    const before = await snapshot(env.db, TABLES);
    expect((await sign(lease(asset.id), 'planner')).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await sign(lease(asset.id), 'otherClerk')).data.contractSign.errors[0].code).toBe('NOT_FOUND');
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });
});

describe('one active contract per asset (lock)', () => {
  it('refuses a second contract overlapping the first, allows one after it, and frees the asset on termination', async () => {
    const asset = await handedOver();
    const first = await signContract(env, asset.id, lease(asset.id, { endOn: '2027-12-31' }));
    const before = await snapshot(env.db, TABLES);
    for (const dates of [
      { signedOn: '2026-11-01', startOn: '2026-12-01', endOn: '2030-12-31' }, // starts inside
      { signedOn: '2021-12-01', startOn: '2021-12-01', endOn: '2022-01-01' }, // ends on its first day
      { signedOn: '2021-12-15', startOn: '2021-12-20', endOn: '2035-12-31' }, // encloses it
    ]) {
      const body = await sign(lease(asset.id, { ...dates, operator: { partyId: companyId } }));
      expect(body.data.contractSign.errors[0]).toMatchObject({ code: 'ASSET_HELD', field: ['input', 'startOn'] });
      expect(body.data.contractSign.errors[0].message).toContain(first.contractNo);
    }
    expect(await snapshot(env.db, TABLES)).toEqual(before);

    // A successor from the day after the end is fine (signed in advance).
    const next = await sign(lease(asset.id, { signedOn: '2026-11-01', startOn: '2028-01-01', endOn: '2032-12-31' }));
    expect(next.data.contractSign.contract.state).toBe('PENDING');

    // Terminated on 2026-11-10: the rest of the term no longer binds, so a new contract may start that day.
    const t = await env.gql('clerk', TERMINATE, { input: { contractId: first.id, terminatedOn: '2026-11-10', reason: '承租方违约' } });
    expect(t.data.contractTerminate.asset.status).toBe('IDLE');
    const gap = await sign(lease(asset.id, { signedOn: '2026-11-10', startOn: '2026-11-10', endOn: '2027-12-31' }));
    expect(gap.data.contractSign.errors).toEqual([]);
    expect(gap.data.contractSign.asset.status).toBe('IN_OPERATION');
    const events = await env.db('asset_events').where({ asset_id: gidNum(asset.id) }).orderBy('id');
    expect(events.slice(-4).map((e: any) => [e.action, e.to_status, e.effective_on])).toEqual([
      ['CONTRACT_TERMINATE', 'IN_OPERATION', '2026-11-10'],
      ['MARK_IDLE', 'IDLE', '2026-11-10'],
      ['CONTRACT_SIGN', 'IDLE', '2026-11-10'],
      ['REVITALISE', 'IN_OPERATION', '2026-11-10'],
    ]);
  });
});

describe('contractAmend', () => {
  it('adds a version from a date; the original version stays as agreed', async () => {
    const asset = await handedOver();
    const c = await signContract(env, asset.id, lease(asset.id));
    const body = await env.gql('clerk', AMEND, {
      input: {
        contractId: c.id,
        signedOn: '2023-12-20',
        effectiveFrom: '2024-01-01',
        fee: { kind: 'FIXED', amount: '55000.00', period: 'QUARTER' },
        guaranteedRateBp: 700,
        reason: '第二轮补充协议：租金上调10%，保底收益率调为7%',
      },
    });
    const { contract, errors } = body.data.contractAmend;
    expect(errors).toEqual([]);
    expect(contract).toMatchObject({
      version: 2,
      fee: { amount: '55000.00', annualAmount: '220000.00' },
      guaranteedRateBp: 700,
      deposit: '20000.00',
      endOn: '2031-12-31',
    });
    expect(contract.versions.map((v: any) => [v.version, v.kind, v.effectiveFrom, v.fee.amount, v.guaranteedRateBp])).toEqual([
      [1, 'ORIGINAL', '2022-01-01', '50000.00', 600],
      [2, 'AMENDMENT', '2024-01-01', '55000.00', 700],
    ]);
    const rows = await env.db('contract_versions').where({ contract_id: gidNum(c.id) }).orderBy('version');
    expect(rows.map((r: any) => r.fee_amount_fen)).toEqual([5_000_000, 5_500_000]);
    const ev = await env.db('asset_events').where({ asset_id: gidNum(asset.id), action: 'CONTRACT_AMEND' }).first();
    expect(ev.effective_on).toBe('2023-12-20');
    expect(JSON.parse(ev.payload)).toMatchObject({ version: 2, effectiveFrom: '2024-01-01' });
    // The database refuses to rewrite a version.
    expect(await failureOf(env.db('contract_versions').where({ id: rows[0].id }).update({ fee_amount_fen: 1 }))).toMatch(/append-only/);
    expect(await failureOf(env.db('contract_versions').where({ id: rows[0].id }).delete())).toMatch(/append-only/);
  });

  type Case = [string, Record<string, unknown>, string, string[]];
  const base = { signedOn: '2023-12-20', effectiveFrom: '2024-01-01', guaranteedRateBp: 700, reason: '调整' };
  const cases: Case[] = [
    ['that changes nothing', { guaranteedRateBp: 600 }, 'INVALID_INPUT', ['input']],
    ['effective before the current version', { signedOn: '2021-12-15', effectiveFrom: '2021-12-31' }, 'DATE_ORDER', ['input', 'effectiveFrom']],
    ['effective on the current version\'s start', { signedOn: '2021-12-15', effectiveFrom: '2022-01-01' }, 'DATE_ORDER', ['input', 'effectiveFrom']],
    ['signed after it takes effect', { signedOn: '2024-01-02' }, 'DATE_ORDER', ['input', 'effectiveFrom']],
    ['effective after the end', { effectiveFrom: '2032-01-01', signedOn: '2026-01-01' }, 'CONTRACT_CLOSED', ['input', 'contractId']],
    ['ending before it takes effect', { endOn: '2023-06-30' }, 'DATE_ORDER', ['input', 'endOn']],
    ['without a reason', { reason: '' }, 'REQUIRED', ['input', 'reason']],
    ['removing the rent of a lease', { fee: { kind: 'NONE' } }, 'REQUIRED', ['input', 'fee']],
    ['signed in the future', { signedOn: '2026-11-23', effectiveFrom: '2027-01-01' }, 'DATE_IN_FUTURE', ['input', 'signedOn']],
  ];
  it.each(cases)('rejects an amendment %s and writes nothing', async (_l, overrides, code, field) => {
    const asset = await handedOver();
    const c = await signContract(env, asset.id, lease(asset.id));
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql('clerk', AMEND, { input: { contractId: c.id, ...base, ...overrides } });
    expect(body.data.contractAmend.errors[0]).toMatchObject({ code, field });
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });

  it('refuses to amend a terminated contract, or to extend into a successor', async () => {
    const asset = await handedOver();
    const c = await signContract(env, asset.id, lease(asset.id, { endOn: '2027-12-31' }));
    await sign(lease(asset.id, { signedOn: '2026-11-01', startOn: '2028-01-01', endOn: '2030-12-31' }));
    const longer = await env.gql('clerk', AMEND, { input: { contractId: c.id, ...base, endOn: '2028-06-30' } });
    expect(longer.data.contractAmend.errors[0].code).toBe('ASSET_HELD');
    const t = await env.gql('clerk', TERMINATE, { input: { contractId: c.id, terminatedOn: '2026-11-10', reason: '解除' } });
    expect(t.data.contractTerminate.errors).toEqual([]);
    const closed = await env.gql('clerk', AMEND, { input: { contractId: c.id, ...base } });
    expect(closed.data.contractAmend.errors[0].code).toBe('CONTRACT_CLOSED');
  });
});

describe('contractRenew', () => {
  it('renews for a further term from the day after the end, as a new version', async () => {
    const asset = await handedOver();
    const c = await signContract(env, asset.id, lease(asset.id, { endOn: '2026-12-31' }));
    const body = await env.gql('clerk', RENEW, {
      input: { contractId: c.id, signedOn: '2026-11-20', endOn: '2031-12-31', fee: { kind: 'FIXED', amount: '60000.00', period: 'QUARTER' }, note: '续签五年' },
    });
    const { contract, errors } = body.data.contractRenew;
    expect(errors).toEqual([]);
    expect(contract).toMatchObject({ endOn: '2031-12-31', startOn: '2022-01-01', termMonths: 120, version: 2, state: 'ACTIVE', fee: { amount: '60000.00' } });
    expect(contract.versions[1]).toMatchObject({ kind: 'RENEWAL', effectiveFrom: '2027-01-01', endOn: '2031-12-31', signedOn: '2026-11-20', reason: '续签五年' });
    expect(await env.db('contracts').where({ id: gidNum(c.id) }).first()).toMatchObject({ end_on: '2031-12-31', term_months: 120, current_version: 2 });
    expect(await count(env.db, 'asset_events', { asset_id: gidNum(asset.id), action: 'CONTRACT_RENEW' })).toBe(1);
  });

  it.each([
    ['not extending the end', { endOn: '2026-12-31' }, 'DATE_ORDER', ['input', 'endOn']],
    ['signed before the current version', { signedOn: '2021-12-01' }, 'DATE_ORDER', ['input', 'signedOn']],
    ['signed in the future', { signedOn: '2026-11-23' }, 'DATE_IN_FUTURE', ['input', 'signedOn']],
  ] as [string, Record<string, unknown>, string, string[]][])('rejects a renewal %s and writes nothing', async (_l, overrides, code, field) => {
    const asset = await handedOver();
    const c = await signContract(env, asset.id, lease(asset.id, { endOn: '2026-12-31' }));
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql('clerk', RENEW, { input: { contractId: c.id, signedOn: '2026-11-20', endOn: '2031-12-31', ...overrides } });
    expect(body.data.contractRenew.errors[0]).toMatchObject({ code, field });
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });

  it('does not renew a lapsed contract (sign a new one) nor into a successor', async () => {
    const asset = await handedOver();
    const lapsed = await signContract(env, asset.id, lease(asset.id, { endOn: '2025-12-31' }));
    const late = await env.gql('clerk', RENEW, { input: { contractId: lapsed.id, signedOn: '2026-01-05', endOn: '2030-12-31' } });
    expect(late.data.contractRenew.errors[0].code).toBe('CONTRACT_CLOSED');
    const b = await handedOver();
    const current = await signContract(env, b.id, lease(b.id, { endOn: '2026-12-31' }));
    await sign(lease(b.id, { signedOn: '2026-11-01', startOn: '2027-01-01', endOn: '2029-12-31' }));
    const blocked = await env.gql('clerk', RENEW, { input: { contractId: current.id, signedOn: '2026-11-20', endOn: '2031-12-31' } });
    expect(blocked.data.contractRenew.errors[0].code).toBe('ASSET_HELD');
  });
});

describe('contractTerminate', () => {
  it('terminates with reason and date; the asset falls idle and needs a contract to be revitalised', async () => {
    const asset = await handedOver();
    const c = await signContract(env, asset.id, lease(asset.id));
    const body = await env.gql('clerk', TERMINATE, { input: { contractId: c.id, terminatedOn: '2025-06-30', reason: '经营不善，协商解除' } });
    expect(body.data.contractTerminate.errors).toEqual([]);
    expect(body.data.contractTerminate.contract).toMatchObject({ state: 'TERMINATED', terminatedOn: '2025-06-30', terminationReason: '经营不善，协商解除' });
    expect(body.data.contractTerminate.asset.status).toBe('IDLE');
    expect(await env.db('contracts').where({ id: gidNum(c.id) }).first()).toMatchObject({ status: 'TERMINATED', terminated_on: '2025-06-30' });
    const events = await env.db('asset_events').where({ asset_id: gidNum(asset.id) }).orderBy('id');
    expect(events.slice(-2).map((e: any) => [e.action, e.from_status, e.to_status, e.effective_on])).toEqual([
      ['CONTRACT_TERMINATE', 'IN_OPERATION', 'IN_OPERATION', '2025-06-30'],
      ['MARK_IDLE', 'IN_OPERATION', 'IDLE', '2025-06-30'],
    ]);
    const revive = await step(env, 'assetRevitalise', asset.id, '2025-07-01');
    expect(revive.errors[0].code).toBe('NO_CONTRACT');
  });

  it('terminates a pending contract without touching the status', async () => {
    const asset = await handedOver();
    const c = await signContract(env, asset.id, lease(asset.id, { signedOn: '2026-11-01', startOn: '2027-01-01', endOn: '2029-12-31' }));
    const body = await env.gql('clerk', TERMINATE, { input: { contractId: c.id, terminatedOn: '2026-11-20', reason: '对方放弃' } });
    expect(body.data.contractTerminate.asset.status).toBe('HANDED_OVER');
  });

  it.each([
    ['without a reason', { reason: ' ' }, 'REQUIRED', ['input', 'reason']],
    ['before it was signed', { terminatedOn: '2021-12-14' }, 'DATE_ORDER', ['input', 'terminatedOn']],
    ['in the future', { terminatedOn: '2026-11-23' }, 'DATE_IN_FUTURE', ['input', 'terminatedOn']],
    ['after its end', { terminatedOn: '2026-01-01' }, 'CONTRACT_CLOSED', ['input', 'contractId']],
    ['of an unknown contract', { contractId: 'Contract:999999' }, 'NOT_FOUND', ['input', 'contractId']],
  ] as [string, Record<string, unknown>, string, string[]][])('rejects a termination %s and writes nothing', async (_l, overrides, code, field) => {
    const asset = await handedOver();
    const c = await signContract(env, asset.id, lease(asset.id, { endOn: '2025-12-31' }));
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql('clerk', TERMINATE, { input: { contractId: c.id, terminatedOn: '2025-06-30', reason: '解除', ...overrides } });
    expect(body.data.contractTerminate.errors[0]).toMatchObject({ code, field });
    expect(await snapshot(env.db, TABLES)).toEqual(before);
    expect(await status(asset.id)).toBe('IN_OPERATION');
  });

  it('refuses terminating twice, and a planner (FORBIDDEN)', async () => {
    const asset = await handedOver();
    const c = await signContract(env, asset.id, lease(asset.id));
    expect((await env.gql('planner', TERMINATE, { input: { contractId: c.id, terminatedOn: '2025-06-30', reason: 'x' } })).errors[0].extensions.code).toBe('FORBIDDEN');
    await env.gql('clerk', TERMINATE, { input: { contractId: c.id, terminatedOn: '2025-06-30', reason: 'x' } });
    const again = await env.gql('clerk', TERMINATE, { input: { contractId: c.id, terminatedOn: '2025-07-30', reason: 'x' } });
    expect(again.data.contractTerminate.errors[0].code).toBe('CONTRACT_CLOSED');
  });
});

describe('a mode change is approved on the approval chain (brief §11.9)', () => {
  const REQUEST = `mutation($input: ContractModeChangeRequestInput!) {
    contractModeChangeRequest(input: $input) { chain { id status steps { kind region { code } } } errors { code field message } }
  }`;
  const DECIDE = `mutation($input: ApprovalDecideInput!) { approvalDecide(input: $input) { chain { status } errors { code field message } } }`;
  const decide = (who: TokenName, chainId: string, on: string, resolution: boolean) =>
    env.gql(who, DECIDE, {
      input: {
        chainId, decision: 'APPROVE', decidedOn: on, reference: `${who}-${on}`,
        ...(resolution ? { meeting: { heldOn: on, memberCount: 21, attendance: 15, votesFor: 12 } } : {}),
      },
    });

  it('asks a village asset for the owner villages\' resolutions and the township, then signs under the approved chain', async () => {
    const asset = await registerAsset(env, projectId);
    await env.gql('clerk', STEP('rightsConfirm'), {
      input: confirmInput(asset.id, '2021-11-10', { owners: [{ villageCode: V.chaping, shareBp: 5000 }, { villageCode: V.jintai, shareBp: 5000 }] }),
    });
    await step(env, 'assetHandOver', asset.id, '2021-11-20');
    const self = await signContract(env, asset.id, { endOn: '2024-12-31' });
    await env.gql('clerk', TERMINATE, { input: { contractId: self.id, terminatedOn: '2024-06-30', reason: '改为对外出租' } });
    const input = lease(asset.id, { signedOn: '2024-07-20', startOn: '2024-08-01', endOn: '2029-07-31' });
    const before = await snapshot(env.db, TABLES);
    // Typed-in decisions alone are evidence, not authority.
    const typed = await sign({ ...input, decisions: [{ kind: 'VILLAGE_RESOLUTION', reference: '茶坪村决议〔2024〕2号', decidedOn: '2024-07-01', villageCode: V.chaping }] });
    expect(typed.data.contractSign.errors[0]).toMatchObject({ code: 'DECISION_REQUIRED', field: ['input', 'modeChangeApprovalId'] });
    expect(await snapshot(env.db, TABLES)).toEqual(before);

    const req = await env.gql('clerk', REQUEST, { input: { assetId: asset.id, mode: 'LEASE', requestedOn: '2024-06-25', reason: '改为对外出租' } });
    const chain = req.data.contractModeChangeRequest.chain;
    expect(chain.steps.map((st: any) => [st.kind, st.region.code])).toEqual([
      ['VILLAGE_RESOLUTION', V.jintai], ['VILLAGE_RESOLUTION', V.chaping], ['TOWNSHIP', YUNDING],
    ]);
    const pending = await sign({ ...input, modeChangeApprovalId: chain.id });
    expect(pending.data.contractSign.errors[0].code).toBe('APPROVAL_REQUIRED');
    await decide('otherClerk', chain.id, '2024-07-01', true);
    await decide('clerk', chain.id, '2024-07-02', true);
    expect((await decide('reviewer', chain.id, '2024-07-10', false)).data.approvalDecide.chain.status).toBe('APPROVED');

    const ok = await sign({ ...input, modeChangeApprovalId: chain.id, decisions: [{ kind: 'TOWNSHIP_FILING', reference: '云顶镇备〔2024〕5号', decidedOn: '2024-07-10' }] });
    expect(ok.data.contractSign.errors).toEqual([]);
    expect(ok.data.contractSign.asset.status).toBe('IN_OPERATION');
    const id = gidNum(ok.data.contractSign.contract.id);
    expect(await env.db('contracts').where({ id }).first()).toMatchObject({ mode_change_chain_id: gidNum(chain.id) });
    const ev = await env.db('asset_events').where({ asset_id: gidNum(asset.id), action: 'CONTRACT_SIGN' }).orderBy('id', 'desc').first();
    expect(JSON.parse(ev.payload)).toMatchObject({ modeChangedFrom: 'SELF_OPERATED', modeChangeApprovalId: gidNum(chain.id) });
  });

  it('asks a household-owned asset for the filing with the village committee; a chain serves one contract and one mode', async () => {
    const hh = await env.gql('clerk', HOUSEHOLD_REGISTER, { input: householdInput(77) });
    const asset = await registerAsset(env, projectId, { name: '农户入股农机' });
    await env.gql('clerk', STEP('rightsConfirm'), {
      input: confirmInput(asset.id, '2021-11-10', { rightsLevel: 'HOUSEHOLD', owners: [{ householdId: hh.data.householdRegister.household.id, shareBp: 10000 }] }),
    });
    await step(env, 'assetHandOver', asset.id, '2021-11-20');
    await signContract(env, asset.id, lease(asset.id, { endOn: '2023-12-31' }));
    const input = { ...contractInput(asset.id), mode: 'COOPERATION', operator: { partyId: companyId }, signedOn: '2024-01-01', startOn: '2024-01-01', endOn: '2028-12-31' };
    expect((await sign(input)).data.contractSign.errors[0].code).toBe('DECISION_REQUIRED');
    const req = await env.gql('clerk', REQUEST, { input: { assetId: asset.id, mode: 'COOPERATION', requestedOn: '2023-12-15', reason: '农户合作经营' } });
    const chain = req.data.contractModeChangeRequest.chain;
    expect(chain.steps.map((st: any) => st.kind)).toEqual(['VILLAGE_FILING']);
    expect((await decide('clerk', chain.id, '2023-12-20', false)).data.approvalDecide.chain.status).toBe('APPROVED');
    expect((await sign({ ...input, mode: 'ENTRUSTED', modeChangeApprovalId: chain.id })).data.contractSign.errors[0].code).toBe('DECISION_REQUIRED');
    const ok = await sign({ ...input, modeChangeApprovalId: chain.id });
    expect(ok.data.contractSign.errors).toEqual([]);
  });

  it('refuses a request that changes nothing, and a request outside the clerk\'s village', async () => {
    const asset = await handedOverAsset(env);
    await signContract(env, asset.id);
    const same = await env.gql('clerk', REQUEST, { input: { assetId: asset.id, mode: 'SELF_OPERATED', requestedOn: '2024-06-25', reason: 'x' } });
    expect(same.data.contractModeChangeRequest.errors[0].code).toBe('INVALID_INPUT');
    const other = await env.gql('otherClerk', REQUEST, { input: { assetId: asset.id, mode: 'LEASE', requestedOn: '2024-06-25', reason: 'x' } });
    expect(other.data.contractModeChangeRequest.errors[0].code).toBe('NOT_FOUND');
    expect(await env.db('approval_chains').where({ subject_id: gidNum(asset.id), purpose: 'CONTRACT_MODE_CHANGE' }).count({ n: '*' }).first()).toMatchObject({ n: expect.anything() });
  });
});

describe('contract queries', () => {
  let local: TestEnv;
  const ids: Record<string, string> = {};
  const LIST = `contractNo state mode asset { name }`;
  beforeAll(async () => {
    const saved = env;
    local = await setup();
    env = local;
    try {
      projectId = (await createProject(local, { fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '9000000.00' }, { source: 'VILLAGE_SELF_FUNDED', amount: '9000000.00' }] })).id;
      const r = await local.gql('planner', `mutation($input: PartyRegisterInput!) { partyRegister(input: $input) { party { id } } }`, {
        input: { kind: 'COMPANY', name: '测试运营公司', regionCode: '511922000000', creditCode: withCheck('91511922MA6TEBT00') },
      });
      companyId = r.data.partyRegister.party.id;
      const make = async (name: string, input: Record<string, unknown>) => {
        const a = await handedOver({ name });
        ids[name] = (await signContract(local, a.id, lease(a.id, { contractNo: name, ...input }))).id;
        return a;
      };
      await make('soon', { endOn: '2027-01-06' }); // 45 days after 2026-11-22
      await make('later', { endOn: '2027-02-20' }); // 90 days
      await make('today', { endOn: '2026-11-22' });
      await make('lapsed', { endOn: '2025-12-31' }); // expired; asset still in operation
      const terminated = await make('terminated', { endOn: '2027-01-01' });
      await local.gql('clerk', TERMINATE, { input: { contractId: ids.terminated, terminatedOn: '2026-10-31', reason: '解除' } });
      void terminated;
      await make('long', { endOn: '2046-12-31' }); // 25 years
      await make('twenty', { endOn: '2041-12-31' }); // exactly 20 years
      await make('self30', { mode: 'SELF_OPERATED', operator: { villageCode: V.chaping }, fee: null, guaranteedRateBp: null, deposit: null, endOn: '2051-12-31' });
      await make('sixteen', { endOn: '2037-12-31' });
      await make('pending', { signedOn: '2026-11-01', startOn: '2027-03-01', endOn: '2030-12-31' });
    } finally {
      env = saved;
    }
  });
  afterAll(() => local.close());

  const names = (conn: any) => conn.nodes.map((n: any) => n.contractNo);

  it('lists contracts expiring within N days, today included, open ones only', async () => {
    const q = `query($d: Int!, $r: String) { contractsExpiring(regionCode: $r, withinDays: $d) { totalCount nodes { ${LIST} } } }`;
    expect(names((await local.gql('finance', q, { d: 60 })).data.contractsExpiring)).toEqual(['soon', 'today']);
    expect(names((await local.gql('finance', q, { d: 90 })).data.contractsExpiring)).toEqual(['soon', 'later', 'today']);
    expect(names((await local.gql('finance', q, { d: 0 })).data.contractsExpiring)).toEqual(['today']);
    expect((await local.gql('otherClerk', q, { d: 90 })).data.contractsExpiring.totalCount).toBe(0);
    expect((await local.gql('jiangeFinance', q, { d: 90, r: V.chaping })).data.contractsExpiring.totalCount).toBe(0);
    expect((await local.gql('finance', q, { d: 3651 })).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('lists overlong contracts against the county limit (default 20 years), self-operation excepted', async () => {
    const q = `query($m: Int) { contractsOverlong(maxYears: $m) { nodes { contractNo termMonths } } }`;
    expect((await local.gql('planner', q, {})).data.contractsOverlong.nodes).toEqual([{ contractNo: 'long', termMonths: 300 }]);
    expect(names((await local.gql('planner', q, { m: 15 })).data.contractsOverlong)).toEqual(['long', 'twenty', 'sixteen']);

    const SET = `mutation($input: ContractTermLimitSetInput!) { contractTermLimitSet(input: $input) { termLimit { maxYears isDefault county { name } } errors { code field } } }`;
    const LIMIT = `{ contractTermLimit(countyCode: "511922000000") { maxYears isDefault } }`;
    expect((await local.gql('clerk', LIMIT)).data.contractTermLimit).toEqual({ maxYears: 20, isDefault: true });
    expect((await local.gql('clerk', SET, { input: { countyCode: '511922000000', maxYears: 15 } })).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await local.gql('finance', SET, { input: { countyCode: '511922000000', maxYears: 15 } })).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await local.gql('planner', SET, { input: { countyCode: '510823000000', maxYears: 15 } })).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await local.gql('planner', SET, { input: { countyCode: '511922000000', maxYears: 0 } })).data.contractTermLimitSet.errors[0]).toMatchObject({ code: 'OUT_OF_RANGE' });
    const set = await local.gql('planner', SET, { input: { countyCode: '511922000000', maxYears: 15, reason: '县三资管理办法' } });
    expect(set.data.contractTermLimitSet).toEqual({ termLimit: { maxYears: 15, isDefault: false, county: { name: '南江县' } }, errors: [] });
    expect((await local.gql('clerk', LIMIT)).data.contractTermLimit).toEqual({ maxYears: 15, isDefault: false });
    expect(names((await local.gql('planner', q, {})).data.contractsOverlong)).toEqual(['long', 'twenty', 'sixteen']);
    expect(await count(local.db, 'audit_log', { entity_type: 'ContractTermLimit' })).toBe(1);
  });

  it('lists operating assets in operation without a contract in force (有租无合同)', async () => {
    const q = `{ operatingAssetsWithoutContract { totalCount nodes { name status } } }`;
    const body = await local.gql('finance', q);
    expect(body.data.operatingAssetsWithoutContract.nodes).toEqual([{ name: 'lapsed', status: 'IN_OPERATION' }]);
    expect((await local.gql('otherClerk', q)).data.operatingAssetsWithoutContract.totalCount).toBe(0);
  });

  it('filters contracts by state, mode, operator, asset and number; hides them out of scope', async () => {
    const q = `query($f: ContractFilter) { contracts(filter: $f, first: 100) { totalCount nodes { ${LIST} } } }`;
    const by = async (f: object, token: 'finance' | 'otherClerk' | 'jiangeFinance' = 'finance') => names((await local.gql(token, q, { f })).data.contracts);
    expect(await by({ state: 'EXPIRED' })).toEqual(['lapsed']);
    expect(await by({ state: 'TERMINATED' })).toEqual(['terminated']);
    expect(await by({ state: 'PENDING' })).toEqual(['pending']);
    expect(await by({ mode: 'SELF_OPERATED' })).toEqual(['self30']);
    expect((await by({ operatorId: companyId })).length).toBe(9);
    expect(await by({ text: 'SIX' })).toEqual(['sixteen']);
    const soon = await local.gql('finance', `query($id: ID!) { contract(id: $id) { asset { id } } }`, { id: ids.soon });
    expect(await by({ assetId: soon.data.contract.asset.id })).toEqual(['soon']);
    expect(await by({}, 'otherClerk')).toEqual([]);
    expect(await by({}, 'jiangeFinance')).toEqual([]);
    const hidden = await local.gql('otherClerk', `query($id: ID!) { contract(id: $id) { id } node(id: $id) { id } }`, { id: ids.soon });
    expect(hidden.data).toEqual({ contract: null, node: null });
  });
});
