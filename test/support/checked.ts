/**
 * Lookups a test expects to succeed: the value, or a failure that says what was missing (instead
 * of a non-null assertion that lets `undefined` run on into a confusing error or a vacuous check).
 */

/** `value` when it is there; otherwise the test fails, naming `what`. */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw new Error(`expected ${what}, found none`);
  return value;
}

/** `list[i]` when it exists; otherwise the test fails with the index and the list's length. */
export function at<T>(list: readonly T[], i: number): T {
  return present(list[i], `entry ${i} of a list of ${list.length}`);
}
