import { setup, TestEnv, snapshot, gidNum } from './helpers';
import { HOUSEHOLD_REGISTER, householdInput } from './fixtures';
import { isValidResidentId, maskResidentId, residentIdCheckChar } from '../src/modules/households/residentId';
import { V } from '../seeds/demo-data';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env.close());

const TABLES = ['households', 'household_status_changes', 'audit_log'];
const UPDATE = `mutation($input: HouseholdUpdateInput!) {
  householdUpdate(input: $input) { household { status memberCount headName statusHistory { status effectiveOn reason } } errors { code field message } }
}`;

describe('resident ID (GB 11643)', () => {
  it('computes the ISO 7064 MOD 11-2 check character', () => {
    // The standard's own example number.
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(isValidResidentId('11010519491231002X', '2026-11-22')).toBe(true);
    expect(isValidResidentId('110105194912310021', '2026-11-22')).toBe(false);
    expect(isValidResidentId('11010519490231002X', '2026-11-22')).toBe(false); // 31 Feb does not exist
    expect(isValidResidentId('110105203012310028', '2026-11-22')).toBe(false); // born in the future
    expect(maskResidentId('11010519491231002X')).toBe('110105********002X');
  });
});

describe('householdRegister', () => {
  it('registers a household with its first status and an audit entry', async () => {
    const body = await env.gql('clerk', HOUSEHOLD_REGISTER, { input: householdInput(1, { status: 'MONITORED', statusEffectiveOn: '2022-06-30' }) });
    const { household, errors } = body.data.householdRegister;
    expect(errors).toEqual([]);
    expect(household).toMatchObject({ headName: '测试户1', memberCount: 3, status: 'MONITORED', village: { code: V.chaping } });
    expect(household.statusHistory).toEqual([{ status: 'MONITORED', effectiveOn: '2022-06-30' }]);
    const id = gidNum(household.id);
    expect(await env.db('households').where({ id }).first()).toMatchObject({ status: 'MONITORED', village_code: V.chaping });
    const audit = await env.db('audit_log').where({ entity_type: 'Household', entity_id: id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'REGISTER', actor_user_id: env.userIds.clerk });
    expect(audit[0].payload).not.toContain(householdInput(1).idNumber); // personal data stays out of the trail
  });

  it.each([
    ['a bad check digit', { idNumber: householdInput(2).idNumber.slice(0, 17) + (householdInput(2).idNumber[17] === '1' ? '2' : '1') }, 'INVALID_ID_NUMBER', ['input', 'idNumber']],
    ['a township instead of a village', { villageCode: '511922105000' }, 'INVALID_REGION', ['input', 'villageCode']],
    ['an unknown village', { villageCode: '511922105099' }, 'INVALID_REGION', ['input', 'villageCode']],
    ['an oversized name', { headName: '张'.repeat(51) }, 'TOO_LONG', ['input', 'headName']],
    ['zero members', { memberCount: 0 }, 'OUT_OF_RANGE', ['input', 'memberCount']],
    ['a future status date', { statusEffectiveOn: '2026-12-01' }, 'DATE_IN_FUTURE', ['input', 'statusEffectiveOn']],
  ] as [string, Record<string, unknown>, string, string[]][])('rejects %s and writes nothing', async (_l, overrides, code, field) => {
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql('clerk', HOUSEHOLD_REGISTER, { input: householdInput(2, overrides) });
    expect(body.data.householdRegister.household).toBeNull();
    expect(body.data.householdRegister.errors[0]).toMatchObject({ code, field });
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });

  it('rejects a duplicate ID number', async () => {
    await env.gql('clerk', HOUSEHOLD_REGISTER, { input: householdInput(3) });
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql('clerk', HOUSEHOLD_REGISTER, { input: householdInput(3, { headName: '另一户' }) });
    expect(body.data.householdRegister.errors[0].code).toBe('DUPLICATE');
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });

  it('rejects an impossible date at the scalar, before anything runs', async () => {
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql('clerk', HOUSEHOLD_REGISTER, { input: householdInput(4, { statusEffectiveOn: '2023-02-30' }) });
    expect(body.errors[0].message).toMatch(/real calendar date/);
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });
});

describe('householdUpdate and status history', () => {
  let nextN = 0;
  it('keeps status history with effective dates and answers statusOn', async () => {
    const h = (await env.gql('clerk', HOUSEHOLD_REGISTER, { input: householdInput(10) })).data.householdRegister.household;
    const body = await env.gql('clerk', UPDATE, {
      input: { householdId: h.id, status: 'MONITORED', statusEffectiveOn: '2024-03-01', reason: '因病返贫风险', memberCount: 4 },
    });
    expect(body.data.householdUpdate.errors).toEqual([]);
    expect(body.data.householdUpdate.household).toMatchObject({ status: 'MONITORED', memberCount: 4 });
    expect(body.data.householdUpdate.household.statusHistory).toEqual([
      { status: 'FORMERLY_POOR', effectiveOn: '2020-12-31', reason: 'registered' },
      { status: 'MONITORED', effectiveOn: '2024-03-01', reason: '因病返贫风险' },
    ]);
    const Q = `query($id: ID!) { household(id: $id) { a: statusOn(date: "2019-01-01") b: statusOn(date: "2023-12-31") c: statusOn(date: "2024-03-01") } }`;
    expect((await env.gql('finance', Q, { id: h.id })).data.household).toEqual({ a: null, b: 'FORMERLY_POOR', c: 'MONITORED' });
    const audit = await env.db('audit_log').where({ entity_type: 'Household', entity_id: gidNum(h.id), action: 'UPDATE' });
    expect(JSON.parse(audit[0].payload).before).toEqual({ headName: '测试户10', memberCount: 3, status: 'FORMERLY_POOR' });
  });

  it.each([
    ['a status change without a date', { status: 'ORDINARY' }, 'REQUIRED'],
    ['a status change dated before the last one', { status: 'ORDINARY', statusEffectiveOn: '2019-01-01' }, 'DATE_ORDER'],
    ['nothing to change', {}, 'INVALID_INPUT'],
    ['an unknown household', { householdId: 'Household:999999', memberCount: 2 }, 'NOT_FOUND'],
    ['an id of another type', { householdId: 'Asset:1', memberCount: 2 }, 'NOT_FOUND'],
  ] as [string, Record<string, unknown>, string][])('rejects %s and writes nothing', async (_l, overrides, code) => {
    const h = (await env.gql('clerk', HOUSEHOLD_REGISTER, { input: householdInput(20 + nextN++) })).data
      .householdRegister.household;
    const before = await snapshot(env.db, TABLES);
    const row = await env.db('households').where({ id: gidNum(h.id) }).first();
    const body = await env.gql('clerk', UPDATE, { input: { householdId: h.id, ...overrides } });
    expect(body.data.householdUpdate.errors[0].code).toBe(code);
    expect(await snapshot(env.db, TABLES)).toEqual(before);
    expect(await env.db('households').where({ id: gidNum(h.id) }).first()).toEqual(row);
  });
});

describe('personal data masking and lists', () => {
  it('shows full ID numbers to clerks and finance, masked to reviewers and planners', async () => {
    const h = (await env.gql('clerk', HOUSEHOLD_REGISTER, { input: householdInput(40) })).data.householdRegister.household;
    const full = householdInput(40).idNumber;
    const Q = `query($id: ID!) { household(id: $id) { idNumber } }`;
    expect((await env.gql('clerk', Q, { id: h.id })).data.household.idNumber).toBe(full);
    expect((await env.gql('finance', Q, { id: h.id })).data.household.idNumber).toBe(full);
    expect((await env.gql('reviewer', Q, { id: h.id })).data.household.idNumber).toBe(maskResidentId(full));
    expect((await env.gql('planner', Q, { id: h.id })).data.household.idNumber).toBe(maskResidentId(full));
    expect((await env.gql('otherClerk', Q, { id: h.id })).data.household).toBeNull();
  });

  it('lists households by region, status and name', async () => {
    const L = `query($f: HouseholdFilter) { households(filter: $f, first: 100) { totalCount nodes { headName status } } }`;
    const all = (await env.gql('finance', L, { f: { regionCode: V.chaping } })).data.households.totalCount;
    expect(all).toBeGreaterThan(3);
    const monitored = (await env.gql('finance', L, { f: { status: 'MONITORED' } })).data.households;
    expect(monitored.nodes.every((n: any) => n.status === 'MONITORED')).toBe(true);
    expect((await env.gql('finance', L, { f: { text: '测试户40' } })).data.households.totalCount).toBe(1);
    expect((await env.gql('otherClerk', L, {})).data.households.totalCount).toBe(0);
    expect((await env.gql('jiangeFinance', L, { f: { regionCode: V.chaping } })).data.households.totalCount).toBe(0);
  });
});
