/**
 * docs/calibration.md's shell recipe, run as a user would: the curl + jq snapshot script against
 * the fake JobManager, then the curl + jq block that posts it to a listening estimator and prints
 * the recommendation. Both blocks are read from the document, so it cannot drift from what runs.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.js';
import { AGG_ID, type FakeJobManager, SOURCE_ID, startFakeJobManager } from '../support/fake-jobmanager.js';

const run = promisify(execFile);
const doc = readFileSync(new URL('../../docs/calibration.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
const collect = blocks.find((b) => b.includes('/jobs/overview'));
const post = blocks.find((b) => b.includes('/api/v1/calibrations'));

let jm: FakeJobManager;
let t: TestApp;
let baseURL: string;
let dir: string;
beforeAll(async () => {
  jm = await startFakeJobManager();
  t = await buildTestApp();
  baseURL = await t.app.listen({ port: 0, host: '127.0.0.1' });
  dir = mkdtempSync(join(tmpdir(), 'flink-estimator-recipe-'));
});
afterAll(async () => {
  await t?.close();
  await jm?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a block with bash in the temporary directory; the child is async so the fakes can answer. */
async function bash(script: string, env: Record<string, string>) {
  writeFileSync(join(dir, 'block.sh'), `set -euo pipefail\n${script}`);
  return run('bash', ['block.sh'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    encoding: 'utf8',
  });
}

describe('docs/calibration.md shell recipe', () => {
  it('collects a snapshot with curl and jq, posts it, and prints the recommendation', async () => {
    expect(collect, 'the curl + jq snapshot script').toBeDefined();
    expect(post, 'the block that posts the snapshot').toBeDefined();
    await bash(collect as string, { JM: jm.url });
    const snapshot = JSON.parse(readFileSync(join(dir, 'snapshot.json'), 'utf8'));
    expect(snapshot.job.vertices.map((v: { id: string }) => v.id)).toEqual([SOURCE_ID, AGG_ID]);
    // It asked each vertex for its metric names before asking for any values.
    const names = jm.requests.indexOf(`/jobs/${snapshot.job.jid}/vertices/${AGG_ID}/subtasks/metrics`);
    const values = jm.requests.findIndex((r) =>
      r.startsWith(`/jobs/${snapshot.job.jid}/vertices/${AGG_ID}/subtasks/metrics?get=`),
    );
    expect(names).toBeGreaterThanOrEqual(0);
    expect(values).toBeGreaterThan(names);

    const { stdout } = await bash(post as string, { ESTIMATOR: baseURL.replace(/\/$/, '') });
    // The same recommendation as the server's own collector gives (calibrations.test.ts): 4 → 8.
    expect(stdout.trim().split('\n')).toEqual([
      'Source: bids -> Calc: 2 → 2 (ceil 1.44 → 2, unchanged)',
      'GroupAggregate -> Sink: out: 4 → 8 (ceil 4.47 → 5 → 8, the first divisor of max parallelism 128)',
      `pipeline.jobvertex-parallelism-overrides: ${SOURCE_ID}:2,${AGG_ID}:8`,
    ]);
  });
});
