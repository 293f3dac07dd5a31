/**
 * Flink's constraints on a task head's parallelism: a source within its partitions (on a
 * divisor of them), a keyed operator on key groups that spread evenly.
 */
import type { DecidedBy } from '../../schemas/estimate.js';
import { isSingleKey } from '../keys.js';
import { at } from '../lists.js';
import {
  DEFAULT_LOWER_BOUND_MAX_PARALLELISM as LOWER_BOUND,
  UPPER_BOUND_MAX_PARALLELISM as UPPER_BOUND,
} from '../memory/index.js';
import { FLINK_VERSIONS, type FlinkVersion } from '../memory/types.js';
import type { Model } from '../model.js';
import { isKeyed, type Node } from '../normalize.js';
import { maxParallelismFor } from '../shapes.js';
import type { Task } from './types.js';

/** First p in [from, upTo] dividing n (the autoscaler's EVENLY_SPREAD scan), if any. */
export function firstDivisorFrom(n: number, from: number, upTo: number): number | undefined {
  for (let p = Math.max(1, from); p <= upTo; p++) if (n % p === 0) return p;
  return undefined;
}

/**
 * The max parallelism to recommend for a job whose largest parallelism is `largest`: the plan's
 * own rule (maxParallelismFor) where it has one; else the first value with room for the growth
 * (a parallelism none of them divides, e.g. a user's), or the largest the list or Flink allows.
 */
export function recommendedMaxParallelism(largest: number, model: Model): number {
  const { recommendedMaxParallelisms: candidates, maxParallelismRoom } = model.parallelism;
  const wanted = Math.max(LOWER_BOUND, largest * maxParallelismRoom);
  return (
    maxParallelismFor(largest, model) ??
    candidates.find((m) => m >= wanted) ??
    Math.min(UPPER_BOUND, at(candidates, candidates.length - 1))
  );
}

/**
 * Parallelism for a task head that needs `needed` subtasks, under Flink's constraints: a source
 * stays within its partitions (on a divisor of them), a keyed operator on key groups that spread
 * evenly (a divisor of an explicit max parallelism; without one the plan picks a max
 * parallelism the job parallelism divides, shapes.ts).
 */
export function constrain(
  node: Node,
  needed: number,
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
    // n divides itself, so the scan always finds one.
    const p = firstDivisorFrom(n, needed, n) ?? n;
    return p > needed
      ? {
          ...base,
          p,
          decidedBy: 'partitions',
          why: `${needed} would do; raised to ${p}, the first divisor of ${n} partitions, so every subtask reads ${n / p}`,
        }
      : base;
  }
  if (isSingleKey(node)) {
    // Every record has the same key, so one key group and one subtask do all the work: more
    // subtasks would idle (docs/model.md, "Single and hot keys").
    return {
      ...base,
      p: 1,
      decidedBy: 'keys',
      why:
        needed > 1
          ? `one key: every record goes to one subtask, so more would idle — throughput alone would need ${needed}, which no parallelism can give one key (see HOT_KEY)`
          : 'one key: every record goes to one subtask, so more would idle',
    };
  }
  if (isKeyed(node) && explicitMax !== undefined) {
    {
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
  }
  return base;
}

/**
 * Connectors whose table options set their own parallelism in Flink SQL: `scan.parallelism` on
 * sources (FLIP-367), from the first Flink version whose connector reads it — datagen ships with
 * Flink 1.19; Kafka's first came in flink-connector-kafka 4.0.0 (FLINK-33265, April 2025), built
 * and tested for Flink 2.0 only (the 3.x line for 1.19/1.20 has no such option) — and
 * `sink.parallelism` on sinks (the Kafka, filesystem, JDBC and Elasticsearch connectors' options).
 * Every other node runs at table.exec.resource.default-parallelism.
 */
const SCAN_PARALLELISM_SINCE: ReadonlyMap<string, { version: FlinkVersion; by: string }> = new Map([
  ['datagen', { version: '1.19', by: 'Flink 1.19 (FLIP-367)' }],
  ['kafka', { version: '2.0', by: 'flink-connector-kafka 4.0, for Flink 2.0' }],
]);
const SINK_PARALLELISM = new Set(['kafka', 'filesystem', 'jdbc', 'elasticsearch']);

/** Why a source's connector cannot set its own parallelism on this version, if that is the reason. */
export function scanParallelismMissing(
  head: Pick<Node, 'role' | 'kind'>,
  flinkVersion: string | undefined,
): string | undefined {
  const since = head.role === 'source' ? SCAN_PARALLELISM_SINCE.get(head.kind) : undefined;
  if (since === undefined || flinkVersion === undefined) return undefined;
  const order = FLINK_VERSIONS as readonly string[];
  return order.indexOf(flinkVersion) < order.indexOf(since.version)
    ? `the ${head.kind} connector's scan.parallelism needs ${since.by}, not ${flinkVersion}`
    : undefined;
}

/** Whether a SQL source's connector sets its own parallelism on this version (scan.parallelism). */
export function sqlSourceSetsParallelism(
  head: Pick<Node, 'role' | 'kind'>,
  flinkVersion: string | undefined,
): boolean {
  return (
    head.role === 'source' &&
    SCAN_PARALLELISM_SINCE.has(head.kind) &&
    scanParallelismMissing(head, flinkVersion) === undefined
  );
}

/** Whether a task may keep its own parallelism in a Flink SQL job. */
function sqlOwnParallelism(head: Node, members: number, flinkVersion: string | undefined): boolean {
  if (head.role === 'source') {
    // A source with scan.parallelism different from its consumers cannot chain with them, so
    // only a source that runs alone in its task keeps its own.
    return members === 1 && sqlSourceSetsParallelism(head, flinkVersion);
  }
  if (head.role === 'sink') return SINK_PARALLELISM.has(head.kind);
  return false;
}

/** Whether a SQL task runs at the job's one parallelism (it is neither fixed nor set apart). */
function joinsSqlParallelism(nodes: readonly Node[], t: Task, flinkVersion: string | undefined): boolean {
  const head = at(nodes, t.head);
  return !t.fixed && !isSingleKey(head) && !sqlOwnParallelism(head, t.members.length, flinkVersion);
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The partitions every source at the SQL job's one parallelism can share evenly: the greatest
 * common divisor of their partition counts (a job parallelism that divides it gives every subtask
 * of each such source the same number of partitions); undefined when no such source has a count.
 */
export function sqlSharedPartitions(
  nodes: readonly Node[],
  tasks: readonly Task[],
  flinkVersion: string | undefined,
): number | undefined {
  const counts = tasks.flatMap((t) => {
    const head = at(nodes, t.head);
    return head.role === 'source' &&
      head.partitions !== undefined &&
      joinsSqlParallelism(nodes, t, flinkVersion)
      ? [head.partitions]
      : [];
  });
  return counts.length > 0 ? counts.reduce(gcd) : undefined;
}

/**
 * Flink SQL runs every operator between the sources and the sinks at one parallelism,
 * table.exec.resource.default-parallelism; only sources (scan.parallelism, where the connector has
 * it) and sinks (sink.parallelism) may differ, and an operator without a key (a global aggregation
 * or rank: the planner's singleton distribution) runs at 1. Raises every other task to the largest
 * of them — on a divisor of an explicit max parallelism when a keyed task is among them.
 */
export function applySqlParallelism(
  nodes: readonly Node[],
  tasks: readonly Task[],
  flinkVersion: string | undefined,
  explicitMax: number | undefined,
): void {
  const joining = tasks.filter((t) => joinsSqlParallelism(nodes, t, flinkVersion));
  if (joining.length === 0) return;
  let P = Math.max(...joining.map((t) => t.p));
  if (explicitMax !== undefined) {
    P = Math.min(P, explicitMax);
    if (joining.some((t) => isKeyed(at(nodes, t.head))))
      P = firstDivisorFrom(explicitMax, P, explicitMax) ?? P;
  }
  for (const t of joining) {
    if (t.p >= P) continue;
    const head = at(nodes, t.head);
    const idle =
      head.role === 'source' && head.partitions !== undefined && P > head.partitions
        ? ` (above its ${head.partitions} partitions: ${P - head.partitions} subtasks idle)`
        : '';
    const missing = scanParallelismMissing(head, flinkVersion);
    t.why = `${t.why ? `${t.why}; ` : ''}raised from ${t.p} to ${P}, the job's one SQL parallelism: Flink SQL runs every operator at table.exec.resource.default-parallelism${missing ? ` (${missing})` : ''}${idle}`;
    t.p = P;
    t.decidedBy = 'sql';
  }
}
