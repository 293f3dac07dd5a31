/** The held-out Nexmark table is transcribed consistently (it is data for checking the model). */
import { describe, expect, it } from 'vitest';
import { NEXMARK_HELD_OUT_EVENTS, nexmarkHeldOut } from '../../fixtures/nexmark-held-out.js';

describe('held-out Nexmark replication (Flink, 8 × m5ad.4xlarge)', () => {
  it('has 22 queries whose Throughput/Cores is events ÷ (cores × seconds), within rounding', () => {
    const rows = Object.entries(nexmarkHeldOut);
    expect(rows).toHaveLength(22);
    for (const [, r] of rows) {
      // e.g. q0: 100M ÷ (7.08 × 70.668 s) = 199.87 K/s per core, published 199.75.
      const derived = NEXMARK_HELD_OUT_EVENTS / (r.cores * r.seconds) / 1000;
      expect(Math.abs(derived - r.kPerCore) / r.kPerCore).toBeLessThan(0.01);
    }
  });
});
