/**
 * One step of the engine at a time, with expectations computed by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { planCheckpoints, touchedFraction } from '../../../src/estimator/checkpoints.js';
import { defaultPricing, monthlyCost } from '../../../src/estimator/cost.js';
import { nodeCosts } from '../../../src/estimator/cpu.js';
import { defaultModel } from '../../../src/estimator/model.js';
import { nicBytesPerSecond } from '../../../src/estimator/network.js';
import { normalize, workloadToPipeline } from '../../../src/estimator/normalize.js';
import {
  busiestSubtaskShare,
  computeParallelism,
  recommendedMaxParallelism,
  targetCapacity,
} from '../../../src/estimator/parallelism/index.js';
import { computeRates } from '../../../src/estimator/rates.js';
import { shapeLadder } from '../../../src/estimator/shapes.js';
import { keyGroupPrefixBytes, stateBytes, stateShapes } from '../../../src/estimator/state.js';
import { busiestTaskManagerCores, rocksDbManagedPerSlot } from '../../../src/estimator/taskmanagers.js';
import { type JobSpecInput, JobSpecSchema } from '../../../src/jobspec/index.js';
import { at, present } from '../../support/checked.js';

const model = defaultModel;
const targets = { utilization: 0.7, catchUpMinutes: 30, restartSeconds: 300 };
const parse = (input: JobSpecInput) => JobSpecSchema.parse(input);

function plan(input: JobSpecInput) {
  const spec = parse(input);
  const graph = normalize(spec, model);
  const rates = computeRates(graph);
  const shapes = stateShapes(graph, computeRates(graph, 'average'), rates, model);
  const costs = nodeCosts(graph, rates, shapes, 'rocksdb', model);
  const { nodes: pars } = computeParallelism({
    graph,
    ladder: shapeLadder(spec.cluster, undefined, undefined, model),
    rates,
    costs,
    targets: spec.targets,
    maxParallelism: spec.cluster.maxParallelism,
    model,
  });
  const byId = (id: string) => present(graph.index.get(id), `node ${id}`);
  return { spec, graph, rates, shapes, costs, pars, byId };
}

describe('normalize', () => {
  it('turns the quick form into sources → chain → sinks, in topological order', () => {
    const spec = parse({
      workload: {
        sources: 2,
        operators: 3,
        sinks: 2,
        recordsPerSecond: 1000,
        avgRecordBytes: 100,
        statefulOperators: 1,
        distinctKeys: 50,
      },
    });
    const graph = normalize(spec, model);
    expect(graph.nodes.map((n) => `${n.id}:${n.kind}`)).toEqual([
      'source-1:kafka',
      'source-2:kafka',
      'union:project',
      'operator-1:aggregate',
      'operator-2:udf',
      'operator-3:udf',
      'sink-1:kafka',
      'sink-2:kafka',
    ]);
    const pipeline = workloadToPipeline(present(spec.workload, 'spec.workload'), model);
    expect(pipeline.sources.map((s) => s.recordsPerSecond)).toEqual([500, 500]);
  });

  it('maps complexity to the stateless kind and cost factor', () => {
    const complex = parse({
      workload: {
        sources: 1,
        operators: 1,
        sinks: 1,
        recordsPerSecond: 1,
        avgRecordBytes: 1,
        complexity: 'complex',
      },
    });
    const node = at(normalize(complex, model).nodes, 1);
    expect(node.kind).toBe('udf');
    expect(node.role === 'operator' && node.costFactor).toBe(2);
  });
});

describe('rates', () => {
  it('adds inputs, applies outputRatio and peakFactor, and emits one window result per key and firing', () => {
    const { rates, byId } = plan({
      pipeline: {
        sources: [
          { id: 'a', kind: 'kafka', recordsPerSecond: 1000, avgRecordBytes: 100, peakFactor: 2 },
          { id: 'b', kind: 'kafka', recordsPerSecond: 500, avgRecordBytes: 400 },
        ],
        operators: [
          { id: 'u', kind: 'filter', inputs: ['a', 'b'], outputRatio: 0.5 },
          {
            id: 'w',
            kind: 'window-aggregate',
            inputs: ['u'],
            window: { type: 'tumbling', sizeSeconds: 60 },
            distinctKeys: 600,
            stateBytesPerKey: 40,
          },
        ],
        sinks: [{ id: 's', kind: 'kafka', inputs: ['w'] }],
      },
    });
    // a: 1000 × 2 = 2000/s at 100 B; b: 500/s at 400 B → u in 2500/s, size (2000·100 + 500·400)/2500 = 160 B.
    expect(at(rates, byId('u')).inRecordsPerSecond).toBe(2500);
    expect(at(rates, byId('u')).inRecordBytes).toBe(160);
    expect(at(rates, byId('u')).outRecordsPerSecond).toBe(1250);
    // 600 keys × one result per 60 s window = 10/s (below the 1250/s input); rows of 40 B.
    expect(at(rates, byId('w')).outRecordsPerSecond).toBeCloseTo(10, 9);
    expect(at(rates, byId('w')).outRecordBytes).toBe(40);
    expect(at(rates, byId('s')).inRecordsPerSecond).toBeCloseTo(10, 9);
  });
});

describe('cpu cost per record', () => {
  it('sums framework, connector and deserialization for a Kafka JSON source', () => {
    const { costs, byId } = plan({
      pipeline: {
        sources: [{ id: 'k', kind: 'kafka', recordsPerSecond: 1000, avgRecordBytes: 1000 }],
        operators: [{ id: 'm', kind: 'map', inputs: ['k'] }],
        sinks: [{ id: 's', kind: 'blackhole', inputs: ['m'] }],
      },
    });
    // 5.701 + 7.402 + 1000 B × 1.276 ns = 14.379 µs.
    expect(at(costs, byId('k')).micros).toBeCloseTo(5.701 + 7.402 + 1.276, 6);
    expect(at(costs, byId('m')).micros).toBeCloseTo(1.244, 6);
    // A blackhole discards for free; handing it the record costs the emission (Nexmark q0 − q2).
    expect(at(costs, byId('s')).micros).toBeCloseTo(0.815, 6);
  });

  it('prices hopping windows per window, distinct aggregates, top-n size and keyed record size', () => {
    const { costs, byId } = plan({
      // DataStream sliding windows: each record is copied into size ÷ slide windows.
      api: 'datastream',
      pipeline: {
        sources: [{ id: 'k', kind: 'datagen', recordsPerSecond: 1000, avgRecordBytes: 300 }],
        operators: [
          {
            id: 'h',
            kind: 'window-aggregate',
            inputs: ['k'],
            window: { type: 'hopping', sizeSeconds: 60, slideSeconds: 15 },
            distinctAggregates: 2,
          },
          { id: 't', kind: 'top-n', inputs: ['h'], n: 100, outputRatio: 1 },
        ],
        sinks: [{ id: 's', kind: 'blackhole', inputs: ['t'] }],
      },
    });
    // 4 windows × 6.764 + 2 × 10.634 + (300 − 100) B × 2.436 ns keyed shuffle = 27.056 + 21.268 + 0.4872.
    expect(at(costs, byId('h')).micros).toBeCloseTo(4 * 6.764 + 2 * 10.634 + 0.4872, 4);
    // 16.256 × log2(101) / log2(11); its input rows are the aggregate's 300 B rows (no stateBytesPerKey).
    expect(at(costs, byId('t')).micros).toBeCloseTo((16.256 * Math.log2(101)) / Math.log2(11) + 0.4872, 4);
  });
});

describe('parallelism', () => {
  it('reproduces the autoscaler’s target capacity (docs/model.md, "Capacity": 1000/s → 1595)', () => {
    // round(1000 × 300/1800 + 1000/0.7) = round(166.67 + 1428.57) = 1595.
    expect(targetCapacity(1000, targets)).toBe(1595);
    // No catch-up: no restart term.
    expect(targetCapacity(1000, { ...targets, catchUpMinutes: 0 })).toBe(1429);
  });

  it('keeps a source on a divisor of its partitions, and caps it there', () => {
    const source = (partitions: number, rate: number) =>
      at(
        plan({
          pipeline: {
            sources: [{ id: 'k', kind: 'kafka', recordsPerSecond: rate, avgRecordBytes: 100, partitions }],
            operators: [],
            sinks: [{ id: 's', kind: 'blackhole', inputs: ['k'] }],
          },
        }).pars,
        0,
      );
    // Cost 5.701 + 7.402 + 0.1276 = 13.2306 µs → 75,582 records/s per subtask. 250,000/s needs
    // round(250000/6 + 250000/0.7) = 398,810 → ⌈5.28⌉ = 6 subtasks, a divisor of 24.
    expect(source(24, 250_000).parallelism).toBe(6);
    // With 20 partitions the first divisor ≥ 6 is 10.
    const twenty = source(20, 250_000);
    expect(twenty.parallelism).toBe(10);
    expect(twenty.decidedBy).toBe('partitions');
    // 4 partitions cannot serve 6 subtasks' worth of work: capped, flagged.
    const four = source(4, 250_000);
    expect(four.parallelism).toBe(4);
    expect(four.limitedByPartitions).toBe(true);
  });

  it('aligns a keyed operator to a divisor of an explicit max parallelism', () => {
    const { pars, byId } = plan({
      pipeline: {
        sources: [{ id: 'k', kind: 'datagen', recordsPerSecond: 100_000, avgRecordBytes: 100 }],
        operators: [{ id: 'g', kind: 'aggregate', inputs: ['k'], distinctKeys: 1000 }],
        sinks: [{ id: 's', kind: 'blackhole', inputs: ['g'] }],
      },
      cluster: { maxParallelism: 120 },
    });
    // The job parallelism is a divisor of 120, so every keyed subtask owns the same key groups.
    expect(120 % at(pars, byId('g')).parallelism).toBe(0);
    expect(at(pars, byId('g')).skew).toBe(1);
  });

  it('accounts for uneven key groups under Flink’s default max parallelism', () => {
    // 128 key groups over 100 subtasks: 28 own 2, 72 own 1 → the busiest does 2 / 1.28 = 1.5625×.
    expect(busiestSubtaskShare(100, 128)).toBeCloseTo(1.5625, 6);
    expect(busiestSubtaskShare(64, 128)).toBe(1);
    // Room for 4 × 40 = 160: of 180, 240, 360, 720, the smallest that 40 divides is 240 (180 / 40 = 4.5).
    expect(recommendedMaxParallelism(40, model)).toBe(240);
    // Room for 400: 100 divides none of 720, 1440, 2520, 5040 (7.2, 14.4, 25.2, 50.4), so the first
    // with room, 720.
    expect(recommendedMaxParallelism(100, model)).toBe(720);
  });

  it('chains stateless operators into their input and keeps overrides', () => {
    const { pars, byId } = plan({
      pipeline: {
        sources: [{ id: 'k', kind: 'kafka', recordsPerSecond: 10_000, avgRecordBytes: 100, partitions: 12 }],
        operators: [
          { id: 'm', kind: 'map', inputs: ['k'] },
          { id: 'g', kind: 'aggregate', inputs: ['m'], distinctKeys: 10, parallelism: 3 },
        ],
        sinks: [{ id: 's', kind: 'kafka', inputs: ['g'] }],
      },
    });
    expect(at(pars, byId('m')).parallelism).toBe(at(pars, byId('k')).parallelism);
    expect(at(pars, byId('m')).chainHead).toBe('k');
    expect(at(pars, byId('g')).parallelism).toBe(3);
    expect(at(pars, byId('g')).decidedBy).toBe('user');
    expect(at(pars, byId('s')).chainHead).toBe('g');
  });

  it('sizes a synchronous lookup join by its latency, an async one by its capacity', () => {
    const lookup = (async: boolean) =>
      plan({
        pipeline: {
          sources: [{ id: 'k', kind: 'datagen', recordsPerSecond: 1000, avgRecordBytes: 100 }],
          operators: [{ id: 'l', kind: 'lookup-join', inputs: ['k'], lookupLatencyMs: 10, async }],
          sinks: [{ id: 's', kind: 'blackhole', inputs: ['l'] }],
        },
      });
    // Sync: 1 / (1.199 µs + 10 ms) ≈ 99.9 records/s per subtask; target 1595 → 16 subtasks.
    const sync = lookup(false);
    expect(at(sync.pars, sync.byId('l')).needed).toBe(16);
    // Async with 100 in flight: 100 / 10 ms = 10,000/s per subtask → 1.
    const asyncPlan = lookup(true);
    expect(at(asyncPlan.pars, asyncPlan.byId('l')).needed).toBe(1);
  });
});

describe('state', () => {
  it('counts entries per window type and prices them per backend', () => {
    const { shapes, byId, pars } = plan({
      // DataStream sliding windows: each record is copied into size ÷ slide windows.
      api: 'datastream',
      pipeline: {
        sources: [{ id: 'k', kind: 'datagen', recordsPerSecond: 1000, avgRecordBytes: 100 }],
        operators: [
          {
            id: 'h',
            kind: 'window-aggregate',
            inputs: ['k'],
            window: { type: 'hopping', sizeSeconds: 60, slideSeconds: 20 },
            distinctKeys: 1000,
            stateBytesPerKey: 50,
          },
          { id: 'j', kind: 'regular-join', inputs: ['k', 'h'], ttlSeconds: 3600 },
        ],
        sinks: [{ id: 's', kind: 'blackhole', inputs: ['j'] }],
      },
    });
    const h = at(shapes, byId('h'));
    // 1000 keys × 3 windows; a timer per key and window.
    expect(h.entries).toBe(3000);
    expect(h.timers).toBe(3000);
    const rocks = stateBytes(h, 'rocksdb', at(pars, byId('h')).maxParallelism, model);
    // The plan creates the job with max parallelism 128 (its parallelism divides it; at most 128: a
    // 1-byte key-group prefix): (50 + 1 prefix + 16 namespace + 8 internal key) × 3000 +
    // (24 + 1 + 8) × 3000 = 225,000 + 99,000 = 324,000 × 1.111.
    expect(at(pars, byId('h')).maxParallelism).toBe(128);
    expect(rocks.backendBytes).toBe(Math.ceil(324_000 * 1.111));
    // Under 180 (2 bytes) each of the 6,000 entries and timers is a byte larger: 330,000 × 1.111.
    expect(stateBytes(h, 'rocksdb', 180, model).backendBytes).toBe(Math.ceil(330_000 * 1.111));
    const heap = stateBytes(h, 'hashmap', 128, model);
    // (50 + 16 + 76) × 3000 + (24 + 76) × 3000 = 726,000 on the heap; checkpoint (50+1+16)·3000 + 25·3000.
    expect(heap.backendBytes).toBe(726_000);
    expect(heap.checkpointBytes).toBe(276_000);
    const j = at(shapes, byId('j'));
    // Regular join with TTL: input (1000 + 3000/20 per s... = the window's output) × 3600 s rows.
    expect(j.unbounded).toBe(false);
    expect(j.entries).toBeCloseTo((1000 + 1000 / 20) * 3600, 6);
    expect(keyGroupPrefixBytes(128)).toBe(1);
    expect(keyGroupPrefixBytes(129)).toBe(2);
  });

  it('flags a regular join without TTL as unbounded with a stated assumption', () => {
    const { shapes } = plan({
      pipeline: {
        sources: [
          { id: 'a', kind: 'datagen', recordsPerSecond: 10, avgRecordBytes: 100 },
          { id: 'b', kind: 'datagen', recordsPerSecond: 10, avgRecordBytes: 100 },
        ],
        operators: [{ id: 'j', kind: 'regular-join', inputs: ['a', 'b'] }],
        sinks: [{ id: 's', kind: 'blackhole', inputs: ['j'] }],
      },
    });
    const j = at(shapes, 2);
    expect(j.unbounded).toBe(true);
    // 20 rows/s × 24 h.
    expect(j.entries).toBe(20 * 86400);
    expect(j.assumption).toContain('24 hours');
  });
});

describe('checkpoints', () => {
  /** 1 GB of state in 1M entries written at 1000/s, half of it on the busiest of 6-slot TaskManagers. */
  const oneGigabyteCheckpoint = (backend: 'rocksdb' | 'hashmap') =>
    planCheckpoints({
      nodes: [
        {
          shape: { entries: 1e6, timers: 0, writesPerSecond: 1000 } as Parameters<
            typeof planCheckpoints
          >[0]['nodes'][number]['shape'],
          stateBytes: { backendBytes: 1e9, checkpointBytes: 1e9 },
        },
      ],
      backend,
      state: { checkpointIntervalSeconds: 60, unalignedCheckpoints: false },
      busiestTaskManagerShare: 0.5,
      slotsPerTaskManager: 6,
      buffersPerTaskManager: 1000,
      nicBytesPerSecond: nicBytesPerSecond(10),
      model,
    });

  it('estimates the incremental share from the write rate', () => {
    // 1000 writes/s over 1M entries for 60 s: 1 − e^(−0.06) = 5.82%.
    expect(touchedFraction(1e6, 1000, 60)).toBeCloseTo(1 - Math.exp(-0.06), 12);
    const cp = oneGigabyteCheckpoint('rocksdb');
    expect(cp.incremental).toBe(true);
    expect(cp.sizeBytes).toBe(Math.ceil(1e9 * (1 - Math.exp(-0.06))));
    // Busiest TaskManager uploads half of it at 4 × 85 MB/s.
    expect(cp.storageBytesPerSecond).toBe(340e6);
    expect(cp.estimatedDurationSeconds).toBeCloseTo((1e9 * (1 - Math.exp(-0.06)) * 0.5) / 340e6, 6);
  });

  it('uploads a HashMap snapshot with one stream per slot', () => {
    const cp = oneGigabyteCheckpoint('hashmap');
    // Always the full state; 6 slots × 85 MB/s = 510 MB/s.
    expect(cp.incremental).toBe(false);
    expect(cp.sizeBytes).toBe(1e9);
    expect(cp.uploadStreams).toBe(6);
    expect(cp.estimatedDurationSeconds).toBeCloseTo((1e9 * 0.5) / 510e6, 6);
  });
});

describe('TaskManager helpers and cost', () => {
  it('gives RocksDB an arena block per column family inside 7/8 of the write-buffer manager', () => {
    // 4 column families × 8 MiB arena blocks = 32 MiB ≤ 7/8 WBM → WBM ≥ 36.57 MiB → M = 3·WBM/(2·0.5).
    const managed = rocksDbManagedPerSlot(4, 0, 0, model);
    const wbm = Math.ceil((4 * 8 * 2 ** 20 * 8) / 7);
    expect(Number(managed.total)).toBeCloseTo(wbm * 3, -1);
    expect(rocksDbManagedPerSlot(0, 0, 0, model).total).toBe(0n);
  });

  it('puts the heaviest slots on the first TaskManager', () => {
    expect(busiestTaskManagerCores([0.9, 0.9, 0.4, 0.4], 2)).toBeCloseTo(1.8, 12);
  });

  it('prices cores and GiB by the hour over a 730-hour month', () => {
    // (3 × 4 + 1) cores × 0.04048 + (3 × 16384 + 2048) MiB ÷ 1024 = 50 GiB × 0.004445 → × 730.
    const cost = monthlyCost(
      { count: 3, cpu: 4, containerMiB: 16384 },
      { cpu: 1, containerMiB: 2048 },
      defaultPricing,
    );
    expect(cost.cores).toBe(13);
    expect(cost.memoryGiB).toBe(50);
    expect(cost.monthly).toBeCloseTo((13 * 0.04048 + 50 * 0.004445) * 730, 2);
  });
});
