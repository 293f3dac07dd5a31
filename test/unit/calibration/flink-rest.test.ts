/**
 * Calibrating from a JobManager's REST API: the real collector over HTTP against an in-process
 * fake JobManager in Flink 1.20's shapes, then the autoscaler's rules and the calibrated spec.
 * Every expectation is worked out by hand from the fake job's rates (test/support/fake-jobmanager.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { calibrationResult, observe } from '../../../src/calibration/index.js';
import { type CalibrationRequest, CalibrationRequestSchema } from '../../../src/calibration/request.js';
import { defaultFetchPolicy, Limiter } from '../../../src/calibration/safety.js';
import { defaultModel } from '../../../src/estimator/index.js';
import {
  AGG_ID,
  defaultRates,
  type FakeJobManager,
  JOB_ID,
  SOURCE_ID,
  snapshotOf,
  startFakeJobManager,
} from '../../support/fake-jobmanager.js';

let jm: FakeJobManager | undefined;
afterEach(async () => {
  await jm?.close();
  jm = undefined;
});

const deps = (fake: FakeJobManager) => ({
  policy: { ...defaultFetchPolicy, allowedHosts: ['127.0.0.1'] },
  limiter: new Limiter(4),
  // The fake clock: waiting moves the JobManager's counters on, no real time passes.
  clock: { now: () => fake.now(), wait: async (ms: number) => fake.advance(ms) },
});
const request = (source: Record<string, unknown>): CalibrationRequest =>
  CalibrationRequestSchema.parse({ source });

describe('checkpoint sizes per vertex', () => {
  it("come from the latest checkpoint's details, as the overview leaves its tasks empty", async () => {
    jm = await startFakeJobManager();
    const snapshot = await snapshotOf(jm);
    expect(jm.requests).toContain(`/jobs/${JOB_ID}/checkpoints/details/12`);
    expect(snapshot.checkpoints?.latest?.completed?.tasks?.[AGG_ID]?.state_size).toBe(999_980_000);
  });
});

describe('flink-rest calibration, one read of the gauges', () => {
  it('reads the source rate from the Source__ operator metric and recommends per vertex as the autoscaler', async () => {
    jm = await startFakeJobManager();
    const req = request({ kind: 'flink-rest', url: jm.url, token: 's3cret' });
    const observation = await observe(req, deps(jm));
    const result = calibrationResult(observation, req, defaultModel);

    expect(observation.jobId).toBe(JOB_ID);
    expect(observation.flinkVersion).toBe('1.20.0');
    const [source, agg] = result.vertices;
    expect(source?.id).toBe(SOURCE_ID);
    expect(source?.operators).toEqual([
      '[1]:TableSourceScan(table=[[default_catalog, default_database, bids]], fields=[auction, price])',
      '[2]:Calc(select=[auction, price], where=[(price > 10)])',
    ]);
    // The task's own numRecordsInPerSecond is 0; Source__bids.numRecordsInPerSecond says 50,000.
    expect(source?.inputRecordsPerSecond).toBe(50_000);
    expect(source?.busyTimeMsPerSecond).toEqual({ avg: 400, max: 450 });
    expect(source?.trueProcessingRate).toBeCloseTo(111_111.11, 2); // 50,000 ÷ 0.45 (MAX aggregator)
    expect(source?.sourcePartitions).toBe(12); // 12 KafkaSourceReader …currentOffset metrics
    expect(source?.recommendedParallelism).toBe(2); // ceil(2 × 79,762/111,111) = 2
    expect(agg?.id).toBe(AGG_ID);
    expect(agg?.targetRecordsPerSecond).toBeCloseTo(40_000, 6); // 50,000 × 0.8 (edge ratio)
    expect(agg?.targetCapacity).toBe(63_810); // round(40,000·300/1,800 + 40,000/0.7)
    expect(agg?.recommendedParallelism).toBe(8);
    expect(agg?.alignmentStep).toBe('ceil 4.47 → 5 → 8, the first divisor of max parallelism 128');
    // TPR 57,143 lies inside [40,000, 106,667]: the autoscaler leaves the job alone.
    expect(agg?.scaleUpThreshold).toBe(40_000);
    expect(agg?.scaleDownThreshold).toBe(106_667);
    expect(result.autoscalerWouldAct).toBe(false);
    expect(agg?.autoscalerWouldAct).toBe(false);
    expect(result.parallelismOverrides).toBe(`${SOURCE_ID}:2,${AGG_ID}:8`);

    // The token went to the JobManager on every call; it is nowhere in what is kept.
    expect(jm.authorizations.every((a) => a === 'Bearer s3cret')).toBe(true);
    expect(JSON.stringify(observation)).not.toContain('s3cret');
    expect(JSON.stringify(observation)).not.toContain('do-not-store-me');
    expect(observation.source).toEqual({ kind: 'flink-rest', host: jm.url.replace('http://', '') });
  });

  it('asks only for metric names the vertex lists (one missing name would empty the answer)', async () => {
    jm = await startFakeJobManager();
    await observe(request({ kind: 'flink-rest', url: jm.url, jobId: JOB_ID }), deps(jm));
    const aggGet = jm.requests.find((r) =>
      r.startsWith(`/jobs/${JOB_ID}/vertices/${AGG_ID}/subtasks/metrics?get=`),
    );
    expect(aggGet).toBeDefined();
    expect(decodeURIComponent(aggGet ?? '')).not.toContain('Source__'); // not a source
    expect(decodeURIComponent(aggGet ?? '')).not.toContain('numBytesOut,'); // not listed for it
    const sourceGet = jm.requests.find((r) =>
      r.startsWith(`/jobs/${JOB_ID}/vertices/${SOURCE_ID}/subtasks/metrics?get=`),
    );
    expect(decodeURIComponent(sourceGet ?? '')).toContain('Source__bids.numRecordsInPerSecond');
    expect(jm.requests).not.toContain('/jobs/overview'); // the job id was given
  });

  it('builds the calibrated spec from the measurements', async () => {
    jm = await startFakeJobManager();
    const req = request({ kind: 'flink-rest', url: jm.url });
    const result = calibrationResult(await observe(req, deps(jm)), req, defaultModel);
    const spec = result.spec;
    expect(spec.flinkVersion).toBe('1.20');
    expect(spec.pipeline?.sources).toMatchObject([
      { kind: 'kafka', recordsPerSecond: 50_000, avgRecordBytes: 100, partitions: 12 }, // 4 MB/s ÷ 40,000 records/s
    ]);
    const [calc, groupAgg] = spec.pipeline?.operators ?? [];
    expect(calc?.kind).toBe('filter');
    expect(calc?.flinkVertexId).toBe(SOURCE_ID); // chained in the source's vertex
    expect(calc?.outputRatio).toBe(0.8);
    expect(groupAgg?.kind).toBe('aggregate');
    expect(spec.pipeline?.sinks.map((s) => s.inputs)).toEqual([[groupAgg?.id]]);
    expect(spec.cluster.maxParallelism).toBe(128);
    expect(spec.cluster.slotsPerTaskManager).toBe(2);
    expect(spec.state.backend).toBe('rocksdb');
    expect(spec.state.checkpointIntervalSeconds).toBe(60);
    expect(spec.state.changedStateFraction).toBe(0.05); // 50 MB of 1 GB uploaded
    expect(result.checkpoint.measuredStateBytes).toBe(1_000_000_000);
    // The aggregate's 999,980,000 B of checkpointed state (its vertex's state_size), at
    // (40 + 1 key-group byte for 128 groups + 1 + 8) × 1.111 = 55.55 B per key: 18,001,440 keys.
    expect(groupAgg?.distinctKeys).toBe(18_001_440);
    expect(result.vertices[1]?.modeledStateBytes).toBe(999_979_992); // ⌈18,001,440 × 55.55⌉
    expect(result.notes).toContainEqual(
      'Source: bids -> Calc: 20000 bytes of state measured, in a vertex with no keyed operator (source offsets or other operator state): not modelled',
    );

    // Measured task-thread cost per record: 1e6 · avg busy · p ÷ records/s.
    const [source, agg] = result.vertices;
    expect(source?.measuredMicrosPerRecord).toBeCloseTo(16, 9); // 1e6 · 0.4 · 2 ÷ 50,000
    expect(agg?.measuredMicrosPerRecord).toBeCloseTo(60, 9); // 1e6 · 0.6 · 4 ÷ 40,000
    const factor = (agg?.measuredMicrosPerRecord ?? 0) / (agg?.modeledMicrosPerRecord ?? 1);
    expect(groupAgg?.costFactor).toBeCloseTo(factor, 3);
    // Calibrated, the chain's modelled cost moves towards what was measured.
    const before = Math.abs((agg?.modeledMicrosPerRecord ?? 0) - 60);
    const after = Math.abs((agg?.calibratedMicrosPerRecord ?? 0) - 60);
    expect(after).toBeLessThan(before);
    expect(result.estimate.modelVersion).toBe(defaultModel.version);
  });

  it('checks the TaskManagers’ memory Flink reported against the memory model, byte for byte', async () => {
    jm = await startFakeJobManager();
    const req = request({ kind: 'flink-rest', url: jm.url });
    const observation = await observe(req, deps(jm));
    expect(observation.flinkConfig).toEqual({
      'taskmanager.memory.process.size': '1728m',
      'taskmanager.numberOfTaskSlots': '2',
      'jobmanager.memory.process.size': '1600m',
    });
    const check = calibrationResult(observation, req, defaultModel).memoryCheck;
    expect(check?.components.find((c) => c.name === 'taskHeap')).toEqual({
      name: 'taskHeap',
      flink: 402653174,
      model: 402653174,
      equal: true,
    });
    expect(check?.equal).toBe(true);
  });

  it('a NaN busy time (legacy source) gives a warning and no recommendation for that vertex', async () => {
    jm = await startFakeJobManager({ ...defaultRates, sourceBusy: 'NaN' });
    const req = request({ kind: 'flink-rest', url: jm.url });
    const result = calibrationResult(await observe(req, deps(jm)), req, defaultModel);
    expect(result.vertices[0]?.busyTimeMsPerSecond).toBeNull();
    expect(result.vertices[0]?.recommendedParallelism).toBe(2);
    expect(result.warnings.join(' ')).toContain('busy time is NaN');
  });
});

describe('flink-rest calibration over a window', () => {
  it('polls the counters and sizes for the backlog growing at the source', async () => {
    jm = await startFakeJobManager({
      ...defaultRates,
      sourceBusy: { min: 900, max: 1000, avg: 950 },
      pendingPerSecond: 10_000,
    });
    const req = request({ kind: 'flink-rest', url: jm.url, windowSeconds: 60 });
    const observation = await observe(req, deps(jm));
    expect(observation.windowSeconds).toBe(60);
    const result = calibrationResult(observation, req, defaultModel);
    const [source, agg] = result.vertices;
    // Counters: 50,000 records/s read; backlog 0 → 600,000 in 60 s, so 10,000/s more arrive.
    expect(source?.inputRecordsPerSecond).toBeCloseTo(50_000, 6);
    expect(source?.targetRecordsPerSecond).toBeCloseTo(60_000, 6);
    expect(source?.catchUpRecordsPerSecond).toBeCloseTo(333.33, 2); // 600,000 ÷ 1,800 s
    expect(source?.scaleUpThreshold).toBe(60_333);
    expect(source?.targetCapacity).toBe(96_048); // round(333.3 + 10,000 + 85,714.3)
    expect(source?.recommendedParallelism).toBe(4); // ceil(2 × 1.921) = 4, divides 12 partitions
    expect(source?.outsideUtilizationBand).toBe(true);
    expect(result.autoscalerWouldAct).toBe(true);
    expect(agg?.targetCapacity).toBe(76_838); // round(266.7 + 8,000 + 68,571.4)
    expect(agg?.recommendedParallelism).toBe(8);
    expect(agg?.autoscalerWouldAct).toBe(true); // the job acts, and this vertex changes too
    // Seven polls (t = 0, 10, …, 60 s) of the same vertex metrics.
    expect(
      jm.requests.filter((r) => r.startsWith(`/jobs/${JOB_ID}/vertices/${AGG_ID}/subtasks/metrics?get=`)),
    ).toHaveLength(7);
  });
});

describe('observed true processing rate from polls', () => {
  it('a source catching up a backlog is measured by what it reads, once two polls saw it', async () => {
    // 3,000,000 pending at 50,000/s is 60 s of input (≥ 30 s: catching up), not back-pressured.
    jm = await startFakeJobManager({
      ...defaultRates,
      sourceBusy: { min: 400, max: 500, avg: 450 },
      pendingAtStart: 3_000_000,
    });
    const once = request({ kind: 'flink-rest', url: jm.url });
    const one = calibrationResult(await observe(once, deps(jm)), once, defaultModel).vertices[0];
    expect(one?.observedTrueProcessingRate).toBeNull(); // one poll < min-observations 2
    expect(one?.trueProcessingRate).toBe(100_000); // 50,000 ÷ 0.5

    const polled = request({ kind: 'flink-rest', url: jm.url, windowSeconds: 20 });
    const observation = await observe(polled, deps(jm));
    expect(observation.vertices[0]?.sourceSamples).toHaveLength(3);
    const source = calibrationResult(observation, polled, defaultModel).vertices[0];
    // Busy-time 100,000/s exceeds the observed 50,000/s by more than 15%: the observed rate is used.
    expect(source?.busyTimeTrueProcessingRate).toBeCloseTo(100_000, 6);
    expect(source?.observedTrueProcessingRate).toBe(50_000);
    expect(source?.trueProcessingRate).toBe(50_000);
    expect(source?.trueProcessingRateFrom).toBe('observed');
  });
});

describe('flink-estimator snapshot --rest', () => {
  it('writes a snapshot that calibrates as the live source does', async () => {
    const { snapshotCommand } = await import('../../../src/calibration/snapshot-cli.js');
    const { SnapshotSchema } = await import('../../../src/calibration/flink-json.js');
    jm = await startFakeJobManager();
    const out = await snapshotCommand(['--rest', jm.url]);
    expect(out.code).toBe(0);
    const snapshot = SnapshotSchema.parse(JSON.parse(out.stdout));
    const req = request({ kind: 'snapshot', snapshot });
    const result = calibrationResult(await observe(req, deps(jm)), req, defaultModel);
    expect(result.vertices.map((v) => v.recommendedParallelism)).toEqual([2, 8]);
    expect((await snapshotCommand(['--window', '301', '--rest', jm.url])).code).toBe(2);
  });
});
