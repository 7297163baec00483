import { setup, TestEnv, snapshot, gidNum } from './helpers';
import { PROJECT_CREATE } from './fixtures';
import { formatFen, parseYuan, MAX_FEN } from '../src/shared/money';
import { isValidDate } from '../src/shared/dates';
import { V } from '../seeds/demo-data';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env.close());

const TABLES = ['projects', 'project_funding_lines', 'audit_log'];
const input = (overrides: Record<string, unknown> = {}) => ({
  name: '茶坪村产业路',
  year: 2020,
  implementingUnit: '南江县交通运输局',
  regionCode: V.chaping,
  fundingLines: [
    { source: 'CENTRAL_TRANSITION', amount: '950000.00' },
    { source: 'WORK_RELIEF', level: 'CENTRAL', amount: '400000.50' },
  ],
  ...overrides,
});

describe('projectCreate', () => {
  it('creates a project whose total is the exact sum of its funding lines, with implied levels and an audit entry', async () => {
    const body = await env.gql('clerk', PROJECT_CREATE, { input: input() });
    const { project, errors } = body.data.projectCreate;
    expect(errors).toEqual([]);
    expect(project.total).toBe('1350000.50');
    expect(project.fundingLines).toEqual([
      { source: 'CENTRAL_TRANSITION', level: 'CENTRAL', amount: '950000.00' },
      { source: 'WORK_RELIEF', level: 'CENTRAL', amount: '400000.50' },
    ]);
    const row = await env.db('projects').where({ id: gidNum(project.id) }).first();
    expect(row).toMatchObject({ total_fen: 135_000_050, county_code: '511922000000', region_code: V.chaping });
    expect(await env.db('audit_log').where({ entity_type: 'Project', entity_id: gidNum(project.id), action: 'CREATE' })).toHaveLength(1);
  });

  it.each([
    ['no funding line', { fundingLines: [] }, 'REQUIRED'],
    ['a year before 2012', { year: 2011 }, 'OUT_OF_RANGE'],
    ['a future year', { year: 2027 }, 'OUT_OF_RANGE'],
    ['a level contradicting the source', { fundingLines: [{ source: 'CENTRAL_TRANSITION', level: 'COUNTY', amount: '1.00' }] }, 'INVALID_INPUT'],
    ['a zero amount', { fundingLines: [{ source: 'OTHER', amount: '0.00' }] }, 'INVALID_AMOUNT'],
    ['an unknown region', { regionCode: '999999999999' }, 'INVALID_REGION'],
    ['a province', { regionCode: '510000000000' }, 'INVALID_REGION'],
    ['an oversized unit name', { implementingUnit: 'x'.repeat(201) }, 'TOO_LONG'],
    ['lines summing beyond 2^53 fen', { fundingLines: [{ source: 'OTHER', amount: '90071992547409.91' }, { source: 'CREDIT', amount: '90071992547409.91' }] }, 'INVALID_AMOUNT'],
  ] as [string, Record<string, unknown>, string][])('rejects %s and writes nothing', async (_l, overrides, code) => {
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql('admin', PROJECT_CREATE, { input: input(overrides) });
    expect(body.data.projectCreate.project).toBeNull();
    expect(body.data.projectCreate.errors.map((e: any) => e.code)).toContain(code);
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });

  it('lets a village see a county project that may form its assets, and lists by year and source', async () => {
    const county = (await env.gql('planner', PROJECT_CREATE, { input: input({ regionCode: '511922000000', year: 2019, name: '全县道路' }) }))
      .data.projectCreate.project;
    const seen = await env.gql('clerk', `query($id: ID!) { project(id: $id) { name region { name } } }`, { id: county.id });
    expect(seen.data.project).toEqual({ name: '全县道路', region: { name: '南江县' } });
    const L = `query($f: ProjectFilter) { projects(filter: $f) { totalCount } }`;
    expect((await env.gql('finance', L, { f: { year: 2019 } })).data.projects.totalCount).toBe(1);
    expect((await env.gql('finance', L, { f: { fundSource: 'WORK_RELIEF' } })).data.projects.totalCount).toBeGreaterThanOrEqual(2);
    expect((await env.gql('finance', L, { f: { text: '全县' } })).data.projects.totalCount).toBe(1);
    expect((await env.gql('jiangeFinance', L, {})).data.projects.totalCount).toBe(0);
  });
});

describe('Money scalar', () => {
  it('parses decimal yuan strings exactly into fen', () => {
    expect(parseYuan('0')).toBe(0);
    expect(parseYuan('0.1')).toBe(10);
    expect(parseYuan('12000000.00')).toBe(1_200_000_000);
    expect(parseYuan('-5.05')).toBe(-505);
    expect(parseYuan('90071992547409.91')).toBe(MAX_FEN);
    expect(formatFen(MAX_FEN)).toBe('90071992547409.91');
    expect(formatFen(-505)).toBe('-5.05');
    expect(formatFen(7)).toBe('0.07');
  });

  it.each(['1.001', '1e3', 'NaN', 'Infinity', '01.00', '1.', '.5', ' 1.00', '1,000.00', '90071992547409.92', '', '+1'])(
    'rejects %j',
    (text) => expect(() => parseYuan(text)).toThrow(),
  );

  it.each([
    ['a JSON number', 12.5],
    ['three decimals', '100.001'],
    ['an exponent', '1e6'],
    ['beyond 2^53 fen', '99999999999999999.00'],
  ])('rejects %s at the API with a top-level error and writes nothing', async (_l, amount) => {
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql('clerk', PROJECT_CREATE, { input: input({ fundingLines: [{ source: 'OTHER', amount }] }) });
    expect(body.data).toBeUndefined();
    expect(body.errors[0].message).toMatch(/Money/);
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });
});

describe('Date and DateTime scalars', () => {
  it('accepts only real calendar dates', () => {
    expect(isValidDate('2024-02-29')).toBe(true);
    for (const bad of ['2023-02-29', '2023-02-30', '2023-13-01', '2023-1-01', '20230101', '2023-01-01T00:00:00Z', '']) {
      expect(isValidDate(bad)).toBe(false);
    }
  });

  it('rejects an impossible date in a variable and in a literal', async () => {
    const v = await env.gql('finance', `query($d: Date!) { household(id: "Household:1") { statusOn(date: $d) } }`, { d: '2023-02-30' });
    expect(v.errors[0].message).toMatch(/real calendar date/);
    const l = await env.gql('finance', `{ household(id: "Household:1") { statusOn(date: "2023-02-30") } }`);
    expect(l.errors[0].message).toMatch(/real calendar date/);
  });

  it('returns timestamps as ISO 8601 UTC', async () => {
    const body = await env.gql('clerk', PROJECT_CREATE, { input: input() });
    const p = await env.gql('clerk', `query($id: ID!) { project(id: $id) { createdAt } }`, { id: body.data.projectCreate.project.id });
    expect(p.data.project.createdAt).toBe('2026-11-22T02:00:00.000Z');
  });
});
