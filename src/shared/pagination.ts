import type { Knex } from 'knex';
import { badUserInput } from './errors';
import { toInt } from '../db/connection';

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: () => Promise<number>;
}

function encodeCursor(id: number): string {
  return Buffer.from(`k:${id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^k:(\d{1,16})$/.exec(text);
  if (!m) throw badUserInput(`Invalid cursor ${JSON.stringify(cursor)}`);
  return Number(m[1]);
}

export function pageSize(first: number | null | undefined): number {
  const n = first ?? DEFAULT_PAGE;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) {
    throw badUserInput(`first must be between 1 and ${MAX_PAGE}, got ${n}`);
  }
  return n;
}

/**
 * Keyset pagination on the integer key `idColumn` (never OFFSET: page 500 of a county costs what page 1
 * does). `query` must already carry the filters; it is cloned for the count.
 */
export async function keysetPage<Row extends { id: number }, T>(
  query: Knex.QueryBuilder,
  args: PageArgs,
  map: (row: Row) => T,
  idColumn = 'id',
): Promise<Connection<T>> {
  const size = pageSize(args.first);
  const countQuery = query.clone();
  const page = query.clone().orderBy(idColumn, 'asc').limit(size + 1);
  if (args.after) page.where(idColumn, '>', decodeCursor(args.after));
  const rows = (await page) as Row[];
  const hasNextPage = rows.length > size;
  const pageRows = rows.slice(0, size);
  const nodes = pageRows.map(map);
  return {
    edges: pageRows.map((row, i) => ({ cursor: encodeCursor(row.id), node: nodes[i] })),
    nodes,
    pageInfo: { hasNextPage, endCursor: pageRows.length ? encodeCursor(pageRows[pageRows.length - 1].id) : null },
    totalCount: async () => {
      const r = await countQuery.clearSelect().clearOrder().count({ n: '*' }).first();
      return toInt(r?.n);
    },
  };
}

/**
 * The same cursor paging over a list computed in memory (e.g. a report filtered after computing each row),
 * ordered by an integer key ascending; cursors are interchangeable with keysetPage's.
 */
export function listPage<T>(items: readonly T[], args: PageArgs, idOf: (item: T) => number): Connection<T> {
  const size = pageSize(args.first);
  const after = args.after ? decodeCursor(args.after) : 0;
  const rest = [...items].sort((a, b) => idOf(a) - idOf(b)).filter((i) => idOf(i) > after);
  const nodes = rest.slice(0, size);
  return {
    edges: nodes.map((node) => ({ cursor: encodeCursor(idOf(node)), node })),
    nodes,
    pageInfo: { hasNextPage: rest.length > size, endCursor: nodes.length ? encodeCursor(idOf(nodes[nodes.length - 1])) : null },
    totalCount: async () => items.length,
  };
}
