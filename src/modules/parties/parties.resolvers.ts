import type { RequestContext } from '../../shared/context';
import { readContext } from '../../shared/context';
import { runMutation } from '../../shared/mutation';
import { fromGlobalId, requireGlobalId, toGlobalId } from '../../shared/ids';
import * as service from './parties.service';
import type { Party } from './parties.types';

/** PartyRefInput (global ids) → service PartyRef (integer keys). */
export function toPartyRef(ref: any, field: string[]): service.PartyRef {
  if (!ref) return {};
  return {
    partyId: ref.partyId != null ? requireGlobalId('Party', ref.partyId, [...field, 'partyId']) : null,
    villageCode: ref.villageCode ?? null,
    householdId: ref.householdId != null ? requireGlobalId('Household', ref.householdId, [...field, 'householdId']) : null,
  };
}

export const partiesResolvers = {
  Query: {
    party: (_: unknown, args: { id: string }, ctx: RequestContext) => {
      const id = fromGlobalId('Party', args.id);
      return id === null ? null : service.getVisibleParty(readContext(ctx), id);
    },
    parties: (_: unknown, args: { filter?: any; first?: number; after?: string }, ctx: RequestContext) =>
      service.listParties(readContext(ctx), args.filter ?? {}, args),
  },
  Mutation: {
    partyRegister: (_: unknown, args: { input: any }, ctx: RequestContext) =>
      runMutation(ctx, (svc) => service.registerParty(svc, args.input), (party) => ({ party })),
  },
  Party: {
    id: (p: Party) => toGlobalId('Party', p.id),
    region: (p: Party, _: unknown, ctx: RequestContext) => ctx.loaders.region.load(p.regionCode),
    household: (p: Party, _: unknown, ctx: RequestContext) => (p.householdId ? ctx.loaders.household.load(p.householdId) : null),
  },
};
