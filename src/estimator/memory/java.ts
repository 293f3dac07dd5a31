/**
 * The few pieces of Java's number parsing and printing that Flink's memory code relies on.
 *
 * Flink reads its options with `Integer.parseInt`, `Float.parseFloat` and `Double.parseDouble`
 * (`ConfigurationUtils.convertToInt/Float/Double`, release-1.20) and prints values in its error
 * messages with `Double.toString`, `Float.toString` and `String.format("%.3f")`
 * (`MemorySize.toHumanReadableString`). JavaScript's own `Number()`, `parseFloat` and `toFixed`
 * accept and print different things ("0x10", "" → 0, "1.5f" rejected, "0.15".toFixed(1)), so the
 * grammar and rounding are re-derived here from the JDK's documented behaviour.
 */

/** A Java exception as Flink would throw it: its class name and message. */
export class JavaNumberFormatException extends Error {
  override readonly name = 'NumberFormatException';
}

/** `String.trim()`: strips every char ≤ U+0020 from both ends (not Unicode whitespace). */
export function javaTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}

const DECIMAL_DIGIT = /^\p{Nd}$/u;

/**
 * `Character.digit(ch, 10)` for one UTF-16 unit: ASCII and every other Unicode decimal digit
 * (Nd) in the BMP; surrogates never match because Java looks at single chars.
 */
function javaDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0xd800 && code <= 0xdfff) return -1;
  if (!DECIMAL_DIGIT.test(String.fromCharCode(code))) return -1;
  // Nd characters come in runs of ten starting at the digit zero.
  let start = code;
  while (start > 0 && DECIMAL_DIGIT.test(String.fromCharCode(start - 1))) start--;
  return (code - start) % 10;
}

function forInputString(text: string): JavaNumberFormatException {
  return new JavaNumberFormatException(`For input string: "${text}"`);
}

const INT_MAX = 2147483647;

/** `Integer.parseInt(text)`: optional sign, decimal digits, no trimming, 32-bit range. */
export function parseJavaInt(text: string): number {
  if (text.length === 0) throw forInputString(text);
  let i = 0;
  let negative = false;
  const first = text.charAt(0);
  if (first === '-' || first === '+') {
    negative = first === '-';
    if (text.length === 1) throw forInputString(text);
    i = 1;
  }
  const limit = negative ? INT_MAX + 1 : INT_MAX;
  let value = 0;
  for (; i < text.length; i++) {
    const digit = javaDigit(text.charCodeAt(i));
    if (digit < 0) throw forInputString(text);
    value = value * 10 + digit;
    if (value > limit) throw forInputString(text);
  }
  return negative ? (value === 0 ? 0 : -value) : value;
}

/** IEEE-754 binary formats Java parses into. */
interface BinaryFormat {
  /** Significand bits including the hidden one. */
  precision: number;
  /** Exponent of the smallest subnormal's unit in the last place. */
  minUlpExponent: number;
  /** Values at or above 2^maxExponentExclusive overflow to infinity. */
  maxExponentExclusive: number;
}

const FLOAT32: BinaryFormat = { precision: 24, minUlpExponent: -149, maxExponentExclusive: 128 };
const FLOAT64: BinaryFormat = { precision: 53, minUlpExponent: -1074, maxExponentExclusive: 1024 };

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Rounds the exact positive rational num/den to the nearest value of `format`, ties to even,
 * as the JDK's correctly rounded parsers do.
 */
function roundRational(num: bigint, den: bigint, format: BinaryFormat): number {
  if (num === 0n) return 0;
  // e such that 2^e ≤ num/den < 2^(e+1)
  let e = bitLength(num) - bitLength(den);
  const atLeast = (exp: number): boolean =>
    exp >= 0 ? num >= den << BigInt(exp) : num << BigInt(-exp) >= den;
  if (!atLeast(e)) e -= 1;
  if (e >= format.maxExponentExclusive) return Number.POSITIVE_INFINITY;
  const q = Math.max(e - (format.precision - 1), format.minUlpExponent);
  const scaledNum = q >= 0 ? num : num << BigInt(-q);
  const scaledDen = q >= 0 ? den << BigInt(q) : den;
  let m = scaledNum / scaledDen;
  const twiceRemainder = (scaledNum % scaledDen) * 2n;
  if (twiceRemainder > scaledDen || (twiceRemainder === scaledDen && (m & 1n) === 1n)) m += 1n;
  if (bitLength(m) + q > format.maxExponentExclusive) return Number.POSITIVE_INFINITY;
  return Number(m) * 2 ** q;
}

/** A parsed decimal literal: value = 0.DIGITS × 10^decimalExponent (digits without leading zeros). */
interface DecimalLiteral {
  negative: boolean;
  digits: string;
  decimalExponent: number;
}

const HEX_FLOAT =
  /^([-+])?0[xX](?:([0-9a-fA-F]+)\.?|([0-9a-fA-F]*)\.([0-9a-fA-F]+))[pP]([-+])?([0-9]+)[fFdD]?$/;

/** Java caps decimal exponents at BIG_DECIMAL_EXPONENT (324) plus the digit count. */
const BIG_DECIMAL_EXPONENT = 324;

type Parsed =
  | { kind: 'nan' }
  | { kind: 'infinity'; negative: boolean }
  | { kind: 'zero'; negative: boolean }
  | { kind: 'decimal'; literal: DecimalLiteral }
  | { kind: 'binary'; negative: boolean; mantissa: bigint; binaryExponent: number };

/**
 * The grammar of `FloatingDecimal.readJavaFormatString` (used by both `Float.parseFloat` and
 * `Double.parseDouble`): trimmed text, optional sign, "NaN", "Infinity", hexadecimal
 * ("0x1.8p1"), or decimal digits with an optional point and exponent, and an optional
 * trailing type suffix f/F/d/D.
 */
function readJavaFloatingPoint(original: string): Parsed {
  const text = javaTrim(original);
  if (text.length === 0) throw new JavaNumberFormatException('empty String');
  const fail = (): JavaNumberFormatException => forInputString(text);
  let i = 0;
  let negative = false;
  let signSeen = false;
  if (text[0] === '-' || text[0] === '+') {
    negative = text[0] === '-';
    signSeen = true;
    i = 1;
  }
  if (i >= text.length) throw fail();
  const c0 = text[i];
  if (c0 === 'N') {
    if (text.length - i === 3 && text.startsWith('NaN', i)) return { kind: 'nan' };
    throw fail();
  }
  if (c0 === 'I') {
    if (text.length - i === 8 && text.startsWith('Infinity', i)) return { kind: 'infinity', negative };
    throw fail();
  }
  if (c0 === '0' && i + 1 < text.length && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
    return readHex(text);
  }
  let leadingZeros = 0;
  let decimalPointSeen = false;
  let decimalPoint = 0;
  const markPoint = (at: number): void => {
    if (decimalPointSeen) throw new JavaNumberFormatException('multiple points');
    decimalPoint = signSeen ? at - 1 : at;
    decimalPointSeen = true;
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '0') leadingZeros++;
    else if (c === '.') markPoint(i);
    else break;
  }
  let digits = '';
  let trailingZeros = 0;
  for (; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c >= '1' && c <= '9') {
      digits += c;
      trailingZeros = 0;
    } else if (c === '0') {
      digits += c;
      trailingZeros++;
    } else if (c === '.') markPoint(i);
    else break;
  }
  const significantCount = digits.length - trailingZeros;
  const significant = digits.slice(0, significantCount);
  if (significantCount === 0 && leadingZeros === 0) throw fail();
  let decimalExponent = decimalPointSeen ? decimalPoint - leadingZeros : digits.length;
  if (i < text.length && (text[i] === 'e' || text[i] === 'E')) {
    i++;
    if (i >= text.length) throw fail();
    let expSign = 1;
    if (text[i] === '-' || text[i] === '+') {
      expSign = text[i] === '-' ? -1 : 1;
      i++;
    }
    const expAt = i;
    let expValue = 0;
    let overflow = false;
    for (; i < text.length; i++) {
      const c = text[i] ?? '';
      if (c < '0' || c > '9') break;
      if (expValue >= 214748364) overflow = true;
      if (!overflow) expValue = expValue * 10 + (c.charCodeAt(0) - 48);
    }
    const expLimit = BIG_DECIMAL_EXPONENT + digits.length;
    decimalExponent =
      overflow || expValue > expLimit ? expSign * expLimit : decimalExponent + expSign * expValue;
    if (i === expAt) throw fail();
  }
  if (i < text.length) {
    const c = text[i];
    if (i !== text.length - 1 || (c !== 'f' && c !== 'F' && c !== 'd' && c !== 'D')) throw fail();
  }
  if (significantCount === 0) return { kind: 'zero', negative };
  return { kind: 'decimal', literal: { negative, digits: significant, decimalExponent } };
}

function readHex(text: string): Parsed {
  const match = HEX_FLOAT.exec(text);
  if (!match) throw forInputString(text);
  const negative = match[1] === '-';
  const whole = match[2] ?? match[3] ?? '';
  const fraction = match[2] !== undefined ? '' : (match[4] ?? '');
  const mantissa = BigInt(`0x0${whole}${fraction}`);
  if (mantissa === 0n) return { kind: 'zero', negative };
  const expDigits = match[6] ?? '0';
  // Exponents beyond int range saturate to infinity or zero (FloatingDecimal.parseHexString).
  const rawExponent = expDigits.length > 9 ? 1_000_000_000 : Number(expDigits);
  const exponent = match[5] === '-' ? -rawExponent : rawExponent;
  return { kind: 'binary', negative, mantissa, binaryExponent: exponent - 4 * fraction.length };
}

function toNumber(parsed: Parsed, format: BinaryFormat): number {
  switch (parsed.kind) {
    case 'nan':
      return Number.NaN;
    case 'infinity':
      return parsed.negative ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    case 'zero':
      return parsed.negative ? -0 : 0;
    case 'binary': {
      const { mantissa, binaryExponent } = parsed;
      const clamped = Math.max(-5000, Math.min(5000, binaryExponent));
      const value =
        clamped >= 0
          ? roundRational(mantissa << BigInt(clamped), 1n, format)
          : roundRational(mantissa, 1n << BigInt(-clamped), format);
      return parsed.negative ? -value : value;
    }
    case 'decimal': {
      const { digits, decimalExponent, negative } = parsed.literal;
      const scale = decimalExponent - digits.length;
      const n = BigInt(digits);
      const value =
        scale >= 0
          ? roundRational(n * 10n ** BigInt(scale), 1n, format)
          : roundRational(n, 10n ** BigInt(-scale), format);
      return negative ? -value : value;
    }
  }
}

/** `Float.parseFloat(text)`, returned widened to double exactly as `(double) f` in Java. */
export function parseJavaFloat(text: string): number {
  return toNumber(readJavaFloatingPoint(text), FLOAT32);
}

/** Digits with an optional fraction ("2.0", "0.5"), as the planner writes CPU cores. */
const PLAIN_DECIMAL = /^\d{1,15}(?:\.\d{1,15})?$/;

/** `Double.parseDouble(text)`. */
export function parseJavaDouble(text: string): number {
  // Number() rounds a plain decimal to the nearest double, as Java does: same value, without
  // the general grammar and the BigInt rounding.
  if (PLAIN_DECIMAL.test(text)) return Number(text);
  return toNumber(readJavaFloatingPoint(text), FLOAT64);
}

/** Shortest round-trip decimal digits and exponent of a finite, non-zero double (|x| = 0.D × 10^exp). */
function shortestDigits(x: number, isFloat: boolean): { digits: string; exponent: number } {
  const abs = Math.abs(x);
  let text = abs.toExponential();
  if (isFloat) {
    // Float.toString prints the shortest decimal that reads back as the same float.
    for (let p = 1; p <= 9; p++) {
      const candidate = abs.toExponential(p - 1);
      if (Math.fround(Number(candidate)) === abs) {
        text = candidate;
        break;
      }
    }
  }
  // "d.ddde±n" or "de±n". A double's shortest digits never end in 0 (fewest digits); a float's
  // fixed-precision candidate may.
  const e = text.indexOf('e');
  const mantissa = text.charCodeAt(1) === 46 ? `${text[0]}${text.slice(2, e)}` : text.slice(0, e);
  const digits = isFloat ? mantissa.replace(/0+$/, '') || '0' : mantissa;
  return { digits, exponent: Number(text.slice(e + 1)) + 1 };
}

function formatJavaFloating(x: number, isFloat: boolean): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return 'Infinity';
  if (x === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const abs = Math.abs(x);
  if (!isFloat && abs >= 1e-3 && abs < 1e7) {
    // JavaScript prints the same shortest digits (toExponential() is shortestDigits' source) in
    // plain notation throughout this range; Java adds ".0" to a whole number.
    const plain = String(abs);
    return `${sign}${plain}${plain.includes('.') ? '' : '.0'}`;
  }
  const { digits, exponent } = shortestDigits(x, isFloat);
  if (abs >= 1e-3 && abs < 1e7) {
    if (exponent <= 0) return `${sign}0.${'0'.repeat(-exponent)}${digits}`;
    const whole = digits.slice(0, exponent).padEnd(exponent, '0');
    const fraction = digits.slice(exponent) || '0';
    return `${sign}${whole}.${fraction}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exponent - 1}`;
}

/**
 * `Double.toString(x)` (JDK 19+ shortest representation; earlier JDKs can differ in the last
 * digit for rare values). Plain notation for 10^-3 ≤ |x| < 10^7, else "d.dddE±n".
 */
export function javaDoubleToString(x: number): string {
  return formatJavaFloating(x, false);
}

/** `Float.toString(f)` for a value that is exactly a float (e.g. 0.1f → "0.1"). */
export function javaFloatToString(x: number): string {
  return formatJavaFloating(x, true);
}

/**
 * `String.format(Locale.ROOT, "%.<scale>f", x)` for a finite non-negative double: Java's
 * Formatter rounds the shortest decimal digits HALF_UP (FormattedFloatingDecimal.applyPrecision),
 * not the exact binary value as `Number#toFixed` does.
 */
export function javaFormatFixed(x: number, scale: number): string {
  if (x === 0) return `0.${'0'.repeat(scale)}`;
  const { digits, exponent } = shortestDigits(x, false);
  // value = 0.digits × 10^exponent → integer of digits scaled by 10^scale
  const shift = exponent + scale;
  let scaled: bigint;
  if (shift >= digits.length) scaled = BigInt(digits) * 10n ** BigInt(shift - digits.length);
  else if (shift < 0) scaled = 0n;
  else {
    scaled = BigInt(digits.slice(0, shift) || '0');
    if ((digits[shift] ?? '0') >= '5') scaled += 1n;
  }
  const text = scaled.toString().padStart(scale + 1, '0');
  return `${text.slice(0, text.length - scale)}.${text.slice(text.length - scale)}`;
}

/** Java's `long` range; Flink's MemorySize is a non-negative long. */
export const LONG_MAX = 9223372036854775807n;
export const LONG_MIN = -9223372036854775808n;

/** A decimal string of a double exactly as `BigDecimal.valueOf(double)` sees it (via Double.toString). */
export function javaDecimalOf(x: number): { unscaled: bigint; scale: number } {
  // A whole number below 10^7 prints as "n.0" (CPU cores, usually).
  if (Number.isInteger(x) && Math.abs(x) < 1e7) return { unscaled: BigInt(x) * 10n, scale: 1 };
  const text = javaDoubleToString(x);
  const match = /^(-?)(\d+)\.(\d+)(?:E(-?\d+))?$/.exec(text);
  if (!match)
    throw new JavaNumberFormatException(
      `Character ${text[0]} is neither a decimal digit number, decimal point, nor "e" notation exponential mark.`,
    );
  const [, sign = '', whole = '0', fraction = '', exp] = match;
  const unscaled = BigInt(`${sign}${whole}${fraction}`);
  const scale = fraction.length - (exp === undefined ? 0 : Number(exp));
  return { unscaled, scale };
}
