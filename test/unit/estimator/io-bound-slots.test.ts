/** Subtasks blocked on synchronous I/O need slots (threads), not cores. */
import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/estimator/index.js';
import { type JobSpecInput, JobSpecSchema } from '../../../src/jobspec/index.js';
import { asyncLookup, syncLookup } from '../../fixtures/realistic-jobs.js';

const run = (input: JobSpecInput) => estimate(JobSpecSchema.parse(input));

describe('I/O-bound subtasks share cores', () => {
  it('runs a synchronous 10 ms lookup at 30k/s on 72 cores, not 240', () => {
    const e = run(syncLookup);
    // Little's law sizes the waiting: 30,000 × 300/1800 + 30,000/0.7 = 47,857 records/s target,
    // each blocking a thread ~10 ms → 480 subtasks needed.
    expect(e.operators.find((o) => o.id === 'customer')?.parallelism).toBe(576);
    // At 8 slots per core (blocked threads, 0.73 busy cores) the size ladder holds up to 8 × 1 CPU ×
    // 8 slots = 64, 8 × 2 × 16 = 128, 8 × 4 × 32 = 256 slots, then 8 CPU × 64 slots. 480 is 7.5
    // such TaskManagers; the next multiple of 64 that divides one of the recommended max
    // parallelisms is 576 = 64 × 9 (20160 = 576 × 35; 512 divides none) → 9 × 8 CPU × 64 slots = 72
    // cores; at 2 slots per core it was 30 × 8 CPU × 16 slots = 240.
    expect(e.parallelism.default).toBe(576);
    expect(e.parallelism.max).toBe(20160);
    expect(e.taskManagers).toMatchObject({ count: 9, cpu: 8, slotsPerTaskManager: 64 });
    expect(e.cpu.taskManagerCores).toBe(72);
    expect(e.cpu.requiredCores).toBeLessThan(1);
  });

  it('warns about the query rate the database receives and sizes the async alternative', () => {
    const e = run(syncLookup);
    const w = e.warnings.find((x) => x.code === 'LOOKUP_SYNC_LATENCY');
    // No cache: every one of the 30,000 records/s is a query, over 576 connections.
    expect(w?.message).toContain('30,000 queries/s');
    expect(w?.message).toContain('576 concurrent connections');
    // Async with 100 in flight: ⌈30,000 × 0.010 s ÷ 100 ÷ 0.7⌉ = ⌈4.29⌉ = 5 subtasks.
    expect(w?.advice).toContain('5 subtask(s)');
  });

  it('keeps one slot per core for compute-bound jobs', () => {
    const e = run(asyncLookup);
    expect(e.warnings.map((x) => x.code)).not.toContain('LOOKUP_SYNC_LATENCY');
    expect(e.taskManagers.slotsPerTaskManager).toBe(e.taskManagers.cpu);
  });
});
