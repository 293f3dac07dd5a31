/**
 * The JobManager memory model (FLIP-116), byte for byte as Flink derives it.
 *
 * Re-derived from release-1.20 `JobManagerFlinkMemoryUtils` (J2 heap + off-heap ≠ total Flink,
 * J3 heap > total Flink, J4 total Flink ≤ off-heap; the off-heap remainder when only heap and
 * total Flink are set; the WARN below the recommended 128m heap), `JobManagerProcessUtils`
 * (failures prefixed "JobManager memory configuration failed: "; the legacy
 * `jobmanager.heap.size|mb` mapped to the process size by the containerized client
 * `AbstractContainerizedClusterClientFactory`, to the heap by the standalone `BashJavaUtils`)
 * and `ProcessMemoryUtils.generateJvmParametersStr` (-XX:MaxDirectMemorySize only when
 * `jobmanager.memory.enable-jvm-direct-memory-limit` is true). The shared path and JVM steps
 * are in process.ts.
 */

import {
  FlinkException,
  illegalConfiguration,
  type Probe,
  probe,
  rejection,
  wrapWithPrefix,
} from './errors.js';
import { jobManagerHint } from './hints.js';
import { FlinkConfiguration, type JobManagerOptions, jobManagerOptions } from './options.js';
import { addBytes, deriveProcessMemory, type FlinkMemoryDeriver } from './process.js';
import { formatHumanReadable, MiB } from './size.js';
import type { DeriveOptions } from './taskmanager.js';
import type { Derivation, FlinkConfig, FlinkVersion, JobManagerPlan, JvmArgs } from './types.js';
import { type MemoryModelProfile, profileFor } from './versions.js';

const hr = formatHumanReadable;

/** `JobManagerOptions.MIN_JVM_HEAP_SIZE`: a recommendation only (Flink logs a WARN below it). */
export const JOB_MANAGER_MIN_RECOMMENDED_HEAP = 128n * MiB;

interface JobManagerFlinkMemory {
  heap: bigint;
  offHeap: bigint;
}

function jobManagerDeriver(options: JobManagerOptions): FlinkMemoryDeriver<JobManagerFlinkMemory> {
  const create = (conf: FlinkConfiguration, heap: bigint, offHeap: bigint): JobManagerFlinkMemory => {
    if (heap < JOB_MANAGER_MIN_RECOMMENDED_HEAP) {
      conf.log.add(
        () =>
          `The configured or derived JVM heap memory size (${hr(heap)}) is less than its recommended minimum value (${hr(JOB_MANAGER_MIN_RECOMMENDED_HEAP)})`,
      );
    }
    return { heap, offHeap };
  };
  return {
    fromRequiredFineGrained(conf) {
      const heap = conf.memory(options.jvmHeap);
      let offHeap = conf.memory(options.offHeap);
      if (conf.contains(options.totalFlink)) {
        const totalFlink = conf.memory(options.totalFlink);
        if (conf.contains(options.offHeap)) {
          const sum = addBytes(heap, offHeap);
          if (sum !== totalFlink) {
            throw illegalConfiguration(
              `Sum of the configured JVM Heap Memory (${hr(heap)}) and the configured Off-heap Memory (${hr(offHeap)}) does not match the configured Total Flink Memory (${hr(totalFlink)}). Please, make the configuration consistent or configure only one option: either JVM Heap or Total Flink Memory.`,
              { code: 'J2', option: options.totalFlink.key, facts: { heap, offHeap, totalFlink } },
            );
          }
        } else {
          if (totalFlink < heap) {
            throw illegalConfiguration(
              `The configured JVM Heap Memory (${hr(heap)}) exceeds the configured Total Flink Memory (${hr(totalFlink)}). Please, make the configuration consistent or configure only one option: either JVM Heap or Total Flink Memory.`,
              { code: 'J3', option: options.totalFlink.key, facts: { heap, totalFlink } },
            );
          }
          const derived = totalFlink - heap;
          if (derived !== offHeap) {
            const ignored = offHeap; // the note is formatted later, after offHeap is replaced
            conf.log.add(
              () =>
                `The Off-Heap Memory size (${hr(derived)}) is derived the configured Total Flink Memory size (${hr(totalFlink)}) minus the configured JVM Heap Memory size (${hr(heap)}). The default Off-Heap Memory size (${hr(ignored)}) is ignored.`,
            );
          }
          offHeap = derived;
        }
      }
      return create(conf, heap, offHeap);
    },
    fromTotalFlink(conf, totalFlink) {
      const offHeap = conf.memory(options.offHeap);
      if (totalFlink <= offHeap) {
        throw illegalConfiguration(
          `The configured Total Flink Memory (${hr(totalFlink)}) is less than the configured Off-heap Memory (${hr(offHeap)}).`,
          { code: 'J4', option: options.totalFlink.key, facts: { totalFlink, offHeap } },
        );
      }
      return create(conf, totalFlink - offHeap, offHeap);
    },
    totalFlink(m) {
      return addBytes(m.heap, m.offHeap);
    },
  };
}

function mapLegacyHeap(
  conf: FlinkConfiguration,
  options: JobManagerOptions,
  profile: MemoryModelProfile,
  deployment: 'containerized' | 'standalone',
): FlinkConfiguration {
  if (!profile.legacyHeapOptions) return conf;
  const target = deployment === 'standalone' ? options.jvmHeap : options.totalProcess;
  if (conf.contains(target)) return conf;
  let legacy: bigint | undefined;
  if (conf.contains(options.legacyHeap)) legacy = conf.memory(options.legacyHeap);
  else if (conf.contains(options.legacyHeapMb)) {
    const mb = conf.get(options.legacyHeapMb) ?? 0;
    if (mb < 0) {
      throw illegalConfiguration(`Configured total process memory size (${mb}MB) must not be less than 0.`, {
        code: 'LEGACY_HEAP',
        option: options.legacyHeapMb.key,
      });
    }
    legacy = BigInt(mb) << 20n;
  }
  if (legacy === undefined) return conf;
  conf.log.add(
    () =>
      `'${target.key}' is not specified, use the configured deprecated task manager heap value (${hr(legacy)}) for it.`,
  );
  return conf.with(target.key, `${legacy}b`);
}

export function deriveJobManagerOrThrow(
  config: FlinkConfig,
  profile: MemoryModelProfile,
  deployment: 'containerized' | 'standalone' = 'containerized',
): JobManagerPlan {
  const options = jobManagerOptions();
  let conf = FlinkConfiguration.of(config);
  let spec: ReturnType<typeof deriveProcessMemory<JobManagerFlinkMemory>>;
  try {
    conf = mapLegacyHeap(conf, options, profile, deployment);
    spec = deriveProcessMemory(
      conf,
      {
        requiredFineGrained: [options.jvmHeap],
        totalFlink: options.totalFlink,
        totalProcess: options.totalProcess,
        jvmMetaspace: options.jvmMetaspace,
        jvmOverheadMin: options.jvmOverheadMin,
        jvmOverheadMax: options.jvmOverheadMax,
        jvmOverheadFraction: options.jvmOverheadFraction,
      },
      jobManagerDeriver(options),
    );
  } catch (error) {
    if (error instanceof FlinkException && error.javaClass === 'IllegalConfigurationException') {
      throw wrapWithPrefix('JobManager memory configuration failed: ', error);
    }
    throw error;
  }
  const { flink, metaspace, overhead } = spec;
  const totalFlinkMemory = addBytes(flink.heap, flink.offHeap);
  const totalProcessMemory = addBytes(totalFlinkMemory, metaspace, overhead);
  const jvmArgs: JvmArgs = { Xmx: flink.heap, Xms: flink.heap, MaxMetaspaceSize: metaspace };
  if (conf.get(options.directMemoryLimit)) jvmArgs.MaxDirectMemorySize = flink.offHeap;
  return {
    memory: {
      jvmHeap: flink.heap,
      offHeap: flink.offHeap,
      jvmMetaspace: metaspace,
      jvmOverhead: overhead,
      totalFlinkMemory,
      totalProcessMemory,
    },
    jvmArgs,
    containerMemoryMiB: totalProcessMemory / MiB,
    derivedFrom:
      spec.path === 'fine-grained' ? 'heap' : spec.path === 'total-flink' ? 'total-flink' : 'total-process',
    // Read when asked: most plans the engine derives never show their notes (NoteLog).
    get notes() {
      return conf.log.lines;
    },
  };
}

export type JobManagerProbe = Probe<JobManagerPlan>;

export function probeJobManager(
  config: FlinkConfig,
  profile: MemoryModelProfile,
  deployment: 'containerized' | 'standalone' = 'containerized',
): JobManagerProbe {
  return probe(() => deriveJobManagerOrThrow(config, profile, deployment));
}

/**
 * Derives a JobManager's memory exactly as Flink would (`jobmanager.memory.*`, the legacy
 * `jobmanager.heap.*` keys up to 1.20); other keys are ignored.
 */
export function deriveJobManager(
  config: FlinkConfig,
  version: FlinkVersion,
  options: DeriveOptions = {},
): Derivation<JobManagerPlan> {
  const profile = options.profile ?? profileFor(version);
  const deployment = options.deployment ?? 'containerized';
  const result = probeJobManager(config, profile, deployment);
  if (result.valid) return result;
  const { failure } = result;
  return {
    valid: false,
    error: rejection(
      failure,
      jobManagerHint(failure, config, (c) => probeJobManager(c, profile, deployment)),
    ),
  };
}
