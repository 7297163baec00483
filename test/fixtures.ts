/** Builders for common test data, going through the API so that tests exercise the real path. */
import type { TestEnv, TokenName } from './helpers';
import { V } from '../seeds/demo-data';
import { demoResidentId } from '../seeds/demo';

export const PROJECT_CREATE = `mutation($input: ProjectCreateInput!) {
  projectCreate(input: $input) { project { id name year total fundingLines { source level amount } } errors { code field message } }
}`;

export const ASSET_REGISTER = `mutation($input: AssetRegisterInput!) {
  assetRegister(input: $input) {
    asset { id code name class subType status originalValue year village { code name } project { id }
            fundingLines { source amount } completedOn acceptedOn bookedOn events { action fromStatus toStatus effectiveOn } }
    errors { code field message }
  }
}`;

export async function createProject(env: TestEnv, overrides: Record<string, unknown> = {}, token: TokenName = 'clerk') {
  const body = await env.gql(token, PROJECT_CREATE, {
    input: {
      name: '茶坪村茶叶加工项目',
      year: 2021,
      implementingUnit: '南江县农业农村局',
      regionCode: V.chaping,
      fundingLines: [
        { source: 'CENTRAL_TRANSITION', amount: '800000.00' },
        { source: 'VILLAGE_SELF_FUNDED', amount: '200000.00' },
      ],
      ...overrides,
    },
  });
  if (!body.data?.projectCreate?.project) throw new Error(`projectCreate failed: ${JSON.stringify(body)}`);
  return body.data.projectCreate.project as { id: string; name: string; year: number; total: string };
}

export function assetInput(projectId: string, overrides: Record<string, unknown> = {}) {
  return {
    projectId,
    name: '茶叶加工厂房',
    class: 'OPERATING',
    subType: 'PROCESSING_FACILITY',
    quantity: 1200,
    unit: '平方米',
    villageCode: V.chaping,
    originalValue: '600000.00',
    fundingLines: [
      { source: 'CENTRAL_TRANSITION', amount: '500000.00' },
      { source: 'VILLAGE_SELF_FUNDED', amount: '100000.00' },
    ],
    completedOn: '2021-10-01',
    acceptedOn: '2021-11-01',
    bookedOn: '2021-12-01',
    ...overrides,
  };
}

export async function registerAsset(env: TestEnv, projectId: string, overrides: Record<string, unknown> = {}, token: TokenName = 'clerk') {
  const body = await env.gql(token, ASSET_REGISTER, { input: assetInput(projectId, overrides) });
  if (!body.data?.assetRegister?.asset) throw new Error(`assetRegister failed: ${JSON.stringify(body)}`);
  return body.data.assetRegister.asset as { id: string; code: string; status: string };
}

/** Input type of each lifecycle mutation: confirmation and handover carry owners and a deed. */
const STEP_INPUT: Record<string, string> = { rightsConfirm: 'RightsConfirmInput', assetHandOver: 'AssetHandOverInput' };

export const STEP = (name: string) => `mutation($input: ${STEP_INPUT[name] ?? 'AssetStepInput'}!) {
  ${name}(input: $input) { asset { id status handedOverOn events { action fromStatus toStatus effectiveOn reason } } errors { code field message } }
}`;

/** rightsConfirm input: the chaping collective owns 100% unless overridden. */
export function confirmInput(assetId: string, confirmedOn: string, overrides: Record<string, unknown> = {}) {
  return {
    assetId,
    owners: [{ villageCode: V.chaping, shareBp: 10000 }],
    rightsLevel: 'VILLAGE',
    certificateNo: '南江资确〔2021〕0001号',
    confirmedOn,
    note: 'test',
    ...overrides,
  };
}

/** assetHandOver input: a deed from the implementing unit, witnessed by the township. */
export function handOverInput(assetId: string, handedOverOn: string, overrides: Record<string, unknown> = {}) {
  return {
    assetId,
    deedNo: '南江资移〔2021〕0001号',
    handedOverOn,
    transferor: '南江县农业农村局',
    recipientSignatory: '张理事长',
    witness: '云顶镇人民政府',
    note: 'test',
    ...overrides,
  };
}

function stepInput(name: string, assetId: string, on: string) {
  if (name === 'rightsConfirm') return confirmInput(assetId, on);
  if (name === 'assetHandOver') return handOverInput(assetId, on);
  return { assetId, effectiveOn: on, reason: 'test' };
}

export async function step(env: TestEnv, name: string, assetId: string, effectiveOn: string, token: TokenName = 'clerk') {
  const body = await env.gql(token, STEP(name), { input: stepInput(name, assetId, effectiveOn) });
  return body.data?.[name] ?? body;
}

/** Moves a new asset to HANDED_OVER. */
export async function handedOverAsset(env: TestEnv, overrides: Record<string, unknown> = {}) {
  const project = await createProject(env);
  const asset = await registerAsset(env, project.id, overrides);
  await step(env, 'rightsConfirm', asset.id, '2021-11-10');
  await step(env, 'assetHandOver', asset.id, '2021-11-20');
  return asset;
}

export const CONTRACT_FIELDS = `id contractNo mode state signedOn startOn endOn termMonths version guaranteedRateBp guaranteedAnnualReturn deposit
  terminatedOn terminationReason operator { id name kind } fee { kind amount rateBp period annualAmount }
  versions { version kind signedOn effectiveFrom startOn endOn guaranteedRateBp deposit reason fee { kind amount period } }`;

export const CONTRACT_SIGN = `mutation($input: ContractSignInput!) {
  contractSign(input: $input) { contract { ${CONTRACT_FIELDS} } asset { id status events { action fromStatus toStatus effectiveOn } } errors { code field message } }
}`;

/** contractSign input: the chaping collective runs the asset itself (自营) from 2022 for ten years. */
export function contractInput(assetId: string, overrides: Record<string, unknown> = {}) {
  return {
    assetId,
    contractNo: `NJ-TEST-${Math.random().toString(36).slice(2, 10)}`,
    mode: 'SELF_OPERATED',
    operator: { villageCode: V.chaping },
    signedOn: '2021-12-15',
    startOn: '2022-01-01',
    endOn: '2031-12-31',
    ...overrides,
  };
}

export async function signContract(env: TestEnv, assetId: string, overrides: Record<string, unknown> = {}, token: TokenName = 'clerk') {
  const body = await env.gql(token, CONTRACT_SIGN, { input: contractInput(assetId, overrides) });
  if (!body.data?.contractSign?.contract) throw new Error(`contractSign failed: ${JSON.stringify(body)}`);
  return body.data.contractSign.contract as { id: string; contractNo: string; state: string };
}

export const HOUSEHOLD_REGISTER = `mutation($input: HouseholdRegisterInput!) {
  householdRegister(input: $input) { household { id headName idNumber memberCount status village { code } statusHistory { status effectiveOn } } errors { code field message } }
}`;

export function householdInput(n: number, overrides: Record<string, unknown> = {}) {
  return {
    villageCode: V.chaping,
    headName: `测试户${n}`,
    idNumber: demoResidentId('511922', 5000 + n),
    memberCount: 3,
    status: 'FORMERLY_POOR',
    statusEffectiveOn: '2020-12-31',
    ...overrides,
  };
}
