/**
 * The SQL parser's thread. dt-sql-parser's FlinkSQL grammar (antlr4ng) warms its ATN/DFA caches
 * on first use, about a second of CPU, and a large script takes a few hundred milliseconds warm:
 * long enough to stall every other request, so parsing runs here, off the event loop. From the
 * build this file is bundled with esbuild into `sql-worker.bundle.mjs` (dt-sql-parser's own ESM
 * build imports directories, which plain Node rejects with ERR_UNSUPPORTED_DIR_IMPORT).
 *
 * Messages in: `{ id, sql }`. Out: `{ ready: true }` once loaded, then `{ id, outcome }` or `{ id, failure }` (a message that never
 * quotes the script: it may hold credentials).
 */
import { parentPort } from 'node:worker_threads';
import { analyzeSql } from './sql.js';

export type WorkerRequest = { id: number; sql: string };

const port = parentPort;
if (port) {
  port.postMessage({ ready: true });
  port.on('message', (message: WorkerRequest) => {
    try {
      const outcome = analyzeSql(message.sql);
      port.postMessage({ id: message.id, outcome });
    } catch (error) {
      // Never the error's message: parser internals can quote the input.
      const kind = error instanceof Error ? error.name : 'Error';
      port.postMessage({ id: message.id, failure: `The SQL analysis failed (${kind}).` });
    }
  });
}
