import type { RequestContext } from '../../shared/context';
import { readContext } from '../../shared/context';
import { runMutation } from '../../shared/mutation';
import * as service from './policy.service';
import type { Resolvers } from '../../generated/resolvers';

export const policyResolvers: Resolvers = {
  Query: {
    countyPolicy: (_: unknown, args: { countyCode: string }, ctx: RequestContext) => service.getPolicy(readContext(ctx), args.countyCode),
  },
  Mutation: {
    countyPolicyUpdate: (_: unknown, args: { input: unknown }, ctx: RequestContext) =>
      runMutation(ctx, (svc) => service.updatePolicy(svc, args.input), (policy) => ({ policy })),
  },
};
