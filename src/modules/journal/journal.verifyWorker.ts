/**
 * A verification worker thread (journal.verify.ts starts them on SQLite files): opens its own read-only
 * connection to the journal file, prepares the repository's two chain statements (given in workerData: the
 * SQL stays in journal.repository.ts), then verifies each slice it is sent and answers with its outcome.
 * It loads only the driver and journal.verifySlice / journal.hash, so it starts in a fraction of a second.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { verifySlice, type ChainRows, type SliceTask } from './journal.verifySlice';

interface WorkerData {
  file: string;
  entriesSql: string;
  postingsSql: string;
  batchSize: number;
}

const port = parentPort;
if (!port) throw new Error('journal.verifyWorker runs only as a worker thread');
const data = workerData as WorkerData;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require('better-sqlite3');
const conn = new Database(data.file, { readonly: true, fileMustExist: true });
conn.pragma('busy_timeout = 5000');
const entries = conn.prepare(data.entriesSql).raw(true);
const postings = conn.prepare(data.postingsSql).raw(true);
const read = (after: number, upto: number, limit: number): ChainRows => {
  const e = entries.all(after, upto, limit);
  return { entries: e, postings: e.length ? postings.all(after, e[e.length - 1][1]) : [] };
};

port.on('message', (message: { index: number; task: SliceTask } | null) => {
  if (message === null) {
    conn.close();
    port.close();
    return;
  }
  verifySlice(read, message.task, data.batchSize).then(
    (outcome) => port.postMessage({ index: message.index, outcome }),
    (err: unknown) => port.postMessage({ index: message.index, error: err instanceof Error ? err.message : String(err) }),
  );
});
