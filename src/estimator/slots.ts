/**
 * What the plan's slots and TaskManagers hold. With default slot sharing slot j runs subtask j
 * of every task whose parallelism exceeds j (Flink's SlotSharingGroup), so slot 0 — and the
 * first TaskManager — are the busiest; their loads and memory needs size every TaskManager.
 */
import type { StateBackend } from '../jobspec/index.js';
import type { JobManagerLoad } from './jobmanager.js';
import { at } from './lists.js';
import type { Model } from './model.js';
import type { NodePlan } from './nodes.js';
import { keyGroupPrefixBytes } from './state.js';
import { type RocksDbSlotNeed, rocksDbManagedPerSlot } from './taskmanagers.js';

export interface SlotLoads {
  /** Slots the job needs: its largest parallelism. */
  slotsRequired: number;
  /** Cores each slot index needs at the target utilization. */
  slotLoads: number[];
}

/**
 * Cores each slot needs at the target: slot j holds subtask j of every task with p > j. A task's
 * subtask is one thread, so it never uses more than one core — a source held below its need by
 * its partitions falls behind (SOURCE_LIMITED_BY_PARTITIONS) rather than using more CPU.
 */
export function slotLoads(nodes: readonly NodePlan[]): SlotLoads {
  const slotsRequired = Math.max(...nodes.map((n) => n.parallelism.parallelism));
  const taskCores = new Map<string, { cores: number; first: number; parallelism: number; hot: boolean }>();
  for (const { parallelism: np, targetCores } of nodes) {
    const task = taskCores.get(np.chainHead) ?? {
      cores: 0,
      first: 0,
      parallelism: np.parallelism,
      hot: false,
    };
    task.cores += targetCores;
    // A hot key's subtask carries max(share, 1/p) of the records (docs/model.md, "Single and hot
    // keys"); it is placed in slot 0, the slot that sizes every TaskManager.
    task.first += targetCores * Math.max(np.hotKeyShare, 1 / np.parallelism);
    task.hot ||= np.hotKeyShare * np.parallelism > 1;
    taskCores.set(np.chainHead, task);
  }
  // Difference array: +load on slots [0, p) (slot 0 with the hot subtask's load), then a running sum.
  const loads = new Array<number>(slotsRequired + 1).fill(0);
  for (const { cores, first, parallelism, hot: hasHotKey } of taskCores.values()) {
    const perSubtask = Math.min(1, cores / parallelism);
    const hot = hasHotKey ? Math.min(1, first) : perSubtask;
    loads[0] = at(loads, 0) + hot;
    loads[1] = at(loads, 1) - hot + perSubtask;
    loads[parallelism] = at(loads, parallelism) - perSubtask;
  }
  for (let j = 1; j < slotsRequired; j++) loads[j] = at(loads, j) + at(loads, j - 1);
  loads.length = slotsRequired;
  return { slotsRequired, slotLoads: loads };
}

export interface SlotStateNeeds {
  /** State in the busiest slot (slot 0 hosts one subtask of every operator). */
  statePerSlotBytes: number;
  /** Heap state per slot the plan carries (HashMap only). */
  heapStatePerSlotInPlan: number;
  taskHeapPerSlotNeeded: bigint;
  columnFamiliesPerSlot: number;
  /** RocksDB's managed memory per slot, by what it serves. */
  rocksDbNeed: RocksDbSlotNeed;
}

/** Memory one slot needs for its state: heap state on HashMap, RocksDB's managed memory on RocksDB. */
export function slotNeeds(
  nodes: readonly NodePlan[],
  backend: StateBackend,
  stateful: boolean,
  model: Model,
): SlotStateNeeds {
  const statePerSlotBytes = nodes.reduce(
    (a, n) => a + n.stateBytes.backendBytes / n.parallelism.parallelism,
    0,
  );
  const heapStatePerSlotInPlan = backend === 'hashmap' ? statePerSlotBytes : 0;
  const taskHeapPerSlotNeeded =
    BigInt(model.taskManager.taskHeapPerSlotBytes) +
    BigInt(Math.ceil(heapStatePerSlotInPlan / model.state.heapStateMaxOccupancy));
  const columnFamiliesPerSlot = nodes.reduce((a, n) => a + n.shape.columnFamilies, 0);
  // RocksDB index blocks: one entry per data block (a block holds at least one state entry, so
  // never more blocks than entries), each a separator key — bounded by the key, never the value.
  const indexBytesPerSlot = nodes.reduce((a, { shape, stateBytes, parallelism: np }) => {
    if (stateBytes.backendBytes === 0) return a;
    const separatorBytes =
      Math.min(shape.payloadBytes, model.state.rocksdbIndexKeyBytes) +
      shape.namespaceBytes +
      keyGroupPrefixBytes(np.maxParallelism);
    const blocks =
      Math.min(stateBytes.backendBytes / model.state.rocksdbBlockBytes, shape.entries + shape.timers) /
      np.parallelism;
    return a + blocks * (separatorBytes + model.state.rocksdbIndexEntryOverheadBytes);
  }, 0);
  const rocksDbNeed = rocksDbManagedPerSlot(
    backend === 'rocksdb' && stateful ? columnFamiliesPerSlot : 0,
    indexBytesPerSlot,
    statePerSlotBytes,
    model,
  );
  return {
    statePerSlotBytes,
    heapStatePerSlotInPlan,
    taskHeapPerSlotNeeded,
    columnFamiliesPerSlot,
    rocksDbNeed,
  };
}

export interface StatePlacement {
  totalStateBytes: number;
  /** State on the busiest TaskManager: its first slots host min(slots, p) subtasks of each node. */
  statePerTaskManagerBytes: number;
  /** Full checkpoint bytes, all nodes together. */
  totalCheckpointBytes: number;
  /** Share of the checkpoint the busiest TaskManager uploads. */
  busiestTaskManagerCheckpointShare: number;
  /** RocksDB's local disk on the busiest TaskManager (its working directory; 0 on the heap). */
  localDiskBytes: number;
}

export function placeState(
  nodes: readonly NodePlan[],
  slotsPerTaskManager: number,
  backend: StateBackend,
  model: Model,
): StatePlacement {
  const onBusiest = (bytes: number, p: number) => (bytes * Math.min(slotsPerTaskManager, p)) / p;
  const statePerTaskManagerBytes = nodes.reduce(
    (a, n) => a + onBusiest(n.stateBytes.backendBytes, n.parallelism.parallelism),
    0,
  );
  const totalStateBytes = nodes.reduce((a, n) => a + n.stateBytes.backendBytes, 0);
  const checkpointPerTm = nodes.reduce(
    (a, n) => a + onBusiest(n.stateBytes.checkpointBytes, n.parallelism.parallelism),
    0,
  );
  const totalCheckpointBytes = nodes.reduce((a, n) => a + n.stateBytes.checkpointBytes, 0);
  return {
    totalStateBytes,
    statePerTaskManagerBytes,
    totalCheckpointBytes,
    busiestTaskManagerCheckpointShare: totalCheckpointBytes > 0 ? checkpointPerTm / totalCheckpointBytes : 0,
    localDiskBytes:
      backend === 'rocksdb' ? Math.ceil(statePerTaskManagerBytes * model.state.rocksdbLocalDiskFactor) : 0,
  };
}

/** What the JobManager tracks for the plan: its subtasks, the stateful ones and their state. */
export function jobManagerLoad(
  nodes: readonly NodePlan[],
  backend: StateBackend,
  incrementalCheckpoints: boolean | undefined,
  taskManagers: number,
): JobManagerLoad {
  const statefulTasks = nodes.reduce(
    (a, n) => a + (n.stateBytes.backendBytes > 0 ? n.parallelism.parallelism : 0),
    0,
  );
  return {
    tasks: nodes.reduce((a, n) => a + n.parallelism.parallelism, 0),
    statefulTasks,
    stateBytesPerStatefulTask:
      statefulTasks > 0 ? nodes.reduce((a, n) => a + n.stateBytes.backendBytes, 0) / statefulTasks : 0,
    incremental: backend === 'rocksdb' && (incrementalCheckpoints ?? true),
    taskManagers,
  };
}
