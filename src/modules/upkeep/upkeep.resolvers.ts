import type { RequestContext } from '../../shared/context';
import { readContext } from '../../shared/context';
import { runMutation } from '../../shared/mutation';
import { requireGlobalId, toGlobalId } from '../../shared/ids';
import type { Asset } from '../assets/assets.types';
import { toPartyRef } from '../parties/parties.resolvers';
import * as service from './upkeep.service';
import { loadVisibleEntry } from '../journal/journal.service';
import type { UpkeepAssignment, UpkeepRecord } from './upkeep.types';
import { referenced } from '../../shared/loaderUtils';
import type { Resolvers } from '../../generated/resolvers';

const assetIdOf = (input: { assetId: string }) => requireGlobalId('Asset', input.assetId, ['input', 'assetId']);

export const upkeepResolvers: Resolvers = {
  Query: {
    upkeepWarnings: (_: unknown, args, ctx: RequestContext) =>
      service.upkeepWarnings(readContext(ctx), args.regionCode, args),
  },
  Mutation: {
    upkeepAssign: (_: unknown, args, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) => service.assignUpkeep(svc, { ...args.input, assetId: assetIdOf(args.input), body: toPartyRef(args.input.body, ['input', 'body']) }),
        (r) => ({ asset: r.asset, upkeepAssignment: r.assignment }),
      ),
    upkeepRecord: (_: unknown, args, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) => service.recordUpkeep(svc, { ...args.input, assetId: assetIdOf(args.input), costFen: args.input.cost, cost: undefined }),
        (r) => ({ asset: r.asset, upkeepRecord: r.record, replayed: r.replayed }),
      ),
  },
  UpkeepRecordPayload: {
    replayed: (p: { replayed?: boolean }) => p.replayed ?? false,
  },
  Asset: {
    upkeep: async (a: Asset, _: unknown, ctx: RequestContext) => {
      const today = ctx.clock.today();
      const all = await ctx.loaders.upkeepAssignments.load(a.id);
      return all.find((u) => u.effectiveFrom <= today && (u.effectiveTo === null || u.effectiveTo > today)) ?? null;
    },
    upkeepHistory: (a: Asset, _: unknown, ctx: RequestContext) => ctx.loaders.upkeepAssignments.load(a.id),
    upkeepRecords: (a: Asset, _: unknown, ctx: RequestContext) => ctx.loaders.upkeepRecords.load(a.id),
  },
  UpkeepAssignment: {
    id: (u: UpkeepAssignment) => toGlobalId('UpkeepAssignment', u.id),
    body: (u: UpkeepAssignment, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.party.load(u.bodyPartyId)),
    actor: (u: UpkeepAssignment, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.user.load(u.actorUserId)),
  },
  UpkeepRecord: {
    id: (r: UpkeepRecord) => toGlobalId('UpkeepRecord', r.id),
    cost: (r: UpkeepRecord) => r.costFen,
    entry: (r: UpkeepRecord, _: unknown, ctx: RequestContext) => (r.entryId ? loadVisibleEntry(readContext(ctx), ctx.loaders.journal, r.entryId) : null),
    actor: (r: UpkeepRecord, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.user.load(r.actorUserId)),
  },
};
