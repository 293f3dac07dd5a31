/**
 * The "From SQL or a plan" tab in a real browser, at desktop and phone width, with and without
 * JavaScript: a pasted statement set fills the pipeline editor, each assumed value sits beside its
 * node's field, a parse error is shown (and focused) at its line and column, and the page has no
 * serious or critical axe findings and never scrolls sideways.
 */
import { describe, expect, it } from 'vitest';
import {
  axeScan,
  browserSuite,
  horizontalOverflow,
  type Session,
  screenshots,
  textOf,
} from '../support/browser.js';

const SCRIPT = `CREATE TABLE bids (auction BIGINT, price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
WITH ('connector' = 'kafka', 'topic' = 'bids', 'format' = 'json', 'properties.sasl.jaas.config' = 'x password="Pa55";');
CREATE TABLE top3 (auction BIGINT, price BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO top3 SELECT auction, price FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY price DESC) AS rn
  FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '1' MINUTE))) WHERE rn <= 3;`;
const BROKEN = SCRIPT.replace('INSERT INTO top3 SELECT', 'INSERT INTO top3 SELEC');

const suite = browserSuite();
let s: Session | undefined;

async function paste(session: Session, script: string) {
  const { page } = session;
  await page.goto('/estimate');
  await page.getByRole('link', { name: 'From SQL or a plan' }).click();
  await page.getByLabel('Flink SQL script or plan', { exact: true }).fill(script);
  await page.getByRole('button', { name: 'Read into the editor' }).click();
}

describe('with JavaScript', () => {
  it('fills the editor without leaving the page, the assumed values beside their fields, and estimates it (1280 px)', async () => {
    s = await suite.open({ javaScriptEnabled: true, width: 1280 });
    const { page } = s;
    await paste(s, SCRIPT);
    const summary = page.locator('[data-intake-summary]');
    await summary.waitFor();
    expect(await summary.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(page.url()).toMatch(/\/estimate\?tab=intake#intake$/);
    // Beside the source's Records/s field: marked as assumed, and described by the mark.
    const rate = page.locator('#pe-sources-0-recordsPerSecond');
    expect(await rate.inputValue()).toBe('50000');
    expect(await rate.getAttribute('aria-describedby')).toContain('pe-sources-0-recordsPerSecond-assumed');
    expect(await textOf(page.locator('#pe-sources-0-recordsPerSecond-assumed'))).toBe(
      'assumed 50000: confirm',
    );
    // The list at the top leads to that field; the top-n's row says what made it.
    expect(
      await summary
        .locator('[data-question-path="pipeline.sources.0.recordsPerSecond"]')
        .getAttribute('href'),
    ).toBe('#pe-sources-0-recordsPerSecond');
    const topNote = page.locator('tr.intake-row-note', { hasText: 'a top-3 per window' });
    expect(await topNote.count()).toBe(1);
    expect(await axeScan(page)).toEqual([]);
    await screenshots(page, 'intake-draft');

    await rate.fill('20000');
    await rate.blur();
    await page.getByRole('button', { name: 'Estimate', exact: true }).click();
    await page.waitForURL(/\/results\?spec=.*&sql=/);
    expect(await textOf(page.locator('[data-source-sql] summary'))).toContain(
      'The SQL script this plan was made from',
    );
    expect(await textOf(page.locator('main'))).toContain('20k/s');
    expect(await page.content()).not.toContain('Pa55');
  });

  it('shows a parse error at its line and column and moves the focus to it (390 px)', async () => {
    s = await suite.open({ javaScriptEnabled: true, width: 390 });
    const { page } = s;
    await paste(s, BROKEN);
    const errors = page.locator('#script-error');
    await errors.locator('[data-parse-error]').first().waitFor();
    expect(await errors.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await textOf(errors)).toContain(
      "Line 4, column 18 (INSERT INTO statement): 'SELEC' is not valid at this position",
    );
    expect(await page.locator('#script').getAttribute('aria-invalid')).toBe('true');
    // "Go to" puts the caret on the offending character in the pasted text.
    await errors.getByRole('button', { name: 'Go to line 4, column 18' }).click();
    const caret = await page
      .locator('#script')
      .evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionStart + 5));
    expect(caret).toBe('SELEC');
    // On a phone the pasted lines stay whole (the box scrolls sideways), so line 4 is one line.
    expect(
      await page.locator('#script').evaluate((el: HTMLTextAreaElement) => el.scrollWidth > el.clientWidth),
    ).toBe(true);
    expect(await page.locator('[data-estimate-form]').isHidden()).toBe(true);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await axeScan(page)).toEqual([]);
  });
});

describe('without JavaScript', () => {
  for (const width of [1280, 390]) {
    it(`posts the paste and shows the draft beside each node (${width} px)`, async () => {
      s = await suite.open({ javaScriptEnabled: false, width });
      const { page } = s;
      await paste(s, SCRIPT);
      await page.waitForURL(/\/estimate\/intake$/);
      expect(await textOf(page.locator('#draft-sources-0'))).toContain('Records/s = 50,000');
      expect(await textOf(page.locator('#draft-operators-0'))).toContain('→ a top-3 per window');
      // What came back never holds the credential.
      expect(await page.content()).not.toContain('Pa55');
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await paste(s, BROKEN);
      expect(await textOf(page.locator('#script-error'))).toContain('Line 4, column 18');
      expect(await page.locator('.error-summary a[href="#script"]').count()).toBe(1);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      expect(s.problems, 'console errors, CSP violations or failed requests').toEqual([]);
      // axe runs as a script in the page: the same server-rendered answers, posted by the form
      // itself (form.submit() skips the script's own submit handler), scanned with JavaScript on.
      s = await suite.open({ javaScriptEnabled: true, width });
      for (const script of [SCRIPT, BROKEN]) {
        await s.page.goto('/estimate?tab=intake');
        await s.page.locator('#script').fill(script);
        await s.page.locator('[data-intake-form]').evaluate((form: HTMLFormElement) => form.submit());
        await s.page.waitForURL(/\/estimate\/intake$/);
        expect(await axeScan(s.page)).toEqual([]);
      }
    });
  }
});
