/** Shared arrangements for distribution tests: money into a village, households, and a plan walked to a state. */
import type { TestEnv, TokenName } from './helpers';
import { gidNum } from './helpers';
import { HOUSEHOLD_REGISTER, householdInput } from './fixtures';
import { postEntry } from '../src/modules/journal/journal.service';
import { collectiveOf } from '../src/modules/parties/parties.service';
import * as partiesRepo from '../src/modules/parties/parties.repository';
import { V } from '../seeds/demo-data';

let seq = 0;

/**
 * Credits a village's income awaiting distribution, as asset income would, on the given date. Returns the
 * receipt's global id (its journal entry), for plans that name the receipts they distribute.
 */
export async function fundVillage(env: TestEnv, villageCode: string, fen: number, on = '2024-12-31'): Promise<string> {
  return env.db.transaction(async (trx) => {
    const svc = env.svc('admin', trx as any);
    const collective = await collectiveOf(trx, env.clock, villageCode);
    let payer = await partiesRepo.findByCreditCode(trx, '91510823MA6BTEST01');
    if (!payer) {
      const id = await partiesRepo.insert(trx, { kind: 'COMPANY', name: '测试经营公司', regionCode: villageCode.slice(0, 6) + '000000', creditCode: '91510823MA6BTEST01', createdAt: env.clock.now() });
      payer = (await partiesRepo.findById(trx, id))!;
    }
    const posted = await postEntry(svc, {
      kind: 'INCOME',
      effectiveOn: on,
      memo: '测试收益',
      idempotencyKey: `fund-${villageCode}-${++seq}-${Date.now()}`,
      requestFingerprint: 'a'.repeat(64),
      postings: [
        { holderPartyId: payer.id, kind: 'EXTERNAL_COUNTERPARTY', amountFen: -fen },
        { holderPartyId: collective.id, kind: 'INCOME_PENDING_DISTRIBUTION', amountFen: fen },
      ],
    });
    return `JournalEntry:${posted.entry.id}`;
  });
}

let hh = 0;
/** Registers households in a village (clerk of 茶坪村 by default) and returns their global ids. */
export async function households(env: TestEnv, n: number, overrides: Record<string, unknown> = {}, token: TokenName = 'clerk'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const body = await env.gql(token, HOUSEHOLD_REGISTER, { input: householdInput(700 + hh++, { memberCount: 1 + (i % 4), ...overrides }) });
    if (!body.data?.householdRegister?.household) throw new Error(JSON.stringify(body));
    ids.push(body.data.householdRegister.household.id);
  }
  return ids;
}

export const PLAN_FIELDS = `id status total noticeStartOn noticeEndOn approvedOn executedOn executionEntrySequence
  lines { lineNo type basis amount recipients { household { id } householdStatus weight workDays amount paidOn } }
  flags { code } events { action fromStatus toStatus effectiveOn }`;

export const CREATE = `mutation($input: DistributionPlanInput!) { distributionPlanCreate(input: $input) { plan { ${PLAN_FIELDS} } errors { code field message } } }`;
export const PREVIEW = `mutation($input: DistributionPlanInput!) { distributionPlanPreview(input: $input) {
  preview { total available lines { lineNo type amount recipients { household { id } weight amount } } flags { code message } } errors { code field message } } }`;
export const MEETING = `mutation($input: DistributionMeetingInput!) { distributionMeetingRecord(input: $input) { plan { status } errors { code field message } } }`;
export const NOTICE = `mutation($input: DistributionNoticeInput!) { distributionNoticePublish(input: $input) { plan { status noticeStartOn noticeEndOn } errors { code field message } } }`;
export const OBJECTION = `mutation($input: DistributionObjectionInput!) { distributionObjectionRecord(input: $input) { plan { objections { id resolvedOn } } errors { code field message } } }`;
export const RESOLVE = `mutation($input: DistributionObjectionResolveInput!) { distributionObjectionResolve(input: $input) { plan { objections { id resolvedOn resolution } } errors { code field message } } }`;
export const APPROVE = `mutation($input: DistributionReviewInput!) { distributionPlanApprove(input: $input) { plan { status approvedOn } errors { code field message } } }`;
export const REJECT = `mutation($input: DistributionRejectInput!) { distributionPlanReject(input: $input) { plan { status } errors { code field message } } }`;
export const EXECUTE = `mutation($input: DistributionExecuteInput!) { distributionPlanExecute(input: $input) { plan { status executedOn executionEntrySequence } errors { code field message } } }`;
export const PAY = `mutation($input: DistributionPaymentInput!) { distributionPaymentRecord(input: $input) { plan { payments { household { id } amount paidOn bankReference } } errors { code field message } } }`;
export const RESULTS = `mutation($input: DistributionNoticeInput!) { distributionResultsPublish(input: $input) { plan { status notices { kind startOn endOn contentSha256 } } errors { code field message } } }`;
export const CANCEL = `mutation($input: DistributionCancelInput!) { distributionPlanCancel(input: $input) { plan { status } errors { code field message } } }`;
export const REVERSE = `mutation($input: DistributionReverseInput!) { distributionPlanReverse(input: $input) { plan { status } errors { code field message } } }`;

/** A typical plan: 30% dividends to the given households, 10% upkeep, 20 000 yuan public works, rest retained. */
export function planInput(recipients: string[], overrides: Record<string, unknown> = {}) {
  return {
    villageCode: V.chaping,
    title: '茶坪村2024年度资产收益分配方案',
    periodFrom: '2024-01-01',
    periodTo: '2024-12-31',
    planOn: '2025-01-15',
    lines: [
      { type: 'HOUSEHOLD_DIVIDEND', basis: 'PERCENT', percentBp: 3000, description: '脱贫户、监测对象分红', recipients: recipients.map((householdId) => ({ householdId })) },
      { type: 'UPKEEP_RESERVE', basis: 'PERCENT', percentBp: 1000, description: '资产管护' },
      { type: 'PUBLIC_WORKS', basis: 'FIXED', amount: '20000.00', description: '村道维修' },
      { type: 'COLLECTIVE_RETENTION', basis: 'REMAINDER', description: '集体积累' },
    ],
    ...overrides,
  };
}

const MEETINGS = [
  { step: 'PARTY_BRANCH_PROPOSAL', heldOn: '2025-01-16', memberCount: 5, attendance: 5, votesFor: 5, votesAgainst: 0, abstentions: 0 },
  { step: 'TWO_COMMITTEES', heldOn: '2025-01-18', memberCount: 9, attendance: 9, votesFor: 8, votesAgainst: 1, abstentions: 0 },
  { step: 'PARTY_MEMBERS', heldOn: '2025-01-20', memberCount: 36, attendance: 30, votesFor: 28, votesAgainst: 1, abstentions: 1 },
  { step: 'REPRESENTATIVES', heldOn: '2025-01-22', memberCount: 45, attendance: 40, votesFor: 37, votesAgainst: 2, abstentions: 1 },
];

export async function ok(env: TestEnv, token: TokenName, mutation: string, input: Record<string, unknown>) {
  const body = await env.gql(token, mutation, { input });
  const payload: any = body.data ? Object.values(body.data)[0] : null;
  if (!payload || payload.errors.length) throw new Error(`${mutation.slice(0, 60)} failed: ${JSON.stringify(body)}`);
  return payload;
}

/** Walks a new plan as far as the named stage. */
export async function planAt(
  env: TestEnv,
  stage: 'DRAFT' | 'RESOLVED' | 'IN_NOTICE' | 'APPROVED' | 'EXECUTED',
  recipients: string[],
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const planId = (await ok(env, 'clerk', CREATE, planInput(recipients, overrides))).plan.id;
  if (stage === 'DRAFT') return planId;
  for (const m of MEETINGS) await ok(env, 'clerk', MEETING, { planId, ...m });
  if (stage === 'RESOLVED') return planId;
  await ok(env, 'clerk', NOTICE, { planId, startOn: '2025-01-23' });
  if (stage === 'IN_NOTICE') return planId;
  await ok(env, 'reviewer', APPROVE, { planId, reviewedOn: '2025-01-28', opinion: '同意' });
  if (stage === 'APPROVED') return planId;
  await ok(env, 'clerk', EXECUTE, { planId, executedOn: '2025-02-03', idempotencyKey: `exec-${planId}` });
  return planId;
}

export { MEETINGS, gidNum };
