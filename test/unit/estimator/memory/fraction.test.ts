import { describe, expect, it } from 'vitest';
import {
  capToMinMax,
  inverseFractionMultiplier,
  isValidRangeFraction,
  multiplyBytes,
  parseFraction,
} from '../../../../src/estimator/memory/fraction.js';

describe('multiplyBytes (MemorySize.multiply)', () => {
  it('multiplies by the float-widened fraction and truncates (why logs show 536870920, not 536870912)', () => {
    expect(multiplyBytes(1342177280n, parseFraction('0.4'))).toBe(536870920n);
    expect(multiplyBytes(1342177280n, parseFraction('0.1'))).toBe(134217730n);
    expect(multiplyBytes(1811939328n, parseFraction('0.1'))).toBe(181193935n);
    expect(multiplyBytes(1048576000n, parseFraction('0.1'))).toBe(104857601n);
  });

  it('uses f/(1−f) in double for an inverse fraction (T6: ≈61.8 MiB before the 64m minimum)', () => {
    const f = parseFraction('0.1');
    expect(multiplyBytes(583008256n, inverseFractionMultiplier(f))).toBe(64778696n);
  });

  it('handles multipliers whose decimal form has an exponent', () => {
    expect(multiplyBytes(10n ** 12n, 1e-9)).toBe(1000n);
    expect(multiplyBytes(3n, 1e10)).toBe(30000000000n);
    expect(multiplyBytes(5n, 0)).toBe(0n);
  });

  it('rejects products above Long.MAX_VALUE and negative multipliers as Flink does', () => {
    expect(() => multiplyBytes(9223372036854775807n, 1.5)).toThrow('long overflow');
    expect(() => multiplyBytes(1n, -0.5)).toThrow('multiplier must be >= 0');
  });
});

describe('capToMinMax and RangeFraction', () => {
  it('caps above max first, then below min', () => {
    expect(capToMinMax(10n, 20n, 30n)).toEqual({ value: 20n, capped: 'min' });
    expect(capToMinMax(40n, 20n, 30n)).toEqual({ value: 30n, capped: 'max' });
    expect(capToMinMax(25n, 20n, 30n)).toEqual({ value: 25n });
    // min > max (rejected later by RangeFraction) still prefers max first
    expect(capToMinMax(40n, 50n, 30n)).toEqual({ value: 30n, capped: 'max' });
  });

  it('accepts min ≤ max and 0 ≤ f < 1 only (NaN fails)', () => {
    expect(isValidRangeFraction(0n, 1n, 0)).toBe(true);
    expect(isValidRangeFraction(1n, 1n, 0.99)).toBe(true);
    expect(isValidRangeFraction(2n, 1n, 0.1)).toBe(false);
    expect(isValidRangeFraction(0n, 1n, 1)).toBe(false);
    expect(isValidRangeFraction(0n, 1n, -0.1)).toBe(false);
    expect(isValidRangeFraction(0n, 1n, Number.NaN)).toBe(false);
  });
});
