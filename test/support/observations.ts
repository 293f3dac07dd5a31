/** Hand-built Observations for the autoscaler and calibrated-spec tests. */
import type { Observation, ObservedVertex } from '../../src/calibration/observation.js';

/** A vertex with nothing measured but what is given (parallelism 1, 720 key groups). */
export const vertex = (v: Partial<ObservedVertex> & { id: string }): ObservedVertex => ({
  name: v.id,
  operators: [v.id],
  parallelism: 1,
  maxParallelism: 720,
  inputs: [],
  recordsInPerSecond: 0,
  recordsOutPerSecond: 0,
  busyTimeMsPerSecond: null,
  backPressuredTimeMsPerSecond: null,
  idleTimeMsPerSecond: null,
  ...v,
});

/** A job of these vertices, observed at midnight of 2026-12-02. */
export const observation = (vertices: ObservedVertex[]): Observation => ({
  source: { kind: 'snapshot' },
  jobId: 'j',
  jobName: 'job',
  windowSeconds: 0,
  observedAt: '2026-12-02T00:00:00.000Z',
  vertices,
  warnings: [],
});

/**
 * A source (p 1) feeding vertex `v` one to one, sized as `evaluated(p, targetRate, tpr)` in the
 * operator's JobVertexScalerTest: v's busy time makes its true processing rate `tpr`.
 */
export function evaluatedJob(p: number, targetRate: number, tpr: number, shipStrategy: string): Observation {
  const busy = (1000 * targetRate) / tpr;
  return observation([
    vertex({
      id: 'src',
      recordsInPerSecond: targetRate,
      recordsOutPerSecond: targetRate,
      busyTimeMsPerSecond: { avg: 1, max: 1 },
    }),
    vertex({
      id: 'v',
      parallelism: p,
      inputs: [{ id: 'src', shipStrategy }],
      recordsInPerSecond: targetRate,
      busyTimeMsPerSecond: { avg: busy, max: busy },
    }),
  ]);
}
