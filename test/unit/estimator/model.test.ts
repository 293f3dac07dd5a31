import { describe, expect, it } from 'vitest';
import { defaultModel, MODEL_VERSION, ModelSchema } from '../../../src/estimator/index.js';

describe('model coefficients', () => {
  it('validates against its own schema', () => {
    expect(ModelSchema.safeParse(defaultModel).success).toBe(true);
    expect(defaultModel.version).toBe(MODEL_VERSION);
  });

  it('derives the operator costs from the published Nexmark throughputs (Flink 1.13)', () => {
    const c = defaultModel.cpu;
    // q0 155.02 K events/s/core → 1e6 / 155,020 = 6.4508 µs.
    expect(c.recordFrameworkMicros).toBeCloseTo(6.451, 3);
    // q22 129.96 K/s → 7.6947 µs − 6.4508 = 1.2439.
    expect(c.operatorMicros.project).toBeCloseTo(1.244, 3);
    // q21 98.49 K/s → 10.1533 − 6.4508 = 3.7025.
    expect(c.operatorMicros.udf).toBeCloseTo(3.703, 3);
    // q17 116.8 K/s → 8.5616 − 6.4508 = 2.1108.
    expect(c.operatorMicros.aggregate).toBeCloseTo(2.111, 3);
    // q12 75.67 K/s → 13.2153 − 6.4508 = 6.7645 per window assignment.
    expect(c.windowAssignMicros).toBeCloseTo(6.764, 3);
    // q20 18.98 K/s → 52.6870 − 6.4508 = 46.2362, over the 98% of events that enter the join.
    expect(c.operatorMicros['regular-join']).toBeCloseTo(47.18, 2);
    // q18 53.7 K/s → 18.6220 − 6.4508 = 12.1712.
    expect(c.operatorMicros.deduplicate).toBeCloseTo(12.171, 3);
    // q19 44.04 K/s → 22.7066 − 6.4508 = 16.2558.
    expect(c.operatorMicros['top-n']).toBeCloseTo(16.256, 3);
    // (q16 53.6193 − q17 8.5616) / 8 distinct aggregates = 5.6322.
    expect(c.distinctAggregateMicros).toBeCloseTo(5.632, 3);
  });

  it('calibrates the Kafka connector on Dale Lane’s fastest flow (44,320 events/s per CPU)', () => {
    const c = defaultModel.cpu;
    // 1e6 / 44,320 = 22.563 µs = framework 6.451 + projection 1.244 + 2 × Kafka connector.
    const perEvent =
      c.recordFrameworkMicros +
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
    // model predicts q0 + 5 × window assignment = 40.27 µs, within 11%.
    const predicted = c.recordFrameworkMicros + 5 * c.windowAssignMicros;
    expect(Math.abs(predicted - 1e6 / 22140) / (1e6 / 22140)).toBeLessThan(0.12);
  });

  it('rejects an override that breaks a coefficient', () => {
    const broken = { ...defaultModel, network: { ...defaultModel.network, segmentBytes: 0 } };
    expect(ModelSchema.safeParse(broken).success).toBe(false);
  });
});
