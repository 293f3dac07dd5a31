/** Slot balancing: tasks raised towards one job parallelism so that every slot carries about the same load. */

import { isSingleKey } from '../keys.js';
import { at } from '../lists.js';
import { defaultMaxParallelism, UPPER_BOUND_MAX_PARALLELISM as UPPER_BOUND } from '../memory/index.js';
import type { Model } from '../model.js';
import { type Graph, isKeyed } from '../normalize.js';
import { busiestSubtaskShare, type NodeWork } from './capacity.js';
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
 * With default slot sharing, slot j runs subtask j of every task, so tasks at lower parallelism
 * crowd the first slots. Every task the user did not fix is raised towards one job parallelism P
 * — what Flink SQL does with parallelism.default — with P the smallest value (≥ the largest
 * parallelism any task needs) at which the busiest slot needs at most `targetCoresPerSlot` cores
 * (Flink's configuration docs: slots proportional to cores). Sources stay on a divisor of their
 * partitions; keyed tasks on a divisor of an explicit max parallelism.
 */
export function balanceSlots(
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
    const head = at(graph.nodes, t.head);
    // One key runs on one subtask whatever the job parallelism: its task is not raised.
    const kind: 'fixed' | 'partitions' | 'keyed-explicit' | 'keyed-default' | 'free' =
      t.fixed || isSingleKey(head)
        ? 'fixed'
        : head.role === 'source' && head.partitions !== undefined
          ? 'partitions'
          : isKeyed(head)
            ? explicitMax !== undefined
              ? 'keyed-explicit'
              : 'keyed-default'
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
  const candidate = (k: number) => (explicitMax !== undefined ? at(candidates, k) : P0 + k);
  const count = explicitMax !== undefined ? candidates.length : limit - P0 + 1;
  let lo = 0;
  let hi = count - 1;
  let best = count > 0 ? candidate(count - 1) : P0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (busiestSlot(candidate(mid)) <= target + 1e-9) {
      best = candidate(mid);
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
