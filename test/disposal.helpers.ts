/** Builders for disposal tests: requests, the chain decided by the officers each step names, execution. */
import type { TestEnv, TokenName } from './helpers';
import { ownedAsset } from './income.helpers';
import { V } from '../seeds/demo-data';

export const DISPOSAL_FIELDS = `id status method reason requestedOn bookValue appraisalRequired exchangeRequired approvedOn rejectedOn cancelledOn flags
  asset { id status }
  appraisal { appraiser appraisedOn value reportNo } priceException { floor reason }
  chain { id template status steps { seq kind role region { code } decision { decision decidedOn } } nextStep { kind region { code } } }
  notice { startOn endOn content publishedAt }
  objections { id raisedOn raisedBy resolvedOn }
  execution { executedOn price insurance proceeds proceedsReceivedOn exchangeDealRef recipient { id name } insurer { id }
              entry { id kind sourceType postings { amount side account { kind holder { id name } } } } }
  events { action fromStatus toStatus effectiveOn }`;

const payload = `{ disposal { ${DISPOSAL_FIELDS} } replayed errors { code field message } }`;

export const M = {
  request: `mutation($input: DisposalRequestInput!) { disposalRequest(input: $input) ${payload} }`,
  appraise: `mutation($input: DisposalAppraiseInput!) { disposalAppraise(input: $input) ${payload} }`,
  decide: `mutation($input: DisposalDecideInput!) { disposalDecide(input: $input) ${payload} }`,
  notice: `mutation($input: DisposalNoticePublishInput!) { disposalNoticePublish(input: $input) ${payload} }`,
  objection: `mutation($input: DisposalObjectionInput!) { disposalObjectionRecord(input: $input) ${payload} }`,
  resolve: `mutation($input: DisposalObjectionResolveInput!) { disposalObjectionResolve(input: $input) ${payload} }`,
  execute: `mutation($input: DisposalExecuteInput!) { disposalExecute(input: $input) ${payload} }`,
  cancel: `mutation($input: DisposalCancelInput!) { disposalCancel(input: $input) ${payload} }`,
  pledge: `mutation($input: AssetPledgeInput!) { assetPledge(input: $input) {
    pledge { id status kind loan contractNo pledgedOn approvedOn releasedOn asset { id status } pledgee { id name } chain { id template status } }
    errors { code field message } } }`,
  pledgeRelease: `mutation($input: AssetPledgeReleaseInput!) { assetPledgeRelease(input: $input) {
    pledge { id status releasedOn asset { id status } } errors { code field message } } }`,
  approvalDecide: `mutation($input: ApprovalDecideInput!) { approvalDecide(input: $input) { chain { id status } errors { code field message } } }`,
};

/** Every table a disposal mutation could write, for "nothing was written" checks. */
export const DISPOSAL_TABLES = [
  'disposals',
  'disposal_notices',
  'disposal_objections',
  'disposal_events',
  'asset_pledges',
  'asset_holds',
  'asset_events',
  'approval_chains',
  'approval_steps',
  'approval_decisions',
  'journal_entries',
  'journal_postings',
  'journal_accounts',
];

let keys = 0;
export const key = (label = 'disp') => `${label}-${process.pid}-${++keys}`;

/** The officer who decides each kind of step in the test county (chaping is in 云顶镇, 南江县). */
/** The clerk of each test village that records its resolution. */
const CLERK_OF: Record<string, TokenName> = { [V.chaping]: 'clerk', [V.jintai]: 'otherClerk' };

export const DECIDER: Record<string, TokenName> = {
  VILLAGE_RESOLUTION: 'clerk',
  TOWNSHIP: 'reviewer',
  COUNTY_DEPARTMENT: 'planner',
  COUNTY_FINANCE: 'finance',
};

export function decideInput(disposalId: string, kind: string, decidedOn: string, decision: 'APPROVE' | 'REJECT' = 'APPROVE', extra: Record<string, unknown> = {}) {
  const village = kind === 'VILLAGE_RESOLUTION';
  return {
    disposalId,
    decision,
    decidedOn,
    reference: village ? '茶坪村民代表会议纪要〔2026〕3号' : `批复〔2026〕${kind}`,
    reason: decision === 'REJECT' ? '评估依据不足' : null,
    meeting: village ? { heldOn: decidedOn, memberCount: 30, attendance: 25, votesFor: 22 } : null,
    ...extra,
  };
}

export async function gqlOk(env: TestEnv, token: TokenName, query: string, input: Record<string, unknown>, field: string) {
  const body = await env.gql(token, query, { input });
  const p = body.data?.[field];
  if (!p || p.errors?.length) throw new Error(`${field} failed: ${JSON.stringify(body)}`);
  return p;
}

/** Decides every remaining step with the officer it names, one day apart from `from`. */
export async function approveAll(env: TestEnv, disposalId: string, from = '2026-03-20') {
  let d = (await env.gql('admin', `query($id: ID!) { disposal(id: $id) { ${DISPOSAL_FIELDS} } }`, { id: disposalId })).data.disposal;
  let day = Number(from.slice(8));
  while (d.chain.nextStep) {
    const kind = d.chain.nextStep.kind;
    const token = kind === 'VILLAGE_RESOLUTION' ? CLERK_OF[d.chain.nextStep.region.code] : DECIDER[kind];
    const on = `${from.slice(0, 8)}${String(day++).padStart(2, '0')}`;
    d = (await gqlOk(env, token, M.decide, decideInput(disposalId, kind, on), 'disposalDecide')).disposal;
  }
  return d;
}

export async function getDisposal(env: TestEnv, id: string, token: TokenName = 'admin') {
  return (await env.gql(token, `query($id: ID!) { disposal(id: $id) { ${DISPOSAL_FIELDS} } }`, { id })).data.disposal;
}

/** A small operating asset of 茶坪村 (value given in yuan, funded by central transition funds). */
export async function assetOfValue(env: TestEnv, value: string, owners?: { villageCode?: string; householdId?: string; shareBp: number }[], extra: Record<string, unknown> = {}) {
  return ownedAsset(env, owners ?? [{ villageCode: V.chaping, shareBp: 10000 }], {
    originalValue: value,
    fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: value }],
    ...extra,
  });
}

export function requestInput(assetId: string, overrides: Record<string, unknown> = {}) {
  return {
    assetId,
    reason: 'IDLE_NOT_REVIVABLE',
    method: 'AUCTION',
    requestedOn: '2026-03-01',
    description: '厂房长期闲置，经评估无法盘活，拟公开拍卖',
    ...overrides,
  };
}

/** Request → (appraisal) → every step approved → notice published (2026-04-01 – 04-10). */
export async function approvedAndNoticed(env: TestEnv, assetId: string, request: Record<string, unknown> = {}, appraisal: Record<string, unknown> | null = null) {
  const r = await gqlOk(env, 'clerk', M.request, requestInput(assetId, request), 'disposalRequest');
  const id = r.disposal.id;
  if (r.disposal.status === 'AWAITING_APPRAISAL') {
    await gqlOk(
      env,
      'clerk',
      M.appraise,
      { disposalId: id, appraiser: '四川天元资产评估有限公司', appraisedOn: '2026-03-10', value: '500000.00', reportNo: '川天元评报字〔2026〕第18号', ...appraisal },
      'disposalAppraise',
    );
  }
  await approveAll(env, id);
  await gqlOk(env, 'clerk', M.notice, { disposalId: id, startOn: '2026-04-01', content: '拟公开拍卖' }, 'disposalNoticePublish');
  return id as string;
}
