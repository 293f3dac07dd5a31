/**
 * The whole journey a new user makes — home, quick form, results, save, find, rename, compare,
 * delete — in a real browser, with JavaScript and without it.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Harness,
  openSession,
  type Session,
  startHarness,
  textOf,
  textsOf,
} from '../support/browser.js';
import { clearSaved } from '../support/seed.js';

let h: Harness;
let s: Session | undefined;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());
afterEach(async () => {
  const problems = s?.problems ?? [];
  await s?.context.close();
  s = undefined;
  clearSaved(h);
  expect(problems, 'console errors, CSP violations or failed requests').toEqual([]);
});

/** Fills the quick form by the field names the contract fixes, and submits it. */
async function estimateQuick(page: Page, numbers: Record<string, number>) {
  const form = page.locator('form').filter({ has: page.locator('input[name="recordsPerSecond"]') });
  for (const [name, value] of Object.entries(numbers)) {
    await form.locator(`input[name="${name}"]`).fill(String(value));
  }
  await form.getByRole('button', { name: 'Estimate', exact: true }).click();
  await page.waitForURL((url) => url.pathname !== '/estimate' || url.search !== '');
}

/** Saves the results on screen under a name, through the results page's Save form. */
async function saveAs(page: Page, name: string) {
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Save', exact: true }) });
  await form.locator('input[name="name"]').fill(name);
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await page.waitForURL(/\/saved\/[\w-]{16}$/);
}

const QUICK_NUMBERS = { sources: 2, operators: 4, sinks: 1, recordsPerSecond: 50000, avgRecordBytes: 512 };

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';

  describe(`from the home page to a saved, compared estimation ${mode}`, () => {
    it('estimates, saves, finds, renames, compares and deletes', async () => {
      s = await openSession(h, { javaScriptEnabled });
      const { page } = s;

      await page.goto('/');
      await page.getByRole('link', { name: 'Start an estimate' }).click();
      await page.waitForURL(/\/estimate/);

      // Quick form → results.
      await estimateQuick(page, QUICK_NUMBERS);
      expect(await textOf(page.locator('main'))).toContain('TaskManagers');

      // Save → flash and the saved page.
      await saveAs(page, 'Flow orders');
      expect(await textOf(page.getByRole('status'))).toBe('Saved “Flow orders”.');
      expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('Flow orders');
      const firstUrl = page.url();

      // A second, busier job to compare with.
      await page.goto('/estimate');
      await estimateQuick(page, { ...QUICK_NUMBERS, recordsPerSecond: 400000 });
      await saveAs(page, 'Flow clicks');

      // Find it in the saved list.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Saved' }).click();
      await page.getByLabel('Search by name').fill('flow ord');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/q=flow/);
      expect(await textsOf(page.locator('table.saved-table tbody th[scope="row"]'))).toEqual(['Flow orders']);

      // Rename from its page: the update form carries the name and the version read.
      await page.getByRole('link', { name: 'Flow orders', exact: true }).click();
      await page.waitForURL(firstUrl);
      await page.getByLabel('Name', { exact: true }).fill('Flow orders (v2)');
      await page.getByRole('button', { name: 'Update this estimation' }).click();
      await page.waitForURL(firstUrl);
      expect(await textOf(page.getByRole('status'))).toBe('Updated “Flow orders (v2)”.');

      // Compare the two.
      await page.goto('/saved');
      await page.getByRole('checkbox', { name: 'Compare Flow orders (v2)' }).check();
      await page.getByRole('checkbox', { name: 'Compare Flow clicks' }).check();
      await page.getByRole('button', { name: 'Compare selected' }).click();
      await page.waitForURL(/\/saved\/compare/);
      expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('Compare 2 saved estimations');
      expect(await page.locator('td.diff').count()).toBeGreaterThan(0);

      // Delete one, confirming on its own page (the link from its saved page always asks there).
      await page.getByRole('link', { name: 'Flow clicks' }).first().click();
      await page.getByRole('link', { name: 'Delete…' }).click();
      expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('Delete “Flow clicks”?');
      await page.getByRole('button', { name: 'Delete' }).click();
      await page.waitForURL(/\/saved$/);
      expect(await textOf(page.getByRole('status'))).toBe('Deleted “Flow clicks”.');
      expect(await textsOf(page.locator('table.saved-table tbody th[scope="row"]'))).toEqual([
        'Flow orders (v2)',
      ]);
    });
  });
}
