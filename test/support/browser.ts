/**
 * Browser-test plumbing: the run's one local Chromium (found or installed by ./programs.ts, never
 * downloaded by playwright; launched once by ./browser-setup.ts) driven by playwright-core, a real
 * server on a loopback port, a fresh context per test, and the checks every page gets — no console errors or CSP violations, an axe-core scan —
 * plus screenshots at desktop and phone width when SCREENSHOTS names a directory.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import axe from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import { buildTestApp, type TestApp } from './app.js';

/**
 * Where screenshots go: the directory SCREENSHOTS names (`SCREENSHOTS=shots npm run test:browser`),
 * or undefined — then no test takes any, as a full-page screenshot costs seconds and asserts nothing.
 */
export const SCREENSHOT_DIR = process.env.SCREENSHOTS ? resolve(process.env.SCREENSHOTS) : undefined;

/** How long one Playwright step may wait; the test timeout (vitest.config.ts) is 180 s. */
const STEP_TIMEOUT_MS = 90_000;

/**
 * Connects to the run's one Chromium, launched by the browser project's global setup
 * (./browser-setup.ts), which also fails the run when no browser can be found or installed.
 */
export function connectBrowser(): Promise<Browser> {
  return chromium.connect(inject('chromiumEndpoint'));
}

export interface Harness {
  browser: Browser;
  t: TestApp;
  baseURL: string;
  close: () => Promise<void>;
}

/** A connection to the run's browser and one listening app (temporary database) per test file. */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const t = await buildTestApp(env);
  let browser: Browser | undefined;
  try {
    const baseURL = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await connectBrowser();
    const opened = browser;
    return {
      browser: opened,
      t,
      baseURL,
      close: async () => {
        await opened.close();
        await t.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await t.close();
    throw error;
  }
}

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught exceptions, CSP violations and failed sub-resources seen so far. */
  problems: string[];
  /** HTTP status of the last page (document) the tab loaded. */
  lastStatus: () => number | undefined;
}

/**
 * A fresh browser context (own cookies) and page, watched for anything a user's console would
 * show in red. `javaScriptEnabled: false` runs the same pages as a browser without JavaScript.
 */
export async function openSession(
  h: Harness,
  options: { javaScriptEnabled?: boolean; width?: number } = {},
): Promise<Session> {
  const context = await h.browser.newContext({
    baseURL: h.baseURL,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: { width: options.width ?? 1280, height: 900 },
  });
  // A hang guard, not a speed check: a step that waits for something the page never shows fails
  // with Playwright's own message (which locator, which URL) shortly before the test's timeout
  // would. It used to be 5 s, and on a loaded machine loading /docs (Swagger UI's bundle) alone
  // took longer, failing a correct page now and then.
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    // Chromium reports every 4xx/5xx response as a console error, including the 404 page and a
    // re-rendered 422 form, which are answers by design; sub-resources are checked on 'response'.
    if (
      message.type() !== 'error' ||
      message.text().startsWith('Failed to load resource: the server responded')
    )
      return;
    problems.push(`console error on ${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught exception on ${page.url()}: ${error.message}`));
  let lastStatus: number | undefined;
  page.on('response', (response) => {
    const request = response.request();
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) lastStatus = response.status();
    // Error pages answer 4xx on purpose; a stylesheet, script or image that fails never should.
    if (response.status() >= 400 && response.request().resourceType() !== 'document') {
      problems.push(`${response.status()} for ${response.url()}`);
    }
  });
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? 'failed';
    // A navigation that replaces the page aborts what the old page still loaded; that is not an error.
    if (reason !== 'net::ERR_ABORTED') problems.push(`request failed: ${request.url()} (${reason})`);
  });
  if (options.javaScriptEnabled !== false) {
    // Chromium also logs CSP violations to the console; this names the directive as well.
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(
          `CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline code'}`,
        );
      });
    });
  }
  return { context, page, problems, lastStatus: () => lastStatus };
}

/**
 * Sessions for one test file that reuse a browser context per JavaScript setting instead of a new
 * context per test: a context costs Chromium about 1.4 s of CPU (measured on this 2-core machine),
 * more than most tests' navigation. `open` hands the context back as a new one would be: no
 * cookies (the pages keep no web storage), the width asked for, no problems recorded. A listener a
 * test adds to the page outlives the test, so a test that adds one removes it.
 */
export function reusedSessions(h: Harness): {
  open: (options?: { javaScriptEnabled?: boolean; width?: number }) => Promise<Session>;
  close: () => Promise<void>;
} {
  const opened = new Map<boolean, Session>();
  return {
    open: async (options = {}) => {
      const javaScriptEnabled = options.javaScriptEnabled ?? true;
      const width = options.width ?? 1280;
      let session = opened.get(javaScriptEnabled);
      if (!session) {
        session = await openSession(h, { javaScriptEnabled, width });
        opened.set(javaScriptEnabled, session);
      } else {
        await session.context.clearCookies();
        await session.page.setViewportSize({ width, height: 900 });
        session.problems.length = 0;
      }
      return session;
    },
    close: async () => {
      for (const session of opened.values()) await session.context.close();
      opened.clear();
    },
  };
}

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules and best practices) on the current page and returns
 * the serious and critical findings. The script is evaluated through the DevTools protocol, which
 * the page's CSP (no inline script) does not govern, so the page is scanned exactly as served.
 */
export async function axeScan(page: Page): Promise<AxeFinding[]> {
  await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const runner = (window as unknown as { axe: typeof axe }).axe;
    const result = await runner.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact ?? '',
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
      }));
  });
}

/**
 * Full-page screenshots at desktop (1280 px) and phone (390 px) width, for a person to look at,
 * written to SCREENSHOT_DIR; returns their paths, or [] (and takes none) when SCREENSHOTS is unset.
 */
export async function screenshots(page: Page, name: string): Promise<string[]> {
  if (!SCREENSHOT_DIR) return [];
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const original = page.viewportSize();
  const paths: string[] = [];
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const path = join(SCREENSHOT_DIR, `${name}-${width}.png`);
    await page.screenshot({ path, fullPage: true });
    paths.push(path);
  }
  if (original) await page.setViewportSize(original);
  return paths;
}

/** The width the page's content needs beyond the viewport (0 when nothing scrolls sideways). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** An element's text with whitespace collapsed, as a reader (or screen reader) meets it. */
export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** The collapsed text of every element a locator matches. */
export async function textsOf(locator: Locator): Promise<string[]> {
  return (await locator.allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
}

/**
 * The set-up the page suites share: one harness for the file, one reused context per JavaScript
 * setting (reusedSessions), and after each test no console error, CSP violation or failed request
 * on the sessions it used. `watch` adds a session opened another way (openSession).
 */
export function browserSuite(): {
  readonly harness: Harness;
  open: (options?: { javaScriptEnabled?: boolean; width?: number }) => Promise<Session>;
  watch: (session: Session) => Session;
} {
  let harness: Harness | undefined;
  let sessions: ReturnType<typeof reusedSessions> | undefined;
  const watched = new Set<Session>();
  beforeAll(async () => {
    harness = await startHarness();
    sessions = reusedSessions(harness);
  });
  afterAll(async () => {
    await sessions?.close();
    await harness?.close();
  });
  afterEach(() => {
    const problems = [...watched].flatMap((session) => session.problems);
    watched.clear();
    expect(problems, 'console errors, CSP violations or failed requests').toEqual([]);
  });
  const watch = (session: Session) => {
    watched.add(session);
    return session;
  };
  const started = () => {
    if (!harness || !sessions) throw new Error('the harness starts in beforeAll');
    return { harness, sessions };
  };
  return {
    get harness() {
      return started().harness;
    },
    open: async (options) => watch(await started().sessions.open(options)),
    watch,
  };
}
