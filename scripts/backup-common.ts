/**
 * What `npm run backup` and `npm run restore` share: which database they act on, how a copy is checked, and
 * how the pg_dump / pg_restore tools are found. See docs/operations.md.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { createDb, DEFAULT_SQLITE_FILE } from '../src/db/connection';
import { verifyChain } from '../src/modules/journal/journal.verify';

export interface Where {
  kind: 'sqlite' | 'postgres';
  /** The SQLite file, or the PostgreSQL URL used for dump/restore (the owner's when MIGRATION_DATABASE_URL is set). */
  target: string;
  /** PostgreSQL: the application's URL (DATABASE_URL). */
  appUrl?: string;
}

export function whereFromEnv(env: NodeJS.ProcessEnv = process.env): Where {
  if (env.DATABASE_URL) return { kind: 'postgres', target: env.MIGRATION_DATABASE_URL ?? env.DATABASE_URL, appUrl: env.DATABASE_URL };
  return { kind: 'sqlite', target: env.SQLITE_FILE ?? DEFAULT_SQLITE_FILE };
}

export interface Check {
  intact: boolean;
  count: number;
  headSequence: number | null;
  headHash: string | null;
  problem?: string;
}

/** SQLite's own integrity check, then the journal's hash chain, of a database file. */
export async function checkSqliteFile(file: string): Promise<Check> {
  const raw = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = raw.pragma('integrity_check') as { integrity_check: string }[];
    const verdict = rows.map((r) => r.integrity_check).join('; ');
    if (verdict !== 'ok') return { intact: false, count: 0, headSequence: null, headHash: null, problem: `integrity_check: ${verdict}` };
  } finally {
    raw.close();
  }
  return checkDatabase({ sqliteFile: file });
}

/** The journal's hash chain of a database (verifyChain, as `npm run verify` does). */
export async function checkDatabase(opts: { sqliteFile?: string; databaseUrl?: string }): Promise<Check> {
  const db = createDb(opts);
  try {
    const r = await verifyChain(db);
    if (r.intact) return { intact: true, count: r.count, headSequence: r.headSequence, headHash: r.headHash };
    return { intact: false, count: r.count, headSequence: null, headHash: null, problem: `${r.failure.problem} at entry #${r.failure.sequence}: ${r.failure.message}` };
  } finally {
    await db.destroy();
  }
}

export function describeCheck(c: Check): string {
  return c.intact
    ? `journal intact (台账完好): ${c.count} entries, head #${c.headSequence ?? 0} ${c.headHash ?? '(empty journal)'}`
    : `journal BROKEN (台账校验失败): ${c.problem}`;
}

/** Runs pg_dump / pg_restore (found on PATH, or in PG_BIN), passing the output through. */
export function pgTool(tool: 'pg_dump' | 'pg_restore', args: string[]): void {
  const bin = process.env.PG_BIN ? `${process.env.PG_BIN}/${tool}` : tool;
  const r = spawnSync(bin, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error) {
    throw new Error(`${tool} could not run (${r.error.message}). Install the PostgreSQL client tools of the server's major version, or set PG_BIN. The command was:\n  ${tool} ${args.map(shellQuote).join(' ')}`);
  }
  if (r.status !== 0) throw new Error(`${tool} failed with exit code ${r.status}`);
}

/** A URL with its password replaced, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

const shellQuote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export function parseArgs(argv: string[]): { file: string | undefined; force: boolean; json: boolean } {
  const rest = argv.filter((a) => !a.startsWith('--'));
  return { file: rest[0], force: argv.includes('--force'), json: argv.includes('--json') };
}

export function exists(file: string): boolean {
  return fs.existsSync(file);
}
