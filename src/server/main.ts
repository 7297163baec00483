import { createDb } from '../db/connection';
import { migrateLatest } from '../db/migrations';
import { grantApplicationRights, roleOf } from '../db/roles';
import { createApp } from './app';
import { loadDemoIfEmpty, DEMO_TOKENS } from '../../seeds/demo';
import { chooseClock } from './demoClock';
import { protocolFromEnv } from './protocol';

async function main(): Promise<void> {
  const db = createDb();
  await migrateAsOwner(db);
  const { clock, pinned, ignored } = await chooseClock(db);
  const loaded = await loadDemoIfEmpty(db, clock);
  const port = Number(process.env.PORT ?? 4000);
  const withDemo = process.env.DEMO !== 'off';
  const app = createApp({
    db,
    clock,
    graphiqlTokens: withDemo
      ? { finance: DEMO_TOKENS.COUNTY_FINANCE, clerk: DEMO_TOKENS.VILLAGE_CLERK, reviewer: DEMO_TOKENS.TOWNSHIP_REVIEWER, planner: DEMO_TOKENS.COUNTY_PLANNER }
      : undefined,
    protocol: protocolFromEnv(),
    tokenCache: process.env.TOKEN_CACHE_SECONDS ? { ttlMs: tokenCacheMs(process.env.TOKEN_CACHE_SECONDS) } : undefined,
  });
  app.listen(port, () => {
    const where = process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `SQLite ${process.env.SQLITE_FILE ?? 'data/bangfu-ledger.sqlite'}`;
    console.log(`Bangfu Ledger 帮扶资产台账 on http://localhost:${port}/graphql — database: ${where}`);
    if (pinned) console.log(`Today is pinned to ${pinned} (CLOCK_TODAY, demo only).`);
    if (ignored) console.log(`CLOCK_TODAY is ignored: ${ignored}. Today is the system date (China Standard Time).`);
    if (loaded) console.log('Demo county loaded (南江县, 剑阁县亮垭村). Demo tokens are listed in README.md.');
  });
}

/**
 * PostgreSQL with two roles (README, "Running on PostgreSQL"): MIGRATION_DATABASE_URL names the owner, who
 * migrates and grants the server's role (DATABASE_URL's user) exactly what it needs. Without it, the one
 * role of DATABASE_URL (or SQLite) migrates, as before.
 */
async function migrateAsOwner(db: ReturnType<typeof createDb>): Promise<void> {
  const ownerUrl = process.env.MIGRATION_DATABASE_URL;
  if (!ownerUrl || !process.env.DATABASE_URL) return migrateLatest(db);
  const owner = createDb({ databaseUrl: ownerUrl });
  try {
    await migrateLatest(owner);
    await grantApplicationRights(owner, roleOf(process.env.DATABASE_URL));
  } finally {
    await owner.destroy();
  }
}

/** TOKEN_CACHE_SECONDS: how long a token's actor is kept (0 = no cache); a revoked token stops working within it. */
function tokenCacheMs(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600) throw new Error(`TOKEN_CACHE_SECONDS must be 0–3600, got ${value}`);
  return Math.round(seconds * 1000);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
