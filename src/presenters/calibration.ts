import type { CalibrationResult } from '../calibration/index.js';
import { counted } from '../estimator/text.js';
import { formatBytes, formatNumber, formatRate } from '../format.js';

/** What the calibration partial shows: every number formatted here, none computed in a template. */
export function calibrationView(result: CalibrationResult & { id?: string }) {
  const ms = (x: { avg: number; max: number } | null) =>
    x === null ? 'NaN' : `${formatNumber(x.avg, 0)} / ${formatNumber(x.max, 0)}`;
  const orUnbounded = (x: number | null, f: (v: number) => string) => (x === null ? 'unbounded' : f(x));
  const micros = (x: number | null) => (x === null ? 'not measured' : `${formatNumber(x, 2)} µs`);
  return {
    id: result.id,
    headline: `${result.jobName} (${result.jobId}): ${result.autoscalerWouldAct ? 'the autoscaler would rescale this job' : 'the autoscaler would leave this job as it is'}${result.processingBacklog ? ', while it catches up a backlog' : ''}.`,
    source: `${result.source.kind}${result.source.host ? ` · ${result.source.host}` : ''} · ${result.windowSeconds > 0 ? `counters over ${formatNumber(result.windowSeconds, 0)} s` : 'one read of the gauges'} · ${result.observedAt}`,
    overrides: result.parallelismOverrides,
    modelVersion: result.modelVersion,
    vertices: result.vertices.map((v) => ({
      id: v.id,
      name: v.name,
      operators: v.operators,
      parallelism: `${v.parallelism} → ${v.recommendedParallelism}`,
      busy: ms(v.busyTimeMsPerSecond),
      backPressured: ms(v.backPressuredTimeMsPerSecond),
      idle: ms(v.idleTimeMsPerSecond),
      trueProcessingRate: `${orUnbounded(v.trueProcessingRate, formatRate)}${v.trueProcessingRateFrom === 'observed' ? ' (observed while catching up)' : ''}`,
      target: formatRate(v.targetRecordsPerSecond),
      scaleFactor: v.scaleFactor === null ? '—' : formatNumber(v.scaleFactor, 3),
      step: v.alignmentStep,
      band: `${orUnbounded(v.scaleUpThreshold, formatRate)} – ${orUnbounded(v.scaleDownThreshold, formatRate)}`,
      acts: v.autoscalerWouldAct
        ? 'yes'
        : v.scaleDown?.delayedUntil
          ? `not yet: scale-down delayed until ${v.scaleDown.delayedUntil}`
          : v.outsideUtilizationBand
            ? 'outside its band, but p unchanged'
            : 'no (inside its band)',
    })),
    costs: result.vertices.flatMap((v) =>
      v.nodes.map((n) => ({
        vertex: v.name,
        node: n.id,
        kind: n.kind,
        modeled: micros(n.modeledMicrosPerRecord),
        measured: micros(n.measuredMicrosPerRecord),
        costFactor: n.costFactor === null ? '—' : formatNumber(n.costFactor, 3),
      })),
    ),
    chains: result.vertices.map((v) => ({
      name: v.name,
      measured: micros(v.measuredMicrosPerRecord),
      modeled: micros(v.modeledMicrosPerRecord),
      calibrated: micros(v.calibratedMicrosPerRecord),
      state: `${v.measuredStateBytes === null ? 'not measured' : formatBytes(v.measuredStateBytes)} measured · ${formatBytes(v.modeledStateBytes)} modelled`,
    })),
    checkpoint: {
      state: `${result.checkpoint.measuredStateBytes === null ? 'not measured' : formatBytes(result.checkpoint.measuredStateBytes)} measured · ${formatBytes(result.checkpoint.modeledStateBytes)} modelled`,
      size: `${result.checkpoint.measuredCheckpointBytes === null ? 'not measured' : formatBytes(result.checkpoint.measuredCheckpointBytes)} measured · ${formatBytes(result.checkpoint.modeledCheckpointBytes)} modelled`,
    },
    memory:
      result.memoryCheck === null
        ? null
        : {
            equal: result.memoryCheck.equal,
            note: result.memoryCheck.note,
            components: result.memoryCheck.components.map((c) => ({
              name: c.name,
              flink: formatBytes(c.flink),
              model: c.model === null ? '—' : formatBytes(c.model),
              equal: c.equal ? 'equal' : 'differs',
            })),
          },
    estimate: `${counted(result.estimate.taskManagers.count, 'TaskManager')} × ${result.estimate.taskManagers.cpu} CPU, parallelism ${result.estimate.parallelism.default}, ${formatNumber(result.estimate.cpu.totalCores, 1)} cores`,
    // Older stored calibrations predate the mapping: no field at all.
    mapping: result.mapping
      ? {
          from: result.mapping.from === 'estimation' ? 'the saved estimation' : 'the spec given',
          nodes: result.mapping.nodes.map((n) => ({
            id: n.id,
            where:
              n.vertexId === null
                ? 'no vertex: kept as given'
                : `${result.vertices.find((v) => v.id === n.vertexId)?.name ?? n.vertexId} (by ${n.matchedBy === 'flinkVertexId' ? 'its flinkVertexId' : n.matchedBy === 'kind' ? 'role and kind' : 'role'})`,
          })),
          unmatchedVertices: result.mapping.unmatchedVertices.map((v) => v.name),
        }
      : null,
    warnings: result.warnings,
    notes: result.notes,
  };
}
