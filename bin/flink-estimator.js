#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
// The CLI: the compiled build when there is one, otherwise the TypeScript source through tsx.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'cli.js');
const entry = existsSync(compiled) ? [compiled] : ['--import', 'tsx', join(root, 'src', 'cli.ts')];
const result = spawnSync(process.execPath, [...entry, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
