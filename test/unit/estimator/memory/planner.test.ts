import { describe, expect, it } from 'vitest';
import { deriveJobManager } from '../../../../src/estimator/memory/jobmanager.js';
import {
  minimumJobManagerProcessSize,
  minimumTaskManagerProcessSize,
  planJobManager,
  planSmallestTaskManager,
  planTaskManager,
} from '../../../../src/estimator/memory/planner.js';
import { MiB } from '../../../../src/estimator/memory/size.js';
import { deriveTaskManager } from '../../../../src/estimator/memory/taskmanager.js';

describe('planTaskManager', () => {
  it('plans a container exactly: the config derives back to the plan and process == requested', () => {
    const result = planTaskManager({
      version: '1.20',
      processMemory: 4096n * MiB,
      cpuCores: 2,
      slots: 2,
      managedPerSlot: 512n * MiB,
      networkMemory: 128n * MiB,
    });
    if (!result.valid) throw new Error(result.error.message);
    const { config, plan } = result.plan;
    expect(config).toEqual({
      'taskmanager.memory.process.size': '4g',
      'taskmanager.numberOfTaskSlots': '2',
      'taskmanager.cpu.cores': '2.0',
      'taskmanager.memory.managed.size': '1g',
      'taskmanager.memory.network.min': '128m',
      'taskmanager.memory.network.max': '128m',
    });
    expect(plan.memory.totalProcessMemory).toBe(4096n * MiB);
    expect(plan.memory.managed).toBe(1024n * MiB);
    expect(plan.memory.network).toBe(128n * MiB);
    expect(plan.perSlot.managed).toBe(512n * MiB);
    expect(plan.containerMemoryMiB).toBe(4096n);
    expect(deriveTaskManager(config, '1.20')).toEqual({ valid: true, plan });
  });

  it('leaves managed and network to Flink’s fractions when not given (T1 for 1728m)', () => {
    const result = planTaskManager({ version: '1.20', processMemory: 1728n * MiB, cpuCores: 1, slots: 1 });
    expect(result.valid && result.plan.plan.memory.taskHeap).toBe(402653174n);
  });

  it('rejects a container that cannot hold the request, saying how much is missing and the smallest that works', () => {
    const request = {
      version: '1.20' as const,
      processMemory: 2048n * MiB,
      cpuCores: 2,
      slots: 4,
      managedPerSlot: 512n * MiB,
    };
    const result = planTaskManager(request);
    if (result.valid) throw new Error('expected a rejection');
    const smallest = minimumTaskManagerProcessSize(request);
    expect(smallest).toBeDefined();
    const smallestMiB = (smallest ?? 0n) / MiB;
    expect(result.error.message).toContain(`the smallest container that works is ${smallestMiB}m`);
    expect(result.error.message).toMatch(/missing/);
    expect(result.error.hint).toContain(`taskmanager.memory.process.size to ${smallestMiB}m`);
    // The smallest really is the smallest whole MiB.
    expect(planTaskManager({ ...request, processMemory: smallest ?? 0n }).valid).toBe(true);
    expect(planTaskManager({ ...request, processMemory: (smallest ?? 0n) - MiB }).valid).toBe(false);
  });

  it('honours a minimum task heap per slot', () => {
    const request = {
      version: '1.20' as const,
      cpuCores: 4,
      slots: 4,
      managedPerSlot: 256n * MiB,
      taskHeapPerSlot: 512n * MiB,
    };
    const smallest = minimumTaskManagerProcessSize(request) ?? 0n;
    const fits = planTaskManager({ ...request, processMemory: smallest });
    expect(fits.valid && fits.plan.plan.perSlot.taskHeap >= 512n * MiB).toBe(true);
    const short = planTaskManager({ ...request, processMemory: smallest - MiB });
    if (short.valid) throw new Error('expected a rejection');
    expect(short.error.message).toMatch(/task heap per slot, .* short of 512\.000mb/);
  });

  it('minimumTaskManagerProcessSize with Flink defaults is 982m (reference F10)', () => {
    expect(minimumTaskManagerProcessSize({ version: '1.20', cpuCores: 1, slots: 1 })).toBe(982n * MiB);
  });

  it('planSmallestTaskManager plans the smallest fitting container in one call', () => {
    const result = planSmallestTaskManager({
      version: '2.0',
      cpuCores: 2,
      slots: 2,
      managedPerSlot: 1024n * MiB,
    });
    if (!result.valid) throw new Error(result.error.message);
    const { config, plan } = result.plan;
    expect(plan.memory.totalProcessMemory % MiB).toBe(0n);
    expect(deriveTaskManager(config, '2.0').valid).toBe(true);
    const oneLess = { ...config, 'taskmanager.memory.process.size': `${plan.containerMemoryMiB - 1n}m` };
    expect(deriveTaskManager(oneLess, '2.0').valid).toBe(false);
  });

  it('rejects requests that are not TaskManagers (bad slots, cpu, non-MiB sizes)', () => {
    const base = { version: '1.20' as const, processMemory: 2048n * MiB, cpuCores: 1, slots: 1 };
    expect(planTaskManager({ ...base, slots: 0 }).valid).toBe(false);
    expect(planTaskManager({ ...base, slots: 1.5 }).valid).toBe(false);
    expect(planTaskManager({ ...base, cpuCores: 0 }).valid).toBe(false);
    const notMiB = planTaskManager({ ...base, processMemory: 2048n * MiB + 5n });
    expect(notMiB.valid ? '' : notMiB.error.hint).toBe('Use 2g.');
  });
});

describe('planJobManager', () => {
  it('plans a JobManager container exactly', () => {
    const result = planJobManager({ version: '1.20', processMemory: 1600n * MiB, cpuCores: 1 });
    if (!result.valid) throw new Error(result.error.message);
    expect(result.plan.config).toEqual({ 'jobmanager.memory.process.size': '1600m' });
    expect(result.plan.plan.memory.jvmHeap).toBe(1073741824n);
    expect(result.plan.cpuCores).toBe(1);
    expect(deriveJobManager(result.plan.config, '1.20')).toEqual({ valid: true, plan: result.plan.plan });
  });

  it('rejects a too-small JobManager naming the smallest that works (577m), and 704m for a 128m heap', () => {
    expect(minimumJobManagerProcessSize('1.20')).toBe(577n * MiB);
    expect(minimumJobManagerProcessSize('1.20', 128n * MiB)).toBe(704n * MiB);
    const result = planJobManager({ version: '1.20', processMemory: 512n * MiB, cpuCores: 1 });
    if (result.valid) throw new Error('expected a rejection');
    expect(result.error.message).toContain(
      '65.000mb (68157440 bytes) missing; the smallest JobManager that works is 577m',
    );
  });
});
