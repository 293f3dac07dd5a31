import { describe, expect, it } from 'vitest';
import { BAR_WIDTH, memoryBar } from '../../../src/web/memory-bar.js';

const t1 = {
  frameworkHeap: 134217728,
  taskHeap: 402653174,
  managed: 536870920,
  frameworkOffHeap: 134217728,
  taskOffHeap: 0,
  network: 134217730,
  jvmMetaspace: 268435456,
  jvmOverhead: 201326592,
  totalFlinkMemory: 1342177280,
  totalProcessMemory: 1811939328,
};

describe('memoryBar', () => {
  it('lays the non-zero parts side by side across the whole bar, in Flink’s order', () => {
    const bar = memoryBar(t1, 'taskmanager');
    expect(bar.total).toBe(1811939328);
    expect(bar.segments.map((s) => s.key)).toEqual([
      'frameworkHeap',
      'taskHeap',
      'managed',
      'frameworkOffHeap',
      'network',
      'jvmMetaspace',
      'jvmOverhead',
    ]);
    const last = bar.segments.at(-1);
    expect((last?.x ?? 0) + (last?.width ?? 0)).toBeCloseTo(BAR_WIDTH, 0);
    for (let i = 1; i < bar.segments.length; i++) {
      const prev = bar.segments[i - 1];
      expect(bar.segments[i]?.x).toBeCloseTo((prev?.x ?? 0) + (prev?.width ?? 0), 1);
    }
    expect(bar.segments.find((s) => s.key === 'managed')?.percent).toBeCloseTo(29.63, 1);
  });

  it('keeps a tiny part visible', () => {
    const bar = memoryBar({ ...t1, taskOffHeap: 1 }, 'taskmanager');
    expect(bar.segments.find((s) => s.key === 'taskOffHeap')?.width).toBeGreaterThanOrEqual(6);
  });

  it('accepts bigints and describes a JobManager for screen readers', () => {
    const bar = memoryBar(
      { jvmHeap: 1073741824n, offHeap: 134217728n, jvmMetaspace: 268435456n, jvmOverhead: 201326592n },
      'jobmanager',
    );
    expect(bar.title).toBe('JobManager process memory: 1.56 GiB');
    expect(bar.summary).toContain('JVM heap 1 GiB (64%)');
  });
});
