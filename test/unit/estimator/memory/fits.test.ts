import { describe, expect, it } from 'vitest';
import { jobManagerHeapOf, taskHeapPerSlotOf } from '../../../../src/estimator/memory/fits.js';
import { probeJobManager } from '../../../../src/estimator/memory/jobmanager.js';
import { taskManagerConfig } from '../../../../src/estimator/memory/planner.js';
import { MiB } from '../../../../src/estimator/memory/size.js';
import { probeTaskManager } from '../../../../src/estimator/memory/taskmanager.js';
import type { FlinkVersion } from '../../../../src/estimator/memory/types.js';
import { profileFor } from '../../../../src/estimator/memory/versions.js';

// Sizes around every boundary the searches cross: below the 448m JVM floor, Flink's E4 limits,
// the overhead's 192m/1g caps (1920m and 10240m), network's 64m floor, and large containers.
const SIZES_MIB = [
  1, 100, 447, 448, 449, 600, 700, 900, 1000, 1024, 1280, 1600, 1919, 1920, 1921, 2048, 3000, 4096, 10239,
  10240, 10241, 65536, 1048576,
];
const VERSIONS: FlinkVersion[] = ['1.18', '1.20', '2.0', '2.1'];

describe('taskHeapPerSlotOf', () => {
  it('gives the task heap per slot Flink derives from the planner-written options, or undefined where Flink rejects them', () => {
    let rejected = 0;
    let accepted = 0;
    for (const version of VERSIONS) {
      for (const slots of [1, 3, 8]) {
        for (const managedPerSlot of [undefined, 0n, 300n * MiB]) {
          for (const networkMemory of [undefined, 64n * MiB, 700n * MiB]) {
            const sizing = {
              version,
              cpuCores: 2,
              slots,
              ...(managedPerSlot !== undefined ? { managedPerSlot } : {}),
              ...(networkMemory !== undefined ? { networkMemory } : {}),
            };
            const heapOf = taskHeapPerSlotOf(
              {
                slots,
                ...(managedPerSlot !== undefined ? { managed: BigInt(slots) * managedPerSlot } : {}),
                ...(networkMemory !== undefined ? { network: networkMemory } : {}),
              },
              profileFor(version),
            );
            for (const mib of SIZES_MIB) {
              const derived = probeTaskManager(
                taskManagerConfig(sizing, BigInt(mib) * MiB),
                profileFor(version),
              );
              const expected = derived.valid ? derived.plan.perSlot.taskHeap : undefined;
              expect(heapOf(BigInt(mib) * MiB), `${version} ${mib}m ${JSON.stringify(sizing, String)}`).toBe(
                expected,
              );
              if (derived.valid) accepted++;
              else rejected++;
            }
          }
        }
      }
    }
    // Both sides of the boundary were exercised.
    expect(accepted).toBeGreaterThan(300);
    expect(rejected).toBeGreaterThan(300);
  });

  it('matches a hand-computed 4096m TaskManager with 2 slots and Flink defaults', () => {
    // 0.1f and 0.4f widened to double print as 0.10000000149011612 and 0.4000000059604645.
    // overhead 0.1 × 4096m = 409.6m, within [192m, 1g]; total Flink = 4096m − 256m − 409.6m;
    // managed 0.4 and network 0.1 of it; task heap = the rest − 256m framework; halved per slot.
    const process = 4096n * MiB;
    const overhead = (process * 10000000149011612n) / 10n ** 17n;
    const totalFlink = process - 256n * MiB - overhead;
    const managed = (totalFlink * 4000000059604645n) / 10n ** 16n;
    const network = (totalFlink * 10000000149011612n) / 10n ** 17n;
    const perSlot = (totalFlink - 256n * MiB - managed - network) / 2n;
    expect(taskHeapPerSlotOf({ slots: 2 }, profileFor('1.20'))(process)).toBe(perSlot);
  });
});

describe('jobManagerHeapOf', () => {
  it('gives the JVM heap Flink derives from jobmanager.memory.process.size, or undefined where Flink rejects it', () => {
    const heapOf = jobManagerHeapOf();
    for (const version of VERSIONS) {
      for (const mib of [...SIZES_MIB, 576, 577, 578]) {
        const derived = probeJobManager({ 'jobmanager.memory.process.size': `${mib}m` }, profileFor(version));
        expect(heapOf(BigInt(mib) * MiB), `${version} ${mib}m`).toBe(
          derived.valid ? derived.plan.memory.jvmHeap : undefined,
        );
      }
    }
    // 577m is the smallest: 192m overhead + 256m metaspace + 128m off-heap leave 1m of heap.
    expect(heapOf(576n * MiB)).toBeUndefined();
    expect(heapOf(577n * MiB)).toBe(MiB);
  });
});
