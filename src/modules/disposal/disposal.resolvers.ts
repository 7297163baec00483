import type { RequestContext } from '../../shared/context';
import type { Resolvers } from '../../generated/resolvers';
import { readContext } from '../../shared/context';
import { runMutation } from '../../shared/mutation';
import { fromGlobalId, requireGlobalId, toGlobalId } from '../../shared/ids';
import type { Asset } from '../assets/assets.types';
import type { BundleMember } from '../bundles/bundles.types';
import { toPartyRef } from '../parties/parties.resolvers';
import * as service from './disposal.service';
import type {
  AssetPledge,
  Disposal,
  DisposalEvent,
  DisposalNotice,
  DisposalObjection,
  DisposalPolicy,
  DisposalProceedsReuse,
  ProceedsByRegion,
} from './disposal.types';

/** A party reference as GraphQL sends it (PartyRefInput). */
interface PartyRefArg {
  partyId?: string | null;
  villageCode?: string | null;
  householdId?: string | null;
}
interface PageArg {
  first?: number | null;
  after?: string | null;
}
interface RequestArgs {
  input: { assetId: string; reason: string; method: string; requestedOn: string; description: string; documentIds?: string[] | null };
}
interface AppraiseArgs {
  input: {
    disposalId: string;
    appraiser: string;
    appraisedOn: string;
    value: number;
    reportNo: string;
    exception?: { floor: number; reason: string } | null;
  };
}
interface DecideArgs {
  input: {
    disposalId: string;
    decision: 'APPROVE' | 'REJECT';
    decidedOn: string;
    reference?: string | null;
    reason?: string | null;
    meeting?: { heldOn: string; memberCount: number; attendance: number; votesFor: number } | null;
    documentIds?: string[] | null;
  };
}
interface NoticeArgs {
  input: { disposalId: string; startOn: string; endOn?: string | null; content?: string | null };
}
interface ObjectionArgs {
  input: { disposalId: string; raisedOn: string; raisedBy: string; content: string };
}
interface ResolveArgs {
  input: { objectionId: string; resolvedOn: string; resolution: string };
}
interface ExecuteArgs {
  input: {
    disposalId: string;
    executedOn: string;
    recipient?: PartyRefArg | null;
    price: number;
    insurance?: { insurer: PartyRefArg; amount: number } | null;
    proceedsReceivedOn?: string | null;
    exchangeDealRef?: string | null;
    dealContractNo?: string | null;
    idempotencyKey: string;
  };
}
interface ReuseArgs {
  input: { disposalId: string; villageCode: string; projectId: string; amount: number; reusedOn: string; purpose: string; idempotencyKey: string };
}
interface CancelArgs {
  input: { disposalId: string; cancelledOn: string; reason: string };
}
interface PledgeArgs {
  input: {
    assetId?: string | null;
    ventureMemberId?: string | null;
    kind: string;
    pledgee: PartyRefArg;
    loan: number;
    loanPurpose: string;
    contractNo: string;
    pledgedOn: string;
    endOn?: string | null;
  };
}
interface PledgeReleaseArgs {
  input: { pledgeId: string; releasedOn: string; reason: string };
}
interface PolicyArgs {
  input: {
    countyCode: string;
    tier1Max?: number | null;
    tier2Max?: number | null;
    appraisalThreshold?: number | null;
    exchangeThreshold?: number | null;
    noticeDays?: number | null;
    proceedsBookingDays?: number | null;
  };
}
interface DisposalsArgs extends PageArg {
  filter?: { regionCode?: string | null; year?: number | null; method?: string | null; status?: string | null; assetId?: string | null } | null;
}

const disposalId = (gid: string) => requireGlobalId('Disposal', gid, ['input', 'disposalId']);
const docIds = (ids: string[] | null | undefined) => ids?.map((d, i) => requireGlobalId('Document', d, ['input', 'documentIds', String(i)]));
const orUndefined = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);
const withDisposal = (disposal: Disposal) => ({ disposal, replayed: false });

export const disposalResolvers: Resolvers = {
  Query: {
    disposal: (_: unknown, args: { id: string }, ctx: RequestContext) => {
      const id = fromGlobalId('Disposal', args.id);
      return id === null ? null : service.getDisposal(readContext(ctx), id);
    },
    disposals: (_: unknown, args: DisposalsArgs, ctx: RequestContext) => {
      const f = args.filter ?? {};
      const assetId = f.assetId ? (fromGlobalId('Asset', f.assetId) ?? -1) : null;
      return service.listDisposals(readContext(ctx), { ...f, assetId }, args);
    },
    assetPledge: (_: unknown, args: { id: string }, ctx: RequestContext) => {
      const id = fromGlobalId('AssetPledge', args.id);
      return id === null ? null : service.getPledge(readContext(ctx), id);
    },
    assetPledges: (_: unknown, args: PageArg & { regionCode?: string | null; status?: string | null }, ctx: RequestContext) =>
      service.listPledges(readContext(ctx), args, args),
    disposalProceedsByRegion: (_: unknown, args: { regionCode?: string | null; year?: number | null }, ctx: RequestContext) =>
      service.proceedsByRegion(readContext(ctx), args),
    disposalPolicy: (_: unknown, args: { countyCode: string }, ctx: RequestContext) => service.getDisposalPolicy(readContext(ctx), args.countyCode),
  },
  Mutation: {
    disposalRequest: (_: unknown, args: RequestArgs, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) =>
          service.requestDisposal(svc, {
            ...args.input,
            assetId: requireGlobalId('Asset', args.input.assetId, ['input', 'assetId']),
            documentIds: docIds(args.input.documentIds),
          }),
        withDisposal,
      ),
    disposalAppraise: (_: unknown, args: AppraiseArgs, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) =>
          service.appraiseDisposal(svc, {
            disposalId: disposalId(args.input.disposalId),
            appraiser: args.input.appraiser,
            appraisedOn: args.input.appraisedOn,
            valueFen: args.input.value,
            reportNo: args.input.reportNo,
            exception: args.input.exception ? { floorFen: args.input.exception.floor, reason: args.input.exception.reason } : null,
          }),
        withDisposal,
      ),
    disposalDecide: (_: unknown, args: DecideArgs, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) => service.decideDisposal(svc, { ...args.input, disposalId: disposalId(args.input.disposalId), documentIds: docIds(args.input.documentIds) }),
        withDisposal,
      ),
    disposalNoticePublish: (_: unknown, args: NoticeArgs, ctx: RequestContext) =>
      runMutation(ctx, (svc) => service.publishNotice(svc, { ...args.input, disposalId: disposalId(args.input.disposalId) }), withDisposal),
    disposalObjectionRecord: (_: unknown, args: ObjectionArgs, ctx: RequestContext) =>
      runMutation(ctx, (svc) => service.recordObjection(svc, { ...args.input, disposalId: disposalId(args.input.disposalId) }), withDisposal),
    disposalObjectionResolve: (_: unknown, args: ResolveArgs, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) =>
          service.resolveObjection(svc, {
            ...args.input,
            objectionId: requireGlobalId('DisposalObjection', args.input.objectionId, ['input', 'objectionId']),
          }),
        withDisposal,
      ),
    disposalExecute: (_: unknown, args: ExecuteArgs, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) =>
          service.executeDisposal(svc, {
            disposalId: disposalId(args.input.disposalId),
            executedOn: args.input.executedOn,
            recipient: args.input.recipient ? toPartyRef(args.input.recipient, ['input', 'recipient']) : null,
            priceFen: args.input.price,
            insurance: args.input.insurance
              ? { insurer: toPartyRef(args.input.insurance.insurer, ['input', 'insurance', 'insurer']), amountFen: args.input.insurance.amount }
              : null,
            proceedsReceivedOn: args.input.proceedsReceivedOn,
            exchangeDealRef: args.input.exchangeDealRef,
            dealContractNo: args.input.dealContractNo,
            idempotencyKey: args.input.idempotencyKey,
          }),
        (r) => ({ disposal: r.disposal, replayed: r.replayed }),
      ),
    disposalProceedsReuse: (_: unknown, args: ReuseArgs, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) =>
          service.reuseProceeds(svc, {
            disposalId: disposalId(args.input.disposalId),
            villageCode: args.input.villageCode,
            projectId: requireGlobalId('Project', args.input.projectId, ['input', 'projectId']),
            amountFen: args.input.amount,
            reusedOn: args.input.reusedOn,
            purpose: args.input.purpose,
            idempotencyKey: args.input.idempotencyKey,
          }),
        (r) => ({ reuse: r.reuse, disposal: r.disposal, replayed: r.replayed }),
      ),
    disposalCancel: (_: unknown, args: CancelArgs, ctx: RequestContext) =>
      runMutation(ctx, (svc) => service.cancelDisposal(svc, { ...args.input, disposalId: disposalId(args.input.disposalId) }), withDisposal),
    assetPledge: (_: unknown, args: PledgeArgs, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) =>
          service.pledgeAsset(svc, {
            ...args.input,
            assetId: args.input.assetId == null ? null : requireGlobalId('Asset', args.input.assetId, ['input', 'assetId']),
            bundleMemberId:
              args.input.ventureMemberId == null ? null : requireGlobalId('BundleMember', args.input.ventureMemberId, ['input', 'ventureMemberId']),
            pledgee: toPartyRef(args.input.pledgee, ['input', 'pledgee']),
            loanFen: args.input.loan,
          }),
        (pledge) => ({ pledge }),
      ),
    assetPledgeRelease: (_: unknown, args: PledgeReleaseArgs, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) => service.releasePledge(svc, { ...args.input, pledgeId: requireGlobalId('AssetPledge', args.input.pledgeId, ['input', 'pledgeId']) }),
        (pledge) => ({ pledge }),
      ),
    disposalPolicyUpdate: (_: unknown, args: PolicyArgs, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) =>
          service.updateDisposalPolicy(svc, {
            countyCode: args.input.countyCode,
            tier1MaxFen: orUndefined(args.input.tier1Max),
            tier2MaxFen: orUndefined(args.input.tier2Max),
            appraisalThresholdFen: orUndefined(args.input.appraisalThreshold),
            exchangeThresholdFen: orUndefined(args.input.exchangeThreshold),
            noticeDays: orUndefined(args.input.noticeDays),
            proceedsBookingDays: orUndefined(args.input.proceedsBookingDays),
          }),
        (policy) => ({ policy }),
      ),
  },
  Asset: {
    // Disposals and pledges are read under their own village's rule on every path (getDisposal, getPledge),
    // whoever could reach the asset card.
    disposals: async (a: Asset, _: unknown, ctx: RequestContext) => service.visibleDisposals(readContext(ctx), await ctx.loaders.assetDisposals.load(a.id)),
    pledges: async (a: Asset, _: unknown, ctx: RequestContext) => service.visiblePledges(readContext(ctx), await ctx.loaders.assetPledgesOf.load(a.id)),
  },
  BundleMember: {
    // A fellow member of the venture sees the member, not its village's pledges: a pledge is read under its
    // own village's rule on every path (getPledge's rule), so another village's pledge is left out.
    pledges: async (m: BundleMember, _: unknown, ctx: RequestContext) => service.visiblePledges(readContext(ctx), await ctx.loaders.memberPledges.load(m.id)),
  },
  DisposalPayload: {
    replayed: (p: { replayed?: boolean }) => p.replayed ?? false,
  },
  Disposal: {
    id: (d: Disposal) => toGlobalId('Disposal', d.id),
    asset: (d: Disposal, _: unknown, ctx: RequestContext) => ctx.loaders.asset.load(d.assetId),
    documentIds: (d: Disposal) => d.documentIds.map((id) => toGlobalId('Document', id)),
    bookValue: (d: Disposal) => d.bookValueFen,
    appraisal: (d: Disposal) =>
      d.appraisedOn === null
        ? null
        : // disposalAppraise writes the appraiser, value and report together with the date.
          { appraiser: d.appraiser!, appraisedOn: d.appraisedOn, value: d.appraisedValueFen!, reportNo: d.appraisalReportNo! },
    // An exception is asked for with its reason (disposalAppraise), so the reason is there with the floor.
    priceException: (d: Disposal) => (d.exceptionFloorFen === null ? null : { floor: d.exceptionFloorFen, reason: d.exceptionReason! }),
    // The disposal is visible to the reader, and its chain lies in its village: loaded in one batch per page.
    chain: (d: Disposal, _: unknown, ctx: RequestContext) => (d.chainId === null ? null : ctx.loaders.approvalChain.load(d.chainId)),
    notice: (d: Disposal, _: unknown, ctx: RequestContext) => ctx.loaders.disposalNotice.load(d.id),
    objections: (d: Disposal, _: unknown, ctx: RequestContext) => ctx.loaders.disposalObjections.load(d.id),
    execution: (d: Disposal) => (d.status === 'EXECUTED' ? d : null),
    events: (d: Disposal, _: unknown, ctx: RequestContext) => ctx.loaders.disposalEvents.load(d.id),
    requestedBy: (d: Disposal, _: unknown, ctx: RequestContext) => ctx.loaders.user.load(d.requestedBy),
    proceedsReused: async (d: Disposal, _: unknown, ctx: RequestContext) => service.reusedFen(await ctx.loaders.disposalReuses.load(d.id)),
    proceedsRemaining: async (d: Disposal, _: unknown, ctx: RequestContext) => service.proceedsRemainingFen(d, await ctx.loaders.disposalReuses.load(d.id)),
    proceedsReuses: (d: Disposal, _: unknown, ctx: RequestContext) => ctx.loaders.disposalReuses.load(d.id),
    flags: async (d: Disposal, _: unknown, ctx: RequestContext) => {
      const recipient = d.recipientPartyId === null ? null : await ctx.loaders.party.load(d.recipientPartyId);
      return service.flagsOf(readContext(ctx), d, recipient ?? null, await ctx.loaders.disposalPolicyOf.load(d.countyCode));
    },
  },
  DisposalExecution: {
    recipient: (d: Disposal, _: unknown, ctx: RequestContext) => (d.recipientPartyId === null ? null : ctx.loaders.party.load(d.recipientPartyId)),
    // A write-off or scrapping may record no price: it is 0.00 on the execution.
    price: (d: Disposal) => d.priceFen ?? 0,
    insurance: (d: Disposal) => d.insuranceFen,
    insurer: (d: Disposal, _: unknown, ctx: RequestContext) => (d.insurerPartyId === null ? null : ctx.loaders.party.load(d.insurerPartyId)),
    proceeds: (d: Disposal) => (d.priceFen ?? 0) + (d.insuranceFen ?? 0),
    entry: (d: Disposal, _: unknown, ctx: RequestContext) => (d.entryId === null ? null : ctx.loaders.journal.entry.load(d.entryId)),
  },
  DisposalProceedsReusePayload: {
    replayed: (p: { replayed?: boolean }) => p.replayed ?? false,
  },
  DisposalProceedsReuse: {
    id: (r: DisposalProceedsReuse) => toGlobalId('DisposalProceedsReuse', r.id),
    disposal: (r: DisposalProceedsReuse, _: unknown, ctx: RequestContext) => service.getDisposal(readContext(ctx), r.disposalId),
    owner: (r: DisposalProceedsReuse, _: unknown, ctx: RequestContext) => ctx.loaders.party.load(r.ownerPartyId),
    project: (r: DisposalProceedsReuse, _: unknown, ctx: RequestContext) => ctx.loaders.project.load(r.projectId),
    amount: (r: DisposalProceedsReuse) => r.amountFen,
    entry: (r: DisposalProceedsReuse, _: unknown, ctx: RequestContext) => ctx.loaders.journal.entry.load(r.entryId),
  },
  DisposalProceedsByRegion: {
    region: (r: ProceedsByRegion, _: unknown, ctx: RequestContext) => ctx.loaders.region.load(r.villageCode),
    proceeds: (r: ProceedsByRegion) => r.proceedsFen,
    reused: (r: ProceedsByRegion) => r.reusedFen,
    remaining: (r: ProceedsByRegion) => r.remainingFen,
  },
  DisposalNotice: {
    content: (n: DisposalNotice) => JSON.stringify(n.content),
  },
  DisposalObjection: {
    id: (o: DisposalObjection) => toGlobalId('DisposalObjection', o.id),
  },
  DisposalEvent: {
    actor: (e: DisposalEvent, _: unknown, ctx: RequestContext) => ctx.loaders.user.load(e.actorUserId),
  },
  AssetPledge: {
    id: (p: AssetPledge) => toGlobalId('AssetPledge', p.id),
    asset: (p: AssetPledge, _: unknown, ctx: RequestContext) => (p.assetId === null ? null : ctx.loaders.asset.load(p.assetId)),
    ventureMember: (p: AssetPledge, _: unknown, ctx: RequestContext) => (p.bundleMemberId === null ? null : ctx.loaders.bundleMember.load(p.bundleMemberId)),
    pledgee: (p: AssetPledge, _: unknown, ctx: RequestContext) => ctx.loaders.party.load(p.pledgeePartyId),
    loan: (p: AssetPledge) => p.loanFen,
    pledgedOn: (p: AssetPledge) => p.startOn,
    chain: (p: AssetPledge, _: unknown, ctx: RequestContext) => (p.chainId === null ? null : ctx.loaders.approvalChain.load(p.chainId)),
  },
  DisposalPolicy: {
    tier1Max: (p: DisposalPolicy) => p.tier1MaxFen,
    tier2Max: (p: DisposalPolicy) => p.tier2MaxFen,
    appraisalThreshold: (p: DisposalPolicy) => p.appraisalThresholdFen,
    exchangeThreshold: (p: DisposalPolicy) => p.exchangeThresholdFen,
  },
};
