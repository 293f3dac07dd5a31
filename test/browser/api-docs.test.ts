import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeScan, type Harness, horizontalOverflow, openSession, startHarness } from '../support/browser.js';

/**
 * /docs in a real browser under the app's Content-Security-Policy (no inline script, no
 * outside origins): Swagger UI must render every operation and run a request from the page.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('/docs in Chromium', () => {
  it('renders the API reference and runs "Try it out" without console errors or CSP violations', async () => {
    const session = await openSession(h);
    const { page } = session;
    try {
      await page.goto('/docs');
      expect(session.lastStatus()).toBe(200);
      const estimate = page.locator('.opblock-post', { hasText: '/api/v1/estimates' }).first();
      await estimate.waitFor();
      const paths = await page.locator('.opblock-summary-path').allTextContents();
      expect(paths.map((p) => p.replace(/\u200b/g, ''))).toEqual(
        expect.arrayContaining(['/api/v1/estimates', '/api/v1/estimations', '/api/v1/estimations/{id}']),
      );

      // Run the documented example against this server: the request goes out under connect-src 'self'.
      await estimate.locator('.opblock-summary').click();
      await estimate.getByRole('button', { name: 'Try it out' }).click();
      await estimate.getByRole('button', { name: 'Execute' }).click();
      const status = estimate.locator('.live-responses-table tbody .response-col_status').first();
      await status.waitFor();
      expect((await status.textContent())?.trim()).toBe('200');
      // With an operation open, its parameters and example body are scanned too.
      expect(await axeScan(page), 'axe at 1280 px').toEqual([]);
      expect(session.problems).toEqual([]);
    } finally {
      await session.context.close();
    }
  });

  it('lays out at a phone’s width (viewport meta) and passes axe at 390 px', async () => {
    // isMobile honours the viewport meta; without one a phone lays the page out 980 px wide.
    const context = await h.browser.newContext({
      baseURL: h.baseURL,
      viewport: { width: 390, height: 900 },
      isMobile: true,
    });
    try {
      const page = await context.newPage();
      await page.goto('/docs');
      await page.locator('.opblock').first().waitFor();
      expect(await page.evaluate(() => window.innerWidth)).toBe(390);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await page.locator('.opblock-summary-control').first().click();
      await page.locator('.opblock-body').first().waitFor();
      expect(await axeScan(page), 'axe at 390 px').toEqual([]);
    } finally {
      await context.close();
    }
  });
});
