import type { RequestContext } from '../../shared/context';
import { readContext } from '../../shared/context';
import { runMutation } from '../../shared/mutation';
import { fromGlobalId, requireGlobalId, toGlobalId } from '../../shared/ids';
import { toFundingLines } from '../projects/projects.resolvers';
import * as service from './assets.service';
import type { BareStep } from './assets.service';
import type { Asset, AssetEvent, AssetHold, HoldKind } from './assets.types';
import { referenced } from '../../shared/loaderUtils';
import type { Resolvers } from '../../generated/resolvers';
import type { AssetStepInput } from '../../generated/schema';
import { isHeldOn } from './assets.holdDates';

/** The object type of each kind of holder, for its global id. */
const HOLDER_TYPE: Record<HoldKind, string> = { CONTRACT: 'Contract', BUNDLE: 'Bundle', PLEDGE: 'Pledge', DISPOSAL: 'Disposal' };

const withAssetId = <I extends { assetId: string }>(input: I) => ({ ...input, assetId: requireGlobalId('Asset', input.assetId, ['input', 'assetId']) });

function step(action: BareStep) {
  return (_: unknown, args: { input: AssetStepInput }, ctx: RequestContext) =>
    runMutation(ctx, (svc) => service.transitionAsset(svc, action, withAssetId(args.input)), (asset) => ({ asset }));
}

export const assetsResolvers: Resolvers = {
  Query: {
    asset: (_: unknown, args: { id: string }, ctx: RequestContext) => {
      const id = fromGlobalId('Asset', args.id);
      return id === null ? null : service.getAsset(readContext(ctx), id);
    },
    assets: (_: unknown, args, ctx: RequestContext) =>
      args.asOf
        ? service.listAssetsOn(readContext(ctx), args.filter ?? {}, args.asOf, args)
        : service.listAssets(readContext(ctx), args.filter ?? {}, args),
  },
  Mutation: {
    assetRegister: (_: unknown, args, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) =>
          service.registerAsset(svc, {
            ...args.input,
            projectId: requireGlobalId('Project', args.input.projectId, ['input', 'projectId']),
            originalValueFen: args.input.originalValue,
            originalValue: undefined,
            fundingLines: toFundingLines(args.input.fundingLines),
          }),
        (asset) => ({ asset }),
      ),
    assetUpdate: (_: unknown, args, ctx: RequestContext) =>
      runMutation(ctx, (svc) => service.updateAsset(svc, withAssetId(args.input)), (asset) => ({ asset })),
    // rightsConfirm and assetHandOver carry owners and a deed: they live in the rights module.
    assetStartOperation: step('START_OPERATION'),
    assetPutInUse: step('PUT_IN_USE'),
    assetMarkIdle: step('MARK_IDLE'),
    assetRevitalise: step('REVITALISE'),
  },
  // A project's assets are served here: assets depend on projects, never the reverse.
  // An entry's asset, under the asset's own read rule (a venture's entry may name another village's asset).
  JournalEntry: {
    asset: (e, _: unknown, ctx: RequestContext) => (e.assetId ? service.getAsset(readContext(ctx), e.assetId) : null),
  },
  Project: {
    assets: (p: { id: number }, args, ctx: RequestContext) =>
      service.listAssets(readContext(ctx), { projectId: p.id }, args),
  },
  Asset: {
    id: (a: Asset) => toGlobalId('Asset', a.id),
    village: (a: Asset, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.region.load(a.villageCode)),
    project: (a: Asset, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.project.load(a.projectId)),
    originalValue: (a: Asset) => a.originalValueFen,
    fundingLines: (a: Asset, _: unknown, ctx: RequestContext) => ctx.loaders.assetFundingLines.load(a.id),
    events: (a: Asset, _: unknown, ctx: RequestContext) => ctx.loaders.assetEvents.load(a.id),
    holds: (a: Asset, _: unknown, ctx: RequestContext) => ctx.loaders.assetHolds.load(a.id),
    holdsOn: async (a: Asset, args: { date?: string | null }, ctx: RequestContext) => {
      const date = args.date ?? ctx.clock.today();
      return (await ctx.loaders.assetHolds.load(a.id)).filter((h) => isHeldOn(h, date));
    },
  },
  AssetHold: {
    holderId: (h: AssetHold) => toGlobalId(HOLDER_TYPE[h.kind], h.holderId),
  },
  AssetEvent: {
    id: (e: AssetEvent) => toGlobalId('AssetEvent', e.id),
    payload: (e: AssetEvent) => JSON.stringify(e.payload),
    actor: (e: AssetEvent, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.user.load(e.actorUserId)),
  },
};
