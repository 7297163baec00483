import type { RequestContext } from '../../shared/context';
import type { Resolvers } from '../../generated/resolvers';
import { referenced } from '../../shared/loaderUtils';
import { readContext } from '../../shared/context';
import { getAsset } from '../assets/assets.service';
import { loadVisibleEntry } from '../journal/journal.service';
import { runMutation } from '../../shared/mutation';
import { fromGlobalId, requireGlobalId, toGlobalId } from '../../shared/ids';
import { getChain } from '../approvals/approvals.service';
import { getDocument } from '../documents/documents.service';
import type { JournalEntry } from '../journal/journal.types';
import * as service from './bundles.service';
import type {
  Bundle,
  BundleContribution,
  ContributionKind,
  BundleMember,
  BundleProfit,
  BundleRevaluation,
  IncomeSplit,
  LegalForm,
  OwnerWeight,
  ShareEvent,
  ShareLine,
  SplitLine,
} from './bundles.types';

// ------------------------------------------------------------------------------------------- argument types

interface IdArgs {
  id: string;
}
interface ListArgs {
  filter?: { regionCode?: string | null; status?: string | null; villageCode?: string | null; text?: string | null } | null;
  first?: number | null;
  after?: string | null;
}
interface OnArgs {
  on?: string | null;
}
interface AppraisalInput {
  appraiser: string;
  appraisedOn: string;
  /** Money arrives as fen. */
  value: number;
  reportNo?: string | null;
  documentId?: string | null;
}
interface CreateArgs {
  input: { name: string; legalForm: LegalForm; creditCode: string; startOn: string; villageCodes: string[] };
}
interface ContributeArgs {
  input: {
    bundleId: string;
    villageCode: string;
    kind: ContributionKind;
    assetId?: string | null;
    appraisal?: AppraisalInput | null;
    amount?: number | null;
    contributedOn: string;
  };
}
interface RevalueArgs {
  input: { contributionId: string; appraisal: AppraisalInput; effectiveOn: string; reason?: string | null };
}
interface WithdrawArgs {
  input: { bundleId: string; villageCode: string; withdrawnOn: string; reason: string };
}
interface DissolveArgs {
  input: { bundleId: string; dissolvedOn: string; reason: string };
}
interface ProfitArgs {
  input: { bundleId: string; year: number; profit: number; declaredOn: string; reference: string; memo?: string | null };
}
interface SplitArgs {
  input: { bundleId: string; year: number; amount: number; splitOn: string; memo?: string | null; idempotencyKey: string };
}

const bundleIdOf = (gid: string) => requireGlobalId('Bundle', gid, ['input', 'bundleId']);

const toAppraisal = (a: AppraisalInput | null | undefined, field: string[]) =>
  a
    ? {
        appraiser: a.appraiser,
        appraisedOn: a.appraisedOn,
        valueFen: a.value,
        reportNo: a.reportNo ?? null,
        documentId: a.documentId != null ? requireGlobalId('Document', a.documentId, [...field, 'documentId']) : null,
      }
    : null;

const today = (ctx: RequestContext, on: string | null | undefined) => on ?? ctx.clock.today();

async function tableOn(ctx: RequestContext, bundleId: number, on: string): Promise<ShareLine[]> {
  return service.sharesOn(await ctx.loaders.bundleShareEvents.load(bundleId), on)?.lines ?? [];
}

const appraisalOf = (a: { appraiser: string | null; appraisedOn: string | null; appraisalReportNo: string | null; appraisalDocumentId: number | null }) =>
  // An appraisal is recorded whole (appraiser and date together), so the date is there with the appraiser.
  a.appraiser ? { appraiser: a.appraiser, appraisedOn: a.appraisedOn!, reportNo: a.appraisalReportNo, documentId: a.appraisalDocumentId } : null;

export const bundlesResolvers: Resolvers = {
  Query: {
    bundle: (_: unknown, args: IdArgs, ctx: RequestContext) => {
      const id = fromGlobalId('Bundle', args.id);
      return id === null ? null : service.getBundle(readContext(ctx), id);
    },
    bundles: (_: unknown, args: ListArgs, ctx: RequestContext) => service.listBundles(readContext(ctx), args.filter ?? {}, args),
    villageVentures: (_: unknown, args: { villageCode: string }, ctx: RequestContext) => service.villageMemberships(readContext(ctx), args.villageCode),
  },
  Mutation: {
    bundleCreate: (_: unknown, args: CreateArgs, ctx: RequestContext) =>
      runMutation(ctx, (svc) => service.createBundle(svc, args.input), (r) => ({ bundle: r.bundle })),
    bundleContribute: (_: unknown, args: ContributeArgs, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) =>
          service.contribute(svc, {
            bundleId: bundleIdOf(args.input.bundleId),
            villageCode: args.input.villageCode,
            kind: args.input.kind,
            assetId: args.input.assetId != null ? requireGlobalId('Asset', args.input.assetId, ['input', 'assetId']) : null,
            appraisal: toAppraisal(args.input.appraisal, ['input', 'appraisal']),
            amountFen: args.input.amount ?? null,
            contributedOn: args.input.contributedOn,
          }),
        (r) => ({ contribution: r.contribution, approval: r.chain }),
      ),
    bundleContributionRevalue: (_: unknown, args: RevalueArgs, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) =>
          service.revalueContribution(svc, {
            contributionId: requireGlobalId('BundleContribution', args.input.contributionId, ['input', 'contributionId']),
            appraisal: toAppraisal(args.input.appraisal, ['input', 'appraisal']),
            effectiveOn: args.input.effectiveOn,
            reason: args.input.reason ?? null,
          }),
        (r) => ({ contribution: r.contribution, approval: null }),
      ),
    bundleWithdraw: (_: unknown, args: WithdrawArgs, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) => service.requestWithdrawal(svc, { ...args.input, bundleId: bundleIdOf(args.input.bundleId) }),
        (r) => ({ member: r.member, approval: r.chain }),
      ),
    bundleDissolve: (_: unknown, args: DissolveArgs, ctx: RequestContext) =>
      runMutation(ctx, (svc) => service.dissolveBundle(svc, { ...args.input, bundleId: bundleIdOf(args.input.bundleId) }), (bundle) => ({ bundle })),
    bundleProfitRecord: (_: unknown, args: ProfitArgs, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) =>
          service.recordProfit(svc, {
            bundleId: bundleIdOf(args.input.bundleId),
            year: args.input.year,
            profitFen: args.input.profit,
            declaredOn: args.input.declaredOn,
            reference: args.input.reference,
            memo: args.input.memo ?? null,
          }),
        (profit) => ({ profit }),
      ),
    bundleIncomeSplit: (_: unknown, args: SplitArgs, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) =>
          service.splitIncome(svc, {
            bundleId: bundleIdOf(args.input.bundleId),
            year: args.input.year,
            amountFen: args.input.amount,
            splitOn: args.input.splitOn,
            memo: args.input.memo ?? null,
            idempotencyKey: args.input.idempotencyKey,
          }),
        (r) => ({ split: r.split, replayed: r.posted.replayed }),
      ),
  },
  Bundle: {
    id: (b: Bundle) => toGlobalId('Bundle', b.id),
    party: (b: Bundle, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.party.load(b.partyId)),
    region: (b: Bundle, _: unknown, ctx: RequestContext) => ctx.loaders.region.load(b.regionCode),
    members: (b: Bundle, _: unknown, ctx: RequestContext) => ctx.loaders.bundleMembers.load(b.id),
    contributions: (b: Bundle, _: unknown, ctx: RequestContext) => ctx.loaders.bundleContributions.load(b.id),
    totalContributed: async (b: Bundle, _: unknown, ctx: RequestContext) =>
      (await ctx.loaders.bundleContributions.load(b.id)).filter((c) => c.status === 'ACTIVE').reduce((s, c) => s + c.valueFen, 0),
    shares: (b: Bundle, args: OnArgs, ctx: RequestContext) => tableOn(ctx, b.id, today(ctx, args.on)),
    shareEvents: (b: Bundle, _: unknown, ctx: RequestContext) => ctx.loaders.bundleShareEvents.load(b.id),
    profits: (b: Bundle, _: unknown, ctx: RequestContext) => ctx.loaders.bundleProfits.load(b.id),
    incomeSplits: async (b: Bundle, args: { year?: number | null }, ctx: RequestContext) => {
      const splits = await ctx.loaders.bundleSplits.load(b.id);
      if (args.year == null) return splits;
      const profits = await ctx.loaders.bundleProfits.load(b.id);
      const ids = new Set(profits.filter((p) => p.year === args.year).map((p) => p.id));
      return splits.filter((s) => ids.has(s.profitId));
    },
    holds: async (b: Bundle, _: unknown, ctx: RequestContext) => {
      const assetIds = [...new Set((await ctx.loaders.bundleContributions.load(b.id)).flatMap((c) => (c.assetId ? [c.assetId] : [])))];
      const holds = (await ctx.loaders.assetHolds.loadMany(assetIds)).flatMap((h) => (Array.isArray(h) ? h : []));
      return holds.filter((h) => h.kind === 'BUNDLE' && h.holderId === b.id);
    },
  },
  BundleMember: {
    id: (m: BundleMember) => toGlobalId('BundleMember', m.id),
    bundle: (m: BundleMember, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.bundle.load(m.bundleId)),
    village: (m: BundleMember, _: unknown, ctx: RequestContext) => ctx.loaders.region.load(m.villageCode),
    party: (m: BundleMember, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.party.load(m.partyId)),
    withdrawal: (m: BundleMember, _: unknown, ctx: RequestContext) => (m.withdrawChainId ? getChain(readContext(ctx), m.withdrawChainId) : null),
    shareBp: async (m: BundleMember, args: OnArgs, ctx: RequestContext) =>
      (await tableOn(ctx, m.bundleId, today(ctx, args.on))).find((l) => l.memberId === m.id)?.shareBp ?? 0,
    contributed: async (m: BundleMember, _: unknown, ctx: RequestContext) =>
      (await ctx.loaders.bundleContributions.load(m.bundleId))
        .filter((c) => c.status === 'ACTIVE')
        .flatMap((c) => c.ownerWeights)
        .filter((w) => w.villageCode === m.villageCode)
        .reduce((s, w) => s + w.valueFen, 0),
  },
  BundleContribution: {
    id: (c: BundleContribution) => toGlobalId('BundleContribution', c.id),
    bundle: (c: BundleContribution, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.bundle.load(c.bundleId)),
    member: async (c: BundleContribution, _: unknown, ctx: RequestContext) =>
      referenced(Promise.resolve((await ctx.loaders.bundleMembers.load(c.bundleId)).find((m) => m.id === c.memberId) ?? null)),
    // Every path to an asset or an entry applies its own read rule (issue 8): a member village sees the
    // venture's contributions and shares, but another village's asset card or cash entry only in scope.
    asset: (c: BundleContribution, _: unknown, ctx: RequestContext) => (c.assetId ? getAsset(readContext(ctx), c.assetId) : null),
    value: (c: BundleContribution) => c.valueFen,
    appraisal: (c: BundleContribution) => appraisalOf(c),
    approval: (c: BundleContribution, _: unknown, ctx: RequestContext) => getChain(readContext(ctx), c.chainId),
    entry: (c: BundleContribution, _: unknown, ctx: RequestContext) =>
      c.entryId ? loadVisibleEntry(readContext(ctx), ctx.loaders.journal, c.entryId) : null,
    returnEntry: (c: BundleContribution, _: unknown, ctx: RequestContext) =>
      c.returnEntryId ? loadVisibleEntry(readContext(ctx), ctx.loaders.journal, c.returnEntryId) : null,
    revaluations: (c: BundleContribution, _: unknown, ctx: RequestContext) => ctx.loaders.bundleRevaluations.load(c.id),
  },
  BundleAppraisal: {
    document: (a: { documentId: number | null }, _: unknown, ctx: RequestContext) => (a.documentId ? getDocument(readContext(ctx), a.documentId) : null),
  },
  BundleOwnerWeight: {
    village: (w: OwnerWeight, _: unknown, ctx: RequestContext) => ctx.loaders.region.load(w.villageCode),
    value: (w: OwnerWeight) => w.valueFen,
  },
  BundleRevaluation: {
    valueBefore: (r: BundleRevaluation) => r.valueBeforeFen,
    valueAfter: (r: BundleRevaluation) => r.valueAfterFen,
    appraisal: (r: BundleRevaluation) => ({ appraiser: r.appraiser, appraisedOn: r.appraisedOn, reportNo: r.appraisalReportNo, documentId: r.appraisalDocumentId }),
  },
  BundleShare: {
    member: (l: ShareLine, _: unknown, ctx: RequestContext) => memberById(ctx, l.memberId),
    value: (l: ShareLine) => l.valueFen,
  },
  BundleShareEvent: {
    shares: (e: ShareEvent) => e.lines,
    actor: (e: ShareEvent, _: unknown, ctx: RequestContext) => ctx.loaders.user.load(e.actorUserId),
  },
  BundleProfit: {
    profit: (p: BundleProfit) => p.profitFen,
    split: async (p: BundleProfit, _: unknown, ctx: RequestContext) =>
      (await ctx.loaders.bundleSplits.load(p.bundleId)).filter((s) => s.profitId === p.id).reduce((sum, s) => sum + s.amountFen, 0),
  },
  BundleIncomeSplit: {
    id: (s: IncomeSplit) => toGlobalId('BundleIncomeSplit', s.id),
    bundle: (s: IncomeSplit, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.bundle.load(s.bundleId)),
    year: async (s: IncomeSplit, _: unknown, ctx: RequestContext) => (await ctx.loaders.bundleProfits.load(s.bundleId)).find((p) => p.id === s.profitId)!.year,
    amount: (s: IncomeSplit) => s.amountFen,
    profit: async (s: IncomeSplit, _: unknown, ctx: RequestContext) => referenced(Promise.resolve((await ctx.loaders.bundleProfits.load(s.bundleId)).find((p) => p.id === s.profitId) ?? null)),
    entry: (s: IncomeSplit, _: unknown, ctx: RequestContext) => loadVisibleEntry(readContext(ctx), ctx.loaders.journal, s.entryId),
  },
  BundleSplitLine: {
    member: (l: SplitLine, _: unknown, ctx: RequestContext) => memberById(ctx, l.memberId),
    amount: (l: SplitLine) => l.amountFen,
  },
  JournalEntry: {
    bundleIncomeSplit: async (e: JournalEntry, _: unknown, ctx: RequestContext) => {
      if (e.kind !== 'BUNDLE_INCOME') return null;
      const split = await ctx.loaders.bundleSplitOfEntry.load(e.id);
      return split && (await service.getBundle(readContext(ctx), split.bundleId)) ? split : null;
    },
  },
  BundleIncomeSplitPayload: {
    replayed: (p) => p.replayed ?? false,
  },
};

/** A member by id (share and split lines carry only the member id). */
const memberById = (ctx: RequestContext, memberId: number) => referenced(ctx.loaders.bundleMember.load(memberId));
