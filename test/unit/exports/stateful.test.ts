import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { estimate } from '../../../src/estimator/index.js';
import { deriveJobManager, deriveTaskManager, parseMemorySize } from '../../../src/estimator/memory/index.js';
import type { FlinkVersion } from '../../../src/estimator/memory/types.js';
import {
  checkpointDirOptions,
  parallelismNotes,
  stateMaxParallelism,
  storageNotes,
  vertexOverrides,
} from '../../../src/exports/deployment.js';
import { renderManifest } from '../../../src/exports/index.js';
import { type JobSpec, JobSpecSchema } from '../../../src/jobspec/index.js';
import type { Estimate } from '../../../src/schemas/estimate.js';
import { hourlyWindowSpec, statelessEtlSpec, ttlJoinSpec } from '../../fixtures/stateful-specs.js';
import { FlinkApplicationSchema, FlinkDeploymentSchema } from '../../support/flinkdeployment-schema.js';

const plan = (input: unknown) => {
  const spec = JobSpecSchema.parse(input);
  return { spec, estimate: estimate(spec) };
};
const numbers = (o: object) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Number(v)]));
const DIR = 's3://analytics/flink/clicks';
const VERSIONS: FlinkVersion[] = ['1.18', '1.19', '1.20', '2.0', '2.1'];

/** What the operator hands the pods: flinkConfiguration plus the resources (FlinkConfigBuilder). */
function deriveFromSpec(
  s: { flinkConfiguration?: Record<string, string>; taskManager?: unknown; jobManager?: unknown },
  e: Estimate,
) {
  const config = s.flinkConfiguration ?? {};
  const resource = (c: unknown) => (c as { resource: { memory: string; cpu: number } }).resource;
  const tm = deriveTaskManager(
    { ...config, 'taskmanager.memory.process.size': String(parseMemorySize(resource(s.taskManager).memory)) },
    e.flinkVersion,
  );
  const jm = deriveJobManager(
    { ...config, 'jobmanager.memory.process.size': String(parseMemorySize(resource(s.jobManager).memory)) },
    e.flinkVersion,
  );
  if (!tm.valid || !jm.valid) throw new Error('Flink rejects the exported configuration');
  return { tm: numbers(tm.plan.memory), jm: numbers(jm.plan.memory) };
}

describe.each(VERSIONS)('a stateful job exported for Flink %s with checkpointDir', (version) => {
  const { spec, estimate: e } = plan(hourlyWindowSpec(version));
  const input = { spec, estimate: e, options: { checkpointDir: DIR } };
  const deployment = renderManifest('flink-deployment', input);
  const resource = FlinkDeploymentSchema.parse(parse(deployment.yaml));
  const config = resource.spec.flinkConfiguration ?? {};

  it('validates against the CRD, keeps state across upgrades and derives to the plan’s memory', () => {
    expect(resource.spec.job?.upgradeMode).toBe('last-state');
    expect(deriveFromSpec(resource.spec, e)).toEqual({ tm: e.taskManagers.memory, jm: e.jobManager.memory });
    expect(deployment.warnings).toEqual([]);
    expect(deployment.headerWarnings).toEqual([]);
  });

  it('puts checkpoints and savepoints under the keys the version reads', () => {
    const checkpointKeys = {
      '1.18': ['state.checkpoints.dir'],
      '1.19': ['state.checkpoints.dir'],
      '1.20': ['execution.checkpointing.dir', 'state.checkpoints.dir'],
      '2.0': ['execution.checkpointing.dir'],
      '2.1': ['execution.checkpointing.dir'],
    }[version];
    for (const key of checkpointKeys) expect(config[key]).toBe(DIR);
    const all = ['execution.checkpointing.dir', 'state.checkpoints.dir'];
    for (const key of all.filter((k) => !checkpointKeys.includes(k))) expect(config).not.toHaveProperty(key);
    const savepointKey =
      version === '1.18' || version === '1.19'
        ? 'state.savepoints.dir'
        : 'execution.checkpointing.savepoint-dir';
    expect(config[savepointKey]).toBe(`${DIR}/savepoints`);
  });

  it('pins the recommended max parallelism, Kubernetes HA and RocksDB’s own volume', () => {
    // The plan sets the max parallelism it recommends, and the export pins that one.
    expect(e.parallelism.maxDecidedBy).toBe('recommended');
    expect(e.parallelism.max).toBe(e.parallelism.recommendedMax);
    expect(config['pipeline.max-parallelism']).toBe(String(e.parallelism.recommendedMax));
    expect(config['execution.checkpointing.externalized-checkpoint-retention']).toBe(
      'RETAIN_ON_CANCELLATION',
    );
    expect(config['high-availability.type']).toBe('kubernetes');
    expect(config['high-availability.storageDir']).toBe(`${DIR}/ha`);
    expect(config['state.backend.rocksdb.localdir']).toBe('/flink-rocksdb');
    const pod = resource.spec.taskManager?.podTemplate?.spec;
    expect(pod?.containers).toEqual([
      {
        name: 'flink-main-container',
        volumeMounts: [{ name: 'rocksdb-local', mountPath: '/flink-rocksdb' }],
      },
    ]);
    const claim = pod?.volumes?.[0]?.ephemeral?.volumeClaimTemplate.spec;
    // Sized from the plan's local disk per TaskManager, rounded up to whole GiB.
    expect(claim?.resources?.requests?.storage).toBe(
      `${Math.ceil(e.taskManagers.localDiskBytes / 2 ** 30)}Gi`,
    );
    expect(claim?.accessModes).toEqual(['ReadWriteOnce']);
  });

  it('states the oldest operator that has the version', () => {
    const operator = { '1.18': '1.6', '1.19': '1.7', '1.20': '1.10', '2.0': '1.11', '2.1': '1.13' }[version];
    expect(deployment.yaml).toContain(`# Needs Flink Kubernetes Operator ${operator} or later`);
  });

  it('says the s3:// directory needs the S3 plugin in the image and credentials', () => {
    expect(deployment.yaml).toContain(
      `# s3:// needs Flink's flink-s3-fs-presto plugin in plugins/ on the JobManager and the TaskManagers (with the official image: env ENABLE_BUILT_IN_PLUGINS=flink-s3-fs-presto-<your ${version}.x patch>.jar`,
    );
  });

  it('says the same in every other format, with how that target installs the plugin', () => {
    const text = (format: Parameters<typeof renderManifest>[0]) => renderManifest(format, input).yaml;
    const onHosts = `# s3:// needs Flink's flink-s3-fs-presto plugin in plugins/: mkdir plugins/flink-s3-fs-presto and copy opt/flink-s3-fs-presto-<your ${version}.x patch>.jar into it, in the Flink distribution of every JobManager and TaskManager host and credentials on every host (an instance role, or the plugin's key options as secrets)`;
    expect(text('flink-config')).toContain(onHosts);
    expect(text('standalone')).toContain(onHosts);
    expect(text('yarn-application')).toContain(
      `# s3:// needs Flink's flink-s3-fs-presto plugin in plugins/: mkdir plugins/flink-s3-fs-presto and copy opt/flink-s3-fs-presto-<your ${version}.x patch>.jar into it, in the Flink distribution you submit from (YARN ships its plugins/ to every container)`,
    );
    expect(text('kubernetes-application')).toContain(
      `# s3:// needs Flink's flink-s3-fs-presto plugin in plugins/ on the JobManager and the TaskManagers (with the official image: env ENABLE_BUILT_IN_PLUGINS=flink-s3-fs-presto-<your ${version}.x patch>.jar`,
    );
  });

  it('gives the CMF FlinkApplication the same stateful spec', () => {
    const cmf = FlinkApplicationSchema.parse(parse(renderManifest('cmf-application', input).yaml));
    expect({ ...cmf.spec, image: '' }).toEqual({ ...resource.spec, image: '' });
  });

  it('gives the Flink config file the same checkpoint options', () => {
    const file = renderManifest('flink-config', input);
    const read: Record<string, unknown> = version === '1.18' ? {} : parse(file.yaml);
    if (version !== '1.18') {
      expect(read).toMatchObject(checkpointDirOptions(version, DIR));
      expect(read['pipeline.max-parallelism']).toBe(String(e.parallelism.recommendedMax));
    } else expect(file.yaml).toMatch(new RegExp(`^state\\.checkpoints\\.dir: ${DIR}$`, 'm'));
    expect(file.headerWarnings).toEqual([]);
  });
});

describe('Flink 1.20’s old checkpoint key', () => {
  // 1.20 reads execution.checkpointing.dir first; only the operator's DefaultValidator still
  // looks for state.checkpoints.dir before a last-state upgrade.
  it('goes to the operator’s resources only', () => {
    const { spec, estimate: e } = plan(hourlyWindowSpec('1.20'));
    const text = (format: Parameters<typeof renderManifest>[0]) =>
      renderManifest(format, { spec, estimate: e, options: { checkpointDir: DIR } }).yaml;
    for (const format of ['flink-deployment', 'cmf-application'] as const)
      expect(text(format), format).toMatch(/state\.checkpoints\.dir/);
    for (const format of [
      'flink-config',
      'kubernetes-application',
      'yarn-application',
      'standalone',
    ] as const) {
      expect(text(format), format).not.toMatch(/state\.checkpoints\.dir/);
      expect(text(format), format).toMatch(/execution\.checkpointing\.dir/);
    }
  });
});

describe('filesystem plugins by checkpoint scheme', () => {
  it('names the plugin each scheme needs, and nothing for a local or HDFS path', () => {
    const plugin = (dir: string) => storageNotes(dir, '1.20')[0]?.split("Flink's ")[1]?.split(' ')[0];
    expect(plugin('s3://b/c')).toBe('flink-s3-fs-presto');
    expect(plugin('s3p://b/c')).toBe('flink-s3-fs-presto');
    expect(plugin('s3a://b/c')).toBe('flink-s3-fs-hadoop');
    expect(plugin('gs://b/c')).toBe('flink-gs-fs-hadoop');
    expect(plugin('abfss://c@a.dfs.core.windows.net/p')).toBe('flink-azure-fs-hadoop');
    expect(plugin('oss://b/c')).toBe('flink-oss-fs-hadoop');
    expect(storageNotes('file:///mnt/ckpt', '1.20')).toEqual([]);
    expect(storageNotes('hdfs://nn/ckpt', '1.20')).toEqual([]);
    expect(storageNotes(undefined, '1.20')).toEqual([]);
  });
});

describe('a stateful job exported without checkpointDir', () => {
  const { spec, estimate: e } = plan(ttlJoinSpec('1.19'));
  it('still renders, says exactly what is missing in the file and in a Warning header', () => {
    for (const format of [
      'flink-deployment',
      'cmf-application',
      'flink-config',
      'yarn-application',
    ] as const) {
      const out = renderManifest(format, { spec, estimate: e });
      expect(out.yaml).toContain('# WARNING: No checkpoint directory: this job keeps');
      expect(out.yaml).toContain('without state.checkpoints.dir Flink keeps checkpoints in the JobManager');
      expect(out.yaml).toMatch(/s3:\/\/ needs one of Flink's S3 filesystem plugins .* and credentials/);
      expect(out.headerWarnings).toHaveLength(1);
      expect(out.headerWarnings[0]).toMatch(/^[\x20-\x7e]+$/);
    }
    const resource = FlinkDeploymentSchema.parse(
      parse(renderManifest('flink-deployment', { spec, estimate: e }).yaml),
    );
    expect(resource.spec.job?.upgradeMode).toBe('stateless');
    expect(resource.spec.flinkConfiguration?.['pipeline.max-parallelism']).toBe(String(e.parallelism.max));
  });

  it('warns about nothing for a stateless job', () => {
    const etl = plan(statelessEtlSpec());
    expect(etl.estimate.state.totalBytes).toBe(0);
    const out = renderManifest('flink-deployment', etl);
    expect(out.warnings).toEqual([]);
    expect(out.yaml).not.toContain('WARNING');
  });
});

describe('max parallelism for the state', () => {
  const { estimate: e } = plan(hourlyWindowSpec());
  it('is the recommended one unless the user set one, which it keeps', () => {
    expect(stateMaxParallelism(e)).toBe(e.parallelism.recommendedMax);
    // An estimate saved before plans set it: Flink's default 128 in force, 180 recommended.
    const saved: Estimate = {
      ...e,
      parallelism: { ...e.parallelism, max: 128, maxDecidedBy: 'default', recommendedMax: 180 },
    };
    expect(stateMaxParallelism(saved)).toBe(180);
    const user: Estimate = { ...e, parallelism: { ...e.parallelism, max: 720, maxDecidedBy: 'user' } };
    expect(stateMaxParallelism(user)).toBe(720);
  });
});

describe('parallelism carried the way each API allows', () => {
  const input = (api?: string, flinkVersion: FlinkVersion = '2.0') => {
    const { spec, estimate: e } = plan(statelessEtlSpec(flinkVersion));
    // The sink runs at 3 and the source at 24 while the job runs at 12 (set by hand here).
    const operators = e.operators.map((o) => ({
      ...o,
      parallelism: o.role === 'source' ? 24 : o.role === 'sink' ? 3 : 12,
    }));
    const withApi = (api ? { ...spec, api } : spec) as JobSpec;
    return { spec: withApi, estimate: { ...e, operators, parallelism: { ...e.parallelism, default: 12 } } };
  };

  it('SQL: the job-wide value, and scan.parallelism / sink.parallelism in the table DDL', () => {
    expect(parallelismNotes(input())).toEqual([
      'Flink SQL runs every operator between sources and sinks at parallelism.default = 12.',
      'Sources and sinks that differ take it in their table DDL:',
      "  CREATE TABLE events (…) WITH (…, 'scan.parallelism' = '24')  -- the plan's source parallelism",
      "  CREATE TABLE out (…) WITH (…, 'sink.parallelism' = '3')  -- the plan's sink parallelism",
    ]);
  });

  it('SQL on 1.20: no scan.parallelism for a Kafka source, whose 3.x connector refuses the option', () => {
    expect(parallelismNotes(input(undefined, '1.20'))).toEqual([
      'Flink SQL runs every operator between sources and sinks at parallelism.default = 12.',
      'Sources and sinks that differ take it in their table DDL:',
      "  events: the plan's 24 cannot be set: the kafka connector's scan.parallelism needs flink-connector-kafka 4.0, for Flink 2.0, not 1.20; it runs at parallelism.default = 12",
      "  CREATE TABLE out (…) WITH (…, 'sink.parallelism' = '3')  -- the plan's sink parallelism",
    ]);
  });

  it('DataStream: one setParallelism per operator', () => {
    expect(parallelismNotes(input('datastream'))).toEqual([
      "DataStream job: parallelism.default is 12; set each operator's parallelism in the program:",
      '  events (kafka): .setParallelism(24)',
      '  clean (filter): .setParallelism(12)',
      '  shape (map): .setParallelism(12)',
      '  out (kafka): .setParallelism(3)',
    ]);
  });

  it('per Flink job vertex when the nodes carry flinkVertexId, chained nodes sharing one', () => {
    const base = input();
    const vertex = (id: string) =>
      ({
        events: 'cbc357ccb763df2852fee8c4fc7d55f2',
        clean: 'cbc357ccb763df2852fee8c4fc7d55f2',
        shape: '90bea66de1c231edf33913ecd54406c1',
        out: '6d2677a0ecc3fd8df0b72ec675edf8f4',
      })[id];
    // Through the JobSpec schema, as a calibrated spec arrives.
    const raw = statelessEtlSpec();
    const spec = JobSpecSchema.parse({
      ...raw,
      pipeline: {
        sources: raw.pipeline.sources.map((n) => ({ ...n, flinkVertexId: vertex(n.id) })),
        operators: raw.pipeline.operators.map((n) => ({ ...n, flinkVertexId: vertex(n.id) })),
        sinks: raw.pipeline.sinks.map((n) => ({ ...n, flinkVertexId: vertex(n.id) })),
      },
    });
    const withVertices = { ...base, spec };
    expect(vertexOverrides(withVertices)).toBe(
      'cbc357ccb763df2852fee8c4fc7d55f2:24,90bea66de1c231edf33913ecd54406c1:12,6d2677a0ecc3fd8df0b72ec675edf8f4:3',
    );
    const resource = FlinkDeploymentSchema.parse(
      parse(renderManifest('flink-deployment', withVertices).yaml),
    );
    expect(resource.spec.flinkConfiguration?.['pipeline.jobvertex-parallelism-overrides']).toBe(
      vertexOverrides(withVertices),
    );
    expect(vertexOverrides(base)).toBeUndefined();
  });
});
