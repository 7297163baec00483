/**
 * Runs K random sequences of at most S operations against a backend, with fast-check's model-based
 * testing (fc.commands / fc.asyncModelRun): on a failure fast-check shrinks the sequence to the shortest
 * one that still fails, and we print the seed, the replay path and that sequence.
 */
import fc from 'fast-check';
import { fixedClock } from '../src/shared/clock';
import { after, COMMANDS, Real } from './commands';
import { Model } from './model';
import { actorsOf, Backend, postgresBackend, SIM_NOW, sqliteBackend } from './world';

export interface SimOptions {
  seed: number;
  sequences: number;
  steps: number;
  database: 'sqlite' | 'postgres';
  /** fast-check replay path of a failure, to run only that sequence again. */
  path?: string;
  /** fast-check's commands replay path (printed with a failure), needed with `path` to replay it. */
  replay?: string;
  /** Progress callback, every 500 sequences. */
  onProgress?: (done: number) => void;
}

export interface SimResult {
  ok: boolean;
  seed: number;
  sequences: number;
  steps: number;
  database: string;
  /** PostgreSQL: the role the operations ran as. */
  role?: string;
  ms: number;
  /** Operations run in total (shrinking excluded). */
  operations: number;
  report?: string;
  /** The shortest failing sequence, one command per line. */
  counterexample?: string[];
  path?: string;
  replay?: string;
}

export async function backendFor(database: 'sqlite' | 'postgres'): Promise<Backend> {
  if (database === 'postgres') {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('--database postgres needs DATABASE_URL');
    return postgresBackend(url);
  }
  return sqliteBackend();
}

export async function simulate(opts: SimOptions, given?: Backend): Promise<SimResult> {
  const backend = given ?? (await backendFor(opts.database));
  const started = Date.now();
  let runs = 0;
  let operations = 0;
  const actors = actorsOf(backend.base.userIds);
  {
    // The base itself, once: the model's picture of it and every invariant, the ledger's included.
    const seq = await backend.open();
    try {
      await after(new Model(backend.base), { db: seq.db, raw: seq.raw, clock: fixedClock(SIM_NOW), actors, base: backend.base }, true);
    } finally {
      await seq.done();
    }
  }
  const property = fc.asyncProperty(fc.commands(COMMANDS, { maxCommands: opts.steps, replayPath: opts.replay }), async (cmds) => {
    runs++;
    if (opts.onProgress && runs % 500 === 0) opts.onProgress(runs);
    const seq = await backend.open();
    try {
      const clock = fixedClock(SIM_NOW);
      const model = new Model(backend.base);
      const real: Real = { db: seq.db, raw: seq.raw, clock, actors, base: backend.base };
      await fc.asyncModelRun(() => ({ model, real }), cmds);
      // Every step that wrote was checked after it; one that wrote nothing was proved so by the hash.
      await after(model, real);
      operations += [...cmds].length;
    } finally {
      await seq.done();
    }
  });
  const details = await fc.check(property, { seed: opts.seed, numRuns: opts.sequences, path: opts.path, endOnFailure: false });
  if (!given) await backend.close();
  const ms = Date.now() - started;
  const base = { seed: opts.seed, sequences: opts.sequences, steps: opts.steps, database: backend.kind, role: backend.role, ms, operations };
  if (!details.failed) return { ok: true, ...base };
  const counterexample = details.counterexample ? String(details.counterexample[0]).split(/,(?=[A-Z][A-Za-z]+\()/) : [];
  return {
    ok: false,
    ...base,
    report: String((details.errorInstance as Error)?.message ?? details.errorInstance),
    counterexample,
    path: details.counterexamplePath ?? undefined,
    replay: /replayPath="([^"]*)"/.exec(String(details.counterexample?.[0] ?? ''))?.[1],
  };
}

export function formatFailure(r: SimResult): string {
  return [
    `SIMULATION FAILED on ${r.database}: seed ${r.seed}, replay path ${r.path}`,
    `  ${r.report}`,
    `Shortest sequence (${r.counterexample?.length ?? 0} operations):`,
    ...(r.counterexample ?? []).map((c, i) => `  ${i + 1}. ${c}`),
    `Reproduce: npm run simulate -- --database ${r.database} --seed ${r.seed} --sequences ${r.sequences} --steps ${r.steps} --path ${r.path}${r.replay ? ` --replay ${r.replay}` : ''}`,
  ].join('\n');
}

/**
 * Runs one given sequence (a shrunk counterexample kept as a regression test) on a fresh copy of the base,
 * with every check. Throws the simulator's failure, if any.
 */
export async function runSequence(backend: Backend, cmds: fc.AsyncCommand<Model, Real, false>[]): Promise<void> {
  const actors = actorsOf(backend.base.userIds);
  const seq = await backend.open();
  try {
    const model = new Model(backend.base);
    const real: Real = { db: seq.db, raw: seq.raw, clock: fixedClock(SIM_NOW), actors, base: backend.base };
    await after(model, real, true);
    for (const c of cmds) if (c.check(model)) await c.run(model, real);
    await after(model, real, true);
  } finally {
    await seq.done();
  }
}
