/**
 * JobManager size from what it holds: the execution graph (one ExecutionVertex per subtask, with
 * its attempt history and metrics), the latest completed checkpoint's metadata and the checkpoint
 * statistics history, the TaskManagers it keeps registered, and the REST / web UI. The heap is
 * the sum of those needs; the container is the smallest Flink derives that heap from (planned
 * through the memory module, so `memory` is exactly what Flink derives from
 * `jobmanager.memory.process.size`), never below Flink's shipped 1600m.
 */
import {
  type FlinkVersion,
  MiB,
  minimumJobManagerProcessSize,
  type PlannedJobManager,
  planJobManager,
} from './memory/index.js';
import type { Model } from './model.js';

export interface JobManagerLoad {
  /** Subtasks in the execution graph: Σ parallelism over the job's operators. */
  tasks: number;
  /** Stateful subtasks, each reporting a state handle per checkpoint. */
  statefulTasks: number;
  /** Keyed state per stateful subtask, bytes (incremental handles list its SST files). */
  stateBytesPerStatefulTask: number;
  incremental: boolean;
  taskManagers: number;
}

export interface JobManagerHeapNeed {
  base: number;
  executionGraph: number;
  checkpointMetadata: number;
  checkpointHistory: number;
  taskManagers: number;
  total: number;
}

export interface JobManagerChoice {
  planned: PlannedJobManager;
  cpu: number;
  cpuDecidedBy: 'user' | 'default';
  heapNeed: JobManagerHeapNeed;
  load: JobManagerLoad;
  /** The shipped default was enough (the container is Flink's 1600m). */
  atFloor: boolean;
}

/** Heap the JobManager needs for this job, by part. */
export function jobManagerHeapNeed(load: JobManagerLoad, model: Model): JobManagerHeapNeed {
  const m = model.jobManager;
  const perStatefulTask = load.incremental
    ? m.stateHandleBytes +
      Math.ceil(load.stateBytesPerStatefulTask / m.sstFileBytes) * m.sharedStateHandleBytes
    : m.stateHandleBytes + Math.min(load.stateBytesPerStatefulTask, m.inlineStateThresholdBytes);
  const parts = {
    base: m.baseHeapBytes,
    executionGraph: load.tasks * m.heapBytesPerTask,
    // The completed checkpoint kept (execution.checkpointing.num-retained 1) plus one in flight.
    checkpointMetadata: 2 * load.statefulTasks * perStatefulTask,
    checkpointHistory: m.checkpointHistory * load.tasks * m.subtaskCheckpointStatsBytes,
    taskManagers: load.taskManagers * m.heapBytesPerTaskManager,
  };
  return { ...parts, total: Object.values(parts).reduce((a, b) => a + b, 0) };
}

const roundUpTo = (bytes: bigint, unit: bigint) => ((bytes + unit - 1n) / unit) * unit;

export function planJobManagerFor(
  version: FlinkVersion,
  load: JobManagerLoad,
  userCpu: number | undefined,
  model: Model,
  /** CPU a pod can request on the user's node: the JobManager's own choice stays within it. */
  nodeCpu?: number,
): JobManagerChoice {
  const m = model.jobManager;
  const heapNeed = jobManagerHeapNeed(load, model);
  const smallest = minimumJobManagerProcessSize(version, BigInt(Math.ceil(heapNeed.total)));
  const floor = BigInt(m.minProcessBytes);
  const needed =
    smallest === undefined ? floor : roundUpTo(smallest, BigInt(model.taskManager.processStepBytes));
  const processMemory = ((needed > floor ? needed : floor) / MiB) * MiB;
  const byTasks = Math.ceil(load.tasks / m.tasksPerCore);
  const cpu = userCpu ?? Math.max(1, Math.min(byTasks, Math.floor((nodeCpu ?? byTasks) + 1e-9)));
  const result = planJobManager({ version, processMemory, cpuCores: cpu });
  if (!result.valid) throw new Error(`JobManager plan rejected: ${result.error.message}`);
  return {
    planned: result.plan,
    cpu,
    cpuDecidedBy: userCpu !== undefined ? 'user' : 'default',
    heapNeed,
    load,
    atFloor: needed <= floor,
  };
}
