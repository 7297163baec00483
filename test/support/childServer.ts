/**
 * Server processes for the crash, concurrency and backup tests: src/server/main.ts started as `npm start`
 * starts it (tsx, same entry file), in its own process, against the test file's database (TestEnv.serverEnv).
 *
 * Every process started here is remembered until it exits: `stopAll()` (call it in afterAll) kills what is
 * left, and a process-exit hook SIGKILLs stragglers if a test file dies first, so no server outlives jest.
 */
import { spawn, ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { TOKENS, TokenName } from '../helpers';

export const ROOT = path.join(__dirname, '..', '..');
const PAUSE_HOOK = path.join(__dirname, 'pauseInTransaction.ts');

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export interface ChildServer {
  url: string;
  pid: number;
  /** The last 64 KB the process wrote (stdout and stderr), for failure messages. */
  output(): string;
  /** Resolves with the first output line matching `re` (already written or to come); rejects on exit or timeout. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  /** POSTs a GraphQL operation with the named user's token. */
  gql(token: TokenName | null, query: string, variables?: Record<string, unknown>): Promise<any>;
  /** SIGKILL: no shutdown handler, no flush, no commit — a power cut as far as the database can tell. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** BANGFU_TEST_PAUSE_AT for the test-only crash hook (test/support/pauseInTransaction.ts). */
  pauseAt?: string;
  /** Extra environment. */
  env?: Record<string, string>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** The environment a child process needs to reach the database named by serverEnv, and nothing else. */
export function childEnv(serverEnv: Record<string, string>, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['DATABASE_URL', 'MIGRATION_DATABASE_URL', 'SQLITE_FILE', 'CLOCK_TODAY', 'BANGFU_TEST_PAUSE_AT', 'PORT']) delete env[k];
  return { ...env, NODE_ENV: 'test', DEMO: 'off', ...serverEnv, ...extra };
}

export async function startServer(serverEnv: Record<string, string> | null, opts: StartOptions = {}): Promise<ChildServer> {
  if (!serverEnv) throw new Error('startServer needs a database a process can open (setup({ sqliteFile }) or PostgreSQL)');
  const port = await freePort();
  const args = ['--require', 'tsx/cjs', ...(opts.pauseAt ? ['--require', PAUSE_HOOK] : []), path.join(ROOT, 'src/server/main.ts')];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: childEnv(serverEnv, { PORT: String(port), ...(opts.pauseAt ? { BANGFU_TEST_PAUSE_AT: opts.pauseAt } : {}), ...opts.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  let exited: string | null = null;
  const listeners = new Set<() => void>();
  const onData = (b: Buffer) => {
    out = (out + b.toString('utf8')).slice(-65536);
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = `exited with ${signal ?? code}`;
      live.delete(child);
      for (const l of listeners) l();
      resolve();
    });
  });

  const waitFor = (re: RegExp, timeoutMs = 90_000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const line = out.split('\n').find((l) => re.test(l));
        if (line !== undefined) return done(() => resolve(line));
        if (exited) return done(() => reject(new Error(`server ${exited} before printing ${re}:\n${out}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`server did not print ${re} within ${timeoutMs} ms:\n${out}`))), timeoutMs);
      const done = (f: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        f();
      };
      listeners.add(check);
      check();
    });

  const server: ChildServer = {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    output: () => out,
    waitFor,
    async gql(token, query, variables) {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${TOKENS[token]}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const text = await res.text();
      try {
        return JSON.parse(text);
      } catch {
        throw new Error(`HTTP ${res.status} from the server: ${text.slice(0, 500)}`);
      }
    },
    async kill() {
      if (!exited) child.kill('SIGKILL');
      await exit;
    },
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    },
  };
  try {
    await waitFor(/Bangfu Ledger .* on http/);
  } catch (e) {
    await server.kill();
    throw e;
  }
  return server;
}

/** Kills every server process this file started that is still running (afterAll). */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...live].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGKILL');
        }),
    ),
  );
}

/** Uploads a register sheet to registerImport on a server process (GraphQL multipart request). */
export async function uploadTo(server: ChildServer, token: TokenName, query: string, content: Buffer, name: string, input: Record<string, unknown> = {}) {
  const res = await request(server.url)
    .post('/graphql')
    .set('authorization', `Bearer ${TOKENS[token]}`)
    .field('operations', JSON.stringify({ query, variables: { input: { ...input, file: null } } }))
    .field('map', JSON.stringify({ '0': ['variables.input.file'] }))
    .attach('0', content, { filename: name, contentType: 'application/octet-stream' });
  return res.body;
}

/** Runs a command line tool of the project (src/cli/*.ts) against the database; resolves with its exit code and output. */
export function runCli(script: string, args: string[], serverEnv: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, script), ...args], {
      cwd: ROOT,
      env: childEnv(serverEnv),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      live.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}
