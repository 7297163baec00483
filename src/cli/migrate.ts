/** npm run migrate: brings the database (SQLite file, or DATABASE_URL) to the latest schema. */
import { createDb } from '../db/connection';
import { migrateLatest } from '../db/migrations';

(async () => {
  const db = createDb();
  try {
    await migrateLatest(db);
    console.log('migrations: up to date');
  } finally {
    await db.destroy();
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
