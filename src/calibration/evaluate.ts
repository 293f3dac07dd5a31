/**
 * The Flink Kubernetes Operator autoscaler's sizing rules, applied to what a running job measured
 * (flink-autoscaler, release 1.15.0: ScalingMetricEvaluator, ScalingMetrics.getObservedTpr,
 * JobVertexScaler.computeScaleTargetParallelism, JobVertexScaler.scale and applyScaleDownInterval,
 * DelayedScaleDown, ScalingExecutor.computeScalingSummary, AutoScalerUtils.getTargetProcessingCapacity,
 * AutoScalerOptions).
 * Pure: an Observation and the options in, one recommendation per vertex out. The target
 * capacity is the estimator's own formula (parallelism.ts targetCapacity), so a calibrated
 * recommendation and an estimate can never disagree about the rule.
 */
import { z } from 'zod';
import { targetCapacity } from '../estimator/parallelism/index.js';
import type { Targets } from '../jobspec/index.js';
import type { Observation, ObservedVertex } from './observation.js';
import { decideScaleDown, type PriorEvaluation, replayScaleDowns } from './scale-down.js';

/** The autoscaler options this evaluation reads that a JobSpec's `targets` do not carry. */
export const AutoscalerOptionsSchema = z
  .strictObject({
    utilizationBoundary: z
      .number()
      .min(0)
      .max(1)
      .default(0.3)
      .describe(
        'job.autoscaler.target.utilization.boundary: it acts only outside target ± this. Default 0.3',
      ),
    scaleDownMaxFactor: z
      .number()
      .min(0)
      .max(1)
      .default(0.6)
      .describe('job.autoscaler.scale-down.max-factor. Default 0.6'),
    scaleUpMaxFactor: z
      .number()
      .min(0)
      .default(100000)
      .describe('job.autoscaler.scale-up.max-factor. Default 100000'),
    vertexMinParallelism: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe('job.autoscaler.vertex.min-parallelism'),
    vertexMaxParallelism: z
      .number()
      .int()
      .min(1)
      .default(200)
      .describe('job.autoscaler.vertex.max-parallelism. Default 200'),
    busyTimeAggregator: z
      .enum(['MAX', 'AVG', 'MIN'])
      .default('MAX')
      .describe('job.autoscaler.metrics.busy-time.aggregator over subtasks. Default MAX'),
    backlogLagThresholdSeconds: z
      .number()
      .min(0)
      .default(300)
      .describe('job.autoscaler.backlog-processing.lag-threshold. Default 5 min'),
    adjustMode: z
      .enum(['EVENLY_SPREAD', 'MAXIMIZE_UTILISATION'])
      .default('EVENLY_SPREAD')
      .describe('job.autoscaler.scaling.key-group.partitions.adjust.mode. Default EVENLY_SPREAD'),
    scaleDownIntervalSeconds: z
      .number()
      .min(0)
      .default(3600)
      .describe(
        'job.autoscaler.scale-down.interval: a scale-down waits this long, then takes the highest parallelism recommended meanwhile; 0 = at once. Default 1 h',
      ),
    observedTprLagThresholdSeconds: z
      .number()
      .min(0)
      .default(30)
      .describe(
        'job.autoscaler.observed-true-processing-rate.lag-threshold: a source is catching up when its backlog is at least this many seconds of input. Default 30 s',
      ),
    observedTprSwitchThreshold: z
      .number()
      .min(0)
      .default(0.15)
      .describe(
        'job.autoscaler.observed-true-processing-rate.switch-threshold: the observed rate replaces the busy-time one when that is this much higher. Default 0.15',
      ),
    observedTprMinObservations: z
      .number()
      .int()
      .min(1)
      .default(2)
      .describe('job.autoscaler.observed-true-processing-rate.min-observations. Default 2'),
  })
  .describe('Flink Kubernetes Operator autoscaler options (defaults of release 1.15)');
export type AutoscalerOptions = z.output<typeof AutoscalerOptionsSchema>;
export const defaultAutoscalerOptions: AutoscalerOptions = AutoscalerOptionsSchema.parse({});

export interface ScaleInput {
  currentParallelism: number;
  /** Any input edge is a keyBy (ship strategy HASH). */
  keyedInput: boolean;
  /** Known source partitions, 0 when unknown or not a source. */
  numSourcePartitions: number;
  /** The vertex's max parallelism (key groups). */
  maxParallelism: number;
  scaleFactor: number;
  lowerLimit: number;
  upperLimit: number;
  adjustMode: AutoscalerOptions['adjustMode'];
}

export interface ScaleResult {
  parallelism: number;
  /** ceil(scaleFactor × p) before limits. */
  raw: number;
  /** After the lower and upper limits. */
  clamped: number;
  /** How the alignment went, in words, e.g. "ceil 5.74 → 6 → 8, the first divisor of max parallelism 128". */
  step: string;
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));

/**
 * JobVertexScaler.scale (release 1.15): ceil(scaleFactor × p), limited, then — for a source with
 * known partitions or a vertex behind a keyBy — moved up to the first divisor of the partitions
 * (or key groups), else down to where each subtask's share grows, never reversing the direction.
 */
export function scaleParallelism(input: ScaleInput): ScaleResult {
  const { currentParallelism: current, maxParallelism, scaleFactor, lowerLimit, upperLimit } = input;
  const product = scaleFactor * current;
  const raw = Math.min(Math.ceil(product), 2 ** 31 - 1);
  const upperBound = Math.min(maxParallelism, upperLimit);
  const clamped = Math.min(Math.max(lowerLimit, raw), upperBound);
  const head = `ceil ${fmt(product)} → ${raw}${clamped !== raw ? ` → ${clamped} (limits ${lowerLimit}–${upperBound})` : ''}`;
  const align = input.numSourcePartitions > 0 || input.keyedInput;
  if (!align)
    return {
      parallelism: clamped,
      raw,
      clamped,
      step: `${head}, not aligned (no keyBy input, no known partitions)`,
    };
  const n = input.numSourcePartitions > 0 ? input.numSourcePartitions : maxParallelism;
  const what = input.numSourcePartitions > 0 ? `source partitions ${n}` : `max parallelism ${n}`;
  if (clamped === current) return { parallelism: clamped, raw, clamped, step: `${head}, unchanged` };
  const up = clamped > current;
  const upperForAlignment = Math.min(n, upperBound);
  const phase1Upper = up ? upperForAlignment : Math.min(current, upperForAlignment);
  for (let p = clamped; p <= phase1Upper; p++) {
    if (n % p === 0) {
      const why = p === clamped ? `a divisor of ${what}` : `the first divisor of ${what}`;
      return { parallelism: p, raw, clamped, step: `${head}${p === clamped ? '' : ` → ${p}`}, ${why}` };
    }
    if (input.adjustMode === 'MAXIMIZE_UTILISATION' && Math.floor(n / p) < Math.floor(n / clamped)) {
      return {
        parallelism: p,
        raw,
        clamped,
        step: `${head} → ${p}, fewer ${what.split(' ')[0]} per subtask (MAXIMIZE_UTILISATION)`,
      };
    }
  }
  // No divisor above: the smallest p whose share ⌊n/p⌋ is the same as at the clamped value.
  let p = clamped;
  for (; p > 0; p--) {
    if (Math.floor(n / p) > Math.floor(n / clamped)) {
      if (n % p !== 0) p++;
      break;
    }
  }
  p = Math.max(p, lowerLimit);
  if ((up && p <= current) || (!up && p >= current)) {
    return {
      parallelism: current,
      raw,
      clamped,
      step: `${head}, no aligned value keeps the direction (${what}): unchanged`,
    };
  }
  return {
    parallelism: p,
    raw,
    clamped,
    step: `${head} → ${p}, same ${what} per subtask (no divisor above)`,
  };
}

/**
 * AutoScalerUtils.getTargetProcessingCapacity: catch-up rate + restart backlog + rate ÷ u, rounded
 * — the estimator's targetCapacity with the backlog term; u is clamped to [0, 1], 0 meaning ∞.
 */
export function processingCapacity(
  targetRate: number,
  catchUpRate: number,
  targets: Targets,
  utilization: number,
  withRestart: boolean,
): number {
  const u = Math.min(1, Math.max(0, utilization));
  if (u === 0) return Number.POSITIVE_INFINITY;
  return targetCapacity(
    targetRate,
    { ...targets, utilization: u, restartSeconds: withRestart ? targets.restartSeconds : 0 },
    catchUpRate,
  );
}

export interface VertexEvaluation {
  id: string;
  parallelism: number;
  recommendedParallelism: number;
  /** Busy time the autoscaler divides by (its aggregator over subtasks), ms per second. */
  busyTimeMsPerSecondUsed: number | null;
  inputRecordsPerSecond: number;
  /** TRUE_PROCESSING_RATE: the busy-time rate, or the observed one when the autoscaler switches to it. */
  trueProcessingRate: number | null;
  /** input ÷ busy fraction (computeTprFromBusyTime); null when busy time is NaN. */
  busyTimeTrueProcessingRate: number | null;
  /** OBSERVED_TPR averaged over the polls (sources catching up only); null when not measured. */
  observedTrueProcessingRate: number | null;
  /** Which of the two the autoscaler uses (ScalingMetricEvaluator.selectTprMetric). */
  trueProcessingRateFrom: 'busy-time' | 'observed';
  /** TARGET_DATA_RATE: records/s arriving (sources: input + backlog growth). */
  targetRecordsPerSecond: number;
  /** CATCH_UP_DATA_RATE: backlog ÷ catch-up duration. */
  catchUpRecordsPerSecond: number;
  /** getTargetProcessingCapacity at utilization.target with the restart term. */
  targetCapacity: number;
  scaleFactor: number | null;
  /** Scale factor after scale-down.max-factor and scale-up.max-factor. */
  cappedScaleFactor: number | null;
  alignmentStep: string;
  /** What the autoscaler would set now: recommendedParallelism, or p while a scale-down waits. */
  autoscalerParallelism: number;
  /** A scale-down: when it was first recommended and until when it waits (scale-down.interval). */
  scaleDown: { firstTriggeredAt: string; delayedUntil: string | null } | null;
  scaleUpThreshold: number;
  scaleDownThreshold: number;
  outsideUtilizationBand: boolean;
  /** The autoscaler would change this vertex's parallelism (the job acts and p changes). */
  autoscalerWouldAct: boolean;
  /** Measured records out per record in on each input edge (input vertex id → ratio). */
  inputOutputRatios: Record<string, number>;
}

export interface Evaluation {
  vertices: VertexEvaluation[];
  /** A source's backlog exceeds backlog-processing.lag-threshold: no scale-down, scale up at 100%. */
  processingBacklog: boolean;
  /** The autoscaler acts when at least one vertex with a new parallelism is outside its band. */
  autoscalerWouldAct: boolean;
}

/** Vertices in topological order (Kahn); the autoscaler evaluates inputs before their consumers. */
export function topologicalOrder(vertices: readonly ObservedVertex[]): ObservedVertex[] {
  const byId = new Map(vertices.map((v) => [v.id, v]));
  const done = new Set<string>();
  const out: ObservedVertex[] = [];
  while (out.length < vertices.length) {
    const next = vertices.find(
      (v) => !done.has(v.id) && v.inputs.every((i) => done.has(i.id) || !byId.has(i.id)),
    );
    if (next === undefined) throw new Error('The job graph has a cycle');
    done.add(next.id);
    out.push(next);
  }
  return out;
}

/** Busy time per the aggregator: MAX and MIN over subtasks, AVG the mean (ms per second). */
function busyUsed(v: ObservedVertex, aggregator: AutoscalerOptions['busyTimeAggregator']): number | null {
  const b = v.busyTimeMsPerSecond;
  if (b === null) return null;
  return aggregator === 'MAX' ? b.max : aggregator === 'MIN' ? (b.min ?? b.avg) : b.avg;
}

/** ScalingMetricEvaluator.computeEdgeDataRate / computeEdgeOutputRatio for the edge from → to. */
function edgeOutputRatio(
  from: ObservedVertex,
  to: ObservedVertex,
  all: Map<string, ObservedVertex>,
  outputs: Map<string, number>,
): number {
  if (from.recordsInPerSecond <= 0) return 0;
  let edgeRate: number;
  if (to.inputs.length === 1) {
    edgeRate = to.recordsInPerSecond;
  } else {
    let others = 0;
    let known = true;
    for (const input of to.inputs) {
      if (input.id === from.id) continue;
      const other = all.get(input.id);
      if (other && (outputs.get(input.id) ?? 0) === 1) others += other.recordsOutPerSecond;
      else known = false;
    }
    edgeRate = known ? to.recordsInPerSecond - others : from.recordsOutPerSecond;
  }
  return edgeRate > 0 ? edgeRate / from.recordsInPerSecond : 0;
}

/**
 * ScalingMetrics.getObservedTpr per poll of a source, averaged as ScalingMetricEvaluator.getAverage
 * with min-observations: a poll counts while the source is catching up (backlog ≥ lag-threshold ×
 * its input rate) and is not fully back-pressured; its rate is input ÷ (1 − back-pressured share).
 * A poll with no input is +∞ (room to scale down). NaN when not measured.
 */
export function observedTrueProcessingRate(v: ObservedVertex, options: AutoscalerOptions): number {
  if (v.inputs.length > 0 || !v.sourceSamples) return Number.NaN;
  let sum = 0;
  let n = 0;
  let infinite = false;
  for (const s of v.sourceSamples) {
    if (s.recordsInPerSecond === 0) {
      infinite = true;
      continue;
    }
    const catchingUp =
      (s.pendingRecords ?? 0) >= options.observedTprLagThresholdSeconds * s.recordsInPerSecond;
    const bp = s.backPressuredMsPerSecond;
    if (!catchingUp || bp === null || bp >= 1000) continue;
    sum += s.recordsInPerSecond / (1 - bp / 1000);
    n++;
  }
  if (n === 0) return infinite ? Number.POSITIVE_INFINITY : Number.NaN;
  return n < options.observedTprMinObservations ? Number.NaN : sum / n;
}

/**
 * ScalingMetricEvaluator.selectTprMetric: the observed rate when there is no usable busy-time
 * rate, or when the busy-time one exceeds it by more than switch-threshold.
 */
function selectTpr(busy: number | null, observed: number, switchThreshold: number) {
  if (
    Number.isNaN(observed) ||
    (busy !== null && Number.isFinite(busy) && busy <= observed * (1 + switchThreshold))
  )
    return { tpr: busy, from: 'busy-time' as const };
  return { tpr: observed, from: 'observed' as const };
}

export interface EvaluationContext {
  /** Earlier evaluations of the same job, oldest first (the autoscaler's pending scale-downs). */
  history?: readonly PriorEvaluation[];
  /** When this evaluation happens, ms since the epoch; default the observation's time. */
  nowMs?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Applies the autoscaler's evaluation and scaling rules to every vertex of an observation. */
export function evaluate(
  observation: Observation,
  targets: Targets,
  options: AutoscalerOptions = defaultAutoscalerOptions,
  context: EvaluationContext = {},
): Evaluation {
  const ordered = topologicalOrder(observation.vertices);
  const all = new Map(ordered.map((v) => [v.id, v]));
  const outputs = new Map<string, number>();
  for (const v of ordered) for (const i of v.inputs) outputs.set(i.id, (outputs.get(i.id) ?? 0) + 1);
  const catchUpSeconds = targets.catchUpMinutes * 60;
  const nowMs = context.nowMs ?? Date.parse(observation.observedAt);
  const pending = replayScaleDowns(
    context.history ?? [],
    new Map(ordered.map((v) => [v.id, v.parallelism])),
    options.scaleDownIntervalSeconds,
  );
  const processingBacklog = ordered.some(
    (v) =>
      v.inputs.length === 0 &&
      v.recordsInPerSecond > 0 &&
      (v.pendingRecords ?? 0) / v.recordsInPerSecond > options.backlogLagThresholdSeconds,
  );
  const upperU = processingBacklog ? 1 : targets.utilization + options.utilizationBoundary;
  const lowerU = processingBacklog ? 0 : targets.utilization - options.utilizationBoundary;

  const rates = new Map<string, { target: number; catchUp: number }>();
  const vertices: VertexEvaluation[] = [];
  /** The utilization-band flag of what would be applied now (the highest recommendation's, after a delay). */
  const outsideAfter: boolean[] = [];
  for (const v of ordered) {
    const ratios: Record<string, number> = {};
    let target = 0;
    let catchUp = 0;
    if (v.inputs.length === 0) {
      target = Math.max(0, v.recordsInPerSecond + (v.pendingRecordsPerSecond ?? 0));
      catchUp = catchUpSeconds === 0 ? 0 : (v.pendingRecords ?? 0) / catchUpSeconds;
    } else {
      for (const input of v.inputs) {
        const from = all.get(input.id);
        const upstream = rates.get(input.id);
        if (!from || !upstream) continue;
        const ratio = edgeOutputRatio(from, v, all, outputs);
        ratios[input.id] = ratio;
        target += upstream.target * ratio;
        catchUp += upstream.catchUp * ratio;
      }
    }
    rates.set(v.id, { target, catchUp });

    const busy = busyUsed(v, options.busyTimeAggregator);
    // computeTprFromBusyTime: nothing coming in means unbounded capacity until data flows.
    const busyTpr =
      busy === null
        ? null
        : v.recordsInPerSecond === 0
          ? Number.POSITIVE_INFINITY
          : v.recordsInPerSecond / (busy / 1000);
    const observed = observedTrueProcessingRate(v, options);
    const { tpr, from } = selectTpr(busyTpr, observed, options.observedTprSwitchThreshold);
    const capacity = processingCapacity(target, catchUp, targets, targets.utilization, true);
    const up = processingCapacity(target, catchUp, targets, upperU, false);
    const down = processingCapacity(target, catchUp, targets, lowerU, true);
    const p = v.parallelism;
    let recommended = p;
    let scaleFactor: number | null = null;
    let capped: number | null = null;
    let step = 'busy time unknown (NaN): no recommendation, as the autoscaler';
    if (tpr !== null && tpr > 0) {
      scaleFactor = capacity / tpr;
      capped = Math.min(Math.max(scaleFactor, 1 - options.scaleDownMaxFactor), 1 + options.scaleUpMaxFactor);
      const scaled = scaleParallelism({
        currentParallelism: p,
        keyedInput: v.inputs.some((i) => i.shipStrategy === 'HASH'),
        numSourcePartitions: v.inputs.length === 0 ? (v.sourcePartitions ?? 0) : 0,
        maxParallelism: v.maxParallelism,
        scaleFactor: capped,
        lowerLimit: Math.min(p, options.vertexMinParallelism),
        upperLimit: Math.max(p, options.vertexMaxParallelism),
        adjustMode: options.adjustMode,
      });
      recommended = scaled.parallelism;
      step = scaled.step;
    }
    const outside = tpr !== null && (tpr < up || tpr > down);
    const decision = decideScaleDown(
      pending,
      v.id,
      nowMs,
      p,
      recommended,
      outside,
      options.scaleDownIntervalSeconds,
    );
    if (decision.delayedUntilMs !== null)
      step += `; scale-down delayed until ${iso(decision.delayedUntilMs)} (scale-down.interval ${fmt(options.scaleDownIntervalSeconds)} s)`;
    else if (decision.firstTriggerMs !== null && decision.parallelism !== recommended)
      step += `; after scale-down.interval: ${decision.parallelism}, the highest recommended since ${iso(decision.firstTriggerMs)}`;
    outsideAfter.push(decision.outside);
    vertices.push({
      id: v.id,
      parallelism: p,
      recommendedParallelism: recommended,
      busyTimeMsPerSecondUsed: busy,
      inputRecordsPerSecond: v.recordsInPerSecond,
      trueProcessingRate: tpr,
      busyTimeTrueProcessingRate: busyTpr,
      observedTrueProcessingRate: Number.isNaN(observed) ? null : observed,
      trueProcessingRateFrom: from,
      targetRecordsPerSecond: target,
      catchUpRecordsPerSecond: catchUp,
      targetCapacity: capacity,
      scaleFactor,
      cappedScaleFactor: capped,
      alignmentStep: step,
      autoscalerParallelism: decision.parallelism,
      scaleDown:
        decision.firstTriggerMs === null
          ? null
          : {
              firstTriggeredAt: iso(decision.firstTriggerMs),
              delayedUntil: decision.delayedUntilMs === null ? null : iso(decision.delayedUntilMs),
            },
      scaleUpThreshold: up,
      scaleDownThreshold: down,
      outsideUtilizationBand: outside,
      autoscalerWouldAct: false,
      inputOutputRatios: ratios,
    });
  }
  // ScalingExecutor.computeScalingSummary: when one changed vertex is outside its band, every
  // changed vertex is rescaled; when none is, nothing is ("All vertex processing rates are within
  // target"). A delayed scale-down is no change (JobVertexScaler.applyScaleDownInterval).
  const changed = vertices.map((v, i) => ({ v, outside: outsideAfter[i] === true }));
  const acts = changed.some(({ v, outside }) => outside && v.autoscalerParallelism !== v.parallelism);
  for (const v of vertices) v.autoscalerWouldAct = acts && v.autoscalerParallelism !== v.parallelism;
  return { vertices, processingBacklog, autoscalerWouldAct: acts };
}
