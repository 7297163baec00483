/** Builders for bundle tests: ventures, member assets, village cash, and approval chains decided through HTTP. */
import type { TestEnv, TokenName } from './helpers';
import { confirmInput, createProject, handOverInput, registerAsset, STEP } from './fixtures';
import { post, newKey } from './journal.fixtures';
import { collectiveOf } from '../src/modules/parties/parties.service';
import { creditCodeCheckChar } from '../src/modules/parties/creditCode';
import { V, YUNDING } from '../seeds/demo-data';

/** A valid unified social credit code (GB 32100), distinct per n. */
export function creditCode(n: number): string {
  const first17 = `91511922MA6${String(n).padStart(6, '0')}`;
  return first17 + creditCodeCheckChar(first17);
}

export const BUNDLE_FIELDS = `id name legalForm status startOn dissolvedOn region { code } party { id name kind creditCode }
  members { id village { code } status joinedOn withdrawnOn shareBp contributed }
  contributions { id kind status value contributedOn effectiveOn asset { id status } ownerWeights { villageCode value }
                  appraisal { appraiser appraisedOn reportNo } approval { id status purpose steps { kind } } entry { id kind } returnEntry { id } }
  totalContributed shares { villageCode shareBp value } shareEvents { seq effectiveOn cause shares { villageCode shareBp } }
  profits { year profit split } incomeSplits { id year amount splitOn lines { villageCode shareBp amount } entry { id kind } }
  holds { kind holderId holderLabel startOn releasedOn statusBefore }`;

export const BUNDLE_CREATE = `mutation($input: BundleCreateInput!) { bundleCreate(input: $input) { bundle { ${BUNDLE_FIELDS} } errors { code field message } } }`;
export const BUNDLE_CONTRIBUTE = `mutation($input: BundleContributeInput!) {
  bundleContribute(input: $input) { contribution { id status value kind } approval { id status template steps { kind region { code } } } errors { code field message } } }`;
export const BUNDLE_REVALUE = `mutation($input: BundleContributionRevalueInput!) {
  bundleContributionRevalue(input: $input) { contribution { id value revaluations { valueBefore valueAfter effectiveOn } } errors { code field message } } }`;
export const BUNDLE_WITHDRAW = `mutation($input: BundleWithdrawInput!) {
  bundleWithdraw(input: $input) { member { id status } approval { id status steps { kind } } errors { code field message } } }`;
export const BUNDLE_DISSOLVE = `mutation($input: BundleDissolveInput!) { bundleDissolve(input: $input) { bundle { id status dissolvedOn } errors { code field message } } }`;
export const BUNDLE_PROFIT = `mutation($input: BundleProfitRecordInput!) { bundleProfitRecord(input: $input) { profit { year profit split reference } errors { code field message } } }`;
export const BUNDLE_SPLIT = `mutation($input: BundleIncomeSplitInput!) {
  bundleIncomeSplit(input: $input) { split { id year amount splitOn lines { villageCode shareBp amount }
    entry { id kind sourceType postings { amount account { kind holder { id name } } } } } replayed errors { code field message } } }`;
export const BUNDLE_QUERY = `query($id: ID!) { bundle(id: $id) { ${BUNDLE_FIELDS} } }`;
export const DECIDE = `mutation($input: ApprovalDecideInput!) { approvalDecide(input: $input) { chain { id status } errors { code field message } } }`;

/** Every table a bundle mutation could write, for "nothing was written" checks. */
export const BUNDLE_TABLES = [
  'bundles',
  'bundle_members',
  'bundle_contributions',
  'bundle_revaluations',
  'bundle_share_events',
  'bundle_share_lines',
  'bundle_profits',
  'bundle_income_splits',
  'bundle_income_split_lines',
  'parties',
  'approval_chains',
  'approval_steps',
  'approval_decisions',
  'asset_holds',
  'asset_events',
  'journal_entries',
  'journal_postings',
  'journal_accounts',
];

let n = 0;
export async function createBundle(env: TestEnv, overrides: Record<string, unknown> = {}, token: TokenName = 'planner') {
  const body = await env.gql(token, BUNDLE_CREATE, {
    input: {
      name: `云顶茶旅联营公司${++n}`,
      legalForm: 'COMPANY',
      creditCode: creditCode(1000 + n),
      startOn: '2025-01-01',
      villageCodes: [V.chaping, V.jintai],
      ...overrides,
    },
  });
  const b = body.data?.bundleCreate;
  if (!b?.bundle || b.errors.length) throw new Error(`bundleCreate failed: ${JSON.stringify(body)}`);
  return b.bundle;
}

/** Whose token decides a step: the village clerk of 茶坪/金台, the 云顶 reviewer, the county planner. */
const DECIDER: Record<string, TokenName> = {
  [V.chaping]: 'clerk',
  [V.jintai]: 'otherClerk',
  [YUNDING]: 'reviewer',
  '511922000000': 'planner',
};

/** Decides every pending step of a chain on a date (approve, or reject at the last step). */
export async function decideAll(env: TestEnv, chainId: string, decidedOn: string, last: 'APPROVE' | 'REJECT' = 'APPROVE') {
  const q = await env.gql('admin', `query($id: ID!) { approvalChain(id: $id) { steps { kind region { code } decision { decision } } } }`, { id: chainId });
  const steps = q.data.approvalChain.steps.filter((s: any) => !s.decision);
  let body: any;
  for (const [i, s] of steps.entries()) {
    const isLast = i === steps.length - 1;
    const decision = isLast ? last : 'APPROVE';
    body = await env.gql(DECIDER[s.region.code], DECIDE, {
      input: {
        chainId,
        decision,
        decidedOn,
        reference: s.kind === 'VILLAGE_RESOLUTION' ? `村民代表会议纪要〔${decidedOn.slice(0, 4)}〕${i + 1}号` : `云顶镇备案〔${decidedOn.slice(0, 4)}〕${i + 1}号`,
        reason: decision === 'REJECT' ? '评估值偏高，退回重评' : null,
        meeting: s.kind === 'VILLAGE_RESOLUTION' ? { heldOn: decidedOn, memberCount: 30, attendance: 27, votesFor: 25 } : null,
      },
    });
    if (body.errors || body.data.approvalDecide.errors.length) return body;
  }
  return body;
}

/** A confirmed, handed-over operating asset of a village, owned as given (default the village 100%). */
export async function memberAsset(
  env: TestEnv,
  token: TokenName,
  villageCode: string,
  owners: { villageCode: string; shareBp: number }[] = [{ villageCode, shareBp: 10000 }],
  overrides: Record<string, unknown> = {},
) {
  const project = await createProject(env, { regionCode: villageCode }, token);
  const asset = await registerAsset(env, project.id, { villageCode, ...overrides }, token);
  const c = await env.gql(token, STEP('rightsConfirm'), { input: confirmInput(asset.id, '2021-11-10', { owners }) });
  if (c.data?.rightsConfirm?.errors?.length !== 0) throw new Error(JSON.stringify(c));
  const h = await env.gql(token, STEP('assetHandOver'), { input: handOverInput(asset.id, '2021-11-20') });
  if (h.data?.assetHandOver?.errors?.length !== 0) throw new Error(JSON.stringify(h));
  return asset;
}

/** Puts cash on a village's books (an opening balance brought from the paper books). */
export async function giveCash(env: TestEnv, villageCode: string, amountFen: number, on = '2024-12-31') {
  const party = await collectiveOf(env.db, env.clock, villageCode);
  await post(env, {
    kind: 'OPENING_BALANCE',
    effectiveOn: on,
    memo: '期初现金',
    idempotencyKey: newKey('cash'),
    postings: [
      { holderPartyId: party.id, kind: 'OPENING_BALANCE', amountFen: -amountFen },
      { holderPartyId: party.id, kind: 'CASH', amountFen },
    ],
  });
  return party.id;
}

export function assetContribution(bundleId: string, villageCode: string, assetId: string, value: string, on = '2025-03-01') {
  return {
    bundleId,
    villageCode,
    kind: 'ASSET',
    assetId,
    appraisal: { appraiser: '四川天诚资产评估有限公司', appraisedOn: '2025-02-15', value, reportNo: '川天诚评报字〔2025〕第018号' },
    contributedOn: on,
  };
}

export function cashContribution(bundleId: string, villageCode: string, amount: string, on = '2025-03-01') {
  return { bundleId, villageCode, kind: 'CASH', amount, contributedOn: on };
}

/** Contributes and approves at once; fails the test unless both succeed. */
export async function contributed(env: TestEnv, token: TokenName, input: Record<string, unknown>, decidedOn = String(input.contributedOn)) {
  const body = await env.gql(token, BUNDLE_CONTRIBUTE, { input });
  const p = body.data?.bundleContribute;
  if (!p?.contribution || p.errors.length) throw new Error(`bundleContribute failed: ${JSON.stringify(body)}`);
  const d = await decideAll(env, p.approval.id, decidedOn);
  if (d.errors || d.data.approvalDecide.errors.length) throw new Error(`approval failed: ${JSON.stringify(d)}`);
  return p;
}
