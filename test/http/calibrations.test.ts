/**
 * POST /api/v1/calibrations and GET /api/v1/calibrations/{id} through the app: the allow-list,
 * redirects, snapshots, storage without credentials, and calibrate → spec → estimate → export.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.js';
import {
  AGG_ID,
  defaultRates,
  type FakeJobManager,
  SOURCE_ID,
  snapshotOf,
  startFakeJobManager,
} from '../support/fake-jobmanager.js';

let t: TestApp | undefined;
let jm: FakeJobManager | undefined;
afterEach(async () => {
  await t?.close();
  await jm?.close();
  t = undefined;
  jm = undefined;
});

describe('POST /api/v1/calibrations', () => {
  it('with CALIBRATION_ALLOWED_HOSTS empty, a URL source is 403 naming the variable; a snapshot still works', async () => {
    jm = await startFakeJobManager();
    t = await buildTestApp();
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/calibrations',
      payload: { source: { kind: 'flink-rest', url: jm.url } },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().detail).toContain('CALIBRATION_ALLOWED_HOSTS');
    expect(refused.json().errors).toEqual([
      { path: 'source.url', message: expect.stringContaining('CALIBRATION_ALLOWED_HOSTS') },
    ]);
    expect(jm.requests).toEqual([]); // nothing was fetched

    const snapshot = await snapshotOf(jm);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/calibrations',
      payload: { source: { kind: 'snapshot', snapshot } },
    });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(created.headers.location).toBe(`/api/v1/calibrations/${body.id}`);
    expect(body.vertices.map((v: { id: string }) => v.id)).toEqual([SOURCE_ID, AGG_ID]);
    expect(body.vertices[1].recommendedParallelism).toBe(8);
    expect(body.autoscalerWouldAct).toBe(false);
    expect(body.source).toEqual({ kind: 'snapshot' });

    const stored = await t.app.inject({ method: 'GET', url: created.headers.location as string });
    expect(stored.statusCode).toBe(200);
    expect(stored.json()).toEqual(body);
    expect(stored.body).not.toContain('do-not-store-me'); // a secret in the JobManager's config
  });

  it('reads a listed host, sends the token there, and stores neither the token nor the URL’s query', async () => {
    jm = await startFakeJobManager();
    t = await buildTestApp({ CALIBRATION_ALLOWED_HOSTS: 'example.org, 127.0.0.1' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/calibrations',
      payload: { source: { kind: 'flink-rest', url: `${jm.url}/?session=abc123`, token: 'tok-999' } },
    });
    expect(res.statusCode).toBe(201);
    expect(jm.authorizations.every((a) => a === 'Bearer tok-999')).toBe(true);
    const row = t.app.db.prepare('SELECT * FROM calibrations').get() as Record<string, string>;
    const everything = JSON.stringify(row);
    expect(everything).not.toContain('tok-999');
    expect(everything).not.toContain('abc123');
    expect(row.source_host).toBe(jm.url.replace('http://', ''));
    // Observations are immutable evidence.
    expect(() => t?.app.db.prepare("UPDATE calibrations SET job_name = 'x'").run()).toThrow(/immutable/);
  });

  it('never follows a redirect (422 saying so)', async () => {
    const redirecting = createServer((_req, res) => {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' });
      res.end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      t = await buildTestApp({ CALIBRATION_ALLOWED_HOSTS: '127.0.0.1' });
      const { port } = redirecting.address() as AddressInfo;
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/calibrations',
        payload: { source: { kind: 'flink-rest', url: `http://127.0.0.1:${port}` } },
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().detail).toContain('redirects are never followed');
    } finally {
      await new Promise((resolve) => redirecting.close(resolve));
    }
  });

  it('rejects a window over 300 s and an unknown estimation to link, naming the field', async () => {
    t = await buildTestApp({ CALIBRATION_ALLOWED_HOSTS: '127.0.0.1' });
    const long = await t.app.inject({
      method: 'POST',
      url: '/api/v1/calibrations',
      payload: { source: { kind: 'flink-rest', url: 'http://127.0.0.1:1', windowSeconds: 301 } },
    });
    expect(long.statusCode).toBe(400);
    expect(long.json().errors[0].path).toBe('source.windowSeconds');
    jm = await startFakeJobManager();
    const snapshot = await snapshotOf(jm);
    const unlinked = await t.app.inject({
      method: 'POST',
      url: '/api/v1/calibrations',
      payload: { source: { kind: 'snapshot', snapshot }, estimationId: 'nosuchestimation1' },
    });
    expect(unlinked.statusCode).toBe(400);
    expect(unlinked.json().errors[0].path).toBe('estimationId');
  });

  it('an earlier calibration of the job delays a scale-down; one an interval later applies it', async () => {
    // The aggregate is 10% busy: 40,000/s ÷ 0.1 = 400,000/s for a 57,143/s target → scale down.
    jm = await startFakeJobManager({ ...defaultRates, aggBusy: { min: 100, max: 100, avg: 100 } });
    t = await buildTestApp();
    const snapshot = await snapshotOf(jm);
    const at = (shiftMs: number) => ({
      ...snapshot,
      polls: snapshot.polls?.map((p) => ({ ...p, timestampMs: p.timestampMs + shiftMs })),
    });
    const post = async (shiftMs: number) =>
      (
        await t?.app.inject({
          method: 'POST',
          url: '/api/v1/calibrations',
          payload: { source: { kind: 'snapshot', snapshot: at(shiftMs) } },
        })
      )?.json().vertices[1];
    const first = await post(0);
    expect(first.recommendedParallelism).toBeLessThan(4);
    expect(first.autoscalerParallelism).toBe(4);
    expect(first.scaleDown.delayedUntil).toBe(
      new Date((snapshot.polls?.[0]?.timestampMs ?? 0) + 3_600_000).toISOString(),
    );
    const later = await post(3_600_000);
    expect(later.scaleDown).toEqual({
      firstTriggeredAt: first.scaleDown.firstTriggeredAt,
      delayedUntil: null,
    });
    expect(later.autoscalerParallelism).toBe(first.recommendedParallelism);
  });

  it('maps a linked estimation’s own pipeline onto the vertices and keeps its ids; a quick-form spec is a 400', async () => {
    jm = await startFakeJobManager();
    t = await buildTestApp();
    const snapshot = await snapshotOf(jm);
    const pipeline = {
      sources: [{ id: 'bids', kind: 'kafka', recordsPerSecond: 10, avgRecordBytes: 500 }],
      operators: [{ id: 'per-auction', kind: 'aggregate', inputs: ['bids'], distinctKeys: 1000 }],
      sinks: [{ id: 'out', kind: 'kafka', inputs: ['per-auction'] }],
    };
    const saved = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/estimations',
        payload: { name: 'bids', spec: { pipeline } },
      })
    ).json();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/calibrations',
      payload: { source: { kind: 'snapshot', snapshot }, estimationId: saved.id },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.mapping).toMatchObject({ from: 'estimation', unmatchedNodes: [], unmatchedVertices: [] });
    expect(body.spec.pipeline.sources).toMatchObject([
      { id: 'bids', flinkVertexId: SOURCE_ID, recordsPerSecond: 50_000 },
    ]);
    expect(body.spec.pipeline.operators).toMatchObject([
      { id: 'per-auction', flinkVertexId: AGG_ID, distinctKeys: 1000 },
    ]);
    expect(body.spec.pipeline.sinks).toMatchObject([{ id: 'out', flinkVertexId: AGG_ID }]);

    const quick = await t.app.inject({
      method: 'POST',
      url: '/api/v1/calibrations',
      payload: {
        source: { kind: 'snapshot', snapshot },
        spec: { workload: { sources: 1, operators: 1, sinks: 1, recordsPerSecond: 1, avgRecordBytes: 1 } },
      },
    });
    expect(quick.statusCode).toBe(400);
    expect(quick.json().errors).toEqual([
      { path: 'spec.pipeline', message: expect.stringContaining('pipeline') },
    ]);
  });

  it('GET of an unknown calibration is 404', async () => {
    t = await buildTestApp();
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/calibrations/doesnotexist' });
    expect(res.statusCode).toBe(404);
  });

  it('is in the OpenAPI document', async () => {
    t = await buildTestApp();
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/calibrations', '/api/v1/calibrations/{id}']),
    );
    expect(doc.paths['/api/v1/calibrations'].post.responses['403']).toBeDefined();
  });
});

describe('calibrate → spec → estimate → export', () => {
  it('the calibrated spec estimates and exports as it is', async () => {
    jm = await startFakeJobManager();
    t = await buildTestApp({ CALIBRATION_ALLOWED_HOSTS: '127.0.0.1' });
    const calibration = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/calibrations',
        payload: { source: { kind: 'flink-rest', url: jm.url }, targetLoad: { factor: 2 } },
      })
    ).json();
    expect(calibration.spec.pipeline.sources[0].recordsPerSecond).toBe(100_000); // 50,000 measured × 2
    const estimate = await t.app.inject({
      method: 'POST',
      url: '/api/v1/estimates',
      payload: calibration.spec,
    });
    expect(estimate.statusCode).toBe(200);
    expect(estimate.json().parallelism.max).toBe(128); // the job's measured max parallelism, kept
    expect(estimate.json().taskManagers.count).toBe(calibration.estimate.taskManagers.count);
    const manifest = await t.app.inject({
      method: 'POST',
      url: '/api/v1/manifests/flink-deployment',
      payload: calibration.spec,
    });
    expect(manifest.statusCode).toBe(200);
    expect(manifest.body).toContain('kind: FlinkDeployment');
  });

  it('sizes for the rate given per source vertex, and refuses one that names no source vertex', async () => {
    jm = await startFakeJobManager();
    t = await buildTestApp({ CALIBRATION_ALLOWED_HOSTS: '127.0.0.1' });
    const calibrate = (recordsPerSecond: Record<string, number>) =>
      t?.app.inject({
        method: 'POST',
        url: '/api/v1/calibrations',
        payload: { source: { kind: 'flink-rest', url: jm?.url }, targetLoad: { recordsPerSecond } },
      });
    const sized = await calibrate({ [SOURCE_ID]: 80_000 });
    expect(sized?.statusCode).toBe(201);
    expect(sized?.json().spec.pipeline.sources[0].recordsPerSecond).toBe(80_000); // 50,000 measured
    // The aggregate is a vertex of the job but not a source; the other id is no vertex at all.
    const refused = await calibrate({ [AGG_ID]: 1000, ffffffffffffffffffffffffffffffff: 5 });
    expect(refused?.statusCode).toBe(400);
    expect(refused?.json().errors.map((e: { path: string }) => e.path)).toEqual([
      `targetLoad.recordsPerSecond.${AGG_ID}`,
      'targetLoad.recordsPerSecond.ffffffffffffffffffffffffffffffff',
    ]);
    expect(refused?.json().errors[0].message).toContain(`its source vertices are ${SOURCE_ID} (`);
  });
});
