import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(async () => t.close());

describe('operations endpoints', () => {
  it('answers /healthz and /readyz', async () => {
    for (const url of ['/healthz', '/readyz']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok' });
    }
  });

  it('reports not ready when the database is gone', async () => {
    t.app.db.close();
    const res = await t.app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toContain('application/problem+json');
    // reopen a handle so close() in afterEach does not throw on a closed db
  });

  it('serves Prometheus metrics including request durations', async () => {
    await t.app.inject({ url: '/healthz' });
    const res = await t.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain(
      'flink_estimator_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"}',
    );
  });

  it('puts a request id on every response and keeps a sane incoming one', async () => {
    const fresh = await t.app.inject({ url: '/healthz' });
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const given = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const hostile = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': '<script>' } });
    expect(hostile.headers['x-request-id']).not.toBe('<script>');
  });
});

describe('errors', () => {
  it('answers an unknown route with a problem document', async () => {
    const res = await t.app.inject({ url: '/no/such/page' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      status: 404,
      title: 'Not Found',
      detail: expect.stringContaining('/no/such/page'),
    });
  });

  it('answers an unknown page with an HTML error page for browsers', async () => {
    const res = await t.app.inject({ url: '/no/such/page', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('Not Found');
  });

  it('sets security headers with a CSP that forbids inline script and framing', async () => {
    const res = await t.app.inject({ url: '/' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('home page', () => {
  it('says what the tool does and links to every part', async () => {
    const res = await t.app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    for (const href of ['/estimate', '/saved', '/memory', '/docs'])
      expect(res.body).toContain(`href="${href}"`);
    expect(res.body).toContain('<h1>');
    expect(res.body).toContain('href="/calibrate"');
  });

  it('has every part in the top navigation of every page, the current one marked', async () => {
    for (const [url, current] of [
      ['/', undefined],
      ['/estimate', 'Estimate'],
      ['/saved', 'Saved'],
      ['/calibrate', 'Calibrate'],
      ['/memory', 'Memory planner'],
    ] as const) {
      const res = await t.app.inject({ url });
      const nav = /<nav class="site-nav"[\s\S]*?<\/nav>/.exec(res.body)?.[0] ?? '';
      const links = [...nav.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map((m) => `${m[1]} ${m[2]}`);
      expect(links, url).toEqual([
        '/estimate Estimate',
        '/saved Saved',
        '/calibrate Calibrate',
        '/memory Memory planner',
        '/docs API',
      ]);
      const marked = [...nav.matchAll(/aria-current="page">([^<]+)</g)].map((m) => m[1]);
      expect(marked, url).toEqual(current ? [current] : []);
    }
  });
});
