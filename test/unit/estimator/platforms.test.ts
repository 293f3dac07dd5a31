import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/estimator/index.js';
import { type PlatformPlan, platformCosts } from '../../../src/estimator/platforms.js';
import { JobSpecSchema } from '../../../src/jobspec/index.js';

const GiB = 2 ** 30;
const plan = (over: Partial<PlatformPlan> = {}): PlatformPlan => ({
  api: 'sql',
  parallelism: 6,
  taskManagers: { count: 3, cpu: 2, slotsPerTaskManager: 2, processMemoryBytes: 8 * GiB },
  stateBytes: 120 * GiB,
  requiredCores: 3.4,
  hoursPerMonth: 730,
  ...over,
});
const awsOf = (over: Partial<PlatformPlan> = {}) => platformCosts(plan(over))['aws-managed-flink'];

describe('AWS Managed Service for Apache Flink', () => {
  it('bills the largest KPU need plus one for orchestration, and the running storage', () => {
    const aws = awsOf();
    // CPU 6, memory 24 GiB ÷ 4 = 6, state 120 ÷ 50 → 3, parallelism 6 ÷ 1 = 6.
    expect(aws.needs).toEqual({ cpu: 6, memory: 6, localState: 3, parallelism: 6 });
    expect(aws.kpus).toBe(7);
    // 7 × $0.11 × 730 h + 6 × 50 GB × $0.10.
    expect(aws.monthly).toBe(592.1);
  });

  it("matches the KPU-hours of AWS's own pricing example (20 KPUs + 1, 720 hours)", () => {
    // how-pricing.html: 20 KPUs over 24 h × 30 days bill 15,120 KPU-hours at $0.11 and
    // 20 × 50 GB = 1,000 GB-month of running storage at $0.10.
    const aws = awsOf({
      parallelism: 20,
      taskManagers: { count: 10, cpu: 2, slotsPerTaskManager: 2, processMemoryBytes: 8 * GiB },
      stateBytes: 0,
      hoursPerMonth: 720,
    });
    expect(aws.kpus).toBe(21);
    // 15,120 × $0.11 = $1,663.20, + $100 storage.
    expect(aws.monthly).toBe(1763.2);
    expect(aws.asOf).toBe('2026-12-02');
  });

  it('lets I/O-bound work share KPUs through ParallelismPerKPU (at most 8)', () => {
    const aws = awsOf({
      parallelism: 16,
      taskManagers: { count: 2, cpu: 1, slotsPerTaskManager: 8, processMemoryBytes: 4 * GiB },
      stateBytes: 0,
    });
    expect(aws.parallelismPerKpu).toBe(8);
    expect(aws.needs.parallelism).toBe(2);
    expect(aws.kpus).toBe(3);
  });

  it('is decided by local state when state outgrows 50 GB per KPU', () => {
    const aws = awsOf({ stateBytes: 500 * GiB });
    expect(aws).toMatchObject({ kpus: 11, decidedBy: 'localState' });
  });
});

describe('Confluent Cloud for Apache Flink', () => {
  it('gives a labelled heuristic CFU range for SQL jobs', () => {
    const cc = platformCosts(plan())['confluent-cloud'];
    expect(cc).toMatchObject({
      cfuLow: 4,
      cfuHigh: 6,
      heuristic: true,
      monthlyLow: 613.2,
      monthlyHigh: 919.8,
    });
    expect(cc?.basis).toMatch(/^heuristic: /);
  });

  it('gives no figure for a DataStream job, with the reason', () => {
    const costs = platformCosts(plan({ api: 'datastream' }));
    expect(costs['confluent-cloud']).toBeNull();
    expect(costs.reasons?.['confluent-cloud']).toMatch(/Flink SQL statements .* only, not DataStream/);
  });
});

describe('in every estimate', () => {
  it('explains both platform figures', () => {
    const e = estimate(
      JobSpecSchema.parse({
        workload: { sources: 1, operators: 2, sinks: 1, recordsPerSecond: 20000, avgRecordBytes: 300 },
      }),
    );
    const aws = e.cost.platforms?.['aws-managed-flink'];
    const topics = Object.fromEntries(e.explanation.map((x) => [x.topic, x]));
    expect(topics['cost.platforms.aws-managed-flink']?.formula).toMatch(
      new RegExp(`\\) \\+ 1 = ${aws?.kpus}$`),
    );
    expect(topics['cost.platforms.confluent-cloud']?.text).toMatch(/a heuristic: one CFU per core busy/);
  });
});
