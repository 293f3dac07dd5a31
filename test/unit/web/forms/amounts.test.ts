import { describe, expect, it } from 'vitest';
import { parseAmount, parseFraction, parseMemory } from '../../../../src/web/forms/amounts.js';

describe('amounts as people write them', () => {
  it.each([
    ['50000', 50000],
    ['50k', 50000],
    ['1.2M', 1200000],
    ['100,000', 100000],
    ['1e5', 100000],
    ['2G', 2e9],
    ['0.5', 0.5],
  ])('%s is %d', (text, value) => expect(parseAmount(text)).toBe(value));

  it.each(['fast', '', '5 k records', '1..2'])('%j is not an amount', (text) => {
    expect(parseAmount(text)).toBeUndefined();
  });

  it('reads a percentage as a fraction', () => {
    expect(parseFraction('70%')).toBe(0.7);
    expect(parseFraction('0.7')).toBe(0.7);
    expect(parseFraction('7 0%')).toBeUndefined();
  });

  it.each([
    ['8Gi', '8g'],
    ['8GiB', '8g'],
    ['8 GB', '8g'],
    ['8g', '8g'],
    ['4096m', '4096m'],
    // 1.5 × 1024 MiB: Flink's MemorySize takes integers only.
    ['1.5g', '1536m'],
    ['1073741824', '1073741824'],
  ])('memory %s is %s in Flink syntax', (text, flink) => expect(parseMemory(text)).toBe(flink));

  it('rejects what is not a size', () => expect(parseMemory('lots')).toBeUndefined());
});
