import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

/**
 * The built server (`npm run build`, then plain `node dist/server.js` as `npm start` and the image
 * run it) loads the SQL parser: dt-sql-parser's own ESM build fails under plain Node 20 with
 * ERR_UNSUPPORTED_DIR_IMPORT, so this catches a build that stops bundling it.
 */
const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'fe-intake-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('node dist/server.js answers POST /api/v1/intake with a parsed draft', { timeout: 300_000 }, async () => {
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  const child = spawn(process.execPath, [join(root, 'dist', 'server.js')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_PATH: join(dir, 'db.sqlite'),
      RATE_LIMIT_MAX: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1]) resolve(match[1]);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
    });
    const res = await fetch(`${url}/api/v1/intake`, {
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
    expect(output).not.toContain('ERR_UNSUPPORTED_DIR_IMPORT');
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});
