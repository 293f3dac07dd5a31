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

/** A few statements covering the grammar's main rules, parsed once to warm its caches. */
const WARM_UP = `CREATE TABLE w (a BIGINT, ts TIMESTAMP(3), pt AS PROCTIME(), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'kafka', 'format' = 'json');
CREATE TABLE d (a BIGINT, PRIMARY KEY (a) NOT ENFORCED) WITH ('connector' = 'jdbc');
CREATE TABLE o (a BIGINT) WITH ('connector' = 'blackhole');
SET 'table.exec.state.ttl' = '1 h';
CREATE VIEW v AS SELECT a, ts FROM w WHERE a > 0;
EXECUTE STATEMENT SET BEGIN
INSERT INTO o SELECT a, window_start, COUNT(DISTINCT a) FROM TABLE(HOP(TABLE w, DESCRIPTOR(ts), INTERVAL '1' SECOND, INTERVAL '10' SECOND)) GROUP BY a, window_start, window_end;
INSERT INTO o SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY a ORDER BY ts DESC) AS rn FROM v) WHERE rn <= 3;
INSERT INTO o SELECT /*+ STATE_TTL('x' = '1d') */ x.a FROM w AS x JOIN w AS y ON x.a = y.a JOIN d FOR SYSTEM_TIME AS OF x.pt AS z ON x.a = z.a;
INSERT INTO o SELECT x.a FROM w x, w y WHERE x.a = y.a AND x.ts BETWEEN y.ts - INTERVAL '1' HOUR AND y.ts UNION ALL SELECT a FROM w;
INSERT INTO o SELECT a, SUM(a) OVER (PARTITION BY a ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW) AS s FROM w;
END;`;

export type WorkerRequest = { id: number; sql: string };

const port = parentPort;
if (port) {
  port.postMessage({ ready: true });
  port.on('message', (message: WorkerRequest) => {
    try {
      const outcome = message.sql === '' ? analyzeSql(WARM_UP) : analyzeSql(message.sql);
      port.postMessage({ id: message.id, outcome });
    } catch (error) {
      // Never the error's message: parser internals can quote the input.
      const kind = error instanceof Error ? error.name : 'Error';
      port.postMessage({ id: message.id, failure: `The SQL analysis failed (${kind}).` });
    }
  });
}
