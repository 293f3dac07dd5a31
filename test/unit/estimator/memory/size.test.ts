import { describe, expect, it } from 'vitest';
import {
  formatHumanReadable,
  formatMemorySize,
  formatMemorySizeCompact,
  MemorySizeParseError,
  parseMemorySize,
} from '../../../../src/estimator/memory/size.js';

const UNITS_TEXT =
  '(b | bytes) / (k | kb | kibibytes) / (m | mb | mebibytes) / (g | gb | gibibytes) / (t | tb | tebibytes)';

function parseError(text: string): MemorySizeParseError {
  try {
    parseMemorySize(text);
  } catch (error) {
    if (error instanceof MemorySizeParseError) return error;
    throw error;
  }
  throw new Error(`'${text}' parsed`);
}

describe('parseMemorySize (MemorySize.parseBytes)', () => {
  it('reads every unit, case-insensitively, all binary', () => {
    const cases: [string, bigint][] = [
      ['1024', 1024n],
      ['1b', 1n],
      ['3 bytes', 3n],
      ['1k', 1024n],
      ['1KB', 1024n],
      ['1kibibytes', 1024n],
      ['1728m', 1811939328n],
      ['64MB', 67108864n],
      ['2 mebibytes', 2097152n],
      ['2G', 2147483648n],
      ['4 gb', 4294967296n],
      ['1 GiBiBytes', 1073741824n],
      ['1t', 1099511627776n],
      ['2TB', 2199023255552n],
      ['1 tebibytes', 1099511627776n],
      ['0', 0n],
      ['007m', 7340032n],
    ];
    for (const [text, bytes] of cases) expect(parseMemorySize(text)).toBe(bytes);
  });

  it('trims as Java does: leading/trailing whitespace and control characters, whitespace before the unit', () => {
    expect(parseMemorySize('  512 m  ')).toBe(536870912n);
    expect(parseMemorySize('\t1g\n')).toBe(1073741824n);
    expect(parseMemorySize('1 \t g')).toBe(1073741824n);
  });

  it('rejects a decimal point ("1.5g") with Flink wording', () => {
    expect(parseError('1.5g').message).toBe(
      `Memory size unit '.5g' does not match any of the recognized units: ${UNITS_TEXT}`,
    );
  });

  it('rejects unknown units, non-numbers, empty text and negatives with Flink wording', () => {
    expect(parseError('10 gibs').message).toBe(
      `Memory size unit 'gibs' does not match any of the recognized units: ${UNITS_TEXT}`,
    );
    expect(parseError('2Gi').message).toBe(
      `Memory size unit 'gi' does not match any of the recognized units: ${UNITS_TEXT}`,
    );
    expect(parseError('abc').message).toBe('text does not start with a number');
    expect(parseError('abc').javaClass).toBe('NumberFormatException');
    expect(parseError('-1g').message).toBe('text does not start with a number');
    expect(parseError('').message).toBe('argument is an empty- or whitespace-only string');
    expect(parseError('   ').message).toBe('argument is an empty- or whitespace-only string');
    // JavaScript's Unicode whitespace is not Java's trim: a no-break space is not stripped.
    expect(parseError('\u00a01g').message).toBe('text does not start with a number');
  });

  it('rejects values that overflow a 64-bit long', () => {
    expect(parseMemorySize('9223372036854775807')).toBe(9223372036854775807n);
    expect(parseError('9223372036854775808').message).toBe(
      "The value '9223372036854775808' cannot be re represented as 64bit number (numeric overflow).",
    );
    expect(parseMemorySize('8388607t')).toBe(8388607n * 1099511627776n);
    expect(parseError('8388608t').message).toBe(
      "The value '8388608t' cannot be re represented as 64bit number of bytes (numeric overflow).",
    );
    expect(parseError(' 9007199254740992 k').message).toBe(
      "The value ' 9007199254740992 k' cannot be re represented as 64bit number of bytes (numeric overflow).",
    );
  });
});

describe('formatMemorySize (MemorySize.toString)', () => {
  it('prints the largest unit that divides the value exactly', () => {
    expect(formatMemorySize(2147483648n)).toBe('2 gb');
    expect(formatMemorySize(1811939328n)).toBe('1728 mb');
    expect(formatMemorySize(14090240n)).toBe('13760 kb');
    expect(formatMemorySize(1000000n)).toBe('1000000 bytes');
    expect(formatMemorySize(134217730n)).toBe('134217730 bytes');
  });

  it('keeps Flink’s quirk: values divisible by every unit print in bytes', () => {
    expect(formatMemorySize(0n)).toBe('0 bytes');
    expect(formatMemorySize(1099511627776n)).toBe('1099511627776 bytes');
  });
});

describe('formatHumanReadable (MemorySize.toHumanReadableString)', () => {
  it('prints three decimals in the largest unit strictly below the value', () => {
    expect(formatHumanReadable(1811939328n)).toBe('1.688gb (1811939328 bytes)');
    expect(formatHumanReadable(536870920n)).toBe('512.000mb (536870920 bytes)');
    expect(formatHumanReadable(1073741824n)).toBe('1024.000mb (1073741824 bytes)');
    expect(formatHumanReadable(60397978n)).toBe('57.600mb (60397978 bytes)');
    expect(formatHumanReadable(1025n)).toBe('1.001kb (1025 bytes)');
    expect(formatHumanReadable(9223372036854775807n)).toBe('8388608.000tb (9223372036854775807 bytes)');
  });

  it('prints small values in bytes', () => {
    expect(formatHumanReadable(0n)).toBe('0 bytes');
    expect(formatHumanReadable(1024n)).toBe('1024 bytes');
  });

  it('rounds half up on the shortest decimal, as Java’s Formatter does', () => {
    // 1.0005 MiB exactly is 1049100.288 bytes; 1049101 bytes / 2^20 = 1.000500679…
    expect(formatHumanReadable(1049101n)).toBe('1.001mb (1049101 bytes)');
    // 0x1.0008p0 MiB: 1.0001220703125 → 1.000
    expect(formatHumanReadable(1048704n)).toBe('1.000mb (1048704 bytes)');
    // 1.0625 KiB-ish tie: 1088 bytes = 1.0625 kb → 1.063 (half up)
    expect(formatHumanReadable(1088n)).toBe('1.063kb (1088 bytes)');
  });
});

describe('formatMemorySizeCompact', () => {
  it('writes Flink-parsable short sizes that read back to the same bytes', () => {
    for (const bytes of [0n, 1n, 1024n, 1811939328n, 14090240n, 2147483648n, 1099511627776n, 134217730n]) {
      expect(parseMemorySize(formatMemorySizeCompact(bytes))).toBe(bytes);
    }
    expect(formatMemorySizeCompact(1811939328n)).toBe('1728m');
    expect(formatMemorySizeCompact(2147483648n)).toBe('2g');
    expect(formatMemorySizeCompact(134217730n)).toBe('134217730b');
  });
});
