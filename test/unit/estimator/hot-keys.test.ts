/** One key runs on one subtask; a hot key's subtask cannot be relieved by more parallelism. */
import { describe, expect, it } from 'vitest';
import { defaultModel, estimate } from '../../../src/estimator/index.js';
import { planNodes } from '../../../src/estimator/nodes.js';
import { normalize } from '../../../src/estimator/normalize.js';
import { shapeLadder } from '../../../src/estimator/shapes.js';
import { slotLoads } from '../../../src/estimator/slots.js';
import { type JobSpecInput, JobSpecSchema } from '../../../src/jobspec/index.js';
import { hoppingTopN, hourlyWindow50M } from '../../fixtures/realistic-jobs.js';

const run = (input: JobSpecInput) => estimate(JobSpecSchema.parse(input));
const op = (e: ReturnType<typeof run>, id: string) => e.operators.find((o) => o.id === id);

/** 100k records/s of 100 bytes (no shuffle beyond Nexmark's) into one aggregate on RocksDB (Nexmark's backend: no heap saving). */
const hotAggregate = (fields: Record<string, unknown>): JobSpecInput => ({
  pipeline: {
    sources: [{ id: 'in', kind: 'kafka', recordsPerSecond: 100_000, avgRecordBytes: 100, partitions: 120 }],
    operators: [{ id: 'agg', kind: 'aggregate', inputs: ['in'], distinctKeys: 1000, ...fields }],
    sinks: [{ id: 'out', kind: 'kafka', inputs: ['agg'] }],
  },
  state: { backend: 'rocksdb' },
});

describe('single keys', () => {
  it('runs a global top-N (keyed by the window only) at parallelism 1, whatever the job parallelism', () => {
    const e = run(hoppingTopN);
    expect(op(e, 'top')).toMatchObject({ parallelism: 1, parallelismDecidedBy: 'keys' });
    // The window itself still scales out.
    expect(op(e, 'per-auction')?.parallelism).toBeGreaterThan(1);
    const why = e.explanation.find((x) => x.topic === 'operator:top');
    expect(why?.text).toContain('one key: every record goes to one subtask');
    expect(why?.decidedBy).toBe('keys');
  });

  it('warns that a user-forced parallelism leaves all but one subtask idle', () => {
    const input = structuredClone(hoppingTopN);
    const top = input.pipeline?.operators?.find((o) => o.id === 'top');
    if (top) top.parallelism = 4;
    const e = run(input);
    expect(op(e, 'top')?.parallelism).toBe(4);
    const w = e.warnings.find((x) => x.code === 'SINGLE_KEY_IDLE_SUBTASKS');
    expect(w?.message).toContain('3 of its 4 subtasks idle');
    // All 3,333 records/s still land on one subtask: busy = rate × cost ÷ 10⁶, not ÷ 4. Top-100
    // costs q19 × log2(101)/log2(11) = 16.256 × 1.9246 = 31.287 µs.
    const topMicros = defaultModel.cpu.operatorMicros['top-n'] * (Math.log2(101) / Math.log2(11));
    expect(op(e, 'top')?.busyAtPeak).toBeCloseTo((1e6 / 300 / 1e6) * topMicros, 4);
  });
});

describe('hot keys', () => {
  it('warns with the hot subtask’s rate: 30% of 100,000 records/s = 30,000, 122% of a subtask', () => {
    // costFactor 6 over Flink's default (no mini-batch): 6 × (2.111 µs accumulate, Nexmark q17 − q0,
    // + 4.654 µs state read-modify-write per record, q12 − q17) = 40.59 µs → 24,637 records/s per subtask.
    const e = run(hotAggregate({ hotKeyShare: 0.3, costFactor: 6 }));
    const w = e.warnings.find((x) => x.code === 'HOT_KEY');
    expect(w?.severity).toBe('critical');
    expect(w?.message).toContain('30,000 records/s at peak');
    // 30,000 × 40.59 ÷ 10⁶ = 1.2177.
    expect(w?.message).toContain('122% of what one subtask can do');
    expect(w?.advice).toContain('two-phase');
    expect(w?.advice).toContain('salt the key');
    // Parallelism still spreads the rest: more than 1/0.3 subtasks, the hot one 122% busy.
    const agg = op(e, 'agg');
    expect(agg?.parallelism).toBeGreaterThan(3);
    expect(agg?.busyAtPeak).toBeCloseTo(1.2177, 3);
  });

  it('does not warn when the hot key is no busier than an even share (share ≤ 1/p)', () => {
    const e = run(hotAggregate({ hotKeyShare: 0.001 }));
    expect(e.warnings.map((x) => x.code)).not.toContain('HOT_KEY');
  });

  it('puts the hot subtask’s load in slot 0, which sizes every TaskManager', () => {
    const spec = JobSpecSchema.parse(hotAggregate({ hotKeyShare: 0.5, costFactor: 5 }));
    const ladder = shapeLadder(spec.cluster, undefined, undefined, defaultModel);
    const { nodes } = planNodes(normalize(spec, defaultModel), spec, ladder, defaultModel);
    const [source, agg, sink] = nodes;
    if (!source || !agg || !sink) throw new Error('three nodes expected');
    const p = agg.parallelism.parallelism;
    expect(sink.parallelism.chainHead).toBe('agg');
    const { slotLoads: loads } = slotLoads(nodes);
    const sourceShare = Math.min(1, source.targetCores / source.parallelism.parallelism);
    // Slot 0: the hot subtask carries max(0.5, 1/p) = 0.5 of the aggregate's work (its chained
    // sink spreads evenly); slot 1 an even 1/p share.
    expect(loads[0]).toBeCloseTo(sourceShare + Math.min(1, agg.targetCores * 0.5 + sink.targetCores / p), 9);
    expect(loads[1]).toBeCloseTo(sourceShare + Math.min(1, (agg.targetCores + sink.targetCores) / p), 9);
  });
});

describe('window-end bursts', () => {
  it('shows the hopping window’s 1M results per slide and how long the global top-N takes for them', () => {
    const e = run(hoppingTopN);
    const c = defaultModel.cpu;
    // Every 300 s the 1 h window fires for its ~1,000,000 active auctions (1M × (1 − e^−180)).
    // "top" (p 1) and its chained Kafka sink process each: top-100 31.287 µs + the sink's emission
    // 0.815 µs + Kafka 7.402 µs + JSON of the 48-byte result 0.032 µs = 39.536 µs → 39.54 s per burst.
    const perResult =
      c.operatorMicros['top-n'] * (Math.log2(101) / Math.log2(11)) +
      c.recordEmitMicros +
      c.sinks.kafka.fixedMicrosPerRecord +
      (48 * c.formats.json.serializeNanosPerByte) / 1000;
    const burst = e.explanation.find((x) => x.topic === 'burst:per-auction');
    expect(burst?.inputs).toMatchObject({ resultsPerFire: 1_000_000, fireIntervalSeconds: 300 });
    expect(Number(burst?.inputs?.drainSeconds)).toBeCloseTo(perResult, 2);
    expect(burst?.text).toContain('about 1,000,000');
    // 39.54 s > 10% of the 300 s slide (model.window.burstWarnFractionOfFireInterval) → warning.
    const w = e.warnings.find((x) => x.code === 'WINDOW_BURST');
    expect(w?.severity).toBe('warning');
    expect(w?.message).toContain('every 300 s');
    expect(w?.message).toContain('"top" drains them');
  });

  it('warns when the burst outlasts the checkpoint interval, even if it is a small share of the window', () => {
    // 50M keys hourly: ~49.96M results; the chained Kafka sink at 8 subtasks or so needs far more
    // than the 60 s checkpoint interval, although it is under 10% of the hour.
    const e = run(hourlyWindow50M);
    const burst = e.explanation.find((x) => x.topic === 'burst:per-user-hour');
    const seconds = Number(burst?.inputs?.drainSeconds);
    expect(seconds).toBeGreaterThan(60);
    expect(seconds).toBeLessThan(360);
    expect(e.warnings.find((x) => x.code === 'WINDOW_BURST')?.message).toContain(
      'longer than the 60 s checkpoint interval',
    );
  });
});
