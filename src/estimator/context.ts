/**
 * Everything the engine worked out for one JobSpec, shared by the warnings and the explanation
 * so both read the same numbers the Estimate reports.
 */
import type { JobSpec, StateBackend } from '../jobspec/index.js';
import type { WindowBurst } from './bursts.js';
import type { CheckpointPlan } from './checkpoints.js';
import type { CostPlan, Pricing } from './cost.js';
import type { JobManagerChoice } from './jobmanager.js';
import type { Model } from './model.js';
import type { Exchange, Traffic } from './network.js';
import type { NodePlan, StateSpread } from './nodes.js';
import type { Graph } from './normalize.js';
import type { RocksDbSlotNeed, TaskManagerPlanResult } from './taskmanagers.js';

export interface PlanContext {
  spec: JobSpec;
  model: Model;
  pricing: Pricing;
  graph: Graph;
  /** One record per node, in the graph's (topological) order. */
  nodes: NodePlan[];
  backend: StateBackend;
  backendDecidedBy: 'user' | 'state';
  /** Heap-representation state per slot that decided the backend (when the engine chose). */
  /** The job's state as the HashMap backend would hold it, all subtasks together. */
  heapStateBytes: number;
  totalRequiredCores: number;
  targetCores: number;
  slotsRequired: number;
  /** Cores each slot index needs at the target utilization. */
  slotLoads: number[];
  /** Cores the busiest TaskManager's subtasks need at the target utilization. */
  busiestTaskManagerCores: number;
  maxParallelism: number;
  maxParallelismDecidedBy: 'user' | 'recommended';
  recommendedMaxParallelism: number;
  exchanges: Exchange[];
  taskManagers: TaskManagerPlanResult;
  /** Task heap per slot the plan asked for, and its parts. */
  taskHeapPerSlotNeeded: bigint;
  heapStatePerSlotInPlan: number;
  managedPerSlotNeeded: bigint;
  /** RocksDB's managed memory per slot, by what it serves. */
  rocksDbNeed: RocksDbSlotNeed;
  columnFamiliesPerSlot: number;
  jobManager: JobManagerChoice;
  statePerSlotBytes: number;
  /** How RocksDB state was spread: the per-slot limit, and which rule set it (nodes.ts). */
  stateSpread: StateSpread;
  statePerTaskManagerBytes: number;
  totalStateBytes: number;
  localDiskBytes: number;
  checkpoint: CheckpointPlan;
  /** Window-end bursts: the results each window fires at once and how long its consumers take. */
  bursts: WindowBurst[];
  traffic: Traffic;
  nicBytesPerSecond: number;
  cost: CostPlan;
  userMemoryRoundedFrom?: bigint;
}
