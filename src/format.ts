/**
 * Human formatting for pages and the CLI table. Exact values stay available to callers
 * (templates show them in a title/tooltip); these only make numbers readable.
 */

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** 1811939328 → "1.69 GiB"; whole numbers lose their decimals ("128 MiB"). */
export function formatBytes(bytes: number | bigint): string {
  let value = Number(bytes);
  if (!Number.isFinite(value)) return String(bytes);
  const negative = value < 0;
  value = Math.abs(value);
  let unit = 0;
  while (value >= 1024 && unit < BINARY_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = Number.isInteger(value)
    ? String(value)
    : value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2);
  return `${negative ? '-' : ''}${text} ${BINARY_UNITS[unit]}`;
}

// Number#toLocaleString builds an ICU formatter on every call (~µs each, and pages format
// hundreds of numbers); one cached Intl.NumberFormat per style is ~50× faster.
const numberFormats = new Map<number, Intl.NumberFormat>();
const numberFormat = (digits: number) => {
  let format = numberFormats.get(digits);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { maximumFractionDigits: digits });
    numberFormats.set(digits, format);
  }
  return format;
};
const moneyFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 1234567 → "1,234,567"; keeps up to `digits` decimals. */
export function formatNumber(value: number | bigint, digits = 2): string {
  if (typeof value === 'bigint') return numberFormat(0).format(value);
  if (!Number.isFinite(value)) return String(value);
  return numberFormat(digits).format(value);
}

/** 1500000 → "1.5M", 100000 → "100k", 950 → "950". */
export function formatCompact(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const [divisor, suffix] =
    abs >= 1e9 ? [1e9, 'G'] : abs >= 1e6 ? [1e6, 'M'] : abs >= 1e3 ? [1e3, 'k'] : [1, ''];
  const scaled = value / divisor;
  const text = Number.isInteger(scaled)
    ? String(scaled)
    : scaled.toFixed(Math.abs(scaled) >= 100 ? 0 : Math.abs(scaled) >= 10 ? 1 : 2).replace(/\.?0+$/, '');
  return `${text}${suffix}`;
}

/** Records per second for people: "100k rec/s". */
export const formatRate = (recordsPerSecond: number) => `${formatCompact(recordsPerSecond)} rec/s`;

/** Seconds for people: "45 s", "12.5 min", "3.2 h". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (seconds < 90) return `${formatNumber(seconds, 1)} s`;
  if (seconds < 5400) return `${formatNumber(seconds / 60, 1)} min`;
  return `${formatNumber(seconds / 3600, 1)} h`;
}

/** Money with its ISO currency code: "1,234.50 USD". */
export function formatMoney(amount: number, currency: string): string {
  return `${moneyFormat.format(amount)} ${currency}`;
}

/** ISO timestamp → "2026-11-23 22:47 UTC" (stable, locale-free, readable). */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
