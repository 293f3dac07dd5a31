import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realisticPipelineSpec } from '../../bench/specs.js';
import { buildTestApp, type TestApp } from '../support/app.js';

/**
 * Property-based fuzzing through app.inject: thousands of random and mutated inputs on every
 * route. Whatever arrives, the answer is a 2xx/3xx or a 4xx problem document — never a 5xx,
 * never a hang, never a crash.
 */
let t: TestApp;
let savedId: string;

beforeAll(async () => {
  t = await buildTestApp();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/estimations',
    payload: { name: 'fuzz target', spec: realisticPipelineSpec },
  });
  savedId = res.json().id;
});
afterAll(async () => t.close());

function assertWellBehaved(res: LightMyRequestResponse, what: string) {
  expect(res.statusCode, `${what} answered ${res.statusCode}: ${res.body.slice(0, 500)}`).toBeLessThan(500);
  if (res.statusCode >= 400 && !String(res.headers['content-type']).includes('text/html')) {
    expect(String(res.headers['content-type']), what).toContain('application/problem+json');
    const body = res.json();
    expect(body.status, what).toBe(res.statusCode);
    expect(typeof body.detail, what).toBe('string');
  }
}

const quickSpec = {
  workload: {
    sources: 2,
    operators: 4,
    sinks: 1,
    recordsPerSecond: 50000,
    avgRecordBytes: 512,
    statefulOperators: 1,
    distinctKeys: 1000000,
    stateBytesPerKey: 200,
  },
  state: { backend: 'rocksdb', checkpointIntervalSeconds: 60 },
  cluster: { taskManagerMemory: '8g', taskManagerCpu: 2 },
};

type Json = unknown;

/** Replaces, removes or adds one value somewhere inside a document. */
function mutate(doc: Json, path: number[], replacement: Json, op: number): Json {
  if (doc === null || typeof doc !== 'object') return replacement;
  const entries = Array.isArray(doc) ? doc.map((v, i) => [String(i), v] as const) : Object.entries(doc);
  if (entries.length === 0 || path.length === 0) {
    return Array.isArray(doc) ? [...doc, replacement] : { ...(doc as object), [`extra${op}`]: replacement };
  }
  const [head, ...rest] = path;
  const index = (head ?? 0) % entries.length;
  const [key, value] = entries[index] ?? ['x', null];
  const copy: Record<string, Json> | Json[] = Array.isArray(doc)
    ? [...doc]
    : { ...(doc as Record<string, Json>) };
  if (rest.length === 0 && op % 3 === 0) {
    if (Array.isArray(copy)) copy.splice(index, 1);
    else delete copy[key];
    return copy;
  }
  const next = rest.length === 0 ? replacement : mutate(value, rest, replacement, op);
  if (Array.isArray(copy)) copy[index] = next;
  else copy[key] = next;
  return copy;
}

const mutatedSpec = fc
  .tuple(
    fc.constantFrom<Json>(realisticPipelineSpec, quickSpec),
    fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
    fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(-1, 0, 1e308, -1e-9, '', '1.5g', 'NaN', '9'.repeat(40), '<script>', null),
    ),
    fc.nat(),
  )
  .map(([base, path, value, op]) => mutate(base, path, value, op));

const anyBody = fc.oneof(mutatedSpec, fc.jsonValue({ maxDepth: 4 }));

describe('fuzzing every route', () => {
  it('POST /api/v1/estimates and /api/v1/manifests/* survive random and mutated specs', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyBody,
        fc.constantFrom(
          'estimates',
          'manifests/flink-config',
          'manifests/flink-deployment',
          'manifests/cmf-application',
        ),
        async (body, route) => {
          const res = await t.app.inject({
            method: 'POST',
            url: `/api/v1/${route}`,
            payload: JSON.stringify(body),
            headers: { 'content-type': 'application/json' },
          });
          assertWellBehaved(res, `POST ${route} ${JSON.stringify(body).slice(0, 300)}`);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('saved-estimation CRUD survives random bodies, ids and headers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          { name: fc.oneof(fc.string({ maxLength: 300 }), fc.jsonValue({ maxDepth: 1 })), spec: mutatedSpec },
          { requiredKeys: [] },
        ),
        fc.oneof(fc.constant(savedId), fc.string({ maxLength: 40 }), fc.constant('../../etc/passwd')),
        fc.constantFrom('POST', 'PATCH', 'GET', 'DELETE'),
        fc.option(fc.oneof(fc.string({ maxLength: 30 }), fc.constant('"x.v1"'), fc.constant('*'))),
        async (body, id, method, ifMatch) => {
          const url =
            method === 'POST' ? '/api/v1/estimations' : `/api/v1/estimations/${encodeURIComponent(id)}`;
          const res = await t.app.inject({
            method,
            url,
            ...(method === 'POST' || method === 'PATCH' ? { payload: body } : {}),
            headers: ifMatch ? { 'if-match': ifMatch } : {},
          });
          assertWellBehaved(res, `${method} ${url} ${JSON.stringify(body).slice(0, 200)}`);
        },
      ),
      { numRuns: 800 },
    );
  });

  it('memory endpoints survive random configurations', async () => {
    const key = fc.constantFrom(
      'taskmanager.memory.process.size',
      'taskmanager.memory.flink.size',
      'taskmanager.memory.task.heap.size',
      'taskmanager.memory.managed.size',
      'taskmanager.memory.managed.fraction',
      'taskmanager.memory.network.min',
      'taskmanager.memory.network.max',
      'taskmanager.memory.network.fraction',
      'taskmanager.memory.jvm-overhead.fraction',
      'taskmanager.numberOfTaskSlots',
      'taskmanager.cpu.cores',
      'jobmanager.memory.process.size',
      'jobmanager.memory.heap.size',
      'jobmanager.memory.off-heap.size',
      'jobmanager.memory.flink.size',
    );
    const value = fc.oneof(
      fc.integer({ min: 0, max: 1 << 20 }).map((n) => `${n}m`),
      fc.constantFrom(
        '1.5g',
        '0',
        '-1',
        'abc',
        '0.4',
        '1.0',
        '9223372036854775807',
        '9223372036854775808',
        '8388607t',
        '',
        ' 1 g ',
      ),
      fc.string({ maxLength: 12 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.dictionary(key, value, { maxKeys: 6 }).map((config) => ({ config })),
          fc.jsonValue({ maxDepth: 3 }),
        ),
        fc.constantFrom('taskmanager', 'jobmanager', 'taskmanager/plan', 'jobmanager/plan'),
        async (body, route) => {
          const res = await t.app.inject({
            method: 'POST',
            url: `/api/v1/memory/${route}`,
            payload: JSON.stringify(body),
            headers: { 'content-type': 'application/json' },
          });
          assertWellBehaved(res, `POST memory/${route} ${JSON.stringify(body).slice(0, 300)}`);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('pages and lists survive random query strings', async () => {
    const param = fc.tuple(
      fc.constantFrom(
        'q',
        'cursor',
        'limit',
        'sort',
        'order',
        'spec',
        'preset',
        'ids',
        'role',
        'config',
        'mode',
        'output',
        'image',
        'namespace',
      ),
      fc.oneof(
        fc.string({ maxLength: 60 }),
        fc.constantFrom('-1', '0', '99999', 'name', 'desc', '%', '"', '{{7*7}}', 'AAAA', savedId),
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/',
          '/estimate',
          '/results',
          '/saved',
          '/saved/compare',
          `/saved/${savedId}`,
          '/memory',
          '/api/v1/estimations',
          `/api/v1/estimations/${savedId}/manifests/flink-deployment`,
          '/api/v1/model',
          '/docs',
        ),
        fc.array(param, { maxLength: 4 }),
        async (path, params) => {
          const query = new URLSearchParams(params).toString();
          const url = query ? `${path}?${query}` : path;
          const res = await t.app.inject({ url, headers: { accept: 'text/html,application/json' } });
          assertWellBehaved(res, `GET ${url}`);
        },
      ),
      { numRuns: 1200 },
    );
  });

  it('rejects non-JSON and oversized bodies on the API with problem documents', async () => {
    const form = await t.app.inject({
      method: 'POST',
      url: '/api/v1/estimates',
      payload: 'a=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.statusCode).toBe(415);
    const text = await t.app.inject({
      method: 'POST',
      url: '/api/v1/estimates',
      payload: '{}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.statusCode).toBe(415);
    const big = await t.app.inject({
      method: 'POST',
      url: '/api/v1/estimates',
      payload: `{"x":"${'a'.repeat(1024 * 1024)}"}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(big.statusCode).toBe(413);
    const broken = await t.app.inject({
      method: 'POST',
      url: '/api/v1/estimates',
      payload: '{"workload": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.statusCode).toBe(400);
    for (const res of [form, text, big, broken])
      expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
