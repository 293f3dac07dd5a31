/**
 * The public shapes of Flink's memory model as this project uses it.
 *
 * Every byte amount is a `bigint`: Flink computes in 64-bit longs and some products exceed
 * Number.MAX_SAFE_INTEGER. Callers that serialise to JSON convert at the edge.
 */

/** Flink versions the estimator speaks. 1.18–1.20 share release 1.20's memory code. */
export const FLINK_VERSIONS = ['1.18', '1.19', '1.20', '2.0', '2.1'] as const;
export type FlinkVersion = (typeof FLINK_VERSIONS)[number];

/** A Flink configuration: keys and values exactly as written in Flink's config file. */
export type FlinkConfig = Readonly<Record<string, string>>;

/** TaskManager components (FLIP-49), bytes. */
export interface TaskManagerMemory {
  frameworkHeap: bigint;
  taskHeap: bigint;
  managed: bigint;
  frameworkOffHeap: bigint;
  taskOffHeap: bigint;
  network: bigint;
  jvmMetaspace: bigint;
  jvmOverhead: bigint;
  totalFlinkMemory: bigint;
  totalProcessMemory: bigint;
}

/** JobManager components (FLIP-116), bytes. */
export interface JobManagerMemory {
  jvmHeap: bigint;
  offHeap: bigint;
  jvmMetaspace: bigint;
  jvmOverhead: bigint;
  totalFlinkMemory: bigint;
  totalProcessMemory: bigint;
}

/** The JVM flags Flink's start scripts pass (bytes). MaxDirectMemorySize is absent for a JM without the limit. */
export interface JvmArgs {
  Xmx: bigint;
  Xms: bigint;
  MaxDirectMemorySize?: bigint;
  MaxMetaspaceSize: bigint;
}

/** Per-slot share of a TaskManager: each component divided by the slot count, integer division. */
export interface SlotShare {
  cpuCores: number;
  taskHeap: bigint;
  taskOffHeap: bigint;
  managed: bigint;
  network: bigint;
}

export interface TaskManagerPlan {
  memory: TaskManagerMemory;
  jvmArgs: JvmArgs;
  /** floor(network / segment size). */
  networkBuffers: bigint;
  segmentSize: bigint;
  slots: number;
  /** taskmanager.cpu.cores, or the slot count when it is not set. */
  cpuCores: number;
  perSlot: SlotShare;
  /** Kubernetes container memory request: floor(process / MiB) MiB. */
  containerMemoryMiB: bigint;
  /** Which derivation path Flink took: fine-grained task heap + managed, total Flink, or total process. */
  derivedFrom: 'task-heap-and-managed' | 'total-flink' | 'total-process';
  /** Notes Flink would log (a fraction raised to a minimum, a default ignored), in plain words. */
  notes: string[];
}

export interface JobManagerPlan {
  memory: JobManagerMemory;
  jvmArgs: JvmArgs;
  containerMemoryMiB: bigint;
  derivedFrom: 'heap' | 'total-flink' | 'total-process';
  notes: string[];
}

/** Flink's rejection: its message, and the smallest change that makes the configuration valid. */
export interface MemoryConfigError {
  message: string;
  hint: string;
  /** The option most directly at fault, where one is. */
  option?: string;
  /**
   * Which rule fired: E1–E9 and J2–J4 as in the reference's tables, or PARSE, SLOTS,
   * SEGMENT_SIZE, CPU, LEGACY_HEAP, OVERFLOW, NETWORK_BUFFERS for option-level failures.
   */
  code?: string;
  /**
   * The whole exception chain Flink throws, outermost first (e.g. "TaskManager memory
   * configuration failed: …", then each "Caused by" message). `message` is the informative one.
   */
  details?: string[];
}

export type Derivation<P> = { valid: true; plan: P } | { valid: false; error: MemoryConfigError };
