/**
 * 处置 Disposal and 抵押/质押 pledges (issue 11; brief §7, §11 rules 17–21, 24, 29; docs/disposal.md).
 *
 * A disposal holds its asset (a DISPOSAL hold, asset DISPOSAL_PENDING) from the request until it is executed
 * (DISPOSED, terminal), rejected or cancelled (the status before is restored). Approval goes through one
 * chain (purpose DISPOSAL) whose steps the county's disposal policy picks from the value tier and method;
 * for methods that need an appraisal the chain opens only once the appraisal is recorded, so no step can be
 * decided before it. Proceeds are booked by one journal entry to the owners' DISPOSAL_PROCEEDS accounts,
 * split by shares to the fen, never to a household or individual.
 */
import { z } from 'zod';
import type { Executor } from '../../db/connection';
import type { ServiceContext } from '../../shared/context';
import { DomainError } from '../../shared/errors';
import { addDays, requireNotFuture } from '../../shared/dates';
import { formatFen, MAX_FEN, sumFen } from '../../shared/money';
import { keysetPage, PageArgs } from '../../shared/pagination';
import { dateString, optionalText, parseInput, text } from '../../shared/validation';
import { acquireHold, releaseHold } from '../assets/assets.holds';
import * as assetsRepo from '../assets/assets.repository';
import { recordAssetEvent, requireAsset } from '../assets/assets.service';
import type { Asset } from '../assets/assets.types';
import { countyStep, supervisingStep, villageResolutions } from '../approvals/approvals.steps';
import { findStake, guardStakeChange } from '../bundles/bundles.service';
import { decide, getChain, onChainSettled, openChain, withdrawChain } from '../approvals/approvals.service';
import type { ApprovalChain, ApprovalDecision, StepSpec } from '../approvals/approvals.types';
import { findUsersInRegions } from '../auth/auth.repository';
import { authorize, authorizeRole, canRead } from '../auth/auth.service';
import { allocateBy } from '../journal/allocation';
import { canonicalJson, requestFingerprint } from '../journal/journal.hash';
import { guardReversal, idempotencyKey, postEntry, postingsOfEntry, replayOf } from '../journal/journal.service';
import * as partiesRepo from '../parties/parties.repository';
import { collectiveOf, partyRefSchema, resolvePartyRef } from '../parties/parties.service';
import { relatedOfficials } from '../officials/officials.service';
import { changeCountySettings, CountySettings, getPolicy, policyFor } from '../policy/policy.service';
import type { CountyPolicy } from '../policy/policy.types';
import { requireProject } from '../projects/projects.service';
import type { Party } from '../parties/parties.types';
import { countyCodeOf, isWithin, prefixOf, townshipCodeOf } from '../regions/regions.codes';
import { requireRegion, scopedPrefix } from '../regions/regions.service';
import { ownersOn } from '../rights/rights.service';
import * as repo from './disposal.repository';
import {
  AssetPledge,
  Disposal,
  DISPOSAL_METHODS,
  DISPOSAL_REASONS,
  disposalChainFor,
  DisposalFlag,
  DisposalPolicy,
  DisposalProceedsReuse,
  DisposalStatus,
  EXCHANGE_METHODS,
  OPEN_STATUSES,
  PLEDGE_KINDS,
  PledgeSubject,
  PLEDGE_COUNTY_STEPS,
  ProceedsByRegion,
  VALUE_TRANSFER_METHODS,
  ZERO_PROCEEDS_METHODS,
} from './disposal.types';

// =========================================================================================================
// Policy
// =========================================================================================================

/** The disposal numbers of a county's policy (county_policies, the policy module's), as DisposalPolicy. */
function disposalPolicyOf(p: CountyPolicy): DisposalPolicy {
  return {
    countyCode: p.countyCode,
    tier1MaxFen: p.disposalTier1MaxFen,
    tier2MaxFen: p.disposalTier2MaxFen,
    appraisalThresholdFen: p.disposalAppraisalThresholdFen,
    exchangeThresholdFen: p.disposalExchangeThresholdFen,
    noticeDays: p.disposalNoticeDays,
    proceedsBookingDays: p.disposalProceedsBookingDays,
    isDefault: p.isDefault,
    updatedAt: p.updatedAt,
  };
}

/** The disposal policy in force for the county containing `regionCode`: its own numbers or the defaults. */
export async function disposalPolicyFor(db: Executor, regionCode: string): Promise<DisposalPolicy> {
  return disposalPolicyOf(await policyFor(db, regionCode));
}

export async function getDisposalPolicy(svc: ServiceContext, countyCode: string): Promise<DisposalPolicy | null> {
  const p = await getPolicy(svc, countyCode);
  return p && disposalPolicyOf(p);
}

const fenAmount = z.number().int().min(0, 'at least 0').max(MAX_FEN);
const policySchema = z.object({
  countyCode: z.string(),
  tier1MaxFen: fenAmount.optional(),
  tier2MaxFen: fenAmount.optional(),
  appraisalThresholdFen: fenAmount.optional(),
  exchangeThresholdFen: fenAmount.optional(),
  noticeDays: z.number().int().min(5, 'at least 5 days').max(60, 'at most 60 days').optional(),
  proceedsBookingDays: z.number().int().min(1).max(365).optional(),
});

/** The county_policies field of each disposal number. */
const POLICY_FIELD = {
  tier1MaxFen: 'disposalTier1MaxFen',
  tier2MaxFen: 'disposalTier2MaxFen',
  appraisalThresholdFen: 'disposalAppraisalThresholdFen',
  exchangeThresholdFen: 'disposalExchangeThresholdFen',
  noticeDays: 'disposalNoticeDays',
  proceedsBookingDays: 'disposalProceedsBookingDays',
} as const satisfies Record<string, keyof CountySettings>;

/**
 * County finance sets the county's disposal numbers: they are the county's policy (county_policies), changed
 * and audited by policy.service's changeCountySettings, as every other county number.
 */
export async function updateDisposalPolicy(svc: ServiceContext, raw: unknown): Promise<DisposalPolicy> {
  const input = parseInput(policySchema, raw);
  const region = await requireRegion(svc.db, input.countyCode, ['input', 'countyCode'], ['COUNTY']);
  authorize(svc.actor, 'policy.write', region.code);
  const { countyCode: _c, ...changes } = input;
  const patch: Partial<CountySettings> = {};
  for (const [k, v] of Object.entries(changes)) if (v !== undefined) patch[POLICY_FIELD[k as keyof typeof POLICY_FIELD]] = v;
  if (!Object.keys(patch).length) throw new DomainError('INVALID_INPUT', 'Nothing to change', ['input']);
  const saved = await changeCountySettings(svc, region.code, patch, (next) => {
    if (next.disposalTier1MaxFen > next.disposalTier2MaxFen) {
      throw new DomainError('OUT_OF_RANGE', 'The first tier ends at or below the second', ['input', 'tier1MaxFen']);
    }
  });
  return disposalPolicyOf(saved);
}

// =========================================================================================================
// Request, appraisal, chain
// =========================================================================================================

const documentIds = z.array(z.number().int().positive()).max(50).nullish();

const requestSchema = z.object({
  assetId: z.number(),
  reason: z.enum(DISPOSAL_REASONS),
  method: z.enum(DISPOSAL_METHODS),
  requestedOn: dateString,
  description: text(2000),
  documentIds,
});

/** Loads a disposal the actor may see, or NOT_FOUND. */
async function requireDisposal(svc: ServiceContext, id: number, field = ['input', 'disposalId']): Promise<Disposal> {
  const d = await repo.findDisposal(svc.db, id, true);
  if (!d || !canRead(svc.actor, d.villageCode)) throw new DomainError('NOT_FOUND', 'No such disposal in your scope', field);
  return d;
}

/** A disposal the actor may write (the village clerk), in one of the given statuses. */
async function openDisposal(svc: ServiceContext, id: number, statuses: readonly DisposalStatus[], what: string): Promise<Disposal> {
  authorizeRole(svc.actor, 'disposal.write');
  const d = await requireDisposal(svc, id);
  authorize(svc.actor, 'disposal.write', d.villageCode);
  if (!statuses.includes(d.status)) {
    throw new DomainError('ILLEGAL_TRANSITION', `${what} is not possible: the disposal is ${d.status}`, ['input', 'disposalId']);
  }
  return d;
}

async function disposalEvent(svc: ServiceContext, d: Disposal, action: string, to: DisposalStatus, effectiveOn: string, payload: Record<string, unknown> = {}) {
  await repo.insertEvent(svc.db, {
    disposalId: d.id,
    action,
    fromStatus: d.status,
    toStatus: to,
    effectiveOn,
    payload,
    actorUserId: svc.actor.userId,
    recordedAt: svc.clock.now(),
  });
}

const holderLabel = (d: Pick<Disposal, 'id'>) => `处置申请 #${d.id}`;

/**
 * 申请处置 A village clerk asks to dispose of an asset. The asset must be free of holds (a contract, venture,
 * pledge or another disposal: ASSET_HELD names it); it takes a DISPOSAL hold and becomes DISPOSAL_PENDING.
 */
export async function requestDisposal(svc: ServiceContext, raw: unknown): Promise<Disposal> {
  authorizeRole(svc.actor, 'disposal.write');
  const input = parseInput(requestSchema, raw);
  const asset = await requireAsset(svc, input.assetId);
  authorize(svc.actor, 'disposal.write', asset.villageCode);
  requireNotFuture(svc, input.requestedOn, ['input', 'requestedOn']);
  const policy = await disposalPolicyFor(svc.db, asset.villageCode);
  const appraisalRequired = VALUE_TRANSFER_METHODS.includes(input.method) || asset.originalValueFen >= policy.appraisalThresholdFen;
  const now = svc.clock.now();
  const row: Omit<Disposal, 'id'> = {
    assetId: asset.id,
    villageCode: asset.villageCode,
    countyCode: asset.countyCode,
    reason: input.reason,
    method: input.method,
    description: input.description,
    documentIds: input.documentIds ?? [],
    status: appraisalRequired ? 'AWAITING_APPRAISAL' : 'IN_APPROVAL',
    requestedOn: input.requestedOn,
    bookValueFen: asset.originalValueFen,
    appraisalRequired,
    exchangeRequired: false,
    chainId: null,
    appraiser: null,
    appraisedOn: null,
    appraisedValueFen: null,
    appraisalReportNo: null,
    exceptionFloorFen: null,
    exceptionReason: null,
    approvedOn: null,
    rejectedOn: null,
    recipientPartyId: null,
    priceFen: null,
    insurerPartyId: null,
    insuranceFen: null,
    executedOn: null,
    proceedsReceivedOn: null,
    exchangeDealRef: null,
    dealContractNo: null,
    entryId: null,
    executeKey: null,
    executeFingerprint: null,
    cancelledOn: null,
    cancelReason: null,
    requestedBy: svc.actor.userId,
    createdAt: now,
    updatedAt: now,
  };
  const id = await repo.insertDisposal(svc.db, row);
  let d: Disposal = { id, ...row };
  await acquireHold(svc, asset, {
    kind: 'DISPOSAL',
    holderId: id,
    holderLabel: holderLabel(d),
    startOn: input.requestedOn,
    endOn: null,
    step: 'REQUEST_DISPOSAL',
    reason: input.description,
    payload: { disposalId: id, method: input.method, reason: input.reason },
    dateField: ['input', 'requestedOn'],
  });
  await repo.insertEvent(svc.db, {
    disposalId: id,
    action: 'REQUEST',
    fromStatus: null,
    toStatus: d.status,
    effectiveOn: input.requestedOn,
    payload: { method: input.method, reason: input.reason, appraisalRequired },
    actorUserId: svc.actor.userId,
    recordedAt: now,
  });
  if (!appraisalRequired) d = await openDisposalChain(svc, d, asset, input.requestedOn);
  return d;
}

/** Opens the disposal's chain, with the steps the county policy picks for its value tier and method. */
async function openDisposalChain(svc: ServiceContext, d: Disposal, asset: Asset, requestedOn: string): Promise<Disposal> {
  const policy = await disposalPolicyFor(svc.db, d.villageCode);
  const valueFen = Math.max(d.bookValueFen, d.appraisedValueFen ?? 0);
  const chosen = disposalChainFor(policy, { assetClass: asset.class, method: d.method, valueFen, exception: d.exceptionFloorFen !== null });
  const steps = await chainSteps(svc.db, asset, requestedOn, chosen.county);
  const exchangeRequired = EXCHANGE_METHODS.includes(d.method) && valueFen >= policy.exchangeThresholdFen;
  const chain = await openChain(svc, {
    purpose: 'DISPOSAL',
    subjectType: 'Disposal',
    subjectId: d.id,
    regionCode: d.villageCode,
    template: chosen.template,
    steps,
    summary: {
      assetId: asset.id,
      assetCode: asset.code,
      assetName: asset.name,
      method: d.method,
      reason: d.reason,
      bookValueFen: d.bookValueFen,
      appraisedValueFen: d.appraisedValueFen,
      exceptionFloorFen: d.exceptionFloorFen,
      exceptionReason: d.exceptionReason,
      tier: chosen.tier,
      exchangeRequired,
    },
    requestedOn,
  });
  const patch = { chainId: chain.id, status: 'IN_APPROVAL' as const, exchangeRequired, updatedAt: svc.clock.now() };
  await repo.updateDisposal(svc.db, d.id, patch);
  return { ...d, ...patch };
}

/**
 * The steps of a chain about an asset: the resolution of every village whose collective owns it (and of the
 * asset's own village), the body above them, then the county steps the policy asks for (no step twice).
 */
async function chainSteps(
  db: Executor,
  asset: Asset,
  on: string,
  county: readonly ('COUNTY_DEPARTMENT' | 'COUNTY_FINANCE')[],
): Promise<StepSpec[]> {
  const owners = await ownersOn(db, asset.id, on);
  const parties = owners.length ? await partiesRepo.findByIds(db, owners.map((o) => o.partyId)) : [];
  const villages = [asset.villageCode, ...parties.filter((p) => p.kind === 'VILLAGE_COLLECTIVE').map((p) => p.regionCode)];
  const steps: StepSpec[] = [...villageResolutions(villages), supervisingStep(villages, 'COUNTY_DEPARTMENT')];
  for (const kind of county) {
    if (!steps.some((s) => s.kind === kind)) steps.push(countyStep(asset.villageCode, kind));
  }
  return steps;
}

const appraiseSchema = z.object({
  disposalId: z.number(),
  appraiser: text(200),
  appraisedOn: dateString,
  valueFen: fenAmount,
  reportNo: text(100),
  exception: z.object({ floorFen: fenAmount, reason: text(1000) }).nullish(),
});

/**
 * 资产评估 Records the appraisal (appraiser, date, value, report); the approval chain then opens. A price
 * below the appraisal may be asked for here (the lowest price and why): the chain then includes county
 * finance and approves that exception with everything else.
 */
export async function appraiseDisposal(svc: ServiceContext, raw: unknown): Promise<Disposal> {
  const input = parseInput(appraiseSchema, raw);
  const d = await openDisposal(svc, input.disposalId, ['AWAITING_APPRAISAL'], 'An appraisal');
  requireNotFuture(svc, input.appraisedOn, ['input', 'appraisedOn']);
  if (input.appraisedOn < d.requestedOn) {
    throw new DomainError('DATE_ORDER', `appraisedOn must not be before the request (${d.requestedOn})`, ['input', 'appraisedOn']);
  }
  if (input.exception && input.exception.floorFen >= input.valueFen) {
    throw new DomainError('OUT_OF_RANGE', 'An exception asks for a lowest price below the appraised value', ['input', 'exception', 'floor']);
  }
  const patch = {
    appraiser: input.appraiser,
    appraisedOn: input.appraisedOn,
    appraisedValueFen: input.valueFen,
    appraisalReportNo: input.reportNo,
    exceptionFloorFen: input.exception?.floorFen ?? null,
    exceptionReason: input.exception?.reason ?? null,
    updatedAt: svc.clock.now(),
  };
  await repo.updateDisposal(svc.db, d.id, patch);
  await disposalEvent(svc, d, 'APPRAISE', 'IN_APPROVAL', input.appraisedOn, {
    appraiser: input.appraiser,
    valueFen: input.valueFen,
    reportNo: input.reportNo,
    exceptionFloorFen: patch.exceptionFloorFen,
  });
  const asset = (await assetsRepo.findById(svc.db, d.assetId))!;
  return openDisposalChain(svc, { ...d, ...patch }, asset, input.appraisedOn);
}

const decideSchema = z.object({ disposalId: z.number() }).passthrough();

/**
 * 处置审批 Decides the next step of the disposal's chain (the same rules as approvalDecide: only the role and
 * region the step names, in order, dates never backwards).
 */
export async function decideDisposal(svc: ServiceContext, raw: unknown): Promise<Disposal> {
  const { disposalId, ...rest } = parseInput(decideSchema, raw);
  // The officers a step names see the disposal through its chain: a co-owner village's clerk, for one.
  const d = await repo.findDisposal(svc.db, disposalId, true);
  const visible = d && (canRead(svc.actor, d.villageCode) || (d.chainId !== null && (await getChain(svc, d.chainId)) !== null));
  if (!d || !visible) throw new DomainError('NOT_FOUND', 'No such disposal in your scope', ['input', 'disposalId']);
  if (d.status === 'AWAITING_APPRAISAL') {
    throw new DomainError('DISPOSAL_APPRAISAL_REQUIRED', 'This method or value needs an appraisal before any approval (先评估后审批)', ['input', 'disposalId']);
  }
  if (!d.chainId) throw new DomainError('ILLEGAL_TRANSITION', `The disposal is ${d.status}: nothing to decide`, ['input', 'disposalId']);
  await decide(svc, { ...rest, chainId: d.chainId });
  return (await repo.findDisposal(svc.db, d.id))!;
}

/** The chain settled: approved, the disposal may be published and executed; rejected, the asset is restored. */
onChainSettled('DISPOSAL', async (svc: ServiceContext, chain: ApprovalChain, decision: ApprovalDecision) => {
  const d = chain.subjectId === null ? undefined : await repo.findDisposal(svc.db, chain.subjectId, true);
  if (!d || d.status !== 'IN_APPROVAL') return;
  if (chain.status === 'APPROVED') {
    await repo.updateDisposal(svc.db, d.id, { status: 'APPROVED', approvedOn: decision.decidedOn, updatedAt: svc.clock.now() });
    await disposalEvent(svc, d, 'APPROVE', 'APPROVED', decision.decidedOn, { chainId: chain.id });
    return;
  }
  const asset = (await assetsRepo.findByIdForUpdate(svc.db, d.assetId))!;
  await releaseHold(svc, asset, 'DISPOSAL', d.id, {
    releasedOn: decision.decidedOn,
    reason: `处置申请被驳回：${decision.reason ?? ''}`,
    step: 'RESTORE_FROM_DISPOSAL',
    payload: { disposalId: d.id, chainId: chain.id },
    dateField: ['input', 'decidedOn'],
  });
  await repo.updateDisposal(svc.db, d.id, { status: 'REJECTED', rejectedOn: decision.decidedOn, updatedAt: svc.clock.now() });
  await disposalEvent(svc, d, 'REJECT', 'REJECTED', decision.decidedOn, { chainId: chain.id, reason: decision.reason });
});

// =========================================================================================================
// Notice and objections
// =========================================================================================================

const noticeSchema = z.object({ disposalId: z.number(), startOn: dateString, endOn: dateString.nullish(), content: optionalText(2000) });

/** 处置公示 Publishes the notice, once, after the approval; it is immutable once published (rule 29). */
export async function publishNotice(svc: ServiceContext, raw: unknown): Promise<Disposal> {
  const input = parseInput(noticeSchema, raw);
  const d = await openDisposal(svc, input.disposalId, ['APPROVED'], 'Publishing a notice');
  requireNotFuture(svc, input.startOn, ['input', 'startOn']);
  if (input.startOn < d.approvedOn!) {
    throw new DomainError('DATE_ORDER', `The notice starts on or after the approval (${d.approvedOn})`, ['input', 'startOn']);
  }
  const policy = await disposalPolicyFor(svc.db, d.villageCode);
  const minimumEnd = addDays(input.startOn, policy.noticeDays - 1);
  const endOn = input.endOn ?? minimumEnd;
  if (endOn < minimumEnd) {
    throw new DomainError('NOTICE_TOO_SHORT', `The notice must stay up at least ${policy.noticeDays} days (until ${minimumEnd})`, ['input', 'endOn']);
  }
  const asset = (await assetsRepo.findById(svc.db, d.assetId))!;
  const content = {
    title: `${asset.name}（${asset.code}）处置公示`,
    method: d.method,
    reason: d.reason,
    bookValueFen: d.bookValueFen,
    appraisedValueFen: d.appraisedValueFen,
    exceptionFloorFen: d.exceptionFloorFen,
    approvedOn: d.approvedOn,
    text: input.content,
  };
  await repo.insertNotice(svc.db, {
    disposalId: d.id,
    startOn: input.startOn,
    endOn,
    content: JSON.parse(canonicalJson(content as never)),
    publishedBy: svc.actor.userId,
    publishedAt: svc.clock.now(),
  });
  await repo.updateDisposal(svc.db, d.id, { status: 'IN_NOTICE', updatedAt: svc.clock.now() });
  await disposalEvent(svc, d, 'NOTICE_PUBLISH', 'IN_NOTICE', input.startOn, { startOn: input.startOn, endOn });
  return { ...d, status: 'IN_NOTICE' };
}

const objectionSchema = z.object({ disposalId: z.number(), raisedOn: dateString, raisedBy: text(100), content: text(2000) });

/** 异议 Records an objection raised during the notice; execution waits until every one is resolved. */
export async function recordObjection(svc: ServiceContext, raw: unknown): Promise<Disposal> {
  const input = parseInput(objectionSchema, raw);
  const d = await openDisposal(svc, input.disposalId, ['IN_NOTICE'], 'Recording an objection');
  requireNotFuture(svc, input.raisedOn, ['input', 'raisedOn']);
  const [notice] = await repo.noticesOf(svc.db, [d.id]);
  if (input.raisedOn < notice.startOn || input.raisedOn > notice.endOn) {
    throw new DomainError('DATE_ORDER', `Objections are raised during the notice (${notice.startOn} – ${notice.endOn})`, ['input', 'raisedOn']);
  }
  const id = await repo.insertObjection(svc.db, {
    disposalId: d.id,
    raisedOn: input.raisedOn,
    raisedBy: input.raisedBy,
    content: input.content,
    resolvedOn: null,
    resolution: null,
    recordedBy: svc.actor.userId,
    recordedAt: svc.clock.now(),
  });
  await disposalEvent(svc, d, 'OBJECTION_RECORD', d.status, input.raisedOn, { objectionId: id, raisedBy: input.raisedBy });
  return d;
}

const resolveSchema = z.object({ objectionId: z.number(), resolvedOn: dateString, resolution: text(2000) });

export async function resolveObjection(svc: ServiceContext, raw: unknown): Promise<Disposal> {
  const input = parseInput(resolveSchema, raw);
  const objection = await repo.findObjection(svc.db, input.objectionId);
  const visible = objection && (await repo.findDisposal(svc.db, objection.disposalId));
  if (!objection || !visible || !canRead(svc.actor, visible.villageCode)) {
    throw new DomainError('NOT_FOUND', 'No such objection in your scope', ['input', 'objectionId']);
  }
  const d = await openDisposal(svc, objection.disposalId, ['IN_NOTICE'], 'Resolving an objection');
  if (objection.resolvedOn) throw new DomainError('ILLEGAL_TRANSITION', 'This objection is already resolved', ['input', 'objectionId']);
  requireNotFuture(svc, input.resolvedOn, ['input', 'resolvedOn']);
  if (input.resolvedOn < objection.raisedOn) {
    throw new DomainError('DATE_ORDER', `resolvedOn must not be before the objection (${objection.raisedOn})`, ['input', 'resolvedOn']);
  }
  await repo.resolveObjection(svc.db, objection.id, input.resolvedOn, input.resolution);
  await disposalEvent(svc, d, 'OBJECTION_RESOLVE', d.status, input.resolvedOn, { objectionId: objection.id });
  return d;
}

// =========================================================================================================
// Execution
// =========================================================================================================

const executeSchema = z.object({
  disposalId: z.number(),
  executedOn: dateString,
  recipient: partyRefSchema.nullish(),
  priceFen: fenAmount,
  insurance: z.object({ insurer: partyRefSchema, amountFen: fenAmount.refine((v) => v > 0, { message: 'more than 0.00', params: { code: 'INVALID_AMOUNT' } }) }).nullish(),
  proceedsReceivedOn: dateString.nullish(),
  exchangeDealRef: optionalText(100),
  dealContractNo: optionalText(100),
  idempotencyKey,
});
type ExecuteInput = z.infer<typeof executeSchema>;

export interface ExecutedDisposal {
  disposal: Disposal;
  replayed: boolean;
}

const refOf = (r: z.infer<typeof partyRefSchema> | null | undefined) =>
  r ? { partyId: r.partyId ?? null, villageCode: r.villageCode ?? null, householdId: r.householdId ?? null } : null;

function fingerprintOf(svc: ServiceContext, input: ExecuteInput): string {
  return requestFingerprint('disposalExecute', svc.actor.userId, {
    disposalId: input.disposalId,
    executedOn: input.executedOn,
    recipient: refOf(input.recipient),
    priceFen: input.priceFen,
    insurance: input.insurance ? { insurer: refOf(input.insurance.insurer), amountFen: input.insurance.amountFen } : null,
    proceedsReceivedOn: input.proceedsReceivedOn ?? null,
    exchangeDealRef: input.exchangeDealRef,
    dealContractNo: input.dealContractNo,
  });
}

const PUBLIC_BODIES = ['VILLAGE_COLLECTIVE', 'TOWNSHIP', 'COUNTY_BODY'];
const INDIVIDUALS = ['HOUSEHOLD', 'INDIVIDUAL'];

/**
 * 处置执行 Records the deal (buyer or recipient, price, date) and books the proceeds — price and insurance
 * compensation — in one journal entry to the owners' DISPOSAL_PROCEEDS accounts, split by shares to the fen.
 * The asset becomes DISPOSED. A retry with the same key returns the first result.
 */
export async function executeDisposal(svc: ServiceContext, raw: unknown): Promise<ExecutedDisposal> {
  authorizeRole(svc.actor, 'disposal.write');
  const input = parseInput(executeSchema, raw);
  const fingerprint = fingerprintOf(svc, input);
  // The journal lock first (docs/journal.md), then the key: a retry finds the first result, executed or not.
  await replayOf(svc, input.idempotencyKey, fingerprint);
  const earlier = await repo.findByExecuteKey(svc.db, input.idempotencyKey);
  if (earlier) {
    if (earlier.executeFingerprint !== fingerprint) {
      throw new DomainError('IDEMPOTENCY_CONFLICT', 'This idempotency key was used by a different request', ['input', 'idempotencyKey']);
    }
    return { disposal: earlier, replayed: true };
  }
  const d = await openDisposal(svc, input.disposalId, ['IN_NOTICE'], 'Execution (after approval and notice)');
  requireNotFuture(svc, input.executedOn, ['input', 'executedOn']);
  const [notice] = await repo.noticesOf(svc.db, [d.id]);
  if (input.executedOn <= notice.endOn) {
    throw new DomainError('NOTICE_NOT_ENDED', `The notice runs until ${notice.endOn}; the disposal is executed after it`, ['input', 'executedOn']);
  }
  const open = (await repo.objectionsOf(svc.db, [d.id])).filter((o) => !o.resolvedOn);
  if (open.length) throw new DomainError('OPEN_OBJECTIONS', `${open.length} objection(s) are not resolved`, ['input', 'disposalId']);
  const receivedOn = input.proceedsReceivedOn ?? input.executedOn;
  requireNotFuture(svc, receivedOn, ['input', 'proceedsReceivedOn']);
  if (receivedOn < input.executedOn) {
    throw new DomainError('DATE_ORDER', 'Proceeds are received on or after the deal', ['input', 'proceedsReceivedOn']);
  }

  const sale = VALUE_TRANSFER_METHODS.includes(d.method);
  const recipient = input.recipient ? await resolvePartyRef(svc, input.recipient, ['input', 'recipient']) : null;
  if ((sale || d.method === 'ALLOCATION' || input.priceFen > 0) && !recipient) {
    throw new DomainError('REQUIRED', 'Name the buyer or recipient (受让方)', ['input', 'recipient']);
  }
  if (d.method === 'ALLOCATION' && recipient && !PUBLIC_BODIES.includes(recipient.kind)) {
    throw new DomainError('INVALID_INPUT', '划转 allocates the asset to another public body or collective', ['input', 'recipient']);
  }
  if (sale && input.priceFen === 0) throw new DomainError('INVALID_AMOUNT', `A ${d.method} has a price`, ['input', 'price']);
  if (sale && d.appraisedValueFen !== null && input.priceFen < d.appraisedValueFen) {
    if (d.exceptionFloorFen === null || input.priceFen < d.exceptionFloorFen) {
      const allowed = d.exceptionFloorFen === null ? '' : ` (the approved exception allows ${formatFen(d.exceptionFloorFen)})`;
      throw new DomainError(
        'PRICE_BELOW_APPRAISAL',
        `The price ${formatFen(input.priceFen)} is below the appraised value ${formatFen(d.appraisedValueFen)}${allowed}`,
        ['input', 'price'],
      );
    }
  }
  if (d.exchangeRequired && !input.exchangeDealRef) {
    throw new DomainError('EXCHANGE_DEAL_REQUIRED', 'This sale goes through the rural property exchange (产权交易平台): record its deal reference', [
      'input',
      'exchangeDealRef',
    ]);
  }
  const insurer = input.insurance ? await resolvePartyRef(svc, input.insurance.insurer, ['input', 'insurance', 'insurer']) : null;
  const totalFen = input.priceFen + (input.insurance?.amountFen ?? 0);
  if (totalFen === 0 && !ZERO_PROCEEDS_METHODS.includes(d.method)) {
    throw new DomainError('INVALID_AMOUNT', `A ${d.method} cannot end with no proceeds`, ['input', 'price']);
  }
  if (totalFen > MAX_FEN) throw new DomainError('INVALID_AMOUNT', 'The proceeds pass 2^53 fen', ['input', 'price']);

  const asset = (await assetsRepo.findByIdForUpdate(svc.db, d.assetId))!;
  let entryId: number | null = null;
  if (totalFen > 0) {
    const owners = await ownersOn(svc.db, asset.id, input.executedOn);
    if (!owners.length) {
      throw new DomainError('NO_OWNERS', `Asset ${asset.code} has no confirmed owners on ${input.executedOn}: proceeds belong to its owners`, [
        'input',
        'executedOn',
      ]);
    }
    const ownerParties = await partiesRepo.findByIds(svc.db, owners.map((o) => o.partyId));
    const individual = ownerParties.find((p) => INDIVIDUALS.includes(p.kind));
    if (individual) {
      throw new DomainError(
        'PROCEEDS_TO_INDIVIDUAL',
        `Proceeds are booked to a collective or public owner, never to an individual (${individual.name}); 处置收入不得分给个人`,
        ['input', 'disposalId'],
      );
    }
    const payers = new Map<number, number>();
    if (input.priceFen > 0) payers.set(recipient!.id, input.priceFen);
    if (insurer) payers.set(insurer.id, (payers.get(insurer.id) ?? 0) + input.insurance!.amountFen);
    const byParty = [...owners].sort((a, b) => a.partyId - b.partyId);
    const shares = allocateBy(totalFen, byParty, (o) => o.shareBp).filter((s) => s.amountFen > 0);
    const posted = await postEntry(svc, {
      kind: 'DISPOSAL',
      effectiveOn: receivedOn,
      memo: `${asset.name}（${asset.code}）处置收入，专项用于巩固拓展脱贫攻坚成果和乡村振兴项目${input.insurance ? '（含保险赔款）' : ''}`,
      source: { type: 'DISPOSAL', id: d.id },
      assetId: asset.id,
      idempotencyKey: input.idempotencyKey,
      requestFingerprint: fingerprint,
      postings: [
        ...[...payers].map(([partyId, fen]) => ({ holderPartyId: partyId, kind: 'EXTERNAL_COUNTERPARTY' as const, amountFen: -fen })),
        ...shares.map((s) => ({ holderPartyId: s.item.partyId, kind: 'DISPOSAL_PROCEEDS' as const, amountFen: s.amountFen })),
      ],
    });
    entryId = posted.entry.id;
  }

  await releaseHold(svc, asset, 'DISPOSAL', d.id, {
    releasedOn: input.executedOn,
    reason: `处置完成（${d.method}）`,
    step: 'DISPOSE',
    payload: { disposalId: d.id, priceFen: input.priceFen, insuranceFen: input.insurance?.amountFen ?? 0, entryId },
    dateField: ['input', 'executedOn'],
  });
  const patch = {
    status: 'EXECUTED' as const,
    recipientPartyId: recipient?.id ?? null,
    priceFen: input.priceFen,
    insurerPartyId: insurer?.id ?? null,
    insuranceFen: input.insurance?.amountFen ?? null,
    executedOn: input.executedOn,
    proceedsReceivedOn: receivedOn,
    exchangeDealRef: input.exchangeDealRef,
    dealContractNo: input.dealContractNo,
    entryId,
    executeKey: input.idempotencyKey,
    executeFingerprint: fingerprint,
    updatedAt: svc.clock.now(),
  };
  await repo.updateDisposal(svc.db, d.id, patch);
  await disposalEvent(svc, d, 'EXECUTE', 'EXECUTED', input.executedOn, { priceFen: input.priceFen, totalFen, entryId });
  return { disposal: { ...d, ...patch }, replayed: false };
}

const cancelSchema = z.object({ disposalId: z.number(), cancelledOn: dateString, reason: text(1000) });

/** 撤回 The village withdraws its request: the chain is withdrawn and the asset's status restored. */
export async function cancelDisposal(svc: ServiceContext, raw: unknown): Promise<Disposal> {
  const input = parseInput(cancelSchema, raw);
  const d = await openDisposal(svc, input.disposalId, OPEN_STATUSES, 'Cancelling');
  requireNotFuture(svc, input.cancelledOn, ['input', 'cancelledOn']);
  if (input.cancelledOn < d.requestedOn) {
    throw new DomainError('DATE_ORDER', `cancelledOn must not be before the request (${d.requestedOn})`, ['input', 'cancelledOn']);
  }
  if (d.chainId) {
    const chain = (await getChain(svc, d.chainId))!;
    if (chain.status === 'PENDING') await withdrawChain(svc, chain);
  }
  const asset = (await assetsRepo.findByIdForUpdate(svc.db, d.assetId))!;
  await releaseHold(svc, asset, 'DISPOSAL', d.id, {
    releasedOn: input.cancelledOn,
    reason: `处置申请撤回：${input.reason}`,
    step: 'RESTORE_FROM_DISPOSAL',
    payload: { disposalId: d.id },
    dateField: ['input', 'cancelledOn'],
  });
  const patch = { status: 'CANCELLED' as const, cancelledOn: input.cancelledOn, cancelReason: input.reason, updatedAt: svc.clock.now() };
  await repo.updateDisposal(svc.db, d.id, patch);
  await disposalEvent(svc, d, 'CANCEL', 'CANCELLED', input.cancelledOn, { reason: input.reason });
  return { ...d, ...patch };
}

// =========================================================================================================
// Pledges (抵押/质押)
// =========================================================================================================

const pledgeSchema = z
  .object({
    assetId: z.number().nullish(),
    bundleMemberId: z.number().nullish(),
    kind: z.enum(PLEDGE_KINDS),
    pledgee: partyRefSchema,
    loanFen: fenAmount.refine((v) => v > 0, { message: 'more than 0.00', params: { code: 'INVALID_AMOUNT' } }),
    loanPurpose: text(1000),
    contractNo: text(100),
    pledgedOn: dateString,
    endOn: dateString.nullish(),
  })
  .refine((v) => (v.assetId == null) !== (v.bundleMemberId == null), {
    message: 'Pledge either an asset (assetId) or a venture stake (ventureMemberId), exactly one',
    path: ['assetId'],
  });
type PledgeInput = z.infer<typeof pledgeSchema>;

/** The subject of a pledge input. */
const subjectOf = (input: PledgeInput): PledgeSubject =>
  input.assetId != null ? { kind: 'ASSET', assetId: input.assetId } : { kind: 'VENTURE_STAKE', bundleMemberId: input.bundleMemberId! };

/**
 * 资产抵押/质押 A pledge or mortgage of an asset or of a village collective's stake in a pooled venture, valid
 * only once approved on its chain (rule 21). An asset pledge holds the asset (a PLEDGE hold) from the request,
 * so nothing new may be leased, bundled or disposed of meanwhile (a running lease may go on); a stake pledge
 * binds the stake through the bundles module's stake guard: the member may not withdraw, nor the venture be
 * dissolved, until it is released.
 */
export async function pledgeAsset(svc: ServiceContext, raw: unknown): Promise<AssetPledge> {
  authorizeRole(svc.actor, 'disposal.write');
  const input = parseInput(pledgeSchema, raw);
  const subject = subjectOf(input);
  return subject.kind === 'ASSET' ? pledgeOfAsset(svc, input, subject.assetId) : pledgeOfStake(svc, input, subject.bundleMemberId);
}

function pledgeRow(svc: ServiceContext, input: PledgeInput, pledgeePartyId: number, subject: Pick<AssetPledge, 'subjectKind' | 'assetId' | 'bundleMemberId' | 'villageCode' | 'countyCode'>): Omit<AssetPledge, 'id'> {
  const now = svc.clock.now();
  return {
    ...subject,
    kind: input.kind,
    pledgeePartyId,
    loanFen: input.loanFen,
    loanPurpose: input.loanPurpose,
    contractNo: input.contractNo,
    startOn: input.pledgedOn,
    endOn: input.endOn ?? null,
    status: 'PENDING',
    chainId: null,
    approvedOn: null,
    releasedOn: null,
    releaseReason: null,
    requestedBy: svc.actor.userId,
    createdAt: now,
    updatedAt: now,
  };
}

function requirePledgeDates(svc: ServiceContext, input: PledgeInput) {
  requireNotFuture(svc, input.pledgedOn, ['input', 'pledgedOn']);
  if (input.endOn && input.endOn <= input.pledgedOn) {
    throw new DomainError('DATE_ORDER', 'The loan ends after it starts', ['input', 'endOn']);
  }
}

async function pledgeOfAsset(svc: ServiceContext, input: PledgeInput, assetId: number): Promise<AssetPledge> {
  const asset = await requireAsset(svc, assetId);
  authorize(svc.actor, 'disposal.write', asset.villageCode);
  requirePledgeDates(svc, input);
  const pledgee = await resolvePartyRef(svc, input.pledgee, ['input', 'pledgee']);
  const row = pledgeRow(svc, input, pledgee.id, {
    subjectKind: 'ASSET',
    assetId: asset.id,
    bundleMemberId: null,
    villageCode: asset.villageCode,
    countyCode: asset.countyCode,
  });
  const id = await repo.insertPledge(svc.db, row);
  await acquireHold(svc, asset, {
    kind: 'PLEDGE',
    holderId: id,
    holderLabel: `${input.kind === 'MORTGAGE' ? '抵押' : '质押'} ${input.contractNo}（${pledgee.name}）`,
    startOn: input.pledgedOn,
    endOn: null,
    reason: input.loanPurpose,
    dateField: ['input', 'pledgedOn'],
  });
  await recordAssetEvent(svc, asset, 'PLEDGE', {
    effectiveOn: input.pledgedOn,
    reason: input.loanPurpose,
    dateField: ['input', 'pledgedOn'],
    payload: { pledgeId: id, kind: input.kind, pledgeePartyId: pledgee.id, loanFen: input.loanFen, contractNo: input.contractNo },
  });
  const chain = await openChain(svc, {
    purpose: 'PLEDGE',
    subjectType: 'AssetPledge',
    subjectId: id,
    regionCode: asset.villageCode,
    template: 'PLEDGE',
    steps: await chainSteps(svc.db, asset, input.pledgedOn, PLEDGE_COUNTY_STEPS),
    summary: { assetId: asset.id, assetCode: asset.code, kind: input.kind, pledgee: pledgee.name, loanFen: input.loanFen, contractNo: input.contractNo },
    requestedOn: input.pledgedOn,
  });
  await repo.updatePledge(svc.db, id, { chainId: chain.id });
  return { id, ...row, chainId: chain.id };
}

/**
 * 股权质押 A village collective pledges its stake in a pooled venture: the member must hold a stake (joined, not
 * withdrawing) in a venture still running, with no other live pledge of the stake. The chain: the member
 * village's resolution, its township, county finance (as for an asset).
 */
async function pledgeOfStake(svc: ServiceContext, input: PledgeInput, memberId: number): Promise<AssetPledge> {
  const stake = await findStake(svc, memberId, true);
  if (!stake || !canRead(svc.actor, stake.member.villageCode)) {
    throw new DomainError('NOT_FOUND', 'No such venture stake in your scope', ['input', 'ventureMemberId']);
  }
  const { member, bundle } = stake;
  authorize(svc.actor, 'disposal.write', member.villageCode);
  requirePledgeDates(svc, input);
  if (bundle.status !== 'ACTIVE' || member.status !== 'ACTIVE' || !member.joinedOn) {
    const why = bundle.status !== 'ACTIVE' ? `${bundle.name} was dissolved on ${bundle.dissolvedOn}` : `village ${member.villageCode} holds no stake in ${bundle.name} (${member.status})`;
    throw new DomainError('ILLEGAL_TRANSITION', `Nothing to pledge: ${why}`, ['input', 'ventureMemberId']);
  }
  if (member.withdrawChainId !== null) {
    throw new DomainError('ILLEGAL_TRANSITION', `Village ${member.villageCode} is withdrawing from ${bundle.name}: its stake cannot be pledged`, ['input', 'ventureMemberId']);
  }
  if (input.pledgedOn < member.joinedOn) {
    throw new DomainError('DATE_ORDER', `pledgedOn is before the village joined ${bundle.name} (${member.joinedOn})`, ['input', 'pledgedOn']);
  }
  const [live] = await repo.livePledgesOfMembers(svc.db, [member.id]);
  if (live) throw new DomainError('STAKE_PLEDGED', stakePledgedMessage(live, bundle.name), ['input', 'ventureMemberId']);
  const pledgee = await resolvePartyRef(svc, input.pledgee, ['input', 'pledgee']);
  const row = pledgeRow(svc, input, pledgee.id, {
    subjectKind: 'VENTURE_STAKE',
    assetId: null,
    bundleMemberId: member.id,
    villageCode: member.villageCode,
    countyCode: countyCodeOf(member.villageCode),
  });
  const id = await repo.insertPledge(svc.db, row);
  const villages = [member.villageCode];
  const chain = await openChain(svc, {
    purpose: 'PLEDGE',
    subjectType: 'AssetPledge',
    subjectId: id,
    regionCode: member.villageCode,
    template: 'PLEDGE_VENTURE_STAKE',
    steps: [...villageResolutions(villages), supervisingStep(villages, 'COUNTY_DEPARTMENT'), ...PLEDGE_COUNTY_STEPS.map((k) => countyStep(member.villageCode, k))],
    summary: {
      bundleId: bundle.id,
      venture: bundle.name,
      bundleMemberId: member.id,
      villageCode: member.villageCode,
      kind: input.kind,
      pledgee: pledgee.name,
      loanFen: input.loanFen,
      contractNo: input.contractNo,
    },
    requestedOn: input.pledgedOn,
  });
  await repo.updatePledge(svc.db, id, { chainId: chain.id });
  return { id, ...row, chainId: chain.id };
}

function stakePledgedMessage(p: AssetPledge, venture: string): string {
  return `The stake of village ${p.villageCode} in ${venture} is pledged (${p.kind === 'MORTGAGE' ? '抵押' : '质押'} #${p.id}, contract ${p.contractNo}, ${p.status}, since ${p.startOn}): release it first (assetPledgeRelease)`;
}

/** 股权质押守卫 While a stake is pledged (pending or approved), its member may not withdraw nor the venture dissolve. */
guardStakeChange(async (svc, members, change) => {
  const live = await repo.livePledgesOfMembers(svc.db, members.map((m) => m.id));
  if (!live.length) return null;
  const stake = await findStake(svc, live[0].bundleMemberId!);
  const what = change === 'WITHDRAW' ? 'The member cannot withdraw' : 'The venture cannot be dissolved';
  return `${what}: ${stakePledgedMessage(live[0], stake?.bundle.name ?? 'the venture')}`;
});

onChainSettled('PLEDGE', async (svc: ServiceContext, chain: ApprovalChain, decision: ApprovalDecision) => {
  const p = chain.subjectId === null ? undefined : await repo.findPledge(svc.db, chain.subjectId, true);
  if (!p || p.status !== 'PENDING') return;
  if (chain.status === 'APPROVED') {
    await repo.updatePledge(svc.db, p.id, { status: 'ACTIVE', approvedOn: decision.decidedOn, updatedAt: svc.clock.now() });
    return;
  }
  await endPledge(svc, p, 'REJECTED', decision.decidedOn, `抵押未获批准：${decision.reason ?? ''}`, ['input', 'decidedOn']);
});

async function endPledge(svc: ServiceContext, p: AssetPledge, status: 'REJECTED' | 'RELEASED', on: string, reason: string, field: string[]) {
  if (p.assetId !== null) {
    const asset = (await assetsRepo.findByIdForUpdate(svc.db, p.assetId))!;
    await releaseHold(svc, asset, 'PLEDGE', p.id, { releasedOn: on, reason, dateField: field });
    await recordAssetEvent(svc, asset, 'PLEDGE_RELEASE', { effectiveOn: on, reason, dateField: field, payload: { pledgeId: p.id, status } });
  }
  await repo.updatePledge(svc.db, p.id, { status, releasedOn: on, releaseReason: reason, updatedAt: svc.clock.now() });
}

const releaseSchema = z.object({ pledgeId: z.number(), releasedOn: dateString, reason: text(1000) });

/** 解除抵押 The loan is repaid (or the request withdrawn): the hold ends and the asset (or stake) is free again. */
export async function releasePledge(svc: ServiceContext, raw: unknown): Promise<AssetPledge> {
  authorizeRole(svc.actor, 'disposal.write');
  const input = parseInput(releaseSchema, raw);
  const p = await repo.findPledge(svc.db, input.pledgeId, true);
  if (!p || !canRead(svc.actor, p.villageCode)) throw new DomainError('NOT_FOUND', 'No such pledge in your scope', ['input', 'pledgeId']);
  authorize(svc.actor, 'disposal.write', p.villageCode);
  if (p.status !== 'ACTIVE' && p.status !== 'PENDING') {
    throw new DomainError('ILLEGAL_TRANSITION', `The pledge is ${p.status}`, ['input', 'pledgeId']);
  }
  requireNotFuture(svc, input.releasedOn, ['input', 'releasedOn']);
  const after = p.approvedOn ?? p.startOn;
  if (input.releasedOn < after) throw new DomainError('DATE_ORDER', `releasedOn must not be before ${after}`, ['input', 'releasedOn']);
  if (p.status === 'PENDING' && p.chainId) {
    const chain = (await getChain(svc, p.chainId))!;
    if (chain.status === 'PENDING') await withdrawChain(svc, chain);
  }
  await endPledge(svc, p, 'RELEASED', input.releasedOn, input.reason, ['input', 'releasedOn']);
  return (await repo.findPledge(svc.db, p.id))!;
}

// =========================================================================================================
// Re-use of the proceeds (处置收入再利用)
// =========================================================================================================

const positiveFen = fenAmount.refine((v) => v > 0, { message: 'more than 0.00', params: { code: 'INVALID_AMOUNT' } });
const reuseSchema = z.object({
  disposalId: z.number(),
  villageCode: z.string(),
  projectId: z.number(),
  amountFen: positiveFen,
  reusedOn: dateString,
  purpose: text(1000),
  idempotencyKey,
});

/** The fen of proceeds the re-uses committed. */
export function reusedFen(reuses: readonly Pick<DisposalProceedsReuse, 'amountFen'>[]): number {
  return sumFen(reuses.map((r) => r.amountFen));
}

/**
 * What is left to re-use of a disposal's proceeds: what its execution received (price and insurance, shared out
 * to the owners' DISPOSAL_PROCEEDS accounts) less every owner's re-uses; 0 before any proceeds.
 */
export function proceedsRemainingFen(d: Disposal, reuses: readonly Pick<DisposalProceedsReuse, 'amountFen'>[]): number {
  return d.entryId === null ? 0 : sumFen([d.priceFen ?? 0, d.insuranceFen ?? 0]) - reusedFen(reuses);
}

export interface ReusedProceeds {
  reuse: DisposalProceedsReuse;
  disposal: Disposal;
  replayed: boolean;
}

/**
 * 处置收入再利用 An owner village commits part of its share of a disposal's proceeds to a named assistance project
 * (帮扶项目) of its own village (or of its township or county): one journal entry (kind TRANSFER, source the
 * disposal) moves the amount from the owner collective's DISPOSAL_PROCEEDS to its PROJECT_FUNDING account, and
 * a re-use row names the project. The money never leaves the collective for a person: there is no payee. Not
 * more than what remains of the owner's share of that disposal. A retry with the same key returns the first.
 */
export async function reuseProceeds(svc: ServiceContext, raw: unknown): Promise<ReusedProceeds> {
  authorizeRole(svc.actor, 'disposal.write');
  const input = parseInput(reuseSchema, raw);
  const { idempotencyKey: key, ...body } = input;
  const fingerprint = requestFingerprint('disposalProceedsReuse', svc.actor.userId, body);
  // The journal lock first, then the key (docs/journal.md): a retry finds the first result.
  const replay = await replayOf(svc, key, fingerprint);
  if (replay) {
    const reuse = (await repo.findReuseByEntry(svc.db, replay.entry.id))!;
    return { reuse, disposal: (await repo.findDisposal(svc.db, reuse.disposalId))!, replayed: true };
  }
  const village = await requireRegion(svc.db, input.villageCode, ['input', 'villageCode'], ['VILLAGE']);
  authorize(svc.actor, 'disposal.write', village.code);
  const d = await repo.findDisposal(svc.db, input.disposalId, true);
  const owner = await collectiveOf(svc.db, svc.clock, village.code);
  const postings = d?.entryId ? await postingsOfEntry(svc, d.entryId) : [];
  const share = postings.find((p) => p.holderPartyId === owner.id && p.accountKind === 'DISPOSAL_PROCEEDS');
  if (!d || (!canRead(svc.actor, d.villageCode) && !share)) throw new DomainError('NOT_FOUND', 'No such disposal in your scope', ['input', 'disposalId']);
  if (d.status !== 'EXECUTED' || d.entryId === null) {
    throw new DomainError('ILLEGAL_TRANSITION', `The disposal is ${d.status}${d.status === 'EXECUTED' ? ' with no proceeds' : ''}: no proceeds to re-use`, ['input', 'disposalId']);
  }
  if (!share) throw new DomainError('NOT_AN_OWNER', `${owner.name} received no part of this disposal's proceeds`, ['input', 'villageCode']);
  requireNotFuture(svc, input.reusedOn, ['input', 'reusedOn']);
  if (input.reusedOn < d.proceedsReceivedOn!) {
    throw new DomainError('DATE_ORDER', `reusedOn must not be before the proceeds were received (${d.proceedsReceivedOn})`, ['input', 'reusedOn']);
  }
  const project = await requireProject(svc, input.projectId, ['input', 'projectId']);
  if (!isWithin(village.code, prefixOf(project.regionCode))) {
    throw new DomainError('INVALID_REGION', `Project ${project.name} is not a project of ${village.name} (its region is ${project.regionCode})`, ['input', 'projectId']);
  }
  const earlier = reusedFen((await repo.reusesOf(svc.db, [d.id])).filter((r) => r.ownerPartyId === owner.id));
  const remaining = Number(share.amountFen) - earlier;
  if (input.amountFen > remaining) {
    throw new DomainError(
      'INSUFFICIENT_BALANCE',
      `${owner.name} has ${formatFen(remaining)} yuan of this disposal's proceeds left to re-use; ${formatFen(input.amountFen)} cannot be committed`,
      ['input', 'amount'],
    );
  }
  const asset = (await assetsRepo.findById(svc.db, d.assetId))!;
  const posted = await postEntry(svc, {
    kind: 'TRANSFER',
    effectiveOn: input.reusedOn,
    memo: `${asset.name}（${asset.code}）处置收入再利用：${project.name}（${project.year}）`,
    source: { type: 'DISPOSAL', id: d.id },
    assetId: d.assetId,
    idempotencyKey: key,
    requestFingerprint: fingerprint,
    postings: [
      { holderPartyId: owner.id, kind: 'DISPOSAL_PROCEEDS', amountFen: -input.amountFen },
      { holderPartyId: owner.id, kind: 'PROJECT_FUNDING', amountFen: input.amountFen },
    ],
  });
  const row: Omit<DisposalProceedsReuse, 'id'> = {
    disposalId: d.id,
    ownerPartyId: owner.id,
    villageCode: village.code,
    countyCode: countyCodeOf(village.code),
    projectId: project.id,
    amountFen: input.amountFen,
    reusedOn: input.reusedOn,
    purpose: input.purpose,
    entryId: posted.entry.id,
    actorUserId: svc.actor.userId,
    recordedAt: svc.clock.now(),
  };
  const id = await repo.insertReuse(svc.db, row);
  await disposalEvent(svc, d, 'PROCEEDS_REUSE', d.status, input.reusedOn, { reuseId: id, projectId: project.id, amountFen: input.amountFen, entryId: posted.entry.id });
  return { reuse: { id, ...row }, disposal: d, replayed: false };
}

/**
 * A disposal's execution entry is never reversed bare: the asset is DISPOSED (terminal) and its proceeds, their
 * split and their re-use hang on that entry, so a reversal would leave the file saying money arrived that the
 * books no longer hold. There is no domain correction of an executed disposal; a wrong price is a finding.
 */
guardReversal(async (svc, entryId) => {
  const d = await repo.findByEntryId(svc.db, entryId);
  return d ? `books the proceeds of disposal #${d.id}, which is executed and terminal: its record would no longer match` : null;
});

/** A re-use's entry is reversed only with its record: the journal refuses its bare reversal. */
guardReversal(async (svc, entryId) => {
  const reuse = await repo.findReuseByEntry(svc.db, entryId);
  return reuse ? `re-uses the proceeds of disposal #${reuse.disposalId} for project #${reuse.projectId}: its record would no longer match` : null;
});

/** 处置收入汇总 Proceeds, re-used and remaining per village of the disposals executed in the region (and year). */
export async function proceedsByRegion(svc: ServiceContext, filter: { regionCode?: string | null; year?: number | null }): Promise<ProceedsByRegion[]> {
  return repo.proceedsByVillage(svc.db, scopedPrefix(svc.actor, filter.regionCode), filter.year);
}

// =========================================================================================================
// Reads
// =========================================================================================================

export async function getDisposal(svc: ServiceContext, id: number): Promise<Disposal | null> {
  const d = await repo.findDisposal(svc.db, id);
  return d && canRead(svc.actor, d.villageCode) ? d : null;
}

export async function getPledge(svc: ServiceContext, id: number): Promise<AssetPledge | null> {
  const p = await repo.findPledge(svc.db, id);
  return p && canRead(svc.actor, p.villageCode) ? p : null;
}

/** The disposals the actor may read, of those another path reached (getDisposal's rule: the disposal's village). */
export function visibleDisposals(svc: ServiceContext, disposals: readonly Disposal[]): Disposal[] {
  return disposals.filter((d) => canRead(svc.actor, d.villageCode));
}

/** The pledges the actor may read, of those another path reached (getPledge's rule: the pledge's village). */
export function visiblePledges(svc: ServiceContext, pledges: readonly AssetPledge[]): AssetPledge[] {
  return pledges.filter((p) => canRead(svc.actor, p.villageCode));
}

export interface DisposalListFilter {
  regionCode?: string | null;
  year?: number | null;
  method?: string | null;
  status?: string | null;
  assetId?: number | null;
}

/** Disposals by region, year, method and status (county finance's list); flags are a field of each. */
export async function listDisposals(svc: ServiceContext, filter: DisposalListFilter, page: PageArgs) {
  const prefix = scopedPrefix(svc.actor, filter.regionCode);
  return keysetPage(repo.listQuery(svc.db, { ...filter, regionPrefix: prefix }), page, repo.toDisposal);
}

export async function listPledges(svc: ServiceContext, filter: { regionCode?: string | null; status?: string | null }, page: PageArgs) {
  const prefix = scopedPrefix(svc.actor, filter.regionCode);
  return keysetPage(repo.pledgeListQuery(svc.db, { ...filter, regionPrefix: prefix }), page, repo.toPledge);
}

/**
 * 风险提示 What county finance should look at: a price below the appraisal (under an approved exception), an
 * approved disposal with no notice yet, a buyer related to the village's officials (by the officials register,
 * see isRelated), proceeds received later than the county's limit.
 */
export async function flagsOf(svc: ServiceContext, d: Disposal, recipient: Party | null, countyPolicy?: DisposalPolicy): Promise<DisposalFlag[]> {
  const flags: DisposalFlag[] = [];
  if (d.status === 'EXECUTED' && d.appraisedValueFen !== null && d.priceFen !== null && d.priceFen > 0 && d.priceFen < d.appraisedValueFen) {
    flags.push('BELOW_APPRAISAL_WITH_EXCEPTION');
  }
  if (d.status === 'APPROVED') flags.push('NO_NOTICE');
  if (recipient && (await isRelated(svc.db, d, recipient))) flags.push('RELATED_BUYER');
  if (d.status === 'EXECUTED' && d.entryId !== null) {
    const policy = countyPolicy ?? (await disposalPolicyFor(svc.db, d.villageCode));
    if (d.proceedsReceivedOn! > addDays(d.executedOn!, policy.proceedsBookingDays)) flags.push('PROCEEDS_LATE');
  }
  return flags;
}

async function isRelated(db: Executor, d: Disposal, recipient: Party): Promise<boolean> {
  // 关联方 by the officials register (issue 14): the buyer is the own party of an official recorded for the
  // village, or the party of an official's household, in office on the execution date (pending: at any time
  // from the request on). The register entries of the users serving the village (its clerks, its township's
  // reviewers) count wherever they are recorded.
  if (!INDIVIDUALS.includes(recipient.kind)) return false;
  const users = await findUsersInRegions(db, [d.villageCode, townshipCodeOf(d.villageCode)]);
  const date = d.executedOn ?? d.requestedOn;
  const related = await relatedOfficials(db, d.villageCode, recipient.id, date, { pending: d.executedOn === null, userIds: users.map((u) => u.id) });
  return related.length > 0;
}

export const disposalsOfAssets = (db: Executor, assetIds: readonly number[]) => repo.disposalsOfAssets(db, assetIds);
