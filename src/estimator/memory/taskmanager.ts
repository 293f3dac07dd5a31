/**
 * The TaskManager memory model (FLIP-49), byte for byte as Flink derives it.
 *
 * Re-derived from release-1.20 (WangS-C/flink-1.20, a copy of apache/flink release-1.20):
 * - `TaskExecutorFlinkMemoryUtils` (`deriveFromRequiredFineGrainedOptions`,
 *   `deriveFromTotalFlinkMemory`, the legacy `taskmanager.network.numberOfBuffers` path and the
 *   network sanity checks);
 * - `TaskExecutorProcessUtils` (`processSpecFromConfig` prefixes failures with
 *   "TaskManager memory configuration failed: "; `getCpuCoresWithFallback`: E9);
 * - `MemoryBackwardsCompatibilityUtils` (legacy `taskmanager.heap.size|mb`, mapped to the process
 *   size by the active resource managers and the containerized client, to total Flink memory
 *   by the standalone start scripts via `BashJavaUtils`);
 * - `ConfigurationParserUtils.getSlot/getPageSize` and
 *   `NettyShuffleEnvironmentConfiguration.calculateNumberOfNetworkBuffers`, the checks a
 *   TaskManager makes when it starts (`TaskManagerServicesConfiguration`);
 * - `TaskExecutorResourceUtils.generateDefaultSlotResourceProfile` and `Resource` (per-slot
 *   shares: integer division; CPU as a BigDecimal truncated to 8 decimals).
 */

import {
  FlinkException,
  illegalConfiguration,
  type Probe,
  probe,
  rejection,
  wrapWithPrefix,
} from './errors.js';
import { taskManagerHint } from './hints.js';
import { JavaNumberFormatException, javaDecimalOf, javaDoubleToString, LONG_MAX } from './java.js';
import { FlinkConfiguration, type TaskManagerOptions, taskManagerOptions } from './options.js';
import {
  addBytes,
  deriveProcessMemory,
  deriveWithFraction,
  deriveWithInverseFraction,
  type FlinkMemoryDeriver,
  multiply,
  type RangeFraction,
  readRangeFraction,
} from './process.js';
import { formatHumanReadable, MiB } from './size.js';
import type { Derivation, FlinkConfig, FlinkVersion, TaskManagerPlan } from './types.js';
import { type MemoryModelProfile, profileFor } from './versions.js';

const hr = formatHumanReadable;

export interface DeriveOptions {
  /** Use another release's defaults (e.g. `memoryModelProfile('1.16')` for the 1g network cap). */
  profile?: MemoryModelProfile;
  /**
   * Where a legacy heap option (`taskmanager.heap.size|mb`, ≤1.20) goes when the target is not
   * set: `containerized` (Kubernetes/YARN; Flink's active resource manager maps it to the process
   * size; the default) or `standalone` (the start scripts map it to total Flink memory).
   */
  deployment?: 'containerized' | 'standalone';
}

interface TaskExecutorFlinkMemory {
  frameworkHeap: bigint;
  frameworkOffHeap: bigint;
  taskHeap: bigint;
  taskOffHeap: bigint;
  network: bigint;
  managed: bigint;
}

const MIN_PAGE_SIZE = 4096n;
const INT_MAX = 2147483647n;

function segmentSizeError(value: bigint, reason: string): FlinkException {
  return illegalConfiguration(
    `Invalid configuration value for taskmanager.memory.segment-size : ${value} - ${reason}`,
    { code: 'SEGMENT_SIZE', option: 'taskmanager.memory.segment-size', facts: { segmentSize: value } },
  );
}

/** `ConfigurationParserUtils.getPageSize`: an int ≥ 4096 and a power of two. */
function pageSize(conf: FlinkConfiguration, options: TaskManagerOptions): bigint {
  const size = conf.get(options.segmentSize) ?? 32768n;
  if (size > INT_MAX) {
    throw new FlinkException('IllegalArgumentException', `Cannot downcast long value ${size} to integer.`, {
      code: 'SEGMENT_SIZE',
      option: options.segmentSize.key,
      facts: { segmentSize: size },
    });
  }
  if (size < MIN_PAGE_SIZE) throw segmentSizeError(size, 'Minimum memory segment size is 4096');
  if ((size & (size - 1n)) !== 0n) throw segmentSizeError(size, 'Memory segment size must be a power of 2.');
  return size;
}

function taskExecutorDeriver(
  options: TaskManagerOptions,
  profile: MemoryModelProfile,
): FlinkMemoryDeriver<TaskExecutorFlinkMemory> {
  const usesLegacyNetwork = (conf: FlinkConfiguration): boolean =>
    profile.legacyNetworkBuffers &&
    !(
      conf.contains(options.networkMin) ||
      conf.contains(options.networkMax) ||
      conf.contains(options.networkFraction)
    ) &&
    conf.contains(options.numberOfBuffers);

  const legacyNetwork = (conf: FlinkConfiguration): bigint => {
    const buffers = BigInt(conf.get(options.numberOfBuffers) ?? 2048);
    const bytes = buffers * pageSize(conf, options);
    if (bytes < 0n)
      throw new FlinkException('IllegalArgumentException', 'bytes must be >= 0', { code: 'E8' });
    return bytes;
  };

  const networkRange = (conf: FlinkConfiguration): RangeFraction =>
    readRangeFraction(
      conf,
      conf.memory(options.networkMin),
      conf.memory(options.networkMax),
      options.networkFraction,
      {
        minKey: options.networkMin.key,
        maxKey: options.networkMax.key,
      },
    );

  const managedAbsoluteOrFraction = (conf: FlinkConfiguration, totalFlink: bigint): bigint =>
    conf.contains(options.managedSize)
      ? conf.memory(options.managedSize)
      : deriveWithFraction(
          conf,
          'managed memory',
          totalFlink,
          readRangeFraction(conf, 0n, LONG_MAX, options.managedFraction, {}),
        );

  /** The network remainder must match its configuration; Flink wraps any failure here (E5). */
  const checkRemainderNetwork = (conf: FlinkConfiguration, network: bigint, totalFlink: bigint): void => {
    try {
      if (usesLegacyNetwork(conf)) {
        const configured = legacyNetwork(conf);
        if (configured !== network) {
          throw illegalConfiguration(
            `Derived Network Memory size (${hr(network)}) does not match configured Network Memory size (${hr(configured)}).`,
            { code: 'E8', option: options.numberOfBuffers.key, facts: { network, configured } },
          );
        }
        return;
      }
      const range = networkRange(conf);
      if (network > range.max || network < range.min) {
        throw illegalConfiguration(
          `Derived Network Memory size (${hr(network)}) is not in configured Network Memory range [${hr(range.min)}, ${hr(range.max)}].`,
          {
            code: 'E5',
            facts: {
              network,
              min: range.min,
              max: range.max,
              side: network < range.min ? 'below' : 'above',
              totalFlink,
            },
          },
        );
      }
      if (conf.contains(options.networkFraction) && network !== multiply(totalFlink, range.fraction)) {
        conf.log.add(
          () =>
            `The derived Network Memory size (${hr(network)}) does not match the configured Network Memory fraction (${javaDoubleToString(range.fraction)}) from the configured Total Flink Memory size (${hr(totalFlink)}). The derived Network Memory size will be used.`,
        );
      }
    } catch (error) {
      if (error instanceof FlinkException && error.javaClass === 'IllegalConfigurationException') {
        throw illegalConfiguration(
          'If Total Flink, Task Heap and (or) Managed Memory sizes are explicitly configured then the Network Memory size is the rest of the Total Flink memory after subtracting all other configured types of memory, but the derived Network Memory is inconsistent with its configuration.',
          { cause: error, withCause: true },
        );
      }
      throw error;
    }
  };

  const exceedsWithTaskHeap = (
    m: Omit<TaskExecutorFlinkMemory, 'network'>,
    totalFlink: bigint,
    excl: bigint,
  ) =>
    illegalConfiguration(
      `Sum of configured Framework Heap Memory (${hr(m.frameworkHeap)}), Framework Off-Heap Memory (${hr(m.frameworkOffHeap)}), Task Heap Memory (${hr(m.taskHeap)}), Task Off-Heap Memory (${hr(m.taskOffHeap)}) and Managed Memory (${hr(m.managed)}) exceed configured Total Flink Memory (${hr(totalFlink)}).`,
      { code: 'E4', facts: { totalFlink, fixed: excl, managed: m.managed, taskHeap: m.taskHeap } },
    );

  return {
    fromRequiredFineGrained(conf) {
      const taskHeap = conf.memory(options.taskHeap);
      const managed = conf.memory(options.managedSize);
      const frameworkHeap = conf.memory(options.frameworkHeap);
      const frameworkOffHeap = conf.memory(options.frameworkOffHeap);
      const taskOffHeap = conf.memory(options.taskOffHeap);
      const excl = addBytes(frameworkHeap, frameworkOffHeap, taskHeap, taskOffHeap, managed);
      let network: bigint;
      if (conf.contains(options.totalFlink)) {
        const totalFlink = conf.memory(options.totalFlink);
        if (excl > totalFlink) {
          throw exceedsWithTaskHeap(
            { frameworkHeap, frameworkOffHeap, taskHeap, taskOffHeap, managed },
            totalFlink,
            excl,
          );
        }
        network = totalFlink - excl;
        checkRemainderNetwork(conf, network, totalFlink);
      } else {
        network = usesLegacyNetwork(conf)
          ? legacyNetwork(conf)
          : deriveWithInverseFraction(conf, 'network memory', excl, networkRange(conf));
      }
      return { frameworkHeap, frameworkOffHeap, taskHeap, taskOffHeap, network, managed };
    },

    fromTotalFlink(conf, totalFlink) {
      const frameworkHeap = conf.memory(options.frameworkHeap);
      const frameworkOffHeap = conf.memory(options.frameworkOffHeap);
      const taskOffHeap = conf.memory(options.taskOffHeap);
      if (conf.contains(options.taskHeap)) {
        const taskHeap = conf.memory(options.taskHeap);
        const managed = managedAbsoluteOrFraction(conf, totalFlink);
        const excl = addBytes(frameworkHeap, frameworkOffHeap, taskHeap, taskOffHeap, managed);
        if (excl > totalFlink) {
          throw exceedsWithTaskHeap(
            { frameworkHeap, frameworkOffHeap, taskHeap, taskOffHeap, managed },
            totalFlink,
            excl,
          );
        }
        const network = totalFlink - excl;
        checkRemainderNetwork(conf, network, totalFlink);
        return { frameworkHeap, frameworkOffHeap, taskHeap, taskOffHeap, network, managed };
      }
      const managed = managedAbsoluteOrFraction(conf, totalFlink);
      const network = usesLegacyNetwork(conf)
        ? legacyNetwork(conf)
        : deriveWithFraction(conf, 'network memory', totalFlink, networkRange(conf));
      const excl = addBytes(frameworkHeap, frameworkOffHeap, taskOffHeap, managed, network);
      if (excl > totalFlink) {
        throw illegalConfiguration(
          `Sum of configured Framework Heap Memory (${hr(frameworkHeap)}), Framework Off-Heap Memory (${hr(frameworkOffHeap)}), Task Off-Heap Memory (${hr(taskOffHeap)}), Managed Memory (${hr(managed)}) and Network Memory (${hr(network)}) exceed configured Total Flink Memory (${hr(totalFlink)}).`,
          { code: 'E4', facts: { totalFlink, fixed: excl, managed, network } },
        );
      }
      return { frameworkHeap, frameworkOffHeap, taskHeap: totalFlink - excl, taskOffHeap, network, managed };
    },

    totalFlink(m) {
      return addBytes(m.frameworkHeap, m.frameworkOffHeap, m.taskHeap, m.taskOffHeap, m.network, m.managed);
    },
  };
}

/**
 * `MemoryBackwardsCompatibilityUtils.getConfWithLegacyHeapSizeMappedToNewConfigOption` for the
 * TaskManager (≤1.20 only; the options are gone in 2.0).
 */
function mapLegacyHeap(
  conf: FlinkConfiguration,
  options: TaskManagerOptions,
  profile: MemoryModelProfile,
  deployment: 'containerized' | 'standalone',
): FlinkConfiguration {
  if (!profile.legacyHeapOptions) return conf;
  const target = deployment === 'standalone' ? options.totalFlink : options.totalProcess;
  if (conf.contains(target)) return conf;
  let legacy: bigint | undefined;
  try {
    if (conf.contains(options.legacyHeap)) legacy = conf.memory(options.legacyHeap);
    else if (conf.contains(options.legacyHeapMb)) {
      const mb = conf.get(options.legacyHeapMb) ?? 0;
      if (mb < 0) {
        throw illegalConfiguration(
          `Configured total process memory size (${mb}MB) must not be less than 0.`,
          {
            code: 'LEGACY_HEAP',
            option: options.legacyHeapMb.key,
          },
        );
      }
      legacy = BigInt(mb) << 20n;
    }
  } catch (error) {
    if (error instanceof FlinkException && error.javaClass === 'IllegalConfigurationException') {
      throw wrapWithPrefix('TaskManager failed to map legacy JVM heap option to the new one: ', error);
    }
    throw error;
  }
  if (legacy === undefined) return conf;
  conf.log.add(
    () =>
      `'${target.key}' is not specified, use the configured deprecated task manager heap value (${hr(legacy)}) for it.`,
  );
  return conf.with(target.key, `${legacy}b`);
}

/** `new CPUResource(cores)`: BigDecimal.valueOf(cores) truncated to 8 decimals (NaN/∞ are rejected). */
function cpuTruncated(cores: number): { unscaled: bigint; scale: 8 } {
  let decimal: { unscaled: bigint; scale: number };
  try {
    decimal = javaDecimalOf(cores);
  } catch (error) {
    if (error instanceof JavaNumberFormatException) {
      throw new FlinkException('NumberFormatException', error.message, {
        code: 'CPU',
        option: 'taskmanager.cpu.cores',
        facts: { cores },
      });
    }
    throw error;
  }
  const { unscaled, scale } = decimal;
  const at8 = scale <= 8 ? unscaled * 10n ** BigInt(8 - scale) : unscaled / 10n ** BigInt(scale - 8);
  return { unscaled: at8, scale: 8 };
}

function decimal8ToNumber(unscaled: bigint): number {
  // Up to 2^53 the integer is exact as a double, and one IEEE division rounds unscaled / 10^8 to
  // the nearest double, as reading the decimal text does.
  if (unscaled <= 9007199254740992n && unscaled >= -9007199254740992n) return Number(unscaled) / 1e8;
  const negative = unscaled < 0n;
  const abs = negative ? -unscaled : unscaled;
  const text = `${abs / 100000000n}.${(abs % 100000000n).toString().padStart(8, '0')}`;
  return Number(negative ? `-${text}` : text);
}

/** `TaskExecutorProcessUtils.getCpuCoresWithFallback(config, -1)`: cpu.cores, else the slot count. */
function cpuCores(conf: FlinkConfiguration, options: TaskManagerOptions): bigint {
  const fromOption = conf.contains(options.cpuCores);
  const cores = fromOption ? (conf.get(options.cpuCores) ?? 0) : (conf.get(options.slots) ?? 1);
  if (cores <= 0) {
    throw illegalConfiguration(
      'TaskExecutors need to be started with a positive number of CPU cores. Please configure taskmanager.cpu.cores accordingly.',
      { code: 'E9', option: options.cpuCores.key, facts: { cores, fromSlots: !fromOption } },
    );
  }
  return cpuTruncated(cores).unscaled;
}

/** Derives the plan, throwing Flink's exception on rejection. */
export function deriveTaskManagerOrThrow(
  config: FlinkConfig,
  profile: MemoryModelProfile,
  deployment: 'containerized' | 'standalone' = 'containerized',
): TaskManagerPlan {
  const options = taskManagerOptions(profile);
  const conf = mapLegacyHeap(FlinkConfiguration.of(config), options, profile, deployment);
  let spec: ReturnType<typeof deriveProcessMemory<TaskExecutorFlinkMemory>>;
  try {
    spec = deriveProcessMemory(
      conf,
      {
        requiredFineGrained: [options.taskHeap, options.managedSize],
        totalFlink: options.totalFlink,
        totalProcess: options.totalProcess,
        jvmMetaspace: options.jvmMetaspace,
        jvmOverheadMin: options.jvmOverheadMin,
        jvmOverheadMax: options.jvmOverheadMax,
        jvmOverheadFraction: options.jvmOverheadFraction,
      },
      taskExecutorDeriver(options, profile),
    );
  } catch (error) {
    if (error instanceof FlinkException && error.javaClass === 'IllegalConfigurationException') {
      throw wrapWithPrefix('TaskManager memory configuration failed: ', error);
    }
    throw error;
  }
  const cpu8 = cpuCores(conf, options);
  const configuredSlots = conf.get(options.slots) ?? 1;

  // What a TaskManager checks when it starts (TaskManagerServicesConfiguration.fromConfiguration).
  const slots = configuredSlots === -1 ? 1 : configuredSlots;
  if (configuredSlots === -1) conf.log.add('taskmanager.numberOfTaskSlots is -1, which Flink treats as 1');
  if (slots < 1) {
    throw illegalConfiguration(
      `Invalid configuration value for taskmanager.numberOfTaskSlots : ${slots} - Number of task slots must be at least one.`,
      { code: 'SLOTS', option: options.slots.key, facts: { slots } },
    );
  }
  const segmentSize = pageSize(conf, options);
  const { flink, metaspace, overhead } = spec;
  const networkBuffers = flink.network / segmentSize;
  if (networkBuffers > INT_MAX) {
    throw new FlinkException(
      'IllegalArgumentException',
      `The given number of memory bytes (${flink.network}) corresponds to more than MAX_INT pages.`,
      { code: 'NETWORK_BUFFERS', option: options.segmentSize.key, facts: { network: flink.network } },
    );
  }

  const totalFlinkMemory = addBytes(
    flink.frameworkHeap,
    flink.frameworkOffHeap,
    flink.taskHeap,
    flink.taskOffHeap,
    flink.network,
    flink.managed,
  );
  const totalProcessMemory = addBytes(totalFlinkMemory, metaspace, overhead);
  const slotCount = BigInt(slots);
  return {
    memory: {
      frameworkHeap: flink.frameworkHeap,
      taskHeap: flink.taskHeap,
      managed: flink.managed,
      frameworkOffHeap: flink.frameworkOffHeap,
      taskOffHeap: flink.taskOffHeap,
      network: flink.network,
      jvmMetaspace: metaspace,
      jvmOverhead: overhead,
      totalFlinkMemory,
      totalProcessMemory,
    },
    jvmArgs: {
      Xmx: flink.frameworkHeap + flink.taskHeap,
      Xms: flink.frameworkHeap + flink.taskHeap,
      MaxDirectMemorySize: flink.frameworkOffHeap + flink.taskOffHeap + flink.network,
      MaxMetaspaceSize: metaspace,
    },
    networkBuffers,
    segmentSize,
    slots,
    cpuCores: decimal8ToNumber(cpu8),
    perSlot: {
      cpuCores: decimal8ToNumber(cpu8 / slotCount),
      taskHeap: flink.taskHeap / slotCount,
      taskOffHeap: flink.taskOffHeap / slotCount,
      managed: flink.managed / slotCount,
      network: flink.network / slotCount,
    },
    containerMemoryMiB: totalProcessMemory / MiB,
    derivedFrom:
      spec.path === 'fine-grained'
        ? 'task-heap-and-managed'
        : spec.path === 'total-flink'
          ? 'total-flink'
          : 'total-process',
    // Read when asked: most plans the engine derives never show their notes (NoteLog).
    get notes() {
      return conf.log.lines;
    },
  };
}

/** Result of a derivation without a hint (what hint searches probe). */
export type TaskManagerProbe = Probe<TaskManagerPlan>;

export function probeTaskManager(
  config: FlinkConfig,
  profile: MemoryModelProfile,
  deployment: 'containerized' | 'standalone' = 'containerized',
): TaskManagerProbe {
  return probe(() => deriveTaskManagerOrThrow(config, profile, deployment));
}

/**
 * Derives a TaskManager's memory exactly as Flink would from a configuration (keys and string
 * values as in Flink's config file; unrelated keys are ignored). A rejection carries Flink's
 * message and a computed hint naming the smallest change that fixes it.
 */
export function deriveTaskManager(
  config: FlinkConfig,
  version: FlinkVersion,
  options: DeriveOptions = {},
): Derivation<TaskManagerPlan> {
  const profile = options.profile ?? profileFor(version);
  const deployment = options.deployment ?? 'containerized';
  const result = probeTaskManager(config, profile, deployment);
  if (result.valid) return result;
  const { failure } = result;
  return {
    valid: false,
    error: rejection(
      failure,
      taskManagerHint(failure, config, (c) => probeTaskManager(c, profile, deployment)),
    ),
  };
}
