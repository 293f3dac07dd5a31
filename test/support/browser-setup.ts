/**
 * Global setup of the browser project: bundles the page scripts built from src/ (`npm run
 * build:browser`, as `npm start` does), finds Chromium, or installs Debian's, once before the
 * browser test files start (an install can outlast a hook's timeout), and launches it once for the
 * whole run. Each test file connects to that one browser (./browser.ts) and opens contexts of its
 * own, which share no cookies or storage, instead of paying a Chromium start per file.
 * A missing browser fails the run with one line saying how to get it; the tests are never skipped.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { MissingProgramError, requireProgram } from './programs.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The WebSocket address of the run's Chromium (playwright's browser server). */
    chromiumEndpoint: string;
  }
}

const root = join(import.meta.dirname, '..', '..');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // A failed bundle fails the run here, with esbuild's message, not as a missing script per page.
  const bundled = promisify(execFile)('npm', ['run', '--silent', 'build:browser'], { cwd: root });
  let executablePath: string;
  try {
    [executablePath] = await Promise.all([requireProgram('chromium'), bundled]);
  } catch (error) {
    if (!(error instanceof MissingProgramError)) throw error;
    // One line, without a stack: the message says what to do.
    error.stack = `${error.name}: ${error.message}`;
    throw error;
  }
  const server = await chromium.launchServer({
    executablePath,
    headless: true,
    // Headless in a container (no sandbox, no GPU), nothing fetched from outside.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  project.provide('chromiumEndpoint', server.wsEndpoint());
  return () => server.close();
}
