import { afterEach, describe, expect, it } from 'vitest';
import { quickSpec } from '../../fixtures/specs.js';
import { buildTestApp, type TestApp } from '../../support/app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Every write route of the API: each must refuse what is not JSON, too large, or malformed. */
const WRITES = [
  { method: 'POST' as const, url: '/api/v1/estimates' },
  { method: 'POST' as const, url: '/api/v1/estimations' },
  { method: 'PATCH' as const, url: '/api/v1/estimations/AAAAAAAAAAAAAAAA' },
];

function expectProblem(
  res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown },
  status: number,
) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  expect(res.json()).toMatchObject({ status, type: expect.stringMatching(/^\/docs\/problems\//) });
}

describe('request bodies on /api/v1', () => {
  it.each(WRITES)('$method $url answers 415 for anything but JSON', async (route) => {
    t = await buildTestApp();
    for (const [type, payload] of [
      ['text/plain', JSON.stringify(quickSpec)],
      ['application/x-www-form-urlencoded', 'name=x&spec=%7B%7D'],
      [
        'multipart/form-data; boundary=x',
        '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
      ],
      ['application/yaml', 'workload: {}'],
    ]) {
      const res = await t.app.inject({ ...route, payload, headers: { 'content-type': type } });
      expectProblem(res, 415);
      expect(res.json().detail).toContain('application/json');
    }
  });

  it.each(WRITES)('$method $url answers 413 above BODY_LIMIT_BYTES', async (route) => {
    t = await buildTestApp({ BODY_LIMIT_BYTES: '2048' });
    const payload = JSON.stringify({ name: 'x'.repeat(4096), spec: quickSpec });
    const res = await t.app.inject({ ...route, payload, headers: { 'content-type': 'application/json' } });
    expectProblem(res, 413);
    expect(res.json().detail).toContain('2048');
  });

  it.each(WRITES)('$method $url answers 400 for malformed and empty JSON', async (route) => {
    t = await buildTestApp();
    for (const payload of ['{"workload": ', '{name: "x"}', "{'a': 1}", '']) {
      const res = await t.app.inject({ ...route, payload, headers: { 'content-type': 'application/json' } });
      expectProblem(res, 400);
      expect(res.json().type).toBe('/docs/problems/bad-request');
    }
  });

  it('accepts JSON with a charset parameter', async () => {
    t = await buildTestApp();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/estimates',
      payload: JSON.stringify(quickSpec),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(res.statusCode).toBe(200);
  });
});

describe('rate limiting on /api', () => {
  it('answers 429 with Retry-After as a problem document once RATE_LIMIT_MAX is used up', async () => {
    t = await buildTestApp({ RATE_LIMIT_MAX: '2' });
    const app = t.app;
    const get = () => app.inject({ url: '/api/v1/model' });
    expect((await get()).statusCode).toBe(200);
    expect((await get()).statusCode).toBe(200);
    const limited = await get();
    expectProblem(limited, 429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Pages stay reachable: only /api is limited.
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/estimate' })).statusCode).toBe(200);
  });
});
