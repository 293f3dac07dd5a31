/**
 * The reverse planner: from a container size and what each slot needs, the Flink options that
 * make Flink derive exactly that container — and the derivation Flink will do with them.
 *
 * The configuration always sets `*.memory.process.size` to the container size (so the pod's
 * memory request, ⌊process / MiB⌋ Mi, equals it) and leaves the rest to Flink's own derivation
 * (path C in the reference, §2.2): the result is checked by running that derivation, never by a
 * separate formula.
 */

import { jobManagerHeapOf, taskHeapPerSlotOf } from './fits.js';
import { javaDoubleToString } from './java.js';
import { deriveJobManager } from './jobmanager.js';
import { formatHumanReadable, formatMemorySizeCompact, MiB, TiB } from './size.js';
import { deriveTaskManager } from './taskmanager.js';
import type { Derivation, FlinkVersion, JobManagerPlan, TaskManagerPlan } from './types.js';
import { profileFor } from './versions.js';

const hr = formatHumanReadable;

/** What the estimation engine asks of one TaskManager. */
export interface TaskManagerPlanRequest {
  version: FlinkVersion;
  /** The container (pod) memory, a whole number of MiB. */
  processMemory: bigint;
  cpuCores: number;
  slots: number;
  /** Managed memory per slot (RocksDB budget); the TM gets slots × this. Default: Flink's fraction. */
  managedPerSlot?: bigint;
  /** Network memory for the whole TM (network.min = network.max). Default: Flink's fraction. */
  networkMemory?: bigint;
  /** Minimum task heap per slot the plan must leave. */
  taskHeapPerSlot?: bigint;
}

export type TaskManagerSizing = Omit<TaskManagerPlanRequest, 'processMemory'>;

export interface PlannedTaskManager {
  /** Flink options (strings as in config.yaml) that derive to `plan`. */
  config: Record<string, string>;
  plan: TaskManagerPlan;
}

export interface JobManagerPlanRequest {
  version: FlinkVersion;
  processMemory: bigint;
  cpuCores: number;
}

export interface PlannedJobManager {
  config: Record<string, string>;
  plan: JobManagerPlan;
  cpuCores: number;
}

/** Largest container the searches consider (8 TiB). */
const MAX_MIB = (8n * TiB) / MiB;

function invalid<P>(message: string, hint: string, option?: string): Derivation<P> {
  return { valid: false, error: option === undefined ? { message, hint } : { message, hint, option } };
}

/** Request checks that are ours, not Flink's (Flink would reject these too, less clearly). */
function checkSizing(sizing: TaskManagerSizing): string | undefined {
  if (!Number.isInteger(sizing.slots) || sizing.slots < 1 || sizing.slots > 2147483647) {
    return `slots must be a whole number of at least 1 (got ${sizing.slots})`;
  }
  if (!Number.isFinite(sizing.cpuCores) || sizing.cpuCores <= 0) {
    return `cpuCores must be a positive number (got ${sizing.cpuCores})`;
  }
  for (const [name, value] of [
    ['managedPerSlot', sizing.managedPerSlot],
    ['networkMemory', sizing.networkMemory],
    ['taskHeapPerSlot', sizing.taskHeapPerSlot],
  ] as const) {
    if (value !== undefined && value < 0n) return `${name} must not be negative (got ${value})`;
  }
  return undefined;
}

/** The Flink options for a TaskManager of `processMemory` bytes. */
export function taskManagerConfig(sizing: TaskManagerSizing, processMemory: bigint): Record<string, string> {
  const config: Record<string, string> = {
    'taskmanager.memory.process.size': formatMemorySizeCompact(processMemory),
    'taskmanager.numberOfTaskSlots': String(sizing.slots),
    'taskmanager.cpu.cores': javaDoubleToString(sizing.cpuCores),
  };
  if (sizing.managedPerSlot !== undefined) {
    config['taskmanager.memory.managed.size'] = formatMemorySizeCompact(
      BigInt(sizing.slots) * sizing.managedPerSlot,
    );
  }
  if (sizing.networkMemory !== undefined) {
    const network = formatMemorySizeCompact(sizing.networkMemory);
    config['taskmanager.memory.network.min'] = network;
    config['taskmanager.memory.network.max'] = network;
  }
  return config;
}

/** Whether a container of `mib` MiB holds the sizing (what taskManagerConfig writes, derived). */
function fitsTaskManager(sizing: TaskManagerSizing): (mib: bigint) => boolean {
  const taskHeapPerSlot = taskHeapPerSlotOf(
    {
      slots: sizing.slots,
      ...(sizing.managedPerSlot !== undefined
        ? { managed: BigInt(sizing.slots) * sizing.managedPerSlot }
        : {}),
      ...(sizing.networkMemory !== undefined ? { network: sizing.networkMemory } : {}),
    },
    profileFor(sizing.version),
  );
  const wanted = sizing.taskHeapPerSlot ?? 0n;
  return (mib) => {
    const heap = taskHeapPerSlot(mib * MiB);
    return heap !== undefined && heap >= wanted;
  };
}

/**
 * Smallest whole-MiB value in [1, MAX_MIB] for which `ok` holds, assuming `ok` is monotone
 * (a larger container never loses what a smaller one had); undefined if none. Gallops away
 * from `guess` in doubling steps, then bisects, so a close guess costs only a few probes.
 */
function smallestMiB(ok: (mib: bigint) => boolean, guess: bigint): bigint | undefined {
  const start = guess < 1n ? 1n : guess > MAX_MIB ? MAX_MIB : guess;
  let lo: bigint; // known not ok (0 stands for "below the range")
  let hi: bigint; // known ok
  if (ok(start)) {
    hi = start;
    let step = 1n;
    lo = start - step;
    while (lo >= 1n && ok(lo)) {
      hi = lo;
      step *= 2n;
      lo = start - step;
    }
    if (lo < 0n) lo = 0n;
  } else {
    lo = start;
    let step = 1n;
    hi = start + step > MAX_MIB ? MAX_MIB : start + step;
    while (!ok(hi)) {
      if (hi >= MAX_MIB) return undefined;
      lo = hi;
      step *= 2n;
      hi = start + step > MAX_MIB ? MAX_MIB : start + step;
    }
  }
  while (hi - lo > 1n) {
    const mid: bigint = (lo + hi) / 2n;
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * A close first guess of the smallest container, from Flink's defaults (framework heap and
 * off-heap 128m each, metaspace 256m, managed 0.4 and network 0.1 ≥ 64m of total Flink,
 * overhead 0.1 of the process within [192m, 1g]); the search then checks it with the real
 * derivation.
 */
function estimateProcessMiB(sizing: TaskManagerSizing): bigint {
  const slots = sizing.slots;
  const mb = (bytes: bigint | undefined): number => Number(bytes ?? 0n) / 1048576;
  const fixed = 256 + slots * mb(sizing.managedPerSlot) + slots * mb(sizing.taskHeapPerSlot);
  const managedFraction = sizing.managedPerSlot === undefined ? 0.4 : 0;
  let flink: number;
  if (sizing.networkMemory !== undefined) flink = (fixed + mb(sizing.networkMemory)) / (1 - managedFraction);
  else {
    flink = (fixed + 64) / (1 - managedFraction);
    if (flink * 0.1 > 64) flink = fixed / (1 - managedFraction - 0.1);
  }
  const withMetaspace = flink + 256;
  let process = withMetaspace / 0.9;
  if (process * 0.1 < 192) process = withMetaspace + 192;
  else if (process * 0.1 > 1024) process = withMetaspace + 1024;
  return Number.isFinite(process) ? BigInt(Math.ceil(process)) : 1024n;
}

/**
 * The smallest whole-MiB TaskManager process size (container size) Flink accepts for this
 * sizing and that leaves at least `taskHeapPerSlot` of task heap in every slot; undefined when
 * even 8 TiB does not (or the sizing itself is invalid). A handful of derivations.
 */
export function minimumTaskManagerProcessSize(sizing: TaskManagerSizing): bigint | undefined {
  if (checkSizing(sizing) !== undefined) return undefined;
  const mib = smallestMiB(fitsTaskManager(sizing), estimateProcessMiB(sizing));
  return mib === undefined ? undefined : mib * MiB;
}

function describeNeeds(sizing: TaskManagerSizing): string {
  const parts = [`${sizing.slots} slot${sizing.slots === 1 ? '' : 's'}`];
  if (sizing.managedPerSlot !== undefined) parts.push(`${hr(sizing.managedPerSlot)} managed memory per slot`);
  if (sizing.networkMemory !== undefined) parts.push(`${hr(sizing.networkMemory)} network memory`);
  if (sizing.taskHeapPerSlot !== undefined) parts.push(`${hr(sizing.taskHeapPerSlot)} task heap per slot`);
  return parts.join(', ');
}

/**
 * Plans a TaskManager that fills a container of `processMemory` exactly: the returned `config`
 * derives (Flink's own rules) to `plan`, with `plan.memory.totalProcessMemory === processMemory`.
 * Rejected when the container cannot hold what was asked; the message says how much is missing
 * and which container size is the smallest that works.
 */
export function planTaskManager(request: TaskManagerPlanRequest): Derivation<PlannedTaskManager> {
  const problem = checkSizing(request);
  if (problem !== undefined)
    return invalid(problem, 'Fix the request; it is not a TaskManager Flink can run.');
  const { processMemory } = request;
  if (processMemory <= 0n || processMemory % MiB !== 0n) {
    const floor = (processMemory / MiB) * MiB;
    return invalid(
      `processMemory must be a positive whole number of MiB (got ${processMemory} bytes); Kubernetes requests memory in whole MiB.`,
      floor > 0n ? `Use ${formatMemorySizeCompact(floor)}.` : 'Use at least 1m.',
      'taskmanager.memory.process.size',
    );
  }
  const config = taskManagerConfig(request, processMemory);
  const derived = deriveTaskManager(config, request.version);
  const wanted = request.taskHeapPerSlot ?? 0n;
  if (derived.valid && derived.plan.perSlot.taskHeap >= wanted) {
    return { valid: true, plan: { config, plan: derived.plan } };
  }
  const smallest = minimumTaskManagerProcessSize(request);
  const smallestText =
    smallest === undefined
      ? 'no container up to 8 TiB fits it'
      : `the smallest container that works is ${formatMemorySizeCompact(smallest)} (${hr(smallest)})`;
  const missing = smallest === undefined ? undefined : smallest - processMemory;
  const lead = `A ${formatMemorySizeCompact(processMemory)} TaskManager cannot hold ${describeNeeds(request)}`;
  const hint =
    smallest === undefined
      ? 'Lower managedPerSlot, networkMemory or taskHeapPerSlot, or use fewer slots.'
      : `Set taskmanager.memory.process.size to ${formatMemorySizeCompact(smallest)}, or lower managed/network memory or the number of slots.`;
  if (!derived.valid) {
    const short = missing === undefined ? '' : `: ${hr(missing)} missing`;
    return invalid(
      `${lead}${short}; ${smallestText}. Flink: ${derived.error.message}`,
      hint,
      'taskmanager.memory.process.size',
    );
  }
  const perSlot = derived.plan.perSlot.taskHeap;
  return invalid(
    `${lead}: it leaves ${hr(perSlot)} task heap per slot, ${hr(wanted - perSlot)} short of ${hr(wanted)}; ${smallestText}.`,
    hint,
    'taskmanager.memory.process.size',
  );
}

/** The smallest TaskManager for a sizing, planned (the engine's usual call). */
export function planSmallestTaskManager(sizing: TaskManagerSizing): Derivation<PlannedTaskManager> {
  const problem = checkSizing(sizing);
  if (problem !== undefined)
    return invalid(problem, 'Fix the request; it is not a TaskManager Flink can run.');
  const smallest = minimumTaskManagerProcessSize(sizing);
  if (smallest === undefined) {
    return invalid(
      `No TaskManager up to 8 TiB can hold ${describeNeeds(sizing)}.`,
      'Lower managedPerSlot, networkMemory or taskHeapPerSlot, or use fewer slots.',
    );
  }
  return planTaskManager({ ...sizing, processMemory: smallest });
}

/**
 * The smallest whole-MiB JobManager process size Flink accepts (577m with defaults), or with at
 * least `minHeap` of JVM heap (704m for Flink's recommended 128m). The JobManager's defaults are
 * the same in every modelled release, so `version` does not change the answer.
 */
export function minimumJobManagerProcessSize(_version: FlinkVersion, minHeap = 0n): bigint | undefined {
  const heapOf = jobManagerHeapOf();
  // First guess: heap + 128m off-heap + 256m metaspace, and the overhead's 192m floor.
  const guess = minHeap / MiB + 576n;
  const mib = smallestMiB((m) => {
    const heap = heapOf(m * MiB);
    return heap !== undefined && heap >= minHeap;
  }, guess);
  return mib === undefined ? undefined : mib * MiB;
}

/** Plans a JobManager filling a container of `processMemory` (whole MiB) exactly. */
export function planJobManager(request: JobManagerPlanRequest): Derivation<PlannedJobManager> {
  if (!Number.isFinite(request.cpuCores) || request.cpuCores <= 0) {
    return invalid(
      `cpuCores must be a positive number (got ${request.cpuCores})`,
      'Use at least 0.5 CPU cores; 1 is typical.',
    );
  }
  const { processMemory } = request;
  if (processMemory <= 0n || processMemory % MiB !== 0n) {
    const floor = (processMemory / MiB) * MiB;
    return invalid(
      `processMemory must be a positive whole number of MiB (got ${processMemory} bytes); Kubernetes requests memory in whole MiB.`,
      floor > 0n ? `Use ${formatMemorySizeCompact(floor)}.` : 'Use at least 1m.',
      'jobmanager.memory.process.size',
    );
  }
  const config = { 'jobmanager.memory.process.size': formatMemorySizeCompact(processMemory) };
  const derived = deriveJobManager(config, request.version);
  if (derived.valid) return { valid: true, plan: { config, plan: derived.plan, cpuCores: request.cpuCores } };
  const smallest = minimumJobManagerProcessSize(request.version);
  const tail =
    smallest === undefined
      ? ''
      : `: ${hr(smallest - processMemory)} missing; the smallest JobManager that works is ${formatMemorySizeCompact(smallest)}`;
  return invalid(
    `A ${formatMemorySizeCompact(processMemory)} JobManager is too small${tail}. Flink: ${derived.error.message}`,
    smallest === undefined
      ? derived.error.hint
      : `Set jobmanager.memory.process.size to at least ${formatMemorySizeCompact(smallest)} (704m or more leaves Flink's recommended 128m heap).`,
    'jobmanager.memory.process.size',
  );
}
