/**
 * How a keyed operator's records spread over its subtasks. Flink hashes each key to one key group
 * and each key group to one subtask (KeyGroupRangeAssignment), so all records of one key run on one
 * subtask whatever the parallelism (docs/model.md, "Single and hot keys"):
 *
 * - an operator with one key (`distinctKeys: 1` — a global aggregation or a top-N keyed only by the
 *   window) does all its work on one subtask: the plan runs it at parallelism 1;
 * - with `hotKeyShare` s, the busiest key carries s of the records, so the subtask that owns it
 *   carries max(s, 1/p) of them: parallelism cannot bring it below s × rate.
 */
import { isKeyed, type Node } from './normalize.js';
import { activeKeys } from './rates.js';

/** The node has exactly one key: every record goes to the same subtask. */
export function isSingleKey(node: Node): boolean {
  return isKeyed(node) && node.role === 'operator' && node.distinctKeys === 1;
}

/**
 * Share of the node's work that its busiest key carries (1 for a single key), or undefined when
 * records spread evenly over the keys. A two-phase SQL aggregation (docs/model.md, "SQL and
 * DataStream") receives one partial per key and batch from the local phase, so the hot key is one
 * of the batch's activeKeys(K, rate, latency) distinct keys: its share falls to 1 ÷ that many.
 */
export function busiestKeyShare(node: Node, rate: number): number | undefined {
  if (!isKeyed(node) || node.role !== 'operator') return undefined;
  const share = node.distinctKeys === 1 ? 1 : node.hotKeyShare;
  if (share === undefined || !node.twoPhase || node.miniBatchSeconds === undefined) return share;
  const keysPerBatch = activeKeys(
    node.distinctKeys ?? rate * node.miniBatchSeconds,
    rate,
    node.miniBatchSeconds,
  );
  return Math.min(share, 1 / Math.max(1, keysPerBatch));
}
