/**
 * /calibrate in a real browser: paste a snapshot (read from the fake JobManager), submit, and see
 * per vertex "parallelism now → recommended" and the alignment step; axe finds nothing serious at
 * 1280 and 390 px. Then the same job read live: from the fake JobManager's REST API, and from a
 * real Prometheus holding the job's series, with the topology from that JobManager. One browser
 * for the file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeScan,
  type Harness,
  horizontalOverflow,
  openSession,
  screenshots,
  startHarness,
  textsOf,
} from '../support/browser.js';
import { type FakeJobManager, snapshotOf, startFakeJobManager } from '../support/fake-jobmanager.js';
import { FAKE_JOB_NAME, fakeJobSeries } from '../support/flink-prometheus-series.js';
import { openMetrics, type RunningPrometheus, startPrometheus } from '../support/prometheus.js';

let h: Harness;
let jm: FakeJobManager;
let prometheus: RunningPrometheus;
let snapshot: string;

beforeAll(async () => {
  // Ten minutes of samples ending two minutes ago: inside the default 900 s window at "now".
  const end = Math.floor(Date.now() / 1000 / 60) * 60 - 120;
  [jm, prometheus] = await Promise.all([
    startFakeJobManager(),
    startPrometheus(openMetrics(fakeJobSeries(), end - 600, end, 15)),
  ]);
  snapshot = JSON.stringify(await snapshotOf(jm));
  h = await startHarness({ CALIBRATION_ALLOWED_HOSTS: '127.0.0.1' });
});
afterAll(async () => {
  await Promise.all([h?.close(), jm?.close(), prometheus?.stop()]);
});

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

  it('reads the running job from its JobManager and from Prometheus, and links to a calibrated estimate', async () => {
    const s = await openSession(h);
    try {
      const { page } = s;
      const recommendations = async () => {
        await page.waitForURL(/\/calibrate\/[^/]+$/);
        const rows = page.getByRole('table', { name: /Per job vertex/ }).locator('tbody tr');
        return textsOf(rows.locator('td:nth-child(2)'));
      };
      // The JobManager's REST API, one read of the current gauges.
      await page.goto('/calibrate');
      await page.getByLabel('The JobManager’s REST API').check();
      await page.getByLabel('URL', { exact: true }).fill(jm.url);
      await page.getByRole('button', { name: 'Calibrate' }).click();
      expect(await recommendations()).toEqual(['2 → 2', '4 → 8']);

      // Prometheus: the same rates as gauges, averaged over the window; the job found by its
      // job_name label and its topology read from the JobManager.
      await page.goto('/calibrate');
      await page.getByLabel('Prometheus', { exact: true }).check();
      await page.getByLabel('URL', { exact: true }).fill(prometheus.url);
      await page.getByLabel('Job name (Prometheus)').fill(FAKE_JOB_NAME);
      await page.getByLabel('JobManager URL (Prometheus)').fill(jm.url);
      await page.getByRole('button', { name: 'Calibrate' }).click();
      expect(await recommendations()).toEqual(['2 → 2', '4 → 8']);
      expect(
        await page.getByText('ceil 4.47 → 5 → 8, the first divisor of max parallelism 128').count(),
      ).toBe(1);

      // The calibrated spec's own plan, with the files to deploy it.
      await page.getByRole('link', { name: 'The calibrated estimate' }).click();
      await page.waitForURL(/\/results\?/);
      expect(await page.locator('[data-headline]').textContent()).toMatch(/TaskManagers?/);
      const yarn = page.getByRole('link', { name: 'YARN', exact: true });
      const script = await (await fetch(new URL((await yarn.getAttribute('href')) ?? '', h.baseURL))).text();
      expect(script).toMatch(/"\$FLINK_HOME\/bin\/flink" run-application -t yarn-application/);
    } finally {
      await s.context.close();
    }
    expect(s.problems, 'console errors, CSP violations or failed requests').toEqual([]);
  });
});
