import type { RequestContext, ServiceContext } from '../../shared/context';
import { readContext } from '../../shared/context';
import { runMutation } from '../../shared/mutation';
import { fromGlobalId, requireGlobalId, toGlobalId } from '../../shared/ids';
import * as service from './distribution.service';
import * as report from './distribution.report';
import { loadVisibleEntry } from '../journal/journal.service';
import type { Flag, Plan, PlanEvent, ReceiptView, RecipientView } from './distribution.types';
import { referenced } from '../../shared/loaderUtils';
import type { Resolvers } from '../../generated/resolvers';
import type { DistributionPlanInput } from '../../generated/schema';

const planId = (input: { planId: string }) => requireGlobalId('DistributionPlan', input.planId, ['input', 'planId']);

/** GraphQL plan input → service input (ids to integers, Money already in fen). */
function toPlanInput(input: DistributionPlanInput) {
  return {
    ...input,
    totalFen: input.total ?? null,
    total: undefined,
    receipts: input.receipts ?? null,
    lines: input.lines.map((l, i) => ({
      ...l,
      amountFen: l.amount ?? null,
      amount: undefined,
      recipients: (l.recipients ?? []).map((r, k) => ({
        ...r,
        householdId: requireGlobalId('Household', r.householdId, ['input', 'lines', String(i), 'recipients', String(k), 'householdId']),
      })),
    })),
  };
}

/** Steps that name a recipient household of the plan. */
const withHousehold = <I extends { householdId: string }>(input: I) => ({ ...input, householdId: requireGlobalId('Household', input.householdId, ['input', 'householdId']) });

function planMutation<I extends { planId: string }>(work: (svc: ServiceContext, input: I) => Promise<Plan>, withPlanId = true) {
  return (_: unknown, args: { input: I }, ctx: RequestContext) =>
    runMutation(ctx, (svc) => work(svc, withPlanId ? { ...args.input, planId: planId(args.input) } : args.input), (plan) => ({ plan }));
}

/** Money-moving steps also say whether the call was a retry that posted nothing (`replayed`). */
function moneyMutation<I extends { planId: string }>(work: (svc: ServiceContext, input: Omit<I, 'planId'> & { planId: number }) => Promise<service.MoneyStep>) {
  return (_: unknown, args: { input: I }, ctx: RequestContext) =>
    runMutation(ctx, (svc) => work(svc, { ...args.input, planId: planId(args.input) }), (step) => step);
}

export const distributionResolvers: Resolvers = {
  Query: {
    distributionPlan: (_: unknown, args: { id: string }, ctx: RequestContext) => {
      const id = fromGlobalId('DistributionPlan', args.id);
      return id === null ? null : service.getPlan(readContext(ctx), id);
    },
    distributionPlans: (_: unknown, args, ctx: RequestContext) =>
      service.listPlans(readContext(ctx), args.filter ?? {}, args),
    distributionAuditReport: (_: unknown, args: { planId: string }, ctx: RequestContext) => {
      const id = fromGlobalId('DistributionPlan', args.planId);
      return id === null ? null : report.auditReport(readContext(ctx), id);
    },
    distributionFlags: (_: unknown, args: { regionCode: string }, ctx: RequestContext) => report.flagsInRegion(readContext(ctx), args.regionCode),
  },
  Mutation: {
    distributionPlanPreview: (_: unknown, args, ctx: RequestContext) =>
      runMutation(
        ctx,
        async (svc) => service.previewPlan(svc, toPlanInput(args.input)),
        (d) => ({
          preview: {
            total: d.plan.totalFen,
            available: d.availableFen,
            lines: d.lines.map((l) => ({ ...l, recipients: l.recipients.map((r) => ({ ...r, householdStatus: d.statusOf.get(r.householdId)!, paidOn: null, bankReference: null })) })),
            flags: d.flags,
            receipts: d.funding.receipts,
            costs: d.funding.costs,
          },
        }),
      ),
    distributionPlanCreate: (_: unknown, args, ctx: RequestContext) =>
      runMutation(ctx, (svc) => service.createPlan(svc, toPlanInput(args.input)), (plan) => ({ plan })),
    distributionMeetingRecord: planMutation(service.recordMeeting),
    distributionNoticePublish: planMutation(service.publishPlanNotice),
    distributionObjectionRecord: planMutation(service.recordObjection),
    distributionObjectionResolve: (_: unknown, args, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) =>
          service.resolveObjection(svc, {
            ...args.input,
            objectionId: requireGlobalId('DistributionObjection', args.input.objectionId, ['input', 'objectionId']),
          }),
        (plan) => ({ plan }),
      ),
    distributionPlanApprove: planMutation(service.approvePlan),
    distributionPlanReject: planMutation(service.rejectPlan),
    distributionApprovalWithdraw: planMutation(service.withdrawApproval),
    distributionPlanCancel: planMutation(service.cancelPlan),
    distributionPlanExecute: moneyMutation(service.executePlan),
    distributionPaymentRecord: moneyMutation((svc, input) => service.recordPayment(svc, withHousehold(input))),
    distributionPaymentReverse: moneyMutation((svc, input) => service.reversePayment(svc, withHousehold(input))),
    distributionResultsPublish: planMutation(service.publishResults),
    distributionPlanReverse: moneyMutation(service.reversePlan),
  },
  DistributionMoneyPayload: {
    replayed: (p: { replayed?: boolean }) => p.replayed ?? false,
  },
  DistributionPlan: {
    id: (p: Plan) => toGlobalId('DistributionPlan', p.id),
    village: (p: Plan, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.region.load(p.villageCode)),
    total: (p: Plan) => p.totalFen,
    lines: (p: Plan, _: unknown, ctx: RequestContext) => ctx.loaders.planLines.load(p.id),
    meetings: (p: Plan, _: unknown, ctx: RequestContext) => ctx.loaders.planMeetings.load(p.id),
    notices: (p: Plan, _: unknown, ctx: RequestContext) => ctx.loaders.planNotices.load(p.id),
    objections: (p: Plan, _: unknown, ctx: RequestContext) => ctx.loaders.planObjections.load(p.id),
    payments: (p: Plan, _: unknown, ctx: RequestContext) => ctx.loaders.planPayments.load(p.id),
    events: (p: Plan, _: unknown, ctx: RequestContext) => ctx.loaders.planEvents.load(p.id),
    receipts: async (p: Plan, _: unknown, ctx: RequestContext) => (await ctx.loaders.planReceipts.load(p.id)).filter((r) => r.role === 'RECEIPT'),
    costs: async (p: Plan, _: unknown, ctx: RequestContext) => (await ctx.loaders.planReceipts.load(p.id)).filter((r) => r.role === 'COST'),
    flags: (p: Plan, _: unknown, ctx: RequestContext) => ctx.loaders.planFlags.load(p),
    executionEntrySequence: async (p: Plan, _: unknown, ctx: RequestContext) => {
      if (!p.executionEntryId) return null;
      return (await loadVisibleEntry(readContext(ctx), ctx.loaders.journal, p.executionEntryId))?.sequence ?? null;
    },
  },
  DistributionReceipt: {
    entry: (r: ReceiptView, _: unknown, ctx: RequestContext) => loadVisibleEntry(readContext(ctx), ctx.loaders.journal, r.entryId),
    amount: (r: ReceiptView) => r.amountFen,
    releasedOn: (r: ReceiptView) => r.releasedOn ?? null,
  },
  DistributionLine: {
    amount: (l: { amountFen: number }) => l.amountFen,
    recipientsTotal: (l: { recipients: { amountFen: number }[] }) => l.recipients.reduce((s, r) => s + r.amountFen, 0),
  },
  DistributionRecipient: {
    household: (r: { householdId: number }, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.household.load(r.householdId)),
    amount: (r: { amountFen: number }) => r.amountFen,
    attendance: (r: RecipientView) => r.attendance ?? [],
    hardshipCategory: (r: RecipientView) => r.hardshipCategory ?? null,
  },
  DistributionPayment: {
    household: (r: { householdId: number }, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.household.load(r.householdId)),
    amount: (r: { amountFen: number }) => r.amountFen,
  },
  DistributionObjection: {
    id: (o: { id: number }) => toGlobalId('DistributionObjection', o.id),
  },
  DistributionEvent: {
    payload: (e: PlanEvent) => JSON.stringify(e.payload),
    actor: (e: PlanEvent, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.user.load(e.actorUserId)),
  },
  DistributionFlag: {
    plan: (f: Flag, _: unknown, ctx: RequestContext) => (f.planId ? service.getPlan(readContext(ctx), f.planId) : null),
    village: (f: Flag, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.region.load(f.villageCode)),
  },
  DistributionAuditReport: {
    incomeInPeriod: (r: report.AuditReport) => r.incomeInPeriodFen,
    costsTotal: (r: report.AuditReport) => r.costsFen,
    totals: (r: report.AuditReport) => ({
      planTotal: r.totals.planTotalFen,
      linesTotal: r.totals.linesTotalFen,
      toRecipients: r.totals.toRecipientsFen,
      toFunds: r.totals.toFundsFen,
      paid: r.totals.paidFen,
      unpaid: r.totals.unpaidFen,
      executedInJournal: r.totals.executedInJournalFen,
      costsRepaid: r.totals.costsRepaidFen,
      reconciles: r.totals.reconciles,
    }),
  },
  AuditIncomeSource: { amount: (s: { amountFen: number }) => s.amountFen },
};
