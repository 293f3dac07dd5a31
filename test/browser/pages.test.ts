/**
 * Every page, as a browser sees it: no serious or critical axe-core findings, no console errors or
 * CSP violations, nothing wider than a 360 px phone; with SCREENSHOTS=<dir>, screenshots at 1280 px and 390 px
 * in that directory for a person to look at (none by default: they assert nothing).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BUSY, PIPELINE, QUICK } from '../fixtures/specs.js';
import {
  axeScan,
  type Harness,
  horizontalOverflow,
  reusedSessions,
  type Session,
  screenshots,
  startHarness,
} from '../support/browser.js';
import { seed } from '../support/seed.js';

let h: Harness;
let sessions: ReturnType<typeof reusedSessions>;
let s: Session;
let ids: { quick: string; busy: string; pipeline: string };

beforeAll(async () => {
  h = await startHarness();
  ids = {
    quick: seed(h, 'Orders enrichment', QUICK).id,
    busy: seed(h, 'Clickstream sessions (peak)', BUSY).id,
    pipeline: seed(h, 'Bids per auction — windowed', PIPELINE).id,
  };
  sessions = reusedSessions(h);
});
afterAll(async () => {
  await sessions?.close();
  await h?.close();
});
// One context for every case, each started as a fresh one would be (reusedSessions).
beforeEach(async () => {
  s = await sessions.open();
});

interface PageCase {
  name: string;
  /** Brings the page to the state to check; returns nothing, the page is left there. */
  open: (page: Page) => Promise<unknown>;
  status?: number;
  /** Scanned with axe at 390 px as well (pages whose phone layout differs from the desktop one). */
  phone?: boolean;
}

const PAGES: PageCase[] = [
  { name: 'home', open: (page) => page.goto('/') },
  { name: 'estimate', open: (page) => page.goto('/estimate') },
  {
    name: 'results',
    open: async (page) => {
      await page.goto('/estimate');
      await page.getByRole('button', { name: 'Estimate', exact: true }).first().click();
      await page.waitForLoadState('load');
    },
  },
  {
    name: 'estimate-invalid',
    status: 422,
    open: async (page) => {
      await page.goto('/estimate');
      await page.locator('input[name="recordsPerSecond"]').first().fill('-5');
      await page.getByRole('button', { name: 'Estimate', exact: true }).first().click();
      await page.waitForLoadState('load');
    },
  },
  { name: 'saved', phone: true, open: (page) => page.goto('/saved') },
  { name: 'saved-one', open: (page) => page.goto(`/saved/${ids.quick}`) },
  { name: 'saved-one-pipeline', open: (page) => page.goto(`/saved/${ids.pipeline}`) },
  { name: 'saved-rename', open: (page) => page.goto(`/saved/${ids.quick}/rename`) },
  {
    name: 'saved-rename-invalid',
    status: 422,
    open: async (page) => {
      await page.goto(`/saved/${ids.busy}/rename`);
      await page.getByLabel('Name', { exact: true }).fill(' ');
      await page.getByRole('button', { name: 'Rename' }).click();
      await page.waitForLoadState('load');
    },
  },
  { name: 'saved-delete', open: (page) => page.goto(`/saved/${ids.busy}/delete`) },
  {
    name: 'compare',
    phone: true,
    open: (page) => page.goto(`/saved/compare?ids=${ids.quick}&ids=${ids.busy}&ids=${ids.pipeline}`),
  },
  { name: 'memory', open: (page) => page.goto('/memory') },
  {
    name: 'memory-nested-yaml',
    phone: true,
    open: (page) =>
      page.goto(
        `/memory?${new URLSearchParams({ config: 'taskmanager:\n  numberOfTaskSlots: 2\n  memory:\n    process:\n      size: 4096m\n' })}`,
      ),
  },
  { name: 'error-404', status: 404, open: (page) => page.goto('/saved/no-such-estimation') },
];

describe('every page', () => {
  for (const c of PAGES) {
    it(`${c.name}: accessible, clean console, fits a phone`, async () => {
      const { page } = s;
      await c.open(page);
      // Screenshots (when asked for) first, so a failing page can still be looked at.
      await screenshots(page, c.name);
      expect(s.lastStatus()).toBe(c.status ?? 200);
      expect(await axeScan(page)).toEqual([]);
      if (c.phone) {
        await page.setViewportSize({ width: 390, height: 800 });
        expect(await axeScan(page), 'axe at 390 px').toEqual([]);
      }
      await page.setViewportSize({ width: 360, height: 800 });
      expect(await horizontalOverflow(page), 'page wider than a 360 px phone').toBeLessThanOrEqual(0);
      expect(s.problems).toEqual([]);
    });
  }
});
