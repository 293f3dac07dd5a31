/**
 * The plan pages as a person meets them, at 1280 and 390 px: the headline and both figures
 * without JavaScript, axe with no serious or critical findings, the live preview and the
 * editor's load event with JavaScript, Copy without the clipboard API, and the error summary
 * taking the focus.
 */
import { describe, expect, it } from 'vitest';
import { MODEL_VERSION } from '../../src/estimator/model.js';
import { PRESETS } from '../../src/forms/presets.js';
import { resultsHref } from '../../src/web/links.js';
import {
  axeScan,
  browserSuite,
  horizontalOverflow,
  openSession,
  type Session,
  textOf,
} from '../support/browser.js';

const suite = browserSuite();
let s: Session | undefined;
const fraud = PRESETS.find((p) => p.id === 'fraud-interval-join')?.spec ?? {};

describe.each([1280, 390])('at %d px', (width) => {
  it('the results page shows the headline and both figures without JavaScript, with no axe findings', async () => {
    s = await suite.open({ javaScriptEnabled: false, width });
    const { page } = s;
    await page.goto(resultsHref(fraud));
    expect(await textOf(page.locator('[data-headline]'))).toMatch(
      /^\d+ TaskManagers? × \d+ CPU \/ .+ · , parallelism \d+ · , .+ cores? · , \$[\d,]+\/month$/,
    );
    const pipeline = page.locator('figure[data-figure="pipeline"]');
    await expect.poll(() => pipeline.isVisible()).toBe(true);
    for (const id of ['payments', 'logins', 'match', 'score', 'suspicious', 'alerts']) {
      expect(await pipeline.locator(`[data-node="${id}"] .node-id`).textContent()).toBe(id);
    }
    expect(await page.locator('figure[data-figure="load"] svg').count()).toBe(2);
    // The charts scale to the page's width; their axis labels must still read at 9px or more on screen.
    const tickPx = await page
      .locator('figure[data-figure="load"] .tick')
      .first()
      .evaluate((t) => t.getBoundingClientRect().height);
    expect(tickPx, 'axis label height on screen').toBeGreaterThanOrEqual(9);
    // The kicker is set in capitals; the model id in it keeps its own case (innerText is as shown).
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the text as shown, with text-transform applied: the point of the check
    expect(await page.locator('.eyebrow').innerText()).toContain(MODEL_VERSION);
    expect(await horizontalOverflow(page), 'the page scrolls sideways').toBeLessThanOrEqual(0);
    expect(s.problems, 'console errors, CSP violations or failed requests').toEqual([]);
    // axe runs as a script in the page, so the scan is of the same page with JavaScript on.
    s = await suite.open({ javaScriptEnabled: true, width });
    await s.page.goto(resultsHref(fraud));
    expect(await axeScan(s.page)).toEqual([]);
  });

  it('a saved estimation shows the same figures and passes axe', async () => {
    s = await suite.open({ javaScriptEnabled: true, width });
    const { page } = s;
    await page.goto(resultsHref(fraud));
    await page.getByLabel('Name', { exact: true }).fill(`Fraud at ${width}`);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/\/saved\/[^/]+$/);
    expect(await page.locator('[data-headline]').count()).toBe(1);
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the text as shown, with text-transform applied: the point of the check
    expect(await page.locator('.eyebrow').innerText()).toContain(MODEL_VERSION);
    expect(await page.locator('figure[data-figure="pipeline"]').count()).toBe(1);
    expect(await page.locator('figure[data-figure="load"]').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Update this estimation' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save as new' }).isVisible()).toBe(true);
    expect(await axeScan(page)).toEqual([]);
  });

  it('the estimate form passes axe with the diagram beside the editor', async () => {
    s = await suite.open({ javaScriptEnabled: true, width });
    const { page } = s;
    await page.goto('/estimate?preset=fraud-interval-join');
    expect(await page.locator('[data-editor-figure] figure[data-figure="pipeline"]').count()).toBe(1);
    expect(await textOf(page.locator('[data-preset-description]'))).toContain('Fraud detection');
    // The chosen example is marked among the others, for sight and for screen readers.
    const chosen = page.locator('.presets a[aria-current="true"]');
    expect(await chosen.count()).toBe(1);
    expect(await textOf(chosen)).toContain('Fraud detection');
    expect(await axeScan(page)).toEqual([]);
  });
});

describe('with JavaScript', () => {
  it('previews the estimate as values change, and takes a draft pipeline from the load event', async () => {
    s = await suite.open({ javaScriptEnabled: true });
    const { page } = s;
    await page.goto('/estimate');
    const live = page.locator('[data-live-estimate]');
    await expect.poll(() => textOf(live)).toMatch(/^Live estimate: \d+ TaskManagers?/);
    await page.getByLabel('Records per second').fill('4M');
    await expect.poll(() => textOf(live)).toMatch(/^Live estimate: /);
    const big = await textOf(live);
    await page.getByLabel('Records per second').fill('1k');
    await expect.poll(() => textOf(live)).not.toBe(big);
    // A value it cannot read pauses the preview, which says what to fix, beside the field too.
    await page.getByLabel('Records per second').fill('lots');
    await expect
      .poll(() => textOf(live))
      .toMatch(/^Live estimate paused: Records per second must be a number, for example 50000 or 50k/);
    expect(await textOf(page.locator('#recordsPerSecond-error'))).toBe(
      'Error: Records per second must be a number, for example 50000 or 50k',
    );
    await page.evaluate(() => {
      const pipeline = {
        sources: [
          { id: 'drafted', kind: 'kafka', recordsPerSecond: 1000, avgRecordBytes: 100, partitions: 2 },
        ],
        operators: [],
        sinks: [{ id: 'drafted-out', kind: 'kafka', inputs: ['drafted'] }],
      };
      document.dispatchEvent(new CustomEvent('pipeline-editor:load', { detail: { pipeline } }));
    });
    expect(await page.locator('input[name="mode"][value="pipeline"]').isChecked()).toBe(true);
    expect(JSON.parse(await page.locator('#pipelineJson').inputValue()).sources[0].id).toBe('drafted');
    await expect.poll(() => page.locator('[data-editor-figure] [data-node="drafted-out"]').count()).toBe(1);
  });

  it('sends one preview for a burst of edits, and a newer edit cancels the request still under way', async () => {
    s = await suite.open({ javaScriptEnabled: true });
    const { page } = s;
    const sent: string[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The answer for 4M is held back until the test lets it go, so the next edit finds it under way.
    await page.route('**/api/v1/estimates', async (route) => {
      const rate = String(JSON.parse(route.request().postData() ?? '{}').workload?.recordsPerSecond);
      sent.push(rate);
      if (rate === '4000000') await held;
      await route.continue().catch(() => {}); // the page aborted it meanwhile
    });
    try {
      await page.goto('/estimate');
      const live = page.locator('[data-live-estimate]');
      await expect.poll(() => textOf(live)).toMatch(/^Live estimate: \d+ TaskManagers?/);
      sent.length = 0;
      // Four edits in one task: the debounce sends only the last.
      await page.getByLabel('Records per second').evaluate((input: HTMLInputElement) => {
        for (const value of ['1', '10', '100', '4M']) {
          input.value = value;
          input.dispatchEvent(new Event('input', { bubbles: true }));
        }
      });
      // The page read "4M" by the form's rules and sent the API the number.
      await expect.poll(() => sent).toEqual(['4000000']);
      const cancelled = page.waitForEvent('requestfailed', (r) => r.url().endsWith('/api/v1/estimates'));
      await page.getByLabel('Records per second').fill('1k');
      expect((await cancelled).postData()).toContain('"recordsPerSecond":4000000');
      await expect.poll(() => sent).toEqual(['4000000', '1000']);
      await expect.poll(() => live.getAttribute('data-state')).toBe('fresh');
      expect(await textOf(live)).toMatch(/^Live estimate: \d+ TaskManagers?/);
    } finally {
      release();
      await page.unroute('**/api/v1/estimates');
    }
  });

  it('copies by selecting the text when the clipboard API is missing', async () => {
    // A context of its own: the init script removing the clipboard API would outlive the test on
    // the reused page (reusedSessions); closing the harness's browser closes it if the test fails.
    s = suite.watch(await openSession(suite.harness, { javaScriptEnabled: true }));
    const { page } = s;
    await page.addInitScript(() => Object.defineProperty(navigator, 'clipboard', { value: undefined }));
    await page.goto(resultsHref(fraud));
    await page.getByRole('button', { name: 'Copy' }).first().click();
    expect(await textOf(page.getByRole('button', { name: /^Selected/ }).first())).toBe(
      'Selected: press Ctrl+C (⌘C) to copy',
    );
    expect(await page.evaluate(() => window.getSelection()?.toString() ?? '')).toContain(
      'taskmanager.memory.process.size',
    );
    await s.context.close();
  });

  it('moves the focus to the error summary after a refused submit', async () => {
    s = await suite.open({ javaScriptEnabled: true });
    const { page } = s;
    await page.goto('/estimate');
    await page.getByLabel('Records per second').fill('fast');
    await page.getByRole('button', { name: 'Estimate', exact: true }).click();
    await page.waitForLoadState();
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-error-summary'))).toBe(true);
    expect(await textOf(page.locator('[data-error-summary]'))).toContain(
      'Records per second must be a number, for example 50000 or 50k',
    );
  });
});
