/**
 * Issue 8, item 10: text hygiene. NUL, control, bidi-override, zero-width characters and lone surrogates
 * are refused (INVALID_TEXT) in names, codes and filters; names are stored in NFC; filters have a length
 * limit; an internal error never writes the whole request into the log. On both databases.
 */
import { setup, TestEnv, snapshot } from './helpers';
import { V } from '../seeds/demo-data';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env.close());

const REGISTER = `mutation($input: PartyRegisterInput!) { partyRegister(input: $input) { party { id name } errors { code field } } }`;
const ASSETS = `query($text: String) { assets(filter: { text: $text }) { totalCount } }`;
const PARTIES = `query($code: String) { parties(filter: { regionCode: $code }) { totalCount } }`;

const BAD: [string, string][] = [
  ['NUL', '罗\u0000建国'],
  ['a bell (C0 control)', '罗\u0007建国'],
  ['a C1 control', '罗\u0085建国'],
  ['a right-to-left override', '罗\u202E建国'],
  ['a left-to-right isolate', '罗\u2066建国'],
  ['a zero-width space', '罗\u200B建国'],
  ['a zero-width joiner', '罗\u200D建国'],
  ['a byte-order mark', '\uFEFF罗建国'],
  ['a lone high surrogate', '罗\uD800建国'],
  ['a lone low surrogate', '罗\uDC00建国'],
];

describe('names written through a mutation', () => {
  it.each(BAD)('refuse %s with INVALID_TEXT in the payload, writing nothing', async (_label, name) => {
    const before = await snapshot(env.db, ['parties', 'audit_log']);
    const body = await env.gql('clerk', REGISTER, { input: { kind: 'INDIVIDUAL', name, regionCode: V.chaping } });
    const codes = [...(body.errors ?? []).map((e: any) => e.extensions.code), ...(body.data?.partyRegister?.errors ?? []).map((e: any) => e.code)];
    expect(codes).toEqual(['INVALID_TEXT']);
    expect(await snapshot(env.db, ['parties', 'audit_log'])).toEqual(before);
  });

  it('the same characters written into the query text are refused too', async () => {
    const body = await env.gql('clerk', `mutation { partyRegister(input: { kind: INDIVIDUAL, name: "罗\\u0000建国", regionCode: "${V.chaping}" }) { errors { code } } }`);
    expect(body.errors?.[0]?.extensions.code ?? body.data.partyRegister.errors[0].code).toBe('INVALID_TEXT');
  });

  it('stores names in NFC and keeps tabs and line breaks legal', async () => {
    const body = await env.gql('clerk', REGISTER, { input: { kind: 'INDIVIDUAL', name: 'Jose\u0301 罗', regionCode: V.chaping } });
    expect(body.data.partyRegister.party.name).toBe('Jos\u00E9 罗');
  });
});

describe('filters and codes in reads', () => {
  it.each(BAD)('refuse %s in a text filter with INVALID_TEXT', async (_label, text) => {
    const body = await env.gql('finance', ASSETS, { text });
    expect(body.errors[0].extensions.code).toBe('INVALID_TEXT');
  });

  it.each(BAD)('refuse %s in a region code with INVALID_TEXT', async (_label, code) => {
    const body = await env.gql('finance', PARTIES, { code });
    expect(body.errors[0].extensions.code).toBe('INVALID_TEXT');
  });

  it.each([501, 50_000])('refuse a %i-character filter with TOO_LONG, and log no request value', async (n) => {
    const logged: string[] = [];
    const spies = (['error', 'warn', 'info', 'log'] as const).map((m) => jest.spyOn(console, m).mockImplementation((...a: unknown[]) => void logged.push(a.map(String).join(' '))));
    try {
      const body = await env.gql('finance', ASSETS, { text: '%_'.repeat(n / 2) + (n % 2 ? 'x' : '') });
      expect(body.errors[0].extensions.code).toBe('TOO_LONG');
      expect(logged.filter((l) => l.length > 300)).toEqual([]);
    } finally {
      spies.forEach((s) => s.mockRestore());
    }
  });

  it('a normal filter still works', async () => {
    expect((await env.gql('finance', ASSETS, { text: '茶' })).data.assets.totalCount).toBe(0);
  });
});
