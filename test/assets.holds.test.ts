/**
 * Asset holds (issue 9): one arrangement at a time. Overlapping ranges are refused with ASSET_HELD naming
 * the holder, a pledge may stand beside a running lease, releasing restores the status the hold replaced,
 * and a refused hold writes nothing. Exercised through the assets module's functions, as bundles, disposal
 * and pledges call them, and through contracts on the API.
 */
import { setup, TestEnv, snapshot, gidNum } from './helpers';
import { handedOverAsset, signContract, CONTRACT_SIGN, contractInput } from './fixtures';
import { acquireHold, holdsOn, releaseHold } from '../src/modules/assets/assets.holds';
import { requireAsset } from '../src/modules/assets/assets.service';
import type { HoldKind } from '../src/modules/assets/assets.types';
import { DomainError } from '../src/shared/errors';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env.close());

const TABLES = ['asset_holds', 'asset_events', 'assets'];

/** Runs a hold operation as the clerk in one transaction, like a mutation; returns the DomainError code if refused. */
async function asClerk<T>(work: (svc: ReturnType<TestEnv['svc']>) => Promise<T>): Promise<T | string> {
  try {
    return await env.db.transaction((trx) => work(env.svc('clerk', trx)));
  } catch (err) {
    if (err instanceof DomainError) return `${err.code}: ${err.message}`;
    throw err;
  }
}

const hold = (assetId: number, kind: HoldKind, holderId: number, startOn: string, endOn: string | null, step?: 'BUNDLE' | 'REQUEST_DISPOSAL') =>
  asClerk(async (svc) => acquireHold(svc, await requireAsset(svc, assetId), { kind, holderId, holderLabel: `${kind}-${holderId}`, startOn, endOn, step }));

describe('acquire', () => {
  it('refuses an overlapping hold of any kind, naming the holder, and writes nothing', async () => {
    const asset = await handedOverAsset(env);
    const id = gidNum(asset.id);
    const c = await signContract(env, asset.id, { startOn: '2027-01-01', endOn: '2029-12-31', signedOn: '2026-11-01' });
    // A contract starting next year already blocks a venture that would run into that year.
    for (const kind of ['BUNDLE', 'DISPOSAL', 'CONTRACT'] as HoldKind[]) {
      const before = await snapshot(env.db, TABLES);
      const refused = await hold(id, kind, 900, '2026-11-01', null);
      expect(refused).toMatch(new RegExp(`^ASSET_HELD: .*${c.contractNo}.*2027-01-01 to 2029-12-31`));
      expect(await snapshot(env.db, TABLES)).toEqual(before);
    }
    // Before the contract begins, a hold that ends in time is free to take.
    expect(typeof (await hold(id, 'PLEDGE', 901, '2026-11-01', '2026-12-31'))).toBe('object');
  });

  it('lets a pledge stand beside a running lease, but nothing new beside a pledge', async () => {
    const asset = await handedOverAsset(env);
    const id = gidNum(asset.id);
    await signContract(env, asset.id);
    expect(typeof (await hold(id, 'PLEDGE', 910, '2026-01-01', null))).toBe('object');
    // After the lease ends, the pledge alone still blocks a new lease or a venture.
    expect(await hold(id, 'BUNDLE', 911, '2032-01-01', null)).toMatch(/^ASSET_HELD: .*pledge 抵押 PLEDGE-910/);
    const lease = await env.gql('clerk', CONTRACT_SIGN, { input: contractInput(asset.id, { signedOn: '2026-11-01', startOn: '2032-01-01', endOn: '2035-12-31' }) });
    expect(lease.data.contractSign.errors[0]).toMatchObject({ code: 'ASSET_HELD', field: ['input', 'startOn'] });
    expect(lease.data.contractSign.errors[0].message).toMatch(/PLEDGE-910/);
  });
});

describe('release', () => {
  it('a bundle hold moves the asset to BUNDLED and its release restores the status before', async () => {
    const asset = await handedOverAsset(env);
    const id = gidNum(asset.id);
    const taken = await hold(id, 'BUNDLE', 920, '2026-01-01', null, 'BUNDLE');
    expect(taken).toMatchObject({ asset: { status: 'BUNDLED' }, hold: { statusBefore: 'HANDED_OVER' } });
    expect(await hold(id, 'DISPOSAL', 921, '2026-02-01', null, 'REQUEST_DISPOSAL')).toMatch(/^ASSET_HELD/);
    const released = await asClerk(async (svc) =>
      releaseHold(svc, await requireAsset(svc, id), 'BUNDLE', 920, { releasedOn: '2026-06-30', reason: '退出联营', step: 'UNBUNDLE' }),
    );
    expect(released).toMatchObject({ asset: { status: 'HANDED_OVER' }, hold: { releasedOn: '2026-06-30' } });
    const events = await env.db('asset_events').where({ asset_id: id }).whereIn('action', ['BUNDLE', 'UNBUNDLE']).orderBy('id');
    expect(events.map((e: any) => [e.action, e.from_status, e.to_status, e.effective_on])).toEqual([
      ['BUNDLE', 'HANDED_OVER', 'BUNDLED', '2026-01-01'],
      ['UNBUNDLE', 'BUNDLED', 'HANDED_OVER', '2026-06-30'],
    ]);
    // Held up to the day before its release; free from that day.
    const on = (d: string) => asClerk(async (svc) => (await holdsOn(svc, await requireAsset(svc, id), d)).map((h) => h.kind));
    expect(await on('2026-06-29')).toEqual(['BUNDLE']);
    expect(await on('2026-06-30')).toEqual([]);
    expect(typeof (await hold(id, 'DISPOSAL', 922, '2026-06-30', null, 'REQUEST_DISPOSAL'))).toBe('object');
  });

  it('refuses a second release and writes nothing', async () => {
    const asset = await handedOverAsset(env);
    const id = gidNum(asset.id);
    await hold(id, 'PLEDGE', 930, '2026-01-01', null);
    const rel = () => asClerk(async (svc) => releaseHold(svc, await requireAsset(svc, id), 'PLEDGE', 930, { releasedOn: '2026-03-01', reason: '还清贷款' }));
    expect(typeof (await rel())).toBe('object');
    const before = await snapshot(env.db, TABLES);
    expect(await rel()).toMatch(/^ILLEGAL_TRANSITION/);
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });
});

describe('contracts use holds', () => {
  it('signing acquires, renewing extends, terminating releases; the card shows them', async () => {
    const asset = await handedOverAsset(env);
    const c = await signContract(env, asset.id);
    const TERMINATE = `mutation($input: ContractTerminateInput!) { contractTerminate(input: $input) { errors { code } } }`;
    expect((await env.gql('clerk', TERMINATE, { input: { contractId: c.id, terminatedOn: '2026-05-01', reason: '经营不善' } })).data.contractTerminate.errors).toEqual([]);
    const card = await env.gql('finance', `query($id: ID!) { asset(id: $id) {
      holds { kind holderLabel holderId startOn endOn releasedOn releaseReason }
      before: holdsOn(date: "2026-04-30") { kind } after: holdsOn(date: "2026-05-01") { kind } } }`, { id: asset.id });
    expect(card.data.asset).toEqual({
      holds: [{ kind: 'CONTRACT', holderLabel: c.contractNo, holderId: c.id, startOn: '2022-01-01', endOn: '2031-12-31', releasedOn: '2026-05-01', releaseReason: '经营不善' }],
      before: [{ kind: 'CONTRACT' }],
      after: [],
    });
  });
});
