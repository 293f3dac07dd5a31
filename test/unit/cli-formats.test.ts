import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { run } from '../../src/cli.js';
import { MANIFEST_FORMATS } from '../../src/exports/index.js';
import { hourlyWindowSpec } from '../fixtures/stateful-specs.js';
import { runScript } from '../support/scripts.js';

let dir: string;
let specFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flink-estimator-cli-'));
  specFile = join(dir, 'spec.json');
  writeFileSync(specFile, JSON.stringify(hourlyWindowSpec('1.20')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const none = () => '';

describe('the CLI’s --format covers every deployment target', () => {
  it.each(MANIFEST_FORMATS)('--format %s with --checkpoint-dir prints the file and no warning', (format) => {
    const out = run(
      ['estimate', specFile, '--format', format, '--checkpoint-dir', 's3://b/flink/clicks'],
      none,
    );
    expect(out).toMatchObject({ code: 0, stderr: '' });
    if (out.stdout.startsWith('#!/usr/bin/env bash')) {
      const script = runScript(out.stdout);
      if (format !== 'standalone')
        expect(script.dynamic['execution.checkpointing.dir']).toBe('s3://b/flink/clicks');
    } else {
      const doc = parse(out.stdout);
      const config = doc.spec?.flinkConfiguration ?? doc;
      expect(config['execution.checkpointing.dir']).toBe('s3://b/flink/clicks');
    }
  });

  it('warns on standard error when a stateful job has no checkpoint directory', () => {
    const out = run(['estimate', specFile, '--format', 'flink-deployment'], none);
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/^warning: No checkpoint directory: this job keeps /);
  });

  it('takes the YARN scheduler’s allocations as flags', () => {
    const out = run(
      [
        'estimate',
        specFile,
        '--format',
        'yarn-application',
        '--yarn-min-allocation-mb',
        '1024',
        '--yarn-max-allocation-mb',
        '1024',
        '--checkpoint-dir',
        'hdfs:///cp/',
      ],
      none,
    );
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(
      /^warning: TaskManager containers of \d+ MB exceed yarn\.scheduler\.maximum-allocation-mb \(1024 MB\)/,
    );
  });

  it.each([
    [['--format', 'mesos'], /--format mesos: Flink removed Mesos support in 1\.14.*Kubernetes.*YARN/],
    [['--checkpoint-dir', 'relative/dir'], /--checkpoint-dir: Not a storage URI/],
    [['--yarn-min-allocation-mb', 'lots'], /--yarn-min-allocation-mb: /],
  ])('exits 2 for %j', (args, message) => {
    const out = run(['estimate', specFile, ...args], none);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
  });
});

describe('the table', () => {
  it('shows what the job would cost on the managed platforms', () => {
    const out = run(['estimate', specFile, '--format', 'table'], none);
    const json = JSON.parse(run(['estimate', specFile], none).stdout);
    const aws = json.cost.platforms['aws-managed-flink'];
    expect(out.stdout).toMatch(new RegExp(`^AWS Managed Flink +${aws.kpus} KPUs, `, 'm'));
    expect(out.stdout).toMatch(/^Confluent Cloud +\d+–\d+ CFUs, .* \(heuristic\)$/m);
  });
});
