/**
 * npm run restore -- FILE [--force] [--json]
 *
 * Stop the server first. The backup is checked before anything is touched (SQLite: PRAGMA integrity_check
 * and the journal's hash chain), then:
 *
 * SQLite: copied into SQLITE_FILE (default data/bangfu-ledger.sqlite) through a temporary file renamed into
 * place; an existing database is replaced only with --force (its -wal and -shm files are removed with it).
 *
 * PostgreSQL: `pg_restore` into the database of MIGRATION_DATABASE_URL (the owner) or DATABASE_URL, which
 * must be empty (create it with createdb) unless --force (then pg_restore --clean --if-exists replaces what
 * is there). Objects belong to the restoring role; when both URLs are set, DATABASE_URL's role gets the
 * application's grants again (as migrations give them).
 *
 * Then the restored journal is verified and its head printed: it must equal the head the backup printed.
 * Exit 0 restored and intact, 1 restored but broken, 2 could not run (nothing replaced). See docs/operations.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createDb } from '../src/db/connection';
import { grantApplicationRights, roleOf } from '../src/db/roles';
import { checkDatabase, checkSqliteFile, describeCheck, exists, parseArgs, pgTool, redact, whereFromEnv, Check } from './backup-common';

async function main(): Promise<number> {
  const { file, force, json } = parseArgs(process.argv.slice(2));
  if (!file) throw new Error('usage: npm run restore -- FILE [--force] [--json]');
  if (!exists(file)) throw new Error(`no backup at ${file}`);
  const where = whereFromEnv();
  let check: Check;
  if (where.kind === 'sqlite') {
    const source = await checkSqliteFile(file);
    if (!source.intact) throw new Error(`the backup does not verify, nothing was restored: ${source.problem}`);
    if (exists(where.target) && !force) throw new Error(`${where.target} exists: stop the server and pass --force to replace it`);
    fs.mkdirSync(path.dirname(path.resolve(where.target)), { recursive: true });
    const partial = `${where.target}.restoring`;
    fs.rmSync(partial, { force: true });
    const backup = new Database(file, { readonly: true, fileMustExist: true });
    try {
      await backup.backup(partial);
    } finally {
      backup.close();
    }
    for (const f of [`${where.target}-wal`, `${where.target}-shm`]) fs.rmSync(f, { force: true });
    fs.renameSync(partial, where.target);
    check = await checkSqliteFile(where.target);
  } else {
    const owner = createDb({ databaseUrl: where.target });
    try {
      const r = await owner.raw(`select count(*)::int as n from information_schema.tables where table_schema = current_schema()`);
      if (r.rows[0].n > 0 && !force) throw new Error(`the database ${redact(where.target)} is not empty: restore into a new database (createdb), or pass --force to replace its contents`);
    } finally {
      await owner.destroy();
    }
    pgTool('pg_restore', ['--exit-on-error', '--no-owner', '--no-privileges', ...(force ? ['--clean', '--if-exists'] : []), `--dbname=${where.target}`, file]);
    if (where.appUrl && where.appUrl !== where.target) {
      const db = createDb({ databaseUrl: where.target });
      try {
        await grantApplicationRights(db, roleOf(where.appUrl));
      } finally {
        await db.destroy();
      }
    }
    check = await checkDatabase({ databaseUrl: where.appUrl ?? where.target });
  }
  if (json) console.log(JSON.stringify({ file, database: where.kind, ...check }));
  else {
    console.log(`restored (恢复完成): ${file} → ${where.kind === 'sqlite' ? where.target : redact(where.target)}`);
    console.log(`  ${describeCheck(check)}`);
  }
  return check.intact ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    console.error(`restore could not run: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  },
);
