import { counted } from '../estimator/text.js';
import { formatBytes } from '../format.js';
import type { Estimate } from '../schemas/estimate.js';
import { keysForVersion } from './keys.js';

/** The two process sizes, which the Kubernetes formats set through `resource.memory` instead. */
export const PROCESS_SIZE_KEYS = [
  'taskmanager.memory.process.size',
  'jobmanager.memory.process.size',
] as const;

/**
 * Every Flink option of the plan, spelt for its Flink version: job-level options (parallelism,
 * max parallelism, state backend, checkpointing), then the TaskManager and JobManager options
 * that derive to the plan's memory.
 */
export function planOptions(estimate: Estimate): Record<string, string> {
  const options: Record<string, string> = {
    ...estimate.flinkConfig,
    'pipeline.max-parallelism':
      estimate.flinkConfig['pipeline.max-parallelism'] ?? String(estimate.parallelism.max),
    ...estimate.taskManagers.flinkConfig,
    ...estimate.jobManager.flinkConfig,
  };
  // Flink's default already, written out so nobody turns it off: RocksDB then sizes its block
  // cache and write buffers from managed memory (RocksDBOptions.USE_MANAGED_MEMORY).
  if (estimate.state.backend === 'rocksdb' && options['state.backend.rocksdb.memory.managed'] === undefined) {
    options['state.backend.rocksdb.memory.managed'] = 'true';
  }
  return keysForVersion(options, estimate.flinkVersion);
}

/** Kubernetes CPU requests (what the operator sets from resource.cpu), for a plain config file. */
export function kubernetesCpuOptions(estimate: Estimate): Record<string, string> {
  return {
    'kubernetes.taskmanager.cpu.amount': String(estimate.taskManagers.cpu),
    'kubernetes.jobmanager.cpu.amount': String(estimate.jobManager.cpu),
  };
}

const bytesOf = (n: number) => formatBytes(n);

/** Why each option is set, for a comment above it; undefined when the line speaks for itself. */
export function optionComment(key: string, estimate: Estimate): string | undefined {
  const tm = estimate.taskManagers;
  const jm = estimate.jobManager;
  const cp = estimate.state.checkpoint;
  const incremental = 'incremental checkpoints upload only the RocksDB files changed since the last one';
  const unaligned =
    'unaligned checkpoints: barriers overtake in-flight buffers, so backpressure does not stall them';
  switch (key) {
    case 'parallelism.default':
      return `largest operator parallelism; with one slot-sharing group the job needs ${counted(estimate.slots.required, 'slot')}`;
    case 'pipeline.max-parallelism':
      return `number of key groups (${estimate.parallelism.recommendedMax} recommended): fixed for the life of the state, so set before the first run (rescaling stays within it)`;
    case 'taskmanager.memory.process.size':
      return `whole TaskManager container (${tm.containerMemoryMiB} MiB); Flink derives every memory component from it`;
    case 'taskmanager.numberOfTaskSlots':
      return `${counted(tm.count, 'TaskManager')} × ${counted(tm.slotsPerTaskManager, 'slot')} = ${counted(estimate.slots.available, 'slot')} ≥ ${estimate.slots.required} needed`;
    case 'taskmanager.cpu.cores':
      return `CPU per TaskManager (${tm.cpu}), the same as its container's CPU request`;
    case 'taskmanager.memory.managed.size':
      return estimate.state.backend === 'hashmap'
        ? 'no managed memory: HashMap state lives on the JVM heap, and nothing else here uses it'
        : 'managed memory for RocksDB (block cache and write buffers), shared by the slots';
    case 'taskmanager.memory.network.min':
    case 'taskmanager.memory.network.max':
      return `network buffers: ${estimate.network.buffersRequiredPerTaskManager} needed per TaskManager, ${tm.networkBuffers} available (min = max)`;
    case 'taskmanager.memory.task.heap.size':
      return 'task heap sized for the operators’ objects (and HashMap state) rather than left to the fractions';
    case 'taskmanager.memory.jvm-metaspace.size':
    case 'jobmanager.memory.jvm-metaspace.size':
      return 'class metadata of Flink, connectors and user code';
    case 'jobmanager.memory.process.size':
      return `whole JobManager container (${jm.containerMemoryMiB} MiB, ${bytesOf(jm.memory.totalProcessMemory)})`;
    case 'jobmanager.memory.heap.size':
      return 'JobManager heap: checkpoint metadata and the execution graph';
    case 'state.backend.type':
      return estimate.state.backend === 'rocksdb'
        ? `RocksDB: ${bytesOf(estimate.state.totalBytes)} of state spills to local disk instead of the heap`
        : `HashMap: ${bytesOf(estimate.state.totalBytes)} of state fits on the heap, the fastest backend`;
    case 'state.backend.rocksdb.memory.managed':
      return 'RocksDB stays within managed memory, so native allocations do not outgrow the container (an OOM kill)';
    case 'execution.checkpointing.interval':
      return cp.sizeBytes > 0
        ? `a checkpoint every ${cp.intervalSeconds} s; each uploads about ${bytesOf(cp.sizeBytes)} in about ${Math.ceil(cp.estimatedDurationSeconds)} s`
        : `a checkpoint every ${cp.intervalSeconds} s; no keyed state, so each holds little more than the sources' positions (e.g. Kafka offsets)`;
    case 'execution.checkpointing.incremental':
    case 'state.backend.incremental':
      return incremental;
    case 'execution.checkpointing.unaligned':
    case 'execution.checkpointing.unaligned.enabled':
      return unaligned;
    case 'execution.checkpointing.dir':
    case 'state.checkpoints.dir':
      return estimate.flinkVersion === '1.20' && key === 'state.checkpoints.dir'
        ? 'the pre-1.20 key as well: the Flink Kubernetes Operator validates last-state upgrades against it'
        : 'durable checkpoint storage: restarts and upgrades resume from the latest checkpoint here';
    case 'execution.checkpointing.savepoint-dir':
    case 'state.savepoints.dir':
      return 'default savepoint directory (flink stop --savepointPath and the operator’s savepoints)';
    case 'execution.checkpointing.externalized-checkpoint-retention':
      return 'the last checkpoint survives a cancel, so the job can be resubmitted from it (flink run -s <checkpoint>)';
    case 'high-availability.type':
      return 'JobManager high availability: a restarted or standby JobManager recovers the job from its latest checkpoint (the Flink Kubernetes Operator needs it for last-state upgrades up to 1.9)';
    case 'high-availability.zookeeper.quorum':
      return 'placeholder: your ZooKeeper ensemble, which elects the leading JobManager';
    case 'jobmanager.rpc.address':
      return 'placeholder: the host the JobManager runs on (the first line of conf/masters), where TaskManagers register';
    case 'high-availability.storageDir':
      return 'HA metadata (job graphs, checkpoint pointers) in durable storage next to the checkpoints';
    case 'state.backend.rocksdb.localdir':
      return 'RocksDB works on a volume of its own (see the TaskManager pod template), not the container’s root disk';
    case 'pipeline.jobvertex-parallelism-overrides':
      return 'the plan’s parallelism per Flink job vertex (vertex id:parallelism), applied when the job graph is built';
    case 'table.exec.state.ttl':
      return 'Flink SQL state time-to-live: idle keys are dropped after this long, which bounds state';
    case 'kubernetes.taskmanager.cpu.amount':
      return 'CPU request of each TaskManager pod (native Kubernetes deployment)';
    case 'kubernetes.jobmanager.cpu.amount':
      return 'CPU request of the JobManager pod (native Kubernetes deployment)';
    default:
      if (key.startsWith('taskmanager.memory.') || key.startsWith('jobmanager.memory.'))
        return 'part of the memory plan: with the process size, Flink derives exactly the breakdown shown';
      return undefined;
  }
}
