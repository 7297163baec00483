/** assetRegister's optional history (issue 13): the county's own code and the day the asset was registered. */
import { setup, TestEnv, snapshot } from './helpers';
import { ASSET_REGISTER, assetInput, createProject } from './fixtures';

let env: TestEnv;
let projectId: string;
beforeAll(async () => {
  env = await setup();
  projectId = (await createProject(env)).id;
});
afterAll(() => env.close());

const small = (overrides: Record<string, unknown>) =>
  assetInput(projectId, { originalValue: '1000.00', fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '1000.00' }], ...overrides });
const TABLES = ['assets', 'asset_funding_lines', 'asset_events'];

describe('assetRegister with code and registeredOn', () => {
  it('keeps the county code and dates the REGISTER event on registeredOn', async () => {
    const body = await env.gql('clerk', ASSET_REGISTER, { input: small({ code: 'NJ-2019-007', registeredOn: '2021-12-01' }) });
    const { asset, errors } = body.data.assetRegister;
    expect(errors).toEqual([]);
    expect(asset.code).toBe('NJ-2019-007');
    expect(asset.events).toEqual([{ action: 'REGISTER', fromStatus: null, toStatus: 'REGISTERED', effectiveOn: '2021-12-01' }]);
  });

  it('refuses a code already used in the county, and a registeredOn in the future; nothing written', async () => {
    const before = await snapshot(env.db, TABLES);
    const dup = (await env.gql('clerk', ASSET_REGISTER, { input: small({ code: 'NJ-2019-007' }) })).data.assetRegister;
    expect(dup.errors).toEqual([expect.objectContaining({ code: 'DUPLICATE', field: ['input', 'code'] })]);
    const future = (await env.gql('clerk', ASSET_REGISTER, { input: small({ registeredOn: '2026-11-23' }) })).data.assetRegister;
    expect(future.errors).toEqual([expect.objectContaining({ code: 'DATE_IN_FUTURE', field: ['input', 'registeredOn'] })]);
    const spaced = (await env.gql('clerk', ASSET_REGISTER, { input: small({ code: 'NJ 01' }) })).data.assetRegister;
    expect(spaced.errors.map((e: any) => e.code)).toEqual(['INVALID_INPUT']);
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });

  it('generates a code past one an import already took', async () => {
    const taken = (await env.gql('clerk', ASSET_REGISTER, { input: small({ code: '511922-2021-JY-0001' }) })).data.assetRegister;
    expect(taken.errors).toEqual([]);
    const next = (await env.gql('clerk', ASSET_REGISTER, { input: small({}) })).data.assetRegister;
    expect(next.errors).toEqual([]);
    expect(next.asset.code).toBe('511922-2021-JY-0002');
    expect(next.asset.events[0].effectiveOn).toBe('2026-11-22');
  });
});
