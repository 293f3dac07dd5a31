import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startServer } from '../support/server.js';

/**
 * The built server (dist/, compiled by the http project's global setup as `npm run build` does,
 * then plain `node dist/server.js` as `npm start` and the image run it) loads the SQL parser:
 * dt-sql-parser's own ESM build fails under plain Node 20 with ERR_UNSUPPORTED_DIR_IMPORT, so this
 * catches a build that stops bundling it.
 */
const dir = mkdtempSync(join(tmpdir(), 'fe-intake-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('node dist/server.js answers POST /api/v1/intake with a parsed draft', async () => {
  const server = await startServer({ DATABASE_PATH: join(dir, 'db.sqlite') });
  try {
    const res = await fetch(`${server.url}/api/v1/intake`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        sql: "CREATE TABLE s (a BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '2000');\nCREATE TABLE o (a BIGINT, c BIGINT) WITH ('connector' = 'blackhole');\nINSERT INTO o SELECT a, COUNT(*) FROM s GROUP BY a;",
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      spec: {
        pipeline: { sources: Array<{ recordsPerSecond: number }>; operators: Array<{ kind: string }> };
      };
    };
    expect(body.spec.pipeline.sources[0]?.recordsPerSecond).toBe(2000);
    expect(body.spec.pipeline.operators.map((o) => o.kind)).toEqual(['aggregate']);
    expect(server.output()).not.toContain('ERR_UNSUPPORTED_DIR_IMPORT');
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
});
