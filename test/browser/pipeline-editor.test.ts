/**
 * The pipeline rows editor's own fields for each kind (window, TTL, bounds, lookup latency, async,
 * n, peak factor …): real labelled fields that write the JSON, appear and go with the kind, read
 * the page forms' formats (50k, 70%), say in plain words beside the field when a value is not a
 * number, and redraw the diagram. At 1280 and 390 px.
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

type Pipeline = {
  sources: Record<string, unknown>[];
  operators: Record<string, unknown>[];
  sinks: Record<string, unknown>[];
};

describe('the kinds’ own fields', () => {
  for (const width of [1280, 390]) {
    it(`edits a window, a lookup and a peak factor in their own fields (${width} px)`, async () => {
      s = await suite.open({ javaScriptEnabled: true, width });
      const { page } = s;
      await page.goto('/estimate?preset=kafka-window-kafka');
      const json = async (): Promise<Pipeline> =>
        JSON.parse(await page.locator('#pipelineJson').inputValue());

      // The window aggregation's window, in its fields: "a minute" is not a duration; "2m" is
      // two minutes (120 s), not two million.
      const size = page.getByLabel('Window size (s) of operator 2');
      expect(await size.inputValue()).toBe('60');
      await size.fill('a minute');
      await size.blur();
      expect(await textOf(page.locator('#pe-operators-1-window-sizeSeconds-error'))).toBe(
        'Window size (s) must be a duration, for example 60, 90s, 2m or 1h.',
      );
      expect((await json()).operators[1]?.window).toEqual({ type: 'tumbling', sizeSeconds: 60 });
      await size.fill('2m');
      await size.blur();
      expect((await json()).operators[1]?.window).toEqual({ type: 'tumbling', sizeSeconds: 120 });
      expect(await page.locator('#pe-operators-1-window-sizeSeconds-error').count()).toBe(0);
      // A hopping window takes a slide; the tumbling one had none.
      expect(await page.getByLabel('Slide (s) of operator 2').count()).toBe(0);
      await page.getByLabel('Window of operator 2').selectOption('hopping');
      expect((await json()).operators[1]?.window).toEqual({
        type: 'hopping',
        sizeSeconds: 120,
        slideSeconds: 20,
      });
      await page.getByLabel('Slide (s) of operator 2').fill('30');
      await page.getByLabel('Slide (s) of operator 2').blur();
      expect((await json()).operators[1]?.window).toMatchObject({ slideSeconds: 30 });

      // Forgiving amounts and shares, as in the quick form.
      await page.getByLabel('Distinct keys of operator 2').fill('2.5M');
      await page.getByLabel('Distinct keys of operator 2').blur();
      await page.getByLabel('Hot-key share of operator 2').fill('5%');
      await page.getByLabel('Hot-key share of operator 2').blur();
      expect((await json()).operators[1]).toMatchObject({ distinctKeys: 2_500_000, hotKeyShare: 0.05 });

      // The first operator becomes a lookup join: the map's fields go, the lookup's come.
      expect(await page.getByLabel('Lookup latency (ms) of operator 1').count()).toBe(0);
      await page.getByLabel('Kind of operator 1').selectOption('lookup-join');
      await page.getByLabel('Lookup latency (ms) of operator 1').fill('8');
      await page.getByLabel('Lookup latency (ms) of operator 1').blur();
      await page.getByLabel('Async lookup of operator 1').check();
      await page.getByLabel('Cache hit ratio of operator 1').fill('70%');
      await page.getByLabel('Cache hit ratio of operator 1').blur();
      expect((await json()).operators[0]).toMatchObject({
        kind: 'lookup-join',
        lookupLatencyMs: 8,
        async: true,
        cacheHitRatio: 0.7,
      });
      expect(await page.getByLabel('Window size (s) of operator 1').count()).toBe(0);

      // A source's peak factor.
      await page.getByLabel('Peak factor of source 1').fill('2');
      await page.getByLabel('Peak factor of source 1').blur();
      expect((await json()).sources[0]?.peakFactor).toBe(2);

      // The diagram follows the edits (the live preview redraws it through POST /estimate/diagram).
      await expect
        .poll(async () => textOf(page.locator('[data-editor-figure]')), { timeout: 10_000 })
        .toContain('lookup-join');
      await screenshots(page, `pipeline-editor-fields-${width}`);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      expect(await axeScan(page)).toEqual([]);
    });
  }

  it('changes a join to an interval join and takes asymmetric bounds', async () => {
    s = await suite.open({ javaScriptEnabled: true });
    const { page } = s;
    await page.goto('/estimate?preset=kafka-window-kafka');
    await page.getByLabel('Kind of operator 2').selectOption('interval-join');
    const op = async () =>
      (JSON.parse(await page.locator('#pipelineJson').inputValue()) as Pipeline).operators[1];
    // The window does not apply to an interval join, so it goes with the old kind.
    expect((await op())?.window).toBeUndefined();
    await page.getByLabel('Lower bound (s) of operator 2').fill('0');
    await page.getByLabel('Lower bound (s) of operator 2').blur();
    await page.getByLabel('Upper bound (s) of operator 2').fill('an hour');
    await page.getByLabel('Upper bound (s) of operator 2').blur();
    expect(await page.locator('#pe-operators-1-upperBoundSeconds').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Upper bound (s) of operator 2').fill('1h');
    await page.getByLabel('Upper bound (s) of operator 2').blur();
    expect(await op()).toMatchObject({
      kind: 'interval-join',
      lowerBoundSeconds: 0,
      upperBoundSeconds: 3600,
    });
  });
});
