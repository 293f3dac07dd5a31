/**
 * Global setup of the http project: compiles the app into dist/ once, as `npm run build` does
 * (tsc for src/, esbuild for the SQL parser's worker bundle), for the tests that start the built
 * server the way `npm start` and the image do (./server.ts and the intake build smoke test).
 *
 * tsc runs with --noCheck: `npm test` has already type-checked src/ (`npm run typecheck` covers
 * it), and tsc writes the same JavaScript with or without the check, so checking again here would
 * only double the compile time.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

export default async function setup(): Promise<void> {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  await Promise.all([
    run(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--noCheck'], { cwd: root }),
    run('npm', ['run', '--silent', 'build:parser'], { cwd: root }),
  ]);
}
