import { afterEach, describe, expect, it } from 'vitest';
import { parseTokens } from '../../../src/plugins/app/auth.js';
import { safeNext } from '../../../src/routes/pages/login.js';
import { buildTestApp, type TestApp } from '../../support/app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const spec = {
  workload: { sources: 1, operators: 1, sinks: 1, recordsPerSecond: 1000, avgRecordBytes: 100 },
};

/** Pulls the CSRF token and cookies from a rendered form, as a browser would keep them. */
function formSession(res: { body: string; cookies: Array<{ name: string; value: string }> }) {
  const csrf = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? '';
  const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return { csrf, cookie };
}

describe('AUTH_MODE=none', () => {
  it('lets everyone in and records no owner', async () => {
    t = await buildTestApp();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/estimations',
      payload: { name: 'open', spec },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().owner ?? null).toBeNull();
  });
});

describe('AUTH_MODE=token', () => {
  const env = { AUTH_MODE: 'token', AUTH_TOKENS: 'alice=s3cret-alice, bare-token-123' };

  it('requires a bearer token on the API, with a problem document and WWW-Authenticate', async () => {
    t = await buildTestApp(env);
    const res = await t.app.inject({ url: '/api/v1/estimations' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.headers['www-authenticate']).toContain('Bearer');
    const wrong = await t.app.inject({
      url: '/api/v1/estimations',
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('records the token owner on saves', async () => {
    t = await buildTestApp(env);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/estimations',
      headers: { authorization: 'Bearer s3cret-alice' },
      payload: { name: 'mine', spec },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().owner).toBe('alice');
  });

  it('keeps probes, metrics, assets and the API description public, and every page and API route closed', async () => {
    t = await buildTestApp(env);
    for (const url of [
      '/healthz',
      '/readyz',
      '/metrics',
      '/static/css/app.css',
      '/api/openapi.json',
      '/docs/problems/validation',
    ]) {
      expect((await t.app.inject({ url })).statusCode, url).toBe(200);
    }
    for (const url of [
      '/',
      '/estimate',
      '/saved',
      '/calibrate',
      '/memory',
      '/api/v1/model',
      '/api/v1/estimations',
      '/api/v1/nowhere',
    ]) {
      expect((await t.app.inject({ url })).statusCode, url).toBe(401);
    }
  });

  it('sends browsers to the login form and signs them in with a valid token', async () => {
    t = await buildTestApp(env);
    const page = await t.app.inject({ url: '/saved', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Fsaved');

    const form = await t.app.inject({ url: '/login?next=/saved' });
    expect(form.body).toContain('<label for="token">');
    const session = formSession(form);

    const bad = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: session.csrf, token: 'wrong', next: '/saved' }).toString(),
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.body).toContain('That token is not valid');

    const good = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: session.csrf, token: 'bare-token-123', next: '/' }).toString(),
    });
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe('/');
    const sessionCookie = good.cookies.find((c) => c.name === 'session');
    expect(sessionCookie?.httpOnly).toBe(true);
    const home = await t.app.inject({ url: '/', headers: { cookie: `session=${sessionCookie?.value}` } });
    expect(home.statusCode).toBe(200);
    expect(home.body).toMatch(/Signed in as <strong>token-[0-9a-f]{8}<\/strong>/);
    // The live preview on /estimate asks the API with that same cookie, and no bearer token.
    const preview = await t.app.inject({
      method: 'POST',
      url: '/api/v1/estimates',
      headers: { cookie: `session=${sessionCookie?.value}` },
      payload: spec,
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.json().taskManagers.count).toBeGreaterThanOrEqual(1);
  });

  it('rejects a forged session cookie', async () => {
    t = await buildTestApp(env);
    const res = await t.app.inject({ url: '/api/v1/estimations', headers: { cookie: 'session=alice' } });
    expect(res.statusCode).toBe(401);
  });
});

describe('AUTH_MODE=proxy', () => {
  it('trusts the configured header and rejects requests without it', async () => {
    t = await buildTestApp({ AUTH_MODE: 'proxy', AUTH_PROXY_HEADER: 'X-Auth-Request-User' });
    const missing = await t.app.inject({ url: '/api/v1/estimations' });
    expect(missing.statusCode).toBe(401);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/estimations',
      headers: { 'x-auth-request-user': 'bob@example.com' },
      payload: { name: 'proxied', spec },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().owner).toBe('bob@example.com');
  });
});

describe('helpers', () => {
  it('parses named and bare tokens', () => {
    const [named, bare] = parseTokens('alice=abc, xyz');
    expect(named?.owner).toBe('alice');
    expect(bare?.owner).toMatch(/^token-[0-9a-f]{8}$/);
  });

  it('only follows local paths after login', () => {
    expect(safeNext('/saved?q=x')).toBe('/saved?q=x');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext(undefined)).toBe('/');
  });
});
