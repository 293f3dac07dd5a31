/**
 * Calibrate from a running job: read it (JobManager REST, Prometheus or a snapshot) into an
 * Observation, apply the autoscaler's rules, and build the calibrated JobSpec and its estimate.
 * Everything but the reading is pure; the reading goes through SafeClient (allow-list, no
 * redirects, timeouts, size caps, bounded calls in flight).
 */
import type { Model } from '../estimator/index.js';
import type { JobSpec } from '../jobspec/index.js';
import type { Estimate } from '../schemas/estimate.js';
import {
  type Evaluation,
  type EvaluationContext,
  evaluate,
  topologicalOrder,
  type VertexEvaluation,
} from './evaluate.js';
import { type Clock, collectSnapshot } from './flink-rest.js';
import type { SpecMapping } from './mapping.js';
import type { Observation } from './observation.js';
import { collectFromPrometheus, topologyFromPaste, topologyFromRest } from './prometheus.js';
import type { CalibrationRequest } from './request.js';
import { checkUrl, type FetchPolicy, type Limiter, SafeClient } from './safety.js';
import { observationFromSnapshot } from './snapshot.js';
import { type CalibratedSpec, calibrateSpec, type MemoryCheck, type NodeCalibration } from './spec.js';

export interface CalibrationDeps {
  policy: FetchPolicy;
  limiter: Limiter;
  clock?: Clock;
  /** Seconds since the epoch, for a Prometheus window with no `at`. */
  now?: () => number;
}

/** Reads the source into an Observation; the only step that touches the network. */
export async function observe(request: CalibrationRequest, deps: CalibrationDeps): Promise<Observation> {
  const source = request.source;
  if (source.kind === 'snapshot')
    return observationFromSnapshot(source.snapshot, { source: { kind: 'snapshot' } });
  const client = (url: string, token: string | undefined, path: string) =>
    new SafeClient(checkUrl(url, deps.policy.allowedHosts, path), deps.policy, deps.limiter, token);
  if (source.kind === 'flink-rest') {
    const rest = client(source.url, source.token, 'source.url');
    const windowSeconds = source.windowSeconds ?? request.windowSeconds ?? 0;
    const snapshot = await collectSnapshot(rest, {
      ...(source.jobId ? { jobId: source.jobId } : {}),
      windowSeconds,
      ...(deps.clock ? { clock: deps.clock } : {}),
    });
    return observationFromSnapshot(snapshot, { source: { kind: 'flink-rest', host: rest.host } });
  }
  const prometheus = client(source.url, source.token, 'source.url');
  const rest = source.restUrl ? client(source.restUrl, source.restToken, 'source.restUrl') : undefined;
  const at =
    source.at === undefined
      ? (deps.now ?? (() => Date.now() / 1000))()
      : typeof source.at === 'number'
        ? source.at
        : Date.parse(source.at) / 1000;
  const pasted = source.plan;
  return collectFromPrometheus(
    prometheus,
    {
      ...(source.jobId ? { jobId: source.jobId } : {}),
      ...(source.jobName ? { jobName: source.jobName } : {}),
      windowSeconds: source.windowSeconds,
      at,
    },
    async (jobId) =>
      pasted !== undefined ? topologyFromPaste(pasted) : topologyFromRest(rest as SafeClient, jobId),
  );
}

/** Infinity (nothing flows, or utilization 0) is not JSON: shown as null, "unbounded". */
const finiteOrNull = (x: number | null) => (x === null || !Number.isFinite(x) ? null : x);

export interface CalibratedVertex {
  id: string;
  name: string;
  operators: string[];
  parallelism: number;
  recommendedParallelism: number;
  maxParallelism: number;
  busyTimeMsPerSecond: { avg: number; max: number } | null;
  backPressuredTimeMsPerSecond: { avg: number; max: number } | null;
  idleTimeMsPerSecond: { avg: number; max: number } | null;
  inputRecordsPerSecond: number;
  outputRecordsPerSecond: number;
  trueProcessingRate: number | null;
  busyTimeTrueProcessingRate: number | null;
  observedTrueProcessingRate: number | null;
  trueProcessingRateFrom: VertexEvaluation['trueProcessingRateFrom'];
  targetRecordsPerSecond: number;
  catchUpRecordsPerSecond: number;
  targetCapacity: number | null;
  scaleFactor: number | null;
  cappedScaleFactor: number | null;
  alignmentStep: string;
  autoscalerParallelism: number;
  scaleDown: VertexEvaluation['scaleDown'];
  scaleUpThreshold: number | null;
  scaleDownThreshold: number | null;
  outsideUtilizationBand: boolean;
  autoscalerWouldAct: boolean;
  sourcePartitions: number | null;
  measuredMicrosPerRecord: number | null;
  modeledMicrosPerRecord: number;
  calibratedMicrosPerRecord: number;
  measuredStateBytes: number | null;
  modeledStateBytes: number;
  nodes: NodeCalibration[];
}

export interface CalibrationResult {
  source: Observation['source'];
  jobId: string;
  jobName: string;
  flinkVersion: string | null;
  windowSeconds: number;
  observedAt: string;
  autoscalerWouldAct: boolean;
  processingBacklog: boolean;
  /** pipeline.jobvertex-parallelism-overrides for the recommendation, to apply by hand. */
  parallelismOverrides: string;
  vertices: CalibratedVertex[];
  spec: JobSpec;
  estimate: Estimate;
  modelVersion: string;
  checkpoint: CalibratedSpec['checkpoint'];
  memoryCheck: MemoryCheck | null;
  mapping: SpecMapping | null;
  warnings: string[];
  notes: string[];
}

const msPair = (x: { avg: number; max: number } | null) => (x === null ? null : { avg: x.avg, max: x.max });

function vertexResult(
  v: Observation['vertices'][number],
  e: VertexEvaluation,
  c: CalibratedSpec['vertices'][number] | undefined,
): CalibratedVertex {
  return {
    id: v.id,
    name: v.name,
    operators: v.operators,
    parallelism: v.parallelism,
    recommendedParallelism: e.recommendedParallelism,
    maxParallelism: v.maxParallelism,
    busyTimeMsPerSecond: msPair(v.busyTimeMsPerSecond),
    backPressuredTimeMsPerSecond: msPair(v.backPressuredTimeMsPerSecond),
    idleTimeMsPerSecond: msPair(v.idleTimeMsPerSecond),
    inputRecordsPerSecond: v.recordsInPerSecond,
    outputRecordsPerSecond: v.recordsOutPerSecond,
    trueProcessingRate: finiteOrNull(e.trueProcessingRate),
    busyTimeTrueProcessingRate: finiteOrNull(e.busyTimeTrueProcessingRate),
    observedTrueProcessingRate: finiteOrNull(e.observedTrueProcessingRate),
    trueProcessingRateFrom: e.trueProcessingRateFrom,
    targetRecordsPerSecond: e.targetRecordsPerSecond,
    catchUpRecordsPerSecond: e.catchUpRecordsPerSecond,
    targetCapacity: finiteOrNull(e.targetCapacity),
    scaleFactor: finiteOrNull(e.scaleFactor),
    cappedScaleFactor: finiteOrNull(e.cappedScaleFactor),
    alignmentStep: e.alignmentStep,
    autoscalerParallelism: e.autoscalerParallelism,
    scaleDown: e.scaleDown,
    scaleUpThreshold: finiteOrNull(e.scaleUpThreshold),
    scaleDownThreshold: finiteOrNull(e.scaleDownThreshold),
    outsideUtilizationBand: e.outsideUtilizationBand,
    autoscalerWouldAct: e.autoscalerWouldAct,
    sourcePartitions: v.sourcePartitions ?? null,
    measuredMicrosPerRecord: c?.measuredMicrosPerRecord ?? null,
    modeledMicrosPerRecord: c?.modeledMicrosPerRecord ?? 0,
    calibratedMicrosPerRecord: c?.calibratedMicrosPerRecord ?? 0,
    measuredStateBytes: c?.measuredStateBytes ?? null,
    modeledStateBytes: c?.modeledStateBytes ?? 0,
    nodes: c?.nodes ?? [],
  };
}

/** The whole answer for an Observation: recommendation, calibrated spec and estimate. */
export function calibrationResult(
  observation: Observation,
  request: CalibrationRequest,
  model: Model,
  context: EvaluationContext = {},
  user?: { spec: JobSpec; from: SpecMapping['from'] },
): CalibrationResult {
  const evaluation: Evaluation = evaluate(observation, request.targets, request.autoscaler, context);
  const calibrated = calibrateSpec({
    observation,
    evaluation,
    targets: request.targets,
    ...(request.targetLoad ? { targetLoad: request.targetLoad } : {}),
    model,
    ...(user ? { user } : {}),
  });
  const byId = new Map(evaluation.vertices.map((e) => [e.id, e]));
  const costs = new Map(calibrated.vertices.map((c) => [c.id, c]));
  const vertices = topologicalOrder(observation.vertices).map((v) =>
    vertexResult(v, byId.get(v.id) as VertexEvaluation, costs.get(v.id)),
  );
  return {
    source: observation.source,
    jobId: observation.jobId,
    jobName: observation.jobName,
    flinkVersion: observation.flinkVersion ?? null,
    windowSeconds: observation.windowSeconds,
    observedAt: observation.observedAt,
    autoscalerWouldAct: evaluation.autoscalerWouldAct,
    processingBacklog: evaluation.processingBacklog,
    parallelismOverrides: vertices.map((v) => `${v.id}:${v.recommendedParallelism}`).join(','),
    vertices,
    spec: calibrated.spec,
    estimate: calibrated.estimate,
    modelVersion: calibrated.estimate.modelVersion,
    checkpoint: calibrated.checkpoint,
    memoryCheck: calibrated.memoryCheck,
    mapping: calibrated.mapping,
    warnings: observation.warnings,
    notes: calibrated.notes,
  };
}
