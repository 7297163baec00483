/**
 * The audit report of a plan (收益分配审计): every fen from the income that came in, through the plan's
 * lines, to each recipient and whether it was paid — with totals that must reconcile to the fen, the
 * procedure's dates in order, and the flags. Also the county-wide flag list.
 */
import type { ServiceContext } from '../../shared/context';
import { sumFen } from '../../shared/money';
import { canRead } from '../auth/auth.service';
import * as householdsRepo from '../households/households.repository';
import type { Household } from '../households/households.types';
import * as partiesRepo from '../parties/parties.repository';
import { policyFor } from '../policy/policy.service';
import { scopedPrefix } from '../regions/regions.service';
import { accountPostings, entriesWithReversal } from '../journal/journal.service';
import { fundsIdleFlag, oldestWaitingIncome } from './distribution.flags';
import * as repo from './distribution.repository';
import { flagsOfPlan, flagsOfPlans, getPlan } from './distribution.service';
import { paymentFinder } from './distribution.types';
import type { Flag, Plan, PlanLine } from './distribution.types';

/** A recipient as the report shows it: the household row too, for exports. */
export interface AuditRecipient {
  householdId: number;
  household: Household;
  householdStatus: string;
  weight: number;
  workDays: number | null;
  attendance: repo.AttendanceRecord[];
  hardshipCategory: string | null;
  amountFen: number;
  paidOn: string | null;
  bankReference: string | null;
  paymentEntryId: number | null;
}

export interface AuditReport {
  plan: Plan;
  incomeSources: AuditSource[];
  incomeInPeriodFen: number;
  costs: AuditSource[];
  costsFen: number;
  lines: (PlanLine & { recipientsTotalFen: number; recipients: AuditRecipient[] })[];
  totals: {
    planTotalFen: number;
    linesTotalFen: number;
    toRecipientsFen: number;
    toFundsFen: number;
    paidFen: number;
    unpaidFen: number;
    executedInJournalFen: number | null;
    costsRepaidFen: number;
    reconciles: boolean;
  };
  procedure: { step: string; on: string; detail: string }[];
  datesInOrder: boolean;
  objections: { raisedOn: string; raisedBy: string; content: string; resolvedOn: string | null; resolution: string | null }[];
  flags: Flag[];
}

/** A receipt or cost of the plan, with the journal entry that booked it. */
export interface AuditSource {
  entryId: number;
  sequence: number;
  kind: string;
  effectiveOn: string;
  memo: string;
  amountFen: number;
  paidFrom: string | null;
}

/** The plan's own receipts and costs (what it claimed), never merely whatever arrived in its period. */
async function sourcesOf(svc: ServiceContext, planId: number): Promise<{ receipts: AuditSource[]; costs: AuditSource[] }> {
  const claims = await repo.planReceiptsOf(svc.db, [planId]);
  const entries = new Map((await entriesWithReversal(svc, claims.map((c) => c.entryId))).map((e) => [e.id, e]));
  const rows = claims.map((c) => ({
    role: c.role,
    entryId: c.entryId,
    sequence: entries.get(c.entryId)!.sequence,
    kind: c.kind,
    effectiveOn: c.effectiveOn,
    memo: entries.get(c.entryId)!.memo,
    amountFen: c.amountFen,
    paidFrom: c.paidFrom,
  }));
  const strip = ({ role: _r, ...rest }: (typeof rows)[number]) => rest;
  return { receipts: rows.filter((r) => r.role === 'RECEIPT').map(strip), costs: rows.filter((r) => r.role === 'COST').map(strip) };
}

export async function auditReport(svc: ServiceContext, planId: number): Promise<AuditReport | null> {
  const plan = await getPlan(svc, planId);
  if (!plan) return null;
  const [lines, recipients, payments, meetings, notices, objections, flags] = await Promise.all([
    repo.linesOf(svc.db, [plan.id]),
    repo.recipientsOf(svc.db, [plan.id]),
    repo.paymentsOf(svc.db, [plan.id]),
    repo.meetingsOf(svc.db, [plan.id]),
    repo.noticesOf(svc.db, [plan.id]),
    repo.objectionsOf(svc.db, [plan.id]),
    flagsOfPlan(svc, plan),
  ]);
  const attendance = await repo.attendanceOf(svc.db, [plan.id]);
  const households = new Map((await householdsRepo.findByIds(svc.db, [...new Set(recipients.map((r) => r.householdId))])).map((h) => [h.id, h]));
  const paymentOf = paymentFinder(payments);

  const movements = await accountPostings(svc, plan.ownerPartyId, 'INCOME_PENDING_DISTRIBUTION');
  const { receipts: incomeSources, costs } = await sourcesOf(svc, plan.id);
  const incomeInPeriodFen = sumFen(incomeSources.map((i) => i.amountFen));
  const costsFen = sumFen(costs.map((c) => c.amountFen));
  // Costs the village fronted from another pot go back to it out of the receipts at execution.
  const costsRepaidFen = sumFen(costs.filter((c) => c.paidFrom && c.paidFrom !== 'INCOME_PENDING_DISTRIBUTION').map((c) => c.amountFen));
  const executed = plan.executionEntryId ? movements.find((m) => m.entryId === plan.executionEntryId) : undefined;

  // Each recipient line is paid on its own (or, for older payments, with all the household's lines).
  const auditLines = lines.map((l) => {
    const rs = recipients
      .filter((r) => r.lineId === l.id)
      .map((r) => {
        const p = paymentOf(r);
        return {
          householdId: r.householdId,
          household: households.get(r.householdId)!,
          householdStatus: r.householdStatus,
          weight: r.weight,
          workDays: r.workDays,
          attendance: attendance.filter((a) => a.recipientId === r.id),
          hardshipCategory: r.hardshipCategory,
          amountFen: r.amountFen,
          paidOn: p?.paidOn ?? null,
          bankReference: p?.bankReference ?? null,
          paymentEntryId: p?.entryId ?? null,
        };
      });
    return { ...l, recipientsTotalFen: sumFen(rs.map((r) => r.amountFen)), recipients: rs };
  });
  const linesTotalFen = sumFen(lines.map((l) => l.amountFen));
  const toRecipientsFen = sumFen(recipients.map((r) => r.amountFen));
  const paidFen = sumFen(payments.map((p) => p.amountFen));
  const executedInJournalFen = executed ? -executed.amountFen : null;
  const reconciles =
    incomeInPeriodFen - costsFen === plan.totalFen &&
    linesTotalFen === plan.totalFen &&
    auditLines.every((l) => l.recipients.length === 0 || l.recipientsTotalFen === l.amountFen) &&
    paidFen <= toRecipientsFen &&
    (executedInJournalFen === null || executedInJournalFen === plan.totalFen + costsRepaidFen);

  const procedure: AuditReport['procedure'] = [];
  for (const m of meetings) procedure.push({ step: m.step, on: m.heldOn, detail: `${m.votesFor}/${m.attendance} in favour, ${m.attendance}/${m.memberCount} present` });
  // The county decides whether the township reviews during the notice (default) or before it is published.
  const approval = plan.approvedOn ? [{ step: 'TOWNSHIP_APPROVAL', on: plan.approvedOn, detail: '乡镇审核通过' }] : [];
  const planNotice = notices.filter((x) => x.kind === 'PLAN').map((n) => ({ step: 'PLAN_NOTICE', on: n.startOn, detail: `公示 ${n.startOn} – ${n.endOn}, sha256 ${n.contentSha256}` }));
  const reviewFirst = (await policyFor(svc.db, plan.villageCode)).townshipReview === 'BEFORE_NOTICE';
  procedure.push(...(reviewFirst ? [...approval, ...planNotice] : [...planNotice, ...approval]));
  if (plan.executedOn) procedure.push({ step: 'EXECUTION', on: plan.executedOn, detail: `journal entry ${plan.executionEntryId}` });
  // Lines may be paid on different days, not necessarily recorded in date order.
  const byDate = [...payments].sort((a, b) => (a.paidOn < b.paidOn ? -1 : a.paidOn > b.paidOn ? 1 : a.id - b.id));
  for (const p of byDate) procedure.push({ step: 'PAYMENT', on: p.paidOn, detail: `household ${p.householdId}, ${p.bankReference}` });
  for (const n of notices.filter((x) => x.kind === 'RESULTS')) procedure.push({ step: 'RESULTS_NOTICE', on: n.startOn, detail: `公开 ${n.startOn} – ${n.endOn}` });
  const noticeEnd = plan.noticeEndOn;
  const datesInOrder =
    procedure.every((s, i) => i === 0 || s.on >= procedure[i - 1].on) &&
    (!noticeEnd || !plan.executedOn || plan.executedOn > noticeEnd);

  return {
    plan,
    incomeSources,
    incomeInPeriodFen,
    costs,
    costsFen,
    lines: auditLines,
    totals: {
      planTotalFen: plan.totalFen,
      linesTotalFen,
      toRecipientsFen,
      toFundsFen: linesTotalFen - toRecipientsFen,
      paidFen,
      unpaidFen: plan.executedOn ? toRecipientsFen - paidFen : toRecipientsFen,
      executedInJournalFen,
      costsRepaidFen,
      reconciles,
    },
    procedure,
    datesInOrder,
    objections: objections.map((o) => ({ raisedOn: o.raisedOn, raisedBy: o.raisedBy, content: o.content, resolvedOn: o.resolvedOn, resolution: o.resolution })),
    flags,
  };
}

/** Every flag in a region: each live plan's, and 资金滞留 for each village collective. */
export async function flagsInRegion(svc: ServiceContext, regionCode: string): Promise<Flag[]> {
  const prefix = scopedPrefix(svc.actor, regionCode);
  const flags: Flag[] = [];
  const live = (await repo.plansInRegion(svc.db, prefix)).filter((p) => !['CANCELLED', 'REJECTED', 'REVERSED'].includes(p.status));
  for (const planFlags of await flagsOfPlans(svc.db, svc.clock, live)) flags.push(...planFlags);
  for (const collective of await partiesRepo.collectivesIn(svc.db, prefix)) {
    if (!canRead(svc.actor, collective.regionCode)) continue;
    const movements = await accountPostings(svc, collective.id, 'INCOME_PENDING_DISTRIBUTION');
    const policy = await policyFor(svc.db, collective.regionCode);
    const f = fundsIdleFlag(collective.regionCode, oldestWaitingIncome(movements), policy, svc.clock.today());
    if (f) flags.push(f);
  }
  return flags;
}
