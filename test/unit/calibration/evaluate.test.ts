/**
 * Golden cases for the autoscaler rules, re-derived by hand from the Flink Kubernetes Operator's
 * own unit tests (flink-autoscaler release 1.15: JobVertexScalerTest, ScalingMetricEvaluatorTest):
 * the same inputs, the arithmetic redone here, the same answers.
 */
import { describe, expect, it } from 'vitest';
import {
  defaultAutoscalerOptions,
  evaluate,
  processingCapacity,
  type ScaleInput,
  scaleParallelism,
} from '../../../src/calibration/evaluate.js';
import { evaluatedJob, observation, vertex } from '../../support/observations.js';

const MAX_INT = 2 ** 31 - 1;
const base: ScaleInput = {
  currentParallelism: 1,
  keyedInput: false,
  numSourcePartitions: 0,
  maxParallelism: 720,
  scaleFactor: 1,
  lowerLimit: 1,
  upperLimit: MAX_INT,
  adjustMode: 'EVENLY_SPREAD',
};
const scale = (p: number, maxParallelism: number, scaleFactor: number, more: Partial<ScaleInput> = {}) =>
  scaleParallelism({ ...base, currentParallelism: p, maxParallelism, scaleFactor, ...more }).parallelism;

describe('JobVertexScaler.scale, re-derived', () => {
  it('without alignment: ceil(factor × p) within [1, max parallelism] (testParallelismComputation)', () => {
    expect(scale(1, 720, 0.0001)).toBe(1);
    expect(scale(2, 720, 0.1)).toBe(1);
    expect(scale(6, 720, 0.8)).toBe(5); // ceil 4.8
    expect(scale(16, 128, 1.5)).toBe(24);
    expect(scale(200, 720, 2)).toBe(400);
    expect(scale(200, 720, MAX_INT)).toBe(720);
  });

  it('behind a keyBy: the first divisor of the key groups (testParallelismComputationWithAdjustment)', () => {
    const keyed = { keyedInput: true };
    expect(scale(6, 36, 0.8, keyed)).toBe(6); // 5 does not divide 36; a scale-down stops at p
    expect(scale(16, 128, 1.5, keyed)).toBe(32); // 24 → 32
    expect(scale(200, 720, 1.3, keyed)).toBe(360); // 260 → 360
    expect(scale(200, 720, MAX_INT, keyed)).toBe(720);
    expect(scale(10, 128, 2.5, keyed)).toBe(32); // 25 → 32 (EVENLY_SPREAD)
    expect(scale(10, 128, 2.5, { ...keyed, adjustMode: 'MAXIMIZE_UTILISATION', upperLimit: 128 })).toBe(26);
  });

  it('with limits: lower limit first, then down to the same share when no divisor fits (testParallelismComputationWithLimit)', () => {
    const keyed = { keyedInput: true };
    expect(scale(6, 720, 0.8, { ...keyed, upperLimit: 700 })).toBe(5);
    expect(scale(8, 720, 0.8, { ...keyed, lowerLimit: 8, upperLimit: 700 })).toBe(8);
    expect(scale(16, 128, 1.5, { ...keyed, lowerLimit: 60 })).toBe(64); // 60 → 64
    expect(scale(200, 720, 2, { ...keyed, upperLimit: 300 })).toBe(240); // 300: 720/300 = 2 … 240 (3 each)
    expect(scale(200, 720, MAX_INT, { ...keyed, upperLimit: 600 })).toBe(360);
  });

  it('describes the alignment step in words', () => {
    const r = scaleParallelism({
      ...base,
      currentParallelism: 2,
      maxParallelism: 128,
      scaleFactor: 2.87,
      keyedInput: true,
    });
    expect(r.parallelism).toBe(8);
    expect(r.step).toBe('ceil 5.74 → 6 → 8, the first divisor of max parallelism 128');
  });

  it('a source with known partitions aligns on them, not on key groups', () => {
    expect(scale(2, 128, 2.5, { numSourcePartitions: 48 })).toBe(6); // 5 → 6 divides 48
  });

  // JobVertexScalerTest.testNumPartitionsAdjustment (operator 1.13+): a source aligns on its
  // partitions up to min(partitions, upper bound); when no divisor fits it steps back to the
  // smallest parallelism that gives each subtask no more partitions than ceil(factor × p) does.
  it('source partitions: the first divisor, else the same partitions per subtask (testNumPartitionsAdjustment)', () => {
    const source = (p: number, partitions: number, maxParallelism: number, factor: number, more = {}) =>
      scale(p, maxParallelism, factor, { numSourcePartitions: partitions, ...more });
    expect(source(6, 15, 128, 0.4)).toBe(3); // ceil 2.4 = 3 divides 15
    expect(source(7, 15, 128, 1.2)).toBe(15); // ceil 8.4 = 9; 9…14 do not divide 15, 15 does
    // ceil 18 ≤ 30; no divisor of 35 in 18…30; 35 ÷ 18 = 1 partition each, as from 18 → 18.
    expect(source(20, 35, 30, 0.9)).toBe(18);
    // ceil 24.2 = 25; none in 25…30; back to 18 (35 ÷ 17 = 2 would be more), then the lower limit
    // 20 — below the current 22 on a scale-up. Operators before the direction-safety guard answered
    // 20 (the test's old expectation); JobVertexScaler.scale with the guard keeps 22.
    expect(source(22, 35, 30, 1.1, { lowerLimit: 20 })).toBe(22);
    // ceil 112 ≤ 128; no divisor of 200 in 112…128; 200 ÷ 100 = 2 each, and 100 divides 200.
    expect(source(80, 200, 128, 1.4)).toBe(100);
    // 96 → 199 (prime) evenly; MAXIMIZE_UTILISATION stops at the first p with fewer partitions
    // each than 199 ÷ 96 = 2: p = 100 (99 subtasks read two, one reads one).
    expect(source(24, 199, MAX_INT, 4)).toBe(199);
    expect(source(24, 199, MAX_INT, 4, { adjustMode: 'MAXIMIZE_UTILISATION' })).toBe(100);
  });
});

describe('AutoScalerUtils.getTargetProcessingCapacity thresholds (testUtilizationBoundaryComputation)', () => {
  it('scale-up threshold without restart, scale-down threshold with it', () => {
    const noCatchUp = { utilization: 0.8, catchUpMinutes: 0, restartSeconds: 1 };
    expect(processingCapacity(700, 0, noCatchUp, 0.9, false)).toBe(778);
    expect(processingCapacity(700, 0, noCatchUp, 0.7, true)).toBe(1000);
    const twoSeconds = { utilization: 0.8, catchUpMinutes: 2 / 60, restartSeconds: 1 };
    expect(processingCapacity(700, 350, twoSeconds, 0.9, false)).toBe(1128); // 350 + 700/0.9
    expect(processingCapacity(700, 350, twoSeconds, 0.7, true)).toBe(1700); // 350 + 700·1/2 + 700/0.7
    expect(processingCapacity(700, 350, twoSeconds, 1, false)).toBe(1050); // catching up: u = 1
    expect(processingCapacity(700, 0, twoSeconds, 0, true)).toBe(Number.POSITIVE_INFINITY);
  });
});

const keyedJob = (p: number, targetRate: number, tpr: number) => evaluatedJob(p, targetRate, tpr, 'HASH');
const recommend = (p: number, target: number, tpr: number, utilization: number, options = {}) =>
  evaluate(
    keyedJob(p, target, tpr),
    { utilization, catchUpMinutes: 0, restartSeconds: 300 },
    {
      ...defaultAutoscalerOptions,
      scaleDownMaxFactor: 1,
      scaleUpMaxFactor: MAX_INT,
      ...options,
    },
  ).vertices[1]?.recommendedParallelism;

describe('computeScaleTargetParallelism, re-derived (testParallelismScaling, keyed inputs)', () => {
  it('scale factor = target capacity ÷ true processing rate', () => {
    expect(recommend(10, 50, 100, 1)).toBe(5);
    expect(recommend(10, 50, 100, 0.8)).toBe(8); // round(62.5) = 63 → 6.3 → 7 → 8 (divides 720)
    expect(recommend(10, 80, 100, 0.8)).toBe(10);
    expect(recommend(10, 60, 100, 0.8)).toBe(8);
    expect(recommend(10, 59, 100, 0.8)).toBe(8);
    expect(recommend(2, 100, 40, 0.5)).toBe(10);
    expect(recommend(2, 100, 100, 0.6)).toBe(4); // round(166.67) = 167 → 3.34 → 4
  });

  it('scale-down.max-factor and scale-up.max-factor cap the factor', () => {
    expect(recommend(10, 10, 100, 1, { scaleDownMaxFactor: 0.5 })).toBe(5);
    expect(recommend(10, 10, 100, 1, { scaleDownMaxFactor: 0.6 })).toBe(4);
    expect(recommend(10, 200, 10, 1, { scaleUpMaxFactor: 0.5 })).toBe(15);
    expect(recommend(10, 200, 10, 1, { scaleUpMaxFactor: 0.6 })).toBe(16);
  });
});

describe('evaluate with the defaults (utilization 0.7 ± 0.3, catch-up 30 min, restart 5 min)', () => {
  const defaults = { utilization: 0.7, catchUpMinutes: 30, restartSeconds: 300 };
  const source = (busyMax: number) =>
    observation([
      vertex({
        id: 'src',
        parallelism: 2,
        maxParallelism: 128,
        sourcePartitions: 48,
        recordsInPerSecond: 50_000,
        recordsOutPerSecond: 50_000,
        busyTimeMsPerSecond: { avg: busyMax - 50, max: busyMax },
      }),
    ]);

  it('a source 90% busy asks for 3 subtasks at the target but stays inside the band, so nothing happens', () => {
    const r = evaluate(source(900), defaults);
    const v = r.vertices[0];
    expect(v?.trueProcessingRate).toBeCloseTo(55_555.56, 2); // 50,000 ÷ 0.9
    expect(v?.targetCapacity).toBe(79_762); // round(50,000·300/1,800 + 50,000/0.7)
    expect(v?.recommendedParallelism).toBe(3); // ceil(2 × 1.4357) = 3, divides 48
    expect(v?.scaleUpThreshold).toBe(50_000);
    expect(v?.scaleDownThreshold).toBe(133_333);
    expect(v?.outsideUtilizationBand).toBe(false);
    expect(r.autoscalerWouldAct).toBe(false);
    expect(v?.autoscalerWouldAct).toBe(false);
  });

  it('above 100% of the capacity the autoscaler acts (TPR below the scale-up threshold)', () => {
    const fast = observation([
      vertex({
        id: 'src',
        parallelism: 2,
        sourcePartitions: 48,
        recordsInPerSecond: 50_000,
        pendingRecords: 9_000_000,
        busyTimeMsPerSecond: { avg: 1000, max: 1000 },
      }),
    ]);
    const r = evaluate(fast, defaults);
    // Backlog 9M ÷ 50,000 = 180 s < 300 s: not "processing backlog"; catch-up 9M/1800 = 5,000/s.
    expect(r.processingBacklog).toBe(false);
    expect(r.vertices[0]?.catchUpRecordsPerSecond).toBe(5000);
    expect(r.vertices[0]?.scaleUpThreshold).toBe(55_000); // round(5,000 + 50,000/1)
    expect(r.vertices[0]?.targetCapacity).toBe(84_762); // round(5,000 + 8,333.3 + 71,428.6)
    expect(r.vertices[0]?.recommendedParallelism).toBe(4); // ceil(2 × 1.695) = 4, divides 48
    expect(r.autoscalerWouldAct).toBe(true);
  });

  it('a NaN busy time gives no recommendation', () => {
    const r = evaluate(
      observation([vertex({ id: 'src', parallelism: 3, recordsInPerSecond: 10 })]),
      defaults,
    );
    expect(r.vertices[0]?.recommendedParallelism).toBe(3);
    expect(r.vertices[0]?.trueProcessingRate).toBeNull();
    expect(r.autoscalerWouldAct).toBe(false);
  });

  it('propagates target rates along edges by measured output ratios (computeEdgeOutputRatio)', () => {
    const r = evaluate(
      observation([
        vertex({
          id: 'a',
          recordsInPerSecond: 1000,
          recordsOutPerSecond: 1000,
          busyTimeMsPerSecond: { avg: 100, max: 100 },
        }),
        vertex({
          id: 'b',
          recordsInPerSecond: 400,
          recordsOutPerSecond: 400,
          busyTimeMsPerSecond: { avg: 100, max: 100 },
        }),
        vertex({
          id: 'join',
          inputs: [
            { id: 'a', shipStrategy: 'HASH' },
            { id: 'b', shipStrategy: 'HASH' },
          ],
          recordsInPerSecond: 1400,
          busyTimeMsPerSecond: { avg: 700, max: 700 },
        }),
      ]),
      defaults,
    );
    // Each input of the join has one output, so edge(a→join) = 1400 − 400 = 1000 (ratio 1).
    expect(r.vertices[2]?.inputOutputRatios).toEqual({ a: 1, b: 1 });
    expect(r.vertices[2]?.targetRecordsPerSecond).toBe(1400);
    expect(r.vertices[2]?.trueProcessingRate).toBeCloseTo(2000, 9); // 1400 ÷ 0.7
  });
});
