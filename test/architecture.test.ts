import path from 'node:path';
import madge from 'madge';

/**
 * The import graph of src (docs/architecture.md): arrows point downward only, and nothing goes round in a
 * circle. madge reads every import of every .ts file under src, type-only imports included (they tie the
 * modules together as surely as value imports do, and turn into value imports with one edit).
 *
 * Layers, bottom up: src/generated/schema.ts (types of the schema, imports nothing) ← src/db, src/shared ←
 * src/modules/<m> (and src/generated/resolvers.ts, the resolver signatures over the modules' domain types)
 * ← src/server, src/cli.
 */
const SRC = path.join(__dirname, '..', 'src');

/** The layer or module a file of src belongs to: 'shared', 'db', 'server', 'cli', 'generated', 'modules/<m>'. */
function folderOf(file: string): string {
  const parts = file.split('/');
  return parts[0] === 'modules' && parts.length > 2 ? `modules/${parts[1]}` : parts[0];
}

let graph: Record<string, string[]>;
let circular: string[][];

beforeAll(async () => {
  const result = await madge(SRC, {
    fileExtensions: ['ts'],
    tsConfig: path.join(__dirname, '..', 'tsconfig.json'),
    detectiveOptions: { ts: { skipTypeImports: false }, es6: { skipTypeImports: false } },
  });
  graph = result.obj();
  circular = result.circular();
  expect(result.warnings().skipped).toEqual([]);
}, 120_000);

/** Every file reachable from `start` (excluding itself unless a path leads back). */
function reachable(start: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(graph[start] ?? [])];
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    stack.push(...(graph[f] ?? []));
  }
  return seen;
}

/** Strongly connected components of the module-folder graph with more than one folder: the folder cycles. */
function folderCycles(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return out;
}

/** Direct imports between module folders, as "a → b (file → file)". */
function moduleEdges() {
  const edges = new Map<string, Set<string>>();
  const why = new Map<string, string[]>();
  for (const [file, deps] of Object.entries(graph)) {
    const from = folderOf(file);
    if (!from.startsWith('modules/')) continue;
    if (!edges.has(from)) edges.set(from, new Set());
    for (const dep of deps) {
      const to = folderOf(dep);
      if (!to.startsWith('modules/') || to === from) continue;
      edges.get(from)!.add(to);
      why.set(`${from} → ${to}`, [...(why.get(`${from} → ${to}`) ?? []), `${file} → ${dep}`]);
    }
  }
  return { edges, why };
}

describe('architecture: the import graph of src', () => {
  it('has no file-level import cycle (madge, type-only imports included)', () => {
    expect(Object.keys(graph).length).toBeGreaterThan(50);
    expect(circular).toEqual([]);
  });

  it('src/shared and src/db reach no module, server or cli, not even through another file', () => {
    const bad: string[] = [];
    for (const file of Object.keys(graph)) {
      if (!['shared', 'db'].includes(folderOf(file))) continue;
      for (const dep of reachable(file)) {
        const to = folderOf(dep);
        // src/generated/schema.ts imports nothing; src/generated/resolvers.ts imports the modules.
        if (to.startsWith('modules/') || ['server', 'cli'].includes(to) || (to === 'generated' && dep !== 'generated/schema.ts')) bad.push(`${file} ⇢ ${dep}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('src/generated/schema.ts imports nothing of src', () => {
    expect(graph['generated/schema.ts']).toEqual([]);
  });

  it('no module reaches src/server or src/cli', () => {
    const bad: string[] = [];
    for (const file of Object.keys(graph)) {
      if (!folderOf(file).startsWith('modules/')) continue;
      for (const dep of reachable(file)) if (['server', 'cli'].includes(folderOf(dep))) bad.push(`${file} ⇢ ${dep}`);
    }
    expect(bad).toEqual([]);
  });

  /** Folder cycles as readable evidence: each cycle with the file imports behind its arrows. */
  function explain(cycles: string[][], why: Map<string, string[]>) {
    return cycles.map((c) => ({
      cycle: c,
      edges: [...why.keys()]
        .filter((k) => { const [a, b] = k.split(' → '); return c.includes(a) && c.includes(b); })
        .map((k) => `${k}: ${why.get(k)!.join('; ')}`),
    }));
  }

  it('has no cycle among module folders', () => {
    const { edges, why } = moduleEdges();
    expect(explain(folderCycles(edges), why)).toEqual([]);
  });
});
