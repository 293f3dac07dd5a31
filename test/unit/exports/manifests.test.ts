import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { estimate } from '../../../src/estimator/index.js';
import { deriveJobManager, deriveTaskManager, parseMemorySize } from '../../../src/estimator/memory/index.js';
import {
  configFileOptions,
  foreignKeys,
  keysForVersion,
  MANIFEST_FORMATS,
  renderManifest,
  slugName,
} from '../../../src/exports/index.js';
import { type JobSpecInput, JobSpecSchema } from '../../../src/jobspec/index.js';
import type { Estimate } from '../../../src/schemas/estimate.js';
import { FlinkApplicationSchema, FlinkDeploymentSchema } from '../../support/flinkdeployment-schema.js';

/** The realistic job: Kafka 100k/s → keyBy → one-minute window aggregate → Kafka, on RocksDB. */
const clickstream = (flinkVersion: string, backend: 'rocksdb' | 'hashmap' = 'rocksdb'): JobSpecInput =>
  ({
    flinkVersion,
    pipeline: {
      sources: [
        { id: 'clicks', kind: 'kafka', recordsPerSecond: 100000, avgRecordBytes: 500, partitions: 32 },
      ],
      operators: [
        { id: 'parse', kind: 'map', inputs: ['clicks'] },
        {
          id: 'per-user-minute',
          kind: 'window-aggregate',
          inputs: ['parse'],
          window: { type: 'tumbling', sizeSeconds: 60 },
          distinctKeys: 2000000,
          stateBytesPerKey: 64,
          outputRatio: 0.2,
        },
      ],
      sinks: [{ id: 'counts', kind: 'kafka', inputs: ['per-user-minute'] }],
    },
    state: {
      backend,
      checkpointIntervalSeconds: 60,
      incrementalCheckpoints: true,
      unalignedCheckpoints: true,
    },
  }) as JobSpecInput;

const quick = (flinkVersion: string, backend: 'rocksdb' | 'hashmap'): JobSpecInput =>
  ({
    flinkVersion,
    workload: {
      sources: 2,
      operators: 4,
      sinks: 1,
      recordsPerSecond: 50000,
      avgRecordBytes: 512,
      statefulOperators: 1,
      distinctKeys: 100000,
      stateBytesPerKey: 200,
    },
    state: { backend },
  }) as JobSpecInput;

const VERSIONS = ['1.18', '1.19', '1.20', '2.0', '2.1'] as const;
const cases: [string, JobSpecInput][] = [
  ...VERSIONS.map((v) => [`clickstream ${v} rocksdb`, clickstream(v)] as [string, JobSpecInput]),
  ...VERSIONS.map((v) => [`quick ${v} hashmap`, quick(v, 'hashmap')] as [string, JobSpecInput]),
  ['clickstream 1.20 hashmap', clickstream('1.20', 'hashmap')],
  ['quick 2.0 rocksdb', quick('2.0', 'rocksdb')],
  [
    'quick 1.18 with a fixed 4g TaskManager',
    {
      flinkVersion: '1.18',
      workload: { sources: 1, operators: 1, sinks: 1, recordsPerSecond: 1000, avgRecordBytes: 100 },
      cluster: { taskManagerMemory: '4g', taskManagerCpu: 2 },
    } as JobSpecInput,
  ],
];

const plan = (input: JobSpecInput) => {
  const spec = JobSpecSchema.parse(input);
  return { spec, estimate: estimate(spec) };
};

const numbers = (o: object) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Number(v)]));

/**
 * What the operator does with resource.memory (FlinkConfigBuilder → parseResourceMemoryString):
 * Flink's MemorySize first. We require that path, so a value that would fall through to a
 * Kubernetes Quantity (e.g. "1.5g" = 1.5 × 10⁹) fails here.
 */
function operatorProcessSize(memory: string): string {
  expect(memory).toMatch(/^\d+[gmkb]?$/);
  return String(parseMemorySize(memory));
}

/** Flink 1.18's legacy flink-conf.yaml reader (GlobalConfiguration.loadYAMLResource), re-derived. */
function legacyRead(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const conf = (line.split('#', 1)[0] ?? '').trim();
    if (conf === '') continue;
    const at = conf.indexOf(': ');
    expect(at, `line without ": " ${JSON.stringify(line)}`).toBeGreaterThan(0);
    out[conf.slice(0, at).trim()] = conf.slice(at + 2).trim();
  }
  return out;
}

describe.each(cases)('%s', (_label, input) => {
  const { spec, estimate: e } = plan(input);

  it('gives a FlinkDeployment that fits the CRD schema and derives to the plan’s memory, byte for byte', () => {
    const out = renderManifest('flink-deployment', { spec, estimate: e, name: 'Orders pipeline' });
    const resource = FlinkDeploymentSchema.parse(parse(out.yaml));
    expect(parse(out.yaml)).toEqual(out.json);
    const s = resource.spec;
    expect(s.image).toBe(`flink:${e.flinkVersion}`);
    expect(s.flinkVersion).toBe(`v${e.flinkVersion.replace('.', '_')}`);
    expect(s.serviceAccount).toBe('flink');
    expect(s.jobManager?.replicas).toBe(1);
    expect(s.taskManager?.replicas).toBeUndefined();
    expect(s.job).toEqual({
      jarURI: 'local:///opt/flink/usrlib/job.jar',
      parallelism: e.parallelism.default,
      upgradeMode: 'stateless',
      state: 'running',
    });
    const config = s.flinkConfiguration ?? {};
    expect(config).not.toHaveProperty('taskmanager.memory.process.size');
    expect(config).not.toHaveProperty('jobmanager.memory.process.size');
    expect(config['taskmanager.numberOfTaskSlots']).toBe(String(e.taskManagers.slotsPerTaskManager));
    expect(config['parallelism.default']).toBe(String(e.parallelism.default));
    // The operator's TaskManager count, ⌈parallelism ÷ slots⌉, is the plan's.
    expect(Math.ceil(e.parallelism.default / e.taskManagers.slotsPerTaskManager)).toBe(e.taskManagers.count);

    // The configuration FlinkConfigBuilder gives the pods: flinkConfiguration plus the resources.
    const tmResource = s.taskManager?.resource;
    const jmResource = s.jobManager?.resource;
    if (!tmResource || !jmResource) throw new Error('resources missing');
    expect(tmResource.cpu).toBe(e.taskManagers.cpu);
    expect(jmResource.cpu).toBe(e.jobManager.cpu);
    const tm = deriveTaskManager(
      {
        ...config,
        'taskmanager.memory.process.size': operatorProcessSize(tmResource.memory),
        'kubernetes.taskmanager.cpu.amount': String(tmResource.cpu),
      },
      e.flinkVersion,
    );
    const jm = deriveJobManager(
      {
        ...config,
        'jobmanager.memory.process.size': operatorProcessSize(jmResource.memory),
        'kubernetes.jobmanager.cpu.amount': String(jmResource.cpu),
      },
      e.flinkVersion,
    );
    if (!tm.valid || !jm.valid) throw new Error('Flink rejects the derived configuration');
    expect(numbers(tm.plan.memory)).toEqual(e.taskManagers.memory);
    expect(numbers(jm.plan.memory)).toEqual(e.jobManager.memory);
  });

  it('gives a CMF FlinkApplication with the same spec, an example image and the submit commands', () => {
    const out = renderManifest('cmf-application', { spec, estimate: e, name: 'Orders pipeline' });
    const resource = FlinkApplicationSchema.parse(parse(out.yaml));
    expect(parse(out.yaml)).toEqual(out.json);
    const deployment = FlinkDeploymentSchema.parse(
      parse(renderManifest('flink-deployment', { spec, estimate: e, name: 'Orders pipeline' }).yaml),
    );
    expect({ ...resource.spec, image: '' }).toEqual({ ...deployment.spec, image: '' });
    expect(resource.metadata.name).toBe('orders-pipeline');
    expect(resource.spec.image).toBe(`confluentinc/cp-flink:${e.flinkVersion}.0-cp1`);
    expect(out.yaml).toMatch(/# example tag .*\n\s+image: confluentinc\/cp-flink:/);
    expect(out.commands).toEqual([
      'confluent flink application create --environment <environment> orders-pipeline-cmf-application.yaml',
      "curl -X POST -H 'Content-Type: application/json' http://<cmf-host>:8080/cmf/api/v1/environments/<environment>/applications -d @orders-pipeline-cmf-application.json",
    ]);
  });

  it('gives a Flink configuration file Flink reads back as the plan, with a comment on each line', () => {
    const out = renderManifest('flink-config', { spec, estimate: e });
    const expected = configFileOptions(e);
    let read: Record<string, string>;
    if (e.flinkVersion === '1.18') {
      expect(out.filename).toBe('flink-conf.yaml');
      read = legacyRead(out.yaml);
    } else {
      expect(out.filename).toBe('config.yaml');
      const parsed: Record<string, unknown> = parse(out.yaml);
      // Every value stays a string: YAML never turns "true" or "4.0" into another type.
      for (const value of Object.values(parsed)) expect(typeof value).toBe('string');
      read = parsed as Record<string, string>;
    }
    expect(read).toEqual(expected);
    expect(read['parallelism.default']).toBe(String(e.parallelism.default));
    expect(read['pipeline.max-parallelism']).toBe(String(e.parallelism.max));
    expect(read['taskmanager.numberOfTaskSlots']).toBe(String(e.taskManagers.slotsPerTaskManager));
    expect(read['state.backend.type']).toBe(e.state.backend);
    expect(read['kubernetes.taskmanager.cpu.amount']).toBe(String(e.taskManagers.cpu));
    expect(read['kubernetes.jobmanager.cpu.amount']).toBe(String(e.jobManager.cpu));
    expect(read['state.backend.rocksdb.memory.managed']).toBe(
      e.state.backend === 'rocksdb' ? 'true' : undefined,
    );
    for (const key of Object.keys(e.flinkConfig)) expect(Object.keys(read)).toContain(key);

    const tm = deriveTaskManager(read, e.flinkVersion);
    const jm = deriveJobManager(read, e.flinkVersion);
    if (!tm.valid || !jm.valid) throw new Error('Flink rejects the file');
    expect(numbers(tm.plan.memory)).toEqual(e.taskManagers.memory);
    expect(numbers(jm.plan.memory)).toEqual(e.jobManager.memory);

    const lines = out.yaml.split('\n');
    for (const key of Object.keys(expected)) {
      const at = lines.findIndex((line) => line.startsWith(`${key}: `));
      expect(lines[at - 1], `comment above ${key}`).toMatch(/^# \S/);
    }
  });

  it('spells every option as its Flink version reads it', () => {
    const config = configFileOptions(e);
    for (const key of foreignKeys(e.flinkVersion)) expect(config).not.toHaveProperty(key);
    if (e.state.backend === 'rocksdb') {
      const key =
        e.flinkVersion === '1.18' || e.flinkVersion === '1.19'
          ? 'state.backend.incremental'
          : 'execution.checkpointing.incremental';
      expect(config[key]).toBe('true');
    }
  });
});

describe('option names per Flink version', () => {
  const options = {
    'state.backend.incremental': 'true',
    'state.checkpoints.dir': 's3://b/cp',
    'execution.checkpointing.unaligned.enabled': 'true',
    'state.backend': 'rocksdb',
  };
  it('maps to the 1.20 names for 2.0, which no longer reads the old ones', () => {
    expect(keysForVersion(options, '2.0')).toEqual({
      'execution.checkpointing.incremental': 'true',
      'execution.checkpointing.dir': 's3://b/cp',
      'execution.checkpointing.unaligned.enabled': 'true',
      'state.backend.type': 'rocksdb',
    });
  });
  it('maps back to the old names for 1.18, which has no execution.checkpointing.incremental', () => {
    expect(keysForVersion(options, '1.18')).toEqual({
      'state.backend.incremental': 'true',
      'state.checkpoints.dir': 's3://b/cp',
      'execution.checkpointing.unaligned': 'true',
      'state.backend': 'rocksdb',
    });
  });
  it('keeps the native key when both spellings are present', () => {
    expect(
      keysForVersion(
        { 'state.backend.incremental': 'false', 'execution.checkpointing.incremental': 'true' },
        '1.20',
      ),
    ).toEqual({ 'execution.checkpointing.incremental': 'true' });
  });
  it('gives 1.18, 1.20 and 2.0 files their own checkpointing keys', () => {
    const files = Object.fromEntries(
      (['1.18', '1.20', '2.0'] as const).map((v) => {
        const { spec, estimate: e } = plan(clickstream(v));
        return [v, renderManifest('flink-config', { spec, estimate: e }).yaml];
      }),
    );
    expect(files['1.18']).toMatch(/^state\.backend\.incremental: true$/m);
    expect(files['1.18']).toMatch(/^execution\.checkpointing\.unaligned: true$/m);
    expect(files['1.18']).not.toContain('execution.checkpointing.incremental');
    for (const v of ['1.20', '2.0']) {
      expect(files[v]).toMatch(/^execution\.checkpointing\.incremental: "true"$/m);
      expect(files[v]).toMatch(/^execution\.checkpointing\.unaligned\.enabled: "true"$/m);
      expect(files[v]).not.toContain('state.backend.incremental');
    }
  });
  it('switches upgradeMode to last-state once a checkpoint directory is configured', () => {
    const { spec, estimate: e } = plan(clickstream('2.0'));
    const withDir: Estimate = {
      ...e,
      flinkConfig: { ...e.flinkConfig, 'state.checkpoints.dir': 's3://bucket/cp' },
    };
    const resource = FlinkDeploymentSchema.parse(
      parse(renderManifest('flink-deployment', { spec, estimate: withDir }).yaml),
    );
    expect(resource.spec.job?.upgradeMode).toBe('last-state');
    expect(resource.spec.flinkConfiguration?.['execution.checkpointing.dir']).toBe('s3://bucket/cp');
    expect(resource.spec.flinkConfiguration).not.toHaveProperty('state.checkpoints.dir');
  });
});

describe('the FlinkDeployment explains itself', () => {
  const { spec, estimate: e } = plan(clickstream('1.20'));
  const out = renderManifest('flink-deployment', { spec, estimate: e });
  const doc = parseDocument(out.yaml);
  it('says why taskManager.replicas is left out, with the TaskManager count the operator derives', () => {
    expect(out.yaml).toMatch(
      new RegExp(
        `# no replicas on purpose: .*= ${e.taskManagers.count} TaskManager[\\s\\S]*\\n  taskManager:`,
      ),
    );
    expect(doc.errors).toEqual([]);
  });
  it('marks the placeholders: default image, jar path, stateless upgrades', () => {
    expect(out.yaml).toMatch(/# default image .*\n\s+image: flink:1\.20\n/);
    expect(out.yaml).toMatch(/# placeholder.*\n\s+jarURI: local:\/\/\/opt\/flink\/usrlib\/job\.jar\n/);
    expect(out.yaml).toMatch(/# stateless: .*\n\s+upgradeMode: stateless\n/);
  });
});

describe('files are safe whatever the name', () => {
  const { spec, estimate: e } = plan(clickstream('1.20'));
  it.each([
    '"; rm -rf /',
    '{{ 7*7 }}',
    'a: b\nc: d',
    'a: b\nkind: Secret',
    '\u202Egnp.exe',
    '../../etc/passwd',
    '# comment\n---\n- x',
    'x'.repeat(10_000),
    '',
  ])('%j yields a valid resource name and unchanged structure', (name) => {
    for (const format of ['flink-deployment', 'cmf-application'] as const) {
      const out = renderManifest(format, { spec, estimate: e, name });
      const resource = parse(out.yaml);
      (format === 'flink-deployment' ? FlinkDeploymentSchema : FlinkApplicationSchema).parse(resource);
      expect(resource.metadata.name).toMatch(/^[a-z]([-a-z0-9]*[a-z0-9])?$/);
      expect(resource.metadata.name.length).toBeGreaterThanOrEqual(4);
      expect(resource.metadata.name.length).toBeLessThanOrEqual(45);
      expect(Object.keys(resource)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
      // Each format has its own name, so both files of one job can sit side by side.
      expect(out.filename).toBe(
        `${resource.metadata.name}-${format === 'flink-deployment' ? 'flinkdeployment' : 'cmf-application'}.yaml`,
      );
      // Deterministic: the same name gives the same resource name.
      expect(renderManifest(format, { spec, estimate: e, name }).filename).toBe(out.filename);
    }
  });

  it('derives readable names', () => {
    expect(slugName('Orders pipeline')).toBe('orders-pipeline');
    expect(slugName('Zürich Clicks (v2)')).toBe('zurich-clicks-v2');
    expect(slugName('2024 Orders')).toBe('orders');
    expect(slugName('ab')).toBe('ab-job');
    expect(slugName('日本語')).toBe('flink-job');
    expect(slugName(undefined)).toBe('flink-job');
    expect(slugName(`${'a'.repeat(44)}-b`)).toBe('a'.repeat(44));
  });

  it('uses the options the user gives, quoted by YAML whatever they hold', () => {
    const options = {
      image: 'registry.example.com/job:1.0',
      jarUri: 's3://bucket/job.jar#x: y',
      namespace: 'streaming',
      serviceAccount: 'flink-sa',
      jobName: 'clicks',
    };
    for (const format of ['flink-deployment', 'cmf-application'] as const) {
      const resource = parse(renderManifest(format, { spec, estimate: e, options }).yaml);
      expect(resource.metadata.name).toBe('clicks');
      expect(resource.spec).toMatchObject({
        image: 'registry.example.com/job:1.0',
        serviceAccount: 'flink-sa',
        job: { jarURI: 's3://bucket/job.jar#x: y' },
      });
    }
    const deployment = parse(renderManifest('flink-deployment', { spec, estimate: e, options }).yaml);
    expect(deployment.metadata.namespace).toBe('streaming');
    // Even values the API would reject stay data, never structure.
    const hostile = 'x\nkind: Secret\n# {{ 7*7 }}';
    const odd = parse(
      renderManifest('flink-deployment', { spec, estimate: e, options: { image: hostile } }).yaml,
    );
    expect(odd.kind).toBe('FlinkDeployment');
    expect(odd.spec.image).toBe(hostile);
  });

  it('covers every format with YAML that parses without errors, or a bash script', () => {
    for (const format of MANIFEST_FORMATS) {
      const out = renderManifest(format, { spec, estimate: e });
      if (out.contentType === 'application/yaml') expect(parseDocument(out.yaml).errors).toEqual([]);
      else {
        expect(out.contentType).toBe('text/x-shellscript');
        expect(out.yaml.startsWith('#!/usr/bin/env bash\n')).toBe(true);
      }
    }
  });
});
