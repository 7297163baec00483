import crypto from 'node:crypto';
import { z } from 'zod';
import type { ServiceContext } from '../../shared/context';
import type { Executor } from '../../db/connection';
import type { Clock } from '../../shared/clock';
import { addDays, daysBetween } from '../../shared/dates';
import { DomainError } from '../../shared/errors';
import { formatFen, MAX_FEN } from '../../shared/money';
import { keysetPage, PageArgs } from '../../shared/pagination';
import { dateString, optionalText, parseInput, text } from '../../shared/validation';
import { requireNotFuture } from '../../shared/dates';
import { authorize, canRead, Permission } from '../auth/auth.service';
import * as householdsRepo from '../households/households.repository';
import { maskResidentId } from '../households/residentId';
import * as regionsRepo from '../regions/regions.repository';
import { statusOn } from '../households/households.service';
import type { Household, HouseholdStatus, HouseholdStatusChange } from '../households/households.types';
import { collectiveOf, householdPartyIdsOf, householdPartyOf } from '../parties/parties.service';
import { policyFor } from '../policy/policy.service';
import type { CountyPolicy } from '../policy/policy.types';
import { requireRegion, scopedPrefix } from '../regions/regions.service';
import { canonicalJson } from '../journal/journal.hash';
import { isReversed, MAX_ENTRY_POSTINGS, postingsOfEntry } from '../journal/journal.service';
import { AttendanceRow, computeLines, ComputedLine } from './distribution.allocation';
import { claimFunding, Funding, fundingFor, receiptEntryIds, requireFundingStands } from './distribution.receipts';
import { computePlanFlags } from './distribution.flags';
import { availableFen, FUND_OF_LINE, post, replayed } from './distribution.ledger';
import { journalHead } from '../journal/journal.service';
import * as repo from './distribution.repository';
import {
  DIVIDEND_ELIGIBLE,
  ELIGIBILITY_CHECKED,
  Flag,
  LINE_BASES,
  LINE_TYPE_NAMES,
  LINE_TYPES,
  LineType,
  MEETING_STEPS,
  Plan,
  PlanStatus,
  paymentFinder,
  pays,
  RECIPIENT_FORBIDDEN,
  RECIPIENT_REQUIRED,
} from './distribution.types';

// ------------------------------------------------------------------------------------------------------
// Drafting: compute a plan from its lines, check every recipient, and (unless previewing) save it.
// ------------------------------------------------------------------------------------------------------

const attendanceSchema = z.object({
  fromOn: dateString,
  toOn: dateString,
  days: z.number().int().min(1, 'at least one day').max(366),
  note: optionalText(200),
});

const recipientSchema = z.object({
  householdId: z.number(),
  weight: z.number().int().min(1, 'weight must be a positive integer').max(1_000_000).nullish(),
  workDays: z.number().int().min(0).max(366, 'at most 366 work days').nullish(),
  attendance: z.array(attendanceSchema).max(400).nullish(),
  hardshipCategory: z.string().trim().min(1).max(50).nullish(),
});

const lineSchema = z.object({
  type: z.enum(LINE_TYPES),
  basis: z.enum(LINE_BASES),
  amountFen: z.number().int().min(1).max(MAX_FEN).nullish(),
  percentBp: z.number().int().nullish(),
  description: text(500),
  recipients: z.array(recipientSchema).max(20000).default([]),
});

const planSchema = z.object({
  villageCode: z.string(),
  title: text(200),
  periodFrom: dateString,
  periodTo: dateString,
  planOn: dateString,
  totalFen: z.number().int().min(1, 'total must be positive').max(MAX_FEN).nullish(),
  /** Receipts to distribute by global id (JournalEntry or IncomeRecord); default: the period's undistributed ones. */
  receipts: z.array(z.string()).min(1).max(5000).nullish(),
  lines: z.array(lineSchema).min(1, 'at least one line').max(50),
});

export interface PlanDraft {
  plan: Omit<Plan, 'id'>;
  lines: ComputedLine[];
  statusOf: Map<number, HouseholdStatus>;
  /** What the plan may distribute: its receipts less the period's costs. */
  availableFen: number;
  funding: Funding;
  flags: Flag[];
}

/** The households one plan may pay: its execution entry holds a posting per household besides the fund postings. */
export const MAX_PLAN_HOUSEHOLDS = MAX_ENTRY_POSTINGS - 100;

async function draftPlan(svc: ServiceContext, raw: unknown): Promise<PlanDraft> {
  const input = parseInput(planSchema, raw);
  await requireRegion(svc.db, input.villageCode, ['input', 'villageCode'], ['VILLAGE']);
  authorize(svc.actor, 'distribution.write', input.villageCode);
  const idSet = new Set<number>();
  for (const l of input.lines) for (const r of l.recipients) idSet.add(r.householdId);
  const ids = [...idSet];
  if (ids.length > MAX_PLAN_HOUSEHOLDS) {
    // Execution pays every household in one journal entry: a plan that could not be posted is refused now, not after its vote.
    throw new DomainError('OUT_OF_RANGE', `${ids.length} households named: a plan pays at most ${MAX_PLAN_HOUSEHOLDS}`, ['input', 'lines']);
  }
  if (input.periodFrom > input.periodTo) {
    throw new DomainError('DATE_ORDER', 'periodTo must not be before periodFrom', ['input', 'periodTo']);
  }
  if (input.planOn < input.periodTo) {
    throw new DomainError('DATE_ORDER', 'planOn must not be before the end of the period it distributes', ['input', 'planOn']);
  }
  requireNotFuture(svc, input.planOn, ['input', 'planOn']);
  const policy = await policyFor(svc.db, input.villageCode);
  const owner = await collectiveOf(svc.db, svc.clock, input.villageCode);
  const named = input.receipts ? await receiptEntryIds(svc, input.receipts) : null;
  const funding = await fundingFor(svc, owner.id, { from: input.periodFrom, to: input.periodTo }, named);
  const totalFen = await planTotal(svc, owner.id, funding, input.totalFen);
  const available = funding.distributableFen;

  const { households, statusOf } = await householdsAndStatuses(svc, input.villageCode, ids, input.planOn);

  const specs = input.lines.map((l, i) => {
    const field = ['input', 'lines', String(i)];
    if (RECIPIENT_REQUIRED.includes(l.type) && !l.recipients.length) {
      throw new DomainError('LINE_RECIPIENTS_INVALID', `${l.type} lines must name their recipient households`, [...field, 'recipients']);
    }
    if (RECIPIENT_FORBIDDEN.includes(l.type) && l.recipients.length) {
      throw new DomainError('LINE_RECIPIENTS_INVALID', `${l.type} goes to the collective's fund, not to households`, [...field, 'recipients']);
    }
    const seen = new Set<number>();
    const isJob = l.type === 'PUBLIC_WELFARE_JOB';
    const recipients = l.recipients.map((r, k) => {
      // The error path of recipient k, built only when there is an error to report (10,000 recipients).
      const rf = () => recipientField(i, k);
      const h = households.get(r.householdId);
      if (!h || h.villageCode !== input.villageCode) {
        throw new DomainError('NOT_FOUND', 'No such household in this village', [...rf(), 'householdId']);
      }
      if (seen.has(h.id)) throw new DomainError('DUPLICATE', `${h.headName}户 appears twice in this line`, [...rf(), 'householdId']);
      seen.add(h.id);
      const status = statusOf.get(h.id);
      const hardshipCategory = requireEligible(l.type, r, h, status, policy, input.planOn, rf);
      const attendance = isJob ? requireAttendance(r, { from: input.periodFrom, to: input.periodTo }, rf) : [];
      const workDays = isJob ? attendance.reduce((s, a) => s + a.days, 0) : r.workDays ?? null;
      return { householdId: h.id, weight: weightOf(l.type, r.weight, workDays, h, status, policy, rf), workDays, hardshipCategory, attendance };
    });
    return { type: l.type, basis: l.basis, fixedFen: l.amountFen, percentBp: l.percentBp, description: l.description, recipients };
  });

  const lines = computeLines(totalFen, specs);
  const now = svc.clock.now();
  const plan: Omit<Plan, 'id'> = {
    ownerPartyId: owner.id,
    villageCode: input.villageCode,
    title: input.title,
    periodFrom: input.periodFrom,
    periodTo: input.periodTo,
    planOn: input.planOn,
    totalFen,
    status: 'DRAFT',
    noticeStartOn: null,
    noticeEndOn: null,
    approvedOn: null,
    executedOn: null,
    executionEntryId: null,
    resultsStartOn: null,
    resultsEndOn: null,
    reversesPlanId: null,
    createdBy: svc.actor.userId,
    createdAt: now,
    updatedAt: now,
  };
  const flags = computePlanFlags({
    plan: { ...plan, id: 0 },
    lines: lines.map((l) => ({ type: l.type, amountFen: l.amountFen, recipients: l.recipients })),
    payments: [],
    policy,
    today: svc.clock.today(),
  });
  return { plan, lines, statusOf, availableFen: available, funding, flags };
}

/**
 * Rule 11: the total is what the plan's receipts leave after the period's costs — all of it; what the
 * village keeps is a retention line, never money left behind. A given total must say the same.
 */
async function planTotal(svc: ServiceContext, ownerPartyId: number, funding: Funding, given: number | null | undefined): Promise<number> {
  const distributable = funding.distributableFen;
  if (!funding.receipts.length || distributable <= 0) {
    const why = funding.receipts.length ? `its costs (${formatFen(funding.costsFen)} yuan) use up the receipts` : 'no undistributed income was received in the period';
    throw new DomainError('NO_INCOME_AVAILABLE', `Nothing to distribute: ${why}`, ['input', 'receipts']);
  }
  if (given != null && given > distributable) {
    throw new DomainError('PLAN_EXCEEDS_AVAILABLE', `The total exceeds what the receipts leave after costs (${formatFen(distributable)} yuan)`, ['input', 'total']);
  }
  if (given != null && given < distributable) {
    throw new DomainError(
      'TOTAL_NOT_DISTRIBUTABLE',
      `The receipts less costs come to ${formatFen(distributable)} yuan; distribute all of it (keep money with a retention line) or name fewer receipts`,
      ['input', 'total'],
    );
  }
  // The journal is the last word: money already moved out by plans from before receipts were tracked.
  const pending = await availableFen(svc, ownerPartyId);
  if (distributable > pending) {
    throw new DomainError('PLAN_EXCEEDS_AVAILABLE', `Only ${formatFen(pending)} yuan is awaiting distribution`, ['input', 'total']);
  }
  return distributable;
}

/** A plan naming at least this many households reads its whole village once instead of each by id. */
const VILLAGE_READ_FROM = 200;

/**
 * The named households and each one's status on the plan date. A large plan reads its village's households
 * with their statuses on the date in one statement with two bound values (issue 16, G5); a named household
 * of another village is then simply absent, i.e. NOT_FOUND as before. A small plan reads its households by id.
 */
async function householdsAndStatuses(
  svc: ServiceContext,
  villageCode: string,
  ids: number[],
  on: string,
): Promise<{ households: Map<number, DraftHousehold>; statusOf: Map<number, HouseholdStatus> }> {
  if (ids.length >= VILLAGE_READ_FROM) {
    const households = new Map<number, DraftHousehold>();
    const statusOf = new Map<number, HouseholdStatus>();
    for (const h of await householdsRepo.villageOnDate(svc.db, villageCode, on)) {
      households.set(h.id, h);
      if (h.status) statusOf.set(h.id, h.status);
    }
    return { households, statusOf };
  }
  const households = new Map<number, DraftHousehold>((await householdsRepo.findByIds(svc.db, ids)).map((h) => [h.id, h]));
  return { households, statusOf: await statusesOn(svc, villageCode, ids, on) };
}

/** What drafting reads of a household. */
type DraftHousehold = Pick<Household, 'id' | 'villageCode' | 'headName' | 'memberCount'>;

/** The status on a date of households of a village (those with none by then are absent). */
async function statusesOn(svc: ServiceContext, villageCode: string, ids: number[], on: string): Promise<Map<number, HouseholdStatus>> {
  if (ids.length >= VILLAGE_READ_FROM) {
    const statusOf = new Map<number, HouseholdStatus>();
    for (const h of await householdsRepo.villageOnDate(svc.db, villageCode, on)) if (h.status) statusOf.set(h.id, h.status);
    return statusOf;
  }
  const historyOf = new Map<number, HouseholdStatusChange[]>();
  for (const c of await householdsRepo.statusHistory(svc.db, ids)) {
    if (!historyOf.has(c.householdId)) historyOf.set(c.householdId, []);
    historyOf.get(c.householdId)!.push(c);
  }
  const statusOf = new Map<number, HouseholdStatus>();
  for (const id of ids) {
    const s = statusOn(historyOf.get(id) ?? [], on);
    if (s) statusOf.set(id, s);
  }
  return statusOf;
}

/** The input path of a line's recipient, as errors report it. */
function recipientField(line: number, k: number): string[] {
  return ['input', 'lines', String(line), 'recipients', String(k)];
}

/**
 * Eligibility on the plan date (brief §11 rule 14). Dividends: 脱贫户 and 监测对象 only. Rewards and grants:
 * those, or a hardship category the county lists (e.g. 低保户), recorded on the recipient and shown on the
 * notice. Job wages are earned by recorded work instead (requireAttendance). Returns the category relied on.
 */
function requireEligible(
  type: LineType,
  r: { hardshipCategory?: string | null },
  h: DraftHousehold,
  status: HouseholdStatus | undefined,
  policy: CountyPolicy,
  planOn: string,
  field: () => string[],
): string | null {
  if (!ELIGIBILITY_CHECKED.includes(type)) return null;
  const eligible = !!status && DIVIDEND_ELIGIBLE.includes(status);
  if (type === 'REWARD_GRANT' && r.hardshipCategory) {
    if (policy.hardshipCategories.includes(r.hardshipCategory)) return r.hardshipCategory;
    throw new DomainError('INELIGIBLE_BENEFICIARY', `${r.hardshipCategory} is not a hardship category of this county (${policy.hardshipCategories.join('、') || 'none set'})`, [
      ...field(),
      'hardshipCategory',
    ]);
  }
  if (eligible) return null;
  const who = type === 'HOUSEHOLD_DIVIDEND' ? 'dividends go to 脱贫户 and 监测对象 only' : 'rewards and grants go to 脱贫户, 监测对象 or a listed hardship category';
  throw new DomainError('INELIGIBLE_BENEFICIARY', `${h.headName}户 is ${status ?? 'not registered'} on ${planOn}; ${who}`, [...field(), 'householdId']);
}

/**
 * 先劳后得: job wages need attendance rows — date ranges inside the period, not overlapping, each with no
 * more days worked than it has days — and are split by their sum. A typed number alone is not a record.
 */
function requireAttendance(r: { workDays?: number | null; attendance?: AttendanceRow[] | null }, period: { from: string; to: string }, field: () => string[]): AttendanceRow[] {
  const rows = [...(r.attendance ?? [])];
  if (!rows.length) {
    throw new DomainError('WORK_NOT_RECORDED', 'Public-welfare job wages need attendance rows (dates and days worked): no pay before work', [...field(), 'attendance']);
  }
  rows.forEach((a, k) => {
    const af = [...field(), 'attendance', String(k)];
    if (a.fromOn > a.toOn) throw new DomainError('DATE_ORDER', 'toOn must not be before fromOn', [...af, 'toOn']);
    if (a.fromOn < period.from || a.toOn > period.to) {
      throw new DomainError('DATE_ORDER', `Work must fall in the plan's period ${period.from} – ${period.to}`, [...af, 'fromOn']);
    }
    if (a.days > daysBetween(a.fromOn, a.toOn) + 1) {
      throw new DomainError('OUT_OF_RANGE', `${a.days} days worked between ${a.fromOn} and ${a.toOn}: more than the days in it`, [...af, 'days']);
    }
  });
  const sorted = rows.map((a, k) => ({ a, k })).sort((x, y) => (x.a.fromOn < y.a.fromOn ? -1 : 1));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].a.fromOn <= sorted[i - 1].a.toOn) {
      throw new DomainError('DATE_ORDER', `Attendance rows overlap (${sorted[i - 1].a.fromOn} – ${sorted[i - 1].a.toOn})`, [...field(), 'attendance', String(sorted[i].k), 'fromOn']);
    }
  }
  const days = rows.reduce((s, a) => s + a.days, 0);
  if (r.workDays != null && r.workDays !== days) {
    throw new DomainError('INVALID_INPUT', `workDays (${r.workDays}) differs from the attendance rows (${days} days)`, [...field(), 'workDays']);
  }
  return rows;
}

/**
 * A recipient's weight: public-welfare jobs are paid by recorded work days (no days, no wage: 先劳后得);
 * dividends by household members × the county's status weight (因素法) unless a weight is given; rewards
 * by the weight given (default 1).
 */
function weightOf(
  type: string,
  weight: number | null | undefined,
  workDays: number | null | undefined,
  h: DraftHousehold,
  status: HouseholdStatus | undefined,
  policy: CountyPolicy,
  field: () => string[],
): number {
  if (type === 'PUBLIC_WELFARE_JOB') {
    if (!workDays) {
      throw new DomainError('WORK_NOT_RECORDED', 'Public-welfare job wages need recorded work days (no pay before work)', [...field(), 'workDays']);
    }
    return workDays;
  }
  if (weight) return weight;
  if (type === 'HOUSEHOLD_DIVIDEND') {
    return h.memberCount * (status === 'MONITORED' ? policy.monitoredWeightBp : policy.formerlyPoorWeightBp);
  }
  return 1;
}

export async function previewPlan(svc: ServiceContext, raw: unknown): Promise<PlanDraft> {
  return draftPlan(svc, raw);
}

export async function createPlan(svc: ServiceContext, raw: unknown): Promise<Plan> {
  const d = await draftPlan(svc, raw);
  const id = await repo.insertPlan(svc.db, d.plan, d.lines, d.statusOf);
  await claimFunding(svc, id, d.plan.ownerPartyId, d.funding);
  await repo.insertEvent(svc.db, {
    planId: id,
    action: 'CREATE',
    fromStatus: null,
    toStatus: 'DRAFT',
    effectiveOn: d.plan.planOn,
    reason: null,
    payload: {
      totalFen: d.plan.totalFen,
      receiptsFen: d.funding.receiptsFen,
      costsFen: d.funding.costsFen,
      receipts: d.funding.receipts.map((r) => r.entryId),
      costs: d.funding.costs.map((c) => c.entryId),
      lines: d.lines.length,
      flags: d.flags.map((f) => f.code),
    },
    actorUserId: svc.actor.userId,
    recordedAt: d.plan.createdAt,
  });
  return { id, ...d.plan };
}

// ------------------------------------------------------------------------------------------------------
// The procedure: 四议 meetings → notice (公示) → township review → execution → payments → results (公开).
// ------------------------------------------------------------------------------------------------------

/** Loads a plan the actor may see (locked for the transaction), or NOT_FOUND. */
async function requirePlan(svc: ServiceContext, planId: number): Promise<Plan> {
  const plan = await repo.findPlan(svc.db, planId, true);
  if (!plan || !canRead(svc.actor, plan.villageCode)) throw new DomainError('NOT_FOUND', 'No such distribution plan in your scope', ['input', 'planId']);
  return plan;
}

/**
 * Authorises a money-moving step before its idempotency key is looked up (the lookup takes the journal lock
 * first, so the plan is read here without locking it): a user outside the plan's village, or without the
 * role, learns nothing about keys. openPlan re-checks under the lock.
 */
async function authorizePlanStep(svc: ServiceContext, planId: number, permission: Permission): Promise<void> {
  const plan = await repo.findPlan(svc.db, planId);
  if (!plan || !canRead(svc.actor, plan.villageCode)) throw new DomainError('NOT_FOUND', 'No such distribution plan in your scope', ['input', 'planId']);
  authorize(svc.actor, permission, plan.villageCode);
}

/** Opens a plan for one step: visible, the actor's role allowed there, and the plan in an allowed status. */
async function openPlan(svc: ServiceContext, planId: number, permission: Permission, allowed: PlanStatus[], action: string): Promise<Plan> {
  const plan = await requirePlan(svc, planId);
  authorize(svc.actor, permission, plan.villageCode);
  requireStatus(plan, allowed, action);
  return plan;
}

function requireStatus(plan: Plan, allowed: PlanStatus[], action: string): void {
  if (!allowed.includes(plan.status)) {
    throw new DomainError('ILLEGAL_TRANSITION', `${action} is not allowed for a plan in status ${plan.status} (allowed: ${allowed.join(', ')})`, [
      'input',
      'planId',
    ]);
  }
}

async function moveTo(
  svc: ServiceContext,
  plan: Plan,
  action: string,
  to: PlanStatus,
  effectiveOn: string,
  opts: { reason?: string | null; payload?: unknown; patch?: Partial<Plan> } = {},
): Promise<Plan> {
  const patch = { ...opts.patch, status: to, updatedAt: svc.clock.now() };
  await repo.updatePlan(svc.db, plan.id, patch);
  await appendPlanEvent(svc, plan, action, to, effectiveOn, opts.payload ?? {}, opts.reason ?? null);
  return { ...plan, ...patch };
}

const meetingSchema = z
  .object({
    planId: z.number(),
    step: z.enum(MEETING_STEPS),
    heldOn: dateString,
    memberCount: z.number().int().min(1).max(100000),
    attendance: z.number().int().min(1).max(100000),
    votesFor: z.number().int().min(0),
    votesAgainst: z.number().int().min(0),
    abstentions: z.number().int().min(0),
    minutesRef: optionalText(200),
    note: optionalText(1000),
  })
  .refine((m) => m.attendance <= m.memberCount, { message: 'attendance exceeds the members', path: ['attendance'], params: { code: 'OUT_OF_RANGE' } })
  .refine((m) => m.votesFor + m.votesAgainst + m.abstentions <= m.attendance, {
    message: 'more votes than people present',
    path: ['votesFor'],
    params: { code: 'OUT_OF_RANGE' },
  });

/**
 * Records one of the four deliberations, in order. Party members' and representatives' meetings need two
 * thirds of their members present (村民委员会组织法 §26; party-member meeting rule [S26]); every step needs
 * more than half of those present in favour. The representatives' resolution completes 四议: → RESOLVED.
 */
export async function recordMeeting(svc: ServiceContext, raw: unknown): Promise<Plan> {
  const m = parseInput(meetingSchema, raw);
  const plan = await openPlan(svc, m.planId, 'distribution.write', ['DRAFT'], 'Recording a meeting');
  const held = await repo.meetingsOf(svc.db, [plan.id]);
  const expected = MEETING_STEPS[held.length];
  if (m.step !== expected) {
    throw new DomainError('ILLEGAL_TRANSITION', `The next step of 四议两公开 is ${expected}, not ${m.step}`, ['input', 'step']);
  }
  requireNotFuture(svc, m.heldOn, ['input', 'heldOn']);
  const last = held[held.length - 1];
  if (last && m.heldOn < last.heldOn) {
    throw new DomainError('DATE_ORDER', `heldOn must not be before the previous step (${last.step} on ${last.heldOn})`, ['input', 'heldOn']);
  }
  if ((m.step === 'PARTY_MEMBERS' || m.step === 'REPRESENTATIVES') && m.attendance * 3 < m.memberCount * 2) {
    throw new DomainError('QUORUM_NOT_MET', `${m.attendance} of ${m.memberCount} present: at least two thirds must attend`, ['input', 'attendance']);
  }
  if (m.votesFor * 2 <= m.attendance) {
    throw new DomainError('MAJORITY_NOT_REACHED', `${m.votesFor} of ${m.attendance} present in favour: more than half is needed`, ['input', 'votesFor']);
  }
  await repo.insertMeeting(svc.db, { ...m, recordedBy: svc.actor.userId, recordedAt: svc.clock.now() });
  if (m.step === 'REPRESENTATIVES') {
    return moveTo(svc, plan, 'RESOLVE', 'RESOLVED', m.heldOn, { payload: { step: m.step, votesFor: m.votesFor, attendance: m.attendance } });
  }
  await planEvent(svc, plan, `MEETING_${m.step}`, m.heldOn, { votesFor: m.votesFor, attendance: m.attendance, memberCount: m.memberCount });
  return plan;
}

const noticeSchema = z.object({ planId: z.number(), startOn: dateString, endOn: dateString.nullish() });

async function publishNotice(
  svc: ServiceContext,
  plan: Plan,
  kind: 'PLAN' | 'RESULTS',
  startOn: string,
  endOn: string | null | undefined,
  contentOf: (dates: { startOn: string; endOn: string }) => Promise<unknown>,
) {
  const policy = await policyFor(svc.db, plan.villageCode);
  requireNotFuture(svc, startOn, ['input', 'startOn']);
  const minimumEnd = addDays(startOn, policy.noticeDays - 1);
  const end = endOn ?? minimumEnd;
  if (end < minimumEnd) {
    throw new DomainError('NOTICE_TOO_SHORT', `The notice must stay up at least ${policy.noticeDays} days (until ${minimumEnd})`, ['input', 'endOn']);
  }
  const text = canonicalJson((await contentOf({ startOn, endOn: end })) as any);
  const head = await journalHead(svc);
  await repo.insertNotice(svc.db, {
    journalSequence: head.lastSequence,
    journalHash: head.lastHash,
    planId: plan.id,
    kind,
    startOn,
    endOn: end,
    contentSha256: crypto.createHash('sha256').update(text, 'utf8').digest('hex'),
    content: text,
    publishedBy: svc.actor.userId,
    publishedAt: svc.clock.now(),
  });
  return end;
}

/** 公示: publishes the resolved plan with its recipients and amounts; the notice is immutable. */
export async function publishPlanNotice(svc: ServiceContext, raw: unknown): Promise<Plan> {
  const input = parseInput(noticeSchema, raw);
  const plan = await openPlan(svc, input.planId, 'distribution.write', ['RESOLVED', 'APPROVED'], 'Publishing the plan notice');
  if (plan.noticeStartOn) throw new DomainError('ILLEGAL_TRANSITION', 'The plan notice is already published', ['input', 'planId']);
  const reviewFirst = (await policyFor(svc.db, plan.villageCode)).townshipReview === 'BEFORE_NOTICE';
  if (reviewFirst && plan.status === 'RESOLVED') {
    throw new DomainError('TOWNSHIP_REVIEW_PENDING', 'In this county the township reviews the plan before its notice is published', ['input', 'planId']);
  }
  const resolution = (await repo.meetingsOf(svc.db, [plan.id])).find((m) => m.step === 'REPRESENTATIVES')!;
  const notBefore = plan.approvedOn && plan.approvedOn > resolution.heldOn ? plan.approvedOn : resolution.heldOn;
  if (input.startOn < notBefore) {
    throw new DomainError('DATE_ORDER', `The notice cannot start before the ${notBefore === plan.approvedOn ? 'approval' : 'resolution'} (${notBefore})`, ['input', 'startOn']);
  }
  const end = await publishNotice(svc, plan, 'PLAN', input.startOn, input.endOn, (dates) => noticeContent(svc, plan, dates));
  // Reviewed first: the plan stays APPROVED and now carries its notice dates; execution waits for the end.
  const to = plan.status === 'APPROVED' ? 'APPROVED' : 'IN_NOTICE';
  return moveTo(svc, plan, 'PUBLISH_NOTICE', to, input.startOn, { patch: { noticeStartOn: input.startOn, noticeEndOn: end } });
}

/**
 * What a notice shows, as posted on the village board: who publishes it (village, township, county by
 * name), the period and notice dates, every line and recipient with the amount both as canonical integer
 * fen and as yuan text, and each household's masked ID (never the full number). The printable page
 * (reports issue) renders this content as it is; nothing needs looking up again.
 */
async function noticeContent(svc: ServiceContext, plan: Plan, dates: { startOn: string; endOn: string }) {
  const lines = await repo.linesOf(svc.db, [plan.id]);
  const recipients = await repo.recipientsOf(svc.db, [plan.id]);
  const people = await noticePeople(svc, recipients.map((r) => r.householdId));
  return {
    ...(await noticeHeading(svc, plan, dates)),
    totalFen: plan.totalFen,
    total: formatFen(plan.totalFen),
    lines: lines.map((l) => ({
      no: l.lineNo,
      type: l.type,
      typeName: LINE_TYPE_NAMES[l.type],
      description: l.description,
      amountFen: l.amountFen,
      amount: formatFen(l.amountFen),
      recipients: recipients
        .filter((r) => r.lineId === l.id)
        .map((r) => ({ ...people.get(r.householdId)!, status: r.householdStatus, amountFen: r.amountFen, amount: formatFen(r.amountFen) })),
    })),
  };
}

/** The heading every notice carries: title, publishing village with its township and county, dates. */
async function noticeHeading(svc: ServiceContext, plan: Plan, dates: { startOn: string; endOn: string }) {
  const codes = [plan.villageCode, plan.villageCode.slice(0, 9) + '000', plan.villageCode.slice(0, 6) + '000000'];
  const names = new Map((await regionsRepo.findByCodes(svc.db, codes)).map((r) => [r.code, r.name]));
  return {
    plan: plan.id,
    title: plan.title,
    village: { code: plan.villageCode, name: names.get(codes[0]) ?? null },
    township: names.get(codes[1]) ?? null,
    county: names.get(codes[2]) ?? null,
    period: [plan.periodFrom, plan.periodTo],
    planOn: plan.planOn,
    startOn: dates.startOn,
    endOn: dates.endOn,
  };
}

/** Head name and masked resident ID of each household a notice names. */
async function noticePeople(svc: ServiceContext, householdIds: number[]) {
  const rows = await householdsRepo.findByIds(svc.db, [...new Set(householdIds)]);
  return new Map(rows.map((h) => [h.id, { name: h.headName, idMasked: maskResidentId(h.idNumber) }]));
}

const objectionSchema = z.object({ planId: z.number(), raisedOn: dateString, raisedBy: text(100), content: text(2000) });

/** Records an objection raised during the notice period; execution waits until every one is resolved. */
export async function recordObjection(svc: ServiceContext, raw: unknown): Promise<Plan> {
  const input = parseInput(objectionSchema, raw);
  const plan = await openPlan(svc, input.planId, 'distribution.write', ['IN_NOTICE', 'APPROVED'], 'Recording an objection');
  requireNotFuture(svc, input.raisedOn, ['input', 'raisedOn']);
  if (!plan.noticeStartOn) throw new DomainError('ILLEGAL_TRANSITION', 'Objections are raised against a published notice; none is published yet', ['input', 'planId']);
  if (input.raisedOn < plan.noticeStartOn! || input.raisedOn > plan.noticeEndOn!) {
    throw new DomainError('DATE_ORDER', `Objections are raised during the notice (${plan.noticeStartOn} – ${plan.noticeEndOn})`, ['input', 'raisedOn']);
  }
  const id = await repo.insertObjection(svc.db, { ...input, planId: plan.id, resolvedOn: null, resolution: null, recordedBy: svc.actor.userId, recordedAt: svc.clock.now() });
  await planEvent(svc, plan, 'OBJECTION_RECORDED', input.raisedOn, { objectionId: id, raisedBy: input.raisedBy });
  return plan;
}

const resolveSchema = z.object({ objectionId: z.number(), resolvedOn: dateString, resolution: text(2000) });

export async function resolveObjection(svc: ServiceContext, raw: unknown): Promise<Plan> {
  const input = parseInput(resolveSchema, raw);
  const objection = await repo.findObjection(svc.db, input.objectionId);
  if (!objection) throw new DomainError('NOT_FOUND', 'No such objection', ['input', 'objectionId']);
  const plan = await openPlan(svc, objection.planId, 'distribution.write', ['IN_NOTICE', 'APPROVED'], 'Resolving an objection');
  if (objection.resolvedOn) throw new DomainError('ILLEGAL_TRANSITION', 'This objection is already resolved', ['input', 'objectionId']);
  requireNotFuture(svc, input.resolvedOn, ['input', 'resolvedOn']);
  if (input.resolvedOn < objection.raisedOn) {
    throw new DomainError('DATE_ORDER', `resolvedOn must not be before the objection (${objection.raisedOn})`, ['input', 'resolvedOn']);
  }
  await repo.resolveObjection(svc.db, objection.id, input.resolvedOn, input.resolution);
  await planEvent(svc, plan, 'OBJECTION_RESOLVED', input.resolvedOn, { objectionId: objection.id, resolution: input.resolution });
  return plan;
}

/** An event that leaves the status as it is (a meeting, an objection, a payment). */
async function planEvent(svc: ServiceContext, plan: Plan, action: string, effectiveOn: string, payload: unknown) {
  await appendPlanEvent(svc, plan, action, plan.status, effectiveOn, payload, null);
}

async function appendPlanEvent(svc: ServiceContext, plan: Plan, action: string, to: PlanStatus, effectiveOn: string, payload: unknown, reason: string | null) {
  await repo.insertEvent(svc.db, {
    planId: plan.id,
    action,
    fromStatus: plan.status,
    toStatus: to,
    effectiveOn,
    reason,
    payload,
    actorUserId: svc.actor.userId,
    recordedAt: svc.clock.now(),
  });
}

const reviewSchema = z.object({ planId: z.number(), reviewedOn: dateString, opinion: optionalText(1000) });

/**
 * 乡镇审核: the township approves a plan — under notice, or (where the county has the township review
 * first) once resolved. Never with an objection open: the village answers it first. The recipient list is
 * frozen here: every household-paying recipient is re-checked against its status on the plan date, as
 * the history now stands.
 */
export async function approvePlan(svc: ServiceContext, raw: unknown): Promise<Plan> {
  const input = parseInput(reviewSchema, raw);
  const plan = await openPlan(svc, input.planId, 'distribution.approve', ['RESOLVED', 'IN_NOTICE'], 'Approval');
  const policy = await policyFor(svc.db, plan.villageCode);
  if (plan.status === 'RESOLVED' && policy.townshipReview !== 'BEFORE_NOTICE') {
    throw new DomainError('ILLEGAL_TRANSITION', 'In this county the township reviews a plan while its notice is up: publish the notice first', ['input', 'planId']);
  }
  requireNotFuture(svc, input.reviewedOn, ['input', 'reviewedOn']);
  const since = plan.noticeStartOn ?? (await repo.meetingsOf(svc.db, [plan.id])).find((m) => m.step === 'REPRESENTATIVES')!.heldOn;
  if (input.reviewedOn < since) {
    throw new DomainError('DATE_ORDER', `Review cannot precede the ${plan.noticeStartOn ? 'notice' : 'resolution'} (${since})`, ['input', 'reviewedOn']);
  }
  const open = (await repo.objectionsOf(svc.db, [plan.id])).filter((o) => !o.resolvedOn);
  if (open.length) throw new DomainError('OPEN_OBJECTIONS', `${open.length} objection(s) are not resolved; approve once they are answered`, ['input', 'planId']);
  const recipients = await recheckEligibility(svc, plan, policy);
  return moveTo(svc, plan, 'APPROVE', 'APPROVED', input.reviewedOn, {
    reason: input.opinion,
    patch: { approvedOn: input.reviewedOn },
    payload: { frozenRecipients: recipients },
  });
}

/**
 * Every recipient of a line that needs an eligible household (dividends; rewards and grants unless a
 * hardship category the county still lists was recorded), against the status history as it now stands.
 */
async function recheckEligibility(svc: ServiceContext, plan: Plan, policy: CountyPolicy): Promise<number> {
  const lines = await repo.linesOf(svc.db, [plan.id]);
  const recipients = await repo.recipientsOf(svc.db, [plan.id]);
  const typeOf = new Map(lines.map((l) => [l.id, l.type]));
  const checked = recipients.filter((r) => ELIGIBILITY_CHECKED.includes(typeOf.get(r.lineId)!));
  const statusOf = await statusesOn(svc, plan.villageCode, [...new Set(checked.map((r) => r.householdId))], plan.planOn);
  for (const r of checked) {
    const s = statusOf.get(r.householdId);
    if (s && DIVIDEND_ELIGIBLE.includes(s)) continue;
    if (typeOf.get(r.lineId) === 'REWARD_GRANT' && r.hardshipCategory && policy.hardshipCategories.includes(r.hardshipCategory)) continue;
    throw new DomainError(
      'INELIGIBLE_BENEFICIARY',
      `Household ${r.householdId} is ${s ?? 'unregistered'} on ${plan.planOn} and no listed hardship category applies; the plan must be redrafted`,
      ['input', 'planId'],
    );
  }
  return recipients.length;
}

const withdrawSchema = z.object({ planId: z.number(), withdrawnOn: dateString, reason: text(1000) });

/**
 * 撤回审核: the township withdraws an approval given by mistake, before any money moved. The plan goes back
 * to where the approval found it — under notice, or resolved — to be approved again, rejected or (if
 * resolved) cancelled; the withdrawal is an event with its reason.
 */
export async function withdrawApproval(svc: ServiceContext, raw: unknown): Promise<Plan> {
  const input = parseInput(withdrawSchema, raw);
  const plan = await openPlan(svc, input.planId, 'distribution.approve', ['APPROVED'], 'Withdrawing an approval');
  requireNotFuture(svc, input.withdrawnOn, ['input', 'withdrawnOn']);
  if (input.withdrawnOn < plan.approvedOn!) {
    throw new DomainError('DATE_ORDER', `The approval was given on ${plan.approvedOn}; it cannot be withdrawn before`, ['input', 'withdrawnOn']);
  }
  const back: PlanStatus = plan.noticeStartOn ? 'IN_NOTICE' : 'RESOLVED';
  return moveTo(svc, plan, 'WITHDRAW_APPROVAL', back, input.withdrawnOn, {
    reason: input.reason,
    patch: { approvedOn: null },
    payload: { approvedOn: plan.approvedOn },
  });
}

const rejectSchema = z.object({ planId: z.number(), reviewedOn: dateString, reason: text(1000) });

export async function rejectPlan(svc: ServiceContext, raw: unknown): Promise<Plan> {
  const input = parseInput(rejectSchema, raw);
  const plan = await openPlan(svc, input.planId, 'distribution.approve', ['RESOLVED', 'IN_NOTICE'], 'Rejection');
  requireNotFuture(svc, input.reviewedOn, ['input', 'reviewedOn']);
  await repo.releasePlanReceipts(svc.db, plan.id, input.reviewedOn);
  return moveTo(svc, plan, 'REJECT', 'REJECTED', input.reviewedOn, { reason: input.reason });
}

const cancelSchema = z.object({ planId: z.number(), reason: text(1000) });

export async function cancelPlan(svc: ServiceContext, raw: unknown): Promise<Plan> {
  const input = parseInput(cancelSchema, raw);
  const plan = await openPlan(svc, input.planId, 'distribution.write', ['DRAFT', 'RESOLVED'], 'Cancelling');
  await repo.releasePlanReceipts(svc.db, plan.id, svc.clock.today());
  return moveTo(svc, plan, 'CANCEL', 'CANCELLED', svc.clock.today(), { reason: input.reason });
}

const executeSchema = z.object({ planId: z.number(), executedOn: dateString.nullish(), idempotencyKey: text(100) });

/**
 * Executes an approved plan whose notice has ended with no open objection: one journal entry moves the
 * whole total out of income awaiting distribution — to each recipient household's payable and to the
 * collective's earmarked funds. The balance is re-checked under the journal lock, so two plans racing for
 * the same income cannot both execute.
 */
export async function executePlan(svc: ServiceContext, raw: unknown): Promise<MoneyStep> {
  const input = parseInput(executeSchema, raw);
  const fingerprintInput = { planId: input.planId, executedOn: input.executedOn ?? null };
  await authorizePlanStep(svc, input.planId, 'distribution.execute');
  if (await replayed(svc, 'distributionPlanExecute', input.idempotencyKey, fingerprintInput)) {
    return replayedStep(svc, input.planId);
  }
  const plan = await openPlan(svc, input.planId, 'distribution.execute', ['APPROVED'], 'Execution');
  const executedOn = input.executedOn ?? svc.clock.today();
  requireNotFuture(svc, executedOn, ['input', 'executedOn']);
  if (!plan.noticeEndOn || executedOn <= plan.noticeEndOn) {
    const why = plan.noticeEndOn ? `The notice runs until ${plan.noticeEndOn}` : 'The plan notice is not published yet';
    throw new DomainError('NOTICE_NOT_ENDED', `${why}; money moves only after it`, ['input', 'executedOn']);
  }
  const open = (await repo.objectionsOf(svc.db, [plan.id])).filter((o) => !o.resolvedOn);
  if (open.length) throw new DomainError('OPEN_OBJECTIONS', `${open.length} objection(s) are not resolved`, ['input', 'planId']);

  const funding = await requireFundingStands(svc, plan.id);
  const lines = await repo.linesOf(svc.db, [plan.id]);
  const recipients = await repo.recipientAmountsOf(svc.db, plan.id);
  const fundTotals = new Map<string, number>();
  const addTo = (kind: string, fen: number) => fundTotals.set(kind, (fundTotals.get(kind) ?? 0) + fen);
  const linesWithRecipients = new Set(recipients.map((r) => r.lineId));
  for (const l of lines) {
    if (linesWithRecipients.has(l.id) || l.amountFen === 0) continue;
    addTo(FUND_OF_LINE[l.type], l.amountFen);
  }
  // Costs before profit: a cost the village fronted from another pot is repaid from the receipts it nets.
  let repaidFen = 0;
  for (const c of funding.filter((f) => f.role === 'COST' && f.paidFrom && f.paidFrom !== 'INCOME_PENDING_DISTRIBUTION')) {
    addTo(c.paidFrom!, c.amountFen);
    repaidFen += c.amountFen;
  }
  const perHousehold = new Map<number, number>();
  for (const r of recipients) perHousehold.set(r.householdId, (perHousehold.get(r.householdId) ?? 0) + r.amountFen);
  const postings = [{ holderPartyId: plan.ownerPartyId, kind: 'INCOME_PENDING_DISTRIBUTION' as const, amountFen: -(plan.totalFen + repaidFen) }];
  for (const [kind, amountFen] of fundTotals) postings.push({ holderPartyId: plan.ownerPartyId, kind: kind as any, amountFen });
  const partyOf = await householdPartyIdsOf(svc.db, svc.clock, plan.villageCode, [...perHousehold.keys()]);
  for (const [householdId, amountFen] of perHousehold) {
    postings.push({ holderPartyId: partyOf.get(householdId)!, kind: 'PAYABLE_TO_HOUSEHOLDS' as any, amountFen });
  }
  const posted = await post(svc, 'distributionPlanExecute', fingerprintInput, {
    kind: 'DISTRIBUTION',
    effectiveOn: executedOn,
    memo: `收益分配 ${plan.title}`,
    source: { type: 'DISTRIBUTION_PLAN', id: plan.id },
    idempotencyKey: input.idempotencyKey,
    postings,
  });
  const executed = await moveTo(svc, plan, 'EXECUTE', 'EXECUTED', executedOn, {
    patch: { executedOn, executionEntryId: posted.entry.id },
    payload: { entrySequence: posted.entry.sequence, households: perHousehold.size },
  });
  return { plan: executed, replayed: false };
}

const paymentSchema = z.object({
  planId: z.number(),
  householdId: z.number(),
  lineNo: z.number().int().min(1).nullish(),
  paidOn: dateString,
  bankReference: text(100),
  idempotencyKey: text(100),
});

/**
 * Records a payment to a household (payable → the household's cash): of one recipient line when `lineNo`
 * is given — monthly wages and a yearly dividend are paid on their own days — or else of every line of the
 * household not yet paid. One journal entry per payment, one payment row per line it covers.
 */
export async function recordPayment(svc: ServiceContext, raw: unknown): Promise<MoneyStep> {
  const input = parseInput(paymentSchema, raw);
  const { idempotencyKey, lineNo, ...rest } = input;
  // A payment without lineNo fingerprints as it always did, so retries of older requests still replay.
  const fingerprintInput = lineNo ? { ...rest, lineNo } : rest;
  await authorizePlanStep(svc, input.planId, 'distribution.execute');
  if (await replayed(svc, 'distributionPaymentRecord', idempotencyKey, fingerprintInput)) {
    return replayedStep(svc, input.planId);
  }
  const plan = await openPlan(svc, input.planId, 'distribution.execute', ['EXECUTED'], 'Recording a payment');
  requireNotFuture(svc, input.paidOn, ['input', 'paidOn']);
  if (input.paidOn < plan.executedOn!) {
    throw new DomainError('DATE_ORDER', `Payment cannot precede execution (${plan.executedOn})`, ['input', 'paidOn']);
  }
  const due = await linesDue(svc, plan, input.householdId, input.lineNo ?? null);
  const amountFen = due.reduce((s, r) => s + r.amountFen, 0);
  const party = await householdPartyOf(svc.db, svc.clock, input.householdId);
  const posted = await post(svc, 'distributionPaymentRecord', fingerprintInput, {
    kind: 'PAYMENT',
    effectiveOn: input.paidOn,
    memo: `收益发放 ${plan.title} ${party.name}`,
    source: { type: 'DISTRIBUTION_PLAN', id: plan.id },
    idempotencyKey,
    postings: [
      { holderPartyId: party.id, kind: 'PAYABLE_TO_HOUSEHOLDS', amountFen: -amountFen },
      { holderPartyId: party.id, kind: 'CASH', amountFen },
    ],
  });
  for (const r of due) {
    await repo.insertPayment(svc.db, {
      planId: plan.id,
      householdId: input.householdId,
      recipientId: r.id,
      amountFen: r.amountFen,
      paidOn: input.paidOn,
      bankReference: input.bankReference,
      entryId: posted.entry.id,
      recordedBy: svc.actor.userId,
      recordedAt: svc.clock.now(),
    });
  }
  await planEvent(svc, plan, 'PAYMENT_RECORDED', input.paidOn, {
    householdId: input.householdId,
    lines: due.map((r) => r.lineNo),
    amountFen,
    entrySequence: posted.entry.sequence,
  });
  return { plan, replayed: false };
}

/** The household's recipient lines a payment covers: the one named, or all not yet paid. */
async function linesDue(svc: ServiceContext, plan: Plan, householdId: number, lineNo: number | null) {
  const lineNoOf = new Map((await repo.linesOf(svc.db, [plan.id])).map((l) => [l.id, l.lineNo]));
  const owed = (await repo.recipientsOf(svc.db, [plan.id]))
    .filter((r) => r.householdId === householdId)
    .map((r) => ({ ...r, lineNo: lineNoOf.get(r.lineId)! }));
  const asked = lineNo === null ? owed : owed.filter((r) => r.lineNo === lineNo);
  if (!asked.length) {
    const what = lineNo === null ? 'a recipient of the plan' : `a recipient of line ${lineNo}`;
    throw new DomainError('NOT_FOUND', `This household is not ${what}`, ['input', lineNo === null ? 'householdId' : 'lineNo']);
  }
  const payments = await repo.paymentsOf(svc.db, [plan.id]);
  const paymentOf = paymentFinder(payments);
  const due = asked.filter((r) => !paymentOf(r));
  if (!due.length) throw new DomainError('ALREADY_PAID', 'This household has already been paid for this under the plan', ['input', lineNo === null ? 'householdId' : 'lineNo']);
  return due;
}

const paymentReverseSchema = z.object({
  planId: z.number(),
  householdId: z.number(),
  lineNo: z.number().int().min(1).nullish(),
  reversedOn: dateString,
  reason: text(1000),
  idempotencyKey: text(100),
});

/**
 * 退票: a payment that bounced (or was recovered) is reversed by an entry that puts the money back in the
 * household's payable; the payment rows stay, marked reversed, and the household can be paid again.
 * A payment is reversed as it was made — every line it covered; `lineNo` picks which payment when the
 * household was paid line by line. Only while the plan is EXECUTED: a closed plan's results notice has
 * told the village who was paid.
 */
export async function reversePayment(svc: ServiceContext, raw: unknown): Promise<MoneyStep> {
  const input = parseInput(paymentReverseSchema, raw);
  const { idempotencyKey, lineNo, ...rest } = input;
  const fingerprintInput = lineNo ? { ...rest, lineNo } : rest;
  await authorizePlanStep(svc, input.planId, 'distribution.execute');
  if (await replayed(svc, 'distributionPaymentReverse', idempotencyKey, fingerprintInput)) {
    return replayedStep(svc, input.planId);
  }
  const plan = await openPlan(svc, input.planId, 'distribution.execute', ['EXECUTED'], 'Reversing a payment');
  const rows = await standingPaymentOf(svc, plan, input.householdId, input.lineNo ?? null);
  const payment = rows[0];
  requireNotFuture(svc, input.reversedOn, ['input', 'reversedOn']);
  if (input.reversedOn < payment.paidOn) {
    throw new DomainError('DATE_ORDER', `A payment cannot bounce before it was made (${payment.paidOn})`, ['input', 'reversedOn']);
  }
  const original = await postingsOfEntry(svc, payment.entryId);
  const posted = await post(svc, 'distributionPaymentReverse', fingerprintInput, {
    kind: 'REVERSAL',
    effectiveOn: input.reversedOn,
    memo: `退票 ${plan.title}: ${input.reason}`,
    source: { type: 'DISTRIBUTION_PLAN', id: plan.id },
    reversesEntryId: payment.entryId,
    idempotencyKey,
    postings: original.map((p) => ({ holderPartyId: p.holderPartyId, kind: p.accountKind, amountFen: -p.amountFen })),
  });
  for (const row of rows) {
    await repo.insertPaymentReversal(svc.db, {
      paymentId: row.id,
      planId: plan.id,
      reversedOn: input.reversedOn,
      reason: input.reason,
      entryId: posted.entry.id,
      recordedBy: svc.actor.userId,
      recordedAt: svc.clock.now(),
    });
  }
  await planEvent(svc, plan, 'PAYMENT_REVERSED', input.reversedOn, {
    householdId: input.householdId,
    amountFen: rows.reduce((s, r) => s + r.amountFen, 0),
    entrySequence: posted.entry.sequence,
    reason: input.reason,
  });
  return { plan, replayed: false };
}

/** The rows of the one standing payment (one journal entry) to reverse: of the line named, or the household's only one. */
async function standingPaymentOf(svc: ServiceContext, plan: Plan, householdId: number, lineNo: number | null) {
  const standing = (await repo.paymentsOf(svc.db, [plan.id])).filter((p) => p.householdId === householdId);
  let entryId: number | undefined;
  if (lineNo === null) {
    const entries = [...new Set(standing.map((p) => p.entryId))];
    if (entries.length > 1) {
      throw new DomainError('REQUIRED', 'The household was paid line by line: name the line whose payment bounced', ['input', 'lineNo']);
    }
    entryId = entries[0];
  } else {
    const line = (await repo.linesOf(svc.db, [plan.id])).find((l) => l.lineNo === lineNo);
    const recipient = line && (await repo.recipientsOf(svc.db, [plan.id])).find((r) => r.lineId === line.id && r.householdId === householdId);
    entryId = recipient && standing.find((p) => pays(p, recipient))?.entryId;
  }
  if (entryId === undefined) {
    throw new DomainError('NOT_FOUND', 'This household has no standing payment under the plan', ['input', lineNo === null ? 'householdId' : 'lineNo']);
  }
  return standing.filter((p) => p.entryId === entryId);
}

/** The second 公开: results published after every recipient is paid; closes the plan. */
export async function publishResults(svc: ServiceContext, raw: unknown): Promise<Plan> {
  const input = parseInput(noticeSchema, raw);
  const plan = await openPlan(svc, input.planId, 'distribution.write', ['EXECUTED'], 'Publishing results');
  const recipients = await repo.recipientsOf(svc.db, [plan.id]);
  const payments = await repo.paymentsOf(svc.db, [plan.id]);
  // The results notice waits for every recipient line, each paid on its own day if need be.
  const paymentOf = paymentFinder(payments);
  const unpaid = recipients.filter((r) => !paymentOf(r));
  if (unpaid.length) {
    const households = new Set(unpaid.map((r) => r.householdId)).size;
    throw new DomainError('UNPAID_RECIPIENTS', `${unpaid.length} recipient line(s) of ${households} household(s) are not paid yet`, ['input', 'planId']);
  }
  const lastPaid = payments.reduce((d, p) => (p.paidOn > d ? p.paidOn : d), plan.executedOn!);
  if (input.startOn < lastPaid) {
    throw new DomainError('DATE_ORDER', `Results cannot be published before the last payment (${lastPaid})`, ['input', 'startOn']);
  }
  const people = await noticePeople(svc, payments.map((p) => p.householdId));
  const end = await publishNotice(svc, plan, 'RESULTS', input.startOn, input.endOn, async (dates) => ({
    ...(await noticeHeading(svc, plan, dates)),
    totalFen: plan.totalFen,
    total: formatFen(plan.totalFen),
    payments: payments.map((p) => ({ ...people.get(p.householdId)!, amountFen: p.amountFen, amount: formatFen(p.amountFen), paidOn: p.paidOn })),
  }));
  return moveTo(svc, plan, 'PUBLISH_RESULTS', 'CLOSED', input.startOn, { patch: { resultsStartOn: input.startOn, resultsEndOn: end } });
}

const reverseSchema = z.object({ planId: z.number(), reason: text(1000), idempotencyKey: text(100) });

/**
 * Corrects an executed plan before any payment: a reversal entry puts the money back to income awaiting
 * distribution and the plan becomes REVERSED; a corrected plan is then drafted anew. Executed plans are
 * never edited.
 */
export async function reversePlan(svc: ServiceContext, raw: unknown): Promise<MoneyStep> {
  const input = parseInput(reverseSchema, raw);
  const fingerprintInput = { planId: input.planId, reason: input.reason };
  await authorizePlanStep(svc, input.planId, 'distribution.reverse');
  if (await replayed(svc, 'distributionPlanReverse', input.idempotencyKey, fingerprintInput)) {
    return replayedStep(svc, input.planId);
  }
  const plan = await openPlan(svc, input.planId, 'distribution.reverse', ['EXECUTED'], 'Reversal');
  if ((await repo.paymentsOf(svc.db, [plan.id])).length) {
    throw new DomainError('ILLEGAL_TRANSITION', 'Payments have been made under this plan; it can no longer be reversed', ['input', 'planId']);
  }
  if (await isReversed(svc, plan.executionEntryId!)) {
    throw new DomainError('ALREADY_REVERSED', 'The execution entry of this plan has already been reversed', ['input', 'planId']);
  }
  const original = await postingsOfEntry(svc, plan.executionEntryId!);
  const today = svc.clock.today();
  await post(svc, 'distributionPlanReverse', fingerprintInput, {
    kind: 'REVERSAL',
    effectiveOn: today,
    memo: `冲销收益分配 ${plan.title}: ${input.reason}`,
    source: { type: 'DISTRIBUTION_PLAN', id: plan.id },
    reversesEntryId: plan.executionEntryId,
    idempotencyKey: input.idempotencyKey,
    postings: original.map((p) => ({ holderPartyId: p.holderPartyId, kind: p.accountKind, amountFen: -p.amountFen })),
  });
  await repo.releasePlanReceipts(svc.db, plan.id, today);
  return { plan: await moveTo(svc, plan, 'REVERSE', 'REVERSED', today, { reason: input.reason }), replayed: false };
}

/** What a money-moving step returns: the plan, and whether this call was a retry that posted nothing. */
export interface MoneyStep {
  plan: Plan;
  replayed: boolean;
}

/** A retry of a step that already ran: the plan as it now stands, and `replayed` to say nothing was posted. */
async function replayedStep(svc: ServiceContext, planId: number): Promise<MoneyStep> {
  return { plan: (await repo.findPlan(svc.db, planId))!, replayed: true };
}

// ------------------------------------------------------------------------------------------------------
// Reading
// ------------------------------------------------------------------------------------------------------

export async function getPlan(svc: ServiceContext, id: number): Promise<Plan | null> {
  const p = await repo.findPlan(svc.db, id);
  return p && canRead(svc.actor, p.villageCode) ? p : null;
}

export async function listPlans(svc: ServiceContext, filter: { regionCode?: string | null; status?: PlanStatus | null }, page: PageArgs) {
  const regionPrefix = scopedPrefix(svc.actor, filter.regionCode);
  return keysetPage(repo.listQuery(svc.db, { regionPrefix, status: filter.status }), page, repo.toPlan);
}

export async function flagsOfPlan(svc: ServiceContext, plan: Plan): Promise<Flag[]> {
  return (await flagsOfPlans(svc.db, svc.clock, [plan]))[0];
}

/** Flags of many plans in a constant number of queries (a list of plans, a county's flag report). */
export async function flagsOfPlans(db: Executor, clock: Clock, plans: readonly Plan[]): Promise<Flag[][]> {
  const ids = plans.map((p) => p.id);
  const [lines, recipients, payments] = await Promise.all([repo.linesOf(db, ids), repo.recipientsOf(db, ids), repo.paymentsOf(db, ids)]);
  const policies = new Map<string, CountyPolicy>();
  for (const p of plans) {
    const county = p.villageCode.slice(0, 6);
    if (!policies.has(county)) policies.set(county, await policyFor(db, p.villageCode));
  }
  const recipientsOfLine = new Map<number, typeof recipients>();
  for (const r of recipients) {
    if (!recipientsOfLine.has(r.lineId)) recipientsOfLine.set(r.lineId, []);
    recipientsOfLine.get(r.lineId)!.push(r);
  }
  return plans.map((plan) =>
    computePlanFlags({
      plan,
      lines: lines.filter((l) => l.planId === plan.id).map((l) => ({ type: l.type, amountFen: l.amountFen, recipients: recipientsOfLine.get(l.id) ?? [] })),
      payments: payments.filter((x) => x.planId === plan.id),
      policy: policies.get(plan.villageCode.slice(0, 6))!,
      today: clock.today(),
    }),
  );
}
