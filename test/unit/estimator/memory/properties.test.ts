import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { javaFloatToString, parseJavaFloat } from '../../../../src/estimator/memory/java.js';
import { deriveJobManager } from '../../../../src/estimator/memory/jobmanager.js';
import { minimumTaskManagerProcessSize, planTaskManager } from '../../../../src/estimator/memory/planner.js';
import {
  formatMemorySize,
  formatMemorySizeCompact,
  MiB,
  parseMemorySize,
} from '../../../../src/estimator/memory/size.js';
import { deriveTaskManager } from '../../../../src/estimator/memory/taskmanager.js';
import { FLINK_VERSIONS } from '../../../../src/estimator/memory/types.js';

const version = fc.constantFrom(...FLINK_VERSIONS);
const mib = (min: number, max: number) => fc.integer({ min, max }).map((n) => `${n}m`);
const fraction = (max: number) => fc.integer({ min: 0, max: max * 1000 }).map((n) => (n / 1000).toString());

/** Optional keys that shape a derivation, each present about a third of the time. */
const extras = fc
  .record({
    'taskmanager.memory.managed.fraction': fc.option(fraction(0.6), { freq: 2 }),
    'taskmanager.memory.network.fraction': fc.option(fraction(0.3), { freq: 2 }),
    'taskmanager.memory.network.min': fc.option(mib(0, 256), { freq: 2 }),
    'taskmanager.memory.network.max': fc.option(mib(256, 4096), { freq: 2 }),
    'taskmanager.memory.framework.heap.size': fc.option(mib(0, 512), { freq: 2 }),
    'taskmanager.memory.task.off-heap.size': fc.option(mib(0, 512), { freq: 2 }),
    'taskmanager.memory.jvm-metaspace.size': fc.option(mib(32, 512), { freq: 2 }),
    'taskmanager.memory.jvm-overhead.fraction': fc.option(fraction(0.5), { freq: 2 }),
    'taskmanager.numberOfTaskSlots': fc.option(fc.integer({ min: 1, max: 16 }).map(String), { freq: 2 }),
  })
  .map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== null)) as Record<string, string>);

/** Random TaskManager configurations over every derivation path (and some that Flink rejects). */
const tmConfig = fc
  .tuple(
    fc.oneof(
      fc.record({ 'taskmanager.memory.process.size': mib(1024, 65536) }),
      fc.record({ 'taskmanager.memory.flink.size': mib(768, 60000) }),
      fc.record({
        'taskmanager.memory.task.heap.size': mib(0, 8192),
        'taskmanager.memory.managed.size': mib(0, 8192),
      }),
      fc.record({
        'taskmanager.memory.process.size': mib(1024, 65536),
        'taskmanager.memory.task.heap.size': mib(0, 1024),
      }),
      fc.record({
        'taskmanager.memory.process.size': mib(1024, 65536),
        'taskmanager.memory.managed.size': mib(0, 1024),
      }),
      fc
        .record(
          {
            'taskmanager.memory.process.size': mib(256, 65536),
            'taskmanager.memory.flink.size': mib(128, 60000),
            'taskmanager.memory.task.heap.size': mib(0, 8192),
            'taskmanager.memory.managed.size': mib(0, 8192),
          },
          { requiredKeys: [] },
        )
        .map(
          (c) =>
            Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as Record<
              string,
              string
            >,
        ),
    ),
    extras,
  )
  .map(([base, extra]) => ({ ...extra, ...base }) as Record<string, string>);

describe('TaskManager derivation properties', () => {
  it('valid plans add up, nothing is negative, and configured totals are honoured', () => {
    fc.assert(
      fc.property(tmConfig, version, (config, v) => {
        const result = deriveTaskManager(config, v);
        if (!result.valid) {
          expect(result.error.message.length).toBeGreaterThan(0);
          expect(result.error.hint.length).toBeGreaterThan(0);
          return;
        }
        const m = result.plan.memory;
        for (const value of Object.values(m)) expect(value >= 0n).toBe(true);
        expect(m.totalFlinkMemory).toBe(
          m.frameworkHeap + m.taskHeap + m.managed + m.frameworkOffHeap + m.taskOffHeap + m.network,
        );
        expect(m.totalProcessMemory).toBe(m.totalFlinkMemory + m.jvmMetaspace + m.jvmOverhead);
        expect(result.plan.jvmArgs.Xmx).toBe(m.frameworkHeap + m.taskHeap);
        expect(result.plan.jvmArgs.MaxDirectMemorySize).toBe(m.frameworkOffHeap + m.taskOffHeap + m.network);
        expect(result.plan.networkBuffers).toBe(m.network / 32768n);
        expect(result.plan.containerMemoryMiB).toBe(m.totalProcessMemory / MiB);
        const process = config['taskmanager.memory.process.size'];
        if (process !== undefined) expect(m.totalProcessMemory).toBe(parseMemorySize(process));
        const flink = config['taskmanager.memory.flink.size'];
        if (flink !== undefined) expect(m.totalFlinkMemory).toBe(parseMemorySize(flink));
      }),
      { numRuns: 400 },
    );
  });

  it('re-deriving a plan from its own explicit fine-grained options gives the same bytes', () => {
    fc.assert(
      fc.property(tmConfig, version, (config, v) => {
        const first = deriveTaskManager(config, v);
        if (!first.valid) return;
        const m = first.plan.memory;
        const explicit: Record<string, string> = {
          'taskmanager.memory.process.size': `${m.totalProcessMemory}b`,
          'taskmanager.memory.task.heap.size': `${m.taskHeap}b`,
          'taskmanager.memory.managed.size': `${m.managed}b`,
          'taskmanager.memory.network.min': `${m.network}b`,
          'taskmanager.memory.network.max': `${m.network}b`,
          'taskmanager.memory.framework.heap.size': `${m.frameworkHeap}b`,
          'taskmanager.memory.framework.off-heap.size': `${m.frameworkOffHeap}b`,
          'taskmanager.memory.task.off-heap.size': `${m.taskOffHeap}b`,
          'taskmanager.memory.jvm-metaspace.size': `${m.jvmMetaspace}b`,
        };
        for (const key of ['taskmanager.memory.jvm-overhead.fraction', 'taskmanager.numberOfTaskSlots']) {
          const value = config[key];
          if (value !== undefined) explicit[key] = value;
        }
        const again = deriveTaskManager(explicit, v);
        if (!again.valid) throw new Error(`re-derivation rejected: ${again.error.message}`);
        expect(again.plan.memory).toEqual(m);
      }),
      { numRuns: 300 },
    );
  });

  it('every rejection hint that names a minimum process size names one Flink accepts (and 1 MiB less it rejects)', () => {
    const processOnly = fc.record({
      'taskmanager.memory.process.size': mib(300, 1200),
      'taskmanager.memory.managed.fraction': fraction(0.7),
      'taskmanager.memory.jvm-metaspace.size': mib(64, 512),
    });
    fc.assert(
      fc.property(processOnly, (config) => {
        const result = deriveTaskManager(config, '1.20');
        if (result.valid) return;
        const match = /^Raise taskmanager\.memory\.process\.size to at least (\d+)m/.exec(result.error.hint);
        if (!match) return;
        const minimum = Number(match[1]);
        expect(
          deriveTaskManager({ ...config, 'taskmanager.memory.process.size': `${minimum}m` }, '1.20').valid,
        ).toBe(true);
        expect(
          deriveTaskManager({ ...config, 'taskmanager.memory.process.size': `${minimum - 1}m` }, '1.20')
            .valid,
        ).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});

describe('planner properties', () => {
  const request = fc.record({
    version,
    processMemory: fc.integer({ min: 512, max: 65536 }).map((n) => BigInt(n) * MiB),
    cpuCores: fc.integer({ min: 1, max: 64 }).map((n) => n / 2),
    slots: fc.integer({ min: 1, max: 16 }),
    managedPerSlot: fc.option(
      fc.integer({ min: 0, max: 4096 }).map((n) => BigInt(n) * MiB),
      { nil: undefined },
    ),
    networkMemory: fc.option(
      fc.integer({ min: 0, max: 1024 }).map((n) => BigInt(n) * MiB),
      { nil: undefined },
    ),
    taskHeapPerSlot: fc.option(
      fc.integer({ min: 0, max: 2048 }).map((n) => BigInt(n) * MiB),
      { nil: undefined },
    ),
  });

  it('a planned TaskManager fits its container exactly and Flink accepts its config', () => {
    fc.assert(
      fc.property(request, (req) => {
        const result = planTaskManager(req);
        if (!result.valid) {
          // A rejection always names the smallest container that works, and it does work.
          const smallest = minimumTaskManagerProcessSize(req);
          if (smallest !== undefined) {
            expect(smallest > req.processMemory).toBe(true);
            expect(planTaskManager({ ...req, processMemory: smallest }).valid).toBe(true);
          }
          return;
        }
        const { config, plan } = result.plan;
        expect(plan.memory.totalProcessMemory).toBe(req.processMemory);
        expect(plan.containerMemoryMiB * MiB).toBe(req.processMemory);
        if (req.managedPerSlot !== undefined) expect(plan.perSlot.managed).toBe(req.managedPerSlot);
        if (req.networkMemory !== undefined) expect(plan.memory.network).toBe(req.networkMemory);
        expect(plan.perSlot.taskHeap >= (req.taskHeapPerSlot ?? 0n)).toBe(true);
        expect(deriveTaskManager(config, req.version)).toEqual({ valid: true, plan });
      }),
      { numRuns: 150 },
    );
  });
});

describe('JobManager derivation properties', () => {
  it('components add up for any process size that derives', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65536 }), version, (size, v) => {
        const result = deriveJobManager({ 'jobmanager.memory.process.size': `${size}m` }, v);
        if (!result.valid) {
          expect(size < 577).toBe(true);
          return;
        }
        const m = result.plan.memory;
        expect(m.totalFlinkMemory).toBe(m.jvmHeap + m.offHeap);
        expect(m.totalProcessMemory).toBe(BigInt(size) * MiB);
        expect(m.totalProcessMemory).toBe(m.totalFlinkMemory + m.jvmMetaspace + m.jvmOverhead);
      }),
      { numRuns: 200 },
    );
  });
});

describe('parsing round trips', () => {
  it('formatMemorySize and formatMemorySizeCompact read back to the same bytes', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 9223372036854775807n }), (bytes) => {
        expect(parseMemorySize(formatMemorySize(bytes))).toBe(bytes);
        expect(parseMemorySize(formatMemorySizeCompact(bytes))).toBe(bytes);
      }),
    );
  });

  it('Float.toString output parses back to the same float', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (f) => {
        const value = Math.fround(f);
        expect(Object.is(parseJavaFloat(javaFloatToString(value)), value)).toBe(true);
      }),
    );
  });
});
