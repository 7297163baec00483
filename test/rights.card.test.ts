import { setup, TestEnv, countQueries } from './helpers';
import { confirmInput, createProject, registerAsset, signContract, step, STEP } from './fixtures';
import { V } from '../seeds/demo-data';
import { withCheck } from '../seeds/demo-rights';

const CARD_FIELDS = `
  id code name status
  owners { shareBp sharePercent party { name kind creditCode } }
  rights { rightsLevel certificateNo owners { shareBp party { name } } actor { name } }
  handoverDeed { deedNo transferor witness recipient { name } actor { name } }
  upkeep { personName fundSource body { name } }
  upkeepRecords { kind cost }
  currentContract { contractNo mode state operator { name creditCode } fee { kind annualAmount } guaranteedAnnualReturn
                    versions { version kind fee { annualAmount } actor { name } } }
  contracts { contractNo state version decisions { kind party { name } } documents { title } }
  documents { title sha256 event { action } contract { contractNo } }
  events { action effectiveOn actor { name } }`;

const PAGE = `query($first: Int) { assets(first: $first, filter: { class: OPERATING }) { nodes { ${CARD_FIELDS} } } }`;

let env: TestEnv;
let firstAssetId: string;
beforeAll(async () => {
  env = await setup();
  const project = await createProject(env, {
    fundingLines: [
      { source: 'CENTRAL_TRANSITION', amount: '90000000.00' },
      { source: 'VILLAGE_SELF_FUNDED', amount: '9000000.00' },
    ],
  });
  const company = await env.gql('planner', `mutation($input: PartyRegisterInput!) { partyRegister(input: $input) { party { id } } }`, {
    input: { kind: 'COMPANY', name: '南江县云顶农业发展有限公司', regionCode: '511922000000', creditCode: withCheck('91511922MA6BQ8W21') },
  });
  const companyId = company.data.partyRegister.party.id;
  // 24 operating assets, each jointly owned, handed over, kept, leased, amended and documented.
  for (let i = 0; i < 24; i++) {
    const asset = await registerAsset(env, project.id, { name: `资产${i}` });
    if (i === 0) firstAssetId = asset.id;
    await env.gql('clerk', STEP('rightsConfirm'), {
      input: confirmInput(asset.id, '2021-11-10', { owners: [{ villageCode: V.chaping, shareBp: 7000 }, { villageCode: V.jintai, shareBp: 3000 }] }),
    });
    await step(env, 'assetHandOver', asset.id, '2021-11-20');
    await env.gql('clerk', `mutation($input: UpkeepAssignInput!) { upkeepAssign(input: $input) { errors { code } } }`, {
      input: { assetId: asset.id, body: { villageCode: V.chaping }, personName: `管护员${i}`, fundSource: 'ASSET_INCOME', effectiveFrom: '2021-11-25' },
    });
    const c = await signContract(env, asset.id, {
      mode: 'LEASE',
      operator: { partyId: companyId },
      fee: { kind: 'FIXED', amount: '10000.00', period: 'YEAR' },
      guaranteedRateBp: 500,
      decisions: [{ kind: 'TOWNSHIP_FILING', reference: `云顶镇备${i}`, decidedOn: '2021-12-01' }],
    });
    await env.gql('clerk', `mutation($input: ContractAmendInput!) { contractAmend(input: $input) { errors { code } } }`, {
      input: { contractId: c.id, signedOn: '2023-12-20', effectiveFrom: '2024-01-01', fee: { kind: 'FIXED', amount: '12000.00', period: 'YEAR' }, reason: '调租' },
    });
    await env.gql('clerk', `mutation($input: UpkeepRecordInput!) { upkeepRecord(input: $input) { errors { code } } }`, {
      input: { assetId: asset.id, kind: 'INSPECTION', doneOn: '2025-05-01', cost: '0.00' },
    });
    await env.gql('clerk', `mutation($input: DocumentAttachInput!) { documentAttach(input: $input) { errors { code } } }`, {
      input: { assetId: asset.id, contractId: c.id, kind: 'CONTRACT', title: `租赁合同${i}`, fileName: 'c.pdf', sha256: 'c'.repeat(64), sizeBytes: 10, documentOn: '2021-12-15' },
    });
  }
});
afterAll(() => env.close());

describe('the asset card', () => {
  it('returns owners, rights, deed, keeper, contracts with versions, documents and events in one query', async () => {
    const body = await env.gql('finance', `query($id: ID!) { asset(id: $id) { ${CARD_FIELDS} } }`, { id: firstAssetId });
    expect(body.errors).toBeUndefined();
    const a = body.data.asset;
    expect(a.status).toBe('IN_OPERATION');
    expect(a.owners).toEqual([
      { shareBp: 7000, sharePercent: '70.00', party: { name: '茶坪村股份经济合作社', kind: 'VILLAGE_COLLECTIVE', creditCode: null } },
      { shareBp: 3000, sharePercent: '30.00', party: { name: '金台村股份经济合作社', kind: 'VILLAGE_COLLECTIVE', creditCode: null } },
    ]);
    expect(a.rights).toMatchObject({ rightsLevel: 'VILLAGE', certificateNo: '南江资确〔2021〕0001号', actor: { name: '茶坪村会计' } });
    expect(a.handoverDeed).toMatchObject({ deedNo: '南江资移〔2021〕0001号', recipient: { name: '茶坪村股份经济合作社' } });
    expect(a.upkeep).toEqual({ personName: '管护员0', fundSource: 'ASSET_INCOME', body: { name: '茶坪村股份经济合作社' } });
    expect(a.currentContract).toMatchObject({
      mode: 'LEASE',
      state: 'ACTIVE',
      operator: { name: '南江县云顶农业发展有限公司', creditCode: withCheck('91511922MA6BQ8W21') },
      fee: { kind: 'FIXED', annualAmount: '12000.00' },
      guaranteedAnnualReturn: '30000.00',
      versions: [
        { version: 1, kind: 'ORIGINAL', fee: { annualAmount: '10000.00' }, actor: { name: '茶坪村会计' } },
        { version: 2, kind: 'AMENDMENT', fee: { annualAmount: '12000.00' }, actor: { name: '茶坪村会计' } },
      ],
    });
    expect(a.contracts).toHaveLength(1);
    expect(a.contracts[0].decisions).toEqual([{ kind: 'TOWNSHIP_FILING', party: null }]);
    expect(a.contracts[0].documents).toEqual([{ title: '租赁合同0' }]);
    expect(a.documents).toEqual([{ title: '租赁合同0', sha256: 'c'.repeat(64), event: null, contract: { contractNo: a.currentContract.contractNo } }]);
    expect(a.events.map((e: any) => e.action)).toEqual([
      'REGISTER',
      'CONFIRM_RIGHTS',
      'HAND_OVER',
      'UPKEEP_ASSIGN',
      'CONTRACT_SIGN',
      'START_OPERATION',
      'CONTRACT_AMEND',
      'UPKEEP_RECORD',
      'DOCUMENT_ATTACH',
    ]);
  });

  it('is null out of scope, for a clerk of another village and another county', async () => {
    for (const token of ['otherClerk', 'jiangeFinance'] as const) {
      expect((await env.gql(token, `query($id: ID!) { asset(id: $id) { id owners { shareBp } } }`, { id: firstAssetId })).data.asset).toBeNull();
    }
  });

  it('loads a page of assets with all of it in a constant number of queries (no N+1)', async () => {
    const run = (first: number) => countQueries(env.db, () => env.gql('finance', PAGE, { first }));
    const small = await run(3);
    const large = await run(24);
    expect(small.result.errors).toBeUndefined();
    expect(large.result.errors).toBeUndefined();
    expect(large.result.data.assets.nodes).toHaveLength(24);
    expect(large.result.data.assets.nodes[23].currentContract.versions).toHaveLength(2);
    expect(large.queries).toBe(small.queries);
    // auth + page + one batch per loader touched (owners, rights, deed, upkeep, records, contracts, versions,
    // decisions, documents, events, parties, users, assets, …): bounded whatever the page size.
    expect(large.queries).toBeLessThanOrEqual(20);
  });
});
