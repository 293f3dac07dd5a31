/**
 * The autoscaler's delayed scale-down (flink-autoscaler release 1.15.0: DelayedScaleDown,
 * JobVertexScaler.applyScaleDownInterval, ScalingExecutor.scaleResource). A scale-down is never
 * applied when first recommended: it waits `scale-down.interval` (1 h by default), and then the
 * highest parallelism recommended within the last interval is applied — so one scale-down per
 * interval, each capped by `scale-down.max-factor`. A recommendation at or above the current
 * parallelism cancels the vertex's pending scale-down; a rescale cancels them all.
 *
 * One calibration is one evaluation. The calibrations stored before it for the same job are the
 * autoscaler's earlier evaluations: replaying them rebuilds the pending scale-downs.
 */
import { z } from 'zod';

/** What an earlier calibration of the same job recommended. */
export interface PriorEvaluation {
  /** When it was evaluated, ms since the epoch. */
  atMs: number;
  vertices: ReadonlyArray<{
    id: string;
    parallelism: number;
    /** The rules' parallelism before any delay (JobVertexScaler.scale). */
    recommendedParallelism: number;
    outsideUtilizationBand: boolean;
  }>;
}

interface Recommended {
  atMs: number;
  parallelism: number;
  outside: boolean;
}

/** DelayedScaleDown.VertexDelayedScaleDownInfo: first trigger, and a decreasing list of recommendations. */
interface Pending {
  firstTriggerMs: number;
  recommended: Recommended[];
}

export type PendingScaleDowns = Map<string, Pending>;

export interface ScaleDownDecision {
  /** What the autoscaler would set now: the current parallelism while delayed. */
  parallelism: number;
  outside: boolean;
  /** Within the interval: when the scale-down may first be applied (ms since the epoch). */
  delayedUntilMs: number | null;
  firstTriggerMs: number | null;
}

/** recordRecommendedParallelism: drops every earlier recommendation not above the new one. */
function trigger(pending: PendingScaleDowns, id: string, r: Recommended): Pending {
  let info = pending.get(id);
  if (!info) {
    info = { firstTriggerMs: r.atMs, recommended: [] };
    pending.set(id, info);
  }
  const list = info.recommended;
  while (list.length > 0 && (list[list.length - 1] as Recommended).parallelism <= r.parallelism) list.pop();
  list.push(r);
  return info;
}

/**
 * One vertex's recommendation at `atMs` (computeScaleTargetParallelism after scale()): at or above
 * the current parallelism it clears the pending scale-down; below it, applyScaleDownInterval.
 */
export function decideScaleDown(
  pending: PendingScaleDowns,
  id: string,
  atMs: number,
  current: number,
  recommended: number,
  outside: boolean,
  intervalSeconds: number,
): ScaleDownDecision {
  const none = { delayedUntilMs: null, firstTriggerMs: null };
  if (recommended >= current) {
    pending.delete(id);
    return { parallelism: recommended, outside, ...none };
  }
  const intervalMs = intervalSeconds * 1000;
  if (intervalMs <= 0) return { parallelism: recommended, outside, ...none };
  const info = trigger(pending, id, { atMs, parallelism: recommended, outside });
  const windowStart = atMs - intervalMs;
  if (windowStart < info.firstTriggerMs)
    return {
      parallelism: current,
      outside: false,
      delayedUntilMs: info.firstTriggerMs + intervalMs,
      firstTriggerMs: info.firstTriggerMs,
    };
  while (info.recommended.length > 1 && (info.recommended[0] as Recommended).atMs < windowStart)
    info.recommended.shift();
  // The list is never empty: the recommendation just recorded is inside the window.
  const highest = info.recommended[0] as Recommended;
  return {
    parallelism: highest.parallelism,
    outside: highest.parallelism !== current && highest.outside,
    delayedUntilMs: null,
    firstTriggerMs: info.firstTriggerMs,
  };
}

/** The current parallelism of each vertex differs from before: the job was rescaled. */
function rescaled(before: PriorEvaluation['vertices'], now: ReadonlyMap<string, number>): boolean {
  return before.some((v) => now.has(v.id) && now.get(v.id) !== v.parallelism);
}

/**
 * Replays earlier evaluations, oldest first, into the pending scale-downs; a change of any
 * vertex's parallelism between two of them (or before `current`) is a rescale, which clears all.
 */
export function replayScaleDowns(
  history: readonly PriorEvaluation[],
  current: ReadonlyMap<string, number>,
  intervalSeconds: number,
): PendingScaleDowns {
  const pending: PendingScaleDowns = new Map();
  let previous: PriorEvaluation['vertices'] | undefined;
  for (const h of history) {
    if (previous && rescaled(previous, new Map(h.vertices.map((v) => [v.id, v.parallelism]))))
      pending.clear();
    previous = h.vertices;
    for (const v of h.vertices)
      decideScaleDown(
        pending,
        v.id,
        h.atMs,
        v.parallelism,
        v.recommendedParallelism,
        v.outsideUtilizationBand,
        intervalSeconds,
      );
  }
  if (previous && rescaled(previous, current)) pending.clear();
  return pending;
}

const StoredEvaluationSchema = z.object({
  observedAt: z.string(),
  vertices: z.array(
    z.object({
      id: z.string(),
      parallelism: z.number(),
      recommendedParallelism: z.number(),
      outsideUtilizationBand: z.boolean(),
    }),
  ),
});

/** When a calibration was evaluated: its observation's time, or (an undated snapshot) when it was made. */
export function evaluatedAtMs(observedAt: string, createdAt: string): number {
  const observed = Date.parse(observedAt);
  return observed > 0 ? observed : Date.parse(createdAt);
}

/** A stored calibration answer as an earlier evaluation; undefined when it lacks the fields. */
export function priorEvaluation(createdAt: string, result: unknown): PriorEvaluation | undefined {
  const parsed = StoredEvaluationSchema.safeParse(result);
  if (!parsed.success) return undefined;
  return { atMs: evaluatedAtMs(parsed.data.observedAt, createdAt), vertices: parsed.data.vertices };
}
