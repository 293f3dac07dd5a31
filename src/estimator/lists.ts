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
