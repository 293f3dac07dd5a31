import { describe, expect, it } from 'vitest';
import { defaultPricing, estimate, planAtLoad } from '../../../src/estimator/index.js';
import { JobSpecSchema } from '../../../src/jobspec/index.js';
import { LOAD_FACTORS, loadChart, scaleLoad } from '../../../src/web/charts/load.js';
import { realisticJobs } from '../../fixtures/realistic-jobs.js';
import { BUSY, oneKeyOnSmallNode, PIPELINE, QUICK } from '../../fixtures/specs.js';

// The load chart asks planAtLoad at each load instead of a whole estimate(): each field must be
// the one the whole Estimate at that load carries, or the chart would draw another plan.
const specs = { QUICK, BUSY, PIPELINE, oneKeyOnSmallNode, ...realisticJobs };

describe('planAtLoad is the Estimate at that load, cut down to its size and price', () => {
  for (const [name, input] of Object.entries(specs)) {
    it(name, () => {
      const spec = JobSpecSchema.parse(input);
      for (const factor of LOAD_FACTORS) {
        const scaled = JobSpecSchema.parse(scaleLoad(spec, factor));
        const whole = estimate(scaled);
        expect(planAtLoad(scaled), `${name} at ${factor}×`).toEqual({
          parallelism: { default: whole.parallelism.default },
          cpu: { totalCores: whole.cpu.totalCores },
          taskManagers: {
            count: whole.taskManagers.count,
            cpu: whole.taskManagers.cpu,
            memory: { totalProcessMemory: whole.taskManagers.memory.totalProcessMemory },
          },
          cost: { monthly: whole.cost.monthly, currency: whole.cost.currency },
        });
      }
    });
  }

  it('prices in the pricing given, as estimate() does', () => {
    const spec = JobSpecSchema.parse(BUSY);
    const pricing = { ...defaultPricing, perCoreHour: defaultPricing.perCoreHour * 3, currency: 'EUR' };
    const whole = estimate(spec, { pricing });
    const light = planAtLoad(spec, { pricing });
    expect(light.cost).toEqual({ monthly: whole.cost.monthly, currency: 'EUR' });
    expect(light.cost.monthly).toBeGreaterThan(planAtLoad(spec).cost.monthly);
  });

  it('the chart drawn from it equals the chart drawn from whole estimates', () => {
    for (const input of [BUSY, realisticJobs.ttlJoin6h]) {
      const spec = JobSpecSchema.parse(input);
      const e = estimate(spec);
      expect(loadChart(spec, e, planAtLoad)).toEqual(loadChart(spec, e, estimate));
    }
  });
});
