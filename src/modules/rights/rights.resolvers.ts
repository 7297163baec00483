import type { RequestContext } from '../../shared/context';
import { runMutation } from '../../shared/mutation';
import { requireGlobalId, toGlobalId } from '../../shared/ids';
import type { Asset } from '../assets/assets.types';
import { toPartyRef } from '../parties/parties.resolvers';
import * as service from './rights.service';
import type { AssetOwner, HandoverDeed, RightsConfirmation } from './rights.types';
import { referenced } from '../../shared/loaderUtils';
import type { Resolvers } from '../../generated/resolvers';
import type { AssetOwnerInput } from '../../generated/schema';

const assetIdOf = (input: { assetId: string }) => requireGlobalId('Asset', input.assetId, ['input', 'assetId']);

const toOwnerInputs = (owners: AssetOwnerInput[]) =>
  owners.map((o, i) => ({ ...toPartyRef(o, ['input', 'owners', String(i)]), shareBp: o.shareBp }));

export const rightsResolvers: Resolvers = {
  Mutation: {
    rightsConfirm: (_: unknown, args, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) => service.confirmRights(svc, { ...args.input, assetId: assetIdOf(args.input), owners: toOwnerInputs(args.input.owners) }),
        (r) => ({ asset: r.asset, rightsConfirmation: r.confirmation }),
      ),
    rightsChange: (_: unknown, args, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) => service.changeRights(svc, { ...args.input, assetId: assetIdOf(args.input), owners: toOwnerInputs(args.input.owners) }),
        (r) => ({ asset: r.asset, rightsConfirmation: r.confirmation, approvalChain: r.chain }),
      ),
    assetHandOver: (_: unknown, args, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) =>
          service.handOverAsset(svc, {
            ...args.input,
            assetId: assetIdOf(args.input),
            recipient: args.input.recipient ? toPartyRef(args.input.recipient, ['input', 'recipient']) : null,
          }),
        (r) => ({ asset: r.asset, handoverDeed: r.deed }),
      ),
  },
  Asset: {
    owners: async (a: Asset, _: unknown, ctx: RequestContext) =>
      service.ownersAt(await ctx.loaders.assetOwnerRows.load(a.id), ctx.clock.today()),
    ownersOn: async (a: Asset, args: { date: string }, ctx: RequestContext) =>
      service.ownersAt(await ctx.loaders.assetOwnerRows.load(a.id), args.date),
    ownershipHistory: (a: Asset, _: unknown, ctx: RequestContext) => ctx.loaders.assetOwnerRows.load(a.id),
    rights: async (a: Asset, _: unknown, ctx: RequestContext) => {
      const all = await ctx.loaders.rightsConfirmations.load(a.id);
      return all.length ? all[all.length - 1] : null;
    },
    rightsHistory: (a: Asset, _: unknown, ctx: RequestContext) => ctx.loaders.rightsConfirmations.load(a.id),
    handoverDeed: (a: Asset, _: unknown, ctx: RequestContext) => ctx.loaders.handoverDeed.load(a.id),
  },
  AssetOwner: {
    party: (o: AssetOwner, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.party.load(o.partyId)),
    sharePercent: (o: AssetOwner) => `${Math.floor(o.shareBp / 100)}.${String(o.shareBp % 100).padStart(2, '0')}`,
  },
  RightsConfirmation: {
    id: (c: RightsConfirmation) => toGlobalId('RightsConfirmation', c.id),
    approval: (c: RightsConfirmation) =>
      // The service writes the approval's reference, body and date together (all or none).
      c.approvalRef ? { reference: c.approvalRef, approvedBy: c.approvedBy!, approvedOn: c.approvedOn! } : null,
    owners: async (c: RightsConfirmation, _: unknown, ctx: RequestContext) =>
      (await ctx.loaders.assetOwnerRows.load(c.assetId)).filter((o) => o.confirmationId === c.id),
    actor: (c: RightsConfirmation, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.user.load(c.actorUserId)),
  },
  HandoverDeed: {
    id: (d: HandoverDeed) => toGlobalId('HandoverDeed', d.id),
    recipient: (d: HandoverDeed, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.party.load(d.recipientPartyId)),
    actor: (d: HandoverDeed, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.user.load(d.actorUserId)),
  },
};
