/**
 * JobManager size: a tier from the job's key count (jbcodeforce/flink-estimator's T-shirt sizes,
 * model.jobManager.tiers), planned through the memory module so that `memory` is what Flink
 * derives from `jobmanager.memory.process.size`.
 */
import { type FlinkVersion, MiB, type PlannedJobManager, planJobManager } from './memory/index.js';
import type { Model } from './model.js';

export interface JobManagerChoice {
  planned: PlannedJobManager;
  cpu: number;
  tierKeys: number;
  cpuDecidedBy: 'user' | 'default';
}

export function planJobManagerFor(
  version: FlinkVersion,
  totalDistinctKeys: number,
  userCpu: number | undefined,
  model: Model,
): JobManagerChoice {
  const tiers = model.jobManager.tiers;
  const tier = tiers.find((t) => totalDistinctKeys <= t.maxDistinctKeys) ?? tiers[tiers.length - 1]!;
  const cpu = userCpu ?? tier.cpu;
  const processMemory = (BigInt(tier.processBytes) / MiB) * MiB;
  const result = planJobManager({ version, processMemory, cpuCores: cpu });
  if (!result.valid) throw new Error(`JobManager plan rejected: ${result.error.message}`);
  return {
    planned: result.plan,
    cpu,
    tierKeys: tier.maxDistinctKeys,
    cpuDecidedBy: userCpu !== undefined ? 'user' : 'default',
  };
}
