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
    expect(stateLimitPerSlot(JobSpecSchema.parse(ttlJoin6h), defaultModel)).toBe(25.5e9);
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
    expect(text).toContain('(what downloads within the restart target) by raising the parallelism.');
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
    expect(w?.message).toContain('your parallelism 3');
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
          expect(over).toBe(e.warnings.some((w) => w.code === 'STATE_EXCEEDS_SLOT_LIMIT'));
        },
      ),
      { numRuns: 40 },
    );
  });
});
