/**
 * Calibrating from a real Prometheus (Debian's 2.42, found or installed by test/support): series
 * shaped as Flink's PrometheusReporter exports them — meters as gauges, sanitised label values —
 * backfilled over ten minutes and queried at an explicit time. The job is the fake JobManager's,
 * so the expectations are those of the REST calibration (test/unit/calibration/flink-rest.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibrationResult, observe } from '../../../src/calibration/index.js';
import { sanitizeLabelValue } from '../../../src/calibration/prometheus.js';
import { CalibrationRequestSchema } from '../../../src/calibration/request.js';
import { defaultFetchPolicy, Limiter } from '../../../src/calibration/safety.js';
import { defaultModel } from '../../../src/estimator/index.js';
import {
  AGG_ID,
  type FakeJobManager,
  JOB_ID,
  SOURCE_ID,
  startFakeJobManager,
} from '../../support/fake-jobmanager.js';
import { fakeJobSeries } from '../../support/flink-prometheus-series.js';
import {
  openMetrics,
  type RunningPrometheus,
  type Sample,
  startPrometheus,
} from '../../support/prometheus.js';

const END = Math.floor(Date.now() / 1000 / 60) * 60 - 120;
const START = END - 600;

function flinkSeries(): Sample[] {
  return [...fakeJobSeries(), ...burstySource()];
}

/** A second job with the same vertex ids. */
const BURSTY_JOB = 'e'.repeat(32);
/** Samples k = 20…28 of the window (END − 300 … END − 180 s) are a burst. */
const inBurst = (t: number) => t >= END - 300 && t <= END - 180;

/**
 * Its source only: 25,000 records/s per subtask, 40,000 in the burst; busy 400 and 450 ms/s,
 * 200 ms/s back-pressured, 2,000,000 records pending per subtask throughout (catching up).
 */
function burstySource(): Sample[] {
  return [0, 1].flatMap((i) => {
    const labels = {
      job_id: BURSTY_JOB,
      job_name: 'bursty',
      task_id: SOURCE_ID,
      task_name: sanitizeLabelValue('Source: bids -> Calc'),
      subtask_index: String(i),
    };
    const op = { ...labels, operator_id: 'cbc357ccb763df2852fee8c4fc7d55f2', operator_name: 'Source:_bids' };
    const task = (name: string, value: Sample['value'], l = labels): Sample => ({
      name: `flink_taskmanager_job_task_${name}`,
      labels: l,
      value,
    });
    return [
      task('busyTimeMsPerSecond', i === 0 ? 400 : 450),
      task('backPressuredTimeMsPerSecond', 200),
      task('idleTimeMsPerSecond', i === 0 ? 400 : 350),
      task('operator_numRecordsInPerSecond', (t) => (inBurst(t) ? 40_000 : 25_000), op),
      task('operator_pendingRecords', 2_000_000, op),
    ];
  });
}

let prometheus: RunningPrometheus;
let jm: FakeJobManager;
beforeAll(async () => {
  [prometheus, jm] = await Promise.all([
    startPrometheus(openMetrics(flinkSeries(), START, END, 15)),
    startFakeJobManager(),
  ]);
});
afterAll(async () => {
  await Promise.all([prometheus?.stop(), jm?.close()]);
});

const deps = () => ({
  policy: { ...defaultFetchPolicy, allowedHosts: ['127.0.0.1'] },
  limiter: new Limiter(4),
});

describe('prometheus calibration', () => {
  it('averages the gauges over the window, matches vertices on task_id and takes the topology from restUrl', async () => {
    const req = CalibrationRequestSchema.parse({
      source: {
        kind: 'prometheus',
        url: prometheus.url,
        jobName: 'bids_per_auction',
        restUrl: jm.url,
        windowSeconds: 600,
        at: END,
      },
    });
    const observation = await observe(req, deps());
    expect(observation.jobId).toBe(JOB_ID); // found from the sanitised job_name label
    const result = calibrationResult(observation, req, defaultModel);
    const [source, agg] = result.vertices;
    expect(source?.inputRecordsPerSecond).toBe(50_000); // the Source: operator's rate, not the task's 0
    expect(source?.busyTimeMsPerSecond).toEqual({ avg: 400, max: 450 });
    expect(source?.sourcePartitions).toBe(12);
    expect(source?.trueProcessingRate).toBeCloseTo(111_111.11, 2);
    expect(agg?.busyTimeMsPerSecond).toEqual({ avg: 600, max: 700 });
    expect(agg?.targetCapacity).toBe(63_810);
    expect(agg?.recommendedParallelism).toBe(8);
    expect(agg?.maxParallelism).toBe(128); // from GET /jobs/:id
    expect(result.autoscalerWouldAct).toBe(false);
    expect(result.checkpoint.changedStateFraction).toBe(0.05);
    expect(observation.source).toEqual({ kind: 'prometheus', host: prometheus.url.replace('http://', '') });
  });

  it('reads a source’s peak-to-average factor and its observed true processing rate over the window', async () => {
    const plan = (await (await fetch(`${jm.url}/jobs/${JOB_ID}/plan`)).json()) as unknown;
    // Ending 7 s after the last sample puts no sample on the window's edges: 40 samples, 15 s apart
    // (END − 600 … END − 15), 9 of them in the burst.
    const req = CalibrationRequestSchema.parse({
      source: {
        kind: 'prometheus',
        url: prometheus.url,
        jobId: BURSTY_JOB,
        plan,
        windowSeconds: 600,
        at: END - 7,
      },
    });
    const observation = await observe(req, deps());
    const src = observation.vertices.find((v) => v.id === SOURCE_ID);
    // Mean per subtask (31 × 25,000 + 9 × 40,000) ÷ 40 = 28,375; two subtasks: 56,750.
    expect(src?.recordsInPerSecond).toBeCloseTo(56_750, 6);
    expect(src?.peakRecordsInPerSecond).toBe(80_000); // 2 × 40,000 in the burst
    const result = calibrationResult(observation, req, defaultModel);
    const source = result.spec.pipeline?.sources[0];
    expect(source?.peakFactor).toBe(1.4097); // 80,000 ÷ 56,750 = 1.40969…
    expect(source?.recordsPerSecond).toBeCloseTo(56_750, 6); // the average; the estimate sizes for the peak
    expect(result.notes).toContainEqual(
      expect.stringContaining('peakFactor 1.4097 = the window’s peak input rate 80000 ÷ its average 56750'),
    );

    // The polls are the 60 points of the window, 10 s apart (END − 597 … END − 7); the 14 from
    // END − 297 to END − 167 see the burst's samples. Each is catching up (4,000,000 pending ≥
    // 30 s × its rate), so each gives rate ÷ (1 − 200/1000): (14 × 80,000 + 46 × 50,000) ÷ 60 × 1.25.
    expect(src?.sourceSamples).toHaveLength(60);
    const vertex = result.vertices.find((v) => v.id === SOURCE_ID);
    expect(vertex?.observedTrueProcessingRate).toBeCloseTo(71_250, 6);
    // The busy-time rate, 56,750 ÷ 0.45 = 126,111, is over 15 % above it: the autoscaler switches.
    expect(vertex?.busyTimeTrueProcessingRate).toBeCloseTo(126_111.11, 2);
    expect(vertex?.trueProcessingRateFrom).toBe('observed');
    expect(vertex?.trueProcessingRate).toBeCloseTo(71_250, 6);
  });

  it('takes the topology from a pasted plan and sees nothing outside the window', async () => {
    const plan = (await (await fetch(`${jm.url}/jobs/${JOB_ID}/plan`)).json()) as unknown;
    const inside = CalibrationRequestSchema.parse({
      source: { kind: 'prometheus', url: prometheus.url, jobId: JOB_ID, plan, windowSeconds: 300, at: END },
    });
    const observation = await observe(inside, deps());
    expect(observation.vertices.map((v) => v.parallelism)).toEqual([4, 2]); // the plan's node order
    expect(observation.vertices.find((v) => v.id === AGG_ID)?.maxParallelism).toBe(128); // Flink's default rule for p = 4
    expect(observation.warnings.join(' ')).toContain('Max parallelism is not in the pasted plan');

    const later = CalibrationRequestSchema.parse({
      source: {
        kind: 'prometheus',
        url: prometheus.url,
        jobId: JOB_ID,
        plan,
        windowSeconds: 300,
        at: END + 3600,
      },
    });
    const empty = await observe(later, deps());
    expect(empty.vertices.every((v) => v.busyTimeMsPerSecond === null)).toBe(true);
  });
});
