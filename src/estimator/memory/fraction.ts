/**
 * Fractions of memory sizes, computed the way Flink computes them.
 *
 * Every fraction option (`*.managed.fraction`, `*.network.fraction`, `*.jvm-overhead.fraction`)
 * is a Float ConfigOption read with `Float.parseFloat` and widened to double
 * (`ProcessMemoryUtils.getRangeFraction`), so 0.1 is really 0.10000000149011612.
 * `MemorySize.multiply(double)` multiplies `BigDecimal.valueOf(bytes)` by
 * `BigDecimal.valueOf(multiplier)` — the decimal string of `Double.toString` — and truncates.
 */

import { javaDecimalOf, LONG_MAX, parseJavaFloat } from './java.js';

/** An arithmetic failure Flink reports as a Java exception (`ArithmeticException` etc.). */
export class JavaArithmeticError extends Error {
  constructor(
    message: string,
    readonly javaClass: 'ArithmeticException' | 'IllegalArgumentException',
  ) {
    super(message);
  }
}

/**
 * Parses a fraction option value as Flink does (`Float.parseFloat`: "0.1", " 0.1 ", "1e-1",
 * ".5", "0.5f", "0x1p-3", "NaN"), returning the float widened to double.
 *
 * @throws JavaNumberFormatException for text Java rejects ("abc", "", "1,5")
 */
export function parseFraction(text: string): number {
  return parseJavaFloat(text);
}

/** A multiplier as `BigDecimal.valueOf(multiplier)` holds it: an integer over a power of ten. */
export interface DecimalMultiplier {
  numerator: bigint;
  denominator: bigint;
}

/**
 * The decimal of a multiplier (`BigDecimal.valueOf`, via `Double.toString`). Formatting a double
 * is the costly part of a multiplication, and the same few fractions (Flink's 0.1f and 0.4f
 * defaults) come back in every derivation, so the last few are kept.
 *
 * @throws JavaArithmeticError "multiplier must be >= 0"
 */
export function decimalMultiplier(multiplier: number): DecimalMultiplier {
  const known = recentMultipliers.get(multiplier);
  if (known !== undefined) return known;
  if (multiplier < 0) throw new JavaArithmeticError('multiplier must be >= 0', 'IllegalArgumentException');
  const { unscaled, scale } = javaDecimalOf(multiplier);
  const decimal =
    scale >= 0
      ? { numerator: unscaled, denominator: 10n ** BigInt(scale) }
      : { numerator: unscaled * 10n ** BigInt(-scale), denominator: 1n };
  if (recentMultipliers.size >= 16) recentMultipliers.clear();
  recentMultipliers.set(multiplier, decimal);
  return decimal;
}

const recentMultipliers = new Map<number, DecimalMultiplier>();

/** `MemorySize.multiply` by a multiplier already read as a decimal. */
export function multiplyByDecimal(bytes: bigint, { numerator, denominator }: DecimalMultiplier): bigint {
  const product = bytes * numerator;
  if (product > LONG_MAX * denominator) throw new JavaArithmeticError('long overflow', 'ArithmeticException');
  return product / denominator;
}

/**
 * `MemorySize.multiply(multiplier)`: exact decimal product, truncated toward zero.
 *
 * @throws JavaArithmeticError "long overflow" above Long.MAX_VALUE, "multiplier must be >= 0"
 */
export function multiplyBytes(bytes: bigint, multiplier: number): bigint {
  return multiplyByDecimal(bytes, decimalMultiplier(multiplier));
}

/** The multiplier for a part that is a fraction f of a whole not yet known: f / (1 − f), in double. */
export function inverseFractionMultiplier(fraction: number): number {
  return fraction / (1 - fraction);
}

/** `ProcessMemoryUtils.capToMinMax`: above max → max; otherwise below min → min. */
export function capToMinMax(
  value: bigint,
  min: bigint,
  max: bigint,
): { value: bigint; capped?: 'min' | 'max' } {
  if (value > max) return { value: max, capped: 'max' };
  if (value < min) return { value: min, capped: 'min' };
  return { value };
}

/** `RangeFraction`'s own checks: min ≤ max and 0 ≤ fraction < 1 (NaN fails). */
export function isValidRangeFraction(min: bigint, max: bigint, fraction: number): boolean {
  return min <= max && fraction >= 0 && fraction < 1;
}
