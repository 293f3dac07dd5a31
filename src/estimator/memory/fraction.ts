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

/**
 * `MemorySize.multiply(multiplier)`: exact decimal product, truncated toward zero.
 *
 * @throws JavaArithmeticError "long overflow" above Long.MAX_VALUE, "multiplier must be >= 0"
 */
export function multiplyBytes(bytes: bigint, multiplier: number): bigint {
  if (multiplier < 0) throw new JavaArithmeticError('multiplier must be >= 0', 'IllegalArgumentException');
  const { unscaled, scale } = javaDecimalOf(multiplier);
  const numerator = bytes * unscaled;
  const denominator = scale >= 0 ? 10n ** BigInt(scale) : 1n;
  const product = scale >= 0 ? numerator : numerator * 10n ** BigInt(-scale);
  if (product > LONG_MAX * denominator) throw new JavaArithmeticError('long overflow', 'ArithmeticException');
  return product / denominator;
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
