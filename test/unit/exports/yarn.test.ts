import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/estimator/index.js';
import { deriveJobManager, deriveTaskManager } from '../../../src/estimator/memory/index.js';
import { renderManifest } from '../../../src/exports/index.js';
import { fillYarnContainers, yarnContainerMb } from '../../../src/exports/yarn.js';
import { JobSpecSchema } from '../../../src/jobspec/index.js';
import { hourlyWindowSpec } from '../../fixtures/stateful-specs.js';
import { runScript } from '../../support/scripts.js';

const MiB = 1048576;
const numbers = (o: object) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Number(v)]));

/** A small job on a 1300 MiB TaskManager (1 CPU) and the engine's 2048 MiB JobManager. */
const plan = (backend: 'rocksdb' | 'hashmap', taskManagerMemory = '1300m', flinkVersion = '1.20') => {
  const spec = JobSpecSchema.parse({
    flinkVersion,
    workload: {
      sources: 1,
      operators: 2,
      sinks: 1,
      recordsPerSecond: 5000,
      avgRecordBytes: 200,
      statefulOperators: 1,
      distinctKeys: 100000,
      stateBytesPerKey: 100,
    },
    state: { backend },
    cluster: { taskManagerMemory, taskManagerCpu: 1 },
  });
  return { spec, estimate: estimate(spec) };
};

describe('YARN rounds every container request up', () => {
  it.each([
    ['CapacityScheduler, minimum 1024', 1300, { minAllocationMb: 1024 }, 2048],
    ['CapacityScheduler, minimum 512', 1300, { minAllocationMb: 512 }, 1536],
    [
      'FairScheduler, increment 256 above a 1024 minimum',
      1300,
      { minAllocationMb: 1024, incrementAllocationMb: 256 },
      1536,
    ],
    ['a request below the minimum', 700, { minAllocationMb: 1024 }, 1024],
    ['a request already on the step', 2048, { minAllocationMb: 1024 }, 2048],
    ['3000 MB at minimum 1024', 3000, { minAllocationMb: 1024 }, 3072],
  ])('%s', (_label, request, scheduler, container) => {
    expect(yarnContainerMb(request, scheduler)).toBe(container);
  });
});

describe('the plan fills the rounded container and still derives byte for byte', () => {
  it.each([
    ['rocksdb', 1024, 2048, 'managed'],
    ['rocksdb', 512, 1536, 'managed'],
    ['hashmap', 1024, 2048, 'taskHeap'],
  ] as const)('%s at minimum %i: %i MB, the rest to %s', (backend, min, container, grows) => {
    const { estimate: e } = plan(backend);
    expect(e.taskManagers.memory.totalProcessMemory).toBe(1300 * MiB);
    const filled = fillYarnContainers(
      e,
      { ...e.flinkConfig, ...e.taskManagers.flinkConfig, ...e.jobManager.flinkConfig },
      { minAllocationMb: min },
    );
    expect(filled.taskManagerMb).toBe(container);
    const tm = deriveTaskManager(filled.options, e.flinkVersion);
    const jm = deriveJobManager(filled.options, e.flinkVersion);
    if (!tm.valid || !jm.valid) throw new Error('Flink rejects the refilled configuration');
    expect(numbers(tm.plan.memory)).toEqual(filled.taskManager);
    expect(filled.taskManager.totalProcessMemory).toBe(container * MiB);
    const extra = (container - 1300) * MiB;
    // Every component as planned, except the one that takes the rounding.
    expect(filled.taskManager).toEqual({
      ...e.taskManagers.memory,
      [grows]: e.taskManagers.memory[grows] + extra,
      totalFlinkMemory: e.taskManagers.memory.totalFlinkMemory + extra,
      totalProcessMemory: container * MiB,
    });
    // The JobManager's container is rounded the same way, the rest going to its heap.
    const jmProcessMb = e.jobManager.memory.totalProcessMemory / MiB;
    const jmExtra = (yarnContainerMb(jmProcessMb, { minAllocationMb: min }) - jmProcessMb) * MiB;
    expect(numbers(jm.plan.memory)).toEqual({
      ...e.jobManager.memory,
      jvmHeap: e.jobManager.memory.jvmHeap + jmExtra,
      totalFlinkMemory: e.jobManager.memory.totalFlinkMemory + jmExtra,
      totalProcessMemory: e.jobManager.memory.totalProcessMemory + jmExtra,
    });
    expect(filled.jobManager).toEqual(numbers(jm.plan.memory));
    expect(filled.warnings).toEqual([]);
  });

  it('warns when a container exceeds the maximum allocation, in the script and the header', () => {
    const { spec, estimate: e } = plan('rocksdb');
    const out = renderManifest('yarn-application', {
      spec,
      estimate: e,
      options: { yarnMinAllocationMb: 1024, yarnMaxAllocationMb: 1024, checkpointDir: 'hdfs:///flink/cp' },
    });
    expect(out.warnings).toEqual([
      'TaskManager containers of 2048 MB exceed yarn.scheduler.maximum-allocation-mb (1024 MB): YARN refuses the request and Flink fails the deployment. Plan smaller TaskManagers (cluster.taskManagerMemory of at most 1024 MB) or raise the maximum.',
    ]);
    expect(out.headerWarnings).toEqual(out.warnings);
    expect(out.yaml).toContain('# WARNING: TaskManager containers of 2048 MB exceed');
  });

  it('checks the queue when its capacity is given', () => {
    const { estimate: e } = plan('rocksdb');
    const filled = fillYarnContainers(e, {}, { minAllocationMb: 1024 }, { memoryMb: 3000, vcores: 1 });
    // 1 × 2048 MB + the 2048 MB JobManager; 1 × 1 vcore + the JobManager's.
    expect(filled.warnings).toEqual([
      "The job needs 4096 MB of containers (1 × 2048 MB + 2048 MB), more than the queue's 3000 MB: YARN keeps the rest pending and the job does not start at full parallelism.",
      `The job needs ${1 + Math.ceil(e.jobManager.cpu)} vcores (1 × 1 + ${Math.ceil(e.jobManager.cpu)}), more than the queue's 1.`,
    ]);
  });
});

describe('the yarn-application script', () => {
  it.each(['1.18', '1.19', '1.20', '2.0', '2.1'])(
    'runs flink run-application with every option for Flink %s',
    (version) => {
      const { spec, estimate: e } = plan('rocksdb', '1300m', version);
      const out = renderManifest('yarn-application', {
        spec,
        estimate: e,
        options: {
          yarnMinAllocationMb: 512,
          yarnQueue: 'root.streaming',
          checkpointDir: 'hdfs:///flink/cp',
          jarUri: 'hdfs:///jobs/clicks.jar',
        },
      });
      expect(out.contentType).toBe('text/x-shellscript');
      const run = runScript(out.yaml);
      // Flink 2.0 removed run-application (FLINK-36310): application mode is flink run -t there.
      const action = version.startsWith('1.') ? 'run-application' : 'run';
      expect(run.flinkArgs.slice(0, 3)).toEqual([action, '-t', 'yarn-application']);
      expect(run.flinkArgs.at(-1)).toBe('hdfs:///jobs/clicks.jar');
      const d = run.dynamic;
      expect(d).toMatchObject({
        'yarn.application.queue': 'root.streaming',
        'yarn.containers.vcores': '1',
        'taskmanager.numberOfTaskSlots': String(e.taskManagers.slotsPerTaskManager),
        'parallelism.default': String(e.parallelism.default),
        'taskmanager.memory.process.size': '1536m',
      });
      // The checkpointing keys were renamed in 1.20 (release notes 1.20).
      const before120 = version === '1.18' || version === '1.19';
      expect(d[before120 ? 'state.checkpoints.dir' : 'execution.checkpointing.dir']).toBe('hdfs:///flink/cp');
      expect(d).not.toHaveProperty(before120 ? 'execution.checkpointing.dir' : 'state.savepoints.dir');
      // The options Flink receives derive to a TaskManager that fills its 1536 MB container.
      const tm = deriveTaskManager(d, e.flinkVersion);
      if (!tm.valid) throw new Error(tm.error.message);
      expect(Number(tm.plan.memory.totalProcessMemory)).toBe(1536 * MiB);
      expect(Number(tm.plan.memory.taskHeap)).toBe(e.taskManagers.memory.taskHeap);
      // One comment per option: the line above each -D flag is a comment.
      const lines = out.yaml.split('\n');
      for (const [i, line] of lines.entries())
        if (/^\s+'?-D/.test(line)) expect(lines[i - 1], `comment above ${line}`).toMatch(/^\s+# \S/);
    },
  );

  it('keeps the plan as it is when the containers need no rounding', () => {
    const { spec, estimate: e } = plan('rocksdb', '3072m');
    const mb = (bytes: number) => bytes / MiB;
    const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
    // A minimum allocation both process sizes are multiples of: nothing to round.
    const min = gcd(mb(e.taskManagers.memory.totalProcessMemory), mb(e.jobManager.memory.totalProcessMemory));
    const run = runScript(
      renderManifest('yarn-application', { spec, estimate: e, options: { yarnMinAllocationMb: min } }).yaml,
    );
    expect(run.dynamic['taskmanager.memory.process.size']).toBe('3g');
    // The plan's own options, nothing pinned, and exactly the plan's breakdown.
    expect(run.dynamic).toMatchObject({ ...e.taskManagers.flinkConfig, ...e.jobManager.flinkConfig });
    const tm = deriveTaskManager(run.dynamic, e.flinkVersion);
    if (!tm.valid) throw new Error(tm.error.message);
    expect(numbers(tm.plan.memory)).toEqual(e.taskManagers.memory);
    const overheadPinned = 'taskmanager.memory.jvm-overhead.min' in e.taskManagers.flinkConfig;
    expect('taskmanager.memory.jvm-overhead.min' in run.dynamic).toBe(overheadPinned);
  });

  it('carries a large stateful job’s memory through the script', () => {
    const spec = JobSpecSchema.parse(hourlyWindowSpec());
    const e = estimate(spec);
    const run = runScript(
      renderManifest('yarn-application', { spec, estimate: e, options: { yarnMinAllocationMb: 1024 } }).yaml,
    );
    const tm = deriveTaskManager(run.dynamic, e.flinkVersion);
    if (!tm.valid) throw new Error(tm.error.message);
    const container = yarnContainerMb(e.taskManagers.memory.totalProcessMemory / MiB, {
      minAllocationMb: 1024,
    });
    const extra = container * MiB - e.taskManagers.memory.totalProcessMemory;
    // The plan's breakdown, the rounding in managed memory (RocksDB), the process the whole container.
    expect(numbers(tm.plan.memory)).toEqual({
      ...e.taskManagers.memory,
      managed: e.taskManagers.memory.managed + extra,
      totalFlinkMemory: e.taskManagers.memory.totalFlinkMemory + extra,
      totalProcessMemory: container * MiB,
    });
  });
});
