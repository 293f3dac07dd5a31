/**
 * Global setup of the browser project: finds Chromium, or installs Debian's, once before the
 * browser test files start (an install can outlast a hook's timeout). A missing browser fails the
 * run with one line saying how to get it; the browser tests are never skipped.
 */
import { MissingProgramError, requireProgram } from './programs.js';

export default async function setup(): Promise<void> {
  try {
    await requireProgram('chromium');
  } catch (error) {
    if (!(error instanceof MissingProgramError)) throw error;
    // One line, without a stack: the message says what to do.
    error.stack = `${error.name}: ${error.message}`;
    throw error;
  }
}
