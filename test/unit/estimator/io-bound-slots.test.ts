/** Subtasks blocked on synchronous I/O need slots (threads), not cores. */
import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/estimator/index.js';
import { type JobSpecInput, JobSpecSchema } from '../../../src/jobspec/index.js';
import { asyncLookup, syncLookup } from '../../fixtures/realistic-jobs.js';

const run = (input: JobSpecInput) => estimate(JobSpecSchema.parse(input));

describe('I/O-bound subtasks share cores', () => {
  it('runs a synchronous 10 ms lookup at 30k/s on 60 cores, not 240', () => {
    const e = run(syncLookup);
    // Little's law sizes the waiting: 30,000 × 300/1800 + 30,000/0.7 = 47,857 records/s target,
    // each blocking a thread ~10 ms → 480 subtasks, as before.
    expect(e.parallelism.default).toBe(480);
    // 480 slots at up to 8 per core (blocked threads, 0.73 busy cores): 15 TaskManagers × 4 CPU ×
    // 32 slots = 60 cores; at 2 slots per core it was 30 × 8 CPU × 16 slots = 240.
    expect(e.taskManagers).toMatchObject({ count: 15, cpu: 4, slotsPerTaskManager: 32 });
    expect(e.cpu.taskManagerCores).toBe(60);
    expect(e.cpu.requiredCores).toBeLessThan(1);
  });

  it('warns about the query rate the database receives and sizes the async alternative', () => {
    const e = run(syncLookup);
    const w = e.warnings.find((x) => x.code === 'LOOKUP_SYNC_LATENCY');
    // No cache: every one of the 30,000 records/s is a query, over 480 connections.
    expect(w?.message).toContain('30,000 queries/s');
    expect(w?.message).toContain('480 concurrent connections');
    // Async with 100 in flight: ⌈30,000 × 0.010 s ÷ 100 ÷ 0.7⌉ = ⌈4.29⌉ = 5 subtasks.
    expect(w?.advice).toContain('5 subtask(s)');
  });

  it('keeps 2 slots per core for compute-bound jobs', () => {
    const e = run(asyncLookup);
    expect(e.warnings.map((x) => x.code)).not.toContain('LOOKUP_SYNC_LATENCY');
    expect(e.taskManagers.slotsPerTaskManager).toBeLessThanOrEqual(2 * e.taskManagers.cpu);
  });
});
