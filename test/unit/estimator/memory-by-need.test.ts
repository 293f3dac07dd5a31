/**
 * TaskManager memory is sized by what the job needs — task heap from the per-slot working set
 * (plus heap state), managed memory from RocksDB's needs, network from the exchanges' buffers —
 * and the container follows; it is no longer a fixed 4 GiB per core.
 */
import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/estimator/index.js';
import { deriveTaskManager } from '../../../src/estimator/memory/index.js';
import { defaultModel } from '../../../src/estimator/model.js';
import { networkMemoryFor, rocksDbManagedPerSlot } from '../../../src/estimator/taskmanagers.js';
import { type JobSpecInput, JobSpecSchema } from '../../../src/jobspec/index.js';
import { hourlyWindow50M, kafkaEtl, ttlJoin6h } from '../../fixtures/realistic-jobs.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const run = (input: JobSpecInput) => estimate(JobSpecSchema.parse(input));

describe('memory sized by need', () => {
  it('gives a stateless Kafka ETL at 200k/s the heap its slots need, no managed memory and Flink’s minimum network', () => {
    const e = run(kafkaEtl);
    const tm = e.taskManagers;
    // Every task is chained (Kafka → filter → map → Kafka at one parallelism): no exchange, no
    // buffers needed, so network is Flink's 64 MiB network.min instead of 10% of the container.
    expect(e.network.buffersRequiredPerTaskManager).toBe(0);
    expect(tm.flinkConfig['taskmanager.memory.network.min']).toBe('64m');
    expect(tm.memory.network).toBe(64 * MiB);
    expect(tm.memory.managed).toBe(0);
    // Parallelism 8 on the size ladder's first step: 8 TaskManagers × 1 CPU × 1 slot. One slot ×
    // 402,653,174 B working set of task heap; Flink leaves taskHeap = P − (256 metaspace + 192
    // overhead floor + 128 + 128 framework + 64 network) MiB, so P ≥ 402,653,174 B + 768 MiB =
    // 1,152 MiB → 1280m at a 256 MiB step.
    expect(tm).toMatchObject({ count: 8, cpu: 1, slotsPerTaskManager: 1 });
    expect(tm.flinkConfig['taskmanager.memory.process.size']).toBe('1280m');
    expect(tm.memory.taskHeap).toBeGreaterThanOrEqual(402_653_174);
    // 1.25 GiB for 1 CPU rather than the former 32 GiB for 8 (4 GiB per core).
    expect(tm.memory.totalProcessMemory / tm.cpu).toBeLessThanOrEqual(2 * GiB);
  });

  it('keeps a 50M-key RocksDB window job’s task heap at the working set and gives RocksDB what it needs', () => {
    const e = run(hourlyWindow50M);
    const tm = e.taskManagers;
    const slots = tm.slotsPerTaskManager;
    // RocksDB keeps state off-heap: task heap per slot is the working set plus rounding, far
    // below the former 15 GiB.
    expect(tm.memory.taskHeap / slots).toBeLessThan(512 * MiB);
    // Managed memory is set explicitly to what the slot's state needs (write buffers, index
    // blocks, 10% of its data blocks), rounded up to a MiB per slot.
    const explained = e.explanation.find((x) => x.topic === 'taskManagers.memory');
    const perSlotNeed = Number(explained?.inputs?.managedPerSlotNeeded);
    expect(tm.managedMemoryPerSlotBytes).toBe(Math.ceil(perSlotNeed / MiB) * MiB);
    expect(perSlotNeed).toBeGreaterThan(e.state.perSlotBytes * 0.1);
  });

  it('splits RocksDB’s managed memory into write buffers, index blocks and a hot-data cache', () => {
    // 2 column families × 8 MiB arena = 16,777,216 B ≤ 7/8 WBM → WBM = ⌊134,217,734 / 7⌋ =
    // 19,173,962 B → budget 3·WBM/(2·0.5) = 57,521,886 B. 10% of 1 GiB = 107,374,182.4 B of data
    // blocks, grossed up to a budget by 3/(3 − 0.5): 128,849,019 B.
    const need = rocksDbManagedPerSlot(2, 0, GiB, defaultModel);
    expect(need.writeBuffers).toBe(57_521_886n);
    expect(need.indexBlocks).toBe(0n);
    expect(need.dataBlocks).toBe(128_849_019n);
    expect(need.total).toBe(186_370_905n);
    // The data cache is capped at 2 GiB per slot: 2 GiB × 1.2 = 2,576,980,378 B (rounded up).
    expect(rocksDbManagedPerSlot(2, 0, 100 * GiB, defaultModel).dataBlocks).toBe(2_576_980_378n);
  });

  it('sizes network memory from the buffers with 20% headroom, never below 64 MiB', () => {
    expect(networkMemoryFor(0, defaultModel)).toBe(64n * BigInt(MiB));
    // 16,640 buffers × 1.2 = 19,968 × 32 KiB = 624 MiB.
    expect(networkMemoryFor(16_640, defaultModel)).toBe(624n * BigInt(MiB));
  });

  it('derives every plan byte for byte through Flink’s memory model', () => {
    for (const spec of [kafkaEtl, hourlyWindow50M, ttlJoin6h]) {
      const e = run(spec);
      const derived = deriveTaskManager(e.taskManagers.flinkConfig, e.flinkVersion);
      expect(derived.valid).toBe(true);
      if (derived.valid)
        expect(Number(derived.plan.memory.totalProcessMemory)).toBe(e.taskManagers.memory.totalProcessMemory);
    }
  });
});
