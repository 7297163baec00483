import type { RequestContext } from '../../shared/context';
import { readContext } from '../../shared/context';
import { runMutation } from '../../shared/mutation';
import { fromGlobalId, toGlobalId, requireGlobalId } from '../../shared/ids';
import { seesPersonalData } from '../auth/auth.service';
import * as service from './households.service';
import { maskResidentId } from './residentId';
import type { Household } from './households.types';
import { referenced } from '../../shared/loaderUtils';
import type { Resolvers } from '../../generated/resolvers';

export const householdsResolvers: Resolvers = {
  Query: {
    household: (_: unknown, args: { id: string }, ctx: RequestContext) => {
      const id = fromGlobalId('Household', args.id);
      return id === null ? null : service.getHousehold(readContext(ctx), id);
    },
    households: (_: unknown, args, ctx: RequestContext) =>
      service.listHouseholds(readContext(ctx), args.filter ?? {}, args),
  },
  Mutation: {
    householdRegister: (_: unknown, args, ctx: RequestContext) =>
      runMutation(ctx, (svc) => service.registerHousehold(svc, args.input), (household) => ({ household })),
    householdUpdate: (_: unknown, args, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) =>
          service.updateHousehold(svc, {
            ...args.input,
            householdId: requireGlobalId('Household', args.input.householdId, ['input', 'householdId']),
          }),
        (household) => ({ household }),
      ),
  },
  Household: {
    id: (h: Household) => toGlobalId('Household', h.id),
    village: (h: Household, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.region.load(h.villageCode)),
    idNumber: (h: Household, _: unknown, ctx: RequestContext) =>
      ctx.actor && seesPersonalData(ctx.actor) ? h.idNumber : maskResidentId(h.idNumber),
    statusOn: async (h: Household, args: { date: string }, ctx: RequestContext) =>
      service.statusOn(await ctx.loaders.householdStatusHistory.load(h.id), args.date),
    statusHistory: (h: Household, _: unknown, ctx: RequestContext) => ctx.loaders.householdStatusHistory.load(h.id),
  },
};
