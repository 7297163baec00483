/**
 * 审批链 One approval chain for every decision that needs someone else's consent (DESIGN §4): ordered steps,
 * each decided by the role and region it names, in order; a rejection ends the chain. A typed-in reference
 * is evidence, never authority: only the officer the step names can decide it.
 *
 * Modules that open chains react when one settles through `onChainSettled` (registered by the module that
 * owns the purpose), so approvals never import the modules above them.
 */
import { z } from 'zod';
import type { ServiceContext } from '../../shared/context';
import { DomainError } from '../../shared/errors';
import { forbidden } from '../../shared/errors';
import { requireNotFuture } from '../../shared/dates';
import { keysetPage, PageArgs } from '../../shared/pagination';
import { dateString, optionalText, parseInput } from '../../shared/validation';
import { canRead } from '../auth/auth.service';
import { countyCodeOf, isWithin } from '../regions/regions.codes';
import * as repo from './approvals.repository';
import { ROLE_OF_STEP } from './approvals.types';
import type { ApprovalChain, ApprovalDecision, ApprovalPurpose, ApprovalStep, ResolutionMeeting, StepSpec } from './approvals.types';

export type SettledHandler = (svc: ServiceContext, chain: ApprovalChain, decision: ApprovalDecision) => Promise<void>;
const settledHandlers = new Map<ApprovalPurpose, SettledHandler>();

/** The owning module's reaction when a chain of its purpose is approved or rejected (same transaction). */
export function onChainSettled(purpose: ApprovalPurpose, handler: SettledHandler): void {
  settledHandlers.set(purpose, handler);
}

export interface ChainRequest {
  purpose: ApprovalPurpose;
  subjectType: string;
  subjectId: number | null;
  /** The region the request comes from (usually the asset's village). */
  regionCode: string;
  /** The template the county policy chose (named for the audit trail, e.g. DISPOSAL_TIER_2). */
  template: string;
  steps: StepSpec[];
  summary: Record<string, unknown>;
  requestedOn: string;
}

/** Opens a chain (called by the module that owns the purpose, after its own checks). */
export async function openChain(svc: ServiceContext, req: ChainRequest): Promise<ApprovalChain> {
  if (req.steps.length === 0) throw new Error('an approval chain needs at least one step');
  requireNotFuture(svc, req.requestedOn, ['input', 'requestedOn']);
  const now = svc.clock.now();
  const chain: Omit<ApprovalChain, 'id'> = {
    purpose: req.purpose,
    subjectType: req.subjectType,
    subjectId: req.subjectId,
    countyCode: countyCodeOf(req.regionCode),
    regionCode: req.regionCode,
    template: req.template,
    status: 'PENDING',
    summary: req.summary,
    requestedBy: svc.actor.userId,
    requestedOn: req.requestedOn,
    createdAt: now,
    updatedAt: now,
  };
  const steps = req.steps.map((s, i) => ({ seq: i + 1, kind: s.kind, role: ROLE_OF_STEP[s.kind], regionCode: s.regionCode }));
  const id = await repo.insertChain(svc.db, chain, steps);
  return { id, ...chain };
}

export async function linkSubject(svc: ServiceContext, chainId: number, subjectId: number): Promise<void> {
  await repo.setSubject(svc.db, chainId, subjectId, svc.clock.now());
}

const meetingSchema = z.object({
  heldOn: dateString,
  memberCount: z.number().int().min(1).max(100000),
  attendance: z.number().int().min(1).max(100000),
  votesFor: z.number().int().min(0).max(100000),
});

const decideSchema = z.object({
  chainId: z.number(),
  decision: z.enum(['APPROVE', 'REJECT']),
  decidedOn: dateString,
  reference: optionalText(100),
  reason: optionalText(1000),
  meeting: meetingSchema.nullish(),
  documentIds: z.array(z.number()).max(50).nullish(),
});

/** A chain the actor may see: its region, or any step's region, in the actor's scope. */
async function requireVisibleChain(svc: ServiceContext, chainId: number): Promise<{ chain: ApprovalChain; steps: ApprovalStep[] }> {
  const chain = await repo.findChain(svc.db, chainId, true);
  const steps = chain ? await repo.stepsOf(svc.db, [chain.id]) : [];
  if (!chain || !isChainVisible(svc, chain, steps)) {
    throw new DomainError('NOT_FOUND', 'No such approval chain in your scope', ['input', 'chainId']);
  }
  return { chain, steps };
}

function isChainVisible(svc: ServiceContext, chain: ApprovalChain, steps: ApprovalStep[]): boolean {
  return canRead(svc.actor, chain.regionCode) || steps.some((s) => canRead(svc.actor, s.regionCode));
}

/** 四议两公开: at least two thirds of the representatives present, more than half of them in favour. */
function requireResolution(m: ResolutionMeeting | null | undefined, decidedOn: string): ResolutionMeeting {
  if (!m) throw new DomainError('REQUIRED', 'A village resolution records its meeting (四议两公开)', ['input', 'meeting']);
  if (m.attendance > m.memberCount) throw new DomainError('OUT_OF_RANGE', 'attendance exceeds the members', ['input', 'meeting', 'attendance']);
  if (m.votesFor > m.attendance) throw new DomainError('OUT_OF_RANGE', 'more votes than people present', ['input', 'meeting', 'votesFor']);
  if (m.attendance * 3 < m.memberCount * 2) {
    throw new DomainError('QUORUM_NOT_MET', `${m.attendance} of ${m.memberCount} present: at least two thirds must attend`, ['input', 'meeting', 'attendance']);
  }
  if (m.votesFor * 2 <= m.attendance) {
    throw new DomainError('MAJORITY_NOT_REACHED', `${m.votesFor} of ${m.attendance} present in favour: more than half is needed`, ['input', 'meeting', 'votesFor']);
  }
  if (m.heldOn > decidedOn) throw new DomainError('DATE_ORDER', 'The meeting is held on or before the decision', ['input', 'meeting', 'heldOn']);
  return m;
}

/**
 * 审批 Decides the next step of a chain. Only the role and region the step names may decide it; steps go in
 * order and dates never run backwards; a rejection needs its reason and ends the chain.
 */
export async function decide(svc: ServiceContext, raw: unknown): Promise<ApprovalChain> {
  const input = parseInput(decideSchema, raw);
  const { chain, steps } = await requireVisibleChain(svc, input.chainId);
  const decisions = await repo.decisionsOf(svc.db, [chain.id]);
  const step = steps.find((s) => !decisions.some((d) => d.stepId === s.id));
  if (chain.status !== 'PENDING' || !step) {
    throw new DomainError('ILLEGAL_TRANSITION', `The chain is ${chain.status}: nothing is left to decide`, ['input', 'chainId']);
  }
  requireDecider(svc, step);
  requireNotFuture(svc, input.decidedOn, ['input', 'decidedOn']);
  const after = decisions.reduce((d, x) => (x.decidedOn > d ? x.decidedOn : d), chain.requestedOn);
  if (input.decidedOn < after) {
    throw new DomainError('DATE_ORDER', `decidedOn must not be before ${after} (the request or the previous step)`, ['input', 'decidedOn']);
  }
  if (input.decision === 'REJECT' && !input.reason) throw new DomainError('REQUIRED', 'A rejection states its reason', ['input', 'reason']);
  const meeting = step.kind === 'VILLAGE_RESOLUTION' ? requireResolution(input.meeting, input.decidedOn) : null;
  if ((step.kind === 'VILLAGE_RESOLUTION' || step.kind === 'VILLAGE_FILING') && !input.reference) {
    throw new DomainError('REQUIRED', 'A village resolution or filing names its record (会议记录/备案编号)', ['input', 'reference']);
  }
  const decision: Omit<ApprovalDecision, 'id'> = {
    chainId: chain.id,
    stepId: step.id,
    decision: input.decision,
    decidedOn: input.decidedOn,
    reference: input.reference ?? null,
    reason: input.reason ?? null,
    meeting,
    documentIds: input.documentIds ?? [],
    actorUserId: svc.actor.userId,
    recordedAt: svc.clock.now(),
  };
  const id = await repo.insertDecision(svc.db, decision);
  const last = step.seq === steps[steps.length - 1].seq;
  if (input.decision === 'APPROVE' && !last) return chain;
  const settled: ApprovalChain = { ...chain, status: input.decision === 'APPROVE' ? 'APPROVED' : 'REJECTED' };
  await repo.setStatus(svc.db, chain.id, settled.status, svc.clock.now());
  await settledHandlers.get(chain.purpose)?.(svc, settled, { id, ...decision });
  return settled;
}

/** The step names its decider: that role, inside that region. Nobody else, ADMIN included, decides it. */
function requireDecider(svc: ServiceContext, step: ApprovalStep): void {
  if (svc.actor.role !== step.role || !isWithin(step.regionCode, svc.actor.scopePrefix)) {
    throw forbidden(`This step (${step.kind}) is decided by ${step.role} of ${step.regionCode} (无此审批权限)`);
  }
}

/** Withdraws a pending chain (the request it approves was cancelled by its owner module). */
export async function withdrawChain(svc: ServiceContext, chain: ApprovalChain): Promise<void> {
  if (chain.status !== 'PENDING') {
    throw new DomainError('ILLEGAL_TRANSITION', `The approval chain is already ${chain.status}`, ['input']);
  }
  await repo.setStatus(svc.db, chain.id, 'WITHDRAWN', svc.clock.now());
}

/** Requires a settled, approved chain of the purpose for the subject (e.g. before executing a disposal). */
export async function requireApproved(svc: ServiceContext, chainId: number, field: string[]): Promise<ApprovalChain> {
  const chain = await repo.findChain(svc.db, chainId);
  if (!chain || chain.status !== 'APPROVED') {
    throw new DomainError('APPROVAL_REQUIRED', `The approval chain is ${chain?.status ?? 'missing'}, not APPROVED`, field);
  }
  return chain;
}

/** The date of a chain's last decision (its approval date, once approved). */
export async function lastDecisionOn(svc: ServiceContext, chain: ApprovalChain): Promise<string> {
  return (await repo.decisionsOf(svc.db, [chain.id])).reduce((d, x) => (x.decidedOn > d ? x.decidedOn : d), chain.requestedOn);
}

export async function getChain(svc: ServiceContext, id: number): Promise<ApprovalChain | null> {
  const chain = await repo.findChain(svc.db, id);
  if (!chain) return null;
  return isChainVisible(svc, chain, await repo.stepsOf(svc.db, [id])) ? chain : null;
}

/** An officer's in-tray: pending chains whose next step the actor decides. */
export async function chainsAwaitingMe(svc: ServiceContext, page: PageArgs) {
  return keysetPage(repo.awaitingQuery(svc.db, svc.actor.role, svc.actor.scopePrefix), page, repo.toChain, 'approval_chains.id');
}

/** Chains of subjects (for a module's own field, e.g. a disposal's approvals); the subject's read rule applies. */
export async function chainsOf(svc: ServiceContext, subjectType: string, subjectId: number): Promise<ApprovalChain[]> {
  return repo.chainsOfSubjects(svc.db, subjectType, [subjectId]);
}

export function stepStatus(step: ApprovalStep, decisions: ApprovalDecision[]): ApprovalDecision | null {
  return decisions.find((d) => d.stepId === step.id) ?? null;
}

