import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { run, table } from '../../src/cli.js';
import { estimate } from '../../src/estimator/index.js';
import { JobSpecSchema } from '../../src/jobspec/index.js';

const exec = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

/** Kafka 100k/s → keyBy → one-minute window aggregate → Kafka, on RocksDB. */
const SPEC = {
  flinkVersion: '1.20',
  pipeline: {
    sources: [{ id: 'clicks', kind: 'kafka', recordsPerSecond: 100000, avgRecordBytes: 500, partitions: 32 }],
    operators: [
      { id: 'parse', kind: 'map', inputs: ['clicks'] },
      {
        id: 'per-user-minute',
        kind: 'window-aggregate',
        inputs: ['parse'],
        window: { type: 'tumbling', sizeSeconds: 60 },
        distinctKeys: 2000000,
        stateBytesPerKey: 64,
      },
    ],
    sinks: [{ id: 'counts', kind: 'kafka', inputs: ['per-user-minute'] }],
  },
  state: { backend: 'rocksdb', checkpointIntervalSeconds: 60, incrementalCheckpoints: true },
};
const plan = estimate(JobSpecSchema.parse(SPEC));

let dir: string;
let specFile: string;
let badFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fe-cli-'));
  specFile = join(dir, 'spec.json');
  writeFileSync(specFile, JSON.stringify(SPEC));
  badFile = join(dir, 'bad.json');
  writeFileSync(
    badFile,
    JSON.stringify({
      workload: { sources: 1, operators: 1, sinks: 1, recordsPerSecond: -1, avgRecordBytes: 10 },
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The CLI as a separate process, from source through tsx: exit code and output. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: root,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('flink-estimator as a program', () => {
  it('prints a table with the TaskManager count, operators, memory and exits 0', async () => {
    const out = await cli('estimate', specFile, '--format', 'table');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(
      new RegExp(`^TaskManagers\\s+${plan.taskManagers.count} × ${plan.taskManagers.cpu} CPU × `, 'm'),
    );
    expect(out.stdout).toMatch(/^\s+per-user-minute\s+window-aggregate\s+100k rec\/s/m);
    expect(out.stdout).toContain(`${plan.taskManagers.memory.totalProcessMemory} bytes`);
    expect(out.stdout).toContain(`${plan.jobManager.memory.totalProcessMemory} bytes`);
  });

  it('exits 2 for a bad spec, naming the path of each invalid field on stderr', async () => {
    const out = await cli('estimate', badFile);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/^workload\.recordsPerSecond: /m);
  });

  it('runs through bin/flink-estimator.js, reading the spec from stdin with -', async () => {
    const child = execFile(process.execPath, [join(root, 'bin', 'flink-estimator.js'), 'estimate', '-']);
    child.stdin?.end(JSON.stringify(SPEC));
    let stdout = '';
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(JSON.parse(stdout).taskManagers.count).toBe(plan.taskManagers.count);
  });
});

describe('flink-estimator run()', () => {
  const none = () => '';
  it('prints the estimate as JSON by default', () => {
    const out = run(['estimate', '-'], () => JSON.stringify(SPEC));
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual(JSON.parse(JSON.stringify(plan)));
  });

  it('prints manifests that parse, with the options given', () => {
    const deployment = run(
      [
        'estimate',
        specFile,
        '--format',
        'flink-deployment',
        '--name',
        'Clicks',
        '--namespace',
        'streaming',
        '--image',
        'registry.example.com/clicks:1.0',
        '--jar-uri',
        's3://jobs/clicks.jar',
      ],
      none,
    );
    expect(deployment.code).toBe(0);
    expect(parse(deployment.stdout)).toMatchObject({
      kind: 'FlinkDeployment',
      metadata: { name: 'clicks', namespace: 'streaming' },
      spec: {
        image: 'registry.example.com/clicks:1.0',
        job: { jarURI: 's3://jobs/clicks.jar', parallelism: plan.parallelism.default },
      },
    });
    const config = run(['estimate', specFile, '--format', 'flink-config'], none);
    expect(parse(config.stdout)['taskmanager.memory.process.size']).toBe(
      plan.taskManagers.flinkConfig['taskmanager.memory.process.size'],
    );
  });

  it('prints a CMF FlinkApplication under the job name given', () => {
    const out = run(['estimate', specFile, '--format', 'cmf-application', '--job-name', 'clicks'], none);
    expect(out.code).toBe(0);
    expect(parse(out.stdout)).toMatchObject({ kind: 'FlinkApplication', metadata: { name: 'clicks' } });
  });

  it.each([
    [['estimate', '<spec>', '--format', 'xml'], /--format: one of json, table/],
    [['estimate', join('no', 'such.json')], /Cannot read/],
    [['estimate', '-'], /not valid JSON/],
    [['estimate'], /Usage: flink-estimator/],
    [['plan', '<spec>'], /Usage: flink-estimator/],
    [['estimate', '<spec>', '--unknown'], /Unknown option '--unknown'/],
    [
      ['estimate', '<spec>', '--namespace', 'Bad_NS'],
      /--namespace: Not a Kubernetes namespace: .*\(a DNS-1123 label\), got "Bad_NS"/,
    ],
    [
      ['estimate', '<spec>', '--job-name', '1abc'],
      /--job-name: Lower-case letters, digits and "-", starting with a letter/,
    ],
    [
      ['estimate', '<spec>', '--service-account', 'a b'],
      /--service-account: Not a Kubernetes service account name \(a DNS-1123 subdomain\)/,
    ],
  ])('exits 2 for %j', (args, message) => {
    const out = run(
      args.map((a) => (a === '<spec>' ? specFile : a)),
      () => '{not json',
    );
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints help and exits 0', () => {
    expect(run(['--help'], none)).toMatchObject({ code: 0, stdout: expect.stringContaining('--format') });
    expect(run(['estimate', '-h'], none).code).toBe(0);
  });

  it('lists warnings in the table', () => {
    const withWarning = {
      ...plan,
      warnings: [
        {
          code: 'PARALLELISM_EXCEEDS_PARTITIONS',
          severity: 'warning' as const,
          message: 'More subtasks than partitions.',
        },
      ],
    };
    expect(table(withWarning)).toMatch(
      /^Warnings\n {2}\[warning\] PARALLELISM_EXCEEDS_PARTITIONS: More subtasks/m,
    );
  });
});
