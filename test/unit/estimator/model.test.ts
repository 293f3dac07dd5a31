import { describe, expect, it } from 'vitest';
import { defaultModel, MODEL_VERSION, ModelSchema } from '../../../src/estimator/index.js';

describe('model coefficients', () => {
  it('validates against its own schema', () => {
    expect(ModelSchema.safeParse(defaultModel).success).toBe(true);
    expect(defaultModel.version).toBe(MODEL_VERSION);
  });

  it('derives the operator costs from the published Nexmark throughputs (Flink 1.13)', () => {
    const c = defaultModel.cpu;
    // q0 155.02 K events/s/core → 1e6 / 155,020 = 6.4508 µs, of which the 92% of events that are
    // bids reach the sink: emission (q0 − q2) ÷ (0.92 − 0.92/123) = (6.45078 − 5.70744) ÷ 0.91252
    // = 0.8146 µs; framework 6.4508 − 0.92 × 0.8146 = 5.7014 µs.
    expect(c.recordEmitMicros).toBeCloseTo(0.815, 3);
    expect(c.recordFrameworkMicros).toBeCloseTo(5.701, 3);
    expect(c.operatorMicros.filter).toBe(0);
    // q22 129.96 K/s → 7.6947 µs − 6.4508 = 1.2439.
    expect(c.operatorMicros.project).toBeCloseTo(1.244, 3);
    // q21 98.49 K/s → 10.1533 − 6.4508 = 3.7025.
    expect(c.operatorMicros.udf).toBeCloseTo(3.703, 3);
    // q17 116.8 K/s → 8.5616 − 6.4508 = 2.1108.
    expect(c.operatorMicros.aggregate).toBeCloseTo(2.111, 3);
    // q12 75.67 K/s → 13.2153 − 6.4508 = 6.7645 per window assignment.
    expect(c.windowAssignMicros).toBeCloseTo(6.764, 3);
    // Regular join by the bytes of its kept rows, the line through two Nexmark joins:
    // q4 34.33 K/s → 29.1290 − framework 5.7014 − its MAX per bid 0.92 × 6.7645 = 17.2043 over the
    // 0.98 records that enter the join = 17.5554 µs at (0.92 × 24 + 0.06 × 32) ÷ 0.98 = 24.4898 B;
    // q20 18.98 K/s → 52.6870 − 5.7014 − 0.184 × 0.8146 emitted = 46.8357 over 0.932 = 50.2529 µs
    // at (0.92 × 100 + 0.012 × 500) ÷ 0.932 = 105.1502 B. Slope 32.6975 ÷ 80.6604 = 0.40537 µs/B;
    // at 100 B: 17.5554 + 0.40537 × 75.5102 = 48.165; the slope as a share of it 0.40537 ÷ 48.165.
    expect(c.joinRowBytes.shareOfReferencePerByte).toBeCloseTo(0.008416, 6);
    expect(c.joinRowBytes.measuredFromBytes).toBeCloseTo(24.49, 2);
    // q9 keeps whole bids and auctions: (0.92 × 100 + 0.06 × 500) ÷ 0.98 = 124.49 B.
    expect(c.joinRowBytes.measuredToBytes).toBeCloseTo(124.49, 2);
    expect(c.operatorMicros['regular-join']).toBeCloseTo(48.165, 3);
    // q18 53.7 K/s → 18.6220 − 6.4508 = 12.1712.
    expect(c.operatorMicros.deduplicate).toBeCloseTo(12.171, 3);
    // q19 44.04 K/s → 22.7066 − 6.4508 = 16.2558.
    expect(c.operatorMicros['top-n']).toBeCloseTo(16.256, 3);
    // Two distinct sets in q15 and q16, priced at their geometric mean √(13.8083 × 53.6193) = 27.2101,
    // less framework 5.7014 and 0.92 × (q17 − q0) = 1.9419, over 2 × 0.92: 10.634.
    expect(c.distinctAggregateMicros).toBeCloseTo(10.634, 3);
    // q10 17.2981 − q0 6.4508 = 10.8473 over the 92% of events that are bids = 11.7905 per record written.
    expect(c.sinks.filesystem.fixedMicrosPerRecord).toBeCloseTo(11.791, 3);
  });

  it('calibrates the Kafka connector on Dale Lane’s fastest flow (44,320 events/s per CPU)', () => {
    const c = defaultModel.cpu;
    // 1e6 / 44,320 = 22.563 µs = framework 5.701 + emission 0.815 + projection 1.244 + 2 × Kafka
    // connector (7.402 each).
    expect(c.sources.kafka.fixedMicrosPerRecord).toBeCloseTo(7.402, 3);
    const perEvent =
      c.recordFrameworkMicros +
      c.recordEmitMicros +
      c.operatorMicros.project +
      c.sources.kafka.fixedMicrosPerRecord +
      c.sinks.kafka.fixedMicrosPerRecord;
    expect(perEvent).toBeCloseTo(1e6 / 44320, 2);
  });

  it('prices JSON by Jackson’s measured speed and keeps a hopping window check against q5', () => {
    const c = defaultModel.cpu;
    // 1 KB: 783,551 deserializations/s → 1.276 ns/byte; 1,489,957 serializations/s → 0.671 ns/byte.
    expect(c.formats.json.deserializeNanosPerByte).toBeCloseTo(1.276, 3);
    expect(c.formats.json.serializeNanosPerByte).toBeCloseTo(0.671, 3);
    // Nexmark q5 (hopping 10 s / 2 s: 5 windows per record) measured 1e6/22,140 = 45.17 µs; the
    // model's DataStream copies predict framework + 5 × window assignment = 5.701 + 33.82 = 39.52 µs,
    // within 13% (q5 itself, a join of two SQL window aggregates, is priced in nexmark-accuracy).
    const predicted = c.recordFrameworkMicros + 5 * c.windowAssignMicros;
    expect(Math.abs(predicted - 1e6 / 22140) / (1e6 / 22140)).toBeLessThan(0.13);
  });

  it('rejects an override that breaks a coefficient', () => {
    const broken = { ...defaultModel, network: { ...defaultModel.network, segmentBytes: 0 } };
    expect(ModelSchema.safeParse(broken).success).toBe(false);
  });

  it('rejects recommended max parallelisms out of order (the plan reads the first few with room)', () => {
    const parallelism = { ...defaultModel.parallelism, recommendedMaxParallelisms: [180, 128, 240] };
    const result = ModelSchema.safeParse({ ...defaultModel, parallelism });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('must be in ascending order');
  });
});
