/**
 * Forgiving input for the page forms (the API keeps its exact formats): amounts as people write
 * them — "50k", "1.2M", "100,000", "1e5" — fractions as "70%", durations ("90s", "2 min", "1h"),
 * and memory sizes in the units Kubernetes and Flink users mix ("8Gi", "8g", "8 GB", "1.5g"),
 * rewritten in Flink's own syntax.
 */

const SCALE: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, b: 1e9 };

/** "50k" → 50000, "1.2M" → 1200000, "100,000" → 100000; undefined when it is not a number. */
export function parseAmount(text: string): number | undefined {
  const cleaned = text.replace(/[,_\s]/g, '');
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)([kKmMgGbB]?)$/.exec(cleaned);
  if (!match) return undefined;
  const value = Number(match[1]) * (SCALE[(match[2] ?? '').toLowerCase()] ?? 1);
  // 1.2M is 1199999.9999999998 in binary floating point; a person meant 1200000.
  const rounded = Number(value.toPrecision(12));
  return Number.isFinite(rounded) ? rounded : undefined;
}

/** "70%" → 0.7, "0.7" → 0.7; undefined when it is neither. */
export function parseFraction(text: string): number | undefined {
  const percent = /^\s*([\d.]+)\s*%\s*$/.exec(text);
  if (percent) {
    const n = Number(percent[1]);
    return Number.isFinite(n) ? Number((n / 100).toPrecision(12)) : undefined;
  }
  return parseAmount(text);
}

/**
 * Duration units, in ms: those of Flink's durations (flink-core TimeUtils.parseDuration: ms/milli,
 * s/sec/second, min/minute, h/hour, d/day, and plurals), plus "m" and "mins" for minutes as people
 * write them.
 */
const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  milli: 1,
  millis: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
};

export type DurationUnit = 'ms' | 's' | 'min';
const FIELD_UNIT_MS: Record<DurationUnit, number> = { ms: 1, s: 1000, min: 60_000 };

/** What a duration looks like in a field of each unit, for the messages beside the fields. */
export const DURATION_EXAMPLES: Record<DurationUnit, string> = {
  s: '60, 90s, 2m or 1h',
  min: '30, 90s or 1h',
  ms: '5, 5ms or 0.2s',
};

/**
 * A duration typed into a field measured in `unit`: a bare number is in that unit ("60" in a
 * seconds field), one with a unit is converted ("2m" → 120 s, "1h" → 60 min, "2s" → 2000 ms).
 * In a duration field "m" is minutes, never millions (parseAmount reads "2m" as 2,000,000).
 * Undefined when it is not a duration.
 */
export function parseDuration(text: string, unit: DurationUnit): number | undefined {
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+))\s*([a-z]*)$/i.exec(text.replace(/[,_]/g, '').trim());
  if (!match) return undefined;
  const suffix = (match[2] ?? '').toLowerCase();
  const perUnit = suffix === '' ? FIELD_UNIT_MS[unit] : DURATION_UNITS[suffix];
  if (perUnit === undefined) return undefined;
  const value = (Number(match[1]) * perUnit) / FIELD_UNIT_MS[unit];
  const rounded = Number(value.toPrecision(12));
  return Number.isFinite(rounded) ? rounded : undefined;
}

const MEMORY_UNITS = ['', 'k', 'm', 'g', 't'] as const;

/**
 * A memory size in Flink's syntax (an integer and a binary unit: MemorySize.parse), from "8Gi",
 * "8GiB", "8 GB", "8g", "4096m" or "1.5g" (→ "1536m"). Flink reads every unit as binary, as
 * Kubernetes' Gi is. Undefined when it is not a size at all.
 */
export function parseMemory(text: string): string | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(text);
  if (!match) return undefined;
  let value = Number(match[1]);
  let unit = MEMORY_UNITS.indexOf((match[2] ?? '').toLowerCase() as (typeof MEMORY_UNITS)[number]);
  // Flink's MemorySize takes integers only: 1.5g is written 1536m.
  while (!Number.isInteger(value) && unit > 0) {
    value *= 1024;
    unit--;
  }
  if (!Number.isInteger(value)) value = Math.round(value);
  return `${value}${MEMORY_UNITS[unit] ?? ''}`;
}
