import type { RequestContext } from '../../shared/context';
import { readContext } from '../../shared/context';
import * as service from './regions.service';
import type { Region } from './regions.repository';
import type { Resolvers } from '../../generated/resolvers';

export const regionsResolvers: Resolvers = {
  Query: {
    region: (_: unknown, args: { code: string }, ctx: RequestContext) => service.getRegion(readContext(ctx), args.code),
    regions: (_: unknown, args: { parentCode: string }, ctx: RequestContext) =>
      service.listChildren(readContext(ctx), args.parentCode),
  },
  Region: {
    parent: (r: Region, _: unknown, ctx: RequestContext) =>
      r.parentCode ? service.getRegion(readContext(ctx), r.parentCode) : null,
    children: (r: Region, _: unknown, ctx: RequestContext) => service.listChildren(readContext(ctx), r.code),
  },
};
