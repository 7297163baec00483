/**
 * Issue 8, item 3: every path to an object applies the same read rule. For each demo user, a query generated
 * from the schema walks every list root and every nested field (to a fixed depth); every object with a
 * global id that the walk reaches must also be returned by `node` for that user, and every account balance
 * reached must belong to a holder inside the user's region.
 */
import {
  execute,
  getNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  isInterfaceType,
  isLeafType,
  isNonNullType,
  isObjectType,
  parse,
} from 'graphql';
import { createTestDb, TestDb, TEST_NOW } from './helpers';
import { fixedClock } from '../src/shared/clock';
import { loadDemo } from '../seeds/demo';
import { buildSchema } from '../src/server/schema';
import { buildRequestContext } from '../src/server/context';
import { toActor } from '../src/modules/auth/auth.service';
import type { Actor } from '../src/modules/auth/auth.types';

const MAX_DEPTH = 4;
let t: TestDb;
let schema: GraphQLSchema;
let users: { id: number; name: string; role: any; region_code: string }[];
const clock = fixedClock(TEST_NOW);

beforeAll(async () => {
  t = await createTestDb();
  await loadDemo(t.db, clock);
  schema = buildSchema();
  users = await t.db('users').select('id', 'name', 'role', 'region_code').orderBy('id');
});
afterAll(() => t.destroy());

const hasRequiredArgs = (f: { args: readonly { type: unknown; defaultValue?: unknown }[] }) =>
  f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined);

/** A selection of every field reachable without required arguments, to `depth` levels. */
function selectionOf(type: GraphQLObjectType, depth: number): string {
  const parts = ['__typename'];
  for (const field of Object.values(type.getFields())) {
    if (hasRequiredArgs(field)) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(field.name);
    else if (depth > 0 && isObjectType(named)) parts.push(`${field.name} { ${selectionOf(named, depth - 1)} }`);
    else if (depth > 0 && isInterfaceType(named)) parts.push(`${field.name} { __typename ... on Node { id } }`);
  }
  return parts.join(' ');
}

/** The walk: one query per root field without required arguments (a forbidden root must not hide the rest). */
function walkQueries(): string[] {
  const roots = Object.values(schema.getQueryType()!.getFields()).filter((f) => !hasRequiredArgs(f) && f.name !== 'node');
  return roots.map((f) => {
    const named = getNamedType(f.type);
    return isObjectType(named) ? `{ ${f.name} { ${selectionOf(named, MAX_DEPTH)} } }` : `{ ${f.name} }`;
  });
}

function collect(value: unknown, out: { typename: string; id?: string; obj: any }[]): void {
  if (Array.isArray(value)) return value.forEach((v) => collect(v, out));
  if (!value || typeof value !== 'object') return;
  const obj = value as Record<string, unknown>;
  if (typeof obj.__typename === 'string') out.push({ typename: obj.__typename, id: typeof obj.id === 'string' ? obj.id : undefined, obj });
  for (const v of Object.values(obj)) collect(v, out);
}

async function run(actor: Actor, query: string, variables?: Record<string, unknown>) {
  const ctx = buildRequestContext(t.db, clock, actor, { uploadMaxBytes: 1024 });
  return execute({ schema, document: parse(query), contextValue: ctx, variableValues: variables });
}


describe('the whole graph, walked as each demo user', () => {
  it('covers every demo user', () => expect(users.length).toBeGreaterThanOrEqual(8));

  it.each([...Array(12).keys()])('user #%i finds no out-of-scope object or balance', async (i) => {
    const u = users[i];
    if (!u) return;
    const actor = toActor(u);
    const objects: { typename: string; id?: string; obj: any }[] = [];
    for (const query of walkQueries()) {
      const result = await run(actor, query);
      // Roots a role may not use (journalVerify for a planner) answer FORBIDDEN; nothing else may fail.
      const failures = (result.errors ?? []).filter((e) => e.extensions?.code !== 'FORBIDDEN');
      expect(failures.map((e) => `${query.slice(0, 40)} ${e.path?.join('.')}: ${e.message}`)).toEqual([]);
      collect(result.data, objects);
    }
    expect(objects.length).toBeGreaterThan(0);

    const ids = [...new Set(objects.filter((o) => o.id && /^[A-Z]\w+:\d+$/.test(o.id)).map((o) => o.id!))];
    const leaks: string[] = [];
    const [mine, anywhere] = [await nodes(actor, ids), await nodes(EVERYWHERE, ids)];
    // An id that node serves at all (to a user who sees everything) must be served to this user as well.
    ids.forEach((id, k) => {
      if (anywhere[k] && !mine[k]) leaks.push(id);
    });
    for (const o of objects.filter((x) => x.typename === 'Account' && x.obj.balance != null)) {
      const account = await t.db('journal_accounts as a').join('parties as h', 'h.id', 'a.holder_party_id').where('a.id', Number(o.id!.split(':')[1])).first('h.region_code');
      if (!account.region_code.startsWith(actor.scopePrefix)) leaks.push(`${o.id} balance`);
    }
    expect({ user: `${u.name} ${u.role}`, leaks }).toEqual({ user: `${u.name} ${u.role}`, leaks: [] });
  });
});

/** A reader of everything, to tell ids that node serves from types reachable only through their parents. */
const EVERYWHERE = { ...toActor({ id: 0, name: 'probe', role: 'ADMIN', region_code: '000000000000' }), scopePrefix: '' } as Actor;

/** node(id) for many ids, 200 aliases a query: true where an object came back. */
async function nodes(actor: Actor, ids: string[]): Promise<boolean[]> {
  const out: boolean[] = [];
  for (let i = 0; i < ids.length; i += 200) {
    const chunk = ids.slice(i, i + 200);
    const r = await run(actor, `{ ${chunk.map((id, k) => `n${k}: node(id: ${JSON.stringify(id)}) { id }`).join(' ')} }`);
    chunk.forEach((_, k) => out.push(!!(r.data as any)?.[`n${k}`]));
  }
  return out;
}
