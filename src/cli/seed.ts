/** npm run seed: migrates, then loads the demo county into an empty database (refuses a non-empty one). */
import { createDb } from '../db/connection';
import { migrateLatest } from '../db/migrations';
import { systemClock } from '../shared/clock';
import { loadDemoIfEmpty } from '../../seeds/demo';

(async () => {
  const db = createDb();
  try {
    await migrateLatest(db);
    const loaded = await loadDemoIfEmpty(db, systemClock);
    console.log(loaded ? 'demo county loaded' : 'database is not empty: demo not loaded (delete data/ to start over)');
  } finally {
    await db.destroy();
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
