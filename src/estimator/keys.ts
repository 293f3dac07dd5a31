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

/** The node has exactly one key: every record goes to the same subtask. */
export function isSingleKey(node: Node): boolean {
  return isKeyed(node) && node.role === 'operator' && node.distinctKeys === 1;
}

/**
 * Share of the node's records that its busiest key carries (1 for a single key), or undefined when
 * records spread evenly over the keys.
 */
export function busiestKeyShare(node: Node): number | undefined {
  if (!isKeyed(node) || node.role !== 'operator') return undefined;
  if (node.distinctKeys === 1) return 1;
  return node.hotKeyShare;
}

/** Share of the node's records on its busiest subtask at parallelism p: max(hot share, 1/p). */
export function busiestSubtaskRecordShare(node: Node, p: number): number {
  return Math.max(busiestKeyShare(node) ?? 0, 1 / p);
}
