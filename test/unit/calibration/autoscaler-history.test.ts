/**
 * The autoscaler rules that need more than one sample, re-derived by hand from the Flink
 * Kubernetes Operator's own unit tests (flink-autoscaler release 1.15.0): the observed true
 * processing rate (ScalingMetricsTest.testComputeTprWithBackpressure / computeObservedTpr,
 * ScalingMetricEvaluatorTest.testObservedTprEvaluation / testMissingBusyTimeTpr) and the delayed
 * scale-down (JobVertexScalerTest.testScaleDownAfterInterval, testImmediateScaleUpWithinScaleDownInterval,
 * testCancelDelayedScaleDownAfterNewParallelismIsSame, testMaxRecommendedParallelismUsedAfterScaleDownInterval).
 */
import { describe, expect, it } from 'vitest';
import {
  type AutoscalerOptions,
  defaultAutoscalerOptions,
  type Evaluation,
  evaluate,
  observedTrueProcessingRate,
} from '../../../src/calibration/evaluate.js';
import type { ObservedVertex } from '../../../src/calibration/observation.js';
import type { PriorEvaluation } from '../../../src/calibration/scale-down.js';
import { evaluatedJob, observation, vertex } from '../../support/observations.js';

const options = (more: Partial<AutoscalerOptions> = {}): AutoscalerOptions => ({
  ...defaultAutoscalerOptions,
  ...more,
});
type Sample = NonNullable<ObservedVertex['sourceSamples']>[number];
const source = (samples: Sample[], more: Partial<ObservedVertex> = {}) =>
  vertex({ id: 'src', sourceSamples: samples, ...more });
const catchingUp = (recordsInPerSecond: number, backPressuredMsPerSecond: number): Sample => ({
  recordsInPerSecond,
  backPressuredMsPerSecond,
  pendingRecords: 10_000_000,
});

describe('observed true processing rate (ScalingMetrics.getObservedTpr)', () => {
  const one = options({ observedTprMinObservations: 1 });
  it('is input ÷ (1 − back-pressured share); fully back-pressured measures nothing', () => {
    expect(observedTrueProcessingRate(source([catchingUp(500, 0)]), one)).toBe(500);
    expect(observedTrueProcessingRate(source([catchingUp(250, 750)]), one)).toBe(1000); // 250 ÷ 0.25
    expect(observedTrueProcessingRate(source([catchingUp(100, 1000)]), one)).toBeNaN();
    expect(observedTrueProcessingRate(source([catchingUp(900, 100)]), one)).toBeCloseTo(1000, 9); // 900 ÷ 0.9
  });

  it('is measured only while the backlog is at least lag-threshold (30 s) of input; no input is +∞', () => {
    // 500 pending at 1,000/s is 0.5 s of input: not catching up.
    const shallow = { recordsInPerSecond: 1000, backPressuredMsPerSecond: 500, pendingRecords: 500 };
    expect(observedTrueProcessingRate(source([shallow]), one)).toBeNaN();
    // Exactly 30 s of input (30,000 at 1,000/s) is catching up: 1,000 ÷ 0.5.
    expect(observedTrueProcessingRate(source([{ ...shallow, pendingRecords: 30_000 }]), one)).toBe(2000);
    const idle = { recordsInPerSecond: 0, backPressuredMsPerSecond: 100, pendingRecords: 500 };
    expect(observedTrueProcessingRate(source([idle]), one)).toBe(Number.POSITIVE_INFINITY);
    // Only sources measure it.
    const inner = vertex({
      id: 'x',
      inputs: [{ id: 'src', shipStrategy: 'HASH' }],
      sourceSamples: [shallow],
    });
    expect(observedTrueProcessingRate(inner, one)).toBeNaN();
  });

  it('replaces the busy-time rate only when that is more than switch-threshold higher (testObservedTprEvaluation)', () => {
    // Observed 200 and 400 → average 300. Busy time: 35 records/s at 100 ms/s → 350.
    const job = observation([
      source([catchingUp(200, 0), catchingUp(400, 0)], {
        recordsInPerSecond: 35,
        busyTimeMsPerSecond: { avg: 100, max: 100 },
      }),
    ]);
    const targets = { utilization: 0.7, catchUpMinutes: 30, restartSeconds: 300 };
    const tpr = (more: Partial<AutoscalerOptions>) => evaluate(job, targets, options(more)).vertices[0];
    // 350 ≤ 300 × 1.2 = 360: busy time stays.
    expect(tpr({ observedTprSwitchThreshold: 0.2 })).toMatchObject({
      trueProcessingRate: 350,
      busyTimeTrueProcessingRate: 350,
      observedTrueProcessingRate: 300,
      trueProcessingRateFrom: 'busy-time',
    });
    // 350 > 300 × 1.1 = 330: the observed rate is used.
    expect(tpr({ observedTprSwitchThreshold: 0.1 })).toMatchObject({
      trueProcessingRate: 300,
      trueProcessingRateFrom: 'observed',
    });
    // Two observations are fewer than min-observations 3: busy time again.
    expect(tpr({ observedTprSwitchThreshold: 0.1, observedTprMinObservations: 3 })).toMatchObject({
      trueProcessingRate: 350,
      observedTrueProcessingRate: null,
    });
    // The default 15 %: 350 > 345, observed. One read (one sample) is below the default 2 observations.
    expect(tpr({})?.trueProcessingRateFrom).toBe('observed');
  });

  it('stands in for a NaN busy time (testMissingBusyTimeTpr)', () => {
    const job = observation([
      source([catchingUp(200, 0), catchingUp(400, 0)], { recordsInPerSecond: 1, busyTimeMsPerSecond: null }),
    ]);
    const v = evaluate(job, { utilization: 0.7, catchUpMinutes: 30, restartSeconds: 300 }).vertices[0];
    expect(v?.trueProcessingRate).toBe(300);
    expect(v?.busyTimeTrueProcessingRate).toBeNull();
  });
});

/** The operator tests' `evaluated(p = 100, targetDataRate, 1000)` with no alignment (NOT_ADJUST_INPUTS). */
const job = (targetRate: number, p = 100) => evaluatedJob(p, targetRate, 1000, 'REBALANCE');

/** Evaluations at t seconds, each seeing the ones before it as the autoscaler's history. */
function sequence(steps: Array<{ t: number; target: number; p?: number }>, intervalSeconds = 60) {
  const history: PriorEvaluation[] = [];
  const results: Evaluation[] = [];
  for (const s of steps) {
    const nowMs = Date.parse('2026-12-02T00:00:00Z') + s.t * 1000;
    const r = evaluate(
      job(s.target, s.p),
      { utilization: 1, catchUpMinutes: 0, restartSeconds: 300 },
      options({ scaleDownIntervalSeconds: intervalSeconds }),
      { history, nowMs },
    );
    results.push(r);
    history.push({ atMs: nowMs, vertices: r.vertices });
  }
  return results.map((r) => r.vertices[1]);
}

describe('scale-down.interval (JobVertexScaler.applyScaleDownInterval, DelayedScaleDown)', () => {
  it('0 scales down at once (testDisableScaleDownInterval)', () => {
    const [v] = sequence([{ t: 0, target: 500 }], 0);
    expect(v).toMatchObject({ recommendedParallelism: 50, autoscalerParallelism: 50, scaleDown: null });
    expect(v?.autoscalerWouldAct).toBe(true);
  });

  it('waits the interval, then applies the highest recommendation within it (testScaleDownAfterInterval)', () => {
    const vs = sequence([
      { t: 0, target: 800 },
      { t: 10, target: 900 },
      { t: 40, target: 720 },
      { t: 59, target: 640 },
      { t: 60, target: 700 },
    ]);
    expect(vs.map((v) => v?.recommendedParallelism)).toEqual([80, 90, 72, 64, 70]);
    expect(vs.map((v) => v?.autoscalerParallelism)).toEqual([100, 100, 100, 100, 90]);
    expect(vs[0]?.scaleDown).toEqual({
      firstTriggeredAt: '2026-12-02T00:00:00.000Z',
      delayedUntil: '2026-12-02T00:01:00.000Z',
    });
    expect(vs[0]?.alignmentStep).toContain('scale-down delayed until 2026-12-02T00:01:00.000Z');
    expect(vs[0]?.autoscalerWouldAct).toBe(false);
    expect(vs[4]?.scaleDown?.delayedUntil).toBeNull();
    // 90 was recommended at 900/s, inside the band (TPR 1,000 ≤ 900/0.7): the job does not act.
    expect(vs[4]?.autoscalerWouldAct).toBe(false);
    expect(vs[4]?.alignmentStep).toContain('after scale-down.interval: 90');
  });

  it('after the interval, a recommendation outside the band acts (testMaxRecommendedParallelismUsedAfterScaleDownInterval)', () => {
    const vs = sequence([
      { t: 0, target: 500 },
      { t: 30, target: 600 },
      { t: 65, target: 600 },
    ]);
    expect(vs.map((v) => v?.autoscalerParallelism)).toEqual([100, 100, 60]);
    // TPR 1,000 > scale-down threshold 600/0.7 ≈ 857: outside, so the job rescales.
    expect(vs[2]?.autoscalerWouldAct).toBe(true);
  });

  it('a scale-up is immediate and cancels the pending scale-down (testImmediateScaleUpWithinScaleDownInterval)', () => {
    const vs = sequence([
      { t: 0, target: 800 },
      { t: 10, target: 900 },
      { t: 12, target: 1700 },
      { t: 70, target: 800 },
    ]);
    expect(vs[2]).toMatchObject({ autoscalerParallelism: 170, autoscalerWouldAct: true });
    // Without the cancellation, t = 70 would be past t = 0 + 60 s and scale down.
    expect(vs[3]?.scaleDown?.firstTriggeredAt).toBe('2026-12-02T00:01:10.000Z');
    expect(vs[3]?.autoscalerParallelism).toBe(100);
  });

  it('the same parallelism cancels it too (testCancelDelayedScaleDownAfterNewParallelismIsSame); so does a rescale', () => {
    const same = sequence([
      { t: 0, target: 800 },
      { t: 12, target: 1000 },
      { t: 61, target: 800 },
    ]);
    expect(same[1]?.scaleDown).toBeNull();
    expect(same[2]?.autoscalerParallelism).toBe(100);
    // The job was rescaled from 100 to 90 between the calibrations: every pending scale-down goes.
    const rescaled = sequence([
      { t: 0, target: 800 },
      { t: 61, target: 700, p: 90 },
    ]);
    expect(rescaled[1]?.scaleDown?.firstTriggeredAt).toBe('2026-12-02T00:01:01.000Z');
    expect(rescaled[1]?.autoscalerParallelism).toBe(90);
  });

  it('each scale-down is capped by scale-down.max-factor, so a deep cut takes one interval per step', () => {
    // 100 → 10 wanted (100 records/s at TPR 1,000): the factor 0.1 is capped at 1 − 0.6 = 0.4.
    const vs = sequence([
      { t: 0, target: 100 },
      { t: 60, target: 100 },
    ]);
    expect(vs[0]?.scaleFactor).toBeCloseTo(0.1, 9);
    expect(vs[0]?.cappedScaleFactor).toBeCloseTo(0.4, 9);
    expect(vs.map((v) => v?.autoscalerParallelism)).toEqual([100, 40]);
  });
});
