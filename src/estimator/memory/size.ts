/**
 * Flink's `MemorySize`: parsing and printing byte amounts exactly as Flink does.
 *
 * Re-derived from `flink-core-api/src/main/java/org/apache/flink/configuration/MemorySize.java`
 * (release-1.20; `flink-core` in ≤1.19; unchanged in 2.x): `parseBytes`, `toString`
 * (`formatToString`) and `toHumanReadableString`. All units are binary, there is no decimal
 * point, and the result is a non-negative 64-bit long.
 */

import { javaFormatFixed, javaTrim, LONG_MAX } from './java.js';

export const KiB = 1024n;
export const MiB = 1024n * KiB;
export const GiB = 1024n * MiB;
export const TiB = 1024n * GiB;

/** `MemorySize.MAX_VALUE` = Long.MAX_VALUE bytes. */
export const MEMORY_SIZE_MAX = LONG_MAX;

interface MemoryUnit {
  names: readonly string[];
  multiplier: bigint;
}

/** `MemorySize.MemoryUnit`, in Flink's order; `names[1]` is the name used when printing. */
const UNITS: readonly MemoryUnit[] = [
  { names: ['b', 'bytes'], multiplier: 1n },
  { names: ['k', 'kb', 'kibibytes'], multiplier: KiB },
  { names: ['m', 'mb', 'mebibytes'], multiplier: MiB },
  { names: ['g', 'gb', 'gibibytes'], multiplier: GiB },
  { names: ['t', 'tb', 'tebibytes'], multiplier: TiB },
];

/** `MemoryUnit.getAllUnits()`: "(b | bytes) / (k | kb | kibibytes) / …". */
export const ALL_UNITS_TEXT = UNITS.map((u) => `(${u.names.join(' | ')})`).join(' / ');

/**
 * Why Flink could not parse a memory size. `message` is Flink's own wording; `javaClass` names
 * the exception Flink throws (`IllegalArgumentException` or `NumberFormatException`).
 */
export class MemorySizeParseError extends Error {
  override readonly name = 'MemorySizeParseError';
  constructor(
    message: string,
    readonly javaClass: 'IllegalArgumentException' | 'NumberFormatException',
  ) {
    super(message);
  }
}

function leadingDigits(text: string): number {
  let pos = 0;
  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    if (c < 48 || c > 57) break;
    pos++;
  }
  return pos;
}

/**
 * `MemorySize.parseBytes(text)`: Java-trimmed text, ASCII digits, optional whitespace, optional
 * case-insensitive unit. "1.5g" is rejected ("Memory size unit '.5g' does not match …"),
 * as is anything that overflows a 64-bit long.
 *
 * @throws MemorySizeParseError with Flink's message
 */
export function parseMemorySize(text: string): bigint {
  const trimmed = javaTrim(text);
  if (trimmed.length === 0) {
    throw new MemorySizeParseError(
      'argument is an empty- or whitespace-only string',
      'IllegalArgumentException',
    );
  }
  const pos = leadingDigits(trimmed);
  const number = trimmed.slice(0, pos);
  // Locale.US lower-casing is the default Unicode mapping, which JavaScript uses too.
  const unitText = javaTrim(trimmed.slice(pos)).toLowerCase();
  if (number.length === 0) {
    throw new MemorySizeParseError('text does not start with a number', 'NumberFormatException');
  }
  const value = BigInt(number);
  if (value > LONG_MAX) {
    throw new MemorySizeParseError(
      `The value '${number}' cannot be re represented as 64bit number (numeric overflow).`,
      'IllegalArgumentException',
    );
  }
  let multiplier = 1n;
  if (unitText.length > 0) {
    const unit = UNITS.find((u) => u.names.includes(unitText));
    if (!unit) {
      throw new MemorySizeParseError(
        `Memory size unit '${unitText}' does not match any of the recognized units: ${ALL_UNITS_TEXT}`,
        'IllegalArgumentException',
      );
    }
    multiplier = unit.multiplier;
  }
  const result = value * multiplier;
  // Java multiplies in 64 bits and checks result / multiplier == value; with power-of-two
  // multipliers and a non-negative value that is exactly "the product exceeds Long.MAX_VALUE".
  if (result > LONG_MAX) {
    throw new MemorySizeParseError(
      `The value '${text}' cannot be re represented as 64bit number of bytes (numeric overflow).`,
      'IllegalArgumentException',
    );
  }
  return result;
}

/**
 * `MemorySize.toString()`: the value in the largest unit that divides it exactly — "1728 mb",
 * "13760 kb", "1000000 bytes", "2 gb". Flink's quirk is kept: a value divisible by every unit
 * (0, or whole tebibytes) prints in bytes ("1099511627776 bytes").
 */
export function formatMemorySize(bytes: bigint): string {
  const firstNonDividing = UNITS.findIndex((u) => bytes % u.multiplier !== 0n);
  const unit = firstNonDividing <= 0 ? UNITS[0] : UNITS[firstNonDividing - 1];
  const chosen = unit ?? { names: ['b', 'bytes'], multiplier: 1n };
  return `${bytes / chosen.multiplier} ${chosen.names[1]}`;
}

/**
 * `MemorySize.toHumanReadableString()`: "1.688gb (1811939328 bytes)", or "N bytes" up to
 * 1024 bytes. The unit is the largest one strictly below the value; the number is
 * `String.format(Locale.ROOT, "%.3f", 1.0 * bytes / multiplier)`.
 */
export function formatHumanReadable(bytes: bigint): string {
  let highest: MemoryUnit | undefined;
  for (const unit of UNITS) {
    if (bytes > unit.multiplier) highest = unit;
  }
  if (!highest || highest.multiplier === 1n) return `${bytes} bytes`;
  const approximate = Number(bytes) / Number(highest.multiplier);
  return `${javaFormatFixed(approximate, 3)}${highest.names[1]} (${bytes} bytes)`;
}

/**
 * A compact Flink-parsable spelling for config files: "1728m", "4g", "13760k", or plain
 * bytes ("1811939329b"). Whole tebibytes print as gibibytes ("1024g").
 */
export function formatMemorySizeCompact(bytes: bigint): string {
  if (bytes === 0n) return '0';
  for (const [multiplier, suffix] of [
    [GiB, 'g'],
    [MiB, 'm'],
    [KiB, 'k'],
  ] as const) {
    if (bytes % multiplier === 0n) return `${bytes / multiplier}${suffix}`;
  }
  return `${bytes}b`;
}
