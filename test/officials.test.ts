/**
 * 村干部名册 The register of village officials (issue 14): registration, end of term, validation with codes
 * (nothing written on a refusal), the audit trail, the role × scope read matrix and masked ID numbers.
 */
import { setup, TestEnv, snapshot, gidNum, TokenName } from './helpers';
import { HOUSEHOLD_REGISTER, householdInput } from './fixtures';
import { demoResidentId } from '../seeds/demo';
import { V } from '../seeds/demo-data';
import { relatedIndex, relatedOn } from '../src/modules/officials/officials.service';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env.close());

const TABLES = ['village_officials', 'audit_log'];
const REGISTER = `mutation($input: OfficialRegisterInput!) {
  officialRegister(input: $input) {
    official { id name role roleNote idNumber termStartOn termEndOn endReason village { code } household { id } party { id kind } user { id name } inOfficeOn(date: "2026-01-01") }
    errors { code field message }
  }
}`;
const END = `mutation($input: OfficialEndTermInput!) {
  officialEndTerm(input: $input) { official { id termEndOn endReason } errors { code field message } }
}`;
const LIST = `query($filter: VillageOfficialFilter) { villageOfficials(filter: $filter) { id name idNumber village { code } } }`;

const ID = demoResidentId('511922', 7001);
let householdGid: string;
let otherHouseholdGid: string;

async function household(token: TokenName, n: number, village: string): Promise<string> {
  const b = await env.gql(token, HOUSEHOLD_REGISTER, { input: householdInput(n, { villageCode: village }) });
  expect(b.data.householdRegister.errors).toEqual([]);
  return b.data.householdRegister.household.id;
}

const input = (o: Record<string, unknown> = {}) => ({
  villageCode: V.chaping,
  name: '陈书记',
  role: 'PARTY_SECRETARY',
  idNumber: ID,
  householdId: householdGid,
  termStartOn: '2021-01-15',
  ...o,
});

beforeAll(async () => {
  householdGid = await household('clerk', 701, V.chaping);
  otherHouseholdGid = await household('otherClerk', 702, V.jintai);
});

describe('officialRegister', () => {
  it('records an official with household, party and user links, and an audit entry without the ID number', async () => {
    const b = await env.gql('clerk', REGISTER, { input: input({ userId: `User:${env.userIds.clerk}` }) });
    expect(b.data.officialRegister.errors).toEqual([]);
    const o = b.data.officialRegister.official;
    expect(o).toMatchObject({ name: '陈书记', role: 'PARTY_SECRETARY', idNumber: ID, termStartOn: '2021-01-15', termEndOn: null, village: { code: V.chaping }, household: { id: householdGid }, user: { name: '茶坪村会计' }, inOfficeOn: true });
    const row = await env.db('village_officials').where({ id: gidNum(o.id) }).first();
    expect(row).toMatchObject({ village_code: V.chaping, role: 'PARTY_SECRETARY', household_id: gidNum(householdGid), user_id: env.userIds.clerk, created_by: env.userIds.clerk });
    const audit = await env.db('audit_log').where({ entity_type: 'VillageOfficial', entity_id: gidNum(o.id) });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'REGISTER', actor_user_id: env.userIds.clerk });
    expect(audit[0].payload).not.toContain(ID);
  });

  it('takes the household from a household party', async () => {
    const hh = await household('clerk', 703, V.chaping);
    const party = await env.gql('clerk', `query($id: ID!) { node(id: $id) { ... on Household { id } } }`, { id: hh });
    expect(party.data.node.id).toBe(hh);
    const { householdPartyOf } = await import('../src/modules/parties/parties.service');
    const p = await householdPartyOf(env.db, env.clock, gidNum(hh));
    const b = await env.gql('clerk', REGISTER, { input: input({ name: '陈主任', role: 'COMMITTEE_DIRECTOR', idNumber: null, householdId: null, partyId: `Party:${p.id}` }) });
    expect(b.data.officialRegister.errors).toEqual([]);
    expect(b.data.officialRegister.official).toMatchObject({ household: { id: hh }, party: { kind: 'HOUSEHOLD' } });
  });

  it.each([
    ['an end before the start', { termEndOn: '2020-12-31' }, 'DATE_ORDER', ['input', 'termEndOn']],
    ['a start in the future', { termStartOn: '2026-12-01' }, 'DATE_IN_FUTURE', ['input', 'termStartOn']],
    ['an unknown household', { householdId: 'Household:99999' }, 'NOT_FOUND', ['input', 'householdId']],
    ['a household of another village (not visible to the clerk)', () => ({ householdId: otherHouseholdGid }), 'NOT_FOUND', ['input', 'householdId']],
    ['a user whose region does not cover the village', () => ({ userId: `User:${env.userIds.otherClerk}` }), 'INVALID_REGION', ['input', 'userId']],
    ['an unknown user', { userId: 'User:99999' }, 'NOT_FOUND', ['input', 'userId']],
    ['a bad ID number', { idNumber: ID.slice(0, 17) + (ID[17] === '1' ? '2' : '1') }, 'INVALID_ID_NUMBER', ['input', 'idNumber']],
    ['OTHER without its name', { role: 'OTHER' }, 'REQUIRED', ['input', 'roleNote']],
    ['the same person in the same office over an overlapping term', { termStartOn: '2024-01-01' }, 'DUPLICATE', ['input', 'termStartOn']],
  ] as [string, Record<string, unknown> | (() => Record<string, unknown>), string, string[]][])('refuses %s and writes nothing', async (_l, o, code, field) => {
    const before = await snapshot(env.db, TABLES);
    const b = await env.gql('clerk', REGISTER, { input: input(typeof o === 'function' ? o() : o) });
    expect(b.data.officialRegister.official).toBeNull();
    expect(b.data.officialRegister.errors[0]).toMatchObject({ code, field });
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });

  it.each([
    ['a household of another village', { householdId: 'other' }, ['input', 'householdId']],
    ['a township as village', { villageCode: '511922105000', householdId: null }, ['input', 'villageCode']],
  ] as [string, Record<string, unknown>, string[]][])('ADMIN: %s is INVALID_REGION, nothing written', async (_l, o, field) => {
    const before = await snapshot(env.db, TABLES);
    const b = await env.gql('admin', REGISTER, { input: input({ name: '王委员', role: 'SUPERVISION_MEMBER', ...o, ...(o.householdId === 'other' ? { householdId: otherHouseholdGid } : {}) }) });
    expect(b.data.officialRegister.errors[0]).toMatchObject({ code: 'INVALID_REGION', field });
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });

  it.each([['otherClerk'], ['reviewer'], ['finance'], ['planner']] as [TokenName][])('%s may not register in 茶坪村 (FORBIDDEN, nothing written)', async (token) => {
    const before = await snapshot(env.db, TABLES);
    const b = await env.gql(token, REGISTER, { input: input({ name: '某某', householdId: null }) });
    expect(b.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });
});

describe('officialEndTerm', () => {
  let id: string;
  beforeAll(async () => {
    const b = await env.gql('clerk', REGISTER, { input: input({ name: '陈会计', role: 'ACCOUNTANT', idNumber: null, householdId: null, termStartOn: '2022-03-01' }) });
    id = b.data.officialRegister.official.id;
  });

  it.each([
    ['an end before the start', { termEndOn: '2022-02-28' }, 'DATE_ORDER'],
    ['an end in the future', { termEndOn: '2026-12-31' }, 'DATE_IN_FUTURE'],
  ] as [string, Record<string, unknown>, string][])('refuses %s', async (_l, o, code) => {
    const before = await snapshot(env.db, TABLES);
    const b = await env.gql('clerk', END, { input: { officialId: id, ...o } });
    expect(b.data.officialEndTerm.errors[0].code).toBe(code);
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });

  it('another village\'s clerk cannot see it (NOT_FOUND); a reviewer may not (FORBIDDEN)', async () => {
    const b = await env.gql('otherClerk', END, { input: { officialId: id, termEndOn: '2025-01-01' } });
    expect(b.data.officialEndTerm.errors[0].code).toBe('NOT_FOUND');
    const r = await env.gql('reviewer', END, { input: { officialId: id, termEndOn: '2025-01-01' } });
    expect(r.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('ends the term, keeps it in the audit log, and refuses to end it twice', async () => {
    const b = await env.gql('clerk', END, { input: { officialId: id, termEndOn: '2025-06-30', reason: '换届' } });
    expect(b.data.officialEndTerm.errors).toEqual([]);
    expect(b.data.officialEndTerm.official).toMatchObject({ termEndOn: '2025-06-30', endReason: '换届' });
    const audit = await env.db('audit_log').where({ entity_type: 'VillageOfficial', entity_id: gidNum(id), action: 'END_TERM' });
    expect(audit).toHaveLength(1);
    const before = await snapshot(env.db, TABLES);
    const again = await env.gql('clerk', END, { input: { officialId: id, termEndOn: '2025-07-30' } });
    expect(again.data.officialEndTerm.errors[0].code).toBe('ILLEGAL_TRANSITION');
    expect(await snapshot(env.db, TABLES)).toEqual(before);
    const list = await env.gql('clerk', LIST, { filter: { inOfficeOn: '2025-07-01' } });
    expect(list.data.villageOfficials.map((o: { id: string }) => o.id)).not.toContain(id);
    const earlier = await env.gql('clerk', LIST, { filter: { inOfficeOn: '2025-06-30' } });
    expect(earlier.data.villageOfficials.map((o: { id: string }) => o.id)).toContain(id);
  });
});

describe('villageOfficials: who sees what', () => {
  beforeAll(async () => {
    await env.gql('admin', REGISTER, { input: input({ villageCode: V.jintai, name: '金书记', householdId: otherHouseholdGid, idNumber: demoResidentId('511922', 7002) }) });
    await env.gql('admin', REGISTER, { input: input({ villageCode: V.hongyan, name: '红书记', householdId: null, idNumber: null }) });
    await env.gql('admin', REGISTER, { input: input({ villageCode: V.liangya, name: '亮书记', householdId: null, idNumber: null }) });
  });
  const villagesSeen = async (token: TokenName, regionCode?: string) =>
    [...new Set((await env.gql(token, LIST, { filter: regionCode ? { regionCode } : {} })).data.villageOfficials.map((o: { village: { code: string } }) => o.village.code))].sort();

  it.each([
    ['clerk', [V.chaping]],
    ['otherClerk', [V.jintai]],
    ['reviewer', [V.chaping, V.jintai].sort()],
    ['otherReviewer', [V.hongyan]],
    ['finance', [V.hongyan, V.chaping, V.jintai].sort()],
    ['planner', [V.hongyan, V.chaping, V.jintai].sort()],
    ['jiangeFinance', [V.liangya]],
    ['liangyaClerk', [V.liangya]],
    ['admin', [V.hongyan, V.chaping, V.jintai, V.liangya].sort()],
  ] as [TokenName, string[]][])('%s sees its own scope', async (token, villages) => {
    expect(await villagesSeen(token)).toEqual(villages);
  });

  it('a region outside the scope reads as an empty list; node() outside the scope is null', async () => {
    expect(await villagesSeen('clerk', V.jintai)).toEqual([]);
    expect(await villagesSeen('jiangeFinance', '511922000000')).toEqual([]);
    const [o] = (await env.gql('admin', LIST, { filter: { regionCode: V.jintai } })).data.villageOfficials;
    const q = `query($id: ID!) { node(id: $id) { ... on VillageOfficial { name } } }`;
    expect((await env.gql('clerk', q, { id: o.id })).data.node).toBeNull();
    expect((await env.gql('otherClerk', q, { id: o.id })).data.node).toEqual({ name: '金书记' });
  });

  it('ID numbers are masked for roles that do not handle personal data', async () => {
    const full = (await env.gql('finance', LIST, { filter: { regionCode: V.jintai } })).data.villageOfficials[0].idNumber;
    const masked = (await env.gql('reviewer', LIST, { filter: { regionCode: V.jintai } })).data.villageOfficials[0].idNumber;
    expect(full).toBe(demoResidentId('511922', 7002));
    expect(masked).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect(masked).not.toBe(full);
  });
});

describe('related parties (the register read by reports and disposal)', () => {
  it('relates a household and its party to an official only during the term', async () => {
    const { householdPartyOf } = await import('../src/modules/parties/parties.service');
    const p = await householdPartyOf(env.db, env.clock, gidNum(householdGid));
    const index = await relatedIndex(env.db, V.chaping);
    expect(relatedOn(index, { partyId: p.id }, '2023-01-01').map((o) => o.name)).toContain('陈书记');
    expect(relatedOn(index, { householdId: gidNum(householdGid) }, '2023-01-01').map((o) => o.name)).toContain('陈书记');
    expect(relatedOn(index, { partyId: p.id }, '2020-12-31')).toEqual([]);
    expect(relatedOn(index, { householdId: gidNum(otherHouseholdGid) }, '2023-01-01')).toEqual([]);
  });
});
