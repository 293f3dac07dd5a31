/** Which nodes run together in one task (Flink operator chaining), and each task's parallelism. */
import type { DecidedBy } from '../../schemas/estimate.js';
import { type CostPart, exchangeCost } from '../cpu.js';
import { isSingleKey } from '../keys.js';
import { at } from '../lists.js';
import { UPPER_BOUND_MAX_PARALLELISM as UPPER_BOUND } from '../memory/index.js';
import { isKeyed } from '../normalize.js';
import { type NodeWork, subtasksFor, work } from './capacity.js';
import { constrain, sqlSourceSetsParallelism } from './constraints.js';
import type { EdgeKind, ParallelismInput, Task } from './types.js';

/**
 * Operator chaining: each node either joins its single input's task (one thread per subtask,
 * no network hop) or starts a task of its own, whose parallelism follows its work, its inputs
 * and Flink's constraints. Returns each node's work, task and input edge kinds.
 */
export function formTasks(input: ParallelismInput): {
  works: NodeWork[];
  taskOf: Task[];
  edgesOf: EdgeKind[][];
} {
  const { graph, rates, costs, targets, model, flinkVersion } = input;
  const explicitMax = input.maxParallelism;
  const cap = explicitMax ?? UPPER_BOUND;
  const works: NodeWork[] = [];
  const taskOf: Task[] = [];
  const edgesOf: EdgeKind[][] = [];

  // A user's parallelism chains only onto a task the user fixed at the same value: a chain that
  // depended on the computed parallelism would break and re-form as the load moves, and with it
  // the cost of the network hop (more load must never need fewer cores).
  const chainable = (j: number, t: Task) => {
    const n = at(graph.nodes, j);
    return (
      !isKeyed(n) &&
      n.role !== 'source' &&
      at(graph.producers, j).length === 1 &&
      (n.parallelismOverride === undefined || (t.fixed && t.p === n.parallelismOverride))
    );
  };
  // Each node's own work, before any network hop it may get: known up front, so the subtree test
  // below can add up nodes the main pass has not reached yet.
  const ownWork = graph.nodes.map((node, i) => {
    const w = work(node, at(costs, i), at(rates, i).inRecordsPerSecond, targets, model);
    // A stateful operator also needs enough subtasks that no slot holds more state than the
    // model's per-slot limit (restore time, local disk): nodes.ts, spreadState.
    const forState = input.minParallelismForState?.[i] ?? 0;
    return forState > w.needed
      ? { ...w, needed: Math.min(forState, UPPER_BOUND), reason: 'state' as const }
      : w;
  });
  /** Whether a bounded task can hold its head's whole chainable subtree in one thread per subtask. */
  const subtreeFits = (t: Task, limit: number): boolean => {
    let demand = t.demand;
    let floor = t.floor;
    const stack = [...at(graph.consumers, t.head)];
    const seen = new Set<number>();
    for (let j = stack.pop(); j !== undefined; j = stack.pop()) {
      if (seen.has(j) || !chainable(j, t)) continue;
      seen.add(j);
      demand += at(ownWork, j).demand;
      floor = Math.max(floor, at(ownWork, j).floor);
      stack.push(...at(graph.consumers, j));
    }
    return Math.max(subtasksFor(demand, 1), floor) <= limit;
  };

  graph.nodes.forEach((node, i) => {
    const r = at(rates, i);
    const producers = at(graph.producers, i);
    const keyed = isKeyed(node);
    let w = at(ownWork, i);

    // Chain a single-input, non-keyed node (stateless operator, lookup join, sink) into its input's
    // task when the chain can still meet the target in one thread per subtask.
    const input = producers.length === 1 ? at(taskOf, at(producers, 0)) : undefined;
    if (input !== undefined && chainable(i, input)) {
      const t = input;
      const demand = t.demand + w.demand;
      const floor = Math.max(t.floor, w.floor);
      const required = Math.max(subtasksFor(demand, 1), floor);
      const headNode = at(graph.nodes, t.head);
      // A task that cannot grow (fixed by the user, one key's single subtask, or a source at its
      // partition count) takes its whole chainable subtree or none of it: chaining greedily would
      // fill it with the first consumers and push their fan-out onto the network — more hops for
      // less load.
      // A Flink SQL source that cannot set its own parallelism runs at the job's one parallelism,
      // and the planner adds no exchange between it and the stateless operators after it: they
      // chain (forward edge, same parallelism), so its chain is never split off onto a wider task —
      // only the subtasks that read a partition get records (activeSubtasks, parallelism/index.ts).
      const sqlChain =
        graph.api === 'sql' &&
        headNode.role === 'source' &&
        !t.fixed &&
        !sqlSourceSetsParallelism(headNode, flinkVersion);
      const limit =
        t.fixed || isSingleKey(headNode)
          ? t.p
          : headNode.role === 'source' && !sqlChain
            ? headNode.partitions
            : undefined;
      if (limit !== undefined && t.sealed === undefined) t.sealed = !subtreeFits(t, limit);
      if (limit === undefined || (!t.sealed && required <= limit)) {
        if (required > t.p) {
          const c = constrain(headNode, required, 'chaining', explicitMax);
          Object.assign(t, c, {
            decidedBy: 'chaining' as DecidedBy,
            why: `the chain ${t.members.map((m) => `"${at(graph.nodes, m).id}"`).join(' → ')} → "${node.id}" runs in one thread per subtask and needs ${required}${floor > subtasksFor(demand, 1) ? " (for its async lookup's requests in flight; its thread is mostly idle)" : ''}${c.p > required ? `, raised to ${c.p}: ${c.why}` : ''}`,
          });
        }
        t.members.push(i);
        t.demand = demand;
        t.floor = floor;
        works[i] = w;
        taskOf[i] = t;
        edgesOf[i] = ['forward'];
        return;
      }
    }

    // A new task. A non-keyed node that is not chained reads its inputs over the network stack —
    // records are serialized into buffers whether the edge is forward or rebalance — so it pays that
    // hop whatever the parallelisms turn out to be (keyed nodes' shuffle is in their own cost).
    if (!keyed && producers.length > 0) {
      const hop: CostPart = exchangeCost(r, model);
      w = work(
        node,
        { micros: w.cost.micros + hop.micros, parts: [...w.cost.parts, hop] },
        r.inRecordsPerSecond,
        targets,
        model,
      );
    }
    const upstream = producers.map((u) => at(taskOf, u).p);
    let p: number;
    let task: Task;
    if (node.parallelismOverride !== undefined) {
      p = node.parallelismOverride;
    } else if (
      !keyed &&
      upstream.length > 0 &&
      upstream.every((u) => u === upstream[0]) &&
      w.needed <= at(upstream, 0)
    ) {
      p = at(upstream, 0);
    } else {
      p = -1;
    }
    let edges: EdgeKind[] = producers.map(() => (keyed ? 'hash' : 'forward'));
    if (node.parallelismOverride !== undefined) {
      task = {
        head: i,
        members: [i],
        demand: w.demand,
        floor: w.floor,
        p: Math.min(node.parallelismOverride, cap),
        decidedBy: 'user',
        fixed: true,
        why: `set by you (throughput alone needs ${w.needed})`,
        limitedByPartitions: false,
        limitedByMaxParallelism: node.parallelismOverride > cap,
      };
    } else if (p !== -1) {
      task = {
        head: i,
        members: [i],
        demand: w.demand,
        floor: w.floor,
        p,
        decidedBy: w.needed === p ? w.reason : 'chaining',
        fixed: false,
        why:
          w.needed === p
            ? ''
            : `${w.needed} would do; kept at its inputs' ${p} (forward edges, no rebalance)`,
        limitedByPartitions: false,
        limitedByMaxParallelism: false,
      };
    } else {
      const c = constrain(node, w.needed, w.reason, explicitMax);
      task = { head: i, members: [i], demand: w.demand, floor: w.floor, fixed: false, ...c };
    }
    if (task.p > cap) {
      task.p = cap;
      task.limitedByMaxParallelism = true;
    }
    if (w.target / Math.max(w.capacity, Number.MIN_VALUE) > UPPER_BOUND) task.limitedByMaxParallelism = true;
    if (!keyed) edges = upstream.map((u) => (u === task.p ? 'forward' : 'rebalance'));
    works[i] = w;
    taskOf[i] = task;
    edgesOf[i] = edges;
  });

  return { works, taskOf, edgesOf };
}
