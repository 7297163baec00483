/**
 * npm run import -- FILE.xlsx|FILE.csv [--region CODE] [--dry-run] [--token TOKEN] [--report PATH] [--quiet]
 *
 * Imports a county's register sheet (台账) into the database (SQLite file, or DATABASE_URL), all or nothing,
 * with the same rules as the API's registerImport. With --token (or BANGFU_TOKEN) it acts as that user;
 * without, as the console operator of --region (a user "命令行导入" of role ADMIN in that region, created on
 * first use): whoever runs the command line on the server already holds the database.
 *
 * Exit 0: written (or a dry run found nothing wrong, or the file was imported before); 1: rows have errors,
 * nothing written, the error report is saved next to the file (or at --report); 2: the import could not run.
 */
import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { createDb, Db } from '../db/connection';
import { migrateLatest } from '../db/migrations';
import { systemClock } from '../shared/clock';
import { authenticate, createUserWithToken, toActor } from '../modules/auth/auth.service';
import { findUserByNameRoleRegion } from '../modules/auth/auth.repository';
import type { Actor } from '../modules/auth/auth.types';
import { importRegister, ImportProgress } from '../modules/registerio/registerio.import';
import { writeErrorReport } from '../modules/registerio/registerio.report';
import { chooseClock } from '../server/demoClock';

/** The CLI reads from disk, not from an upload: a county's whole register, 100,000 rows, is about 15 MB. */
const CLI_MAX_BYTES = 200 * 1024 * 1024;
const CONSOLE_USER = '命令行导入';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function actorFor(db: Db, token: string | undefined, region: string | undefined): Promise<Actor> {
  if (token) {
    const actor = await authenticate(db, `Bearer ${token}`);
    if (!actor) throw new Error('--token: no user has this token');
    return actor;
  }
  if (!region) throw new Error('Give --region CODE (the region the sheet belongs to) or --token TOKEN');
  const found = await findUserByNameRoleRegion(db, CONSOLE_USER, 'ADMIN', region);
  if (found) return toActor(found);
  const { userId } = await createUserWithToken(db, { name: CONSOLE_USER, role: 'ADMIN', regionCode: region, label: 'console' }, systemClock.now());
  return toActor({ id: userId, name: CONSOLE_USER, role: 'ADMIN', region_code: region });
}

function progressBar(quiet: boolean) {
  if (quiet) return { update: (_: ImportProgress) => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      format: '{phase} |{bar}| {value}/{total} rows | {speed} rows/s | {errors} errors',
      hideCursor: true,
      etaBuffer: 2000,
    },
    cliProgress.Presets.shades_classic,
  );
  let phase: string | null = null;
  let started = Date.now();
  return {
    update(p: ImportProgress) {
      const label = p.phase === 'check' ? 'checking' : 'writing ';
      if (phase !== p.phase) {
        if (phase) bar.stop();
        phase = p.phase;
        started = Date.now();
        bar.start(p.total ?? p.rows + 1, 0, { phase: label, speed: 0, errors: 0 });
      }
      // The check pass learns the total as it goes; the write pass knows it.
      if (p.total === null) bar.setTotal(p.rows + 1);
      else bar.setTotal(p.total);
      const speed = Math.round(p.rows / Math.max((Date.now() - started) / 1000, 0.001));
      bar.update(p.rows, { phase: label, speed, errors: p.errors });
    },
    stop: () => bar.stop(),
  };
}

(async () => {
  const file = process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && !['--region', '--token', '--report'].includes(all[i - 1]));
  if (!file) {
    console.error('usage: npm run import -- FILE.xlsx [--region CODE] [--dry-run] [--token TOKEN] [--report PATH]');
    process.exit(2);
  }
  const dryRun = process.argv.includes('--dry-run');
  const quiet = process.argv.includes('--quiet');
  const region = option('--region');
  const db = createDb();
  try {
    await migrateLatest(db);
    const actor = await actorFor(db, option('--token') ?? process.env.BANGFU_TOKEN, region);
    const stat = fs.statSync(file);
    const source = { name: path.basename(file), size: stat.size, open: () => fs.createReadStream(file) };
    const bar = progressBar(quiet);
    const started = Date.now();
    const { clock } = await chooseClock(db);
    const result = await importRegister({ db, clock, actor }, source, {
      dryRun,
      regionCode: region ?? actor.regionCode,
      maxBytes: CLI_MAX_BYTES,
      onProgress: (p) => bar.update(p),
    });
    bar.stop();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.alreadyImported) {
      console.log(`${file} was imported before (SHA-256 ${result.fileHash}): nothing written.`);
      return;
    }
    if (result.errors.length) {
      const report = option('--report') ?? file.replace(/(\.[^./]+)?$/, '.errors.xlsx');
      if (result.kind) await writeErrorReport(source, result, fs.createWriteStream(report));
      for (const e of result.errors.slice(0, 20)) console.error(`row ${e.row}${e.column ? ` ${e.column}` : ''}: [${e.code}] ${e.message}`);
      if (result.errors.length > 20) console.error(`… ${result.errors.length - 20} more`);
      console.error(`${result.errors.length} errors in ${result.rows} rows: nothing written.${result.kind ? ` Error report: ${report}` : ''}`);
      process.exitCode = 1;
      return;
    }
    const what = `${result.assetsRegistered} assets, ${result.projectsCreated} new projects, ${result.projectsReused} existing projects`;
    console.log(dryRun ? `Dry run: ${result.rows} rows checked, no errors (${what}); nothing written. ${seconds}s` : `Imported ${what} from ${result.rows} rows in ${seconds}s.`);
    if (result.ignoredColumns.length) console.log(`Columns not read: ${result.ignoredColumns.join(', ')}`);
  } finally {
    await db.destroy();
  }
})().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(2);
});
