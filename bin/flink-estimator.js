#!/usr/bin/env node
// The flink-estimator command: the compiled CLI (npm run build) when there is one, otherwise the
// TypeScript source run through tsx (node --import tsx), e.g. in a fresh checkout.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'cli.js');
const cli = existsSync(compiled) ? await import(pathToFileURL(compiled).href) : undefined;

if (cli && typeof cli.main === 'function') {
  cli.main(process.argv.slice(2));
} else {
  const source = join(root, 'src', 'cli.ts');
  const result = spawnSync(process.execPath, ['--import', 'tsx', source, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exitCode = result.status ?? 1;
}
