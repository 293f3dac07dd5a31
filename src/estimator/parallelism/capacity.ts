/**
 * What one subtask can do and what a node needs: the autoscaler's target capacity, a subtask's
 * records/s at 100% busy (CPU, or a lookup join's wait), and the subtasks that takes.
 */
import type { Targets } from '../../jobspec/index.js';
import type { DecidedBy } from '../../schemas/estimate.js';
import type { NodeCost } from '../cpu.js';
import { UPPER_BOUND_MAX_PARALLELISM as UPPER_BOUND } from '../memory/index.js';
import type { Model } from '../model.js';
import type { Node } from '../normalize.js';
import type { NodeParallelism } from './types.js';

/**
 * The busiest subtask's load relative to the mean when `keyGroups` key groups are spread over p
 * subtasks: ⌈K/p⌉ ÷ (K/p) — some subtasks own ⌈K/p⌉ key groups, others ⌊K/p⌋
 * (KeyGroupRangeAssignment, docs/model.md, "Max parallelism and key groups"). 1 when p divides K.
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

/** Records/s one subtask sustains at 100% busy: its CPU, or for a lookup join the external wait. */
export function subtaskCapacity(node: Node, micros: number, model: Model): number {
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

/**
 * What a record's lookup holds a subtask for, in µs of its one request slot: the round trip of
 * the records that miss the cache, shared over the requests in flight (1 for a synchronous
 * lookup, which blocks its thread). 0 for every node that is not a lookup join.
 */
export function lookupWaitMicros(node: Node, model: Model): number {
  if (node.role !== 'operator' || node.kind !== 'lookup-join') return 0;
  const waitMicros =
    (1 - (node.cacheHitRatio ?? 0)) * (node.lookupLatencyMs ?? model.lookup.defaultLatencyMs) * 1000;
  const inFlight = node.async ? (node.asyncCapacity ?? model.lookup.defaultAsyncCapacity) : 1;
  return waitMicros / inFlight;
}

/**
 * A lookup whose subtask count is set by the external system's latency, not by its CPU: a
 * synchronous one that waits longer per record than it computes, or an async one whose requests
 * in flight (capacity ÷ latency, Little's law) bound it before its CPU does. Its subtasks need a
 * slot each, not a core.
 */
export function waitsOnIo(node: Node, micros: number, model: Model): boolean {
  return lookupWaitMicros(node, model) > micros;
}

/** An async lookup's wait holds a request slot (AsyncWaitOperator's queue), not its thread. */
const isAsyncLookup = (node: Node): boolean =>
  node.role === 'operator' && node.kind === 'lookup-join' && node.async === true;

/** Subtasks to reach `target` records/s at `capacity` each, within Flink's upper bound. */
export function subtasksFor(target: number, capacity: number): number {
  if (target <= 0 || !Number.isFinite(target)) return 1;
  if (!Number.isFinite(capacity)) return 1;
  if (capacity <= 0) return UPPER_BOUND;
  return Math.min(UPPER_BOUND, Math.max(1, Math.ceil(target / capacity - 1e-9)));
}

export interface NodeWork {
  cost: NodeCost;
  capacity: number;
  target: number;
  /** Subtask-threads the node alone keeps busy at its target capacity. */
  demand: number;
  /**
   * Subtasks it needs whatever its threads' load: an async lookup's requests in flight per
   * subtask bound its throughput while its thread is mostly free (0 for every other node).
   */
  floor: number;
  needed: number;
  reason: DecidedBy;
}

export function work(node: Node, cost: NodeCost, rate: number, targets: Targets, model: Model): NodeWork {
  const target = targetCapacity(rate, targets);
  const capacity = subtaskCapacity(node, cost.micros, model);
  const needed = subtasksFor(target, capacity);
  const async = isAsyncLookup(node);
  // Thread time: an async lookup's thread only computes (its wait is in the request queue).
  const demand = async
    ? (target * cost.micros) / 1e6
    : Number.isFinite(capacity) && capacity > 0
      ? target / capacity
      : 0;
  const byUtilization = subtasksFor(Math.round(rate / targets.utilization), capacity);
  return {
    cost,
    capacity,
    target,
    demand,
    floor: async ? needed : 0,
    needed,
    reason: needed > byUtilization ? 'catch-up' : 'throughput',
  };
}

/**
 * Busy fraction of the busiest subtask at the peak rate (1 = fully busy): its share of the records
 * is the larger of its key groups' share (skew ÷ the subtasks that get records) and the hot key's share.
 */
export function busyAtPeak(rate: number, np: NodeParallelism): number {
  if (!Number.isFinite(np.capacityPerSubtask) || np.capacityPerSubtask <= 0) return 0;
  return (rate * Math.max(np.skew / np.activeSubtasks, np.hotKeyShare)) / np.capacityPerSubtask;
}
