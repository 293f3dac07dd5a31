/**
 * What a plan means on the platforms it may run on: the managed services' prices
 * (`cost.platforms`) and, when the spec gives a node shape, how its pods pack onto those nodes
 * (`nodes`). Both read only the finished plan, so they follow whatever the sizing decided.
 */
import type { JobSpec } from '../jobspec/index.js';
import type { Estimate, Explanation } from '../schemas/estimate.js';
import type { Pricing } from './cost.js';
import { type PlatformCosts, platformCosts } from './platforms.js';

/** The platform figures in words, for the explanation every page and the API show. */
function platformExplanation(p: PlatformCosts): Explanation[] {
  const aws = p['aws-managed-flink'];
  const cc = p['confluent-cloud'];
  return [
    {
      topic: 'cost.platforms.aws-managed-flink',
      text: `On AWS Managed Service for Apache Flink the job needs ${aws.kpus} KPUs: the largest of what CPU, memory (4 GB per KPU), local state (50 GB per KPU) and parallelism ÷ ParallelismPerKPU need, decided by ${aws.decidedBy}, plus one KPU for orchestration; about $${aws.monthly} per month at $${aws.perKpuHour} per KPU-hour (${aws.source}, ${aws.asOf}).`,
      formula: `max(cpu ${aws.needs.cpu}, memory ${aws.needs.memory}, local state ${aws.needs.localState}, parallelism ${aws.needs.parallelism}) + 1 = ${aws.kpus}`,
      inputs: { parallelismPerKpu: aws.parallelismPerKpu, perKpuHour: aws.perKpuHour },
    },
    {
      topic: 'cost.platforms.confluent-cloud',
      text: cc
        ? `On Confluent Cloud for Apache Flink, ${cc.cfuLow}–${cc.cfuHigh} CFUs, about $${cc.monthlyLow}–$${cc.monthlyHigh} per month at $${cc.perCfuHour} per CFU-hour (${cc.source}, ${cc.asOf}) — a ${cc.basis}.`
        : `No Confluent Cloud figure: ${p.reasons?.['confluent-cloud'] ?? 'not available for this job'}.`,
    },
  ];
}

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
  return {
    ...e,
    cost: { ...e.cost, platforms },
    explanation: [...e.explanation, ...platformExplanation(platforms)],
  };
}
