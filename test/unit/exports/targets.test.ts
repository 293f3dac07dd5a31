import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { estimate } from '../../../src/estimator/index.js';
import { deriveJobManager, deriveTaskManager } from '../../../src/estimator/memory/index.js';
import type { FlinkVersion } from '../../../src/estimator/memory/types.js';
import { renderManifest } from '../../../src/exports/index.js';
import { JobSpecSchema } from '../../../src/jobspec/index.js';
import { hourlyWindowSpec, statelessEtlSpec } from '../../fixtures/stateful-specs.js';
import { PodTemplateSchema } from '../../support/flinkdeployment-schema.js';
import { runScript } from '../../support/scripts.js';

const numbers = (o: object) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Number(v)]));
const plan = (input: unknown) => {
  const spec = JobSpecSchema.parse(input);
  return { spec, estimate: estimate(spec) };
};
const DIR = 'gs://flink-state/clicks';

/**
 * The checkpointing keys each version reads (release notes 1.20 and 2.0; state.backend.type since
 * 1.17), and the ones it must not see.
 */
const CHECKPOINT_KEYS: Record<FlinkVersion, { own: string[]; foreign: string[] }> = {
  '1.18': {
    own: ['state.checkpoints.dir', 'state.savepoints.dir', 'state.backend.incremental', 'state.backend.type'],
    foreign: [
      'execution.checkpointing.dir',
      'execution.checkpointing.incremental',
      'execution.checkpointing.savepoint-dir',
    ],
  },
  '1.19': {
    own: ['state.checkpoints.dir', 'state.savepoints.dir', 'state.backend.incremental', 'state.backend.type'],
    foreign: [
      'execution.checkpointing.dir',
      'execution.checkpointing.incremental',
      'execution.checkpointing.savepoint-dir',
    ],
  },
  '1.20': {
    own: [
      'execution.checkpointing.dir',
      'execution.checkpointing.savepoint-dir',
      'execution.checkpointing.incremental',
    ],
    foreign: ['state.savepoints.dir', 'state.backend.incremental'],
  },
  '2.0': {
    own: ['execution.checkpointing.dir', 'execution.checkpointing.savepoint-dir', 'state.backend.type'],
    foreign: ['state.checkpoints.dir', 'state.savepoints.dir', 'state.backend.incremental', 'state.backend'],
  },
  '2.1': {
    own: ['execution.checkpointing.dir', 'execution.checkpointing.savepoint-dir', 'state.backend.type'],
    foreign: ['state.checkpoints.dir', 'state.savepoints.dir', 'state.backend.incremental', 'state.backend'],
  },
};

describe.each(['1.18', '1.19', '1.20', '2.0', '2.1'] as const)(
  'native Kubernetes for Flink %s',
  (version) => {
    const { spec, estimate: e } = plan(hourlyWindowSpec(version));
    const out = renderManifest('kubernetes-application', {
      spec,
      estimate: e,
      name: 'Clicks per hour',
      options: { checkpointDir: DIR, namespace: 'streaming', image: 'registry.example.com/clicks:2.1' },
    });
    const run = runScript(out.yaml);
    const d = run.dynamic;

    it('runs application mode (run-application, or run on 2.x) with the kubernetes.* options', () => {
      const action = version.startsWith('1.') ? 'run-application' : 'run';
      expect(run.flinkArgs.slice(0, 3)).toEqual([action, '-t', 'kubernetes-application']);
      expect(run.flinkArgs.at(-1)).toBe('local:///opt/flink/usrlib/job.jar');
      expect(d).toMatchObject({
        'kubernetes.cluster-id': 'clicks-per-hour',
        'kubernetes.namespace': 'streaming',
        'kubernetes.container.image.ref': 'registry.example.com/clicks:2.1',
        'kubernetes.service-account': 'flink',
        'kubernetes.taskmanager.cpu.amount': String(e.taskManagers.cpu),
        'kubernetes.jobmanager.cpu.amount': String(e.jobManager.cpu),
        'kubernetes.pod-template-file.taskmanager': './taskmanager-pod-template.yaml',
        'high-availability.type': 'kubernetes',
        'state.backend.rocksdb.localdir': '/flink-rocksdb',
        'pipeline.max-parallelism': String(e.parallelism.recommendedMax),
      });
    });

    it('spells the checkpointing options as the version reads them', () => {
      const keys = CHECKPOINT_KEYS[version];
      for (const key of keys.own) expect(Object.keys(d)).toContain(key);
      for (const key of keys.foreign) expect(Object.keys(d)).not.toContain(key);
    });

    it('derives to the plan’s memory from the options Flink receives', () => {
      const tm = deriveTaskManager(d, version);
      const jm = deriveJobManager(d, version);
      if (!tm.valid || !jm.valid) throw new Error('Flink rejects the options');
      expect(numbers(tm.plan.memory)).toEqual(e.taskManagers.memory);
      expect(numbers(jm.plan.memory)).toEqual(e.jobManager.memory);
    });

    it('writes the pod template that gives RocksDB its own volume', () => {
      const template = PodTemplateSchema.parse(parse(run.read('taskmanager-pod-template.yaml')));
      expect(
        template.spec?.volumes?.[0]?.ephemeral?.volumeClaimTemplate.spec.resources?.requests?.storage,
      ).toBe(`${Math.ceil(e.taskManagers.localDiskBytes / 2 ** 30)}Gi`);
      expect(template.spec?.containers?.[0]?.volumeMounts?.[0]?.mountPath).toBe('/flink-rocksdb');
    });
  },
);

describe.each(['1.18', '1.19', '1.20', '2.0', '2.1'] as const)(
  'a standalone cluster for Flink %s',
  (version) => {
    it('writes the configuration, one worker per TaskManager and the masters, and says what to start where', () => {
      const { spec, estimate: e } = plan(hourlyWindowSpec(version));
      const out = renderManifest('standalone', { spec, estimate: e, options: { checkpointDir: DIR } });
      const run = runScript(out.yaml);
      expect(run.flinkArgs).toEqual([]);
      const file = version === '1.18' ? 'flink-conf.yaml' : 'config.yaml';
      const text = run.read(`$FLINK_HOME/conf/${file}`);
      const config: Record<string, string> =
        version === '1.18'
          ? Object.fromEntries(
              text
                .split('\n')
                .map((line) => (line.split('#', 1)[0] ?? '').trim())
                .filter((line) => line !== '')
                .map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)]),
            )
          : parse(text);
      const tm = deriveTaskManager(config, version);
      const jm = deriveJobManager(config, version);
      if (!tm.valid || !jm.valid) throw new Error('Flink rejects the file');
      expect(numbers(tm.plan.memory)).toEqual(e.taskManagers.memory);
      expect(numbers(jm.plan.memory)).toEqual(e.jobManager.memory);
      for (const key of CHECKPOINT_KEYS[version].own) expect(Object.keys(config)).toContain(key);
      for (const key of CHECKPOINT_KEYS[version].foreign) expect(Object.keys(config)).not.toContain(key);
      expect(config['jobmanager.rpc.address']).toBe('jm-host-1');
      // With a checkpoint directory: ZooKeeper HA and a standby master.
      expect(config['high-availability.type']).toBe('zookeeper');
      expect(run.read('$FLINK_HOME/conf/masters')).toBe('jm-host-1:8081\njm-host-2:8081\n');
      expect(run.read('$FLINK_HOME/conf/workers').trimEnd().split('\n')).toEqual(
        Array.from({ length: e.taskManagers.count }, (_, i) => `tm-host-${i + 1}`),
      );
      expect(out.yaml).toContain('bin/start-cluster.sh');
      expect(out.yaml).toContain(`${e.taskManagers.count} worker hosts, one TaskManager each`);
    });

    // Release notes 1.19 (FLINK-33297): 1.19 and 1.20 prefer a flink-conf.yaml over config.yaml;
    // 1.18 reads only flink-conf.yaml, 2.x only config.yaml (FLINK-33677).
    it('keeps what it replaces, and leaves Flink no other configuration file to prefer', () => {
      const { spec, estimate: e } = plan(statelessEtlSpec(version));
      const legacy = 'taskmanager.numberOfTaskSlots: 7\n';
      const standard = 'metrics:\n  reporters: prom\n';
      const workers = 'old-worker-1\n';
      const run = runScript(renderManifest('standalone', { spec, estimate: e }).yaml, {
        'conf/flink-conf.yaml': legacy,
        'conf/config.yaml': standard,
        'conf/workers': workers,
      });
      // The user's lists and the file this version reads are kept beside the new ones.
      expect(run.read('$FLINK_HOME/conf/workers.replaced')).toBe(workers);
      const written = version === '1.18' ? 'flink-conf.yaml' : 'config.yaml';
      expect(run.read(`$FLINK_HOME/conf/${written}.replaced`)).toBe(version === '1.18' ? legacy : standard);
      expect(run.read(`$FLINK_HOME/conf/${written}`)).toContain('taskmanager.numberOfTaskSlots');
      if (version === '1.19' || version === '1.20') {
        // Both exist: these releases would read flink-conf.yaml, so it goes too.
        expect(() => run.read('$FLINK_HOME/conf/flink-conf.yaml')).toThrow();
        expect(run.read('$FLINK_HOME/conf/flink-conf.yaml.replaced')).toBe(legacy);
      }
      // 2.x reads only config.yaml: a flink-conf.yaml is left as it is.
      if (version.startsWith('2.')) expect(run.read('$FLINK_HOME/conf/flink-conf.yaml')).toBe(legacy);
    });

    it('has one master without a checkpoint directory, and no HA', () => {
      const { spec, estimate: e } = plan(statelessEtlSpec(version));
      const run = runScript(renderManifest('standalone', { spec, estimate: e }).yaml);
      expect(run.read('$FLINK_HOME/conf/masters')).toBe('jm-host-1:8081\n');
      const config = run.read(`$FLINK_HOME/conf/${version === '1.18' ? 'flink-conf.yaml' : 'config.yaml'}`);
      expect(config).not.toContain('high-availability');
      // A stateless job's checkpoints are its sources' positions, not "0 B in 0 s".
      expect(e.state.checkpoint.sizeBytes).toBe(0);
      expect(config).toContain('no keyed state, so each holds little more than the sources');
    });
  },
);

describe('header sentences', () => {
  it('never say "1 slots": one-slot TaskManagers read "1 slot", others "N slots"', () => {
    const one = plan(statelessEtlSpec());
    const many = plan({ ...statelessEtlSpec(), cluster: { slotsPerTaskManager: 2 } });
    expect(one.estimate.taskManagers.slotsPerTaskManager).toBe(1);
    expect(many.estimate.taskManagers.slotsPerTaskManager).toBe(2);
    for (const format of [
      'flink-config',
      'standalone',
      'yarn-application',
      'kubernetes-application',
      'flink-deployment',
    ] as const) {
      expect(renderManifest(format, one).yaml, format).not.toContain('1 slots');
      expect(renderManifest(format, one).yaml, format).not.toMatch(/\b1 (vcores|TaskManagers)\b/);
      expect(renderManifest(format, many).yaml, format).toContain(' 2 slots');
    }
  });
});
