/**
 * A user's own pipeline mapped onto a hand-built job graph: by flinkVertexId first, then by role
 * and kind, then by role; the calibrated spec keeps the user's ids and fields and takes Flink's
 * measurements; what matches nothing is reported.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/calibration/evaluate.js';
import { calibrateSpec } from '../../../src/calibration/spec.js';
import { defaultModel } from '../../../src/estimator/index.js';
import { type JobSpec, JobSpecSchema } from '../../../src/jobspec/index.js';
import { observation, vertex } from '../../support/observations.js';

const V1 = 'a'.repeat(32);
const V2 = 'b'.repeat(32);
const V3 = 'c'.repeat(32);
const V4 = 'd'.repeat(32);
const targets = { utilization: 0.7, catchUpMinutes: 30, restartSeconds: 300 };

/** Source → filter chained in V1; a keyed aggregate → sink in V2; two more sinks, V3 and V4. */
const job = observation([
  vertex({
    id: V1,
    name: 'Source: bids -> Calc',
    operators: ['Source: bids', 'Calc(select=[k, v], where=[(v > 0)])'],
    parallelism: 2,
    recordsInPerSecond: 1000,
    recordsOutPerSecond: 800,
    bytesOutPerSecond: 80_000,
    busyTimeMsPerSecond: { avg: 200, max: 250 },
  }),
  vertex({
    id: V2,
    name: 'GroupAggregate -> Sink: out',
    operators: ['GroupAggregate(groupBy=[k])', 'Sink: out'],
    parallelism: 2,
    inputs: [{ id: V1, shipStrategy: 'HASH' }],
    recordsInPerSecond: 800,
    busyTimeMsPerSecond: { avg: 400, max: 500 },
  }),
  vertex({
    id: V3,
    name: 'Sink: audit',
    operators: ['Sink: audit'],
    inputs: [{ id: V1, shipStrategy: 'REBALANCE' }],
    recordsInPerSecond: 800,
    busyTimeMsPerSecond: { avg: 50, max: 50 },
  }),
  vertex({
    id: V4,
    name: 'Sink: archive',
    operators: ['Sink: archive'],
    inputs: [{ id: V1, shipStrategy: 'REBALANCE' }],
    recordsInPerSecond: 800,
    busyTimeMsPerSecond: { avg: 50, max: 50 },
  }),
]);

const spec: JobSpec = JobSpecSchema.parse({
  pipeline: {
    sources: [{ id: 'bids', kind: 'kafka', recordsPerSecond: 50, avgRecordBytes: 300, partitions: 4 }],
    operators: [
      { id: 'positive', kind: 'filter', inputs: ['bids'] },
      { id: 'per-key', kind: 'aggregate', inputs: ['positive'], distinctKeys: 5000, flinkVertexId: V2 },
      { id: 'enrich', kind: 'lookup-join', inputs: ['positive'], lookupLatencyMs: 2 },
    ],
    sinks: [
      { id: 'results', kind: 'jdbc', inputs: ['per-key'] },
      { id: 'dead', kind: 'kafka', inputs: ['enrich'], flinkVertexId: 'f'.repeat(32) },
    ],
  },
  state: { ttlSeconds: 86_400 },
});

function calibrate(user: JobSpec) {
  return calibrateSpec({
    observation: job,
    evaluation: evaluate(job, targets),
    targets,
    model: defaultModel,
    user: { spec: user, from: 'spec' },
  });
}

describe('mapping a user spec onto the job vertices', () => {
  const result = calibrate(spec);
  const pipeline = result.spec.pipeline;
  const op = (id: string) => pipeline?.operators.find((o) => o.id === id);

  it('matches by flinkVertexId, then kind, then role, and says how', () => {
    expect(result.mapping?.nodes).toEqual([
      { id: 'bids', role: 'source', vertexId: V1, matchedBy: 'kind' },
      { id: 'positive', role: 'operator', vertexId: V1, matchedBy: 'kind' },
      { id: 'per-key', role: 'operator', vertexId: V2, matchedBy: 'flinkVertexId' },
      { id: 'enrich', role: 'operator', vertexId: null, matchedBy: null },
      // jdbc is no kind read from a name: the first unclaimed sink, the one chained in V2.
      { id: 'results', role: 'sink', vertexId: V2, matchedBy: 'role' },
      // Its flinkVertexId names no vertex of this job; the remaining kafka sink is V3.
      { id: 'dead', role: 'sink', vertexId: V3, matchedBy: 'kind' },
    ]);
    expect(result.mapping?.unmatchedNodes).toEqual(['enrich']);
    expect(result.mapping?.unmatchedVertices).toEqual([{ id: V4, name: 'Sink: archive' }]);
    expect(result.notes).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`dead: flinkVertexId ${'f'.repeat(32)} is not a vertex of this job`),
        expect.stringContaining('kept as given (not calibrated): enrich'),
        expect.stringContaining(`Vertex Sink: archive (${V4}) has no node of the spec`),
      ]),
    );
  });

  it('keeps the user’s ids and fields, sets flinkVertexId and the measurements', () => {
    expect(pipeline?.sources.map((s) => s.id)).toEqual(['bids']);
    expect(pipeline?.operators.map((o) => o.id)).toEqual(['positive', 'per-key', 'enrich']);
    expect(pipeline?.sinks.map((s) => [s.id, s.flinkVertexId])).toEqual([
      ['results', V2],
      ['dead', V3],
    ]);
    const bids = pipeline?.sources[0];
    expect(bids?.flinkVertexId).toBe(V1);
    expect(bids?.recordsPerSecond).toBe(1000); // measured, not the user's 50
    expect(bids?.avgRecordBytes).toBe(100); // 80,000 B/s ÷ 800 records/s
    expect(bids?.partitions).toBe(4); // not measured: the user's stays
    expect(op('positive')?.outputRatio).toBe(0.8); // 800 out of 1,000 in V1
    expect(op('positive')?.flinkVertexId).toBe(V1);
    expect(op('per-key')?.distinctKeys).toBe(5000);
    expect(op('enrich')).toMatchObject({ kind: 'lookup-join', lookupLatencyMs: 2 });
    expect(op('enrich')?.flinkVertexId).toBeUndefined();
    expect(op('enrich')?.costFactor).toBeUndefined();
    expect(result.spec.state.ttlSeconds).toBe(86_400);
    expect(result.spec.cluster.maxParallelism).toBe(720);
  });

  it('costFactor = measured ÷ modelled cost of the user’s nodes in the vertex', () => {
    const v1 = result.vertices.find((v) => v.id === V1);
    // 1e6 µs × 0.2 busy × 2 subtasks ÷ 1,000 records/s = 400 µs per record.
    expect(v1?.measuredMicrosPerRecord).toBeCloseTo(400, 9);
    expect(v1?.nodes.map((n) => n.id)).toEqual(['bids', 'positive']);
    const factor = 400 / (v1?.modeledMicrosPerRecord ?? 1);
    expect(op('positive')?.costFactor).toBeCloseTo(factor, 3);
    // A costFactor the user gave is already in the modelled cost: the new one multiplies it.
    const doubled = structuredClone(spec);
    const filter = doubled.pipeline?.operators[0];
    if (filter) filter.costFactor = 2;
    const again = calibrate(doubled);
    const v1Again = again.vertices.find((v) => v.id === V1);
    const positive = again.spec.pipeline?.operators.find((o) => o.id === 'positive');
    expect(positive?.costFactor).toBeCloseTo((2 * 400) / (v1Again?.modeledMicrosPerRecord ?? 1), 3);
  });

  it('a window’s peak sets peakFactor, unless the user gave a larger one (a window shows only its own peak)', () => {
    // V1 reads 1,000 records/s on average; 1,500 at the window's peak.
    const peaked = {
      ...job,
      vertices: job.vertices.map((v) => (v.id === V1 ? { ...v, peakRecordsInPerSecond: 1500 } : v)),
    };
    const run = (peakFactor: number) => {
      const user = structuredClone(spec);
      const bids = user.pipeline?.sources[0];
      if (bids) bids.peakFactor = peakFactor;
      return calibrateSpec({
        observation: peaked,
        evaluation: evaluate(peaked, targets),
        targets,
        model: defaultModel,
        user: { spec: user, from: 'spec' },
      });
    };
    expect(run(1.2).spec.pipeline?.sources[0]?.peakFactor).toBe(1.5);
    const kept = run(3);
    expect(kept.spec.pipeline?.sources[0]?.peakFactor).toBe(3);
    expect(kept.notes).toContainEqual(
      'bids: peakFactor 3 kept; the window’s peak was 1.5 × its average (a window shows at most its own peak)',
    );
  });

  it('without a spec the pipeline is generated from the job graph and no mapping is reported', () => {
    const generated = calibrateSpec({
      observation: job,
      evaluation: evaluate(job, targets),
      targets,
      model: defaultModel,
    });
    expect(generated.mapping).toBeNull();
    expect(generated.spec.pipeline?.sources[0]?.flinkVertexId).toBe(V1);
  });
});
