/**
 * The live preview on /estimate, at 1280 and 390 px. With JavaScript the page reads the form by
 * the server's own rules (src/forms/estimate.ts, bundled by the browser project's global setup),
 * asks POST /api/v1/estimates and says the answer in the headline's words; an invalid field shows
 * the message a submit would, beside it, and nothing is sent; a 429 pauses the preview until
 * Retry-After. Without JavaScript the form submits as it always did.
 */
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFormValues, readSpec } from '../../src/forms/estimate.js';
import { headlineParts } from '../../src/web/headline.js';
import {
  axeScan,
  browserSuite,
  type Harness,
  horizontalOverflow,
  openSession,
  type Session,
  screenshots,
  startHarness,
  textOf,
} from '../support/browser.js';

const suite = browserSuite();
let s: Session | undefined;

/** The headline the server's own code writes for the form's defaults with `recordsPerSecond`. */
function headlineFor(harness: Harness, recordsPerSecond: string): string {
  const read = readSpec({ ...defaultFormValues(), recordsPerSecond });
  if (!read.ok) throw new Error(`the defaults with ${recordsPerSecond} do not read`);
  return headlineParts(harness.t.app.estimator.estimate(read.spec)).join(' · ');
}

const RATE_WORDS = 'Records per second must be a number, for example 50000 or 50k';

/** The bodies the page POSTs to /api/v1/estimates, from now until `stop`. */
function apiCalls(page: Page) {
  const bodies: string[] = [];
  const listen = (r: Request) => {
    if (r.url().endsWith('/api/v1/estimates') && r.method() === 'POST') bodies.push(r.postData() ?? '');
  };
  page.on('request', listen);
  return { bodies, stop: () => page.off('request', listen) };
}

describe.each([1280, 390])('at %d px', (width) => {
  it('with JavaScript, shows the headline as values change, through the API', async () => {
    s = await suite.open({ javaScriptEnabled: true, width });
    const { page } = s;
    const calls = apiCalls(page);
    try {
      await page.goto('/estimate');
      const live = page.locator('[data-live-estimate]');
      await expect.poll(() => textOf(live)).toBe(`Live estimate: ${headlineFor(suite.harness, '50000')}`);
      await page.getByLabel('Records per second').fill('4M');
      await expect.poll(() => textOf(live)).toBe(`Live estimate: ${headlineFor(suite.harness, '4M')}`);
      expect(headlineFor(suite.harness, '4M')).not.toBe(headlineFor(suite.harness, '50000'));
      // The API got the spec the page's rules make of the form: "4M" as a number.
      expect(JSON.parse(calls.bodies.at(-1) ?? '{}').workload.recordsPerSecond).toBe(4_000_000);
      expect(await horizontalOverflow(page), 'the page scrolls sideways').toBeLessThanOrEqual(0);
    } finally {
      calls.stop();
    }
  });

  it('with JavaScript, an invalid field shows its message beside it and sends nothing', async () => {
    s = await suite.open({ javaScriptEnabled: true, width });
    const { page } = s;
    const calls = apiCalls(page);
    try {
      await page.goto('/estimate');
      const live = page.locator('[data-live-estimate]');
      await expect.poll(() => live.getAttribute('data-state')).toBe('fresh');
      const sent = calls.bodies.length;
      await page.getByLabel('Records per second').fill('lots');
      await expect.poll(() => live.getAttribute('data-state')).toBe('paused');
      expect(await textOf(live)).toBe(`Live estimate paused: ${RATE_WORDS}`);
      const field = page.getByLabel('Records per second');
      expect(await textOf(page.locator('#recordsPerSecond-error'))).toBe(`Error: ${RATE_WORDS}`);
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      expect(await field.getAttribute('aria-describedby')).toBe(
        'recordsPerSecond-hint recordsPerSecond-error',
      );
      expect(calls.bodies.length, 'requests sent for an invalid form').toBe(sent);
      if (width === 1280) await screenshots(page, 'live-estimate-invalid');
      expect(await axeScan(page)).toEqual([]);
      // Fixed, the message goes and the preview asks again.
      await field.fill('2M');
      await expect.poll(() => textOf(live)).toBe(`Live estimate: ${headlineFor(suite.harness, '2M')}`);
      expect(await page.locator('#recordsPerSecond-error').count()).toBe(0);
      expect(await field.getAttribute('aria-invalid')).toBeNull();
      expect(await field.getAttribute('aria-describedby')).toBe('recordsPerSecond-hint');
      expect(calls.bodies.length).toBe(sent + 1);
      if (width === 1280) await screenshots(page, 'live-estimate');
    } finally {
      calls.stop();
    }
  });

  it('without JavaScript, the form submits as before: results, or the message beside the field', async () => {
    s = await suite.open({ javaScriptEnabled: false, width });
    const { page } = s;
    await page.goto('/estimate');
    expect(await page.locator('[data-live-estimate]').isHidden()).toBe(true);
    await page.getByLabel('Records per second').fill('lots');
    await page.getByRole('button', { name: 'Estimate', exact: true }).click();
    await page.waitForLoadState();
    expect(s.lastStatus()).toBe(422);
    // The same words the live preview shows, from the same module.
    expect(await textOf(page.locator('#recordsPerSecond-error'))).toBe(`Error: ${RATE_WORDS}`);
    await page.getByLabel('Records per second').fill('4M');
    await page.getByRole('button', { name: 'Estimate', exact: true }).click();
    await page.waitForURL(/\/results\?spec=/);
    expect(await textOf(page.locator('[data-headline]'))).toMatch(/^\d+ TaskManagers? × /);
    expect(await textOf(page.locator('main'))).toContain('4M records/s');
  });
});

describe('with JavaScript, when the API says 429', () => {
  it('pauses the preview for Retry-After and resumes on its own, never showing the error as an estimate', async () => {
    s = await suite.open({ javaScriptEnabled: true });
    const { page } = s;
    // When the page asked (ms); the second answer waits until the test has seen the pause.
    const asked: number[] = [];
    let letGo: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    await page.route('**/api/v1/estimates', async (route) => {
      asked.push(Date.now());
      if (asked.length > 1) {
        await held;
        return route.continue();
      }
      return route.fulfill({
        status: 429,
        headers: { 'retry-after': '1', 'content-type': 'application/problem+json' },
        body: JSON.stringify({ title: 'Too Many Requests', status: 429, detail: 'Rate limit exceeded' }),
      });
    });
    try {
      await page.goto('/estimate');
      const live = page.locator('[data-live-estimate]');
      await expect
        .poll(() => textOf(live))
        .toBe(
          'Live estimate paused: too many requests from this address; it resumes in 1 s (Estimate works meanwhile).',
        );
      // No edit: it asks again on its own, once the second of Retry-After has passed.
      await expect.poll(() => asked.length).toBe(2);
      expect((asked[1] ?? 0) - (asked[0] ?? 0)).toBeGreaterThanOrEqual(1000);
      letGo();
      await expect.poll(() => textOf(live)).toBe(`Live estimate: ${headlineFor(suite.harness, '50000')}`);
      expect(asked).toHaveLength(2);
    } finally {
      letGo();
      await page.unroute('**/api/v1/estimates');
    }
    // The one refused request is the answer this test gave; nothing else failed.
    expect(s.problems.filter((p) => !/^429 for .*\/api\/v1\/estimates$/.test(p))).toEqual([]);
    s.problems.length = 0;
  });
});

describe('on a shared deployment (AUTH_MODE=token, RATE_LIMIT_MAX=2)', () => {
  let shared: Harness;
  beforeAll(async () => {
    shared = await startHarness({
      AUTH_MODE: 'token',
      AUTH_TOKENS: 'alice=s3cret-alice',
      RATE_LIMIT_MAX: '2',
    });
  });
  afterAll(async () => shared?.close());

  it('previews with the session cookie, and the real limit pauses it', async () => {
    s = suite.watch(await openSession(shared, { javaScriptEnabled: true }));
    const { page } = s;
    await page.goto('/login?next=/estimate');
    await page.getByLabel('Access token').fill('s3cret-alice');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/estimate$/);
    const live = page.locator('[data-live-estimate]');
    // Request 1 of 2 this minute, with the cookie the login set (no bearer token on the page).
    await expect.poll(() => textOf(live)).toBe(`Live estimate: ${headlineFor(shared, '50000')}`);
    await page.getByLabel('Records per second').fill('4M');
    await expect.poll(() => textOf(live)).toBe(`Live estimate: ${headlineFor(shared, '4M')}`);
    // Request 3 is over the limit: the preview pauses and keeps no estimate for 1k on show.
    await page.getByLabel('Records per second').fill('1k');
    await expect.poll(() => live.getAttribute('data-state')).toBe('paused');
    expect(await textOf(live)).toMatch(
      /^Live estimate paused: too many requests from this address; it resumes in \d+ s \(Estimate works meanwhile\)\.$/,
    );
    expect(s.problems.filter((p) => !/^429 for .*\/api\/v1\/estimates$/.test(p))).toEqual([]);
    expect(s.problems).toHaveLength(1);
    s.problems.length = 0;
    await s.context.close();
  });
});
