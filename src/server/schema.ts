import fs from 'node:fs';
import path from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLSchema, isObjectType } from 'graphql';
import type { IResolvers } from '@graphql-tools/utils';
import { MODULES, nodeFetchers } from './modules';
import { fromGlobalId } from '../shared/ids';
import { readContext, RequestContext } from '../shared/context';
import { DateScalar, DateTimeScalar, MoneyScalar } from './scalars';

export const SCHEMA_DIR = path.join(__dirname, '..', '..', 'schema');

/** base.graphql first, then each module's SDL; @graphql-tools merges `extend` blocks into one schema. */
export function loadTypeDefs(): string[] {
  const files = fs
    .readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith('.graphql'))
    .sort((a, b) => (a === 'base.graphql' ? -1 : b === 'base.graphql' ? 1 : a.localeCompare(b)));
  return files.map((f) => fs.readFileSync(path.join(SCHEMA_DIR, f), 'utf8'));
}

const baseResolvers = {
  Money: MoneyScalar,
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Query: {
    node: async (_: unknown, args: { id: string }, ctx: RequestContext) => {
      const type = args.id.split(':')[0];
      const fetcher = Object.hasOwn(nodeFetchers, type) ? nodeFetchers[type] : undefined;
      const id = fetcher ? fromGlobalId(type, args.id) : null;
      if (!fetcher || id === null) return null;
      const obj = await fetcher(readContext(ctx), id);
      return obj ? { ...(obj as object), __typename: type } : null;
    },
  },
};

export function buildSchema(): GraphQLSchema {
  const schema = makeExecutableSchema({
    typeDefs: loadTypeDefs(),
    resolvers: [baseResolvers, ...MODULES.map((m) => m.resolvers as IResolvers)],
    inheritResolversFromInterfaces: true,
  });
  resolveLazyTotals(schema);
  return schema;
}

/**
 * A connection's totalCount is a function (the count query runs only when the field is asked for,
 * shared/pagination.ts). graphql-js's default resolver calls function-valued properties; compiled execution
 * (graphql-jit, app.ts) reads plain properties and does not. Every `totalCount` field without a resolver of
 * its own gets one that calls the function, so both executors answer the number.
 */
export function resolveLazyTotals(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const field = type.getFields().totalCount;
    if (!field || field.resolve) continue;
    field.resolve = (parent: { totalCount?: unknown }) => (typeof parent.totalCount === 'function' ? parent.totalCount() : parent.totalCount);
  }
}
