/** Retained state holds a period's records, which arrive at the average rate, not at the peak. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/estimator/index.js';
import { type JobSpecInput, JobSpecSchema } from '../../../src/jobspec/index.js';
import { intervalJoin, ttlJoin6h } from '../../fixtures/realistic-jobs.js';
import { present } from '../../support/checked.js';

const run = (input: JobSpecInput) => estimate(JobSpecSchema.parse(input));

/** The same job with every source's peakFactor replaced. */
function withPeak(spec: JobSpecInput, peakFactor: number): JobSpecInput {
  const pipeline = present(spec.pipeline, 'spec.pipeline');
  return { ...spec, pipeline: { ...pipeline, sources: pipeline.sources.map((s) => ({ ...s, peakFactor })) } };
}

describe('state sized at the average rate', () => {
  it('sizes a 6 h TTL join of 2 × 5k/s from 10k rows/s, not 2 × the peak', () => {
    const e = run(ttlJoin6h);
    const join = present(
      e.operators.find((o) => o.id === 'join'),
      'the join operator',
    );
    // CPU at the peak: 2 × 5,000 × peakFactor 2 = 20,000 records/s into the join.
    expect(join.inputRecordsPerSecond).toBe(20_000);
    // State at the average: 10,000 rows/s × 21,600 s = 216M rows of (1,024 payload + 2 key-group
    // prefix — the plan's max parallelism is above 128 — + 1 namespace + 8 TTL + 8 RocksDB internal
    // key) = 1,043 B × 1.111 space amplification.
    expect(e.parallelism.max).toBeGreaterThan(128);
    expect(join.stateBytes).toBe(Math.ceil(216e6 * 1043 * 1.111));
  });

  it('never grows retained state with peakFactor', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 5, noNaN: true }),
        fc.double({ min: 1, max: 5, noNaN: true }),
        (a, b) => {
          const low = run(withPeak(ttlJoin6h, Math.min(a, b)));
          const high = run(withPeak(ttlJoin6h, Math.max(a, b)));
          expect(high.state.totalBytes).toBe(low.state.totalBytes);
          expect(high.cpu.requiredCores).toBeGreaterThanOrEqual(low.cpu.requiredCores);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('does not grow a quick-form job’s state with peakFactor either', () => {
    const base = {
      sources: 1,
      operators: 2,
      sinks: 1,
      recordsPerSecond: 20_000,
      avgRecordBytes: 300,
      statefulOperators: 1,
      distinctKeys: 50_000_000,
      stateBytesPerKey: 64,
    };
    // The max parallelism is pinned: the one a plan creates a job with follows its parallelism, which
    // follows the peak, and at most 128 key groups a RocksDB key carries a 1-byte key-group prefix
    // instead of 2 — a byte per entry that is Flink's encoding, not retention.
    const cluster = { maxParallelism: 720 };
    fc.assert(
      fc.property(fc.double({ min: 1, max: 4, noNaN: true }), (peakFactor) => {
        expect(run({ workload: { ...base, peakFactor }, cluster }).state.totalBytes).toBe(
          run({ workload: { ...base, peakFactor: 1 }, cluster }).state.totalBytes,
        );
      }),
      { numRuns: 20 },
    );
  });

  it('keeps only the left side of an interval join with bounds [0, 1 h]', () => {
    const symmetric = run(intervalJoin);
    const pipeline = present(intervalJoin.pipeline, 'intervalJoin.pipeline');
    const oneSided = run({
      ...intervalJoin,
      pipeline: {
        ...pipeline,
        operators: [
          {
            id: 'join',
            kind: 'interval-join',
            inputs: ['orders', 'shipments'],
            lowerBoundSeconds: 0,
            upperBoundSeconds: 3600,
          },
        ],
      },
    });
    const rows = (e: ReturnType<typeof run>) =>
      present(
        e.operators.find((o) => o.id === 'join'),
        'the join operator',
      ).stateBytes;
    // ±1 h keeps both sides an hour: 2 × 10,000 × 3,600 = 72M rows; [0, 1 h] keeps the orders an
    // hour (a shipment may still arrive) and no shipment at all: 36M rows of the same size.
    // Each row: 500 payload + 2 key-group prefix (max parallelism above 128) + 8 + 8.
    expect(rows(oneSided)).toBe(Math.ceil(36e6 * (500 + 2 + 8 + 8) * 1.111));
    expect(rows(symmetric)).toBe(Math.ceil(72e6 * (500 + 2 + 8 + 8) * 1.111));
  });

  it('keeps each side of a regular join for its own TTL', () => {
    const pipeline = present(ttlJoin6h.pipeline, 'ttlJoin6h.pipeline');
    const e = run({
      ...ttlJoin6h,
      pipeline: {
        ...pipeline,
        operators: [
          {
            id: 'join',
            kind: 'regular-join',
            inputs: ['orders', 'payments'],
            leftTtlSeconds: 6 * 3600,
            rightTtlSeconds: 3600,
          },
        ],
      },
    });
    // 5,000 orders/s × 21,600 s + 5,000 payments/s × 3,600 s = 126M rows (not 216M), each
    // (1,024 + 2 + 1 + 8 TTL + 8) B × 1.111 on RocksDB.
    expect(
      present(
        e.operators.find((o) => o.id === 'join'),
        'the join operator',
      ).stateBytes,
    ).toBe(Math.ceil(126e6 * 1043 * 1.111));
  });
});
