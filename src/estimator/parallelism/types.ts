/** What the parallelism steps produce and share: per node, and per task (operator chain). */
import type { Targets } from '../../jobspec/index.js';
import type { DecidedBy } from '../../schemas/estimate.js';
import type { NodeCost } from '../cpu.js';
import type { Model } from '../model.js';
import type { Graph } from '../normalize.js';
import type { NodeRates } from '../rates.js';
import type { ShapeLadder } from '../shapes.js';

export interface NodeParallelism {
  parallelism: number;
  /**
   * Subtasks that get records: the parallelism, except in a task headed by a source with fewer
   * partitions, where only the subtasks that read one do (the others idle, and so does what is
   * chained to them).
   */
  activeSubtasks: number;
  decidedBy: DecidedBy;
  /** What throughput alone would need (the choice before partitions, key groups or overrides). */
  needed: number;
  /** Records/s one subtask handles at 100% busy. */
  capacityPerSubtask: number;
  /** The autoscaler target capacity for this node. */
  targetRecordsPerSecond: number;
  /** Final cost per record, including a rebalance when the node does not chain to its input. */
  cost: NodeCost;
  /** Max parallelism (key groups) that applies to this node. */
  maxParallelism: number;
  /** A source that cannot reach its target because it has too few partitions. */
  limitedByPartitions: boolean;
  /** Explicit max parallelism below what throughput needs. */
  limitedByMaxParallelism: boolean;
  /** Edge kind on each input, in the order of `inputs`. */
  inputEdges: EdgeKind[];
  /** Busiest subtask's load over the mean, from uneven key groups (1 when even or not keyed). */
  skew: number;
  /** Share of the records on the busiest key (1 for a single key; 0 when spread evenly). */
  hotKeyShare: number;
  /** Id of the first node of the chain (task) this node runs in. */
  chainHead: string;
  explanation: string;
}

export type EdgeKind = 'forward' | 'rebalance' | 'hash';

export interface ParallelismInput {
  graph: Graph;
  rates: NodeRates[];
  costs: NodeCost[];
  targets: Targets;
  /** Flink version (which SQL connectors may set their own parallelism). */
  flinkVersion?: string;
  /** `cluster.maxParallelism` when the user set it. */
  maxParallelism: number | undefined;
  /** The TaskManager sizes job parallelisms must fill (shapes.ts). */
  ladder: ShapeLadder;
  /** Fewest subtasks each node needs so that no slot holds more state than the model allows. */
  minParallelismForState?: readonly number[];
  model: Model;
}

export interface ParallelismPlan {
  nodes: NodeParallelism[];
  /** Max parallelism (key groups) of the job: the user's, or the one the plan creates it with. */
  maxParallelism: number;
  maxDecidedBy: 'user' | 'recommended';
  /** The widest tasks mostly wait on synchronous I/O (their slots may share cores). */
  ioBound: boolean;
}

/** A task: a chain of operators that run in one thread per subtask (Flink operator chaining). */
export interface Task {
  head: number;
  members: number[];
  /** Threads the chain keeps busy at the target: Σ targetCapacity ÷ capacityPerSubtask. */
  demand: number;
  /** Subtasks its members need whatever the threads' load (an async lookup's; NodeWork.floor). */
  floor: number;
  p: number;
  decidedBy: DecidedBy;
  /** The user fixed the head's parallelism. */
  fixed: boolean;
  /** A task that cannot grow and whose chainable subtree does not fit it: nothing chains into it. */
  sealed?: boolean;
  why: string;
  limitedByPartitions: boolean;
  limitedByMaxParallelism: boolean;
}
