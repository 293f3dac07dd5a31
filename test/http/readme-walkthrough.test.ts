import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../support/server.js';

/**
 * The README's API walk-through, run as a user would: every ```sh block between the
 * `api:start`/`api:end` markers, in order, in one shell, against the real server (a child
 * process on a loopback port with a temporary database). Each curl call must answer the status
 * the README announces for it in a `# → NNN` comment, so the walk-through never goes stale.
 */
const root = join(import.meta.dirname, '..', '..');
const README_BASE = 'http://localhost:8080';

interface Block {
  script: string;
  expectedStatuses: number[];
}

/** The sh blocks of the README's API section, each with the statuses its comments announce. */
function walkthroughBlocks(readme: string): Block[] {
  const start = readme.indexOf('<!-- api:start -->');
  const end = readme.indexOf('<!-- api:end -->');
  if (start < 0 || end < start)
    throw new Error('README.md has no <!-- api:start --> … <!-- api:end --> section');
  const section = readme.slice(start, end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map(([, script = '']) => ({
    script,
    expectedStatuses: [...script.matchAll(/^\s*#.*→ (\d{3})\b/gm)].map((m) => Number(m[1])),
  }));
}

function requireCurl(): void {
  const probe = spawnSync('curl', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'The README walk-through test needs curl on the PATH (apt-get install curl); it runs the README commands as written.',
    );
  }
}

let server: ServerProcess | undefined;
let dir: string;

beforeAll(async () => {
  requireCurl();
  dir = mkdtempSync(join(tmpdir(), 'flink-estimator-readme-'));
  server = await startServer({ DATABASE_PATH: join(dir, 'readme.db') });
});

afterAll(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('README API walk-through', () => {
  it('extracts a walk-through with an announced status for every request', () => {
    const blocks = walkthroughBlocks(readFileSync(join(root, 'README.md'), 'utf8'));
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    const all = blocks.map((b) => b.script).join('\n');
    for (const step of ['/api/v1/estimates', '/api/v1/estimations', 'PATCH', 'DELETE', 'If-Match', 'q=']) {
      expect(all).toContain(step);
    }
    expect(all).toContain(README_BASE);
  });

  it('runs every command against a live server with the announced statuses', () => {
    const url = server?.url ?? '';
    const blocks = walkthroughBlocks(readFileSync(join(root, 'README.md'), 'utf8'));
    const dumps = join(dir, 'headers');
    // One shell, so variables (LOCATION, ETAG) carry from block to block as in a terminal. curl is
    // wrapped only to record each response's headers; the commands themselves are the README's.
    const script = [
      'set -eu',
      `mkdir -p '${dumps}'`,
      // The call counter lives in a file: `X=$(curl …)` runs curl in a subshell.
      `curl() { __n=$(( $(cat '${dumps}/n') + 1 )); echo "$__n" > '${dumps}/n'; command curl -D "${dumps}/$__block-$(printf %03d "$__n").txt" "$@"; }`,
      ...blocks.flatMap((block, i) => [
        `__block=${String(i).padStart(2, '0')}; echo 0 > '${dumps}/n'`,
        block.script.replaceAll(README_BASE, url),
        `echo "::block ${i} ok"`,
      ]),
    ].join('\n');
    const run = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    // Enough of the end of the output to see which command failed, without pages of estimates.
    const output = `${run.stdout}\n${run.stderr}`;
    const tail = output.slice(-3000);
    expect(run.status, `the walk-through failed:\n${tail}`).toBe(0);

    const files = readdirSync(dumps)
      .filter((f) => f.endsWith('.txt'))
      .sort();
    blocks.forEach((block, i) => {
      expect(output).toContain(`::block ${i} ok`);
      const statuses = files
        .filter((f) => f.startsWith(`${String(i).padStart(2, '0')}-`))
        .map((f) => Number(/^HTTP\/[\d.]+ (\d{3})/m.exec(readFileSync(join(dumps, f), 'utf8'))?.[1]));
      expect(statuses, `block ${i}:\n${block.script}\noutput:\n${tail}`).toEqual(block.expectedStatuses);
    });
  });
});
