/**
 * npm run backup -- FILE [--force] [--json]
 *
 * SQLite (SQLITE_FILE, default data/bangfu-ledger.sqlite): an online backup with SQLite's backup API
 * (better-sqlite3's db.backup()), safe while the server runs and writes: the copy is one consistent state.
 * The copy is then checked (PRAGMA integrity_check and the journal's hash chain) and its head printed —
 * note it down: a restore must print the same head.
 *
 * PostgreSQL (DATABASE_URL; MIGRATION_DATABASE_URL, the owner, is used for the dump when set):
 * `pg_dump --format=custom` (one consistent snapshot, while the server runs), then the head of the live
 * journal. Needs pg_dump of the server's major version on PATH (or PG_BIN).
 *
 * Exit 0 written and checked, 1 written but the copy does not verify, 2 could not run. FILE is never
 * overwritten without --force. See docs/operations.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { checkDatabase, checkSqliteFile, describeCheck, exists, parseArgs, pgTool, redact, whereFromEnv, Check } from './backup-common';

async function main(): Promise<number> {
  const { file, force, json } = parseArgs(process.argv.slice(2));
  if (!file) throw new Error('usage: npm run backup -- FILE [--force] [--json]');
  if (exists(file) && !force) throw new Error(`${file} exists: choose another name, or pass --force to overwrite it`);
  const where = whereFromEnv();
  const started = Date.now();
  let check: Check;
  if (where.kind === 'sqlite') {
    if (!exists(where.target)) throw new Error(`no database at ${where.target} (set SQLITE_FILE)`);
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const partial = `${file}.partial`;
    fs.rmSync(partial, { force: true });
    const source = new Database(where.target, { fileMustExist: true });
    try {
      source.pragma('busy_timeout = 5000');
      await source.backup(partial);
    } finally {
      source.close();
    }
    fs.renameSync(partial, file);
    check = await checkSqliteFile(file);
  } else {
    const before = await checkDatabase({ databaseUrl: where.target });
    pgTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, `--dbname=${where.target}`]);
    const after = await checkDatabase({ databaseUrl: where.target });
    // The dump is one snapshot taken between the two reads: the same head on both sides is the dump's head.
    check = before.headHash === after.headHash ? after : { ...after, problem: 'the head moved while dumping; restore the file to read its head' };
  }
  const seconds = (Date.now() - started) / 1000;
  const size = fs.statSync(file).size;
  if (json) console.log(JSON.stringify({ file, database: where.kind, bytes: size, seconds, ...check }));
  else {
    console.log(`backup written (备份完成): ${file}, ${(size / 1048576).toFixed(1)} MB, from ${where.kind === 'sqlite' ? where.target : redact(where.target)} in ${seconds.toFixed(1)} s`);
    console.log(`  ${describeCheck(check)}`);
  }
  return check.intact ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    console.error(`backup could not run: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  },
);
