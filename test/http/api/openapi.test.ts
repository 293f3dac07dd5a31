import { compileErrors, validate } from '@readme/openapi-parser';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_TYPES } from '../../../src/schemas/problem-types.js';
import { buildTestApp, type TestApp } from '../../support/app.js';

let t: TestApp;
// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is walked as plain JSON here.
type Json = any;
let doc: Json;

beforeAll(async () => {
  t = await buildTestApp();
  const res = await t.app.inject({ url: '/api/openapi.json' });
  expect(res.statusCode).toBe(200);
  doc = res.json();
});
afterAll(async () => t.close());

/**
 * Every registered route as "METHOD /path", read from Fastify's own route tree
 * (`printRoutes({ commonPrefix: false })`), so a route added anywhere is seen here.
 */
function registeredRoutes(app: FastifyInstance): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)(?:[├└]── )?(.+?) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const depth = Math.round((match[1] ?? '').length / 4) + (line.includes('── ') ? 1 : 0);
    stack.length = depth;
    stack[depth] = match[2] ?? '';
    const path = stack.join('').replace(/^\/?/, '/');
    for (const method of (match[3] ?? '').split(', ')) routes.push(`${method} ${path}`);
  }
  return routes;
}

const OPERATION_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function operations(): Array<{ key: string; method: string; path: string; op: Json }> {
  return Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
    Object.entries<Json>(item)
      .filter(([method]) => OPERATION_METHODS.includes(method))
      .map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, method, path, op })),
  );
}

describe('GET /api/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    // The parser dereferences in place: give it a copy.
    const result = await validate(structuredClone(doc));
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  it('describes every registered /api/v1 route with its method, and nothing else', () => {
    const api = registeredRoutes(t.app)
      .filter((r) => / \/api\/v1\//.test(r) && !r.startsWith('HEAD '))
      .map((r) => r.replace(/:(\w+)/g, '{$1}'));
    // The route tree was read correctly: the routes this file is about are all there.
    expect(api).toEqual(
      expect.arrayContaining([
        'POST /api/v1/estimates',
        'POST /api/v1/estimations',
        'GET /api/v1/estimations',
        'GET /api/v1/estimations/{id}',
        'PATCH /api/v1/estimations/{id}',
        'DELETE /api/v1/estimations/{id}',
        'GET /api/v1/model',
      ]),
    );
    expect(
      operations()
        .map((o) => o.key)
        .sort(),
    ).toEqual([...api].sort());
  });

  it('leaves pages, probes, metrics, assets and the docs themselves out', () => {
    for (const path of Object.keys(doc.paths)) expect(path).toMatch(/^\/api\/v1\//);
    expect(t.app.hasRoute({ method: 'GET', url: '/healthz' })).toBe(true);
  });

  it('gives every operation an id, a summary, a description and a tag, and every parameter a description', () => {
    const ids = new Set<string>();
    for (const { key, op } of operations()) {
      expect(op.operationId, key).toMatch(/^[a-z][A-Za-z]+$/);
      expect(ids.has(op.operationId), `${key} repeats ${op.operationId}`).toBe(false);
      ids.add(op.operationId);
      expect(op.summary, key).toBeTruthy();
      expect(op.description, key).toBeTruthy();
      expect(op.tags?.length, key).toBeGreaterThan(0);
      for (const parameter of op.parameters ?? []) {
        expect(parameter.description, `${key} ${parameter.in} ${parameter.name}`).toBeTruthy();
      }
    }
    const used = new Set(operations().flatMap((o) => o.op.tags));
    expect(doc.tags.map((tag: { name: string }) => tag.name).sort()).toEqual([...used].sort());
  });

  it('describes every error as a problem document, served as application/problem+json', () => {
    for (const { key, op } of operations()) {
      const statuses = Object.keys(op.responses);
      // Rate limiting and authentication can answer on any route.
      expect(statuses, key).toEqual(expect.arrayContaining(['401', '429']));
      for (const [status, response] of Object.entries<Json>(op.responses)) {
        expect(response.description, `${key} ${status}`).not.toBe('Default Response');
        if (Number(status) < 400) continue;
        expect(Object.keys(response.content), `${key} ${status}`).toEqual(['application/problem+json']);
        expect(response.content['application/problem+json'].schema.$ref).toBe('#/components/schemas/Problem');
      }
      if (op.requestBody) {
        expect(statuses, key).toEqual(expect.arrayContaining(['400', '413', '415']));
        expect(Object.keys(op.requestBody.content), key).toEqual(['application/json']);
      }
    }
    const problem = doc.components.schemas.Problem;
    expect(problem.required).toEqual(['type', 'title', 'status', 'detail']);
    expect(problem.properties.errors.items.properties.path.description).toContain('pipeline.operators');
  });

  it('documents conditional requests: ETag, If-None-Match/304, If-Match/412, Location', () => {
    const item = doc.paths['/api/v1/estimations/{id}'];
    expect(item.get.responses['200'].headers.ETag).toBeDefined();
    expect(item.get.responses['304']).toBeDefined();
    expect(item.get.responses['304'].content).toBeUndefined();
    expect(item.get.parameters.map((p: Json) => `${p.in} ${p.name}`)).toEqual(
      expect.arrayContaining(['path id', 'header if-none-match']),
    );
    for (const method of ['patch', 'delete']) {
      expect(item[method].responses['412']).toBeDefined();
      expect(item[method].responses['404']).toBeDefined();
      expect(item[method].parameters.map((p: Json) => `${p.in} ${p.name}`)).toContain('header if-match');
    }
    expect(item.delete.responses['204'].content).toBeUndefined();
    const created = doc.paths['/api/v1/estimations'].post.responses['201'];
    expect(Object.keys(created.headers).sort()).toEqual(['ETag', 'Location']);
    expect(created.content['application/json'].schema.$ref).toBe('#/components/schemas/SavedEstimation');
  });

  it('describes the list query and shows JobSpec examples', () => {
    const list = doc.paths['/api/v1/estimations'].get;
    expect(list.parameters.map((p: Json) => p.name).sort()).toEqual([
      'cursor',
      'limit',
      'order',
      'q',
      'sort',
    ]);
    const spec = doc.components.schemas.JobSpecInput;
    expect(spec.examples.length).toBeGreaterThan(0);
    expect(spec.properties.workload).toBeDefined();
    expect(spec.properties.pipeline).toBeDefined();
  });

  it('is the document Swagger UI loads', async () => {
    const ui = await t.app.inject({ url: '/docs/json' });
    expect(ui.statusCode).toBe(200);
    expect(ui.json()).toEqual(doc);
  });
});

describe('/docs', () => {
  it('serves Swagger UI from the package, every asset loading, with no inline script', async () => {
    const res = await t.app.inject({ url: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    // The app's CSP applies here too, and it allows no inline script.
    expect(String(res.headers['content-security-policy'])).toMatch(/script-src 'self'(;|$)/);
    const html = res.body;
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="/);
      expect(body?.trim()).toBe('');
    }
    expect(html).not.toMatch(/https?:\/\//);
    // A phone lays the page out at its own width, and the theme (contrast, labels) is loaded.
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('/docs/static/theme/docs.css');
    expect(html).toContain('/docs/static/theme/docs.js');
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(assets).toEqual(expect.arrayContaining(['/docs/static/swagger-initializer.js']));
    for (const asset of assets) {
      const loaded = await t.app.inject({ url: asset });
      expect(loaded.statusCode, asset).toBe(200);
    }
    const initializer = await t.app.inject({ url: '/docs/static/swagger-initializer.js' });
    expect(initializer.headers['content-type']).toContain('javascript');
    expect(initializer.body).toContain("resolveUrl('./json')");
  });

  it('answers a problem type URI with a page documenting it', async () => {
    const bad = (await t.app.inject({ method: 'POST', url: '/api/v1/estimates', payload: {} })).json();
    const missing = (await t.app.inject({ url: '/api/v1/estimations/AAAAAAAAAAAAAAAA' })).json();
    for (const type of [bad.type, missing.type]) {
      const page = await t.app.inject({ url: type });
      expect(page.statusCode, type).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
    }
    for (const { slug, status } of PROBLEM_TYPES) {
      const page = await t.app.inject({ url: `/docs/problems/${slug}` });
      expect(page.statusCode, slug).toBe(200);
      expect(page.body).toContain(`<dd>${status} `);
    }
    expect((await t.app.inject({ url: '/docs/problems/nope' })).statusCode).toBe(404);
  });

  it('links the problem pages from the document', () => {
    for (const { slug } of PROBLEM_TYPES) expect(doc.info.description).toContain(`(/docs/problems/${slug})`);
  });
});
