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

// The coordinator sends each worker its slices at once (the coordinating thread is busy reconciling and may not
// get to a message for a long while); they are verified in order, each outcome sent as soon as it is known.
port.on('message', async (message: { index: number; task: SliceTask }[]) => {
  for (const { index, task } of message) {
    try {
      const outcome = await verifySlice(read, task, data.batchSize);
      port.postMessage({ index, outcome, at: Date.now() });
    } catch (err) {
      port.postMessage({ index, error: err instanceof Error ? err.message : String(err) });
      return;
    }
  }
});
