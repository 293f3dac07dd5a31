/**
 * Properties over generated specs (fast-check): every plan is one Flink accepts and derives to
 * the reported bytes, and the plan moves the right way when the load, state or target moves.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/estimator/index.js';
import { deriveJobManager, deriveTaskManager } from '../../../src/estimator/memory/index.js';
import { type JobSpecInput, JobSpecSchema } from '../../../src/jobspec/index.js';
import { type Estimate, EstimateSchema } from '../../../src/schemas/estimate.js';
import { at } from '../../support/checked.js';

const run = (input: JobSpecInput) => estimate(JobSpecSchema.parse(input));

const workloadArb = fc.record({
  sources: fc.integer({ min: 1, max: 3 }),
  operators: fc.integer({ min: 0, max: 6 }),
  sinks: fc.integer({ min: 1, max: 2 }),
  recordsPerSecond: fc.integer({ min: 1, max: 2_000_000 }),
  avgRecordBytes: fc.integer({ min: 1, max: 20_000 }),
  peakFactor: fc.double({ min: 1, max: 4, noNaN: true }),
  stateful: fc.integer({ min: 0, max: 6 }),
  distinctKeys: fc.option(fc.integer({ min: 1, max: 500_000_000 }), { nil: undefined }),
  stateBytesPerKey: fc.option(fc.integer({ min: 1, max: 5000 }), { nil: undefined }),
  complexity: fc.constantFrom('simple', 'medium', 'complex'),
  partitions: fc.option(fc.integer({ min: 1, max: 256 }), { nil: undefined }),
});

const clusterArb = fc.record(
  {
    taskManagerCpu: fc.constantFrom(1, 2, 4, 8, 16),
    slotsPerTaskManager: fc.integer({ min: 1, max: 16 }),
    taskManagerMemory: fc.constantFrom('2g', '4g', '8192m', '16g', '3000m'),
    maxParallelism: fc.constantFrom(128, 360, 720, 1000),
  },
  { requiredKeys: [] },
);

const specArb = fc
  .record({
    flinkVersion: fc.constantFrom('1.18', '1.19', '1.20', '2.0', '2.1'),
    workload: workloadArb,
    cluster: clusterArb,
    backend: fc.option(fc.constantFrom('rocksdb', 'hashmap'), { nil: undefined }),
    utilization: fc.double({ min: 0.3, max: 1, noNaN: true }),
  })
  .map(({ flinkVersion, workload, cluster, backend, utilization }): JobSpecInput => {
    const { stateful, ...rest } = workload;
    return {
      flinkVersion,
      workload: { ...rest, statefulOperators: Math.min(stateful, workload.operators) },
      cluster,
      state: backend === undefined ? {} : { backend },
      targets: { utilization },
    } as JobSpecInput;
  });

const numbers = (o: object) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Number(v)]));

function flinkExact(e: Estimate): boolean {
  const tm = deriveTaskManager(e.taskManagers.flinkConfig, e.flinkVersion);
  const jm = deriveJobManager(e.jobManager.flinkConfig, e.flinkVersion);
  if (!tm.valid || !jm.valid) return false;
  expect(numbers(tm.plan.memory)).toEqual(e.taskManagers.memory);
  expect(numbers(jm.plan.memory)).toEqual(e.jobManager.memory);
  return true;
}

describe('every plan', () => {
  it('is a valid Estimate whose memory Flink derives from its own configuration', () => {
    fc.assert(
      fc.property(specArb, (input) => {
        const e = run(input);
        expect(EstimateSchema.safeParse(e).success).toBe(true);
        expect(flinkExact(e)).toBe(true);
        expect(e.slots.available).toBeGreaterThanOrEqual(e.slots.required);
        expect(e.parallelism.default).toBe(Math.max(...e.operators.map((o) => o.parallelism)));
      }),
      { numRuns: Number(process.env.PROP_RUNS ?? 150) },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(specArb, (input) => {
        expect(run(input)).toEqual(run(input));
      }),
      { numRuns: 40 },
    );
  });
});

describe('monotonicity', () => {
  const unconstrained = workloadArb.map(({ stateful, ...w }) => ({
    ...w,
    statefulOperators: Math.min(stateful, w.operators),
  }));

  it('more records per second never needs fewer cores', () => {
    fc.assert(
      fc.property(unconstrained, fc.double({ min: 1, max: 10, noNaN: true }), (workload, factor) => {
        const low = run({ workload });
        const high = run({
          workload: { ...workload, recordsPerSecond: Math.min(1e10, workload.recordsPerSecond * factor) },
        });
        expect(high.cpu.requiredCores).toBeGreaterThanOrEqual(low.cpu.requiredCores - 1e-9);
        expect(high.cpu.targetCores).toBeGreaterThanOrEqual(low.cpu.targetCores - 1e-9);
        // taskManagerCores is a packing result (a memory-bound plan buys cores with its memory), so
        // it is not itself monotone; the need above is.
      }),
      { numRuns: Number(process.env.PROP_RUNS ?? 150) },
    );
  });

  it('more state never needs less memory', () => {
    fc.assert(
      fc.property(
        unconstrained,
        fc.integer({ min: 2, max: 20 }),
        fc.constantFrom('rocksdb', 'hashmap', undefined),
        (workload, factor, backend) => {
          const w = {
            ...workload,
            operators: Math.max(1, workload.operators),
            statefulOperators: Math.max(1, workload.statefulOperators),
            distinctKeys: workload.distinctKeys ?? 10_000,
            stateBytesPerKey: workload.stateBytesPerKey ?? 40,
          };
          const state = backend === undefined ? {} : { backend };
          const low = run({ workload: w, state });
          const high = run({ workload: { ...w, stateBytesPerKey: w.stateBytesPerKey * factor }, state });
          // With a fixed backend the state itself never shrinks; when the engine switches from HashMap
          // to RocksDB the in-backend overhead changes, but what a checkpoint holds still grows.
          if (backend !== undefined)
            expect(high.state.totalBytes).toBeGreaterThanOrEqual(low.state.totalBytes);
          expect(high.state.checkpoint.fullSizeBytes).toBeGreaterThanOrEqual(
            low.state.checkpoint.fullSizeBytes,
          );
          // Total container memory is a packing result too (the TaskManager shape may change); the
          // state each plan must hold grows, which is what is asserted above.
          // (More state may raise the parallelism to keep each slot under the per-slot state limit,
          // so per-slot state only grows on the same parallelism.)
          const sameParallelism = high.parallelism.default === low.parallelism.default;
          expect(high.state.perSlotBytes).toBeGreaterThanOrEqual(
            backend === undefined || !sameParallelism ? 0 : low.state.perSlotBytes,
          );
          // On the same parallel layout and TaskManager shape (the state did not also change the CPU
          // plan — larger state rows also mean larger output rows to serialize), the memory
          // provisioned per slot never falls. Memory is sized by need, so a TaskManager with more
          // slots spreads its fixed framework memory, metaspace and overhead thinner: the shape is
          // part of the comparison.
          const layout = (e: Estimate) =>
            `${e.operators.map((o) => o.parallelism).join(',')}/${e.taskManagers.cpu}×${e.taskManagers.slotsPerTaskManager}`;
          const perSlot = (e: Estimate) =>
            (e.taskManagers.count * e.taskManagers.containerMemoryMiB) / e.slots.required;
          if (backend !== undefined && layout(high) === layout(low))
            expect(perSlot(high)).toBeGreaterThanOrEqual(perSlot(low) - 1e-9);
        },
      ),
      { numRuns: Number(process.env.PROP_RUNS ?? 150) },
    );
  });

  it('a larger utilization target never needs more cores', () => {
    fc.assert(
      fc.property(
        unconstrained,
        fc.double({ min: 0.2, max: 0.9, noNaN: true }),
        fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        (workload, u, du) => {
          const low = run({ workload, targets: { utilization: u } });
          const high = run({ workload, targets: { utilization: Math.min(1, u + du) } });
          expect(high.cpu.targetCores).toBeLessThanOrEqual(low.cpu.targetCores + 1e-9);
        },
      ),
      { numRuns: Number(process.env.PROP_RUNS ?? 150) },
    );
  });
});

/** Random pipelines: fan-out, two-input joins, lookups, user overrides, partition-bound sources. */
const pipelineArb = fc
  .record({
    sources: fc.array(
      fc.record({
        recordsPerSecond: fc.integer({ min: 1, max: 500_000 }),
        avgRecordBytes: fc.integer({ min: 1, max: 5000 }),
        partitions: fc.option(fc.integer({ min: 1, max: 64 }), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    operators: fc.array(
      fc.record({
        kind: fc.constantFrom(
          'map',
          'filter',
          'aggregate',
          'window-aggregate',
          'lookup-join',
          'regular-join',
          'deduplicate',
        ),
        from: fc.nat(),
        other: fc.nat(),
        keys: fc.integer({ min: 1, max: 10_000_000 }),
        bytes: fc.integer({ min: 1, max: 2000 }),
        async: fc.boolean(),
        parallelism: fc.option(fc.integer({ min: 1, max: 64 }), { nil: undefined, freq: 6 }),
      }),
      { minLength: 1, maxLength: 8 },
    ),
  })
  .map(({ sources, operators }) => {
    const ids = sources.map((_, i) => `s${i}`);
    const used = new Set<string>();
    const ops = operators.map((o, i) => {
      const id = `o${i}`;
      const a = at(ids, o.from % ids.length);
      const b = at(ids, o.other % ids.length);
      const inputs = o.kind === 'regular-join' && a !== b ? [a, b] : [a];
      const kind = o.kind === 'regular-join' && inputs.length < 2 ? 'map' : o.kind;
      for (const input of inputs) used.add(input);
      ids.push(id);
      const keyed = { distinctKeys: o.keys, stateBytesPerKey: o.bytes };
      return {
        id,
        kind,
        inputs,
        ...(o.parallelism !== undefined ? { parallelism: o.parallelism } : {}),
        ...(kind === 'filter' ? { outputRatio: 0.5 } : {}),
        ...(kind === 'aggregate' || kind === 'deduplicate' ? { ...keyed, ttlSeconds: 3600 } : {}),
        ...(kind === 'regular-join' ? { ...keyed, ttlSeconds: 600 } : {}),
        ...(kind === 'window-aggregate' ? { ...keyed, window: { type: 'tumbling', sizeSeconds: 60 } } : {}),
        ...(kind === 'lookup-join' ? { lookupLatencyMs: 5, async: o.async } : {}),
      };
    });
    const sinks = ids
      .filter((id) => !used.has(id))
      .map((id, i) => ({ id: `k${i}`, kind: 'kafka', inputs: [id] }));
    return {
      sources: sources.map((s, i) => ({ id: `s${i}`, kind: 'kafka', ...s })),
      operators: ops,
      sinks,
    };
  });

describe('monotonicity of pipelines', () => {
  type Pipeline = ReturnType<typeof pipelineArb.generate>['value'];
  const scaled = (p: Pipeline, factor: number): Pipeline => ({
    ...p,
    sources: p.sources.map((s) => ({ ...s, recordsPerSecond: Math.min(1e10, s.recordsPerSecond * factor) })),
  });

  it('more records per second never needs fewer cores', () => {
    fc.assert(
      fc.property(pipelineArb, fc.double({ min: 1, max: 10, noNaN: true }), (pipeline, factor) => {
        const low = run({ pipeline } as JobSpecInput);
        const high = run({ pipeline: scaled(pipeline, factor) } as JobSpecInput);
        expect(high.cpu.requiredCores).toBeGreaterThanOrEqual(low.cpu.requiredCores - 1e-9);
        expect(high.cpu.targetCores).toBeGreaterThanOrEqual(low.cpu.targetCores - 1e-9);
      }),
      { numRuns: Number(process.env.PROP_RUNS ?? 150) },
    );
  });

  it('a larger utilization target never needs more cores', () => {
    fc.assert(
      fc.property(
        pipelineArb,
        fc.double({ min: 0.2, max: 0.9, noNaN: true }),
        fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        (pipeline, u, du) => {
          const low = run({ pipeline, targets: { utilization: u } } as JobSpecInput);
          const high = run({ pipeline, targets: { utilization: Math.min(1, u + du) } } as JobSpecInput);
          expect(high.cpu.targetCores).toBeLessThanOrEqual(low.cpu.targetCores + 1e-9);
        },
      ),
      { numRuns: Number(process.env.PROP_RUNS ?? 150) },
    );
  });
});
