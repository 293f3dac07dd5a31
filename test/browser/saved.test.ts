import type { Dialog } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { BUSY, PIPELINE, QUICK } from '../fixtures/specs.js';
import { browserSuite, type Session, textOf, textsOf } from '../support/browser.js';
import { clearSaved, seed } from '../support/seed.js';

const suite = browserSuite();
let s: Session | undefined;

beforeEach(() => clearSaved(suite.harness));

const rowNames = (session: Session) =>
  textsOf(session.page.locator('table.saved-table tbody th[scope="row"]'));

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';

  describe(`saved estimations ${mode}`, () => {
    it('searches by name and sorts by the column headers', async () => {
      seed(suite.harness, 'Orders enrichment');
      seed(suite.harness, 'Clickstream sessions', BUSY);
      seed(suite.harness, 'orders dedup', PIPELINE);
      s = await suite.open({ javaScriptEnabled });
      const { page } = s;
      await page.goto('/saved');
      await expect.poll(() => page.getByText('3 saved estimations').isVisible()).toBe(true);

      await page.getByLabel('Search by name').fill('ORDERS');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/q=ORDERS/);
      expect((await rowNames(s)).sort()).toEqual(['Orders enrichment', 'orders dedup']);
      expect(await page.getByText('2 saved estimations match “ORDERS”').isVisible()).toBe(true);

      await page.getByRole('link', { name: 'Clear search' }).click();
      await page.getByRole('link', { name: 'Name', exact: true }).click();
      await page.waitForURL(/sort=name/);
      expect(await rowNames(s)).toEqual(['Clickstream sessions', 'orders dedup', 'Orders enrichment']);
      expect(await page.getByRole('columnheader', { name: 'Name' }).getAttribute('aria-sort')).toBe(
        'ascending',
      );
      await page.getByRole('link', { name: 'Name', exact: true }).click();
      await page.waitForURL(/order=desc/);
      expect(await rowNames(s)).toEqual(['Orders enrichment', 'orders dedup', 'Clickstream sessions']);
    });

    it('renames, keeping the typed value when the name is invalid', async () => {
      const saved = seed(suite.harness, 'Old name');
      s = await suite.open({ javaScriptEnabled });
      const { page } = s;
      await page.goto('/saved');
      await page.getByRole('link', { name: 'Rename Old name' }).click();
      await expect.poll(() => textOf(page.getByRole('heading', { level: 1 }))).toBe('Rename “Old name”');

      const name = page.getByLabel('Name', { exact: true });
      await name.fill('   ');
      await page.getByRole('button', { name: 'Rename' }).click();
      await expect.poll(() => textOf(page.locator('#name-error'))).toContain('A name is required');
      expect(await name.getAttribute('aria-invalid')).toBe('true');

      await name.fill('New name ✨');
      await page.getByRole('button', { name: 'Rename' }).click();
      await page.waitForURL(`**/saved/${saved.id}`);
      expect(await textOf(page.getByRole('status'))).toBe('Renamed to “New name ✨”.');
      expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('New name ✨');
    });

    it('compares two selected estimations with the differences marked', async () => {
      seed(suite.harness, 'Small', QUICK);
      seed(suite.harness, 'Big', BUSY);
      seed(suite.harness, 'Pipeline', PIPELINE);
      s = await suite.open({ javaScriptEnabled });
      const { page } = s;
      await page.goto('/saved?sort=name');
      await page.getByRole('checkbox', { name: 'Compare Small' }).check();
      await page.getByRole('checkbox', { name: 'Compare Big' }).check();
      await page.getByRole('button', { name: 'Compare selected' }).click();
      await page.waitForURL(/\/saved\/compare\?/);
      expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('Compare 2 saved estimations');
      // Columns follow the list's order: Big first, so Small's differing cells are marked.
      const rateRow = page.getByRole('row', { name: /Input rate \(average\)/ });
      expect(await textsOf(rateRow.getByRole('cell'))).toEqual(['500k rec/s', '50k rec/s ≠ (differs)']);
      expect(await rateRow.locator('td.diff').count()).toBe(1);

      await page.getByRole('link', { name: 'Show only differences' }).click();
      await page.waitForURL(/only=diff/);
      expect(await page.getByRole('rowheader', { name: 'Flink version' }).count()).toBe(0);
      expect(await page.getByRole('rowheader', { name: 'TaskManagers', exact: true }).count()).toBe(1);
    });

    it('refuses to compare a single estimation with a message', async () => {
      seed(suite.harness, 'Lonely');
      seed(suite.harness, 'Other');
      s = await suite.open({ javaScriptEnabled });
      const { page } = s;
      await page.goto('/saved');
      await page.getByRole('checkbox', { name: 'Compare Lonely' }).check();
      await page.getByRole('button', { name: 'Compare selected' }).click();
      const message = 'Select at least 2 estimations to compare';
      if (javaScriptEnabled) {
        // The script stops the submit and says why, without leaving the page.
        await expect.poll(() => textOf(page.locator('[data-compare-status]'))).toContain(message);
        expect(new URL(page.url()).pathname).toBe('/saved');
      } else {
        // The server sends the user back with the same message.
        await page.waitForURL(/\/saved$/);
        expect(await textOf(page.getByRole('alert'))).toContain(`${message} (you selected 1).`);
      }
    });

    it('deletes only after confirmation', async () => {
      seed(suite.harness, 'Keeper');
      seed(suite.harness, 'Doomed');
      s = await suite.open({ javaScriptEnabled });
      const { page } = s;
      await page.goto('/saved');
      if (javaScriptEnabled) {
        // The confirm dialog shortcuts the confirmation page: dismissing it deletes nothing …
        page.once('dialog', (dialog) => dialog.dismiss());
        await page.getByRole('link', { name: 'Delete Doomed' }).click();
        expect(await rowNames(s)).toContain('Doomed');
        // … accepting it deletes.
        page.once('dialog', (dialog) => {
          expect(dialog.message()).toBe('Delete “Doomed”? This cannot be undone.');
          return dialog.accept();
        });
        await page.getByRole('link', { name: 'Delete Doomed' }).click();
      } else {
        await page.getByRole('link', { name: 'Delete Doomed' }).click();
        await page.waitForURL(/\/delete$/);
        expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('Delete “Doomed”?');
        await page.getByRole('button', { name: 'Delete' }).click();
      }
      await page.waitForURL(/\/saved$/);
      expect(await textOf(page.getByRole('status'))).toBe('Deleted “Doomed”.');
      expect(await rowNames(s)).toEqual(['Keeper']);
    });
  });
}

describe('saved estimations, in detail', () => {
  it('pages through many with Next and Previous page, showing the range', async () => {
    for (let i = 0; i < 23; i++) seed(suite.harness, `job ${i}`);
    s = await suite.open();
    const { page } = s;
    const range = page.locator('[data-range]');
    await page.goto('/saved?sort=name');
    expect(await rowNames(s)).toHaveLength(20);
    expect(await textOf(range)).toBe('1–20 of 23');
    await page.getByRole('link', { name: 'Next page' }).click();
    await page.waitForURL(/cursor=/);
    expect(await rowNames(s)).toEqual(['job 20', 'job 21', 'job 22']);
    expect(await textOf(range)).toBe('21–23 of 23');
    await page.getByRole('link', { name: 'Previous page' }).click();
    await page.waitForURL(/cursor=/);
    // Natural order: job 2 comes before job 10.
    expect((await rowNames(s)).slice(0, 3)).toEqual(['job 0', 'job 1', 'job 2']);
    expect(await textOf(range)).toBe('1–20 of 23');
  });

  it('sorts from links a phone can reach', async () => {
    for (const name of ['beta', 'alpha', 'gamma']) seed(suite.harness, name);
    s = await suite.open({ width: 390 });
    const { page } = s;
    await page.goto('/saved');
    const choices = page.getByRole('navigation', { name: 'Sort saved estimations' });
    const zToA = choices.getByRole('link', { name: 'Name Z–A' });
    expect(await zToA.isVisible()).toBe(true);
    await zToA.click();
    await page.waitForURL(/sort=name&order=desc/);
    expect(await rowNames(s)).toEqual(['gamma', 'beta', 'alpha']);
    expect(await choices.getByRole('link', { name: 'Name Z–A' }).getAttribute('aria-current')).toBe('true');
  });

  it('shows hostile names as text and never runs them', async () => {
    const names = ['<script>alert(1)</script>', '{{ 7*7 }}', 'Orders \u202Etxt.exe', `${'ø'.repeat(199)}Z`];
    for (const name of names) seed(suite.harness, name);
    s = await suite.open({ width: 360 });
    const { page } = s;
    let dialogs = 0;
    const count = (dialog: Dialog) => {
      dialogs++;
      return dialog.dismiss();
    };
    page.on('dialog', count);
    try {
      await page.goto('/saved?sort=name');
      expect((await rowNames(s)).map((n) => n.trim()).sort()).toEqual([...names].sort());
    } finally {
      // The page is reused by the next test (reusedSessions).
      page.off('dialog', count);
    }
    expect(dialogs).toBe(0);
    // A 200-character name wraps rather than widening the phone-width page.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('shows the empty state with a way to start', async () => {
    s = await suite.open();
    const { page } = s;
    await page.goto('/saved');
    expect(await page.getByRole('heading', { name: 'Nothing saved yet' }).isVisible()).toBe(true);
    await page.getByRole('link', { name: 'Start an estimate' }).click();
    await page.waitForURL(/\/estimate$/);
  });
});
