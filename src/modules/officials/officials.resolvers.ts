import type { RequestContext } from '../../shared/context';
import { readContext } from '../../shared/context';
import { runMutation } from '../../shared/mutation';
import { requireGlobalId, toGlobalId } from '../../shared/ids';
import { referenced } from '../../shared/loaderUtils';
import { seesPersonalData } from '../auth/auth.service';
import { maskResidentId } from '../households/residentId';
import { canSeeParty } from '../parties/parties.service';
import type { Resolvers } from '../../generated/resolvers';
import * as service from './officials.service';
import { inOffice, VillageOfficial } from './officials.types';

const optionalId = (type: string, v: string | null | undefined, field: string): number | null =>
  v === null || v === undefined ? null : requireGlobalId(type, v, ['input', field]);

export const officialsResolvers: Resolvers = {
  Query: {
    villageOfficials: (_: unknown, args, ctx: RequestContext) => service.listOfficials(readContext(ctx), args.filter ?? {}),
  },
  Mutation: {
    officialRegister: (_: unknown, args, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) =>
          service.registerOfficial(svc, {
            ...args.input,
            userId: optionalId('User', args.input.userId, 'userId'),
            householdId: optionalId('Household', args.input.householdId, 'householdId'),
            partyId: optionalId('Party', args.input.partyId, 'partyId'),
          }),
        (official) => ({ official }),
      ),
    officialEndTerm: (_: unknown, args, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) => service.endOfficialTerm(svc, { ...args.input, officialId: requireGlobalId('VillageOfficial', args.input.officialId, ['input', 'officialId']) }),
        (official) => ({ official }),
      ),
  },
  VillageOfficial: {
    id: (o: VillageOfficial) => toGlobalId('VillageOfficial', o.id),
    village: (o: VillageOfficial, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.region.load(o.villageCode)),
    idNumber: (o: VillageOfficial, _: unknown, ctx: RequestContext) =>
      o.idNumber === null ? null : ctx.actor && seesPersonalData(ctx.actor) ? o.idNumber : maskResidentId(o.idNumber),
    user: (o: VillageOfficial, _: unknown, ctx: RequestContext) => (o.userId === null ? null : ctx.loaders.user.load(o.userId)),
    household: (o: VillageOfficial, _: unknown, ctx: RequestContext) => (o.householdId === null ? null : ctx.loaders.household.load(o.householdId)),
    party: async (o: VillageOfficial, _: unknown, ctx: RequestContext) => {
      if (o.partyId === null) return null;
      const p = await ctx.loaders.party.load(o.partyId);
      return p && ctx.actor && canSeeParty(ctx.actor, p) ? p : null;
    },
    inOfficeOn: (o: VillageOfficial, args) => inOffice(o, args.date),
  },
};
