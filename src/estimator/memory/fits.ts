/**
 * What the planner's searches ask of a container size, answered without building and parsing
 * option strings or throwing Flink's exceptions: the searches try sizes Flink rejects on purpose.
 *
 * Exact for the configurations the planner itself writes — `*.memory.process.size` plus, for a
 * TaskManager, `taskmanager.memory.managed.size` and `taskmanager.memory.network.min = max`, all
 * other options at Flink's defaults (read from options.ts). For those, only the process-size path
 * (release-1.20 `ProcessMemoryUtils.deriveJvmMetaspaceAndOverheadWithTotalProcessMemory`, then
 * `TaskExecutorFlinkMemoryUtils.deriveFromTotalFlinkMemory` /
 * `JobManagerFlinkMemoryUtils.deriveFromTotalFlinkMemory`) depends on the size; the slot, CPU
 * and segment checks do not. The plan a caller receives is still derived from the written
 * options by taskmanager.ts / jobmanager.ts; test/unit/estimator/memory/fits.test.ts holds the
 * two to the same answer.
 */

import { capToMinMax, decimalMultiplier, multiplyByDecimal } from './fraction.js';
import { LONG_MAX } from './java.js';
import { jobManagerOptions, type OptionSpec, taskManagerOptions } from './options.js';
import type { MemoryModelProfile } from './versions.js';

const INT_MAX = 2147483647n;

function defaultOf<T>(option: OptionSpec<T>): T {
  const value = option.defaultValue;
  if (value === undefined) throw new Error(`${option.key} has no default`);
  return value;
}

interface OverheadRule {
  metaspace: bigint;
  min: bigint;
  max: bigint;
  fraction: ReturnType<typeof decimalMultiplier>;
}

/** Total Flink memory of a process size, or undefined when metaspace + overhead exceed it (E3). */
function totalFlinkOf(process: bigint, rule: OverheadRule): bigint | undefined {
  const overhead = capToMinMax(multiplyByDecimal(process, rule.fraction), rule.min, rule.max).value;
  const jvm = rule.metaspace + overhead;
  return jvm > process ? undefined : process - jvm;
}

export interface TaskManagerFitRequest {
  slots: number;
  /** Managed memory for the whole TaskManager (`managed.size`); default: Flink's fraction. */
  managed?: bigint;
  /** `network.min = network.max`; default: Flink's fraction and range. */
  network?: bigint;
}

/**
 * Task heap per slot Flink derives for a TaskManager of `process` bytes, or undefined when Flink
 * rejects that size (E3, E4, or more network buffers than an int holds).
 */
export function taskHeapPerSlotOf(
  request: TaskManagerFitRequest,
  profile: MemoryModelProfile,
): (process: bigint) => bigint | undefined {
  const o = taskManagerOptions(profile);
  const overhead: OverheadRule = {
    metaspace: defaultOf(o.jvmMetaspace),
    min: defaultOf(o.jvmOverheadMin),
    max: defaultOf(o.jvmOverheadMax),
    fraction: decimalMultiplier(defaultOf(o.jvmOverheadFraction)),
  };
  const fixed = defaultOf(o.frameworkHeap) + defaultOf(o.frameworkOffHeap) + defaultOf(o.taskOffHeap);
  const managedFraction = decimalMultiplier(defaultOf(o.managedFraction));
  const networkFraction = decimalMultiplier(defaultOf(o.networkFraction));
  const networkMin = request.network ?? defaultOf(o.networkMin);
  const networkMax = request.network ?? defaultOf(o.networkMax);
  const segment = defaultOf(o.segmentSize);
  const slots = BigInt(request.slots);
  return (process) => {
    const totalFlink = totalFlinkOf(process, overhead);
    if (totalFlink === undefined) return undefined;
    const managed =
      request.managed ?? capToMinMax(multiplyByDecimal(totalFlink, managedFraction), 0n, LONG_MAX).value;
    const network = capToMinMax(multiplyByDecimal(totalFlink, networkFraction), networkMin, networkMax).value;
    const excluded = fixed + managed + network;
    if (excluded > totalFlink || network / segment > INT_MAX) return undefined;
    return (totalFlink - excluded) / slots;
  };
}

/** JVM heap Flink derives for a JobManager of `process` bytes, or undefined when it rejects it (E3, J4). */
export function jobManagerHeapOf(): (process: bigint) => bigint | undefined {
  const o = jobManagerOptions();
  const overhead: OverheadRule = {
    metaspace: defaultOf(o.jvmMetaspace),
    min: defaultOf(o.jvmOverheadMin),
    max: defaultOf(o.jvmOverheadMax),
    fraction: decimalMultiplier(defaultOf(o.jvmOverheadFraction)),
  };
  const offHeap = defaultOf(o.offHeap);
  return (process) => {
    const totalFlink = totalFlinkOf(process, overhead);
    return totalFlink === undefined || totalFlink <= offHeap ? undefined : totalFlink - offHeap;
  };
}
