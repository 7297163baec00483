import fc from 'fast-check';
import { setup, TestEnv, snapshot, count, gidNum } from './helpers';
import { CREDIT_CODE_ALPHABET, creditCodeCheckChar, isValidCreditCode } from '../src/modules/parties/creditCode';
import { V, YUNDING } from '../seeds/demo-data';
import { withCheck } from '../seeds/demo-rights';

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts the standard example and real codes', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true); // GB 32100-2015's own example
    expect(isValidCreditCode('91440300708461136T')).toBe(true);
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
  });

  it('rejects a wrong check character, bad format and letters outside the alphabet', () => {
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false); // 17 characters
    expect(isValidCreditCode('91350100M000100Y433')).toBe(false);
    expect(isValidCreditCode('9135010OM000100Y43')).toBe(false); // letter O in the division code
    expect(isValidCreditCode('91350100I000100Y43')).toBe(false); // I is not in the alphabet
    expect(isValidCreditCode('91350100m000100y43')).toBe(false); // upper case only (the service normalises)
    expect(() => creditCodeCheckChar('91350100S000100Y4')).toThrow();
  });

  it('detects every single-character substitution (weights are units mod 31)', () => {
    const char = fc.constantFrom(...CREDIT_CODE_ALPHABET.split(''));
    const digit = fc.constantFrom(...'0123456789'.split(''));
    const first17 = fc
      .tuple(fc.array(char, { minLength: 2, maxLength: 2 }), fc.array(digit, { minLength: 6, maxLength: 6 }), fc.array(char, { minLength: 9, maxLength: 9 }))
      .map(([a, b, c]) => [...a, ...b, ...c].join(''));
    fc.assert(
      fc.property(first17, fc.nat(17), char, (body, pos, replacement) => {
        const code = withCheck(body);
        expect(isValidCreditCode(code)).toBe(true);
        const changed = code.slice(0, pos) + replacement + code.slice(pos + 1);
        if (changed !== code && /^\d{6}$/.test(changed.slice(2, 8))) expect(isValidCreditCode(changed)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

const REGISTER = `mutation($input: PartyRegisterInput!) {
  partyRegister(input: $input) { party { id kind name creditCode region { code name } } errors { code field message } }
}`;
const TABLES = ['parties', 'audit_log'];

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env.close());

const company = (overrides: Record<string, unknown> = {}) => ({
  kind: 'COMPANY',
  name: '南江县云顶农业发展有限公司',
  regionCode: '511922000000',
  creditCode: withCheck('91511922MA6BQ8W21'),
  ...overrides,
});

describe('partyRegister', () => {
  it('registers a county company from the county planner, normalising the credit code, with an audit entry', async () => {
    const code = withCheck('91511922MA6QQQQQ1');
    const body = await env.gql('planner', REGISTER, { input: company({ name: '测试公司甲', creditCode: ` ${code.toLowerCase()} ` }) });
    const { party, errors } = body.data.partyRegister;
    expect(errors).toEqual([]);
    expect(party).toMatchObject({ kind: 'COMPANY', name: '测试公司甲', creditCode: code, region: { code: '511922000000', name: '南江县' } });
    const row = await env.db('parties').where({ id: gidNum(party.id) }).first();
    expect(row).toMatchObject({ kind: 'COMPANY', credit_code: code, region_code: '511922000000' });
    expect(await count(env.db, 'audit_log', { entity_type: 'Party', entity_id: row.id, action: 'REGISTER' })).toBe(1);
  });

  it('registers a township government (planner), a cooperative and an individual (the village clerk)', async () => {
    for (const [token, input] of [
      ['planner', { kind: 'TOWNSHIP', name: '云顶镇人民政府', regionCode: YUNDING }],
      ['clerk', { kind: 'COOPERATIVE', name: '茶坪村茶叶专业合作社', regionCode: V.chaping, creditCode: withCheck('93511922MA6C1P4R8') }],
      ['clerk', { kind: 'INDIVIDUAL', name: '罗建国', regionCode: V.chaping }],
    ] as const) {
      const body = await env.gql(token, REGISTER, { input });
      expect(body.data.partyRegister.errors).toEqual([]);
    }
  });

  const rejections: [string, Record<string, unknown>, string, string[]][] = [
    ['a wrong check character', { creditCode: '91511922MA6BQ8W210' }, 'INVALID_CREDIT_CODE', ['input', 'creditCode']],
    ['a code with a forbidden letter', { creditCode: '91511922MA6BQ8WO1X' }, 'INVALID_CREDIT_CODE', ['input', 'creditCode']],
    ['a company without a code', { creditCode: null }, 'REQUIRED', ['input', 'creditCode']],
    ['an individual with a code', { kind: 'INDIVIDUAL', regionCode: V.chaping }, 'INVALID_INPUT', ['input', 'creditCode']],
    ['a household (registered with its household)', { kind: 'HOUSEHOLD', creditCode: null }, 'INVALID_INPUT', ['input', 'kind']],
    ['a township at village level', { kind: 'TOWNSHIP', regionCode: V.chaping, creditCode: null }, 'INVALID_REGION', ['input', 'regionCode']],
    ['a county body at township level', { kind: 'COUNTY_BODY', regionCode: YUNDING, creditCode: null }, 'INVALID_REGION', ['input', 'regionCode']],
    ['a region of another county', { regionCode: '510823000000' }, 'INVALID_REGION', ['input', 'regionCode']],
    // Issue 8: a clerk writes parties of its own village only, not of the county or province above it.
    ['a county company, from a village clerk', { regionCode: '511922000000' }, 'INVALID_REGION', ['input', 'regionCode']],
    ['a province company, from a village clerk', { regionCode: '510000000000' }, 'INVALID_REGION', ['input', 'regionCode']],
    ['the township government, from a village clerk', { kind: 'TOWNSHIP', regionCode: YUNDING, creditCode: null }, 'INVALID_REGION', ['input', 'regionCode']],
    ['a neighbouring village', { kind: 'COOPERATIVE', regionCode: V.jintai }, 'INVALID_REGION', ['input', 'regionCode']],
    ['another village\'s collective', { kind: 'VILLAGE_COLLECTIVE', regionCode: V.jintai, creditCode: null }, 'INVALID_REGION', ['input', 'regionCode']],
    ['an empty name', { name: '  ' }, 'REQUIRED', ['input', 'name']],
  ];

  it.each(rejections)('rejects %s with a code and writes nothing', async (_label, overrides, code, field) => {
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql('clerk', REGISTER, { input: company({ regionCode: V.chaping, ...overrides }) });
    expect(body.data.partyRegister.party).toBeNull();
    expect(body.data.partyRegister.errors[0]).toMatchObject({ code, field });
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });

  it('rejects a duplicate credit code and a second government of a township', async () => {
    const first = await env.gql('planner', REGISTER, { input: company() });
    expect(first.data.partyRegister.errors).toEqual([]);
    const before = await snapshot(env.db, TABLES);
    const again = await env.gql('planner', REGISTER, { input: company({ name: '另一家公司' }) });
    expect(again.data.partyRegister.errors[0]).toMatchObject({ code: 'DUPLICATE', field: ['input', 'creditCode'] });
    const township = await env.gql('planner', REGISTER, { input: { kind: 'TOWNSHIP', name: '云顶镇政府', regionCode: YUNDING } });
    expect(township.data.partyRegister.errors[0].code).toBe('DUPLICATE');
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });

  it.each(['finance', 'reviewer'] as const)('refuses a %s (FORBIDDEN, nothing written)', async (token) => {
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql(token, REGISTER, { input: company({ name: `${token}公司`, creditCode: withCheck('91511922MA6YYYYY9') }) });
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });
});

describe('party reads', () => {
  const LIST = `query($filter: PartyFilter) { parties(filter: $filter, first: 100) { totalCount nodes { name kind region { code } } } }`;

  it('shows a clerk its village, the county organisations and the regions above it — not other villages\' people', async () => {
    await env.gql('otherClerk', REGISTER, { input: { kind: 'INDIVIDUAL', name: '金台村个人', regionCode: V.jintai } });
    await env.gql('otherClerk', REGISTER, {
      input: { kind: 'COOPERATIVE', name: '金台村合作社', regionCode: V.jintai, creditCode: withCheck('93511922MA6JT0001') },
    });
    const names = (token: 'clerk' | 'otherClerk' | 'finance' | 'jiangeFinance') =>
      env.gql(token, LIST, {}).then((b) => b.data.parties.nodes.map((n: any) => n.name));
    const clerk = await names('clerk');
    expect(clerk).toEqual(expect.arrayContaining(['南江县云顶农业发展有限公司', '云顶镇人民政府', '罗建国', '金台村合作社']));
    expect(clerk).not.toContain('金台村个人');
    expect(await names('otherClerk')).not.toContain('罗建国');
    expect(await names('finance')).toEqual(expect.arrayContaining(['金台村个人', '罗建国']));
    expect(await names('jiangeFinance')).toEqual(['亮垭村股份经济合作社']); // its own county's village only
    const coops = await env.gql('finance', LIST, { filter: { kind: 'COOPERATIVE' } });
    expect(coops.data.parties.nodes.every((n: any) => n.kind === 'COOPERATIVE')).toBe(true);
  });

  it('returns null for a party out of scope, by id and by node', async () => {
    const person = await env.db('parties').where({ name: '金台村个人' }).first();
    const q = `query($id: ID!) { party(id: $id) { name } node(id: $id) { id } }`;
    expect((await env.gql('clerk', q, { id: `Party:${person.id}` })).data).toEqual({ party: null, node: null });
    expect((await env.gql('otherClerk', q, { id: `Party:${person.id}` })).data.party).toEqual({ name: '金台村个人' });
  });
});
