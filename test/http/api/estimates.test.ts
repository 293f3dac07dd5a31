import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JobSpec, JobSpecSchema } from '../../../src/jobspec/index.js';
import { realisticJobs } from '../../fixtures/realistic-jobs.js';
import { oneKeyOnSmallNode, pipelineSpec, quickSpec } from '../../fixtures/specs.js';
import { buildTestApp, type TestApp } from '../../support/app.js';
import { errorPaths, JSON_HEADERS } from '../../support/problems.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

const post = (payload: unknown) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/estimates',
    payload: JSON.stringify(payload),
    headers: JSON_HEADERS,
  });

describe('POST /api/v1/estimates', () => {
  it('answers the quick form with the same plan the estimator computes', async () => {
    const res = await post(quickSpec);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    const body = res.json();
    // The route adds nothing and loses nothing: it is the engine's answer for the parsed spec.
    expect(body).toEqual(
      JSON.parse(JSON.stringify(t.app.estimator.estimate(JobSpecSchema.parse(quickSpec)))),
    );
    expect(body.taskManagers.count).toBeGreaterThanOrEqual(1);
  });

  it('answers a one-key job on a node too small for its first slot with a plan that fits the node', async () => {
    // This spec once never returned (the node step-down re-planned one ladder size forever).
    const res = await post(oneKeyOnSmallNode);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.taskManagers).toMatchObject({ cpu: 1, slotsPerTaskManager: 1 });
    expect(body.nodes).toMatchObject({ fits: true });
    expect(body.warnings.map((w: { code: string }) => w.code)).toEqual(
      expect.arrayContaining(['CPU_UNDERPROVISIONED', 'HOT_KEY']),
    );
  });

  it('answers the detailed form, naming each node of the pipeline', async () => {
    const res = await post(pipelineSpec);
    expect(res.statusCode).toBe(200);
    const ids = res.json().operators.map((o: { id: string }) => o.id);
    expect(ids).toEqual(['bids', 'per-auction', 'out']);
  });

  it.each([
    [
      'an unknown input id',
      {
        ...pipelineSpec,
        pipeline: {
          ...pipelineSpec.pipeline,
          operators: [{ ...pipelineSpec.pipeline.operators[0], inputs: ['bidz'] }],
        },
      },
      'pipeline.operators.0.inputs.0',
    ],
    [
      'an unknown operator kind',
      {
        ...pipelineSpec,
        pipeline: {
          ...pipelineSpec.pipeline,
          operators: [{ ...pipelineSpec.pipeline.operators[0], kind: 'explode' }],
        },
      },
      'pipeline.operators.0.kind',
    ],
    [
      'a negative rate',
      { ...quickSpec, workload: { ...quickSpec.workload, recordsPerSecond: -5 } },
      'workload.recordsPerSecond',
    ],
    ['an unsupported Flink version', { ...quickSpec, flinkVersion: '1.17' }, 'flinkVersion'],
    [
      'a fractional Flink memory size',
      { ...quickSpec, cluster: { taskManagerMemory: '1.5g' } },
      'cluster.taskManagerMemory',
    ],
    [
      'a misspelt field',
      { ...quickSpec, workload: { ...quickSpec.workload, recordPerSecond: 5 } },
      'workload.recordPerSecond',
    ],
    ['both forms at once', { ...quickSpec, pipeline: pipelineSpec.pipeline }, 'pipeline'],
    ['neither form', { flinkVersion: '1.20' }, 'workload'],
    ['a JSON array instead of a spec', [], ''],
  ])('rejects %s with a problem naming the field', async (_what, spec, path) => {
    const res = await post(spec);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body).toMatchObject({ status: 400, title: 'Bad Request', type: '/docs/problems/validation' });
    expect(errorPaths(body)).toContain(path);
    expect(body.detail).toContain(path === '' ? 'request body is invalid' : path);
  });
});

describe('POST /api/v1/estimates, the bytes sent', () => {
  it('are the UTF-8 of JSON.stringify(the engine’s Estimate) for every answer, many answers in flight at once', async () => {
    // Each fixture job at four rates: 36 answers of ~30 KB, more than the 1 MiB the route encodes
    // answers into before it starts a new block, so one answer at least crosses that boundary.
    const specs = Object.values(realisticJobs).flatMap((job) =>
      [1, 2, 3, 5].map((factor) => {
        const spec = JobSpecSchema.parse(job);
        const source = spec.pipeline?.sources[0];
        if (source) source.recordsPerSecond *= factor;
        return spec;
      }),
    );
    const answers = await Promise.all(specs.map((spec) => post(spec)));
    let nonAscii = 0;
    answers.forEach((res, i) => {
      const expected = Buffer.from(JSON.stringify(t.app.estimator.estimate(specs[i] as JobSpec)), 'utf8');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['content-length']).toBe(String(expected.length));
      expect(res.rawPayload.equals(expected)).toBe(true);
      if (expected.length > res.body.length) nonAscii++;
    });
    // The texts' ×, → and ≤ make these multi-byte UTF-8: the case the route encodes itself.
    expect(nonAscii).toBe(specs.length);
  });
});

describe('POST /api/v1/estimates, the same body twice', () => {
  const computed = async () => (await t.app.metrics.estimates.get()).values[0]?.value ?? 0;
  const spec = {
    flinkVersion: '1.19',
    workload: { sources: 1, operators: 3, sinks: 1, recordsPerSecond: 12_345, avgRecordBytes: 321 },
  };

  it('computes the plan for every request (nothing is kept between requests) and answers the same bytes', async () => {
    const before = await computed();
    const first = await post(spec);
    const again = await post(spec);
    expect(first.statusCode).toBe(200);
    expect(again.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(again.body).toBe(first.body);
    expect(JSON.parse(first.body)).toEqual(
      JSON.parse(JSON.stringify(t.app.estimator.estimate(JobSpecSchema.parse(spec)))),
    );
    expect(await computed()).toBe(before + 3);
  });

  it('counts an estimate with the calibrated model as it counts one with the default model', async () => {
    const before = await computed();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/estimates?model=calibrated',
      payload: JSON.stringify(spec),
      headers: JSON_HEADERS,
    });
    expect(res.statusCode).toBe(200);
    expect(await computed()).toBe(before + 1);
  });

  it('never remembers a body it refused', async () => {
    const bad = { ...spec, workload: { ...spec.workload, recordsPerSecond: -1 } };
    expect((await post(bad)).statusCode).toBe(400);
    const again = await post(bad);
    expect(again.statusCode).toBe(400);
    expect(errorPaths(again.json())).toContain('workload.recordsPerSecond');
  });
});
