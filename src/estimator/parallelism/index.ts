/**
 * Parallelism per node: enough subtasks to run each at the target utilization plus the
 * autoscaler's catch-up headroom, then Flink's constraints — sources never above their partition
 * count (and on a divisor of it), keyed operators on key groups that spread evenly, stateless
 * operators chained to their input when that is enough. A user's `parallelism` always wins.
 *
 * capacity.ts: what a subtask can do; constraints.ts: partitions and key groups; chaining.ts:
 * which nodes share a task; slot-balance.ts: one job parallelism across tasks.
 */
import type { DecidedBy } from '../../schemas/estimate.js';
import { busiestKeyShare } from '../keys.js';
import { at } from '../lists.js';
import { defaultMaxParallelism, UPPER_BOUND_MAX_PARALLELISM as UPPER_BOUND } from '../memory/index.js';
import { isKeyed } from '../normalize.js';
import { maxParallelismFor } from '../shapes.js';
import { busiestSubtaskShare } from './capacity.js';
import { formTasks } from './chaining.js';
import { applySqlParallelism, recommendedMaxParallelism, sqlSharedPartitions } from './constraints.js';
import { balanceSlots } from './slot-balance.js';
import type { EdgeKind, ParallelismInput, ParallelismPlan } from './types.js';

export { busiestSubtaskShare, busyAtPeak, targetCapacity, waitsOnIo } from './capacity.js';
export { recommendedMaxParallelism } from './constraints.js';
export type { EdgeKind, NodeParallelism, ParallelismInput, ParallelismPlan } from './types.js';
/** `Transformation.UPPER_BOUND_MAX_PARALLELISM` = 1 << 15. */
export { defaultMaxParallelism, UPPER_BOUND };

export function computeParallelism(input: ParallelismInput): ParallelismPlan {
  const { graph, model } = input;
  const explicitMax = input.maxParallelism;
  const { works, taskOf, edgesOf } = formTasks(input);
  const tasks = [...new Set(taskOf)];
  const shared =
    graph.api === 'sql' ? sqlSharedPartitions(graph.nodes, tasks, input.flinkVersion) : undefined;
  const balance = balanceSlots(graph, tasks, works, explicitMax, input.ladder, model, shared);
  if (graph.api === 'sql') applySqlParallelism(graph.nodes, tasks, input.flinkVersion, explicitMax);
  // The job's largest parallelism (a fixed task may exceed the balanced one).
  const largest = Math.max(balance.parallelism, ...taskOf.map((t) => t.p));
  // A new job is created with a max parallelism its parallelism divides (shapes.ts); the
  // user's (or a calibrated job's) is kept — it cannot change for the life of the state.
  const keyed = [...new Set(taskOf.filter((t) => isKeyed(at(graph.nodes, t.head))).map((t) => t.p))];
  const maxParallelism =
    explicitMax ?? maxParallelismFor(largest, model, keyed) ?? recommendedMaxParallelism(largest, model);

  // Final pass: parallelism settles per task; forward edges between tasks whose parallelism now
  // differs become rebalances.
  const nodes = graph.nodes.map((node, i) => {
    const t = at(taskOf, i);
    const w = at(works, i);
    const p = t.p;
    const producers = at(graph.producers, i);
    const edges = at(edgesOf, i).map((e, k) =>
      e === 'forward' && at(taskOf, at(producers, k)).p !== p ? ('rebalance' as EdgeKind) : e,
    );
    const keyed = isKeyed(node);
    const maxP = maxParallelism;
    const isHead = t.head === i;
    const decidedBy: DecidedBy =
      node.parallelismOverride !== undefined
        ? 'user'
        : isHead
          ? t.decidedBy
          : p > w.needed
            ? 'chaining'
            : w.reason;
    const why =
      node.parallelismOverride !== undefined
        ? `set by you (throughput alone needs ${w.needed})`
        : isHead
          ? t.why
          : p > w.needed
            ? `${w.needed} would do; chained to "${at(graph.nodes, t.head).id}", so it runs at the chain's ${p} (same thread, no network hop)`
            : '';
    const head = at(graph.nodes, t.head);
    return {
      parallelism: p,
      activeSubtasks:
        head.role === 'source' && head.partitions !== undefined ? Math.min(p, head.partitions) : p,
      decidedBy,
      needed: w.needed,
      capacityPerSubtask: w.capacity,
      targetRecordsPerSecond: w.target,
      cost: w.cost,
      maxParallelism: maxP,
      limitedByPartitions: isHead && t.limitedByPartitions,
      limitedByMaxParallelism: isHead && t.limitedByMaxParallelism,
      inputEdges: edges,
      skew: keyed ? busiestSubtaskShare(Math.min(p, maxP), maxP) : 1,
      hotKeyShare: busiestKeyShare(node, at(input.rates, i).inRecordsPerSecond) ?? 0,
      chainHead: at(graph.nodes, t.head).id,
      explanation: why,
    };
  });
  return {
    nodes,
    maxParallelism,
    maxDecidedBy: explicitMax !== undefined ? 'user' : 'recommended',
    ioBound: balance.ioBound,
  };
}
