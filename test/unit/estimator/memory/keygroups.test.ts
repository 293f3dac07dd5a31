import { describe, expect, it } from 'vitest';
import {
  defaultMaxParallelism,
  keyGroupRange,
  keyGroupSkew,
  operatorIndexForKeyGroup,
} from '../../../../src/estimator/memory/keygroups.js';

describe('defaultMaxParallelism (KeyGroupRangeAssignment.computeDefaultMaxParallelism)', () => {
  it('matches the reference table', () => {
    const table: [number, number][] = [
      [1, 128],
      [85, 128],
      [86, 256],
      [100, 256],
      [171, 256],
      [172, 512],
      [1000, 2048],
      [21845, 32768],
      [21846, 32768],
      [32768, 32768],
    ];
    for (const [p, maxP] of table) expect(defaultMaxParallelism(p)).toBe(maxP);
  });

  it('rejects parallelism outside (0, 32768] with Flink’s message', () => {
    expect(() => defaultMaxParallelism(0)).toThrow('Operator parallelism not within bounds: 0');
    expect(() => defaultMaxParallelism(32769)).toThrow('Operator parallelism not within bounds: 32769');
  });
});

describe('key-group ranges', () => {
  it('maxP 128 over 3 subtasks: [0,42], [43,85], [86,127]', () => {
    expect([0, 1, 2].map((i) => keyGroupRange(i, 3, 128))).toEqual([
      { start: 0, end: 42, size: 43 },
      { start: 43, end: 85, size: 43 },
      { start: 86, end: 127, size: 42 },
    ]);
  });

  it('every key group maps to the subtask whose range holds it', () => {
    for (const [p, maxP] of [
      [3, 128],
      [7, 720],
      [12, 128],
    ] as const) {
      for (let kg = 0; kg < maxP; kg++) {
        const range = keyGroupRange(operatorIndexForKeyGroup(kg, p, maxP), p, maxP);
        expect(kg >= range.start && kg <= range.end).toBe(true);
      }
    }
  });

  it('rejects maxP below p', () => {
    expect(() => keyGroupRange(0, 10, 8)).toThrow(
      'Maximum parallelism must not be smaller than parallelism.',
    );
  });

  it('reports skew when maxP is not a multiple of p', () => {
    expect(keyGroupSkew(3, 128)).toEqual({ largest: 43, smallest: 42, ratio: 43 / 42 });
    expect(keyGroupSkew(12, 720).ratio).toBe(1);
  });
});
