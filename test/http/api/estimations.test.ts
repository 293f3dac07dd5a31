import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineSpec, quickSpec } from '../../fixtures/specs.js';
import { buildTestApp, type TestApp } from '../../support/app.js';
import { errorPaths } from '../../support/problems.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

interface Saved {
  id: string;
  name: string;
  version: number;
  estimate: { parallelism: { default: number } };
  createdAt: string;
  updatedAt: string;
}

async function create(name: string, spec: unknown = quickSpec) {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/estimations', payload: { name, spec } });
  expect(res.statusCode, res.body).toBe(201);
  return { saved: res.json() as Saved, etag: String(res.headers.etag) };
}

const url = (id: string) => `/api/v1/estimations/${id}`;

describe('POST /api/v1/estimations', () => {
  it('saves name, spec and estimate and answers 201 with Location and ETag', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/estimations',
      payload: { name: '  Nightly bids  ', spec: pipelineSpec },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(res.headers.location).toBe(`/api/v1/estimations/${body.id}`);
    expect(res.headers.etag).toBe(`"${body.id}.v1"`);
    expect(body.name).toBe('Nightly bids');
    expect(body.spec.pipeline.sources[0].id).toBe('bids');
    expect(body.estimate.operators.map((o: { id: string }) => o.id)).toEqual(['bids', 'per-auction', 'out']);
    expect(body.createdAt).toBe(body.updatedAt);

    // The Location is where the record now lives, and it reads back identically.
    const read = await t.app.inject({ url: String(res.headers.location) });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(body);
  });

  it.each([
    ['a blank name', { name: '   ', spec: quickSpec }, 'name'],
    ['a name over 200 characters', { name: 'x'.repeat(201), spec: quickSpec }, 'name'],
    ['a name with a newline', { name: 'a\nb', spec: quickSpec }, 'name'],
    ['no spec', { name: 'n' }, 'spec'],
    [
      'an invalid spec, by its path inside spec',
      {
        name: 'n',
        spec: {
          ...pipelineSpec,
          pipeline: {
            ...pipelineSpec.pipeline,
            operators: [{ ...pipelineSpec.pipeline.operators[0], inputs: ['nope'] }],
          },
        },
      },
      'spec.pipeline.operators.0.inputs.0',
    ],
    ['an unknown field', { name: 'n', spec: quickSpec, owner: 'me' }, 'owner'],
  ])('rejects %s', async (_what, payload, path) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/estimations', payload });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(errorPaths(res.json())).toContain(path);
  });
});

describe('GET /api/v1/estimations/{id}', () => {
  it('answers the record with its ETag, and 304 while If-None-Match is current', async () => {
    const { saved, etag } = await create('conditional get');
    const res = await t.app.inject({ url: url(saved.id) });
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe(etag);
    expect(res.headers['cache-control']).toBe('private, no-cache');

    for (const header of [etag, `W/${etag}`, `"other.v9", ${etag}`, '*']) {
      const cached = await t.app.inject({ url: url(saved.id), headers: { 'if-none-match': header } });
      expect(cached.statusCode, header).toBe(304);
      expect(cached.body).toBe('');
      expect(cached.headers.etag).toBe(etag);
    }

    await t.app.inject({ method: 'PATCH', url: url(saved.id), payload: { name: 'renamed' } });
    const changed = await t.app.inject({ url: url(saved.id), headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).toBe(`"${saved.id}.v2"`);
    expect(changed.json().name).toBe('renamed');
  });

  it.each([
    ['an id that was never issued', 'AAAAAAAAAAAAAAAA'],
    ['a path traversal', encodeURIComponent('../../etc/passwd')],
    ['too short to be an id', 'abc'],
    ['characters ids never have', encodeURIComponent('<script>')],
  ])('answers 404 for %s', async (_what, id) => {
    const res = await t.app.inject({ url: url(id) });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body).toMatchObject({ status: 404, type: '/docs/problems/not-found' });
    // A segment that cannot be an id is not echoed back.
    expect(body.detail).not.toContain('<script>');
    expect(body.detail).not.toContain('passwd');
  });
});

describe('PATCH /api/v1/estimations/{id}', () => {
  it('renames without re-estimating, and bumps the version', async () => {
    const { saved, etag } = await create('before');
    const res = await t.app.inject({
      method: 'PATCH',
      url: url(saved.id),
      headers: { 'if-match': etag },
      payload: { name: 'after' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.name).toBe('after');
    expect(body.version).toBe(2);
    expect(res.headers.etag).toBe(`"${saved.id}.v2"`);
    expect(body.estimate).toEqual((await t.app.inject({ url: url(saved.id) })).json().estimate);
    expect(body.estimate.parallelism).toEqual(saved.estimate.parallelism);
    expect(body.updatedAt >= saved.updatedAt).toBe(true);
  });

  it('re-estimates when the spec changes', async () => {
    const { saved } = await create('grows');
    const bigger = { ...quickSpec, workload: { ...quickSpec.workload, recordsPerSecond: 5_000_000 } };
    const res = await t.app.inject({ method: 'PATCH', url: url(saved.id), payload: { spec: bigger } });
    expect(res.statusCode).toBe(200);
    const fresh = await t.app.inject({ method: 'POST', url: '/api/v1/estimates', payload: bigger });
    expect(res.json().estimate).toEqual(fresh.json());
    expect(res.json().estimate.parallelism.default).toBeGreaterThan(saved.estimate.parallelism.default);
    expect(res.json().name).toBe('grows');
  });

  it('answers 412 for a stale If-Match and leaves the record alone', async () => {
    const { saved, etag } = await create('contended');
    // Someone else renames it first…
    const first = await t.app.inject({
      method: 'PATCH',
      url: url(saved.id),
      headers: { 'if-match': etag },
      payload: { name: 'theirs' },
    });
    expect(first.statusCode).toBe(200);
    // …so our write, based on version 1, must not overwrite theirs.
    for (const ifMatch of [etag, `"${'B'.repeat(16)}.v2"`, 'garbage']) {
      const res = await t.app.inject({
        method: 'PATCH',
        url: url(saved.id),
        headers: { 'if-match': ifMatch },
        payload: { name: 'ours' },
      });
      expect(res.statusCode, ifMatch).toBe(412);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ status: 412, type: '/docs/problems/precondition-failed' });
    }
    expect((await t.app.inject({ url: url(saved.id) })).json().name).toBe('theirs');

    const current = String(first.headers.etag);
    const retry = await t.app.inject({
      method: 'PATCH',
      url: url(saved.id),
      headers: { 'if-match': current },
      payload: { name: 'ours' },
    });
    expect(retry.statusCode).toBe(200);
    const star = await t.app.inject({
      method: 'PATCH',
      url: url(saved.id),
      headers: { 'if-match': '*' },
      payload: { name: 'anyone' },
    });
    expect(star.statusCode).toBe(200);
  });

  it.each([
    ['an empty change', {}, ''],
    ['a blank name', { name: ' ' }, 'name'],
    ['an invalid spec', { spec: { ...quickSpec, flinkVersion: '0.9' } }, 'spec.flinkVersion'],
    ['an unknown field', { title: 'x' }, 'title'],
  ])('rejects %s with 400', async (_what, payload, path) => {
    const { saved } = await create('patch validation');
    const res = await t.app.inject({ method: 'PATCH', url: url(saved.id), payload });
    expect(res.statusCode).toBe(400);
    expect(errorPaths(res.json())).toContain(path);
  });

  it('answers 404 for an unknown id, before looking at If-Match', async () => {
    for (const headers of [
      {},
      { 'if-match': '*' },
      { 'if-match': '"AAAAAAAAAAAAAAAA.v1"' },
      { 'if-match': 'x' },
    ]) {
      const res = await t.app.inject({
        method: 'PATCH',
        url: url('AAAAAAAAAAAAAAAA'),
        headers,
        payload: { name: 'x' },
      });
      expect(res.statusCode).toBe(404);
    }
    const notAnId = await t.app.inject({ method: 'PATCH', url: url('a.b'), payload: { name: 'x' } });
    expect(notAnId.statusCode).toBe(404);
  });
});

describe('DELETE /api/v1/estimations/{id}', () => {
  it('deletes with 204, then the id is gone', async () => {
    const { saved, etag } = await create('short-lived');
    const res = await t.app.inject({ method: 'DELETE', url: url(saved.id), headers: { 'if-match': etag } });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await t.app.inject({ url: url(saved.id) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: url(saved.id) })).statusCode).toBe(404);
  });

  it('answers 412 for a stale If-Match and keeps the record', async () => {
    const { saved, etag } = await create('guarded');
    await t.app.inject({ method: 'PATCH', url: url(saved.id), payload: { name: 'changed' } });
    const res = await t.app.inject({ method: 'DELETE', url: url(saved.id), headers: { 'if-match': etag } });
    expect(res.statusCode).toBe(412);
    expect(res.json().detail).toContain(`"${saved.id}.v2"`);
    expect((await t.app.inject({ url: url(saved.id) })).statusCode).toBe(200);
  });

  it('answers 404 for anything that is not an id', async () => {
    const res = await t.app.inject({ method: 'DELETE', url: url(encodeURIComponent('*')) });
    expect(res.statusCode).toBe(404);
  });
});

describe('the SQL script a saved estimation was made from', () => {
  const SCRIPT =
    "CREATE TABLE bids (auction BIGINT) WITH ('connector' = 'kafka', 'topic' = 'bids', 'properties.sasl.jaas.config' = 'PlainLoginModule required password=\"Pa55-in-jaas\";');\n" +
    'INSERT INTO out SELECT auction FROM bids; -- from jdbc:mysql://app:Pa55-in-url@db/shop\n';
  const MASKED =
    "CREATE TABLE bids (auction BIGINT) WITH ('connector' = 'kafka', 'topic' = 'bids', 'properties.sasl.jaas.config' = '***');\n" +
    'INSERT INTO out SELECT auction FROM bids; -- from jdbc:mysql://app:***@db/shop\n';

  it('is stored with its credentials masked, read back, kept on rename and removed with null', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/estimations',
      payload: { name: 'from SQL', spec: pipelineSpec, sql: SCRIPT },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().sql).toBe(MASKED);
    expect(res.body).not.toContain('Pa55');
    const { id } = res.json();
    expect((await t.app.inject({ url: url(id) })).json().sql).toBe(MASKED);
    const renamed = await t.app.inject({ method: 'PATCH', url: url(id), payload: { name: 'renamed' } });
    expect(renamed.json().sql).toBe(MASKED);
    const cleared = await t.app.inject({ method: 'PATCH', url: url(id), payload: { sql: null } });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json()).toMatchObject({ name: 'renamed', sql: null, version: 3 });
  });

  it('keeps a pasted plan with its credential options masked, read back, and removed with null', async () => {
    const plan = {
      nodes: [
        {
          id: 1,
          type: 'TableSourceScan',
          options: { connector: 'jdbc', password: 'Pa55plan', url: 'jdbc:mysql://u:Pa55url@db/x' },
        },
      ],
    };
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/estimations',
      payload: { name: 'from a plan', spec: pipelineSpec, plan },
    });
    expect(res.statusCode).toBe(201);
    expect(res.body).not.toContain('Pa55');
    const { id } = res.json();
    const read = (await t.app.inject({ url: url(id) })).json();
    expect(read.plan.nodes[0].options.password).toBe('***');
    expect(read.plan.nodes[0].options.connector).toBe('jdbc');
    expect(read.sql).toBeNull();
    const cleared = await t.app.inject({ method: 'PATCH', url: url(id), payload: { plan: null } });
    expect(cleared.json()).toMatchObject({ plan: null, version: 2 });
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/estimations',
      payload: { name: 'bad plan', spec: pipelineSpec, plan: 'not an object' },
    });
    expect(bad.statusCode).toBe(400);
    expect(errorPaths(bad.json())).toContain('plan');
  });

  it('keeps the text a plain EXPLAIN printed as the plan, credentials masked; other text is a 400', async () => {
    const explain = `== Optimized Execution Plan ==
Sink(table=[default_catalog.default_database.out], fields=[id])
+- TableSourceScan(table=[[default_catalog, default_database, orders]], fields=[id], hints=[[[OPTIONS options:{password=Pa55hint}]]])
`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/estimations',
      payload: { name: 'from EXPLAIN', spec: pipelineSpec, plan: explain },
    });
    expect(res.statusCode).toBe(201);
    const read = (await t.app.inject({ url: url(res.json().id) })).json();
    expect(read.plan).toBe(explain.replace('Pa55hint', '***'));
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/estimations',
      payload: { name: 'bad plan', spec: pipelineSpec, plan: 'Sink(table=[t])' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toContainEqual({
      path: 'plan',
      message: expect.stringContaining('A plan given as text is what EXPLAIN printed'),
    });
  });

  it('is null for an estimation saved without one, and a script over the limit is a 400 naming sql', async () => {
    const { saved } = await create('by hand');
    expect((saved as Saved & { sql: unknown }).sql).toBeNull();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/estimations',
      payload: { name: 'too long', spec: pipelineSpec, sql: 'x'.repeat(64 * 1024 + 1) },
    });
    expect(res.statusCode).toBe(400);
    expect(errorPaths(res.json())).toContain('sql');
  });
});
