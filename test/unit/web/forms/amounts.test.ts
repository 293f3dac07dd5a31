import { describe, expect, it } from 'vitest';
import { parseAmount, parseDuration, parseFraction, parseMemory } from '../../../../src/web/forms/amounts.js';

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

  it.each([
    // A bare number is in the field's unit.
    ['60', 's', 60],
    ['1,800', 's', 1800],
    // "m" is minutes in a duration, never millions (parseAmount('2m') is 2,000,000).
    ['2m', 's', 120],
    ['2 min', 's', 120],
    ['90s', 's', 90],
    ['1h', 's', 3600],
    ['1.5 hours', 's', 5400],
    ['1d', 's', 86_400],
    ['500ms', 's', 0.5],
    ['90s', 'min', 1.5],
    ['1h', 'min', 60],
    ['30', 'min', 30],
    ['0.2s', 'ms', 200],
    ['5', 'ms', 5],
  ] as const)('duration %s in a field of %s is %d', (text, unit, value) =>
    expect(parseDuration(text, unit)).toBe(value),
  );

  it.each(['soon', '', '2 weeks', '5k', '1e3s', 's'])('%j is not a duration', (text) => {
    expect(parseDuration(text, 's')).toBeUndefined();
  });
});
