/**
 * Parallelism per node: enough subtasks to run each at the target utilization plus the
 * autoscaler's catch-up headroom, then Flink's constraints — sources never above their partition
 * count (and on a divisor of it), keyed operators on key groups that spread evenly, stateless
 * operators chained to their input when that is enough. A user's `parallelism` always wins.
 */

import type { Targets } from '../jobspec/index.js';
import type { DecidedBy } from '../schemas/estimate.js';
import { type CostPart, exchangeCost, type NodeCost } from './cpu.js';
import { defaultMaxParallelism, UPPER_BOUND_MAX_PARALLELISM } from './memory/index.js';
import type { Model } from './model.js';
import { type Graph, isKeyed, type Node } from './normalize.js';
import type { NodeRates } from './rates.js';

export { defaultMaxParallelism };

/** `Transformation.UPPER_BOUND_MAX_PARALLELISM` = 1 << 15. */
export const UPPER_BOUND = UPPER_BOUND_MAX_PARALLELISM;

/**
 * The busiest subtask's load relative to the mean when `keyGroups` key groups are spread over p
 * subtasks: ⌈K/p⌉ ÷ (K/p) — some subtasks own ⌈K/p⌉ key groups, others ⌊K/p⌋
 * (KeyGroupRangeAssignment, reference §6.2). 1 when p divides K.
 */
export function busiestSubtaskShare(p: number, keyGroups: number): number {
  return Math.ceil(keyGroups / p) / (keyGroups / p);
}

/**
 * Target processing capacity, records/s — the Flink Kubernetes Operator autoscaler's formula
 * (AutoScalerUtils.getTargetProcessingCapacity):
 * round(backlog catch-up rate + rate × restart / catchUp + rate / utilization); the restart term
 * only when catchUp ≠ 0. A plan has no backlog; a calibration passes the measured one.
 */
export function targetCapacity(rate: number, targets: Targets, catchUpRate = 0): number {
  const catchUpSeconds = targets.catchUpMinutes * 60;
  const restartTerm = catchUpSeconds > 0 ? (rate * targets.restartSeconds) / catchUpSeconds : 0;
  return Math.round(catchUpRate + restartTerm + rate / targets.utilization);
}

export interface NodeParallelism {
  parallelism: number;
  decidedBy: DecidedBy;
  /** What throughput alone would need (the choice before partitions, key groups or overrides). */
  needed: number;
  /** Records/s one subtask handles at 100% busy. */
  capacityPerSubtask: number;
  /** The autoscaler target capacity for this node. */
  targetRecordsPerSecond: number;
  /** Final cost per record, including a rebalance when the node does not chain to its input. */
  cost: NodeCost;
  /** Max parallelism (key groups) that applies to this node. */
  maxParallelism: number;
  /** A source that cannot reach its target because it has too few partitions. */
  limitedByPartitions: boolean;
  /** Explicit max parallelism below what throughput needs. */
  limitedByMaxParallelism: boolean;
  /** Edge kind on each input, in the order of `inputs`. */
  inputEdges: EdgeKind[];
  /** Busiest subtask's load over the mean, from uneven key groups (1 when even or not keyed). */
  skew: number;
  /** Id of the first node of the chain (task) this node runs in. */
  chainHead: string;
  explanation: string;
}

export type EdgeKind = 'forward' | 'rebalance' | 'hash';

/** Records/s one subtask sustains at 100% busy: its CPU, or for a lookup join the external wait. */
function subtaskCapacity(node: Node, micros: number, model: Model): number {
  const cpuSeconds = micros / 1e6;
  if (node.role === 'operator' && node.kind === 'lookup-join') {
    const missRatio = 1 - (node.cacheHitRatio ?? 0);
    const latencySeconds = (node.lookupLatencyMs ?? model.lookup.defaultLatencyMs) / 1000;
    if (node.async) {
      // Async I/O keeps `capacity` requests in flight (Little's law): throughput = capacity / latency.
      const inFlight = node.asyncCapacity ?? model.lookup.defaultAsyncCapacity;
      const byLatency =
        missRatio * latencySeconds > 0 ? inFlight / (missRatio * latencySeconds) : Number.POSITIVE_INFINITY;
      const byCpu = cpuSeconds > 0 ? 1 / cpuSeconds : Number.POSITIVE_INFINITY;
      return Math.min(byLatency, byCpu);
    }
    // A synchronous lookup blocks the task thread for the whole round trip.
    const perRecord = cpuSeconds + missRatio * latencySeconds;
    return perRecord > 0 ? 1 / perRecord : Number.POSITIVE_INFINITY;
  }
  return cpuSeconds > 0 ? 1 / cpuSeconds : Number.POSITIVE_INFINITY;
}

/** Subtasks to reach `target` records/s at `capacity` each, within Flink's upper bound. */
function subtasksFor(target: number, capacity: number): number {
  if (target <= 0 || !Number.isFinite(target)) return 1;
  if (!Number.isFinite(capacity)) return 1;
  if (capacity <= 0) return UPPER_BOUND;
  return Math.min(UPPER_BOUND, Math.max(1, Math.ceil(target / capacity - 1e-9)));
}

/** First p in [from, upTo] dividing n (the autoscaler's EVENLY_SPREAD scan), if any. */
function firstDivisorFrom(n: number, from: number, upTo: number): number | undefined {
  for (let p = Math.max(1, from); p <= upTo; p++) if (n % p === 0) return p;
  return undefined;
}

/** Highly composite max parallelism to recommend: the first with room for 4× the largest p. */
export function recommendedMaxParallelism(largest: number, model: Model): number {
  const wanted = Math.max(128, largest * 4);
  const candidates = model.parallelism.recommendedMaxParallelisms;
  return candidates.find((m) => m >= wanted) ?? Math.min(UPPER_BOUND, candidates[candidates.length - 1]!);
}

export interface ParallelismInput {
  graph: Graph;
  rates: NodeRates[];
  costs: NodeCost[];
  targets: Targets;
  /** `cluster.maxParallelism` when the user set it. */
  maxParallelism: number | undefined;
  model: Model;
}

/** A task: a chain of operators that run in one thread per subtask (Flink operator chaining). */
interface Task {
  head: number;
  members: number[];
  /** Threads the chain keeps busy at the target: Σ targetCapacity ÷ capacityPerSubtask. */
  demand: number;
  p: number;
  decidedBy: DecidedBy;
  /** The user fixed the head's parallelism. */
  fixed: boolean;
  /** A task that cannot grow and whose chainable subtree does not fit it: nothing chains into it. */
  sealed?: boolean;
  why: string;
  limitedByPartitions: boolean;
  limitedByMaxParallelism: boolean;
}

interface NodeWork {
  cost: NodeCost;
  capacity: number;
  target: number;
  /** Subtask-threads the node alone keeps busy at its target capacity. */
  demand: number;
  needed: number;
  reason: DecidedBy;
}

function work(node: Node, cost: NodeCost, rate: number, targets: Targets, model: Model): NodeWork {
  const target = targetCapacity(rate, targets);
  const capacity = subtaskCapacity(node, cost.micros, model);
  const demand = Number.isFinite(capacity) && capacity > 0 ? target / capacity : 0;
  const needed = subtasksFor(target, capacity);
  const byUtilization = subtasksFor(Math.round(rate / targets.utilization), capacity);
  return {
    cost,
    capacity,
    target,
    demand,
    needed,
    reason: needed > byUtilization ? 'catch-up' : 'throughput',
  };
}

/**
 * Parallelism for a task head that needs `needed` subtasks, under Flink's constraints: a source
 * stays within its partitions (on a divisor of them), a keyed operator on key groups that spread
 * evenly (a divisor of an explicit max parallelism, or enough subtasks that the busiest one —
 * with ⌈K/p⌉ key groups — meets the target under Flink's default max parallelism).
 */
function constrain(
  node: Node,
  needed: number,
  demand: number,
  reason: DecidedBy,
  explicitMax: number | undefined,
): Pick<Task, 'p' | 'decidedBy' | 'why' | 'limitedByPartitions' | 'limitedByMaxParallelism'> {
  const base = {
    p: needed,
    decidedBy: reason,
    why: '',
    limitedByPartitions: false,
    limitedByMaxParallelism: false,
  };
  if (node.role === 'source' && node.partitions !== undefined) {
    const n = node.partitions;
    if (needed > n) {
      return {
        ...base,
        p: n,
        decidedBy: 'partitions',
        limitedByPartitions: true,
        why: `needs ${needed} subtasks but the source has ${n} partitions; capped there (a subtask without a partition idles)`,
      };
    }
    const p = firstDivisorFrom(n, needed, n)!;
    return p > needed
      ? {
          ...base,
          p,
          decidedBy: 'partitions',
          why: `${needed} would do; raised to ${p}, the first divisor of ${n} partitions, so every subtask reads ${n / p}`,
        }
      : base;
  }
  if (isKeyed(node)) {
    if (explicitMax !== undefined) {
      const divisor = firstDivisorFrom(explicitMax, needed, explicitMax);
      if (divisor === undefined) {
        return {
          ...base,
          p: explicitMax,
          decidedBy: 'key-groups',
          limitedByMaxParallelism: true,
          why: `needs ${needed} subtasks but max parallelism is ${explicitMax}`,
        };
      }
      return divisor > needed
        ? {
            ...base,
            p: divisor,
            decidedBy: 'key-groups',
            why: `${needed} would do; raised to ${divisor}, the first divisor of max parallelism ${explicitMax}, so every subtask owns ${explicitMax / divisor} key groups`,
          }
        : base;
    }
    // Flink's default max parallelism follows the operator's own parallelism; raise p until the
    // busiest subtask (⌈K/p⌉ key groups) stays within the target.
    let q = needed;
    while (q < UPPER_BOUND && q / busiestSubtaskShare(q, defaultMaxParallelism(q)) < demand - 1e-9) q++;
    if (q > needed) {
      const k = defaultMaxParallelism(q);
      return {
        ...base,
        p: q,
        decidedBy: 'key-groups',
        why: `${needed} would do on even key groups; ${q} because ${k} key groups split unevenly (busiest subtask ×${busiestSubtaskShare(q, k).toFixed(2)})`,
      };
    }
  }
  return base;
}

/** Divisors of n in ascending order. */
function divisors(n: number): number[] {
  const small: number[] = [];
  const large: number[] = [];
  for (let d = 1; d * d <= n; d++) {
    if (n % d === 0) {
      small.push(d);
      if (d * d !== n) large.push(n / d);
    }
  }
  return [...small, ...large.reverse()];
}

/** Largest value of the ascending list in [from, upTo], if any (binary search). */
function largestIn(sorted: readonly number[], from: number, upTo: number): number | undefined {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= upTo) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 && sorted[found]! >= from ? sorted[found] : undefined;
}

/** Cores one task needs at the target (CPU only; a synchronous lookup's wait needs no core). */
function taskCores(t: Task, works: NodeWork[]): number {
  return t.members.reduce((a, m) => a + (works[m]!.target * works[m]!.cost.micros) / 1e6, 0);
}

/**
 * With default slot sharing, slot j runs subtask j of every task, so tasks at lower parallelism
 * crowd the first slots. Every task the user did not fix is raised towards one job parallelism P
 * — what Flink SQL does with parallelism.default — with P the smallest value (≥ the largest
 * parallelism any task needs) at which the busiest slot needs at most `targetCoresPerSlot` cores
 * (Flink's configuration docs: slots proportional to cores). Sources stay on a divisor of their
 * partitions; keyed tasks on a divisor of an explicit max parallelism.
 */
function balanceSlots(
  graph: Graph,
  tasks: Task[],
  works: NodeWork[],
  explicitMax: number | undefined,
  model: Model,
): void {
  const cap = explicitMax ?? UPPER_BOUND;
  const target = model.taskManager.targetCoresPerSlot;
  const divisorCache = new Map<number, number[]>();
  const divisorsOf = (n: number) => {
    let d = divisorCache.get(n);
    if (!d) {
      d = divisors(n);
      divisorCache.set(n, d);
    }
    return d;
  };
  const plan = tasks.map((t) => {
    const head = graph.nodes[t.head]!;
    const kind: 'fixed' | 'partitions' | 'keyed-explicit' | 'keyed-default' | 'free' = t.fixed
      ? 'fixed'
      : head.role === 'source' && head.partitions !== undefined
        ? 'partitions'
        : isKeyed(head)
          ? explicitMax !== undefined
            ? 'keyed-explicit'
            : 'keyed-default'
          : 'free';
    const allowed =
      kind === 'partitions' && head.role === 'source'
        ? divisorsOf(head.partitions!)
        : kind === 'keyed-explicit'
          ? divisorsOf(explicitMax!)
          : [];
    return { t, own: t.p, kind, allowed, cores: taskCores(t, works) };
  });
  const assign = (x: (typeof plan)[number], P: number): number => {
    if (x.kind === 'fixed' || x.own >= P) return x.own;
    switch (x.kind) {
      case 'partitions':
      case 'keyed-explicit':
        return largestIn(x.allowed, x.own, P) ?? x.own;
      case 'keyed-default':
        // Under Flink's default max parallelism, keep P only if its busiest subtask still copes.
        return P / busiestSubtaskShare(P, defaultMaxParallelism(P)) >= x.t.demand - 1e-9 ? P : x.own;
      default:
        return P;
    }
  };
  const busiestSlot = (P: number) => plan.reduce((a, x) => a + x.cores / assign(x, P), 0);
  const P0 = Math.max(...plan.map((x) => x.own));
  const totalCores = plan.reduce((a, x) => a + x.cores, 0);
  // P up to twice what the cores alone would ask — or further, up to a source's partition count,
  // when only a constrained task's next step (a larger divisor of its partitions) lets the
  // busiest slot fit: that is far cheaper than sizing every TaskManager for an overloaded slot.
  const byCores = Math.min(cap, Math.max(P0, Math.ceil((totalCores / target) * 2)));
  const stepUp = Math.min(cap, Math.max(byCores, ...plan.map((x) => x.allowed[x.allowed.length - 1] ?? 0)));
  const limit =
    busiestSlot(byCores) > target + 1e-9 && busiestSlot(stepUp) <= target + 1e-9 ? stepUp : byCores;
  // Candidate job parallelisms; with an explicit max parallelism only its divisors keep key
  // groups even. The busiest slot's load falls as P grows: binary search the smallest that fits.
  const candidates =
    explicitMax !== undefined ? divisorsOf(explicitMax).filter((d) => d >= P0 && d <= limit) : [];
  const at = (k: number) => (explicitMax !== undefined ? candidates[k]! : P0 + k);
  const count = explicitMax !== undefined ? candidates.length : limit - P0 + 1;
  let lo = 0;
  let hi = count - 1;
  let best = count > 0 ? at(count - 1) : P0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (busiestSlot(at(mid)) <= target + 1e-9) {
      best = at(mid);
      hi = mid - 1;
    } else lo = mid + 1;
  }
  for (const x of plan) {
    const p = assign(x, best);
    if (p > x.t.p) {
      x.t.why = `${x.t.why ? `${x.t.why}; ` : ''}raised from ${x.t.p} to the job parallelism ${p} so that every slot carries about the same load (slot j runs subtask j of every task)`;
      x.t.p = p;
      x.t.decidedBy = 'slot-sharing';
    }
  }
}

export function computeParallelism(input: ParallelismInput): NodeParallelism[] {
  const { graph, rates, costs, targets, model } = input;
  const explicitMax = input.maxParallelism;
  const cap = explicitMax ?? UPPER_BOUND;
  const works: NodeWork[] = [];
  const taskOf: Task[] = [];
  const edgesOf: EdgeKind[][] = [];

  // A user's parallelism chains only onto a task the user fixed at the same value: a chain that
  // depended on the computed parallelism would break and re-form as the load moves, and with it
  // the cost of the network hop (more load must never need fewer cores).
  const chainable = (j: number, t: Task) => {
    const n = graph.nodes[j]!;
    return (
      !isKeyed(n) &&
      n.role !== 'source' &&
      graph.producers[j]!.length === 1 &&
      (n.parallelismOverride === undefined || (t.fixed && t.p === n.parallelismOverride))
    );
  };
  // Each node's own work, before any network hop it may get: known up front, so the subtree test
  // below can add up nodes the main pass has not reached yet.
  const ownWork = graph.nodes.map((node, i) =>
    work(node, costs[i]!, rates[i]!.inRecordsPerSecond, targets, model),
  );
  /** Whether a bounded task can hold its head's whole chainable subtree in one thread per subtask. */
  const subtreeFits = (t: Task, limit: number): boolean => {
    let demand = t.demand;
    const stack = [...graph.consumers[t.head]!];
    const seen = new Set<number>();
    while (stack.length > 0) {
      const j = stack.pop()!;
      if (seen.has(j) || !chainable(j, t)) continue;
      seen.add(j);
      demand += ownWork[j]!.demand;
      stack.push(...graph.consumers[j]!);
    }
    return subtasksFor(demand, 1) <= limit;
  };

  graph.nodes.forEach((node, i) => {
    const r = rates[i]!;
    const producers = graph.producers[i]!;
    const keyed = isKeyed(node);
    let w = ownWork[i]!;

    // Chain a single-input, non-keyed node (stateless operator, lookup join, sink) into its input's
    // task when the chain can still meet the target in one thread per subtask.
    const input = producers.length === 1 ? taskOf[producers[0]!]! : undefined;
    if (input !== undefined && chainable(i, input)) {
      const t = input;
      const demand = t.demand + w.demand;
      const required = subtasksFor(demand, 1);
      const headNode = graph.nodes[t.head]!;
      // A task that cannot grow (fixed by the user, or a source at its partition count) takes its
      // whole chainable subtree or none of it: chaining greedily would fill it with the first
      // consumers and push their fan-out onto the network — more hops for less load.
      const limit = t.fixed ? t.p : headNode.role === 'source' ? headNode.partitions : undefined;
      if (limit !== undefined && t.sealed === undefined) t.sealed = !subtreeFits(t, limit);
      if (limit === undefined || (!t.sealed && required <= limit)) {
        if (required > t.p) {
          const c = constrain(headNode, required, demand, 'chaining', explicitMax);
          Object.assign(t, c, {
            decidedBy: 'chaining' as DecidedBy,
            why: `the chain ${t.members.map((m) => `"${graph.nodes[m]!.id}"`).join(' → ')} → "${node.id}" runs in one thread per subtask and needs ${required}${c.p > required ? `, raised to ${c.p}: ${c.why}` : ''}`,
          });
        }
        t.members.push(i);
        t.demand = demand;
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
    const upstream = producers.map((u) => taskOf[u]!.p);
    let p: number;
    let task: Task;
    if (node.parallelismOverride !== undefined) {
      p = node.parallelismOverride;
    } else if (
      !keyed &&
      upstream.length > 0 &&
      upstream.every((u) => u === upstream[0]) &&
      w.needed <= upstream[0]!
    ) {
      p = upstream[0]!;
    } else {
      p = -1;
    }
    let edges: EdgeKind[] = producers.map(() => (keyed ? 'hash' : 'forward'));
    if (node.parallelismOverride !== undefined) {
      task = {
        head: i,
        members: [i],
        demand: w.demand,
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
      const c = constrain(node, w.needed, w.demand, w.reason, explicitMax);
      task = { head: i, members: [i], demand: w.demand, fixed: false, ...c };
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

  balanceSlots(graph, [...new Set(taskOf)], works, explicitMax, model);

  // Final pass: parallelism settles per task; forward edges between tasks whose parallelism now
  // differs become rebalances.
  return graph.nodes.map((node, i) => {
    const t = taskOf[i]!;
    const w = works[i]!;
    const p = t.p;
    const producers = graph.producers[i]!;
    const edges = edgesOf[i]!.map((e, k) =>
      e === 'forward' && taskOf[producers[k]!]!.p !== p ? ('rebalance' as EdgeKind) : e,
    );
    const keyed = isKeyed(node);
    const maxP = explicitMax ?? defaultMaxParallelism(p);
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
            ? `${w.needed} would do; chained to "${graph.nodes[t.head]!.id}", so it runs at the chain's ${p} (same thread, no network hop)`
            : '';
    return {
      parallelism: p,
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
      chainHead: graph.nodes[t.head]!.id,
      explanation: why,
    };
  });
}

/** Busy fraction of one subtask at the peak rate (1 = fully busy). */
export function busyAtPeak(rate: number, np: NodeParallelism): number {
  if (!Number.isFinite(np.capacityPerSubtask) || np.capacityPerSubtask <= 0) return 0;
  return (rate * np.skew) / (np.parallelism * np.capacityPerSubtask);
}
