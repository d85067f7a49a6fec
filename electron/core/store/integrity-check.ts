import { Worker } from 'node:worker_threads';

/**
 * The check runs on a thread of its own with a read-only connection: a full integrity check reads
 * every page, seconds on a large history, and the main process must go on answering meanwhile.
 * The worker is this short script rather than a module, so it needs no bundling.
 */
const CHECK = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
let db = null;
try {
  db = new DatabaseSync(workerData.file, { readOnly: true });
  const rows = db.prepare('PRAGMA integrity_check(8)').all().map((row) => row.integrity_check);
  parentPort.postMessage({ damage: rows.length === 1 && rows[0] === 'ok' ? [] : rows });
} catch (error) {
  const code = typeof error?.errcode === 'number' ? error.errcode & 0xff : null;
  // SQLITE_CORRUPT and SQLITE_NOTADB are damage; anything else says nothing about the file.
  parentPort.postMessage(code === 11 || code === 26 ? { damage: [String(error.message)] } : { failed: String(error?.message ?? error) });
} finally {
  db?.close();
}
`;

export type IntegrityVerdict = { damage: string[] } | { failed: string };

/** Runs SQLite's integrity check of a database file in the background; stop() ends it early. */
export function checkIntegrity(file: string, done: (verdict: IntegrityVerdict) => void): { stop(): void } {
  const worker = new Worker(CHECK, { eval: true, workerData: { file } });
  worker.unref();
  let answered = false;
  const answer = (verdict: IntegrityVerdict): void => {
    if (answered) return;
    answered = true;
    done(verdict);
  };
  worker.once('message', answer);
  worker.once('error', (error) => answer({ failed: error.message }));
  return {
    stop: () => {
      answered = true;
      void worker.terminate();
    },
  };
}
