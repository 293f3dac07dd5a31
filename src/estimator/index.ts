/**
 * The estimation engine: a JobSpec in, a complete, explained Flink resource plan out.
 * Pure and deterministic — no I/O, no clock, no environment; the same spec (and model and
 * prices) always gives the same Estimate.
 *
 * Steps: normalize (quick form → DAG) → rates at peak → state shapes → backend → CPU cost per
 * record → parallelism → slots and TaskManager shape → memory through the memory module →
 * JobManager → checkpoints → network → cost → warnings → explanation.
 */

import type { JobSpec, StateBackend } from '../jobspec/index.js';
import type { Estimate, OperatorEstimate } from '../schemas/estimate.js';
import { planCheckpoints } from './checkpoints.js';
import type { PlanContext } from './context.js';
import { defaultPricing, monthlyCost, type Pricing } from './cost.js';
import { nodeCost, requiredCores } from './cpu.js';
import { withDeploymentFit } from './deployment-fit.js';
import { explain } from './explain.js';
import { planJobManagerFor } from './jobmanager.js';
import { MiB, parseMemorySize } from './memory/index.js';
import { defaultModel, type Model } from './model.js';
import {
  buffersRequiredPerTaskManager,
  exchanges,
  nicBytesPerSecond,
  trafficPerTaskManager,
} from './network.js';
import { normalize } from './normalize.js';
import {
  busyAtPeak,
  computeParallelism,
  defaultMaxParallelism,
  type NodeParallelism,
  recommendedMaxParallelism,
  UPPER_BOUND,
} from './parallelism/index.js';
import { computeRates } from './rates.js';
import { keyGroupPrefixBytes, stateBytes, stateShapes } from './state.js';
import { busiestTaskManagerCores, planTaskManagers, rocksDbManagedPerSlot } from './taskmanagers.js';
import { collectWarnings } from './warnings.js';

export { defaultPricing, type Pricing, PricingSchema } from './cost.js';
export { defaultModel, MODEL_VERSION, type Model, ModelSchema } from './model.js';
export { WARNING_CODES, type WarningCode } from './warnings.js';

export interface EstimateOptions {
  model?: Model;
  pricing?: Pricing;
}

/** Flink duration syntax for a checkpoint interval (TimeUtils.parseDuration accepts "60 s", "1500 ms"). */
function duration(seconds: number): string {
  return Number.isInteger(seconds) ? `${seconds} s` : `${Math.round(seconds * 1000)} ms`;
}

/** Job-level options of the plan, keyed as the Flink version reads them. */
function jobConfig(
  spec: JobSpec,
  parallelismDefault: number,
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
  if (spec.cluster.maxParallelism !== undefined)
    config['pipeline.max-parallelism'] = String(spec.cluster.maxParallelism);
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

/** State in the busiest slot: slot 0 hosts one subtask of every operator. */
function perSlot(values: number[], pars: NodeParallelism[]): number {
  return values.reduce((a, v, i) => a + v / pars[i]!.parallelism, 0);
}

export function estimate(spec: JobSpec, options: EstimateOptions = {}): Estimate {
  const model = options.model ?? defaultModel;
  const pricing = options.pricing ?? defaultPricing;
  const graph = normalize(spec, model);
  const rates = computeRates(graph);
  const shapes = stateShapes(graph, computeRates(graph, 'average'), rates, model);
  const stateful = shapes.some((s) => s.entries > 0 || s.timers > 0);
  const explicitMax = spec.cluster.maxParallelism;

  const parallelismFor = (backend: StateBackend) => {
    const costs = graph.nodes.map((n, i) => nodeCost(n, rates[i]!, shapes[i]!, backend, model));
    return computeParallelism({
      graph,
      rates,
      costs,
      targets: spec.targets,
      maxParallelism: explicitMax,
      model,
    });
  };

  // The backend: the user's, else HashMap while the job's whole heap state stays small (and
  // bounded), else RocksDB. Decided from the state alone — not from the parallelism — so that more
  // load never flips the plan to a cheaper backend (more records/s never needs fewer cores).
  // (On the heap no key-group prefix is stored, so the max parallelism passed does not matter.)
  const heapStateBytes = shapes.reduce(
    (a, shape) => a + stateBytes(shape, 'hashmap', UPPER_BOUND, model).backendBytes,
    0,
  );
  const backendDecidedBy: 'user' | 'state' = spec.state.backend !== undefined ? 'user' : 'state';
  const backend: StateBackend =
    spec.state.backend ??
    (stateful && (shapes.some((s) => s.unbounded) || heapStateBytes > model.state.hashmapMaxStateBytes)
      ? 'rocksdb'
      : 'hashmap');
  const pars = parallelismFor(backend);

  const bytes = shapes.map((shape, i) => stateBytes(shape, backend, pars[i]!.maxParallelism, model));
  const cores = graph.nodes.map((_, i) => requiredCores(rates[i]!.inRecordsPerSecond, pars[i]!.cost.micros));
  const totalRequiredCores = cores.reduce((a, b) => a + b, 0);
  const targetCores = graph.nodes.reduce(
    (a, _, i) => a + requiredCores(pars[i]!.targetRecordsPerSecond, pars[i]!.cost.micros),
    0,
  );
  const slotsRequired = Math.max(...pars.map((p) => p.parallelism));
  // Cores each slot needs at the target: slot j holds subtask j of every task with p > j. A task's
  // subtask is one thread, so it never uses more than one core — a source held below its need by
  // its partitions falls behind (SOURCE_LIMITED_BY_PARTITIONS) rather than using more CPU.
  const taskCores = new Map<string, { cores: number; parallelism: number }>();
  pars.forEach((np) => {
    const task = taskCores.get(np.chainHead) ?? { cores: 0, parallelism: np.parallelism };
    task.cores += requiredCores(np.targetRecordsPerSecond, np.cost.micros);
    taskCores.set(np.chainHead, task);
  });
  const slotLoads = new Array<number>(slotsRequired + 1).fill(0);
  for (const { cores, parallelism } of taskCores.values()) {
    // Difference array: +load on slots [0, p).
    const perSubtask = Math.min(1, cores / parallelism);
    slotLoads[0]! += perSubtask;
    slotLoads[parallelism]! -= perSubtask;
  }
  for (let j = 1; j < slotsRequired; j++) slotLoads[j]! += slotLoads[j - 1]!;
  slotLoads.length = slotsRequired;
  const maxParallelism = explicitMax ?? defaultMaxParallelism(slotsRequired);
  const recommendedMax = recommendedMaxParallelism(slotsRequired, model);
  const list = exchanges(graph, rates, pars);

  // Per-slot needs (slot 0 hosts one subtask of every operator).
  const backendBytes = bytes.map((b) => b.backendBytes);
  const statePerSlotBytes = perSlot(backendBytes, pars);
  const heapStatePerSlotInPlan = backend === 'hashmap' ? statePerSlotBytes : 0;
  const taskHeapPerSlotNeeded =
    BigInt(model.taskManager.taskHeapPerSlotBytes) +
    BigInt(Math.ceil(heapStatePerSlotInPlan / model.state.heapStateMaxOccupancy));
  const columnFamiliesPerSlot = shapes.reduce((a, s) => a + s.columnFamilies, 0);
  // RocksDB index blocks: one entry per data block (a block holds at least one state entry, so
  // never more blocks than entries), each a separator key — bounded by the key, never the value.
  const indexBytesPerSlot = shapes.reduce((a, shape, i) => {
    if (backendBytes[i] === 0) return a;
    const separatorBytes =
      Math.min(shape.payloadBytes, model.state.rocksdbIndexKeyBytes) +
      shape.namespaceBytes +
      keyGroupPrefixBytes(pars[i]!.maxParallelism);
    const p = pars[i]!.parallelism;
    const blocks =
      Math.min(backendBytes[i]! / model.state.rocksdbBlockBytes, shape.entries + shape.timers) / p;
    return a + blocks * (separatorBytes + model.state.rocksdbIndexEntryOverheadBytes);
  }, 0);
  const rocksDbNeed = rocksDbManagedPerSlot(
    backend === 'rocksdb' && stateful ? columnFamiliesPerSlot : 0,
    indexBytesPerSlot,
    statePerSlotBytes,
    model,
  );
  const managedPerSlotNeeded = rocksDbNeed.total;

  let userMemory: bigint | undefined;
  let userMemoryRoundedFrom: bigint | undefined;
  if (spec.cluster.taskManagerMemory !== undefined) {
    const parsed = parseMemorySize(spec.cluster.taskManagerMemory);
    userMemory = (parsed / MiB) * MiB;
    if (userMemory !== parsed) userMemoryRoundedFrom = parsed;
    if (userMemory < MiB) userMemory = MiB;
  }

  // The job is I/O-bound when its largest parallelism belongs to synchronous lookups that wait on
  // the external system longer than they compute: those subtasks need threads, not cores.
  const ioBound = graph.nodes.some(
    (n, i) =>
      n.role === 'operator' &&
      n.kind === 'lookup-join' &&
      n.async !== true &&
      pars[i]!.parallelism === slotsRequired &&
      (1 - (n.cacheHitRatio ?? 0)) * (n.lookupLatencyMs ?? model.lookup.defaultLatencyMs) * 1000 >
        pars[i]!.cost.micros,
  );
  const tm = planTaskManagers({
    version: spec.flinkVersion,
    ioBound,
    slotsRequired,
    targetCores,
    slotLoads,
    backend,
    stateful,
    needs: {
      taskHeapPerSlot: taskHeapPerSlotNeeded,
      managedPerSlot: managedPerSlotNeeded,
      buffersFor: (slots) => buffersRequiredPerTaskManager(graph, list, pars, slots, model),
    },
    user: {
      ...(spec.cluster.taskManagerCpu !== undefined ? { cpu: spec.cluster.taskManagerCpu } : {}),
      ...(spec.cluster.slotsPerTaskManager !== undefined ? { slots: spec.cluster.slotsPerTaskManager } : {}),
      ...(userMemory !== undefined ? { memoryBytes: userMemory } : {}),
      ...(spec.cluster.maxTaskManagers !== undefined
        ? { maxTaskManagers: spec.cluster.maxTaskManagers }
        : {}),
    },
    model,
  });

  const statefulTasks = pars.reduce((a, np, i) => a + (bytes[i]!.backendBytes > 0 ? np.parallelism : 0), 0);
  const jm = planJobManagerFor(
    spec.flinkVersion,
    {
      tasks: pars.reduce((a, np) => a + np.parallelism, 0),
      statefulTasks,
      stateBytesPerStatefulTask:
        statefulTasks > 0 ? bytes.reduce((a, b) => a + b.backendBytes, 0) / statefulTasks : 0,
      incremental: backend === 'rocksdb' && (spec.state.incrementalCheckpoints ?? true),
      taskManagers: tm.count,
    },
    spec.cluster.jobManagerCpu,
    model,
  );

  // Busiest TaskManager: its first slots host min(slotsPerTM, p) subtasks of each operator.
  const s = tm.slotsPerTaskManager;
  const statePerTaskManagerBytes = backendBytes.reduce(
    (a, b, i) => a + (b * Math.min(s, pars[i]!.parallelism)) / pars[i]!.parallelism,
    0,
  );
  const totalStateBytes = backendBytes.reduce((a, b) => a + b, 0);
  const checkpointPerTm = bytes.reduce(
    (a, b, i) => a + (b.checkpointBytes * Math.min(s, pars[i]!.parallelism)) / pars[i]!.parallelism,
    0,
  );
  const totalCheckpointBytes = bytes.reduce((a, b) => a + b.checkpointBytes, 0);
  const nic = nicBytesPerSecond(spec.cluster.networkGbps);
  const checkpoint = planCheckpoints({
    shapes,
    checkpointBytes: bytes.map((b) => b.checkpointBytes),
    backend,
    state: spec.state,
    busiestTaskManagerShare: totalCheckpointBytes > 0 ? checkpointPerTm / totalCheckpointBytes : 0,
    slotsPerTaskManager: tm.slotsPerTaskManager,
    buffersPerTaskManager: Number(tm.planned.plan.networkBuffers),
    nicBytesPerSecond: nic,
    model,
  });
  const traffic = trafficPerTaskManager(
    graph,
    rates,
    list,
    tm.count,
    checkpoint.sizeBytes / tm.count / checkpoint.intervalSeconds,
  );
  const localDiskBytes =
    backend === 'rocksdb' ? Math.ceil(statePerTaskManagerBytes * model.state.rocksdbLocalDiskFactor) : 0;
  const plan = tm.planned.plan;
  const cost = monthlyCost(
    { count: tm.count, cpu: tm.cpu, containerMiB: Number(plan.containerMemoryMiB) },
    { cpu: jm.cpu, containerMiB: Number(jm.planned.plan.containerMemoryMiB) },
    pricing,
  );

  const ctx: PlanContext = {
    spec,
    model,
    pricing,
    graph,
    rates,
    shapes,
    stateBytes: bytes,
    pars,
    backend,
    backendDecidedBy,
    heapStateBytes,
    requiredCores: cores,
    totalRequiredCores,
    targetCores,
    slotsRequired,
    slotLoads,
    busiestTaskManagerCores: busiestTaskManagerCores(slotLoads, tm.slotsPerTaskManager),
    maxParallelism,
    maxParallelismDecidedBy: explicitMax !== undefined ? 'user' : 'default',
    recommendedMaxParallelism: recommendedMax,
    exchanges: list,
    taskManagers: tm,
    taskHeapPerSlotNeeded,
    heapStatePerSlotInPlan,
    managedPerSlotNeeded,
    rocksDbNeed,
    columnFamiliesPerSlot,
    jobManager: jm,
    statePerSlotBytes: Math.ceil(statePerSlotBytes),
    statePerTaskManagerBytes: Math.ceil(statePerTaskManagerBytes),
    totalStateBytes,
    localDiskBytes,
    checkpoint,
    traffic,
    nicBytesPerSecond: nic,
    cost,
    ...(userMemoryRoundedFrom !== undefined ? { userMemoryRoundedFrom } : {}),
  };

  const operators: OperatorEstimate[] = graph.nodes.map((node, i) => {
    const r = rates[i]!;
    const np = pars[i]!;
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
      requiredCores: cores[i]!,
      parallelism: np.parallelism,
      parallelismDecidedBy: np.decidedBy,
      busyAtPeak: busyAtPeak(r.inRecordsPerSecond, np),
      stateBytes: bytes[i]!.backendBytes,
    };
  });

  const toNumbers = <T extends object>(o: T) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Number(v)])) as { [K in keyof T]: number };

  return withDeploymentFit(
    {
      modelVersion: model.version,
      flinkVersion: spec.flinkVersion,
      parallelism: {
        default: slotsRequired,
        max: maxParallelism,
        maxDecidedBy: explicitMax !== undefined ? 'user' : 'default',
        recommendedMax,
      },
      operators,
      cpu: {
        requiredCores: totalRequiredCores,
        targetCores,
        taskManagerCores: tm.count * tm.cpu,
        jobManagerCores: jm.cpu,
        totalCores: tm.count * tm.cpu + jm.cpu,
      },
      slots: { required: slotsRequired, available: tm.count * tm.slotsPerTaskManager },
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
        localDiskBytes,
      },
      jobManager: {
        cpu: jm.cpu,
        memory: toNumbers(jm.planned.plan.memory),
        flinkConfig: { ...jm.planned.config },
        containerMemoryMiB: Number(jm.planned.plan.containerMemoryMiB),
      },
      state: {
        totalBytes: totalStateBytes,
        perTaskManagerBytes: Math.ceil(statePerTaskManagerBytes),
        perSlotBytes: Math.ceil(statePerSlotBytes),
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
      flinkConfig: jobConfig(spec, slotsRequired, backend, checkpoint.incremental),
      warnings: collectWarnings(ctx),
      explanation: explain(ctx),
    },
    spec,
    pricing,
  );
}
