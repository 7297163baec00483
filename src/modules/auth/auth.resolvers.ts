import type { RequestContext } from '../../shared/context';
import { requireActor } from '../../shared/context';
import { toGlobalId } from '../../shared/ids';
import type { UserView } from './auth.types';
import { referenced } from '../../shared/loaderUtils';
import type { Resolvers } from '../../generated/resolvers';

export const authResolvers: Resolvers = {
  Query: {
    me: (_: unknown, __: unknown, ctx: RequestContext) => {
      const a = requireActor(ctx);
      return { id: a.userId, name: a.name, role: a.role, region_code: a.regionCode };
    },
  },
  User: {
    id: (u: UserView) => toGlobalId('User', u.id),
    region: (u: UserView, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.region.load(u.region_code)),
  },
};
