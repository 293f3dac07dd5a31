/**
 * The one table of Flink memory components: the key the memory model and the Estimate use, the
 * words a page shows, and the Flink option that sets it (Flink docs, "Set up TaskManager Memory"
 * and "Set up JobManager Memory"). `part` marks the slices of the process (drawn in the bar);
 * the totals are sums of them.
 */
import type { JobManagerMemoryJson, TaskManagerMemoryJson } from '../schemas/estimate.js';

export type MemoryRole = 'taskmanager' | 'jobmanager';

export interface MemoryComponent {
  key: string;
  label: string;
  option: string;
  part: boolean;
}

export const TASK_MANAGER_COMPONENTS = [
  {
    key: 'frameworkHeap',
    label: 'Framework heap',
    option: 'taskmanager.memory.framework.heap.size',
    part: true,
  },
  { key: 'taskHeap', label: 'Task heap', option: 'taskmanager.memory.task.heap.size', part: true },
  { key: 'managed', label: 'Managed memory', option: 'taskmanager.memory.managed.size', part: true },
  {
    key: 'frameworkOffHeap',
    label: 'Framework off-heap',
    option: 'taskmanager.memory.framework.off-heap.size',
    part: true,
  },
  { key: 'taskOffHeap', label: 'Task off-heap', option: 'taskmanager.memory.task.off-heap.size', part: true },
  { key: 'network', label: 'Network buffers', option: 'taskmanager.memory.network.min/max', part: true },
  {
    key: 'jvmMetaspace',
    label: 'JVM metaspace',
    option: 'taskmanager.memory.jvm-metaspace.size',
    part: true,
  },
  {
    key: 'jvmOverhead',
    label: 'JVM overhead',
    option: 'taskmanager.memory.jvm-overhead.min/max',
    part: true,
  },
  {
    key: 'totalFlinkMemory',
    label: 'Total Flink memory',
    option: 'taskmanager.memory.flink.size',
    part: false,
  },
  {
    key: 'totalProcessMemory',
    label: 'Total process memory',
    option: 'taskmanager.memory.process.size',
    part: false,
  },
] as const satisfies ReadonlyArray<MemoryComponent & { key: keyof TaskManagerMemoryJson }>;

export const JOB_MANAGER_COMPONENTS = [
  { key: 'jvmHeap', label: 'JVM heap', option: 'jobmanager.memory.heap.size', part: true },
  { key: 'offHeap', label: 'Off-heap', option: 'jobmanager.memory.off-heap.size', part: true },
  { key: 'jvmMetaspace', label: 'JVM metaspace', option: 'jobmanager.memory.jvm-metaspace.size', part: true },
  { key: 'jvmOverhead', label: 'JVM overhead', option: 'jobmanager.memory.jvm-overhead.min/max', part: true },
  {
    key: 'totalFlinkMemory',
    label: 'Total Flink memory',
    option: 'jobmanager.memory.flink.size',
    part: false,
  },
  {
    key: 'totalProcessMemory',
    label: 'Total process memory',
    option: 'jobmanager.memory.process.size',
    part: false,
  },
] as const satisfies ReadonlyArray<MemoryComponent & { key: keyof JobManagerMemoryJson }>;

export const memoryComponents = (role: MemoryRole): readonly MemoryComponent[] =>
  role === 'taskmanager' ? TASK_MANAGER_COMPONENTS : JOB_MANAGER_COMPONENTS;

/** "TaskManager" / "JobManager": the process, as Flink's docs name it. */
export const roleName = (role: MemoryRole) => (role === 'taskmanager' ? 'TaskManager' : 'JobManager');
