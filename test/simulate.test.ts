/**
 * The simulator in CI (issue 17, item 2): random sequences of domain operations through the service layer,
 * checked against the reference model and the ledger's invariants after every step (sim/, docs/simulator.md).
 *
 * Per run: on SQLite 7,000 sequences of up to 2 operations beside 2,000 of up to 10, on PostgreSQL (as the
 * application role when DATABASE_APP_ROLE is set) 700 beside 300 — the 10,000 per CI run, a quarter
 * of them multi-step (17,020 operations on SQLite with the fixed seeds). The base world already holds
 * receipts, an approved plan and a venture with its profit, so even the short sequences reach execution,
 * payment, retries, reversal and splits; the long ones chain contracts, contributions and their approvals.
 * On the loaded 2-core machine the SQLite file used 123 s of CPU for both processes (docs/simulator.md);
 * SIM_SEQUENCES / SIM_LONG_SEQUENCES (per process) scale it down on a slower runner.
 * The seed is fixed (SIM_SEED overrides it) so that a run is reproducible; the nightly run (`npm run simulate
 * -- --sequences 100000 --steps 12 --seed <random>`) explores new ground. A failure prints the seed and the
 * shortest sequence that reproduces it; keep that sequence as a regression test (below).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { onPostgres } from './helpers';
import { AdvancePlan, CreatePlan, Pay, RecordIncome, ReplayExecute, ReversePayment, ReversePlan } from '../sim/commands';
import { backendFor, runSequence } from '../sim/run';
import type { Backend } from '../sim/world';

const ROOT = path.join(__dirname, '..');
const SEED = Number(process.env.SIM_SEED ?? 20261205);
/**
 * Two processes (one per core): many short sequences (at most SHORT_STEPS operations from the base world, which
 * already reaches execution, payment, contracts and the venture's split) beside fewer long ones (at most
 * LONG_STEPS: chains of contracts, contributions and their approvals, plans walked from drafting to payment).
 */
const SHORT = Number(process.env.SIM_SEQUENCES ?? (onPostgres ? 700 : 7000));
const LONG = Number(process.env.SIM_LONG_SEQUENCES ?? (onPostgres ? 300 : 2000));
const SHORT_STEPS = Number(process.env.SIM_STEPS ?? 2);
const LONG_STEPS = Number(process.env.SIM_LONG_STEPS ?? 10);

function runSimulator(seed: number, sequences: number, steps: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const args = ['sim/cli.ts', '--database', onPostgres ? 'postgres' : 'sqlite', '--seed', String(seed), '--sequences', String(sequences), '--steps', String(steps)];
    const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), args, { cwd: ROOT, env: process.env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe(`simulator on ${onPostgres ? 'PostgreSQL' : 'SQLite'}`, () => {
  it(`runs ${SHORT} sequences of up to ${SHORT_STEPS} operations and ${LONG} of up to ${LONG_STEPS}, and finds nothing`, async () => {
    const runs = await Promise.all([runSimulator(SEED, SHORT, SHORT_STEPS), runSimulator(SEED + 1, LONG, LONG_STEPS)]);
    let operations = 0;
    for (const r of runs) {
      // The output names the seed, the replay path and the shortest failing sequence.
      if (r.code !== 0) throw new Error(r.out);
      const ok = /^ok: (\d+) sequences, (\d+) operations.*$/m.exec(r.out);
      expect(ok).not.toBeNull();
      operations += Number(ok![2]);
      // The sequences and operations run, and the time, in the test's output (docs/simulator.md).
      console.log(`simulator ${ok![0]}`);
    }
    console.log(`simulator: ${SHORT + LONG} sequences, ${operations} operations in all`);
  }, 900_000);
});

/**
 * Shrunk sequences kept as regression tests: each runs on a fresh copy of the base world with every check.
 * (Found with a rule deliberately broken, to prove the simulator catches and shrinks it: recordPayment
 * without its ALREADY_PAID guard failed seed 3 and shrank to these three steps.)
 */
describe(`kept sequences on ${onPostgres ? 'PostgreSQL' : 'SQLite'}`, () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await backendFor(onPostgres ? 'postgres' : 'sqlite');
  }, 120_000);
  afterAll(() => backend.close());

  // Bug found by the simulator: a dividend line too small for its recipients left one of them with 0 fen;
  // the plan was drafted, deliberated and approved, then could never execute (a journal posting is never
  // zero: INVALID_AMOUNT at execution, forever). Fixed in distribution.allocation.ts: drafting refuses it.
  it('a plan that would leave a named recipient with 0 fen is refused at drafting, not stuck at execution', async () => {
    await runSequence(backend, [
      new RecordIncome(1, 'proper', 5, 2025, 5, 'new'), // 5 fen to 茶坪村, whose base receipts the base plan holds
      new CreatePlan(0, 'proper', 3000, 0, 0, 3, [1, 1]), // 30% of 5 fen = 1 fen for two households
      ...Array.from({ length: 7 }, () => new AdvancePlan(0, 'proper', 'good')),
      new Pay(0, 0, 'proper', 'new'),
      new Pay(0, 1, 'proper', 'new'),
    ]);
  });

  it('a household is paid once: a second payment of the same lines is ALREADY_PAID and writes nothing', async () => {
    await runSequence(backend, [new AdvancePlan(0, 'proper', 'good'), new Pay(0, 0, 'proper', 'new'), new Pay(0, 0, 'proper', 'new')]);
  });

  it('a replayed payment key writes nothing; the same key with another body is IDEMPOTENCY_CONFLICT', async () => {
    await runSequence(backend, [new AdvancePlan(0, 'proper', 'good'), new Pay(0, 1, 'proper', 'new'), new Pay(0, 1, 'proper', 'replay'), new Pay(0, 1, 'proper', 'conflict')]);
  });

  it('a bounced payment is paid again; the plan is reversed only once no payment stands', async () => {
    await runSequence(backend, [
      new AdvancePlan(0, 'proper', 'good'),
      new Pay(0, 0, 'proper', 'new'),
      new ReversePlan(0, 'finance'),
      new ReversePayment(0, 0, 'proper'),
      new ReversePlan(0, 'finance'),
      new ReplayExecute(0, false),
    ]);
  });
});
