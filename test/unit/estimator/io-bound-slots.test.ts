/** Subtasks waiting on I/O (a synchronous lookup's thread, an async lookup's requests) need slots, not cores. */
import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/estimator/index.js';
import { type JobSpecInput, JobSpecSchema } from '../../../src/jobspec/index.js';
import { asyncLookup, kafkaEtl, syncLookup } from '../../fixtures/realistic-jobs.js';

const run = (input: JobSpecInput) => estimate(JobSpecSchema.parse(input));
/**
 * On Flink 2.0 the Kafka source reads scan.parallelism, so it stays at its 32 partitions and a
 * rebalance spreads the lookups; before 2.0 they stay chained to the source (below).
 */
const syncLookup20: JobSpecInput = { ...syncLookup, flinkVersion: '2.0' };

describe('I/O-bound subtasks share cores', () => {
  it('runs a synchronous 10 ms lookup at 30k/s on 64 cores, not 240', () => {
    const e = run(syncLookup20);
    // Little's law sizes the waiting: 30,000 × 300/1800 + 30,000/0.7 = 47,857 records/s target,
    // each blocking a thread ~10 ms → 480 subtasks needed.
    expect(e.operators.find((o) => o.id === 'customer')?.parallelism).toBe(512);
    // At 8 slots per core (blocked threads, 0.73 busy cores) the size ladder holds up to 8 × 1 CPU ×
    // 8 slots = 64, 8 × 2 × 16 = 128, 8 × 4 × 32 = 256 slots, then 8 CPU × 64 slots. 480 is 7.5
    // such TaskManagers; the next multiple of 64 is 512 = 64 × 8, which divides none of the four
    // recommended values with room for 4 × 512 (2520, 5040, 10080, 20160: 2⁶ at most) but the
    // smallest power of two with that room, 2048 → 8 × 8 CPU × 64 slots = 64 cores. (Before powers
    // of two were offered it was 576 = 64 × 9 on 20160, 72 cores; at 2 slots per core 240.)
    expect(e.parallelism.default).toBe(512);
    expect(e.parallelism.max).toBe(2048);
    expect(e.taskManagers).toMatchObject({ count: 8, cpu: 8, slotsPerTaskManager: 64 });
    expect(e.cpu.taskManagerCores).toBe(64);
    expect(e.cpu.requiredCores).toBeLessThan(1);
  });

  it('warns about the query rate the database receives and sizes the async alternative', () => {
    const e = run(syncLookup20);
    const w = e.warnings.find((x) => x.code === 'LOOKUP_SYNC_LATENCY');
    // No cache: every one of the 30,000 records/s is a query, over 512 connections.
    expect(w?.message).toContain('30,000 queries/s');
    expect(w?.message).toContain('512 concurrent connections');
    // Async with 100 in flight: ⌈30,000 × 0.010 s ÷ 100 ÷ 0.7⌉ = ⌈4.29⌉ = 5 subtasks.
    expect(w?.advice).toContain('5 subtask(s)');
  });

  it('keeps a Flink 1.20 SQL lookup chained to its source, on the 32 subtasks that read a partition', () => {
    // Flink SQL adds no exchange after a source that cannot set scan.parallelism (Kafka before 2.0):
    // source → lookup → sink chain, and only the 32 subtasks with a partition get records. Each waits
    // 10 ms + 1.2 µs per record (~100 records/s), so 30,000 ÷ 32 = 937.5 records/s is 938% busy.
    const e = run(syncLookup);
    expect(e.operators.map((o) => [o.id, o.parallelism, o.chainHead])).toEqual([
      ['events', 32, 'events'],
      ['customer', 32, 'events'],
      ['out', 32, 'events'],
    ]);
    expect(e.operators.find((o) => o.id === 'customer')?.busyAtPeak).toBeCloseTo(9.376, 2);
    // No 576 × 576 rebalance: Flink's 64 MiB minimum of network memory.
    expect(e.taskManagers.memory.network).toBe(64 * 1024 * 1024);
    const w = e.warnings.find((x) => x.code === 'SOURCE_LIMITED_BY_PARTITIONS');
    // The chain's threads at the 47,857 records/s target: the lookup's 10.0012 ms each (478.6), the
    // source's 13.6 µs and the sink's 8.5 µs (0.65 and 0.41): 479.7 → 480, as the source's explanation says.
    expect(e.explanation.find((x) => x.topic === 'operator:events')?.text).toContain('and needs 480');
    expect(w?.severity).toBe('critical');
    expect(w?.message).toBe(
      'Source "events" and "customer", chained to it, need 480 subtasks for 30000 records/s at the target utilization, but its 32 partitions allow only 32: "customer" would be 938% busy at peak.',
    );
    expect(w?.advice).toContain(
      "in Flink SQL the source's chain runs at its partitions until its connector reads scan.parallelism",
    );
    expect(e.warnings.find((x) => x.code === 'LOOKUP_SYNC_LATENCY')?.advice).toContain('5 subtask(s)');
  });

  it('lets an async lookup bound by its requests in flight share cores, not take one per slot', () => {
    const e = run(asyncLookup);
    expect(e.warnings.map((x) => x.code)).not.toContain('LOOKUP_SYNC_LATENCY');
    // Target 30,000 × 300/1800 + 30,000/0.7 = 47,857 records/s. Async I/O keeps 100 requests in
    // flight per subtask: 100 ÷ 10 ms = 10,000 records/s each → ⌈4.79⌉ = 5 subtasks, while the
    // chain's thread computes only 47,857 × (13.613 + 1.199 + 8.485) µs = 1.11 cores. The floor of 5
    // rises to 8, the first divisor of the 32 partitions; the slots wait, so they share cores, 8
    // to a core. At 8 the busiest slot needs 1.11 ÷ 8 = 0.139 cores, more than its 1/8-core share
    // of a 1-CPU TaskManager, so 16 (the next that fills whole 8-slot TaskManagers and divides 32
    // and 128): 2 TaskManagers × 1 CPU × 8 slots (was 8 × 1 CPU × 1 slot; then 1 × 2 CPU × 8
    // slots, a size that fell back to 1 CPU as the load grew past 50,000 records/s).
    expect(e.operators.find((o) => o.id === 'customer')?.parallelism).toBe(16);
    expect(e.explanation.find((x) => x.topic === 'operator:events')?.text).toContain(
      "needs 5 (for its async lookup's requests in flight; its thread is mostly idle)",
    );
    expect(e.explanation.find((x) => x.topic === 'operator:customer')?.text).toContain(
      'handles 10,000 records/s with 100 requests in flight',
    );
    expect(e.taskManagers).toMatchObject({ count: 2, cpu: 1, slotsPerTaskManager: 8 });
    expect(e.explanation.find((x) => x.topic === 'operator:events')?.text).toContain(
      "at 8 the busiest slot (slot j runs subtask j of every task) needs 0.139 cores, more than a slot's share of its TaskManager (1/8 of a core: 8 slots per core)",
    );
    expect(e.cpu.totalCores).toBe(3);
  });

  it('keeps one slot per core for compute-bound jobs', () => {
    const e = run(kafkaEtl);
    expect(e.taskManagers.slotsPerTaskManager).toBe(e.taskManagers.cpu);
  });

  it('gives a fast async lookup between a Kafka source and sink a core per slot: its chain computes more than it waits', () => {
    // 1 ms with 100 in flight holds a record 10 µs of a request slot; the chain computes 13.613 +
    // 1.199 + 8.485 = 23.297 µs on it, so its threads, not its requests, are the bound.
    const withLatency = (lookupLatencyMs: number): JobSpecInput => ({
      pipeline: {
        sources: [
          { id: 'events', kind: 'kafka', recordsPerSecond: 30_000, avgRecordBytes: 400, partitions: 32 },
        ],
        operators: [
          { id: 'customer', kind: 'lookup-join', inputs: ['events'], lookupLatencyMs, async: true },
        ],
        sinks: [{ id: 'out', kind: 'kafka', inputs: ['customer'] }],
      },
    });
    const fast = withLatency(1);
    const e = run(fast);
    // 47,857 records/s × 23.297 µs = 1.115 cores → 2 subtasks (2 divides the 32 partitions) on
    // 2 × 1 CPU × 1 slot; with 8 slots per core it was 8 subtasks on 1 × 2 CPU × 8 slots.
    expect(e.parallelism.default).toBe(2);
    expect(e.taskManagers).toMatchObject({ count: 2, cpu: 1, slotsPerTaskManager: 1 });
    // At 3 ms the lookup holds a record 30 µs, more than the chain computes: its slots share cores.
    expect(run(withLatency(3)).taskManagers.slotsPerTaskManager).toBe(8);
  });
});
