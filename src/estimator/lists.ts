/** Indexed access to the engine's per-node and per-slot lists. */

/**
 * `values[i]` of a list built with one entry per node (or per slot): absent only through a bug
 * in the engine, so it fails loudly rather than computing with `undefined`.
 */
export function at<T>(values: readonly T[], i: number): T {
  const value = values[i];
  if (value === undefined) throw new Error(`No entry ${i} of ${values.length} (an engine bug)`);
  return value;
}

/**
 * A field that validation and normalize always give a node of this kind (a window operator's
 * window, an interval join's bound, a top-n's n): absent only through a bug in the engine.
 */
export function given<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is missing (the spec was not validated)`);
  return value;
}

/** A record of byte amounts (bigints) as the Estimate's JSON numbers, keys in their order. */
export function toNumbers<T extends object>(record: T): { [K in keyof T]: number } {
  const out: Record<string, number> = {};
  for (const key in record) out[key] = Number(record[key]);
  return out as { [K in keyof T]: number };
}
