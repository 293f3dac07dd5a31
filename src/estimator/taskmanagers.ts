import { counted } from './text.js';
/**
 * TaskManager shape and memory. The job needs as many slots as its largest parallelism (one
 * slot-sharing group), and enough cores to run every subtask at the target utilization. The shape
 * (CPU per TaskManager, slots per TaskManager, count) is the cheapest that covers both, unless the
 * user fixed part of it; the memory is then planned THROUGH the memory module, so the reported
 * breakdown is exactly what Flink derives from the emitted options.
 */

import type { StateBackend } from '../jobspec/index.js';
import type { DecidedBy } from '../schemas/estimate.js';
import { at } from './lists.js';
import {
  type FlinkVersion,
  GiB,
  MiB,
  minimumTaskManagerProcessSize,
  type PlannedTaskManager,
  planTaskManager,
  rocksDbArenaBlockSize,
  rocksDbMutableLimit,
  type TaskManagerSizing,
} from './memory/index.js';
import type { Model } from './model.js';
import { cpuCovering, ladderSlotsPerCore, ladderStep, type ShapeLadder } from './shapes.js';

export interface SlotNeeds {
  /** Task heap per slot: working set, plus heap state for the HashMap backend. */
  taskHeapPerSlot: bigint;
  /** RocksDB managed memory per slot (0 for HashMap / stateless: managed memory is set to 0). */
  managedPerSlot: bigint;
  /** Network buffers needed by a TaskManager with `slots` slots. */
  buffersFor: (slots: number) => number;
}

export interface ShapeInput {
  version: FlinkVersion;
  slotsRequired: number;
  /** Cores the job needs at the target utilization (with catch-up headroom). */
  targetCores: number;
  /** Cores each slot index needs at the target (slot j: subtask j of every operator with p > j). */
  slotLoads: number[];
  backend: StateBackend;
  stateful: boolean;
  /** Slot needs for a TaskManager with s slots (heap state per slot is the same for any s). */
  needs: SlotNeeds;
  user: { cpu?: number; slots?: number; memoryBytes?: bigint; maxTaskManagers?: number };
  /** Most subtasks wait on blocking I/O (synchronous lookups): slots may share a core more. */
  ioBound: boolean;
  /** The TaskManager sizes the parallelism step filled (shapes.ts). */
  ladder: ShapeLadder;
  model: Model;
}

export interface TaskManagerPlanResult {
  count: number;
  cpu: number;
  slotsPerTaskManager: number;
  countDecidedBy: DecidedBy;
  planned: PlannedTaskManager;
  /** The options were fixed by the user and the needs do not fit them. */
  doesNotFit?: { neededBytes: bigint | undefined; reason: string };
  buffersRequired: number;
  managedSetExplicitly: boolean;
  networkSetExplicitly: boolean;
  /** Process size the needs alone require (before rounding and the per-core baseline). */
  minimumProcessBytes: bigint | undefined;
  processDecidedBy: DecidedBy;
  shapeReason: string;
  /** Most slots per core the shape could use (more when the subtasks wait on blocking I/O). */
  slotsPerCore: number;
  ioBound: boolean;
}

const roundUpTo = (bytes: bigint, unit: bigint) => ((bytes + unit - 1n) / unit) * unit;

export interface RocksDbSlotNeed {
  /** Write-buffer manager share: one arena block per column family within 7/8 of the WBM. */
  writeBuffers: bigint;
  /** Block cache for the index blocks of the slot's SST files. */
  indexBlocks: bigint;
  /** Block cache for the hot share of the slot's data blocks. */
  dataBlocks: bigint;
  total: bigint;
}

/**
 * Managed memory a RocksDB slot needs for the state it serves (RocksDBMemoryControllerUtils: the
 * slot budget M is split into a block cache of (3 − r)·M/3 and a write-buffer manager of 2·M·r/3
 * charged inside it; the WBM's mutable limit is 7/8 of it): room for one arena block per column
 * family without flush storms, the index blocks, and the model's hot share of the data blocks.
 */
export function rocksDbManagedPerSlot(
  columnFamiliesPerSlot: number,
  indexBytesPerSlot: number,
  stateBytesPerSlot: number,
  model: Model,
): RocksDbSlotNeed {
  if (columnFamiliesPerSlot <= 0) return { writeBuffers: 0n, indexBlocks: 0n, dataBlocks: 0n, total: 0n };
  const arena = rocksDbArenaBlockSize(BigInt(model.state.rocksdbWriteBufferBytes));
  const r = model.state.rocksdbWriteBufferRatio;
  const mutableNeeded = arena * BigInt(columnFamiliesPerSlot);
  // Smallest WBM whose mutable limit (WBM × 7 / 8) holds every column family's arena block.
  let wbm = (mutableNeeded * 8n + 6n) / 7n;
  while (rocksDbMutableLimit(wbm) < mutableNeeded) wbm += 1n;
  const writeBuffers = BigInt(Math.ceil((Number(wbm) * 3) / (2 * r)));
  // The block cache is (3 − r)/3 of the budget: what it must hold, grossed up to a budget.
  const toBudget = (cacheBytes: number) => BigInt(Math.ceil((cacheBytes * 3) / (3 - r)));
  const hot = Math.min(
    stateBytesPerSlot * model.state.rocksdbHotStateShare,
    model.state.rocksdbMaxDataCachePerSlotBytes,
  );
  const indexBlocks = toBudget(indexBytesPerSlot);
  const dataBlocks = toBudget(hot);
  return { writeBuffers, indexBlocks, dataBlocks, total: writeBuffers + indexBlocks + dataBlocks };
}

interface Shape {
  cpu: number;
  slots: number;
  count: number;
  decidedBy: DecidedBy;
  reason: string;
}

/**
 * Cores the busiest TaskManager needs when it hosts `slots` slots. With default slot sharing,
 * slot j holds subtask j of every operator whose parallelism exceeds j, so loads fall with j and
 * the first TaskManager (slots 0 … s−1) is the busiest.
 */
export function busiestTaskManagerCores(slotLoads: readonly number[], slots: number): number {
  let sum = 0;
  for (let j = 0; j < Math.min(slots, slotLoads.length); j++) sum += at(slotLoads, j);
  return sum;
}

const EPS = 1e-9;

/** Divisors of n up to `upTo`, largest first. */
function divisorsDown(n: number, upTo: number): number[] {
  const out: number[] = [];
  for (let d = Math.min(n, upTo); d >= 1; d--) if (n % d === 0) out.push(d);
  return out;
}

/**
 * The shape off the size ladder (shapes.ts): the step for the job's slots gives the CPU and slots
 * per TaskManager; slots per TaskManager divide the slots the job needs (the parallelism step
 * picked a job parallelism that fills whole TaskManagers), so none idles and state splits evenly.
 * When fixed tasks crowd the first slots beyond one core each, the TaskManager gets the CPU they
 * need; a CPU the user fixed keeps fewer slots instead.
 */
function chooseShape(input: ShapeInput): Shape {
  const { user, model, ladder } = input;
  const S = input.slotsRequired;
  const forced = (cpu: number, slots: number, reason: string): Shape => ({
    cpu,
    slots,
    count: Math.max(1, Math.ceil(S / slots)),
    decidedBy: 'user',
    reason,
  });
  if (user.cpu !== undefined && user.slots !== undefined) {
    return forced(user.cpu, user.slots, `⌈${counted(S, 'slot')} ÷ your ${user.slots} per TaskManager⌉`);
  }
  if (user.slots !== undefined) {
    const need = busiestTaskManagerCores(input.slotLoads, user.slots);
    return {
      ...forced(
        cpuCovering(need, model),
        user.slots,
        `⌈${counted(S, 'slot')} ÷ your ${user.slots} per TaskManager⌉`,
      ),
      decidedBy: 'throughput',
    };
  }
  const step = ladderStep(S, ladder, input.ioBound, model);
  const rule = `the size ladder's ${step.cpu}-CPU step (${ladder.basis}; up to ${ladder.perSize} TaskManagers of a size, then the next size, so a TaskManager never shrinks as load grows${input.ioBound ? `; ${step.slots / step.cpu} slots per core: its subtasks mostly wait on I/O` : ''})`;
  const divisors = divisorsDown(S, step.slots);
  const load = (slots: number) => busiestTaskManagerCores(input.slotLoads, slots);
  const userCpu = user.cpu;
  if (userCpu !== undefined) {
    const slots = divisors.find((d) => load(d) <= userCpu + EPS);
    if (slots === undefined)
      return forced(
        userCpu,
        1,
        `one slot per TaskManager; even so its subtasks need ${load(1).toFixed(2)} cores`,
      );
    return {
      ...forced(userCpu, slots, `${counted(S, 'slot')} ÷ ${slots} per TaskManager, ${rule}`),
      decidedBy: 'throughput',
    };
  }
  // The largest divisor of S within the step (S is a multiple of the step's slots unless
  // fixed tasks or a user's max parallelism left no such parallelism).
  const slots = divisors[0] ?? 1;
  const wanted = Math.max(step.cpu, cpuCovering(load(slots), model));
  // Above the node's allocatable CPU the pod never schedules: stop at the largest size it takes.
  const nodeCpu = ladder.nodeCpu;
  const cpu =
    nodeCpu !== undefined && wanted > nodeCpu + EPS
      ? Math.max(step.cpu, ...model.taskManager.cpuCandidates.filter((c) => c <= nodeCpu + EPS))
      : wanted;
  const base = `${counted(S, 'slot')} ÷ ${slots} per TaskManager, ${rule}`;
  const need = load(slots).toFixed(2);
  return {
    cpu,
    slots,
    count: S / slots,
    decidedBy: 'throughput',
    reason:
      cpu < wanted
        ? `${base}; the first slots' subtasks need ${need} cores, but your node's ${nodeCpu} allocatable CPU takes at most ${cpu}-CPU pods`
        : cpu > step.cpu
          ? `${base}; ${cpu} CPU because the first slots' subtasks need ${need} cores`
          : base,
  };
}

function sizingFor(
  input: ShapeInput,
  shape: Shape,
  managed: bigint | undefined,
  network: bigint | undefined,
): TaskManagerSizing {
  return {
    version: input.version,
    cpuCores: shape.cpu,
    slots: shape.slots,
    taskHeapPerSlot: input.needs.taskHeapPerSlot,
    ...(managed !== undefined ? { managedPerSlot: managed } : {}),
    ...(network !== undefined ? { networkMemory: network } : {}),
  };
}

interface MemoryResult {
  planned: PlannedTaskManager;
  managedSet: boolean;
  networkSet: boolean;
  minimum: bigint | undefined;
  processDecidedBy: DecidedBy;
}

/** Network memory for `buffers` buffers with the model's headroom, at least Flink's network.min. */
export function networkMemoryFor(buffers: number, model: Model): bigint {
  const needed = BigInt(Math.ceil(buffers * model.network.headroom)) * BigInt(model.network.segmentBytes);
  const floor = BigInt(model.network.minBytes);
  return roundUpTo(needed > floor ? needed : floor, MiB);
}

/**
 * Plans the memory of a TaskManager with this shape from what it needs: task heap per slot (the
 * working set, plus heap state for HashMap), managed memory for RocksDB (0 otherwise), network
 * memory for its exchanges' buffers plus headroom; framework heap/off-heap, metaspace and JVM
 * overhead follow Flink's defaults and rules (overhead 10% of the process within 192m–1g). The
 * container is the smallest that Flink derives these from, rounded up to the model's step — or the
 * user's container. Returns a failure when the needs exceed the model's largest container.
 */
function planMemory(
  input: ShapeInput,
  shape: Shape,
): MemoryResult | { failed: string; minimum: bigint | undefined } {
  const { model, needs } = input;
  // Stateless and HashMap jobs give managed memory to the heap (Flink "Memory tuning guide").
  const managed = input.backend === 'rocksdb' && input.stateful ? roundUpTo(needs.managedPerSlot, MiB) : 0n;
  const network = networkMemoryFor(needs.buffersFor(shape.slots), model);
  const sizing = sizingFor(input, shape, managed, network);
  const minimum = minimumTaskManagerProcessSize(sizing);
  let process: bigint;
  let processDecidedBy: DecidedBy;
  if (input.user.memoryBytes !== undefined) {
    process = input.user.memoryBytes;
    processDecidedBy = 'user';
  } else {
    if (minimum === undefined || minimum > BigInt(model.taskManager.maxProcessBytes)) {
      return {
        failed: `the needs (${describe(sizing)}) exceed a ${model.taskManager.maxProcessBytes / 2 ** 30} GiB container`,
        minimum,
      };
    }
    process = roundUpTo(minimum, BigInt(model.taskManager.processStepBytes));
    processDecidedBy = input.backend === 'hashmap' && input.stateful ? 'state' : 'memory';
  }
  const result = planTaskManager({ ...sizing, processMemory: process });
  if (!result.valid) return { failed: result.error.message, minimum };
  return {
    planned: result.plan,
    managedSet: managed > 0n,
    networkSet: true,
    minimum,
    processDecidedBy,
  };
}

function describe(sizing: TaskManagerSizing): string {
  const mib = (b: bigint | undefined) => `${Number((b ?? 0n) / MiB)} MiB`;
  return `${sizing.slots} × ${mib(sizing.taskHeapPerSlot)} task heap, ${sizing.slots} × ${mib(sizing.managedPerSlot)} managed, ${mib(sizing.networkMemory)} network`;
}

export function planTaskManagers(input: ShapeInput): TaskManagerPlanResult {
  let shape = chooseShape(input);
  let memory = planMemory(input, shape);
  // Too much per TaskManager: fewer slots per TaskManager (more, smaller TaskManagers), still a
  // divisor of the slots the job needs.
  while (
    'failed' in memory &&
    input.user.memoryBytes === undefined &&
    input.user.slots === undefined &&
    shape.slots > 1
  ) {
    const slots = divisorsDown(input.slotsRequired, shape.slots - 1)[0] ?? 1;
    const perCore = ladderSlotsPerCore(input.ioBound, input.model);
    shape = {
      ...shape,
      slots,
      cpu:
        input.user.cpu ??
        Math.max(
          cpuCovering(slots / perCore, input.model),
          cpuCovering(busiestTaskManagerCores(input.slotLoads, slots), input.model),
        ),
      count: Math.ceil(input.slotsRequired / slots),
      decidedBy: 'memory',
      reason: `fewer slots per TaskManager so that each fits in ${input.model.taskManager.maxProcessBytes / 2 ** 30} GiB`,
    };
    memory = planMemory(input, shape);
  }
  const buffersRequired = input.needs.buffersFor(shape.slots);
  if ('failed' in memory) {
    // Plan what the container holds with Flink's defaults, and report what is missing.
    const fallback = planTaskManager({
      version: input.version,
      cpuCores: shape.cpu,
      slots: shape.slots,
      processMemory: input.user.memoryBytes ?? BigInt(input.model.taskManager.maxProcessBytes),
    });
    const planned = fallback.valid
      ? fallback.plan
      : (() => {
          const rescue = planTaskManager({
            version: input.version,
            cpuCores: shape.cpu,
            slots: shape.slots,
            processMemory: roundUpTo(
              minimumTaskManagerProcessSize({
                version: input.version,
                cpuCores: shape.cpu,
                slots: shape.slots,
              }) ?? GiB,
              GiB,
            ),
          });
          if (!rescue.valid) throw new Error(`No TaskManager plan: ${rescue.error.message}`);
          return rescue.plan;
        })();
    return {
      count: shape.count,
      cpu: shape.cpu,
      slotsPerTaskManager: shape.slots,
      countDecidedBy: shape.decidedBy,
      planned,
      doesNotFit: { neededBytes: memory.minimum, reason: memory.failed },
      buffersRequired,
      managedSetExplicitly: false,
      networkSetExplicitly: false,
      minimumProcessBytes: memory.minimum,
      processDecidedBy: input.user.memoryBytes !== undefined ? 'user' : 'container',
      shapeReason: shape.reason,
      slotsPerCore: ladderSlotsPerCore(input.ioBound, input.model),
      ioBound: input.ioBound,
    };
  }
  return {
    count: shape.count,
    cpu: shape.cpu,
    slotsPerTaskManager: shape.slots,
    countDecidedBy: shape.decidedBy,
    planned: memory.planned,
    buffersRequired,
    managedSetExplicitly: memory.managedSet,
    networkSetExplicitly: memory.networkSet,
    minimumProcessBytes: memory.minimum,
    processDecidedBy: memory.processDecidedBy,
    shapeReason: shape.reason,
    slotsPerCore: ladderSlotsPerCore(input.ioBound, input.model),
    ioBound: input.ioBound,
  };
}
