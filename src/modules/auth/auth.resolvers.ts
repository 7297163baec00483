import type { RequestContext } from '../../shared/context';
import { requireActor } from '../../shared/context';
import { toGlobalId } from '../../shared/ids';
import type { UserRow } from './auth.types';

export const authResolvers = {
  Query: {
    me: (_: unknown, __: unknown, ctx: RequestContext) => {
      const a = requireActor(ctx);
      return { id: a.userId, name: a.name, role: a.role, region_code: a.regionCode };
    },
  },
  User: {
    id: (u: UserRow) => toGlobalId('User', u.id),
    region: (u: UserRow, _: unknown, ctx: RequestContext) => ctx.loaders.region.load(u.region_code),
  },
};
