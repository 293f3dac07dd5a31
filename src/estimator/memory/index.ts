/**
 * Flink's memory model, byte for byte (release-1.20 rules for 1.18–1.20; each 2.x release's own
 * defaults). Pure functions: no I/O, no environment.
 *
 * Forward — what Flink derives from a configuration:
 * - {@link deriveTaskManager}(config, version) → `{ valid: true, plan }` (every component, JVM
 *   flags, network buffers, per-slot shares, container MiB) or `{ valid: false, error }` with
 *   Flink's message and a computed hint.
 * - {@link deriveJobManager}(config, version) likewise for the JobManager.
 *
 * Reverse — the options that make Flink derive a given container:
 * - {@link planTaskManager}({ version, processMemory, cpuCores, slots, managedPerSlot?,
 *   networkMemory?, taskHeapPerSlot? }) → `{ config, plan }`; `config` sets
 *   `taskmanager.memory.process.size` to the container, and `plan` is what Flink derives from it.
 * - {@link minimumTaskManagerProcessSize}(sizing) → the smallest whole-MiB container that fits;
 *   {@link planSmallestTaskManager}(sizing) plans it in one call (the estimation engine's usual
 *   entry point: a close estimate checked by a few derivations, well under a millisecond).
 * - {@link planJobManager} and {@link minimumJobManagerProcessSize} for the JobManager.
 *
 * Building blocks: {@link parseMemorySize} / {@link formatMemorySize} /
 * {@link formatHumanReadable} (Flink's `MemorySize`), {@link multiplyBytes} (fraction
 * arithmetic), {@link networkRequirementPerTaskManager} (buffers a job needs per TaskManager),
 * {@link defaultMaxParallelism} and {@link keyGroupRange}, and {@link rocksDbSlotMemory}.
 */

export {
  capToMinMax,
  inverseFractionMultiplier,
  isValidRangeFraction,
  JavaArithmeticError,
  multiplyBytes,
  parseFraction,
} from './fraction.js';
export {
  JavaNumberFormatException,
  javaDoubleToString,
  javaFloatToString,
  javaFormatFixed,
  parseJavaDouble,
  parseJavaFloat,
  parseJavaInt,
} from './java.js';
export { deriveJobManager, JOB_MANAGER_MIN_RECOMMENDED_HEAP } from './jobmanager.js';
export {
  DEFAULT_LOWER_BOUND_MAX_PARALLELISM,
  defaultMaxParallelism,
  type KeyGroupRange,
  keyGroupRange,
  keyGroupSkew,
  operatorIndexForKeyGroup,
  UPPER_BOUND_MAX_PARALLELISM,
} from './keygroups.js';
export {
  DEFAULT_BUFFERS_PER_CHANNEL,
  DEFAULT_FLOATING_BUFFERS_PER_GATE,
  type NetworkEdge,
  type NetworkRequirement,
  type NetworkRequirementInput,
  type NetworkVertex,
  networkBuffersAvailable,
  networkRequirementPerTaskManager,
  networkSegmentsForGate,
  type ShipStrategy,
} from './network.js';
export {
  type JobManagerPlanRequest,
  minimumJobManagerProcessSize,
  minimumTaskManagerProcessSize,
  type PlannedJobManager,
  type PlannedTaskManager,
  planJobManager,
  planSmallestTaskManager,
  planTaskManager,
  type TaskManagerPlanRequest,
  type TaskManagerSizing,
  taskManagerConfig,
} from './planner.js';
export {
  DEFAULT_CONSUMER_WEIGHTS,
  DEFAULT_HIGH_PRIORITY_POOL_RATIO,
  DEFAULT_WRITE_BUFFER_RATIO,
  fractionRoundedDown,
  type ManagedMemoryUseCase,
  managedMemoryForFraction,
  managedMemoryFractions,
  type RocksDbSlotMemory,
  rocksDbArenaBlockSize,
  rocksDbCacheCapacity,
  rocksDbMutableLimit,
  rocksDbSlotMemory,
  rocksDbWriteBufferManagerCapacity,
} from './rocksdb.js';
export {
  ALL_UNITS_TEXT,
  formatHumanReadable,
  formatMemorySize,
  formatMemorySizeCompact,
  GiB,
  KiB,
  MEMORY_SIZE_MAX,
  MemorySizeParseError,
  MiB,
  parseMemorySize,
  TiB,
} from './size.js';
export { type DeriveOptions, deriveTaskManager } from './taskmanager.js';
export * from './types.js';
export { type MemoryModelProfile, memoryModelProfile, profileFor } from './versions.js';
