/**
 * /calibrate in a real browser: paste a snapshot (read from the fake JobManager), submit, and see
 * per vertex "parallelism now → recommended" and the alignment step; axe finds nothing serious at
 * 1280 and 390 px. One browser for the file, one page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../src/calibration/flink-rest.js';
import { checkUrl, defaultFetchPolicy, Limiter, SafeClient } from '../../src/calibration/safety.js';
import {
  axeScan,
  type Harness,
  horizontalOverflow,
  openSession,
  screenshots,
  startHarness,
  textsOf,
} from '../support/browser.js';
import { startFakeJobManager } from '../support/fake-jobmanager.js';

let h: Harness;
let snapshot: string;

beforeAll(async () => {
  const jm = await startFakeJobManager();
  try {
    const client = new SafeClient(
      checkUrl(jm.url, ['127.0.0.1']),
      { ...defaultFetchPolicy, allowedHosts: ['127.0.0.1'] },
      new Limiter(2),
    );
    snapshot = JSON.stringify(await collectSnapshot(client));
  } finally {
    await jm.close();
  }
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('/calibrate', () => {
  it('turns a pasted snapshot into per-vertex recommendations, accessible at desktop and phone width', async () => {
    const s = await openSession(h);
    try {
      const { page } = s;
      await page.goto('/calibrate');
      await page.getByLabel('A snapshot (pasted)').check();
      await page.getByLabel('Snapshot JSON').fill(snapshot);
      await page.getByRole('button', { name: 'Calibrate' }).click();
      await page.waitForURL(/\/calibrate\/[^/]+$/);
      const table = page.getByRole('table', { name: /Per job vertex/ });
      const rows = table.locator('tbody tr');
      // The source (2 subtasks) stays; the keyed aggregate goes 4 → 8, the first divisor of 128.
      expect(await textsOf(rows.locator('td:nth-child(2)'))).toEqual(['2 → 2', '4 → 8']);
      expect(await textsOf(rows.locator('td:nth-child(9)'))).toEqual([
        'ceil 1.44 → 2, unchanged',
        'ceil 4.47 → 5 → 8, the first divisor of max parallelism 128',
      ]);
      expect(await axeScan(page), 'axe at 1280 px').toEqual([]);
      expect(await horizontalOverflow(page), 'page wider than 1280 px').toBeLessThanOrEqual(0);
      await page.setViewportSize({ width: 390, height: 800 });
      expect(await axeScan(page), 'axe at 390 px').toEqual([]);
      // The wide tables scroll inside their own region; the page itself does not.
      expect(await horizontalOverflow(page), 'page wider than 390 px').toBeLessThanOrEqual(0);
      await screenshots(page, 'calibration');
    } finally {
      await s.context.close();
    }
    expect(s.problems, 'console errors, CSP violations or failed requests').toEqual([]);
  });
});
