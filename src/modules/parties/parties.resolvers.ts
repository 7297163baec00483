import type { RequestContext } from '../../shared/context';
import { readContext } from '../../shared/context';
import { runMutation } from '../../shared/mutation';
import { fromGlobalId, requireGlobalId, toGlobalId } from '../../shared/ids';
import * as service from './parties.service';
import type { Party } from './parties.types';
import { referenced } from '../../shared/loaderUtils';
import type { Resolvers } from '../../generated/resolvers';
import type { PartyRefInput } from '../../generated/schema';

/** PartyRefInput (global ids) → service PartyRef (integer keys). */
export function toPartyRef(ref: PartyRefInput | null | undefined, field: string[]): service.PartyRef {
  if (!ref) return {};
  return {
    partyId: ref.partyId != null ? requireGlobalId('Party', ref.partyId, [...field, 'partyId']) : null,
    villageCode: ref.villageCode ?? null,
    householdId: ref.householdId != null ? requireGlobalId('Household', ref.householdId, [...field, 'householdId']) : null,
  };
}

export const partiesResolvers: Resolvers = {
  Query: {
    party: (_: unknown, args: { id: string }, ctx: RequestContext) => {
      const id = fromGlobalId('Party', args.id);
      return id === null ? null : service.getVisibleParty(readContext(ctx), id);
    },
    parties: (_: unknown, args, ctx: RequestContext) =>
      service.listParties(readContext(ctx), args.filter ?? {}, args),
  },
  Mutation: {
    partyRegister: (_: unknown, args, ctx: RequestContext) =>
      runMutation(ctx, (svc) => service.registerParty(svc, args.input), (party) => ({ party })),
  },
  Party: {
    id: (p: Party) => toGlobalId('Party', p.id),
    region: (p: Party, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.region.load(p.regionCode)),
    household: (p: Party, _: unknown, ctx: RequestContext) => (p.householdId ? ctx.loaders.household.load(p.householdId) : null),
  },
};
