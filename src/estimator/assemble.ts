/**
 * The Estimate document from what the steps worked out: every figure the API and the pages show
 * comes from the plan context, so the warnings and the explanation read the same numbers.
 */
import type { JobSpec, StateBackend } from '../jobspec/index.js';
import type { Estimate, OperatorEstimate } from '../schemas/estimate.js';
import type { PlanContext } from './context.js';
import { explain } from './explain.js';
import { toNumbers } from './lists.js';
import { busyAtPeak } from './parallelism/index.js';
import { collectWarnings } from './warnings.js';

/** Flink duration syntax for a checkpoint interval (TimeUtils.parseDuration accepts "60 s", "1500 ms"). */
function duration(seconds: number): string {
  return Number.isInteger(seconds) ? `${seconds} s` : `${Math.round(seconds * 1000)} ms`;
}

/** Job-level options of the plan, keyed as the Flink version reads them. */
function jobConfig(
  spec: JobSpec,
  parallelismDefault: number,
  maxParallelism: number,
  backend: StateBackend,
  incremental: boolean,
): Record<string, string> {
  const v = spec.flinkVersion;
  const before120 = v === '1.18' || v === '1.19';
  const config: Record<string, string> = {
    'parallelism.default': String(parallelismDefault),
    'state.backend.type': backend,
    'execution.checkpointing.interval': duration(spec.state.checkpointIntervalSeconds),
  };
  // Always set: the parallelism divides it, and Flink's own default (derived from the
  // parallelism) would split the key groups unevenly and change with every rescale.
  config['pipeline.max-parallelism'] = String(maxParallelism);
  if (backend === 'rocksdb') {
    // The option moved to execution.checkpointing.* in Flink 1.20 (FLIP-473 naming cleanup).
    config[before120 ? 'state.backend.incremental' : 'execution.checkpointing.incremental'] =
      String(incremental);
  }
  if (spec.state.unalignedCheckpoints) {
    config[before120 ? 'execution.checkpointing.unaligned' : 'execution.checkpointing.unaligned.enabled'] =
      'true';
  }
  if (spec.state.ttlSeconds !== undefined) config['table.exec.state.ttl'] = duration(spec.state.ttlSeconds);
  return config;
}

export function assembleEstimate(ctx: PlanContext): Estimate {
  const { spec, model, pricing, backend, backendDecidedBy, checkpoint, traffic, cost } = ctx;
  const tm = ctx.taskManagers;
  const jm = ctx.jobManager;
  const plan = tm.planned.plan;
  const nic = ctx.nicBytesPerSecond;
  const operators = ctx.nodes.map((n): OperatorEstimate => {
    const { node, rates: r, parallelism: np } = n;
    return {
      id: node.id,
      ...(node.name !== undefined ? { name: node.name } : {}),
      role: node.role,
      kind: node.kind,
      inputs: [...node.inputs],
      inputRecordsPerSecond: r.inRecordsPerSecond,
      outputRecordsPerSecond: r.outRecordsPerSecond,
      inputBytesPerSecond: r.inRecordsPerSecond * r.inRecordBytes,
      outputBytesPerSecond: r.outRecordsPerSecond * r.outRecordBytes,
      keyed: np.inputEdges.includes('hash'),
      chainHead: np.chainHead,
      costMicrosPerRecord: np.cost.micros,
      requiredCores: n.requiredCores,
      parallelism: np.parallelism,
      parallelismDecidedBy: np.decidedBy,
      busyAtPeak: busyAtPeak(r.inRecordsPerSecond, np),
      stateBytes: n.stateBytes.backendBytes,
    };
  });

  return {
    modelVersion: model.version,
    flinkVersion: spec.flinkVersion,
    parallelism: {
      default: ctx.slotsRequired,
      max: ctx.maxParallelism,
      maxDecidedBy: ctx.maxParallelismDecidedBy,
      recommendedMax: ctx.recommendedMaxParallelism,
    },
    operators,
    cpu: {
      requiredCores: ctx.totalRequiredCores,
      targetCores: ctx.targetCores,
      taskManagerCores: tm.count * tm.cpu,
      jobManagerCores: jm.cpu,
      totalCores: tm.count * tm.cpu + jm.cpu,
    },
    slots: { required: ctx.slotsRequired, available: tm.count * tm.slotsPerTaskManager },
    taskManagers: {
      count: tm.count,
      countDecidedBy: tm.countDecidedBy,
      slotsPerTaskManager: tm.slotsPerTaskManager,
      cpu: tm.cpu,
      memory: toNumbers(plan.memory),
      flinkConfig: { ...tm.planned.config },
      containerMemoryMiB: Number(plan.containerMemoryMiB),
      managedMemoryPerSlotBytes: Number(plan.perSlot.managed),
      networkBuffers: Number(plan.networkBuffers),
      localDiskBytes: ctx.localDiskBytes,
    },
    jobManager: {
      cpu: jm.cpu,
      memory: toNumbers(jm.planned.plan.memory),
      flinkConfig: { ...jm.planned.config },
      containerMemoryMiB: Number(jm.planned.plan.containerMemoryMiB),
    },
    state: {
      totalBytes: ctx.totalStateBytes,
      perTaskManagerBytes: ctx.statePerTaskManagerBytes,
      perSlotBytes: ctx.statePerSlotBytes,
      backend,
      backendDecidedBy,
      checkpoint: {
        sizeBytes: checkpoint.sizeBytes,
        fullSizeBytes: checkpoint.fullSizeBytes,
        incremental: checkpoint.incremental,
        intervalSeconds: checkpoint.intervalSeconds,
        storageBytesPerSecond: checkpoint.storageBytesPerSecond,
        estimatedDurationSeconds: checkpoint.estimatedDurationSeconds,
      },
    },
    network: {
      buffersRequiredPerTaskManager: tm.buffersRequired,
      buffersAvailablePerTaskManager: Number(plan.networkBuffers),
      bytesInPerSecondPerTaskManager: traffic.inBytesPerSecond,
      bytesOutPerSecondPerTaskManager: traffic.outBytesPerSecond,
      nicBytesPerSecond: nic,
      utilization: Math.max(traffic.inBytesPerSecond, traffic.outBytesPerSecond) / nic,
    },
    cost: {
      monthly: cost.monthly,
      hourly: cost.hourly,
      currency: pricing.currency,
      perCoreHour: pricing.perCoreHour,
      perGiBHour: pricing.perGiBHour,
      hoursPerMonth: pricing.hoursPerMonth,
      cores: cost.cores,
      memoryGiB: cost.memoryGiB,
    },
    flinkConfig: jobConfig(spec, ctx.slotsRequired, ctx.maxParallelism, backend, checkpoint.incremental),
    warnings: collectWarnings(ctx),
    explanation: explain(ctx),
  };
}
