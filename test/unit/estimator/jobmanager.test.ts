/** The JobManager is sized from what it holds — execution graph, checkpoints, TaskManagers — not key count. */
import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/estimator/index.js';
import { jobManagerHeapNeed, planJobManagerFor } from '../../../src/estimator/jobmanager.js';
import { defaultModel } from '../../../src/estimator/model.js';
import { JobSpecSchema } from '../../../src/jobspec/index.js';

const KiB = 1024;
const MiB = 2 ** 20;

describe('JobManager sized by its load', () => {
  it('gives a 500M-key job with 80 tasks Flink’s shipped 1600m, not 8 GiB', () => {
    const e = estimate(
      JobSpecSchema.parse({
        pipeline: {
          sources: [
            { id: 'in', kind: 'kafka', recordsPerSecond: 20_000, avgRecordBytes: 200, partitions: 40 },
          ],
          operators: [
            {
              id: 'agg',
              kind: 'aggregate',
              inputs: ['in'],
              distinctKeys: 500_000_000,
              stateBytesPerKey: 40,
              parallelism: 40,
            },
          ],
          sinks: [{ id: 'out', kind: 'kafka', inputs: ['agg'], parallelism: 40 }],
        },
      }),
    );
    expect(e.jobManager.flinkConfig).toEqual({ 'jobmanager.memory.process.size': '1600m' });
    expect(e.jobManager.cpu).toBe(1);
  });

  it('adds up execution graph, checkpoint metadata, statistics history and TaskManagers', () => {
    const need = jobManagerHeapNeed(
      {
        tasks: 100,
        statefulTasks: 40,
        stateBytesPerStatefulTask: 640 * MiB,
        incremental: true,
        taskManagers: 10,
      },
      defaultModel,
    );
    // 100 × 64 KiB; 2 × 40 × (1 KiB + 10 SST files × 256 B); 10 × 100 × 512 B; 10 × 256 KiB.
    expect(need.executionGraph).toBe(6400 * KiB);
    expect(need.checkpointMetadata).toBe(2 * 40 * (KiB + 10 * 256));
    expect(need.checkpointHistory).toBe(10 * 100 * 512);
    expect(need.taskManagers).toBe(2560 * KiB);
    expect(need.total).toBe(256 * MiB + 6400 * KiB + 2 * 40 * (KiB + 2560) + 512_000 + 2560 * KiB);
  });

  it('grows the container and CPU with the execution graph', () => {
    // 20,000 tasks × 64 KiB = 1.22 GiB of graph alone: beyond the 1 GiB heap of 1600m.
    const big = planJobManagerFor(
      '1.20',
      {
        tasks: 20_000,
        statefulTasks: 0,
        stateBytesPerStatefulTask: 0,
        incremental: false,
        taskManagers: 500,
      },
      undefined,
      defaultModel,
    );
    expect(big.atFloor).toBe(false);
    expect(Number(big.planned.plan.memory.jvmHeap)).toBeGreaterThanOrEqual(big.heapNeed.total);
    expect(Number(big.planned.plan.memory.totalProcessMemory) % (256 * MiB)).toBe(0);
    // One core per 2,000 subtasks.
    expect(big.cpu).toBe(10);
  });
});
