/**
 * TEST ONLY — a crash point for the crash tests (test/crash.*.test.ts). Preloaded into a server process with
 * `node --require tsx/cjs --require ./test/support/pauseInTransaction.ts src/server/main.ts` (see
 * test/support/childServer.ts), never by `npm start`: nothing under src/ imports it or knows it exists, so a
 * production server cannot enable it by any setting, and it refuses to load when NODE_ENV is "production".
 *
 * BANGFU_TEST_PAUSE_AT="<regex>#<n>": just before the n-th SQL statement matching the (case-insensitive)
 * regex is sent to the database, the process prints `BANGFU_TEST_PAUSED <n> <sql…>` on stdout and that
 * statement never runs (its promise never settles): the transaction around it stays open, with everything
 * it wrote so far uncommitted, until the test kills the process (SIGKILL). That makes "kill it in the
 * middle of the operation" exact instead of a race against a timer.
 *
 * It wraps knex's Client.prototype.query, which every statement — BEGIN, COMMIT, SAVEPOINT and the queries
 * inside transactions — goes through (knex 3.x). If a knex upgrade changes that, the crash tests fail
 * loudly (the pause is never reported), they do not pass vacuously.
 */
if (process.env.NODE_ENV === 'production') {
  throw new Error('test/support/pauseInTransaction.ts is a test-only crash hook and refuses to load in production');
}

const spec = process.env.BANGFU_TEST_PAUSE_AT;
if (spec) {
  const at = spec.lastIndexOf('#');
  const pattern = new RegExp(at >= 0 ? spec.slice(0, at) : spec, 'i');
  const nth = at >= 0 ? Number(spec.slice(at + 1)) : 1;
  if (!Number.isInteger(nth) || nth < 1) throw new Error(`BANGFU_TEST_PAUSE_AT: bad count in ${spec}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Client = require('knex/lib/client') as { prototype: { query(this: unknown, conn: unknown, q: unknown): Promise<unknown> } };
  const query = Client.prototype.query;
  let seen = 0;
  Client.prototype.query = function (this: unknown, conn: unknown, q: unknown) {
    const sql = typeof q === 'string' ? q : String((q as { sql?: string })?.sql ?? '');
    if (pattern.test(sql) && ++seen === nth) {
      process.stdout.write(`BANGFU_TEST_PAUSED ${nth} ${sql.replace(/\s+/g, ' ').slice(0, 120)}\n`);
      return new Promise<never>(() => undefined);
    }
    return query.call(this, conn, q);
  };
}
