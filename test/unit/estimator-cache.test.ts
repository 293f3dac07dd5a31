import { describe, expect, it } from 'vitest';
import { estimate } from '../../src/estimator/index.js';
import { EstimateCache } from '../../src/estimator-cache.js';
import { type JobSpec, JobSpecSchema } from '../../src/jobspec/index.js';
import { jsonBytes } from '../../src/json-bytes.js';
import { EstimateSchema } from '../../src/schemas/estimate.js';

const spec = (recordsPerSecond: number): JobSpec =>
  JobSpecSchema.parse({
    workload: {
      sources: 1,
      sinks: 1,
      recordsPerSecond,
      avgRecordBytes: 500,
      operators: 2,
      statefulOperators: 1,
    },
  });

function counting() {
  const calls: JobSpec[] = [];
  const compute = (s: JobSpec) => {
    calls.push(s);
    return estimate(s);
  };
  return { calls, compute };
}

describe('EstimateCache', () => {
  it('keeps a plan from the second time its spec is asked for, frozen', () => {
    const { calls, compute } = counting();
    const cache = new EstimateCache(compute, { maxBytes: 8 * 1024 * 1024 });
    const once = cache.estimate(spec(10_000));
    expect(cache.size).toBe(0); // a one-off spec is not kept
    const kept = cache.estimate(spec(10_000));
    expect(kept).toEqual(once);
    expect(cache.estimate(spec(10_000))).toBe(kept);
    expect(cache.estimate(spec(10_000))).toBe(kept);
    expect(calls).toHaveLength(2);
    expect(Object.isFrozen(kept.taskManagers.memory)).toBe(true);
    expect(() => {
      (kept.cpu as { requiredCores: number }).requiredCores = 0;
    }).toThrow(TypeError);
    expect(cache.estimate(spec(20_000))).not.toBe(kept);
    expect(calls).toHaveLength(3);
  });

  it('treats the same spec written in another key order as the same spec', () => {
    const { calls, compute } = counting();
    const cache = new EstimateCache(compute, { maxBytes: 8 * 1024 * 1024 });
    const a = JobSpecSchema.parse({
      workload: { sources: 1, operators: 1, sinks: 1, recordsPerSecond: 5000, avgRecordBytes: 100 },
      flinkVersion: '1.20',
    });
    const b = JobSpecSchema.parse({
      flinkVersion: '1.20',
      workload: { avgRecordBytes: 100, recordsPerSecond: 5000, sinks: 1, operators: 1, sources: 1 },
    });
    cache.estimate(a);
    expect(cache.estimate(b)).toBe(cache.estimate(a));
    expect(calls).toHaveLength(2);
  });

  it('gives JSON that is the plan, valid against the Estimate schema', () => {
    const cache = new EstimateCache(estimate, { maxBytes: 8 * 1024 * 1024 });
    cache.estimate(spec(50_000));
    const plan = cache.estimate(spec(50_000)); // kept, so frozen and encoded once
    const json = jsonBytes(plan);
    expect(jsonBytes(plan)).toBe(json);
    expect(EstimateSchema.parse(JSON.parse(json.toString('utf8')))).toEqual(JSON.parse(JSON.stringify(plan)));
  });

  it('stays within its byte budget, evicting the least recently used plan', () => {
    const { calls, compute } = counting();
    // As the cache counts: the plan's UTF-8 JSON × 3 plus the key's UTF-16 bytes.
    const size =
      Buffer.byteLength(JSON.stringify(estimate(spec(1000)))) * 3 + JSON.stringify(spec(1000)).length * 2;
    const cache = new EstimateCache(compute, { maxBytes: Math.floor(size * 2.5) });
    const twice = (rate: number) => [cache.estimate(spec(rate)), cache.estimate(spec(rate))];
    twice(1000);
    twice(2000);
    cache.estimate(spec(1000)); // 1000 is now the most recent
    twice(3000); // evicts 2000
    expect(cache.size).toBe(2);
    expect(calls).toHaveLength(6);
    cache.estimate(spec(1000));
    expect(calls).toHaveLength(6);
    cache.estimate(spec(2000));
    expect(calls).toHaveLength(7);
  });

  it('computes a plan larger than the whole budget every time instead of caching it', () => {
    const { calls, compute } = counting();
    const cache = new EstimateCache(compute, { maxBytes: 100 });
    cache.estimate(spec(1000));
    cache.estimate(spec(1000));
    cache.estimate(spec(1000));
    expect(calls).toHaveLength(3);
    expect(cache.size).toBe(0);
  });
});

describe('EstimateCache by request body', () => {
  it('knows a body once its plan was computed, and forgets it with the plan', () => {
    const { calls, compute } = counting();
    const size =
      Buffer.byteLength(JSON.stringify(estimate(spec(1000)))) * 3 + JSON.stringify(spec(1000)).length * 2;
    const cache = new EstimateCache(compute, { maxBytes: Math.floor(size * 1.5) });
    const body = JSON.stringify({ workload: { recordsPerSecond: 1000 } });
    expect(cache.forBody(body)).toBeUndefined();
    cache.estimate(spec(1000), body);
    expect(cache.forBody(body)).toBeUndefined(); // computed once, not kept
    const plan = cache.estimate(spec(1000), body);
    expect(cache.forBody(body)).toBe(plan);
    expect(calls).toHaveLength(2);
    cache.estimate(spec(2000));
    cache.estimate(spec(2000)); // kept, evicting the first plan
    expect(cache.forBody(body)).toBeUndefined();
  });

  it('does not keep very long bodies as keys', () => {
    const cache = new EstimateCache(estimate, { maxBytes: 8 * 1024 * 1024 });
    const long = `${' '.repeat(20_000)}{}`;
    cache.estimate(spec(1000), long);
    cache.estimate(spec(1000), long);
    expect(cache.forBody(long)).toBeUndefined();
  });
});
