import { createDb } from '../db/connection';
import { migrateLatest } from '../db/migrations';
import { createApp } from './app';
import { loadDemoIfEmpty, DEMO_TOKENS } from '../../seeds/demo';
import { systemClock } from '../shared/clock';
import { protocolFromEnv } from './protocol';

async function main(): Promise<void> {
  const db = createDb();
  await migrateLatest(db);
  const loaded = await loadDemoIfEmpty(db, systemClock);
  const port = Number(process.env.PORT ?? 4000);
  const withDemo = process.env.DEMO !== 'off';
  const app = createApp({ db, graphiqlToken: withDemo ? DEMO_TOKENS.COUNTY_FINANCE : undefined, protocol: protocolFromEnv() });
  app.listen(port, () => {
    const where = process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `SQLite ${process.env.SQLITE_FILE ?? 'data/bangfu-ledger.sqlite'}`;
    console.log(`Bangfu Ledger 帮扶资产台账 on http://localhost:${port}/graphql — database: ${where}`);
    if (loaded) console.log('Demo county loaded (南江县, 剑阁县亮垭村). Demo tokens are listed in README.md.');
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
