/**
 * Max parallelism and key groups, re-derived from release-1.20
 * `flink-runtime/src/main/java/org/apache/flink/runtime/state/KeyGroupRangeAssignment.java`
 * (`computeDefaultMaxParallelism`, `computeKeyGroupRangeForOperatorIndex`,
 * `computeOperatorIndexForKeyGroup`, `checkParallelismPreconditions`).
 */

/** `KeyGroupRangeAssignment.DEFAULT_LOWER_BOUND_MAX_PARALLELISM` (1 << 7). */
export const DEFAULT_LOWER_BOUND_MAX_PARALLELISM = 128;
/** `Transformation.UPPER_BOUND_MAX_PARALLELISM` (1 << 15). */
export const UPPER_BOUND_MAX_PARALLELISM = 32768;

function checkParallelism(parallelism: number): void {
  if (!Number.isInteger(parallelism) || parallelism <= 0 || parallelism > UPPER_BOUND_MAX_PARALLELISM) {
    throw new RangeError(`Operator parallelism not within bounds: ${parallelism}`);
  }
}

/** `MathUtils.roundUpToPowerOfTwo` for positive ints: the smallest power of two ≥ x. */
function roundUpToPowerOfTwo(x: number): number {
  let power = 1;
  while (power < x) power *= 2;
  return power;
}

/**
 * The max parallelism Flink picks when none is configured:
 * min(max(roundUpToPowerOfTwo(p + ⌊p/2⌋), 128), 32768). 1 → 128, 86 → 256, 172 → 512,
 * 1000 → 2048, 21846 → 32768.
 *
 * @throws RangeError unless 0 < p ≤ 32768 ("Operator parallelism not within bounds: p")
 */
export function defaultMaxParallelism(parallelism: number): number {
  checkParallelism(parallelism);
  const target = parallelism + Math.floor(parallelism / 2);
  return Math.min(
    Math.max(roundUpToPowerOfTwo(target), DEFAULT_LOWER_BOUND_MAX_PARALLELISM),
    UPPER_BOUND_MAX_PARALLELISM,
  );
}

export interface KeyGroupRange {
  /** First key group (inclusive). */
  start: number;
  /** Last key group (inclusive). */
  end: number;
  /** Number of key groups. */
  size: number;
}

/**
 * The key groups subtask `operatorIndex` owns: [⌈i·maxP/p⌉, ⌊((i+1)·maxP − 1)/p⌋].
 * maxP 128 with p 3 gives [0,42], [43,85], [86,127].
 *
 * @throws RangeError on out-of-bounds parallelism or maxParallelism < parallelism
 */
export function keyGroupRange(
  operatorIndex: number,
  parallelism: number,
  maxParallelism: number,
): KeyGroupRange {
  checkParallelism(parallelism);
  checkParallelism(maxParallelism);
  if (maxParallelism < parallelism) {
    throw new RangeError('Maximum parallelism must not be smaller than parallelism.');
  }
  if (!Number.isInteger(operatorIndex) || operatorIndex < 0 || operatorIndex >= parallelism) {
    throw new RangeError(`Operator index ${operatorIndex} is not in [0, ${parallelism})`);
  }
  const start = Math.floor((operatorIndex * maxParallelism + parallelism - 1) / parallelism);
  const end = Math.floor(((operatorIndex + 1) * maxParallelism - 1) / parallelism);
  return { start, end, size: end - start + 1 };
}

/** The subtask a key group goes to: ⌊keyGroup × p / maxP⌋. */
export function operatorIndexForKeyGroup(
  keyGroup: number,
  parallelism: number,
  maxParallelism: number,
): number {
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}

/**
 * Key-group skew: when maxP is not a multiple of p, some subtasks own ⌈maxP/p⌉ key groups and
 * others ⌊maxP/p⌋. Returns both counts and the largest/smallest ratio (1 when even).
 */
export function keyGroupSkew(
  parallelism: number,
  maxParallelism: number,
): { largest: number; smallest: number; ratio: number } {
  keyGroupRange(0, parallelism, maxParallelism);
  const largest = Math.ceil(maxParallelism / parallelism);
  const smallest = Math.floor(maxParallelism / parallelism);
  return { largest, smallest, ratio: largest / smallest };
}
