/**
 * Numbers in the explanation and warning texts. Every plan formats a few hundred of them, so these
 * use plain arithmetic and string slicing — no Intl, no regular expressions (Number#toLocaleString
 * builds an ICU formatter on every call).
 */

/** "1234567" → "1,234,567" (digits only). */
function group(digits: string): string {
  if (digits.length <= 3) return digits;
  const head = digits.length % 3 || 3;
  let out = digits.slice(0, head);
  for (let i = head; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return out;
}

/**
 * 1234567.891 → "1,234,567.89": rounded to `digits` decimals (half up), trailing zeros dropped,
 * the whole part grouped by thousands.
 */
// 10 ** digits for the digits the texts use: a table read instead of a power per number.
const POWERS_OF_TEN = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];

export function num(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return String(x);
  const factor = POWERS_OF_TEN[digits] ?? 10 ** digits;
  // Whole numbers (most of a plan's rates and counts): no decimals to find, only the grouping.
  // Below 10^15 after scaling, the general path below prints exactly this too.
  if (Number.isInteger(x) && digits <= 6 && Math.abs(x) * factor < 1e15) {
    return x < 0 ? `-${group(String(-x))}` : group(String(x));
  }
  const scaled = Math.round(Math.abs(x) * factor);
  const rounded = scaled / factor;
  const whole = Math.floor(rounded);
  let fraction = '';
  if (scaled < 1e15 && digits <= 6) {
    // Below 10^15 the decimal w.fff is the only one of ≤ 15 digits that reads as `rounded`, so
    // it is what String(rounded) prints: the digits come from the integer, without printing a double.
    const rest = scaled % factor;
    if (rest !== 0) {
      let text = String(rest).padStart(digits, '0');
      let end = text.length;
      while (text.charCodeAt(end - 1) === 48) end--;
      text = text.slice(0, end);
      fraction = `.${text}`;
    }
  } else if (rounded !== whole) {
    const text = String(rounded);
    const dot = text.indexOf('.');
    if (dot >= 0 && !text.includes('e')) fraction = text.slice(dot);
  }
  return `${x < 0 && rounded !== 0 ? '-' : ''}${group(String(whole))}${fraction}`;
}

/** A count of things, rounded: 1234567.4 → "1,234,567" (what `toLocaleString('en-US')` prints). */
export function count(x: number): string {
  const n = Math.round(x);
  // Beyond 10^21 String() switches to exponent notation; -0 prints as "-0". Neither occurs in a
  // plan's counts, but the answer stays the same.
  if (!(Math.abs(n) < 1e21) || Object.is(n, -0)) return n.toLocaleString('en-US');
  return n < 0 ? `-${group(String(-n))}` : group(String(n));
}

/** 0.256 → "26%". */
export const pct = (x: number) => `${Math.round(x * 100)}%`;

/** "1 slot", "4 slots". */
export const counted = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
