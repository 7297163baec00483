import type { RequestContext } from '../../shared/context';
import { readContext } from '../../shared/context';
import { runMutation } from '../../shared/mutation';
import * as service from './policy.service';
import type { Resolvers } from '../../generated/resolvers';
import type { CountyPolicy } from './policy.types';

export const policyResolvers: Resolvers = {
  Query: {
    countyPolicy: (_: unknown, args: { countyCode: string }, ctx: RequestContext) => service.getPolicy(readContext(ctx), args.countyCode),
  },
  Mutation: {
    countyPolicyUpdate: (_: unknown, args: { input: unknown }, ctx: RequestContext) =>
      runMutation(ctx, (svc) => service.updatePolicy(svc, withFen(args.input)), (policy) => ({ policy })),
  },
  CountyPolicy: {
    singleAmountCeiling: (p: CountyPolicy) => p.singleAmountCeilingFen,
  },
};

/** The Money input (integer fen from the scalar) under the service's name. */
function withFen(input: unknown): unknown {
  const { singleAmountCeiling, ...rest } = input as { singleAmountCeiling?: number | null };
  return singleAmountCeiling == null ? rest : { ...rest, singleAmountCeilingFen: singleAmountCeiling };
}
