import type { RequestContext } from '../../server/context';
import { readContext } from '../../server/context';
import { runMutation } from '../../server/mutation';
import * as service from './policy.service';

export const policyResolvers = {
  Query: {
    countyPolicy: (_: unknown, args: { countyCode: string }, ctx: RequestContext) => service.getPolicy(readContext(ctx), args.countyCode),
  },
  Mutation: {
    countyPolicyUpdate: (_: unknown, args: { input: unknown }, ctx: RequestContext) =>
      runMutation(ctx, (svc) => service.updatePolicy(svc, args.input), (policy) => ({ policy })),
  },
};
