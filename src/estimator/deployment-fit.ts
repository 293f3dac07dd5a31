/**
 * What a plan means on the platforms it may run on: the managed services' prices
 * (`cost.platforms`) and, when the spec gives a node shape, how its pods pack onto those nodes
 * (`nodes`). Both read only the finished plan, so they follow whatever the sizing decided.
 */
import type { Estimate } from '../schemas/estimate.js';
import type { JobSpec } from '../schemas/jobspec.js';
import type { Pricing } from './cost.js';
import { platformCosts } from './platforms.js';

/** `"sql"` unless the spec says the job is written with the DataStream API. */
export const jobApi = (spec: JobSpec): 'sql' | 'datastream' =>
  (spec as { api?: unknown }).api === 'datastream' ? 'datastream' : 'sql';

export function withDeploymentFit(e: Estimate, spec: JobSpec, pricing: Pricing): Estimate {
  const tm = e.taskManagers;
  const platforms = platformCosts(
    {
      api: jobApi(spec),
      parallelism: e.parallelism.default,
      taskManagers: {
        count: tm.count,
        cpu: tm.cpu,
        slotsPerTaskManager: tm.slotsPerTaskManager,
        processMemoryBytes: tm.memory.totalProcessMemory,
      },
      stateBytes: e.state.totalBytes,
      requiredCores: e.cpu.requiredCores,
      hoursPerMonth: pricing.hoursPerMonth,
    },
    pricing.platforms,
  );
  return { ...e, cost: { ...e.cost, platforms } };
}
