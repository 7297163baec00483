/**
 * Backup and restore (issue 17, item 5): `npm run backup -- FILE` and `npm run restore -- FILE` round trip a
 * ledger, and the restored journal verifies with the head the backup printed. On SQLite the backup is taken
 * online, while a server process keeps writing; on PostgreSQL (when pg_dump and pg_restore are installed) the
 * dump is restored into a new, empty database.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knex, { Knex } from 'knex';
import { setup, TestEnv, onPostgres } from './helpers';
import { startServer, stopAll, runCli } from './support/childServer';
import { digestOf, changedTables } from './support/digest';
import { company } from './journal.fixtures';
import { incomeInput, INCOME_RECORD, lease, ownedAsset, recorded } from './income.helpers';
import { fundVillage, households, planAt } from './distribution.helpers';
import { createDb, toInt } from '../src/db/connection';
import { verifyChain } from '../src/modules/journal/journal.verify';
import { V } from '../seeds/demo-data';

jest.setTimeout(300_000);

let env: TestEnv;
let dir: string;
let asset: { id: string };
let payer: number;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-backup-'));
  env = await setup(onPostgres ? {} : { sqliteFile: path.join(dir, 'ledger.sqlite') });
  // A ledger with a little of everything money does: receipts of a leased asset, a plan executed to households.
  payer = await company(env, '南江县云顶农业发展有限公司');
  asset = await ownedAsset(env);
  await lease(env, asset.id, payer);
  for (let i = 0; i < 3; i++) await recorded(env, incomeInput(asset.id, payer, { amount: `${1000 + i}.00` }));
  await fundVillage(env, V.chaping, 10_000_000);
  await planAt(env, 'EXECUTED', await households(env, 5));
});
afterAll(async () => {
  await stopAll();
  await env?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const json = (out: string) => JSON.parse(out.trim().split('\n').pop()!);

/** The live journal's head, which must verify. */
async function liveHead(db: Knex): Promise<{ count: number; headSequence: number; headHash: string }> {
  const r = await verifyChain(db);
  if (!r.intact) throw new Error(`the live journal does not verify: ${JSON.stringify(r.failure)}`);
  return { count: r.count, headSequence: r.headSequence!, headHash: r.headHash! };
}

async function headOf(db: Knex, sequence: number): Promise<string> {
  return (await db('journal_entries').where({ sequence }).first()).hash;
}

(onPostgres ? describe.skip : describe)('SQLite', () => {
  it('backs up and restores the same ledger: every table equal, the same head, intact', async () => {
    const file = path.join(dir, 'quiet.backup');
    const b = await runCli('scripts/backup.ts', [file, '--json'], env.serverEnv!);
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    const backup = json(b.stdout);
    const live = await liveHead(env.db);
    expect(backup).toMatchObject({ intact: true, headSequence: live.headSequence, headHash: live.headHash, count: live.count });

    const target = path.join(dir, 'restored.sqlite');
    const r = await runCli('scripts/restore.ts', [file, '--json'], { SQLITE_FILE: target });
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({ intact: true, headSequence: live.headSequence, headHash: live.headHash });
    const restored = createDb({ sqliteFile: target });
    try {
      expect(changedTables(await digestOf(env.db), await digestOf(restored))).toEqual([]);
    } finally {
      await restored.destroy();
    }
  });

  it('backs up online while a server process keeps recording income: the copy is one consistent, verifying state', async () => {
    const server = await startServer(env.serverEnv);
    let writing = true;
    const written: string[] = [];
    const writer = (async () => {
      while (writing) {
        const body = await server.gql('clerk', INCOME_RECORD, { input: incomeInput(asset.id, payer, { amount: '1.00' }) });
        written.push(body.data?.incomeRecord?.errors?.length === 0 ? 'OK' : JSON.stringify(body));
      }
    })();
    try {
      // Let the writer get going, then copy while it writes.
      while (written.length < 3) await new Promise((r) => setTimeout(r, 100));
      const file = path.join(dir, 'online.backup');
      const b = await runCli('scripts/backup.ts', [file, '--json'], env.serverEnv!);
      expect(b.code).toBe(0);
      const backup = json(b.stdout);
      expect(backup.intact).toBe(true);
      while (written.length < 6) await new Promise((r) => setTimeout(r, 100));
      writing = false;
      await writer;
      expect(written.filter((w) => w !== 'OK')).toEqual([]);
      // The live chain went on past the copy; the copy's head is the live entry of that sequence.
      const live = await liveHead(env.db);
      expect(live.headSequence).toBeGreaterThanOrEqual(backup.headSequence);
      expect(await headOf(env.db, backup.headSequence)).toBe(backup.headHash);

      const target = path.join(dir, 'restored-online.sqlite');
      const r = await runCli('scripts/restore.ts', [file, '--json'], { SQLITE_FILE: target });
      expect(r.code).toBe(0);
      expect(json(r.stdout)).toMatchObject({ intact: true, headSequence: backup.headSequence, headHash: backup.headHash });
      // Every income in the copy has its entry and every entry its income: the copy is one transaction boundary.
      const restored = createDb({ sqliteFile: target });
      try {
        const incomes = toInt((await restored('income_records').count({ n: '*' }).first())!.n);
        const entries = toInt((await restored('journal_entries').where({ kind: 'INCOME' }).count({ n: '*' }).first())!.n);
        const funded = 1; // fundVillage posts an INCOME entry without an income record
        expect(entries).toBe(incomes + funded);
      } finally {
        await restored.destroy();
      }
    } finally {
      writing = false;
      await writer.catch(() => undefined);
      await server.stop();
    }
  });

  it('refuses to overwrite a database or a backup without --force, and never restores a damaged backup', async () => {
    const file = path.join(dir, 'quiet.backup');
    const again = await runCli('scripts/backup.ts', [file], env.serverEnv!);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists.*--force/);

    const target = path.join(dir, 'restored.sqlite');
    const before = fs.readFileSync(target);
    const over = await runCli('scripts/restore.ts', [file], { SQLITE_FILE: target });
    expect(over.code).toBe(2);
    expect(over.stderr).toMatch(/exists.*--force/);

    const damaged = path.join(dir, 'damaged.backup');
    const bytes = fs.readFileSync(file);
    bytes.fill(0x55, 4096, 8192); // a page of the copy overwritten
    fs.writeFileSync(damaged, bytes);
    const bad = await runCli('scripts/restore.ts', [damaged, '--force'], { SQLITE_FILE: target });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/does not verify|malformed|not a database|integrity/i);
    expect(fs.readFileSync(target).equals(before)).toBe(true);
  });
});

const hasPgTools = ['pg_dump', 'pg_restore'].every((t) => spawnSync(t, ['--version']).status === 0);

(onPostgres && hasPgTools ? describe : describe.skip)('PostgreSQL (pg_dump / pg_restore)', () => {
  let admin: Knex;
  const name = `bf_restore_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const urlOf = (db: string, role?: string) => {
    const u = new URL(process.env.DATABASE_URL!);
    u.pathname = `/${db}`;
    if (role) {
      const [user, password = user] = role.split(':');
      u.username = user;
      u.password = password;
    }
    return u.toString();
  };
  beforeAll(async () => {
    admin = knex({ client: 'pg', connection: urlOf('postgres'), pool: { min: 0, max: 1 } });
    await admin.raw(`CREATE DATABASE ${name}`);
  });
  afterAll(async () => {
    await admin?.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin?.destroy();
  });

  it('dumps and restores into a new database: every table equal, the same head, intact, the application role served', async () => {
    const file = path.join(dir, 'ledger.dump');
    const b = await runCli('scripts/backup.ts', [file, '--json'], env.serverEnv!);
    expect(b.code).toBe(0);
    const backup = json(b.stdout);
    const live = await liveHead(env.db);
    expect(backup).toMatchObject({ intact: true, headSequence: live.headSequence, headHash: live.headHash });

    const appRole = process.env.DATABASE_APP_ROLE;
    const restoreEnv = { DATABASE_URL: urlOf(name, appRole), MIGRATION_DATABASE_URL: urlOf(name) };
    const r = await runCli('scripts/restore.ts', [file, '--json'], restoreEnv);
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({ intact: true, headSequence: live.headSequence, headHash: live.headHash });
    const restored = createDb({ databaseUrl: urlOf(name) });
    try {
      expect(changedTables(await digestOf(env.db), await digestOf(restored))).toEqual([]);
    } finally {
      await restored.destroy();
    }
    // A server runs on the restored database, as its application role, and reads the same head.
    const server = await startServer(restoreEnv);
    try {
      const v = (await server.gql('finance', `{ journalVerify { intact headHash } }`)).data.journalVerify;
      expect(v).toEqual({ intact: true, headHash: live.headHash });
    } finally {
      await server.stop();
    }
    // Restoring over a database that is not empty needs --force.
    const over = await runCli('scripts/restore.ts', [file], restoreEnv);
    expect(over.code).toBe(2);
    expect(over.stderr).toMatch(/not empty/);
  });
});
