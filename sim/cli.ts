/**
 * npm run simulate -- --seed N --sequences K --steps S [--database sqlite|postgres] [--path P]
 * Exit code 0 when nothing was found, 1 with the seed and the shortest failing sequence otherwise.
 */
import { formatFailure, simulate } from './run';
import { STATS, TIMES } from './commands';

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function main() {
  const seed = Number(arg('seed', String(Date.now() % 2 ** 31)));
  const sequences = Number(arg('sequences', '1000'));
  const steps = Number(arg('steps', '12'));
  const database = (arg('database', process.env.DATABASE_URL ? 'postgres' : 'sqlite') as 'sqlite' | 'postgres');
  const path = arg('path');
  const replay = arg('replay');
  console.log(`simulate: ${sequences} sequences of up to ${steps} operations on ${database}, seed ${seed}`);
  const r = await simulate({
    seed,
    sequences,
    steps,
    database,
    path,
    replay,
    onProgress: (n) => process.stdout.write(`  ${n} sequences…\n`),
  });
  if (!r.ok) {
    console.error(formatFailure(r));
    process.exit(1);
  }
  if (process.argv.includes('--stats')) console.log(Object.fromEntries(Object.entries(TIMES).map(([k, v]) => [k, Math.round(v)])));
  if (process.argv.includes('--stats')) for (const [k, v] of [...STATS].sort()) console.log(`  ${k}: ${v}`);
  console.log(`ok: ${r.sequences} sequences, ${r.operations} operations, ${(r.ms / 1000).toFixed(1)} s on ${r.database}${r.role ? ` as ${r.role}` : ''} (seed ${r.seed})`);
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
