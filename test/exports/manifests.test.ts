import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { estimate } from '../../src/estimator/index.js';
import { deriveJobManager, deriveTaskManager, parseMemorySize } from '../../src/estimator/memory/index.js';
import { MANIFEST_FORMATS, renderManifest } from '../../src/exports/index.js';
import { PRESETS } from '../../src/forms/presets.js';
import { type JobSpecInput, JobSpecSchema } from '../../src/schemas/jobspec.js';
import { FlinkApplicationSchema, FlinkDeploymentSchema } from './flinkdeployment-schema.js';

const specs: JobSpecInput[] = [
  ...PRESETS.map((p) => p.spec as JobSpecInput),
  { workload: { sources: 2, operators: 4, sinks: 1, recordsPerSecond: 50000, avgRecordBytes: 512 } },
  {
    flinkVersion: '2.0',
    workload: {
      sources: 1,
      operators: 2,
      sinks: 1,
      recordsPerSecond: 5000,
      avgRecordBytes: 200,
      statefulOperators: 1,
      distinctKeys: 1000,
      stateBytesPerKey: 100,
    },
    state: { backend: 'hashmap' },
  },
  {
    flinkVersion: '1.18',
    workload: { sources: 1, operators: 1, sinks: 1, recordsPerSecond: 1000, avgRecordBytes: 100 },
    cluster: { taskManagerMemory: '4g', taskManagerCpu: 2 },
  },
];

const plan = (input: JobSpecInput) => {
  const spec = JobSpecSchema.parse(input);
  return { spec, estimate: estimate(spec) };
};

const numbers = (o: object) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Number(v)]));

describe.each(specs.map((s, i) => [i, s] as const))('spec %i', (_i, input) => {
  const { spec, estimate: e } = plan(input);

  it('gives a FlinkDeployment that matches the operator CRD and derives to the plan’s memory', () => {
    const out = renderManifest('flink-deployment', { spec, estimate: e, name: 'Orders pipeline' });
    const resource = parse(out.yaml);
    expect(resource).toEqual(out.json);
    FlinkDeploymentSchema.parse(resource);
    // What the operator's FlinkConfigBuilder gives the pods: flinkConfiguration plus resources.
    const tmConfig = {
      ...resource.spec.flinkConfiguration,
      'taskmanager.memory.process.size': String(parseMemorySize(resource.spec.taskManager.resource.memory)),
      'kubernetes.taskmanager.cpu.amount': String(resource.spec.taskManager.resource.cpu),
    };
    const jmConfig = {
      ...resource.spec.flinkConfiguration,
      'jobmanager.memory.process.size': String(parseMemorySize(resource.spec.jobManager.resource.memory)),
    };
    const tm = deriveTaskManager(tmConfig, e.flinkVersion);
    const jm = deriveJobManager(jmConfig, e.flinkVersion);
    expect(tm.valid && numbers(tm.plan.memory)).toEqual(e.taskManagers.memory);
    expect(jm.valid && numbers(jm.plan.memory)).toEqual(e.jobManager.memory);
    expect(resource.spec.job.parallelism).toBe(e.parallelism.default);
    expect(resource.spec.flinkVersion).toBe(`v${e.flinkVersion.replace('.', '_')}`);
  });

  it('gives a CMF FlinkApplication with the same spec and the commands to submit it', () => {
    const out = renderManifest('cmf-application', { spec, estimate: e, name: 'Orders pipeline' });
    const resource = FlinkApplicationSchema.parse(parse(out.yaml));
    const deployment = parse(
      renderManifest('flink-deployment', { spec, estimate: e, name: 'Orders pipeline' }).yaml,
    );
    expect({ ...resource.spec, image: '' }).toEqual({ ...deployment.spec, image: '' });
    expect(resource.spec.image).toMatch(/^confluentinc\/cp-flink:/);
    expect(out.commands?.[0]).toContain('confluent flink application create');
  });

  it('gives a Flink config file whose memory options derive to the plan', () => {
    const out = renderManifest('flink-config', { spec, estimate: e });
    expect(out.filename).toBe(e.flinkVersion === '1.18' ? 'flink-conf.yaml' : 'config.yaml');
    const config: Record<string, unknown> = parse(out.yaml);
    const strings = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, String(v)]));
    const tm = deriveTaskManager(strings, e.flinkVersion);
    expect(tm.valid && numbers(tm.plan.memory)).toEqual(e.taskManagers.memory);
    expect(strings['parallelism.default']).toBe(String(e.parallelism.default));
    expect(strings['pipeline.max-parallelism']).toBe(String(e.parallelism.max));
    expect(out.yaml).toContain('# ');
  });
});

describe('files are safe whatever the name', () => {
  const { spec, estimate: e } = plan(specs[0] as JobSpecInput);
  it.each([
    '"; rm -rf /',
    '{{ 7*7 }}',
    'a: b\nkind: Secret',
    '\u202Egnp.exe',
    '../../etc/passwd',
    'x'.repeat(10_000),
    '',
  ])('%j yields a valid resource name and unchanged structure', (name) => {
    for (const format of ['flink-deployment', 'cmf-application'] as const) {
      const out = renderManifest(format, { spec, estimate: e, name });
      const resource = parse(out.yaml);
      expect(resource.metadata.name).toMatch(/^[a-z]([-a-z0-9]*[a-z0-9])?$/);
      expect(resource.metadata.name.length).toBeLessThanOrEqual(45);
      expect(Object.keys(resource)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
      expect(out.filename).toMatch(/^[a-z][-a-z0-9]*\.yaml$/);
    }
  });

  it('uses the options the user gives', () => {
    const out = renderManifest('flink-deployment', {
      spec,
      estimate: e,
      options: {
        image: 'registry.example.com/job:1.0',
        jarUri: 's3://bucket/job.jar',
        namespace: 'streaming',
        serviceAccount: 'flink-sa',
        jobName: 'clicks',
      },
    });
    const resource = parse(out.yaml);
    expect(resource.metadata).toMatchObject({ name: 'clicks', namespace: 'streaming' });
    expect(resource.spec).toMatchObject({
      image: 'registry.example.com/job:1.0',
      serviceAccount: 'flink-sa',
      job: { jarURI: 's3://bucket/job.jar' },
    });
  });

  it('covers every format', () => {
    for (const format of MANIFEST_FORMATS)
      expect(renderManifest(format, { spec, estimate: e }).yaml.length).toBeGreaterThan(100);
  });
});
