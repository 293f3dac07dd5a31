/** Slot balancing: tasks raised towards one job parallelism so that every slot carries about the same load. */

import { isSingleKey } from '../keys.js';
import { at } from '../lists.js';
import { UPPER_BOUND_MAX_PARALLELISM as UPPER_BOUND } from '../memory/index.js';
import type { Model } from '../model.js';
import { type Graph, isKeyed } from '../normalize.js';
import {
  admissibleParallelism,
  cpuCovering,
  firstAdmissible,
  ladderSlotsPerCore,
  ladderStep,
  roundedToShape,
  type ShapeLadder,
} from '../shapes.js';
import { lookupWaitMicros, type NodeWork } from './capacity.js';
import type { Task } from './types.js';

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
    if (at(sorted, mid) <= upTo) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 && at(sorted, found) >= from ? sorted[found] : undefined;
}

/** Cores one task needs at the target (CPU only; a synchronous lookup's wait needs no core). */
function taskCores(t: Task, works: NodeWork[]): number {
  return t.members.reduce((a, m) => a + (at(works, m).target * at(works, m).cost.micros) / 1e6, 0);
}

/**
 * A Flink SQL source without scan.parallelism runs at the job parallelism P, so its n partitions
 * spread unevenly unless P divides n: the busiest subtask reads ceil(n / P) of them, u =
 * ceil(n / P) × P ÷ n times the average. The first admissible divisor of n above P whose extra
 * slots cost at most that factor (p ≤ P × u) balances them for no more than the imbalance costs
 * the busiest subtask; a divisor further away (97 partitions at P 10: u 1.03) is not worth it.
 */
export function evenPartitionParallelism(
  P: number,
  partitions: number | undefined,
  cap: number,
  admissible: (p: number) => boolean,
): number | undefined {
  if (partitions === undefined || P >= partitions || partitions % P === 0) return undefined;
  const u = (Math.ceil(partitions / P) * P) / partitions;
  const upTo = Math.min(cap, Math.floor(P * u + 1e-9));
  for (let p = P + 1; p <= upTo; p++) if (partitions % p === 0 && admissible(p)) return p;
  return undefined;
}

export interface Balance {
  /** The job parallelism every task the user did not fix was raised towards. */
  parallelism: number;
  /** The widest tasks mostly wait on synchronous I/O: the ladder's slots may share cores. */
  ioBound: boolean;
}

/**
 * With default slot sharing, slot j runs subtask j of every task, so tasks at lower parallelism
 * crowd the first slots. Every task the user did not fix is raised towards one job parallelism P
 * — what Flink SQL does with parallelism.default — with P the smallest value (≥ the largest
 * parallelism any task needs) at which the busiest slot needs at most its share of a core — one
 * (`targetCoresPerSlot`; Flink's configuration docs: slots proportional to cores), or 1/8 when
 * the slots wait on I/O and share cores (`maxSlotsPerCoreIoBound`) — among the values the TaskManager
 * ladder holds in whole TaskManagers and that divide the max parallelism (shapes.ts). Sources
 * stay on a divisor of their partitions; keyed tasks on a divisor of an explicit max parallelism.
 */
export function balanceSlots(
  graph: Graph,
  tasks: Task[],
  works: NodeWork[],
  explicitMax: number | undefined,
  ladder: ShapeLadder,
  model: Model,
  /** Partitions the SQL job's sources at the job parallelism share (sqlSharedPartitions). */
  sharedPartitions?: number,
): Balance {
  const cap = explicitMax ?? UPPER_BOUND;
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
    const head = at(graph.nodes, t.head);
    // One key runs on one subtask whatever the job parallelism: its task is not raised. Without
    // an explicit max parallelism the plan chooses one that P divides, so a keyed task is as free
    // as a stateless one.
    const kind: 'fixed' | 'partitions' | 'keyed-explicit' | 'free' =
      t.fixed || isSingleKey(head)
        ? 'fixed'
        : head.role === 'source' && head.partitions !== undefined
          ? 'partitions'
          : isKeyed(head) && explicitMax !== undefined
            ? 'keyed-explicit'
            : 'free';
    const allowed =
      kind === 'partitions' && head.role === 'source' && head.partitions !== undefined
        ? divisorsOf(head.partitions)
        : kind === 'keyed-explicit' && explicitMax !== undefined
          ? divisorsOf(explicitMax)
          : [];
    return { t, own: t.p, kind, allowed, cores: taskCores(t, works) };
  });
  const assign = (x: (typeof plan)[number], P: number): number => {
    if (x.kind === 'fixed' || x.own >= P) return x.own;
    switch (x.kind) {
      case 'partitions':
      case 'keyed-explicit':
        return largestIn(x.allowed, x.own, P) ?? x.own;
      default:
        return P;
    }
  };
  const busiestSlot = (P: number) => plan.reduce((a, x) => a + x.cores / assign(x, P), 0);
  const P0 = Math.max(...plan.map((x) => x.own));
  // The widest task waits on I/O: a lookup in it holds each record longer (per request slot)
  // than the whole chain computes on it, so its slots need threads, not cores. Per record, so the
  // answer does not change with the load. A chain whose source and sink compute more than its
  // lookup waits is compute-bound (an async 1 ms lookup with 100 in flight waits 10 µs a record;
  // a Kafka source and sink around it compute 22 µs).
  const ioBound = plan.some((x) => {
    if (x.own !== P0) return false;
    let wait = 0;
    let compute = 0;
    for (const m of x.t.members) {
      wait = Math.max(wait, lookupWaitMicros(at(graph.nodes, m), model));
      compute += at(works, m).cost.micros;
    }
    return wait > compute;
  });
  // A slot's share of its TaskManager's CPU on the ladder: one core per slot, or 1/8 when the
  // slots wait on I/O and share cores. Holding the busiest slot to it keeps a TaskManager of the
  // ladder's size within that size's CPU; above it the TaskManager would need more CPU at this
  // parallelism and less at the next, so its size would fall as the load grows. Slots the user
  // fixed take the CPU their load needs (taskmanagers.ts), so they keep a core per slot here.
  const target =
    ladder.fixedSlots === undefined
      ? 1 / ladderSlotsPerCore(ioBound, model)
      : model.taskManager.targetCoresPerSlot;
  const totalCores = plan.reduce((a, x) => a + x.cores, 0);
  // P up to twice what the cores alone would ask — or further, up to a source's partition count,
  // when only a constrained task's next step (a larger divisor of its partitions) lets the
  // busiest slot fit: that is far cheaper than sizing every TaskManager for an overloaded slot.
  const byCores = Math.min(cap, Math.max(P0, Math.ceil((totalCores / target) * 2)));
  const stepUp = Math.min(cap, Math.max(byCores, ...plan.map((x) => x.allowed[x.allowed.length - 1] ?? 0)));
  const limit =
    busiestSlot(byCores) > target + 1e-9 && busiestSlot(stepUp) <= target + 1e-9 ? stepUp : byCores;
  // Candidate job parallelisms: whole TaskManagers of the ladder and even key groups
  // (shapes.ts); when none lies in [P0, limit], the first one above P0 — or, if Flink's upper
  // bound leaves none, any value (divisors of an explicit max parallelism).
  const admissible = (P: number) => admissibleParallelism(P, ladder, ioBound, explicitMax, model);
  const first = firstAdmissible(P0, cap, ladder, ioBound, explicitMax, model);
  const top = first !== undefined ? Math.max(limit, first) : limit;
  let candidates: number[] = [];
  for (let P = P0; P <= top; P++) if (admissible(P)) candidates.push(P);
  const onLadder = candidates.length > 0;
  if (!onLadder)
    candidates =
      explicitMax !== undefined
        ? divisorsOf(explicitMax).filter((d) => d >= P0 && d <= top)
        : Array.from({ length: Math.max(0, top - P0 + 1) }, (_, k) => P0 + k);
  // The busiest slot's load falls as P grows: binary search the smallest that fits.
  let lo = 0;
  let hi = candidates.length - 1;
  let best = candidates.length > 0 ? at(candidates, candidates.length - 1) : P0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (busiestSlot(at(candidates, mid)) <= target + 1e-9) {
      best = at(candidates, mid);
      hi = mid - 1;
    } else lo = mid + 1;
  }
  // Tasks that keep their own parallelism (one key, or the user's) put their load in the first
  // slot whatever P is. When even the largest candidate leaves that slot above its share, raising
  // P only spreads the other tasks, and every TaskManager is sized for the first one, whose slots
  // host the crowded subtasks (taskmanagers.ts): P is then the candidate whose TaskManagers cost
  // the fewest cores — not the largest, which doubled them (a global count at 20,000 records/s got
  // 4 × 2 CPU for 1.55 cores).
  const crowded =
    candidates.length > 0 &&
    ladder.fixedSlots === undefined &&
    plan.some((x) => x.kind === 'fixed') &&
    busiestSlot(best) > target + 1e-9;
  let crowdedCores = Number.POSITIVE_INFINITY;
  if (crowded) {
    const largestSize = Math.max(...ladder.sizes);
    for (const P of candidates) {
      const step = ladderStep(P, ladder, ioBound, model);
      // Slots per TaskManager: the largest divisor of P within the step (taskmanagers.ts).
      const slots = largestIn(divisorsOf(P), 1, step.slots) ?? 1;
      // A subtask is one thread: it uses at most one core however much it is asked to carry.
      const first = plan.reduce((a, x) => {
        const p = assign(x, P);
        return a + Math.min(slots, p) * Math.min(1, x.cores / p);
      }, 0);
      const cpu = Math.max(step.cpu, cpuCovering(first, model));
      // Not above the ladder's largest size: the crowded first TaskManager takes one of its sizes.
      if (cpu > largestSize + 1e-9) continue;
      const cores = (P / slots) * cpu;
      if (cores < crowdedCores - 1e-9) {
        crowdedCores = cores;
        best = P;
      }
    }
  }
  const fits = best;
  // What the slots alone need: the smallest P from P0 at which the busiest slot fits (any value,
  // admissible or not), so the explanation can say how far the shape rules rounded it up.
  let need = fits;
  for (let a = P0, b = fits; a <= b; ) {
    const mid = (a + b) >> 1;
    if (busiestSlot(mid) <= target + 1e-9) {
      need = mid;
      b = mid - 1;
    } else a = mid + 1;
  }
  const rounded =
    onLadder && !Number.isFinite(crowdedCores)
      ? `; ${roundedToShape(need, fits, ladder, ioBound, explicitMax, model)}`
      : '';
  best = evenPartitionParallelism(best, sharedPartitions, cap, admissible) ?? best;
  const even =
    best !== fits
      ? `, and ${best} rather than ${fits} divides the ${sharedPartitions} partitions its SQL sources read at the job parallelism, so each subtask reads ${Number(sharedPartitions) / best} (at ${fits} the busiest would read ${Math.ceil(Number(sharedPartitions) / fits)})`
      : '';
  // At its own parallelism the widest task's slots may already need more than their share.
  const share = target === 1 ? 'one core' : `1/${1 / target} of a core: ${1 / target} slots per core`;
  const evenLoad = ' so that every slot carries about the same load (slot j runs subtask j of every task)';
  const fixedShare = plan.reduce((a, x) => (x.kind === 'fixed' ? a + Math.min(1, x.cores / x.own) : a), 0);
  const overloaded = Number.isFinite(crowdedCores)
    ? `: the tasks that keep their own parallelism put ${fixedShare.toFixed(3)} cores in the first slot whatever the job parallelism, so none up to twice the cores the job needs keeps that slot within its share (${share}); of those that fill whole TaskManagers, ${best} needs the fewest cores (${crowdedCores}), every TaskManager sized for the first`
    : busiestSlot(P0) > target + 1e-9
      ? `: at ${P0} the busiest slot (slot j runs subtask j of every task) needs ${busiestSlot(P0).toFixed(3)} cores, more than a slot's share of its TaskManager (${share})`
      : evenLoad;
  for (const x of plan) {
    const p = assign(x, best);
    if (p > x.t.p) {
      x.t.why = `${x.t.why ? `${x.t.why}; ` : ''}raised from ${x.t.p} to the job parallelism ${p}${x.own === P0 ? overloaded : evenLoad}${p === best ? `${rounded}${even}` : ''}`;
      x.t.p = p;
      x.t.decidedBy = 'slot-sharing';
    }
  }
  return { parallelism: best, ioBound };
}
