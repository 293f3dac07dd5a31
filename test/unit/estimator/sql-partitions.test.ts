/**
 * Flink SQL sources without scan.parallelism (Kafka before Flink 2.0) run at the job parallelism:
 * the plan picks one that spreads their partitions evenly when that costs no more than the
 * imbalance, and warns when a user's source parallelism cannot be deployed.
 */
import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/estimator/index.js';
import { evenPartitionParallelism } from '../../../src/estimator/parallelism/slot-balance.js';
import { type JobSpecInput, JobSpecSchema } from '../../../src/jobspec/index.js';
import { ttlJoin6h } from '../../fixtures/realistic-jobs.js';
import { present } from '../../support/checked.js';

const run = (input: JobSpecInput) => estimate(JobSpecSchema.parse(input));
const anything = () => true;

describe('the SQL job parallelism on a divisor of its sources’ partitions', () => {
  it('takes the first divisor above P within the imbalance factor u = ceil(n / P) × P ÷ n', () => {
    // 12 partitions at 10: the busiest reads 2, u = 20/12 = 1.67 → up to 16; 11 does not divide 12, 12 does.
    expect(evenPartitionParallelism(10, 12, 32768, anything)).toBe(12);
    // 12 at 5: u = 15/12 = 1.25 → up to 6, which divides 12.
    expect(evenPartitionParallelism(5, 12, 32768, anything)).toBe(6);
    // 97 at 10: u = 100/97 = 1.03 → nothing above 10; 97 subtasks would cost 9.7× for 3%.
    expect(evenPartitionParallelism(10, 97, 32768, anything)).toBeUndefined();
    // 360 at 16: u = 23 × 16 / 360 = 1.02 → nothing; 18 would cost 12.5% for 2%.
    expect(evenPartitionParallelism(16, 360, 32768, anything)).toBeUndefined();
    // Already even, or more subtasks than partitions: nothing to do.
    expect(evenPartitionParallelism(6, 12, 32768, anything)).toBeUndefined();
    expect(evenPartitionParallelism(16, 12, 32768, anything)).toBeUndefined();
    // Only values that fill whole TaskManagers and divide a max parallelism may be taken.
    expect(evenPartitionParallelism(10, 12, 32768, (p) => p % 5 === 0)).toBeUndefined();
  });

  it('runs the 6 h TTL join (1.20, 12 partitions a side) at 12 on 6 × 2 CPU, without UNEVEN_PARTITIONS', () => {
    // State needs 10 subtasks (state-per-slot.test.ts); 10 fills 5 × 2-CPU TaskManagers, but
    // the sources then read 2 or 1 partitions. 12 fills 6 × 2 and divides 180.
    const e = run(ttlJoin6h);
    expect(e.parallelism.default).toBe(12);
    expect(e.taskManagers).toMatchObject({ count: 6, cpu: 2, slotsPerTaskManager: 2 });
    expect(e.parallelism.max).toBe(180);
    expect(e.operators.map((o) => o.parallelism)).toEqual([12, 12, 12, 12]);
    expect(e.warnings).toEqual([]);
    const why = present(
      e.explanation.find((x) => x.topic === 'operator:orders'),
      'the source',
    ).text;
    expect(why).toContain(
      '12 rather than 10 divides the 12 partitions its SQL sources read at the job parallelism, so each subtask reads 1 (at 10 the busiest would read 2)',
    );
  });

  it('keeps 10 where the source can take its own parallelism (Flink 2.0) or in DataStream', () => {
    expect(run({ ...ttlJoin6h, flinkVersion: '2.0' }).parallelism.default).toBe(10);
    expect(run({ ...ttlJoin6h, api: 'datastream' }).parallelism.default).toBe(10);
  });
});

describe('a SQL source parallelism the connector cannot take', () => {
  const withSourceParallelism = (flinkVersion: string): JobSpecInput => {
    const pipeline = present(ttlJoin6h.pipeline, 'the pipeline');
    const [orders, payments] = pipeline.sources;
    return {
      ...ttlJoin6h,
      flinkVersion,
      pipeline: {
        ...pipeline,
        sources: [{ ...present(orders, 'orders'), parallelism: 4 }, present(payments, 'payments')],
      },
    } as JobSpecInput;
  };

  it('warns on 1.20 that Flink would run it at the job parallelism and refuse scan.parallelism', () => {
    const e = run(withSourceParallelism('1.20'));
    const w = e.warnings.filter((x) => x.code === 'SOURCE_PARALLELISM_NOT_SETTABLE');
    expect(w).toHaveLength(1);
    expect(w[0]?.operatorId).toBe('orders');
    expect(w[0]?.message).toBe(
      `Source "orders" keeps the parallelism 4 you set, but the kafka connector's scan.parallelism needs flink-connector-kafka 4.0, for Flink 2.0, not 1.20: Flink SQL runs it at the job's one parallelism (table.exec.resource.default-parallelism), and a scan.parallelism option in its table DDL makes the connector refuse the job ("Unsupported options found for 'kafka'").`,
    );
  });

  it('says nothing on 2.0 (connector 4.0 reads it) or for a DataStream job', () => {
    const codes = (input: JobSpecInput) => run(input).warnings.map((x) => x.code);
    expect(codes(withSourceParallelism('2.0'))).not.toContain('SOURCE_PARALLELISM_NOT_SETTABLE');
    expect(codes({ ...withSourceParallelism('1.20'), api: 'datastream' })).not.toContain(
      'SOURCE_PARALLELISM_NOT_SETTABLE',
    );
  });
});
