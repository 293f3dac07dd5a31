import { counted } from './text.js';
/**
 * What a plan means on the platforms it may run on: the managed services' prices
 * (`cost.platforms`) and, when the spec gives a node shape, how its pods pack onto those nodes
 * (`nodes`). Both read only the finished plan, so they follow whatever the sizing decided.
 */

import { formatBytes } from '../format.js';
import type { JobSpec } from '../jobspec/index.js';
import type { Estimate, EstimateWarning, Explanation } from '../schemas/estimate.js';
import type { Pricing } from './cost.js';
import { type NodeFit, nodeFit, nodeShapeOf } from './node-fit.js';
import { type PlatformCosts, platformCosts } from './platforms.js';

/** The platform figures in words, for the explanation every page and the API show. */
function platformExplanation(p: PlatformCosts): Explanation[] {
  const aws = p['aws-managed-flink'];
  const cc = p['confluent-cloud'];
  return [
    {
      topic: 'cost.platforms.aws-managed-flink',
      text: `On AWS Managed Service for Apache Flink the job needs ${aws.kpus} KPUs: the largest of what CPU, memory (4 GB per KPU), local state (50 GB per KPU) and parallelism ÷ ParallelismPerKPU need, decided by ${aws.decidedBy}, plus one KPU for orchestration; about $${aws.monthly} per month at $${aws.perKpuHour} per KPU-hour (price as of ${aws.asOf}: ${aws.source}).`,
      formula: `max(cpu ${aws.needs.cpu}, memory ${aws.needs.memory}, local state ${aws.needs.localState}, parallelism ${aws.needs.parallelism}) + 1 = ${aws.kpus}`,
      inputs: { parallelismPerKpu: aws.parallelismPerKpu, perKpuHour: aws.perKpuHour },
    },
    {
      topic: 'cost.platforms.confluent-cloud',
      text: cc
        ? `On Confluent Cloud for Apache Flink, ${cc.cfuLow}–${cc.cfuHigh} CFUs, about $${cc.monthlyLow}–$${cc.monthlyHigh} per month at $${cc.perCfuHour} per CFU-hour (price as of ${cc.asOf}: ${cc.source}) — a ${cc.basis}.`
        : `No Confluent Cloud figure: ${p.reasons?.['confluent-cloud'] ?? 'not available for this job'}.`,
    },
  ];
}

const cores = (n: number) => `${Math.round(n * 1000) / 1000} CPU`;

/** A pod that fits no node never schedules: the one finding node fit adds to the warnings. */
function nodeWarnings(n: NodeFit): EstimateWarning[] {
  if (n.fits) return [];
  const tm = n.pods.taskManager;
  const jm = n.pods.jobManager;
  return [
    {
      code: 'POD_EXCEEDS_NODE',
      severity: 'critical',
      message: `A node offers ${cores(n.allocatable.cpu)} and ${formatBytes(n.allocatable.memoryBytes)} to pods (${n.reservesFrom === 'allocatable as given' ? 'as given' : `after ${n.reservesFrom.toUpperCase()}'s reserves`}), less than a TaskManager (${cores(tm.cpuRequest)}, ${formatBytes(tm.memoryRequestBytes)}) or the JobManager (${cores(jm.cpuRequest)}, ${formatBytes(jm.memoryRequestBytes)}) requests: that pod never schedules.`,
      advice:
        'Use larger nodes, or set cluster.taskManagerCpu and cluster.taskManagerMemory to a shape that fits.',
    },
  ];
}

/** How the pods pack, in words. */
function nodeExplanation(n: NodeFit): Explanation {
  const reserves =
    n.reservesFrom === 'allocatable as given'
      ? 'the node shape taken as allocatable'
      : `the node less ${n.reservesFrom.toUpperCase()}'s documented reserves (${cores(n.reserved.cpu)}, ${formatBytes(n.reserved.memoryBytes)} and a ${formatBytes(n.reserved.evictionBytes)} eviction threshold)`;
  const better =
    n.betterTaskManagerCpu !== undefined
      ? ` TaskManagers of ${n.betterTaskManagerCpu} CPU would fill the nodes better.`
      : '';
  const maxPods = n.maxPods.assumed
    ? ` Max-pods ${n.maxPods.value} was assumed: ${n.maxPods.basis}.`
    : ` Max-pods ${n.maxPods.value}, as given.`;
  const volume = n.rocksDbVolume
    ? ` Each TaskManager pod also claims a ${formatBytes(n.rocksDbVolume.perTaskManagerBytes)} volume for RocksDB (a generic ephemeral volume from the storage class, not the node’s disk): ${formatBytes(n.rocksDbVolume.totalBytes)} in all.`
    : '';
  return {
    topic: 'nodes',
    text: `${counted(n.count, 'node')}: ${counted(n.taskManagersPerNode, 'TaskManager pod')} fit on each, in ${reserves}: ${cores(n.allocatable.cpu)} and ${formatBytes(n.allocatable.memoryBytes)}; the JobManager ${n.jobManagerOnTaskManagerNode ? 'fits beside the last node’s TaskManagers' : 'needs a node of its own'}. Requests equal limits (Guaranteed QoS).${maxPods}${volume}${better}`,
    inputs: {
      maxPods: n.maxPods.value,
      cpuUtilization: Math.round(n.utilization.cpu * 1000) / 1000,
      memoryUtilization: Math.round(n.utilization.memory * 1000) / 1000,
    },
  };
}

export function withDeploymentFit(e: Estimate, spec: JobSpec, pricing: Pricing): Estimate {
  const tm = e.taskManagers;
  const platforms = platformCosts(
    {
      api: spec.api,
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
  const node = nodeShapeOf(spec.cluster);
  const nodes =
    node &&
    nodeFit({
      node,
      taskManagers: {
        count: tm.count,
        cpu: tm.cpu,
        processMemoryBytes: tm.memory.totalProcessMemory,
        jvmOverheadBytes: tm.memory.jvmOverhead,
        localDiskBytes: tm.localDiskBytes,
      },
      jobManager: { cpu: e.jobManager.cpu, processMemoryBytes: e.jobManager.memory.totalProcessMemory },
      backend: e.state.backend,
    });
  return {
    ...e,
    cost: { ...e.cost, platforms },
    ...(nodes ? { nodes } : {}),
    warnings: [...e.warnings, ...(nodes ? nodeWarnings(nodes) : [])],
    explanation: [
      ...e.explanation,
      ...platformExplanation(platforms),
      ...(nodes ? [nodeExplanation(nodes)] : []),
    ],
  };
}
