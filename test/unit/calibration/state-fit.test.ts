/**
 * Keyed state solved from the measured checkpoint state: the calibrated spec's keys (or bytes per
 * key) make the model's state what Flink measured. Expectations are worked by hand from the model's
 * per-entry bytes (estimator/state.ts, model.state): an aggregate's RocksDB entry is
 * (payload + key-group prefix + 1-byte void namespace [+ 8-byte TTL stamp] + 8-byte internal key)
 * × 1.111 space amplification; the prefix is 2 bytes above 128 key groups (720 here).
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/calibration/evaluate.js';
import type { Observation, ObservedVertex } from '../../../src/calibration/observation.js';
import { calibrateSpec } from '../../../src/calibration/spec.js';
import { defaultModel } from '../../../src/estimator/index.js';
import { type JobSpec, JobSpecSchema } from '../../../src/jobspec/index.js';
import { observation, vertex } from '../../support/observations.js';

const SRC = 'a'.repeat(32);
const AGG = 'b'.repeat(32);
const AGG2 = 'c'.repeat(32);
const targets = { utilization: 0.7, catchUpMinutes: 30, restartSeconds: 300 };

/** Source (1,000 records/s) → GroupAggregate → sink; `state` bytes measured in the aggregate's vertex. */
function job(state: number | undefined, backend = 'EmbeddedRocksDBStateBackend'): Observation {
  return {
    ...observation([
      vertex({
        id: SRC,
        name: 'Source: s',
        operators: ['Source: s'],
        recordsInPerSecond: 1000,
        recordsOutPerSecond: 1000,
        bytesOutPerSecond: 100_000,
        busyTimeMsPerSecond: { avg: 100, max: 100 },
      }),
      vertex({
        id: AGG,
        name: 'GroupAggregate -> Sink: out',
        operators: ['GroupAggregate(groupBy=[k])', 'Sink: out'],
        inputs: [{ id: SRC, shipStrategy: 'HASH' }],
        recordsInPerSecond: 1000,
        busyTimeMsPerSecond: { avg: 200, max: 200 },
        ...(state !== undefined ? { stateBytes: state } : {}),
      }),
    ]),
    checkpoint: { stateBytes: state ?? 0, checkpointedBytes: 0, durationMs: 1000, backend },
  };
}

const calibrate = (o: Observation, user?: JobSpec) =>
  calibrateSpec({
    observation: o,
    evaluation: evaluate(o, targets),
    targets,
    model: defaultModel,
    ...(user ? { user: { spec: user, from: 'spec' as const } } : {}),
  });

const userSpec = (aggregate: Record<string, unknown>) =>
  JobSpecSchema.parse({
    pipeline: {
      sources: [{ id: 's', kind: 'kafka', recordsPerSecond: 1, avgRecordBytes: 100 }],
      operators: [{ id: 'agg', kind: 'aggregate', inputs: ['s'], ...aggregate }],
      sinks: [{ id: 'out', kind: 'kafka', inputs: ['agg'] }],
    },
  });

describe('state from the measured checkpoint', () => {
  it('an aggregate with no keys gets the keys that make its state the measured state_size', () => {
    // (40 default bytes per key + 2 + 1 + 8) × 1.111 = 56.661 bytes per key: 566,610,000 B is 10M keys.
    const r = calibrate(job(566_610_000));
    const agg = r.spec.pipeline?.operators.find((o) => o.kind === 'aggregate');
    expect(agg?.distinctKeys).toBe(10_000_000);
    expect(agg?.stateBytesPerKey).toBeUndefined();
    const v = r.vertices.find((x) => x.id === AGG);
    expect(v?.measuredStateBytes).toBe(566_610_000);
    expect(v?.modeledStateBytes).toBe(566_610_000);
    expect(r.checkpoint.modeledStateBytes).toBe(566_610_000);
    expect(v?.nodes.find((n) => n.kind === 'aggregate')?.derivedState).toEqual({
      field: 'distinctKeys',
      value: 10_000_000,
      measuredBytes: 566_610_000,
      modeledBytes: 566_610_000,
      from: `state_size of vertex ${AGG} in the latest completed checkpoint`,
    });
    expect(r.notes).toContainEqual(
      `GroupAggregate(groupBy=[k]): distinctKeys 10000000 derived from 566610000 bytes of measured state (state_size of vertex ${AGG} in the latest completed checkpoint)`,
    );
  });

  it('without a measurement nothing is derived and the aggregate stays unsized', () => {
    const r = calibrate(job(undefined));
    expect(r.spec.pipeline?.operators.find((o) => o.kind === 'aggregate')?.distinctKeys).toBeUndefined();
    expect(r.vertices.find((x) => x.id === AGG)?.nodes.every((n) => n.derivedState === null)).toBe(true);
  });

  it('keys the user gave stay; the bytes per key are derived instead', () => {
    // 1,000,000 keys × (b + 11) × 1.111 = 111,100,000 B → b = 89.
    const r = calibrate(job(111_100_000), userSpec({ distinctKeys: 1_000_000 }));
    const agg = r.spec.pipeline?.operators.find((o) => o.id === 'agg');
    expect(agg?.distinctKeys).toBe(1_000_000);
    expect(agg?.stateBytesPerKey).toBe(89);
    expect(r.notes.join('\n')).toContain('agg: stateBytesPerKey 89 derived from 111100000 bytes');
  });

  it('keys a TTL caps cannot reach the measured state: the bytes per key are derived instead', () => {
    // TTL 60 s at 1,000 records/s keeps at most 60,000 keys, (40 + 11 + 8 TTL) × 1.111 = 65.549 B
    // each: 3.93 MB, short of the 6,666,000 B measured. 60,000 × (b + 19) × 1.111 = 6,666,000 → b = 81.
    const r = calibrate(job(6_666_000), userSpec({ ttlSeconds: 60 }));
    const agg = r.spec.pipeline?.operators.find((o) => o.id === 'agg');
    expect(agg?.distinctKeys).toBeUndefined();
    expect(agg?.stateBytesPerKey).toBe(81);
    expect(r.vertices.find((x) => x.id === AGG)?.modeledStateBytes).toBe(6_666_000);
  });

  it('with the HashMap backend the serialized checkpoint is what is matched, not the heap', () => {
    // Serialized entry: 40 + 2 + 1 = 43 bytes; 43,000,000 B is 1,000,000 keys (the heap holds more).
    const r = calibrate(job(43_000_000, 'HashMapStateBackend'));
    expect(r.spec.state.backend).toBe('hashmap');
    expect(r.spec.pipeline?.operators.find((o) => o.kind === 'aggregate')?.distinctKeys).toBe(1_000_000);
    expect(r.checkpoint.modeledStateBytes).toBe(43_000_000);
    expect(r.estimate.state.totalBytes).toBeGreaterThan(43_000_000);
  });

  it('only the job’s total (Prometheus): split evenly over keyed operators the model could not size', () => {
    const second: ObservedVertex = vertex({
      id: AGG2,
      name: 'GroupAggregate -> Sink: other',
      operators: ['GroupAggregate(groupBy=[j])', 'Sink: other'],
      inputs: [{ id: SRC, shipStrategy: 'HASH' }],
      recordsInPerSecond: 1000,
      busyTimeMsPerSecond: { avg: 200, max: 200 },
    });
    const base = job(undefined);
    // 113,322,000 B over two aggregates: 56,661,000 B each, 1,000,000 keys of 56.661 B.
    const o: Observation = {
      ...base,
      vertices: [...base.vertices, second],
      checkpoint: { stateBytes: 113_322_000, checkpointedBytes: 0, durationMs: 1000, backend: 'rocksdb' },
    };
    const r = calibrate(o);
    const aggs = r.spec.pipeline?.operators.filter((o) => o.kind === 'aggregate') ?? [];
    expect(aggs.map((a) => a.distinctKeys)).toEqual([1_000_000, 1_000_000]);
    expect(r.notes.join('\n')).toContain(
      'the job’s last full checkpoint size (lastCheckpointFullSize; no per-vertex sizes), split over the job’s keyed operators evenly',
    );
    expect(r.checkpoint.modeledStateBytes).toBe(113_322_000);
  });
});
