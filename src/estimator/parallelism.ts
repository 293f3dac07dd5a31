/**
 * Parallelism per node: enough subtasks to run each at the target utilization plus the
 * autoscaler's catch-up headroom, then Flink's constraints — sources never above their partition
 * count (and on a divisor of it), keyed operators on key groups that spread evenly, stateless
 * operators chained to their input when that is enough. A user's `parallelism` always wins.
 */
import type { DecidedBy } from '../schemas/estimate.js';
import type { Targets } from '../schemas/jobspec.js';
import { type CostPart, type NodeCost, rebalanceCost } from './cpu.js';
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
 * (AutoScalerUtils.getTargetProcessingCapacity, reference §8.2 step 2) without backlog:
 * round(rate × restart / catchUp + rate / utilization); the restart term only when catchUp ≠ 0.
 */
export function targetCapacity(rate: number, targets: Targets): number {
  const catchUpSeconds = targets.catchUpMinutes * 60;
  const restartTerm = catchUpSeconds > 0 ? (rate * targets.restartSeconds) / catchUpSeconds : 0;
  return Math.round(restartTerm + rate / targets.utilization);
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

export function computeParallelism(input: ParallelismInput): NodeParallelism[] {
  const { graph, rates, costs, targets, model } = input;
  const explicitMax = input.maxParallelism;
  const result: NodeParallelism[] = [];
  graph.nodes.forEach((node, i) => {
    const r = rates[i]!;
    const rate = r.inRecordsPerSecond;
    const target = targetCapacity(rate, targets);
    const utilizationOnly = Math.round(rate / targets.utilization);
    const producers = graph.producers[i]!;
    const upstream = producers.map((u) => result[u]!.parallelism);
    const keyed = isKeyed(node);
    let cost = costs[i]!;
    let capacity = subtaskCapacity(node, cost.micros, model);
    let needed = subtasksFor(target, capacity);
    const throughputReason: DecidedBy =
      needed > subtasksFor(utilizationOnly, capacity) ? 'catch-up' : 'throughput';
    let p = needed;
    let decidedBy: DecidedBy = throughputReason;
    let limitedByPartitions = false;
    let limitedByMaxParallelism = false;
    let edges: EdgeKind[] = producers.map(() => (keyed ? 'hash' : 'forward'));
    let why = '';
    const cap = explicitMax ?? UPPER_BOUND;

    if (node.role === 'source') {
      if (node.partitions !== undefined) {
        if (needed > node.partitions) {
          p = node.partitions;
          decidedBy = 'partitions';
          limitedByPartitions = true;
          why = `needs ${needed} subtasks but the source has ${node.partitions} partitions; capped there (a subtask without a partition idles)`;
        } else {
          p = firstDivisorFrom(node.partitions, needed, node.partitions)!;
          if (p > needed) {
            decidedBy = 'partitions';
            why = `${needed} subtasks would do; raised to ${p}, the first divisor of ${node.partitions} partitions, so each subtask reads ${node.partitions / p}`;
          }
        }
      }
    } else if (keyed) {
      if (explicitMax !== undefined) {
        const divisor = firstDivisorFrom(explicitMax, needed, explicitMax);
        if (divisor === undefined) {
          p = explicitMax;
          limitedByMaxParallelism = true;
          decidedBy = 'key-groups';
          why = `needs ${needed} subtasks but max parallelism is ${explicitMax}`;
        } else if (divisor > needed) {
          p = divisor;
          decidedBy = 'key-groups';
          why = `${needed} subtasks would do; raised to ${p}, the first divisor of max parallelism ${explicitMax}, so every subtask gets ${explicitMax / p} key groups`;
        }
      } else {
        // Flink's default max parallelism follows the operator's own parallelism; raise p until
        // the busiest subtask (the one with ⌈K/p⌉ key groups) stays within the target.
        let q = needed;
        while (q < UPPER_BOUND && (q * capacity) / busiestSubtaskShare(q, defaultMaxParallelism(q)) < target)
          q++;
        if (q > needed) {
          p = q;
          decidedBy = 'key-groups';
          why = `${needed} subtasks would do on even key groups; ${q} are needed because ${defaultMaxParallelism(q)} key groups split unevenly (busiest subtask ×${busiestSubtaskShare(q, defaultMaxParallelism(q)).toFixed(2)})`;
        }
      }
    } else if (producers.length > 0) {
      // Stateless operators and sinks: chain to the input when that parallelism is enough (no
      // network hop); otherwise records are rebalanced to more subtasks.
      const largestUpstream = Math.max(...upstream);
      if (needed <= largestUpstream && upstream.every((u) => u === largestUpstream)) {
        p = largestUpstream;
        decidedBy = needed === largestUpstream ? throughputReason : 'slot-sharing';
        why =
          needed === largestUpstream
            ? ''
            : `${needed} subtasks would do; kept at its input's ${p} so it chains to it (no network hop, no extra slot)`;
      } else {
        cost = { micros: cost.micros, parts: [...cost.parts] };
        const extra: CostPart = rebalanceCost(r, model);
        cost.parts.push(extra);
        cost.micros += extra.micros;
        capacity = subtaskCapacity(node, cost.micros, model);
        needed = subtasksFor(target, capacity);
        p = Math.max(needed, largestUpstream);
        decidedBy = p === needed ? throughputReason : 'slot-sharing';
      }
      edges = upstream.map((u) => (u === p ? 'forward' : 'rebalance'));
    }

    if (node.parallelismOverride !== undefined) {
      const override = node.parallelismOverride;
      if (!keyed && producers.length > 0) {
        const newEdges: EdgeKind[] = upstream.map((u) => (u === override ? 'forward' : 'rebalance'));
        const hadRebalance = edges.includes('rebalance');
        const hasRebalance = newEdges.includes('rebalance');
        if (hasRebalance && !hadRebalance) {
          const extra = rebalanceCost(r, model);
          cost = { micros: cost.micros + extra.micros, parts: [...cost.parts, extra] };
        } else if (!hasRebalance && hadRebalance) {
          cost = costs[i]!;
        }
        capacity = subtaskCapacity(node, cost.micros, model);
        needed = subtasksFor(target, capacity);
        edges = newEdges;
      }
      why = `set by you (throughput alone needs ${needed})`;
      p = override;
      decidedBy = 'user';
    }

    if (p > cap) {
      p = cap;
      limitedByMaxParallelism = true;
    }
    const maxP = explicitMax ?? defaultMaxParallelism(p);
    const skew = keyed ? busiestSubtaskShare(Math.min(p, maxP), maxP) : 1;
    result.push({
      skew,
      parallelism: p,
      decidedBy,
      needed,
      capacityPerSubtask: capacity,
      targetRecordsPerSecond: target,
      cost,
      maxParallelism: maxP,
      limitedByPartitions,
      limitedByMaxParallelism,
      inputEdges: edges,
      explanation: why,
    });
  });
  return result;
}

/** Busy fraction of one subtask at the peak rate (1 = fully busy). */
export function busyAtPeak(rate: number, np: NodeParallelism): number {
  if (!Number.isFinite(np.capacityPerSubtask) || np.capacityPerSubtask <= 0) return 0;
  return (rate * np.skew) / (np.parallelism * np.capacityPerSubtask);
}
