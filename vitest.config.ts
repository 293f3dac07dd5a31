import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Three projects, each a folder of test/ (see docs/architecture.md, "Tests"):
 *   unit    — pure functions and modules, test/unit/ mirrors src/;
 *   http    — the app through app.inject (and the built server as a child process; its global
 *             setup compiles dist/ once);
 *   browser — pages in a local Chromium through playwright-core; its global setup finds the
 *             browser (or installs Debian's) once, before any browser test file starts.
 * `vitest run --project unit` runs one of them; `npm test` runs all three.
 *
 * Timeouts are hang guards, not speed checks (speed is `npm run bench`'s job): generous enough
 * that a machine shared with other work never fails a correct test.
 */
export default defineConfig({
  test: {
    // forks (the default) keeps better-sqlite3's native addon out of worker threads.
    pool: 'forks',
    // Files share their worker's module graph (isolate: false) instead of importing the app afresh
    // per file: no test mocks modules or changes the environment, each builds its own app and
    // database (test/support/app.ts), and a file already builds many apps in one process. Measured
    // for the http project on this 2-core machine (load ~9): 143 s of CPU isolated, 93 s shared.
    isolate: false,
    // vitest's default is one worker fewer than the cores: a single worker on a 2-core machine,
    // which then idles one core while a browser test waits for Chromium. Left unset when the
    // command line gives --maxWorkers: each project copies this file's value (extends: true), and
    // vitest prefers a project's own value to the command line's, so `--maxWorkers=1` was ignored.
    maxWorkers: process.argv.some((arg) => arg.startsWith('--maxWorkers'))
      ? undefined
      : availableParallelism(),
    // The crash-safety test (two real servers, sixty saves) took 61 s on this 2-core machine at
    // a load average of 27; it passes in about 10 s when the machine is quiet.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Property tests check the same cases on every run (FAST_CHECK_SEED to change them).
    setupFiles: ['test/support/fast-check-seed.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'http',
          include: ['test/http/**/*.test.ts'],
          // dist/ once for the tests that start the built server (test/support/build-setup.ts).
          globalSetup: ['test/support/build-setup.ts'],
        },
      },
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
