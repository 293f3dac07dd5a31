/** Large state is spread until no slot holds more than the model's limit, or a warning names why not. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/estimator/index.js';
import { defaultModel } from '../../../src/estimator/model.js';
import { stateLimitPerSlot } from '../../../src/estimator/nodes.js';
import { type JobSpecInput, JobSpecSchema } from '../../../src/jobspec/index.js';
import { ttlJoin6h } from '../../fixtures/realistic-jobs.js';
import { at, present } from '../../support/checked.js';

const run = (input: JobSpecInput) => estimate(JobSpecSchema.parse(input));
/**
 * The join as a DataStream job, so that state alone sets its parallelism: as SQL on 1.20 its Kafka
 * sources run at the job parallelism and 12 (dividing their 12 partitions) is chosen instead of
 * 10 (sql-partitions.test.ts).
 */
const ttlJoinDataStream: JobSpecInput = { ...ttlJoin6h, api: 'datastream' };

describe('state per slot is bounded', () => {
  it('limits a slot to what one stream restores within restartSeconds: 300 s × 85 MB/s = 25.5 GB', () => {
    expect(stateLimitPerSlot(JobSpecSchema.parse(ttlJoin6h), defaultModel)).toEqual({
      bytes: 25.5e9,
      decidedBy: 'restore',
      slotsPerCore: 1,
    });
  });

  it('spreads the 6 h TTL join’s 232.9 GiB over 10 subtasks instead of 3', () => {
    const e = run(ttlJoinDataStream);
    const join = present(
      e.operators.find((o) => o.id === 'join'),
      'the join operator',
    );
    // 216M rows × 1,042 B × 1.111 = 250,059,513,000 B ÷ 25.5 GB = 9.8 → 10 subtasks.
    expect(join.parallelism).toBe(10);
    expect(join.parallelismDecidedBy).toBe('state');
    expect(join.stateBytes / join.parallelism).toBeLessThanOrEqual(25.5e9);
    expect(e.warnings.map((w) => w.code)).not.toContain('STATE_EXCEEDS_SLOT_LIMIT');
  });

  it('says what a restore of the busiest slot takes against the restart target', () => {
    const e = run(ttlJoinDataStream);
    // The join's state over its 10 subtasks, 25,029,496,800 B per slot, ÷ 85 MB/s = 294.5 → ~295 s.
    const join = present(
      e.operators.find((o) => o.id === 'join'),
      'the join operator',
    );
    expect(e.state.perSlotBytes).toBe(join.stateBytes / 10);
    expect(e.state.perSlotBytes).toBe(25_029_496_800);
    const text = present(
      e.explanation.find((x) => x.topic === 'state'),
      'the state explanation',
    ).text;
    expect(text).toContain(
      'A restore downloads it at 81.1 MiB/s per slot in ~295 s of the 300 s restart target',
    );
    expect(text).toContain(
      'the plan keeps each slot at or below 23.7 GiB (what one stream downloads from checkpoint storage within the 300 s restart target at 81.1 MiB/s) by raising the parallelism.',
    );
    // 5 TaskManagers × 2 slots: 2 × 25,029,496,800 B × 1.5 = 75,088,490,400 B (69.9 GiB) of
    // local disk, within 2 CPU × 50 GB = 100 GB (93.1 GiB).
    expect(e.taskManagers.slotsPerTaskManager).toBe(2);
    expect(e.taskManagers.localDiskBytes).toBe(75_088_490_400);
    expect(text).toContain('That local disk is within the 93.1 GiB a 2-CPU TaskManager may use');
  });

  it('bounds the sum of a slot’s shares: two 3 h joins spread as one 250 GB of state', () => {
    const source = (id: string) => ({
      id,
      kind: 'kafka' as const,
      recordsPerSecond: 5000,
      avgRecordBytes: 1024,
      partitions: 12,
      peakFactor: 2,
    });
    const e = run({
      api: 'datastream',
      pipeline: {
        sources: [source('orders'), source('payments'), source('refunds')],
        operators: [
          { id: 'paid', kind: 'regular-join', inputs: ['orders', 'payments'], ttlSeconds: 3 * 3600 },
          { id: 'refunded', kind: 'regular-join', inputs: ['orders', 'refunds'], ttlSeconds: 3 * 3600 },
        ],
        sinks: [
          { id: 'out1', kind: 'kafka', inputs: ['paid'] },
          { id: 'out2', kind: 'kafka', inputs: ['refunded'] },
        ],
      },
    });
    // Each join keeps half the 6 h join's rows: 125,147,484,000 B. Alone, each fits 5 subtasks of
    // 25.03 GB — but slot j holds subtask j of both, 50.06 GB. Together: 250.06 GB ÷ 25.5 GB = 9.8
    // → 10 subtasks each, and a slot holds 2 × 12,514,748,400 = 25,029,496,800 B.
    for (const id of ['paid', 'refunded']) {
      const join = present(
        e.operators.find((o) => o.id === id),
        id,
      );
      expect(join.stateBytes).toBe(125_147_484_000);
      expect(join.parallelism).toBe(10);
    }
    expect(e.state.perSlotBytes).toBe(25_029_496_800);
  });

  it('warns, naming the override, when a user parallelism keeps the state in too few slots', () => {
    const pipeline = present(ttlJoin6h.pipeline, 'ttlJoin6h.pipeline');
    const e = run({
      ...ttlJoin6h,
      pipeline: {
        ...pipeline,
        operators: [{ ...at(present(pipeline.operators, 'the operators'), 0), parallelism: 3 }],
      },
    });
    const w = e.warnings.find((x) => x.code === 'STATE_EXCEEDS_SLOT_LIMIT');
    expect(w?.message).toContain('your parallelism 3 on "join" prevents spreading it');
    expect(w?.operatorId).toBe('join');
  });

  it('never exceeds the limit without a warning (any TTL, rate and override)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 20_000 }),
        fc.integer({ min: 600, max: 7 * 24 * 3600 }),
        fc.option(fc.integer({ min: 1, max: 64 }), { nil: undefined }),
        (rate, ttlSeconds, parallelism) => {
          const pipeline = present(ttlJoin6h.pipeline, 'ttlJoin6h.pipeline');
          const e = run({
            ...ttlJoin6h,
            pipeline: {
              ...pipeline,
              sources: pipeline.sources.map((s) => ({ ...s, recordsPerSecond: rate })),
              operators: [
                {
                  ...at(present(pipeline.operators, 'the operators'), 0),
                  ttlSeconds,
                  ...(parallelism ? { parallelism } : {}),
                },
              ],
            },
          });
          const join = present(
            e.operators.find((o) => o.id === 'join'),
            'the join operator',
          );
          const over = join.stateBytes / join.parallelism > 25.5e9 * 1.001;
          expect(e.state.perSlotBytes).toBe(Math.ceil(join.stateBytes / join.parallelism));
          expect(over).toBe(e.warnings.some((w) => w.code === 'STATE_EXCEEDS_SLOT_LIMIT'));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('local disk per TaskManager is bounded', () => {
  const join = (e: ReturnType<typeof run>) =>
    present(
      e.operators.find((o) => o.id === 'join'),
      'the join operator',
    );

  it('bounds a slot by its share of local disk when a longer restart allows more state', () => {
    const spec = JobSpecSchema.parse({ ...ttlJoinDataStream, targets: { restartSeconds: 600 } });
    // Restore: 600 s × 85 MB/s = 51 GB; local disk: 50 GB per core ÷ 1 slot per core ÷ 1.5 =
    // 33,333,333,333 B, the smaller.
    const limit = stateLimitPerSlot(spec, defaultModel);
    expect(limit.decidedBy).toBe('local-disk');
    expect(limit.bytes).toBeCloseTo(50e9 / 1.5, 0);
    const e = estimate(spec);
    // 250,059,513,000 B ÷ 33,333,333,333 B = 7.5 → 8 subtasks (at 25.5 GB per slot it was 10).
    expect(join(e).parallelism).toBe(8);
    expect(join(e).parallelismDecidedBy).toBe('state');
    expect(e.taskManagers.cpu * 50e9).toBeGreaterThanOrEqual(e.taskManagers.localDiskBytes);
    const text = present(
      e.explanation.find((x) => x.topic === 'state'),
      'the state explanation',
    ).text;
    expect(text).toContain(
      "(the slot's share of local disk: 50 GB per core, AWS Managed Service for Apache Flink's storage per KPU, over 1 slot per core, less ×1.5 room for compaction)",
    );
    expect(e.warnings.map((w) => w.code)).not.toContain('LOCAL_DISK_EXCEEDS_LIMIT');
    // The join's own explanation says throughput needs 3 (35,238 target records/s ÷ 15,450 per
    // subtask = 2.28; 1024-byte rows cost 62.475 µs, model.cpu.joinRowBytes) and the state 8.
    const own = present(
      e.explanation.find((x) => x.topic === 'operator:join'),
      'the join explanation',
    );
    expect(own.text).toContain('which needs 3 subtask(s); its state needs 8: the job');
    expect(own.formula).toContain('= max(3, ⌈');
  });

  it('plans again for 8 slots sharing a core, so that their RocksDB files fit its 50 GB', () => {
    const e = run({ ...ttlJoinDataStream, cluster: { slotsPerTaskManager: 8, taskManagerCpu: 1 } });
    // Spread for one slot per core (10 subtasks), 8 slots on 1 CPU would hold 8 × 25 GB × 1.5 =
    // 300 GB of local disk. Planned again at 8 slots per core: 50 GB ÷ 8 ÷ 1.5 = 4,166,666,667 B per
    // slot, 250,059,513,000 ÷ that = 60.01 → 61 subtasks; in whole 8-slot TaskManagers 64, which
    // divides none of the 4 smallest max parallelisms ≥ 4 × 64 (360, 720, 1440, 2520) but the
    // smallest power of two with that room, 256.
    expect(join(e).parallelism).toBe(64);
    expect(e.parallelism.max).toBe(256);
    expect(e.taskManagers).toMatchObject({ count: 8, cpu: 1, slotsPerTaskManager: 8 });
    expect(e.state.perSlotBytes).toBeLessThanOrEqual(50e9 / 8 / 1.5);
    // 8 × 3,910,858,875 B × 1.5 = 46,930,306,500 B ≤ 50 GB.
    expect(e.taskManagers.localDiskBytes).toBe(Math.ceil(8 * e.state.perSlotBytes * 1.5));
    expect(e.taskManagers.localDiskBytes).toBeLessThanOrEqual(50e9);
    expect(e.warnings.map((w) => w.code)).not.toContain('LOCAL_DISK_EXCEEDS_LIMIT');
    expect(e.warnings.map((w) => w.code)).not.toContain('STATE_EXCEEDS_SLOT_LIMIT');
  });

  it('warns, naming the slots, when 64 slots on one core leave each less than the 1 GiB floor', () => {
    const e = run({ ...ttlJoinDataStream, cluster: { slotsPerTaskManager: 64, taskManagerCpu: 1 } });
    // 50 GB ÷ 64 ÷ 1.5 = 0.52 GB per slot is below the 1 GiB floor, so slots are kept to 1 GiB and
    // 64 of them need more than 64 × 0.52 × 1.5 = 50 GB of disk.
    expect(e.taskManagers.localDiskBytes).toBeGreaterThan(50e9);
    const w = e.warnings.find((x) => x.code === 'LOCAL_DISK_EXCEEDS_LIMIT');
    expect(w?.message).toContain('above the 46.6 GiB its 1 CPU may use');
    expect(w?.message).toContain('your 64 slots per TaskManager prevents spreading it.');
  });

  it('never exceeds either limit without the warning that names why (any TTL, restart, slots)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 20_000 }),
        fc.integer({ min: 600, max: 7 * 24 * 3600 }),
        fc.integer({ min: 30, max: 3600 }),
        fc.option(fc.constantFrom(1, 2, 4, 8, 16, 32), { nil: undefined }),
        fc.option(fc.constantFrom(1, 2, 4), { nil: undefined }),
        (rate, ttlSeconds, restartSeconds, slotsPerTaskManager, taskManagerCpu) => {
          const pipeline = present(ttlJoin6h.pipeline, 'ttlJoin6h.pipeline');
          const input: JobSpecInput = {
            ...ttlJoinDataStream,
            targets: { restartSeconds },
            cluster: {
              ...(slotsPerTaskManager ? { slotsPerTaskManager } : {}),
              ...(taskManagerCpu ? { taskManagerCpu } : {}),
            },
            pipeline: {
              ...pipeline,
              sources: pipeline.sources.map((s) => ({ ...s, recordsPerSecond: rate })),
              operators: [{ ...at(present(pipeline.operators, 'the operators'), 0), ttlSeconds }],
            },
          };
          const e = run(input);
          const codes = e.warnings.map((w) => w.code);
          const slots = e.taskManagers.slotsPerTaskManager;
          const limit = stateLimitPerSlot(
            JobSpecSchema.parse(input),
            defaultModel,
            Math.max(1, slots / e.taskManagers.cpu),
          );
          const diskOver = e.taskManagers.localDiskBytes > e.taskManagers.cpu * 50e9 * 1.001;
          expect(diskOver).toBe(codes.includes('LOCAL_DISK_EXCEEDS_LIMIT'));
          // Only the user's slots (or the floor they force) can keep the disk over its limit.
          if (diskOver) expect(slotsPerTaskManager).toBeDefined();
          if (e.state.perSlotBytes > limit.bytes * 1.001) expect(codes).toContain('STATE_EXCEEDS_SLOT_LIMIT');
        },
      ),
      { numRuns: 60 },
    );
  });
});
