/** Flink SQL and DataStream jobs are planned and priced the way each runs. */
import { describe, expect, it } from 'vitest';
import { defaultModel, estimate } from '../../../src/estimator/index.js';
import type { Node } from '../../../src/estimator/normalize.js';
import { applySqlParallelism } from '../../../src/estimator/parallelism/constraints.js';
import type { Task } from '../../../src/estimator/parallelism/types.js';
import { type JobSpecInput, JobSpecSchema } from '../../../src/jobspec/index.js';

const run = (input: JobSpecInput) => estimate(JobSpecSchema.parse(input));
const op = (e: ReturnType<typeof run>, id: string) => {
  const o = e.operators.find((x) => x.id === id);
  if (!o) throw new Error(`no node ${id}`);
  return o;
};
const c = defaultModel.cpu;

/** 100k records/s from a 12-partition topic into a heavy keyed aggregate. */
const heavyAggregate = (extra: Partial<JobSpecInput>): JobSpecInput => ({
  pipeline: {
    sources: [{ id: 'in', kind: 'kafka', recordsPerSecond: 100_000, avgRecordBytes: 100, partitions: 12 }],
    operators: [{ id: 'agg', kind: 'aggregate', inputs: ['in'], distinctKeys: 1000, costFactor: 40 }],
    sinks: [{ id: 'out', kind: 'blackhole', inputs: ['agg'] }],
  },
  state: { backend: 'rocksdb' },
  ...extra,
});

describe('one parallelism for every SQL operator', () => {
  it('runs a source without scan.parallelism (Flink 1.18) at the job parallelism, idle subtasks and all', () => {
    const e = run(heavyAggregate({ flinkVersion: '1.18' }));
    const p = op(e, 'agg').parallelism;
    expect(p).toBeGreaterThan(12);
    expect(op(e, 'in')).toMatchObject({ parallelism: p, parallelismDecidedBy: 'sql' });
    const why = e.explanation.find((x) => x.topic === 'operator:in');
    expect(why?.text).toContain(`above its 12 partitions: ${p - 12} subtasks idle`);
  });

  it('lets a Kafka source keep its own parallelism only where its connector reads scan.parallelism (Flink 2.0)', () => {
    const e = run(heavyAggregate({ flinkVersion: '2.0' }));
    expect(op(e, 'in').parallelism).toBeLessThanOrEqual(12);
    expect(op(e, 'agg').parallelism).toBeGreaterThan(12);
    // flink-connector-kafka 3.x (Flink 1.19/1.20) has no scan.parallelism: the source joins the rest.
    const older = run(heavyAggregate({ flinkVersion: '1.20' }));
    const p = op(older, 'agg').parallelism;
    expect(op(older, 'in')).toMatchObject({ parallelism: p, parallelismDecidedBy: 'sql' });
    expect(older.explanation.find((x) => x.topic === 'operator:in')?.text).toContain(
      "the kafka connector's scan.parallelism needs flink-connector-kafka 4.0, for Flink 2.0, not 1.20",
    );
    // The idle subtasks are warned about, naming the rule that put them there.
    expect(older.warnings.find((w) => w.code === 'PARALLELISM_EXCEEDS_PARTITIONS')?.message).toBe(
      `Source "in" runs ${p} subtasks for 12 partitions: ${p - 12} subtasks get no partition and sit idle (and can hold back watermarks). Flink SQL runs it at the job's one parallelism (the kafka connector's scan.parallelism needs flink-connector-kafka 4.0, for Flink 2.0, not 1.20).`,
    );
  });

  it('raises every task but own-parallelism sources/sinks and single keys to the largest, on a divisor of max parallelism', () => {
    const nodes: Node[] = [
      {
        role: 'source',
        id: 'kafka',
        kind: 'kafka',
        inputs: [],
        recordsPerSecond: 1,
        peakFactor: 1,
        avgRecordBytes: 1,
        format: 'json',
      },
      {
        role: 'source',
        id: 'files',
        kind: 'filesystem',
        inputs: [],
        recordsPerSecond: 1,
        peakFactor: 1,
        avgRecordBytes: 1,
        format: 'csv',
      },
      {
        role: 'operator',
        id: 'map',
        kind: 'map',
        inputs: ['kafka', 'files'],
        costFactor: 1,
        distinctAggregates: 0,
      },
      {
        role: 'operator',
        id: 'agg',
        kind: 'aggregate',
        inputs: ['map'],
        costFactor: 1,
        distinctAggregates: 0,
      },
      {
        role: 'operator',
        id: 'global',
        kind: 'aggregate',
        inputs: ['agg'],
        costFactor: 1,
        distinctAggregates: 0,
        distinctKeys: 1,
      },
      { role: 'sink', id: 'to-kafka', kind: 'kafka', inputs: ['global'], format: 'json' },
      { role: 'sink', id: 'to-null', kind: 'blackhole', inputs: ['agg'], format: 'raw' },
    ];
    const task = (head: number, p: number): Task => ({
      head,
      members: [head],
      demand: p,
      floor: 0,
      p,
      decidedBy: 'throughput',
      fixed: false,
      why: '',
      limitedByPartitions: false,
      limitedByMaxParallelism: false,
    });
    const tasks = [task(0, 4), task(1, 2), task(2, 7), task(3, 5), task(4, 1), task(5, 2), task(6, 3)];
    applySqlParallelism(nodes, tasks, '2.0', 120);
    // The largest joining task is 7; a keyed one joins, so the first divisor of 120 from 7: 8.
    // Kafka keeps scan.parallelism (4) and sink.parallelism (2); filesystem and blackhole have
    // neither; the one-key aggregate stays at 1 (SQL's singleton distribution).
    expect(tasks.map((t) => t.p)).toEqual([4, 8, 8, 8, 1, 2, 8]);
    expect(tasks[1]?.decidedBy).toBe('sql');
    expect(tasks[1]?.why).toContain("raised from 2 to 8, the job's one SQL parallelism");
  });
});

describe('window pricing per API', () => {
  /** 1000 records/s over 100 keys in a 60 s window sliding by 15 s (4 windows per record). */
  const hopping = (api: 'sql' | 'datastream'): JobSpecInput => ({
    api,
    pipeline: {
      sources: [{ id: 'k', kind: 'datagen', recordsPerSecond: 1000, avgRecordBytes: 100 }],
      operators: [
        {
          id: 'h',
          kind: 'window-aggregate',
          inputs: ['k'],
          window: { type: 'hopping', sizeSeconds: 60, slideSeconds: 15 },
          distinctKeys: 100,
          stateBytesPerKey: 50,
        },
      ],
      sinks: [{ id: 'out', kind: 'blackhole', inputs: ['h'] }],
    },
    state: { backend: 'rocksdb' },
  });

  it('DataStream copies each record into size ÷ slide = 4 windows', () => {
    expect(op(run(hopping('datastream')), 'h').costMicrosPerRecord).toBeCloseTo(4 * c.windowAssignMicros, 6);
  });

  it('SQL window TVF updates one slice per record and merges 4 slices per result', () => {
    // 100 keys active per window emit every 15 s: 6.667 results/s ÷ 1000 records/s = 0.006667 per
    // record, each merging 4 slices at 2.111 µs: 6.764 + 0.006667 × 4 × 2.111 = 6.8203 µs.
    const results = 100 / 15 / 1000;
    expect(op(run(hopping('sql')), 'h').costMicrosPerRecord).toBeCloseTo(
      c.windowAssignMicros + results * 4 * c.sliceMergeMicros,
      4,
    );
    expect(c.windowAssignMicros + results * 4 * c.sliceMergeMicros).toBeCloseTo(6.8203, 3);
  });
});

describe('mini-batch and two-phase aggregation', () => {
  /** 10,000 records/s over 100 keys; with a 1 s mini-batch each key appears ~100 times per batch. */
  const agg = (sql?: JobSpecInput['sql']): JobSpecInput => ({
    ...(sql !== undefined ? { sql } : {}),
    pipeline: {
      sources: [{ id: 'k', kind: 'datagen', recordsPerSecond: 10_000, avgRecordBytes: 100 }],
      operators: [{ id: 'a', kind: 'aggregate', inputs: ['k'], distinctKeys: 100 }],
      sinks: [{ id: 'out', kind: 'blackhole', inputs: ['a'] }],
    },
    state: { backend: 'rocksdb' },
  });

  it('without mini-batch (false, or DataStream), touches state on every record: q17 + (q12 − q17) = 6.765 µs', () => {
    expect(c.stateAccessMicros).toBeCloseTo(4.654, 3);
    const perRecord = c.operatorMicros.aggregate + c.stateAccessMicros;
    expect(op(run(agg({ miniBatch: false })), 'a').costMicrosPerRecord).toBeCloseTo(perRecord, 6);
    expect(op(run({ ...agg(), api: 'datastream' }), 'a').costMicrosPerRecord).toBeCloseTo(perRecord, 6);
  });

  it('without sql.miniBatch, prices Flink’s default (table.exec.mini-batch.enabled false): 6.765 µs', () => {
    const e = run(agg());
    expect(op(e, 'a').costMicrosPerRecord).toBeCloseTo(2.111 + 4.654, 3);
    // One update per input record leaves the aggregate, as without mini-batch.
    expect(op(e, 'a').outputRecordsPerSecond).toBe(op(e, 'a').inputRecordsPerSecond);
  });

  it('with mini-batch, once per key and batch: 100 keys ÷ 10,000 records = 0.01 accesses per record', () => {
    const e = run(agg({ miniBatch: { allowLatencyMs: 1000 }, aggPhaseStrategy: 'ONE_PHASE' }));
    // activeKeys(100, 10,000/s, 1 s) = 100 × (1 − e^−100) = 100.
    expect(op(e, 'a').costMicrosPerRecord).toBeCloseTo(
      c.operatorMicros.aggregate + 0.01 * c.stateAccessMicros,
      6,
    );
  });

  it('two-phase: the local phase runs on the input, the global one sees 0.01 partials per record', () => {
    const e = run(agg({ miniBatch: { allowLatencyMs: 1000 } }));
    expect(op(e, 'a').costMicrosPerRecord).toBeCloseTo(
      0.01 * (c.operatorMicros.aggregate + c.stateAccessMicros),
      6,
    );
    // datagen: q0 framework + the local accumulate (q17 − q0) per record.
    expect(op(e, 'k').costMicrosPerRecord).toBeCloseTo(
      c.recordFrameworkMicros + c.operatorMicros.aggregate,
      6,
    );
  });

  it('two-phase takes a hot key off one subtask: one partial per batch instead of half the records', () => {
    /** 200k records/s, 1000 keys, one key carries half; costFactor 10 makes the work matter. */
    const hot = (aggPhaseStrategy: 'ONE_PHASE' | 'AUTO'): JobSpecInput => ({
      sql: { miniBatch: { allowLatencyMs: 1000 }, aggPhaseStrategy },
      pipeline: {
        sources: [
          { id: 'k', kind: 'kafka', recordsPerSecond: 200_000, avgRecordBytes: 100, partitions: 120 },
        ],
        operators: [
          { id: 'a', kind: 'aggregate', inputs: ['k'], distinctKeys: 1000, hotKeyShare: 0.5, costFactor: 10 },
        ],
        sinks: [{ id: 'out', kind: 'blackhole', inputs: ['a'] }],
      },
      state: { backend: 'rocksdb' },
    });
    // One phase: 10 × (2.111 + 0.005 × 4.654) = 21.343 µs; the hot subtask gets 100,000 records/s,
    // 213% of one subtask's 46,854.
    const one = run(hot('ONE_PHASE'));
    const w = one.warnings.find((x) => x.code === 'HOT_KEY');
    expect(w?.severity).toBe('critical');
    expect(w?.message).toContain('100,000 records/s at peak');
    expect(w?.message).toContain('213%');
    // Two phases: the hot key is one of the batch's 1000 keys (share 1/1000 ≤ 1/p): no warning.
    const two = run(hot('AUTO'));
    expect(two.warnings.map((x) => x.code)).not.toContain('HOT_KEY');
  });

  it('refuses SQL options on a DataStream job and two-phase without mini-batch', () => {
    const ds = JobSpecSchema.safeParse({
      ...agg({ miniBatch: { allowLatencyMs: 1000 } }),
      api: 'datastream',
    });
    expect(ds.success).toBe(false);
    expect(ds.error?.issues[0]?.path).toEqual(['sql']);
    const two = JobSpecSchema.safeParse(agg({ aggPhaseStrategy: 'TWO_PHASE' }));
    expect(two.error?.issues[0]?.path).toEqual(['sql', 'aggPhaseStrategy']);
  });
});
