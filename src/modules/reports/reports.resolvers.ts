import { disposalNoticeSha256 } from './reports.notices';
import type { RequestContext } from '../../shared/context';
import { readContext } from '../../shared/context';
import { runMutation } from '../../shared/mutation';
import { toGlobalId } from '../../shared/ids';
import { isHeldOn } from '../assets/assets.holdDates';
import { accumulatedDepreciationFen } from '../assets/assets.depreciation';
import type { Asset } from '../assets/assets.types';
import { setDepreciationRule, visibleDepreciationRules } from '../policy/policy.service';
import * as service from './reports.service';
import type { AssetAsOfView, FindingCode, FindingObject, SummaryDimension, SummaryKey } from './reports.types';
import type { Resolvers } from '../../generated/resolvers';
import { referenced } from '../../shared/loaderUtils';

interface SummaryArgs { regionCode: string; asOf?: string | null; groupBy?: SummaryDimension[] | null }
interface FindingsArgs { regionCode: string; asOf?: string | null; codes?: FindingCode[] | null }
type AsOfView = AssetAsOfView;

async function accumulated(a: Asset, date: string, ctx: RequestContext): Promise<number> {
  const rules = await ctx.loaders.depreciationRules.load(a.villageCode.slice(0, 6));
  return accumulatedDepreciationFen(a.originalValueFen, a.bookedOn, date, rules.find((r) => r.subType === a.subType)!);
}

const within = (from: string, to: string | null, date: string) => from <= date && (to === null || date < to);

export const reportsResolvers: Resolvers = {
  Query: {
    registerSummary: (_: unknown, args: SummaryArgs, ctx: RequestContext) => service.registerSummary(readContext(ctx), args),
    auditFindings: (_: unknown, args: FindingsArgs, ctx: RequestContext) => service.auditFindings(readContext(ctx), args),
    depreciationRules: (_: unknown, args: { countyCode: string }, ctx: RequestContext) => visibleDepreciationRules(readContext(ctx), args.countyCode),
  },
  Mutation: {
    depreciationRuleSet: (_: unknown, args: { input: unknown }, ctx: RequestContext) =>
      runMutation(ctx, (svc) => setDepreciationRule(svc, args.input), (rule) => ({ rule })),
  },
  RegisterSummary: {
    region: (s: { regionCode: string }, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.region.load(s.regionCode)),
  },
  SummaryKey: {
    region: (k: SummaryKey, _: unknown, ctx: RequestContext) => (k.regionCode ? ctx.loaders.region.load(k.regionCode) : null),
  },
  RegisterSummaryRow: {
    originalValue: (r: { originalValueFen: number }) => r.originalValueFen,
    accumulatedDepreciation: (r: { accumulatedDepreciationFen: number }) => r.accumulatedDepreciationFen,
    bookValue: (r: { bookValueFen: number }) => r.bookValueFen,
    disposedOriginalValue: (r: { disposedOriginalValueFen: number }) => r.disposedOriginalValueFen,
  },
  SourceAmount: {
    amount: (s: { amountFen: number }) => s.amountFen,
  },
  DistributionNotice: {
    printUrl: (n: { id: number }) => `/notices/${n.id}`,
  },
  DisposalNotice: {
    printUrl: (n) => `/notices/disposal-${n.id}`,
    contentSha256: (n) => disposalNoticeSha256(n.content),
  },
  FindingObject: {
    id: (o: FindingObject) => toGlobalId(o.type, o.id),
  },
  Asset: {
    asOf: (a: Asset, args: { date: string }, ctx: RequestContext): AsOfView => {
      service.asOfDate(readContext(ctx), args.date);
      return { asset: a, date: args.date };
    },
    bookValue: async (a: Asset, args: { asOf?: string | null }, ctx: RequestContext) => {
      const date = service.asOfDate(readContext(ctx), args.asOf);
      return a.originalValueFen - (await accumulated(a, date, ctx));
    },
    accumulatedDepreciation: (a: Asset, args: { asOf?: string | null }, ctx: RequestContext) =>
      accumulated(a, service.asOfDate(readContext(ctx), args.asOf), ctx),
  },
  AssetAsOf: {
    onRegister: (v: AsOfView) => service.formedOn(v.asset) <= v.date,
    status: (v: AsOfView, _: unknown, ctx: RequestContext) => ctx.loaders.assetStatusOn.load(`${v.asset.id}|${v.date}`),
    rightsLevel: async (v: AsOfView, _: unknown, ctx: RequestContext) => {
      const rows = (await ctx.loaders.rightsConfirmations.load(v.asset.id)).filter((c) => c.effectiveOn <= v.date);
      rows.sort((x, y) => (x.effectiveOn === y.effectiveOn ? x.id - y.id : x.effectiveOn < y.effectiveOn ? -1 : 1));
      return rows.length ? rows[rows.length - 1].rightsLevel : null;
    },
    owners: async (v: AsOfView, _: unknown, ctx: RequestContext) =>
      (await ctx.loaders.assetOwnerRows.load(v.asset.id)).filter((o) => within(o.effectiveFrom, o.effectiveTo, v.date)),
    holds: async (v: AsOfView, _: unknown, ctx: RequestContext) => (await ctx.loaders.assetHolds.load(v.asset.id)).filter((h) => isHeldOn(h, v.date)),
    contracts: async (v: AsOfView, _: unknown, ctx: RequestContext) => {
      const holds = (await ctx.loaders.assetHolds.load(v.asset.id)).filter((h) => h.kind === 'CONTRACT' && isHeldOn(h, v.date));
      return (await Promise.all(holds.map((h) => ctx.loaders.contract.load(h.holderId)))).filter((c): c is NonNullable<typeof c> => c !== null);
    },
    keeper: async (v: AsOfView, _: unknown, ctx: RequestContext) =>
      (await ctx.loaders.upkeepAssignments.load(v.asset.id)).find((u) => within(u.effectiveFrom, u.effectiveTo, v.date)) ?? null,
    originalValue: (v: AsOfView) => v.asset.originalValueFen,
    accumulatedDepreciation: (v: AsOfView, _: unknown, ctx: RequestContext) => accumulated(v.asset, v.date, ctx),
    bookValue: async (v: AsOfView, _: unknown, ctx: RequestContext) => v.asset.originalValueFen - (await accumulated(v.asset, v.date, ctx)),
  },
};
