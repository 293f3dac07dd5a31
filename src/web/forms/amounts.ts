/**
 * Forgiving input for the page forms (the API keeps its exact formats): amounts as people write
 * them — "50k", "1.2M", "100,000", "1e5" — fractions as "70%", and memory sizes in the units
 * Kubernetes and Flink users mix ("8Gi", "8g", "8 GB", "1.5g"), rewritten in Flink's own syntax.
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
