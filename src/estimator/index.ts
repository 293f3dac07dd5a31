/**
 * The estimation engine: a JobSpec in, a complete, explained Flink resource plan out.
 * Pure and deterministic — no I/O, no clock, no environment; the same spec (and model and
 * prices) always gives the same Estimate.
 *
 * Steps: normalize (quick form → DAG) → rates at peak → state shapes → backend → CPU cost per
 * record → parallelism → slots and TaskManager shape → memory through the memory module →
 * JobManager → checkpoints → network → cost → warnings → explanation.
 */

import type { JobSpec } from '../jobspec/index.js';
import type { Estimate } from '../schemas/estimate.js';
import { assembleEstimate } from './assemble.js';
import { windowBursts } from './bursts.js';
import { planCheckpoints } from './checkpoints.js';
import type { PlanContext } from './context.js';
import { defaultPricing, monthlyCost, type Pricing } from './cost.js';
import { withDeploymentFit } from './deployment-fit.js';
import { planJobManagerFor } from './jobmanager.js';
import { defaultModel, type Model } from './model.js';
import {
  buffersRequiredPerTaskManager,
  exchanges,
  nicBytesPerSecond,
  trafficPerTaskManager,
} from './network.js';
import { allocatable, nodeShapeOf, podsPerNode } from './node-fit.js';
import { localDiskLimit, planNodes } from './nodes.js';
import { normalize } from './normalize.js';
import { recommendedMaxParallelism } from './parallelism/index.js';
import { planDownTheLadder, type ShapeLadder, shapeLadder } from './shapes.js';
import { jobManagerLoad, placeState, slotLoads, slotNeeds } from './slots.js';
import { busiestTaskManagerCores, planTaskManagers } from './taskmanagers.js';
import { userTaskManager } from './user-cluster.js';

export { defaultPricing, type Pricing, PricingSchema } from './cost.js';
export { defaultModel, MODEL_VERSION, type Model, ModelSchema } from './model.js';
export { WARNING_CODES, type WarningCode } from './warnings.js';

export interface EstimateOptions {
  model?: Model;
  pricing?: Pricing;
}

/**
 * What a plan costs at its shape: the steps up to the price, which every other part of the
 * Estimate (state placement, checkpoints, network, warnings, explanation) builds on but never
 * changes.
 */
function planShape(spec: JobSpec, options: EstimateOptions) {
  const model = options.model ?? defaultModel;
  const pricing = options.pricing ?? defaultPricing;
  const graph = normalize(spec, model);
  const { user, userMemoryRoundedFrom } = userTaskManager(spec.cluster);
  // A container size the user fixed suggests the CPU (AWS's 1 KPU = 1 vCPU + 4 GB).
  const cpuFromMemory =
    user.memoryBytes !== undefined
      ? Math.max(1, Math.round(Number(user.memoryBytes) / model.taskManager.processBytesPerCore))
      : undefined;
  const node = nodeShapeOf(spec.cluster);
  // Parallelism and TaskManagers for a size ladder (shapes.ts), state spread for slots sharing a
  // core's local disk `slotsPerCore` at a time (nodes.ts, stateLimitPerSlot).
  const shapedAt = (ladder: ShapeLadder, slotsPerCore?: number) => {
    const planned = planNodes(graph, spec, ladder, model, slotsPerCore);
    const { nodes, backend, stateful } = planned;
    const { slotsRequired, slotLoads: loads } = slotLoads(nodes);
    const list = exchanges(graph, nodes);
    const needs = slotNeeds(nodes, backend, stateful, model);
    // The TaskManager planner asks for the same slot count more than once; count each once.
    const buffersBySlots = new Map<number, number>();
    const buffersFor = (slots: number): number => {
      let buffers = buffersBySlots.get(slots);
      if (buffers === undefined) {
        buffers = buffersRequiredPerTaskManager(graph, list, nodes, slots, model);
        buffersBySlots.set(slots, buffers);
      }
      return buffers;
    };
    const tm = planTaskManagers({
      version: spec.flinkVersion,
      ioBound: planned.ioBound,
      ladder,
      slotsRequired,
      targetCores: planned.targetCores,
      slotLoads: loads,
      backend,
      stateful,
      needs: {
        taskHeapPerSlot: needs.taskHeapPerSlotNeeded,
        managedPerSlot: needs.rocksDbNeed.total,
        buffersFor,
      },
      user,
      model,
    });
    return { planned, slotsRequired, loads, list, needs, tm };
  };
  // State is first spread for one slot per core. A denser TaskManager (slots waiting on I/O, or the
  // user's slots) shares each core's local disk among more slots: when its RocksDB files then
  // overflow the disk, plan again for that density. The density assumed only grows and takes one of
  // the ladder's few slots-per-CPU values, so this ends within a few rounds.
  const shaped = (ladder: ShapeLadder) => {
    let result = shapedAt(ladder);
    for (;;) {
      const { planned, tm } = result;
      const density = tm.slotsPerTaskManager / tm.cpu;
      if (planned.backend !== 'rocksdb' || density <= planned.stateSpread.limit.slotsPerCore) return result;
      const disk = placeState(planned.nodes, tm.slotsPerTaskManager, 'rocksdb', model).localDiskBytes;
      if (disk <= localDiskLimit(tm.cpu, model)) return result;
      result = shapedAt(ladder, density);
    }
  };
  // A TaskManager pod larger than the user's node never schedules: step down the ladder (shapes.ts).
  const space = node && allocatable(node);
  const { planned: shape } = planDownTheLadder(
    shapeLadder(spec.cluster, node, cpuFromMemory, model),
    shaped,
    (s) => s.tm.cpu,
    ({ tm }) =>
      space === undefined ||
      podsPerNode(space, { cpu: tm.cpu, memoryBytes: Number(tm.planned.plan.memory.totalProcessMemory) }) > 0,
  );
  const { tm } = shape;
  const { nodes, backend } = shape.planned;
  const jm = planJobManagerFor(
    spec.flinkVersion,
    jobManagerLoad(nodes, backend, spec.state.incrementalCheckpoints, tm.count),
    spec.cluster.jobManagerCpu,
    model,
    space?.cpu,
  );
  const cost = monthlyCost(
    { count: tm.count, cpu: tm.cpu, containerMiB: Number(tm.planned.plan.containerMemoryMiB) },
    { cpu: jm.cpu, containerMiB: Number(jm.planned.plan.containerMemoryMiB) },
    pricing,
  );
  return { model, pricing, graph, userMemoryRoundedFrom, shape, jm, cost };
}

/**
 * A plan's size and price at its load, without the rest of the Estimate: each field equals
 * the same field of estimate(spec, options). The load chart asks this at several loads.
 */
export interface LoadPlan {
  parallelism: { default: number };
  cpu: { totalCores: number };
  taskManagers: { count: number; cpu: number; memory: { totalProcessMemory: number } };
  cost: { monthly: number; currency: string };
}

export function planAtLoad(spec: JobSpec, options: EstimateOptions = {}): LoadPlan {
  const { pricing, shape, jm, cost } = planShape(spec, options);
  const { tm } = shape;
  return {
    parallelism: { default: shape.slotsRequired },
    cpu: { totalCores: tm.count * tm.cpu + jm.cpu },
    taskManagers: {
      count: tm.count,
      cpu: tm.cpu,
      memory: { totalProcessMemory: Number(tm.planned.plan.memory.totalProcessMemory) },
    },
    cost: { monthly: cost.monthly, currency: pricing.currency },
  };
}

export function estimate(spec: JobSpec, options: EstimateOptions = {}): Estimate {
  const { model, pricing, graph, userMemoryRoundedFrom, shape, jm, cost } = planShape(spec, options);
  const { planned, slotsRequired, loads, list, needs, tm } = shape;
  const { nodes, backend } = planned;
  const placement = placeState(nodes, tm.slotsPerTaskManager, backend, model);
  const nic = nicBytesPerSecond(spec.cluster.networkGbps);
  const checkpoint = planCheckpoints({
    nodes,
    backend,
    state: spec.state,
    busiestTaskManagerShare: placement.busiestTaskManagerCheckpointShare,
    slotsPerTaskManager: tm.slotsPerTaskManager,
    buffersPerTaskManager: Number(tm.planned.plan.networkBuffers),
    nicBytesPerSecond: nic,
    model,
  });
  const traffic = trafficPerTaskManager(nodes, list, tm.count, checkpoint);
  const ctx: PlanContext = {
    spec,
    model,
    pricing,
    graph,
    nodes,
    backend,
    backendDecidedBy: planned.backendDecidedBy,
    heapStateBytes: planned.heapStateBytes,
    totalRequiredCores: planned.totalRequiredCores,
    targetCores: planned.targetCores,
    slotsRequired,
    slotLoads: loads,
    busiestTaskManagerCores: busiestTaskManagerCores(loads, tm.slotsPerTaskManager),
    maxParallelism: planned.maxParallelism,
    maxParallelismDecidedBy: planned.maxDecidedBy,
    // The plan's own max parallelism is its recommendation; beside a user's, the advice.
    recommendedMaxParallelism:
      planned.maxDecidedBy === 'user'
        ? recommendedMaxParallelism(slotsRequired, model)
        : planned.maxParallelism,
    exchanges: list,
    taskManagers: tm,
    taskHeapPerSlotNeeded: needs.taskHeapPerSlotNeeded,
    heapStatePerSlotInPlan: needs.heapStatePerSlotInPlan,
    managedPerSlotNeeded: needs.rocksDbNeed.total,
    rocksDbNeed: needs.rocksDbNeed,
    columnFamiliesPerSlot: needs.columnFamiliesPerSlot,
    jobManager: jm,
    statePerSlotBytes: Math.ceil(needs.statePerSlotBytes),
    stateSpread: planned.stateSpread,
    statePerTaskManagerBytes: Math.ceil(placement.statePerTaskManagerBytes),
    totalStateBytes: placement.totalStateBytes,
    localDiskBytes: placement.localDiskBytes,
    checkpoint,
    bursts: windowBursts(graph, nodes, model),
    traffic,
    nicBytesPerSecond: nic,
    cost,
    ...(userMemoryRoundedFrom !== undefined ? { userMemoryRoundedFrom } : {}),
  };
  return withDeploymentFit(assembleEstimate(ctx), spec, pricing);
}
