import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { run } from '../src/cli.js';
import { PRESETS } from '../src/forms/presets.js';

const exec = promisify(execFile);
let dir: string;
let specFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fe-cli-'));
  specFile = join(dir, 'spec.json');
  writeFileSync(specFile, JSON.stringify(PRESETS[0]?.spec));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('flink-estimator CLI', () => {
  it('prints a human table with the TaskManager count', () => {
    const out = run(['estimate', specFile, '--format', 'table'], () => '');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^TaskManagers\s+\d+ × /m);
    expect(out.stdout).toContain('per-user-minute');
  });

  it('prints the estimate as JSON by default, reading stdin with -', () => {
    const out = run(['estimate', '-'], () => JSON.stringify(PRESETS[1]?.spec));
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout).taskManagers.count).toBeGreaterThan(0);
  });

  it('prints a FlinkDeployment that parses', () => {
    const out = run(
      ['estimate', specFile, '--format', 'flink-deployment', '--name', 'Clicks', '--namespace', 'streaming'],
      () => '',
    );
    expect(out.code).toBe(0);
    expect(parse(out.stdout)).toMatchObject({
      kind: 'FlinkDeployment',
      metadata: { name: 'clicks', namespace: 'streaming' },
    });
  });

  it('exits 2 with the path of each invalid field', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        workload: { sources: 1, operators: 1, sinks: 1, recordsPerSecond: -1, avgRecordBytes: 10 },
      }),
    );
    const out = run(['estimate', bad], () => '');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('workload.recordsPerSecond');
  });

  it('exits 2 for an unknown format or missing file, and 0 for --help', () => {
    expect(run(['estimate', specFile, '--format', 'xml'], () => '').code).toBe(2);
    expect(run(['estimate', join(dir, 'missing.json')], () => '').code).toBe(2);
    expect(run(['--help'], () => '')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('Usage: flink-estimator'),
    });
  });

  it('runs as a program through bin/flink-estimator.js', async () => {
    const { stdout } = await exec(process.execPath, [
      join(import.meta.dirname, '..', 'bin', 'flink-estimator.js'),
      'estimate',
      specFile,
      '--format',
      'flink-config',
    ]);
    expect(stdout).toContain('taskmanager.memory.process.size');
    await expect(
      exec(process.execPath, [join(import.meta.dirname, '..', 'bin', 'flink-estimator.js'), 'estimate']),
    ).rejects.toMatchObject({ code: 2 });
  });
});
