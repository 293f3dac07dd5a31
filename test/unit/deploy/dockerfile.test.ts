import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';

const root = join(import.meta.dirname, '..', '..', '..');
// Join continuation lines, drop comments: one instruction per entry.
const instructions = readFileSync(join(root, 'Dockerfile'), 'utf8')
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
const stages: string[][] = [];
for (const line of instructions) {
  if (/^FROM\s/i.test(line)) stages.push([]);
  stages.at(-1)?.push(line);
}
const runtime = stages.at(-1) ?? [];
const args = Object.fromEntries(
  instructions.filter((l) => l.startsWith('ARG ')).map((l) => l.slice(4).split('=') as [string, string]),
);
const baseOf = (stage: string[]) =>
  (stage[0]?.split(/\s+/)[1] ?? '').replace(/\$\{(\w+)\}/, (_, name) => args[name] ?? '');

describe('Dockerfile', () => {
  it('builds in one stage and runs in another on the same slim base', () => {
    expect(stages.length).toBe(2);
    expect(baseOf(stages[0] ?? [])).toBe(baseOf(runtime));
    expect(baseOf(runtime)).toMatch(/^node:\d+-\w+-slim$/);
  });

  it('compiles in the build stage and ships only production dependencies', () => {
    const build = (stages[0] ?? []).join('\n');
    expect(build).toMatch(/npm ci/);
    expect(build).toMatch(/npm run build/);
    expect(build).toMatch(/npm prune --omit=dev/);
    expect(build).toMatch(/python3 make g\+\+/);
  });

  it('copies the compiled app, templates and assets into the runtime', () => {
    const copies = runtime.filter((l) => l.startsWith('COPY')).join('\n');
    for (const path of ['dist', 'views', 'public', 'node_modules']) expect(copies).toContain(`./${path}`);
  });

  it('runs as a non-root user under tini with an exec-form node command', () => {
    expect(runtime.find((l) => l.startsWith('USER'))).toMatch(/^USER (node|\d{3,})$/);
    expect(runtime).toContain('ENTRYPOINT ["/usr/bin/tini", "--"]');
    expect(runtime).toContain('CMD ["node", "--max-semi-space-size=4", "dist/server.js"]');
    expect(instructions.join('\n')).not.toMatch(/npm start/);
  });

  it('exposes the default port, keeps the database on /data and checks /healthz', () => {
    expect(runtime).toContain(`EXPOSE ${loadConfig({}).PORT}`);
    expect(runtime.join('\n')).toMatch(/DATABASE_PATH=\/data\//);
    expect(runtime.join('\n')).toContain('VOLUME ["/data"]');
    const health = runtime.find((l) => l.startsWith('HEALTHCHECK')) ?? '';
    expect(health).toContain('/healthz');
    expect(health).toContain('CMD ["node"');
  });

  it('keeps dependencies and history out of the build context', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', '.git', 'dist', 'data']) expect(ignored).toContain(entry);
  });
});
