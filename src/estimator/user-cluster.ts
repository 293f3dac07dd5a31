/** The TaskManager constraints the user set, as the TaskManager planner takes them. */
import type { ClusterSpec } from '../jobspec/index.js';
import { MiB, parseMemorySize } from './memory/index.js';
import type { ShapeInput } from './taskmanagers.js';

export interface UserTaskManager {
  user: ShapeInput['user'];
  /** The user's memory when it was not a whole number of MiB (the plan rounds it down). */
  userMemoryRoundedFrom?: bigint;
}

/**
 * The memory plan is built in whole MiB, so the user's size is rounded down to one (never below
 * 1 MiB); the warnings say when that changed it.
 */
export function userTaskManager(cluster: ClusterSpec): UserTaskManager {
  let memoryBytes: bigint | undefined;
  let roundedFrom: bigint | undefined;
  if (cluster.taskManagerMemory !== undefined) {
    const parsed = parseMemorySize(cluster.taskManagerMemory);
    memoryBytes = (parsed / MiB) * MiB;
    if (memoryBytes !== parsed) roundedFrom = parsed;
    if (memoryBytes < MiB) memoryBytes = MiB;
  }
  return {
    user: {
      ...(cluster.taskManagerCpu !== undefined ? { cpu: cluster.taskManagerCpu } : {}),
      ...(cluster.slotsPerTaskManager !== undefined ? { slots: cluster.slotsPerTaskManager } : {}),
      ...(memoryBytes !== undefined ? { memoryBytes } : {}),
      ...(cluster.maxTaskManagers !== undefined ? { maxTaskManagers: cluster.maxTaskManagers } : {}),
    },
    ...(roundedFrom !== undefined ? { userMemoryRoundedFrom: roundedFrom } : {}),
  };
}
