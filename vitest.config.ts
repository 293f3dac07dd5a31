import { defineConfig } from 'vitest/config';

/**
 * Three projects, each a folder of test/ (see docs/architecture.md, "Tests"):
 *   unit    — pure functions and modules, test/unit/ mirrors src/;
 *   http    — the app through app.inject (and the real server as a child process);
 *   browser — pages in a local Chromium through playwright-core; its global setup finds the
 *             browser (or installs Debian's) once, before any browser test file starts.
 * `vitest run --project unit` runs one of them; `npm test` runs all three.
 */
export default defineConfig({
  test: {
    // forks (the default) keeps better-sqlite3's native addon out of worker threads.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'http', include: ['test/http/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/support/browser-setup.ts'],
        },
      },
    ],
  },
});
