/**
 * The estimate form in a real browser: the pipeline rows editor (JavaScript) keeps the JSON in
 * step, the pipeline JSON alone works without JavaScript, and invalid values come back with
 * the message beside the field and the value kept.
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

const suite = browserSuite();
let s: Session | undefined;

describe('pipeline form', () => {
  it('edits the pipeline as rows with JavaScript and estimates it', async () => {
    s = await suite.open({ javaScriptEnabled: true });
    const { page } = s;
    await page.goto('/estimate?preset=kafka-window-kafka');
    // Only the chosen mode's section shows.
    expect(await page.locator('#quick-section').isHidden()).toBe(true);
    await page.getByLabel('Records/s of source 1').fill('250000');
    await page.getByLabel('Records/s of source 1').blur();
    // Renaming a source renames its uses, and the next row's inputs are chosen from the ids there are.
    await page.getByLabel('Id of source 1').fill('events');
    await page.getByLabel('Id of source 1').blur();
    expect(JSON.parse(await page.locator('#pipelineJson').inputValue()).operators[0].inputs).toEqual([
      'events',
    ]);
    const inputs = page.getByLabel('Inputs of operator 1');
    expect(await inputs.locator('option').allTextContents()).toContain('events');
    expect(
      await inputs.evaluate((el: HTMLSelectElement) => [...el.selectedOptions].map((o) => o.value)),
    ).toEqual(['events']);
    await page.getByRole('button', { name: 'Add operator' }).click();
    const json = JSON.parse(await page.locator('#pipelineJson').inputValue());
    expect(json.sources[0].recordsPerSecond).toBe(250000);
    expect(json.operators).toHaveLength(3);
    // The new operator has no inputs yet: the estimate form says so, next to the JSON.
    await page.getByRole('button', { name: 'Estimate', exact: true }).click();
    await page.waitForLoadState();
    expect(await textOf(page.locator('#pipelineJson-error'))).toMatch(/pipeline\.operators\.2/);
    // Remove it again and estimate.
    await page.getByRole('button', { name: /^Remove op/ }).click();
    await page.getByRole('button', { name: 'Estimate', exact: true }).click();
    await page.waitForURL(/\/results\?spec=/);
    expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('Your Flink plan');
    expect(await textOf(page.locator('main'))).toContain('250k/s');
    expect(await page.locator('figure[data-figure="pipeline"] [data-node="events"]').count()).toBe(1);
  });

  for (const width of [1280, 390]) {
    it(`puts a mistyped input's one error on that row's field, readable at ${width} px`, async () => {
      s = await suite.open({ javaScriptEnabled: true, width });
      const { page } = s;
      await page.goto('/estimate?preset=kafka-window-kafka');
      const json = JSON.parse(await page.locator('#pipelineJson').inputValue());
      json.operators[1].inputs = ['prase'];
      await page.locator('#pipelineJson').fill(JSON.stringify(json, null, 2));
      await page.locator('#pipelineJson').dispatchEvent('change');
      await page.getByRole('button', { name: 'Estimate', exact: true }).click();
      await page.waitForLoadState();
      await screenshots(page, `estimate-typo-at-${width}`);
      expect(await page.locator('.error-summary li').count()).toBe(1);
      const field = page.locator('#pe-operators-1-inputs');
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      expect(await textOf(page.locator('#pe-operators-1-inputs-error'))).toContain('Unknown input "prase"');
      expect(await page.locator('.row-error').count()).toBe(1);
      // Each field keeps a readable width: on a phone the rows stack with their labels shown.
      const label = page.locator('label[for="pe-operators-1-kind"]');
      // Shown in the flow on a phone; clipped away (still read) where the column heading names it.
      expect(await label.evaluate((el) => getComputedStyle(el).clipPath)).toBe(
        width < 640 ? 'none' : 'inset(50%)',
      );
      if (width < 640) expect((await label.boundingBox())?.width ?? 0).toBeGreaterThan(40);
      expect((await page.locator('#pe-operators-1-kind').boundingBox())?.width ?? 0).toBeGreaterThan(80);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      expect(await axeScan(page)).toEqual([]);
    });
  }

  it('carries the quick form over when switching to the pipeline', async () => {
    s = await suite.open({ javaScriptEnabled: true });
    const { page } = s;
    await page.goto('/estimate');
    await page.locator('input[name="sources"]').fill('2');
    await page.locator('input[name="recordsPerSecond"]').fill('80k');
    await page.getByLabel('Pipeline: sources, operators and sinks').check();
    await expect.poll(async () => page.locator('#pipelineJson').inputValue()).toContain('source-2');
    const json = JSON.parse(await page.locator('#pipelineJson').inputValue());
    expect(json.sources.map((x: { recordsPerSecond: number }) => x.recordsPerSecond)).toEqual([40000, 40000]);
    expect(await page.getByLabel('Records/s of source 2').inputValue()).toBe('40000');
  });

  it('takes the pipeline as JSON without JavaScript', async () => {
    s = await suite.open({ javaScriptEnabled: false });
    const { page } = s;
    await page.goto('/estimate?preset=cdc-enrichment');
    await page.getByRole('button', { name: 'Estimate', exact: true }).click();
    await page.waitForURL(/\/results\?spec=/);
    expect(await textOf(page.locator('main'))).toContain('enrich');
  });
});

describe('invalid values', () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`show the message beside the field and keep the value (${javaScriptEnabled ? 'with' : 'without'} JavaScript)`, async () => {
      s = await suite.open({ javaScriptEnabled });
      const { page } = s;
      await page.goto('/estimate');
      await page.locator('input[name="recordsPerSecond"]').fill('-20');
      await page.getByRole('button', { name: 'Estimate', exact: true }).click();
      await page.waitForLoadState();
      expect(await page.locator('input[name="recordsPerSecond"]').inputValue()).toBe('-20');
      expect(await textOf(page.locator('#recordsPerSecond-error'))).not.toBe('');
      expect(await page.locator('.error-summary a[href="#recordsPerSecond"]').count()).toBe(1);
    });
  }
});
