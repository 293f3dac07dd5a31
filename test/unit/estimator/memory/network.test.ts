import { describe, expect, it } from 'vitest';
import {
  networkBuffersAvailable,
  networkRequirementPerTaskManager,
  networkSegmentsForGate,
} from '../../../../src/estimator/memory/network.js';
import { formatMemorySize } from '../../../../src/estimator/memory/size.js';

describe('networkSegmentsForGate (MemoryTuning.calculateNetworkSegmentNumber)', () => {
  it('N1: FORWARD between equal parallelisms → bpc + fpg', () => {
    expect(networkSegmentsForGate(10, 10, 'FORWARD', 2, 8)).toBe(10);
  });
  it('N2: FORWARD with a parallelism change behaves like RESCALE', () => {
    expect(networkSegmentsForGate(10, 15, 'FORWARD', 2, 8)).toBe(12);
  });
  it('N3: RESCALE → ⌈p_other / p_this⌉ × bpc + fpg', () => {
    expect(networkSegmentsForGate(10, 15, 'RESCALE', 2, 8)).toBe(12);
  });
  it('N4: REBALANCE and UNKNOWN → p_other × bpc + fpg', () => {
    expect(networkSegmentsForGate(10, 15, 'REBALANCE', 2, 8)).toBe(38);
    expect(networkSegmentsForGate(10, 15, 'UNKNOWN', 2, 8)).toBe(38);
    expect(networkSegmentsForGate(10, 15, 'HASH')).toBe(38);
  });
});

describe('networkRequirementPerTaskManager', () => {
  it('N5: v1(25) → v2(10) REBALANCE on 5 slots needs 14,090,240 bytes = "13760 kb"', () => {
    const need = networkRequirementPerTaskManager({
      vertices: [
        { id: 'v1', parallelism: 25 },
        { id: 'v2', parallelism: 10 },
      ],
      edges: [{ from: 'v1', to: 'v2', shipStrategy: 'REBALANCE' }],
      slots: 5,
    });
    expect(need.buffers).toBe(430n);
    expect(need.bytes).toBe(14090240n);
    expect(formatMemorySize(need.bytes)).toBe('13760 kb');
  });

  it('sums every edge in both directions', () => {
    const need = networkRequirementPerTaskManager({
      vertices: [
        { id: 'a', parallelism: 4 },
        { id: 'b', parallelism: 4 },
        { id: 'c', parallelism: 8 },
      ],
      edges: [
        { from: 'a', to: 'b', shipStrategy: 'FORWARD' },
        { from: 'b', to: 'c', shipStrategy: 'HASH' },
      ],
      slots: 1,
    });
    // a→b: 10 + 10; b→c: c reads 4 channels (4·2+8 = 16), b writes 8 (8·2+8 = 24)
    expect(need.buffers).toBe(60n);
  });

  it('names an unknown vertex', () => {
    expect(() =>
      networkRequirementPerTaskManager({
        vertices: [],
        edges: [{ from: 'x', to: 'y', shipStrategy: 'HASH' }],
        slots: 1,
      }),
    ).toThrow("Unknown vertex 'x'");
  });
});

describe('networkBuffersAvailable', () => {
  it('N7: 134,217,730 bytes of 32 KiB segments → 4096 buffers', () => {
    expect(networkBuffersAvailable(134217730n)).toBe(4096n);
    expect(networkBuffersAvailable(134217730n, 65536n)).toBe(2048n);
  });
});
