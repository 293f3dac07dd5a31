import { describe, expect, it } from 'vitest';
import { count, counted, num, pct } from '../../../src/estimator/text.js';

describe('explanation numbers', () => {
  it('num rounds half up to the given decimals, drops trailing zeros and groups thousands', () => {
    expect(num(1234567.891)).toBe('1,234,567.89');
    expect(num(1234567.891, 0)).toBe('1,234,568');
    expect(num(0.1 + 0.2, 3)).toBe('0.3');
    expect(num(999.995)).toBe('1,000');
    expect(num(12.5, 0)).toBe('13');
    expect(num(-1234.5, 1)).toBe('-1,234.5');
    expect(num(-0.001)).toBe('0');
    expect(num(100)).toBe('100');
    expect(num(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });

  it('num prints whole numbers grouped, without decimals, as the decimal path does', () => {
    expect(num(1_234_567)).toBe('1,234,567');
    expect(num(-1_234_567, 3)).toBe('-1,234,567');
    expect(num(0)).toBe('0');
    expect(num(-0)).toBe('0');
    expect(num(999)).toBe('999');
    expect(num(1000, 6)).toBe('1,000');
    // Past 10^15 once scaled, whole numbers take the general path and print the same way.
    expect(num(12_345_678_901_234)).toBe('12,345,678,901,234');
    expect(num(2 ** 53)).toBe('9,007,199,254,740,992');
  });

  it('count prints a rounded count as toLocaleString("en-US") does', () => {
    expect(count(1234567.4)).toBe('1,234,567');
    expect(count(999.5)).toBe('1,000');
    expect(count(-1234.6)).toBe('-1,235');
    expect(count(0)).toBe('0');
    for (const x of [7, 12_345, 9_876_543_210.7, -0.2, 2.5e21, Number.NaN, Number.POSITIVE_INFINITY])
      expect(count(x)).toBe(Math.round(x).toLocaleString('en-US'));
  });

  it('pct and counted', () => {
    expect(pct(0.256)).toBe('26%');
    expect(counted(1, 'slot')).toBe('1 slot');
    expect(counted(4, 'slot')).toBe('4 slots');
  });
});
