/**
 * One plan record per node: its rates, state, cost and parallelism, and the state bytes and
 * cores that follow — so every later step reads one node's figures from one place instead of
 * lining up arrays by index. Also the state backend, which is decided from the nodes' state.
 */
import { formatBytes } from '../format.js';
import type { JobSpec, StateBackend } from '../jobspec/index.js';
import { nodeCosts, requiredCores } from './cpu.js';
import { isSingleKey } from './keys.js';
import { at } from './lists.js';
import type { Model } from './model.js';
import type { Graph, Node } from './normalize.js';
import { computeParallelism, type NodeParallelism, UPPER_BOUND } from './parallelism/index.js';
import { computeRates, type NodeRates } from './rates.js';
import type { ShapeLadder } from './shapes.js';
import { type StateBytes, type StateShape, stateBytes, stateShapes } from './state.js';
import { counted } from './text.js';

export interface NodePlan {
  node: Node;
  /** Rates at the peak (CPU, parallelism, network). */
  rates: NodeRates;
  shape: StateShape;
  parallelism: NodeParallelism;
  stateBytes: StateBytes;
  /** Cores at 100% busy for the peak input rate. */
  requiredCores: number;
  /** Cores at the autoscaler's target capacity. */
  targetCores: number;
}

export interface NodePlans {
  nodes: NodePlan[];
  backend: StateBackend;
  backendDecidedBy: 'user' | 'state';
  /** The job's state as the HashMap backend would hold it, all subtasks together. */
  heapStateBytes: number;
  /** Some node keeps state (entries or timers). */
  stateful: boolean;
  /** Σ cores at 100% busy for the peak input rate, before headroom. */
  totalRequiredCores: number;
  /** Σ cores at the autoscaler's target capacity. */
  targetCores: number;
  /** The job's max parallelism: the user's, or the one the plan creates the job with. */
  maxParallelism: number;
  maxDecidedBy: 'user' | 'recommended';
  /** The widest tasks mostly wait on synchronous I/O (their slots may share cores). */
  ioBound: boolean;
  /** How the state was spread over subtasks, as the parallelism was planned for. */
  stateSpread: StateSpread;
}

/** Most RocksDB state one slot may hold, and the rule that set it (docs/model.md, "State per slot"). */
export interface StateLimit {
  bytes: number;
  decidedBy: 'restore' | 'cap' | 'local-disk' | 'floor';
  /** Slots sharing one core's local disk, as the limit assumed them. */
  slotsPerCore: number;
}

/**
 * The least of: what one download stream restores from checkpoint storage within the restart time
 * the plan allows (a restore downloads every slot's SST files before the job runs again), the
 * model's cap per slot, and the slot's share of its TaskManager's local disk — the model's disk per
 * core split over the slots sharing a core, less RocksDB's room for compaction. Never below the floor.
 */
export function stateLimitPerSlot(
  spec: JobSpec,
  model: Model,
  slotsPerCore = 1 / model.taskManager.targetCoresPerSlot,
): StateLimit {
  const s = model.state;
  const limits: [StateLimit['decidedBy'], number][] = [
    ['restore', spec.targets.restartSeconds * model.checkpoint.bytesPerSecondPerTransferThread],
    ['cap', s.rocksdbMaxStatePerSlotBytes],
    ['local-disk', s.rocksdbMaxLocalDiskPerCoreBytes / slotsPerCore / s.rocksdbLocalDiskFactor],
  ];
  let [decidedBy, bytes] = limits.reduce((a, b) => (b[1] < a[1] ? b : a));
  if (bytes < s.rocksdbMinStatePerSlotBytes) [decidedBy, bytes] = ['floor', s.rocksdbMinStatePerSlotBytes];
  return { bytes, decidedBy, slotsPerCore };
}

/** How the RocksDB state was spread: the per-slot limit, the state it divided, the subtasks that gives. */
export interface StateSpread {
  limit: StateLimit;
  /** The job's RocksDB state that spreads over subtasks (not single-key operators'). */
  bytes: number;
  /** Subtasks every stateful operator needs for it (0 on the heap). */
  subtasks: number;
}

/** The rule behind a state limit in words, for the explanation and the warnings. */
export function stateLimitWords(limit: StateLimit, spec: JobSpec, model: Model): string {
  const s = model.state;
  switch (limit.decidedBy) {
    case 'restore':
      return `what one stream downloads from checkpoint storage within the ${spec.targets.restartSeconds} s restart target at ${formatBytes(model.checkpoint.bytesPerSecondPerTransferThread)}/s`;
    case 'cap':
      return "the model's cap per slot";
    case 'local-disk':
      return `the slot's share of local disk: ${s.rocksdbMaxLocalDiskPerCoreBytes / 1e9} GB per core, AWS Managed Service for Apache Flink's storage per KPU, over ${counted(limit.slotsPerCore, 'slot')} per core, less ×${s.rocksdbLocalDiskFactor} room for compaction`;
    case 'floor':
      return "the model's floor per slot";
  }
}

/** Local disk one TaskManager may give RocksDB: the model's disk per core × its CPU. */
export const localDiskLimit = (cpu: number, model: Model) =>
  model.state.rocksdbMaxLocalDiskPerCoreBytes * cpu;

/**
 * @param slotsPerCore slots sharing a core's local disk (stateLimitPerSlot); by default one per
 * core — the TaskManager step plans again at a denser shape's value when its disk overflows.
 */
export function planNodes(
  graph: Graph,
  spec: JobSpec,
  ladder: ShapeLadder,
  model: Model,
  slotsPerCore?: number,
): NodePlans {
  const rates = computeRates(graph);
  const shapes = stateShapes(graph, computeRates(graph, 'average'), rates, model);
  const stateful = shapes.some((s) => s.entries > 0 || s.timers > 0);

  // The backend: the user's, else HashMap while the job's whole heap state stays small (and
  // bounded), else RocksDB. Decided from the state alone — not from the parallelism — so that more
  // load never flips the plan to a cheaper backend (more records/s never needs fewer cores).
  // (On the heap no key-group prefix is stored, so the max parallelism passed does not matter.)
  const heapStateBytes = shapes.reduce(
    (a, shape) => a + stateBytes(shape, 'hashmap', UPPER_BOUND, model).backendBytes,
    0,
  );
  const backend: StateBackend =
    spec.state.backend ??
    (stateful && (shapes.some((s) => s.unbounded) || heapStateBytes > model.state.hashmapMaxStateBytes)
      ? 'rocksdb'
      : 'hashmap');

  const costs = nodeCosts(graph, rates, shapes, backend, model);
  const stateSpread = spreadState(
    graph,
    shapes,
    backend,
    stateLimitPerSlot(spec, model, slotsPerCore),
    model,
  );
  const pars = computeParallelism({
    graph,
    ladder,
    rates,
    costs,
    targets: spec.targets,
    flinkVersion: spec.flinkVersion,
    maxParallelism: spec.cluster.maxParallelism,
    minParallelismForState: shapes.map((shape, i) =>
      stateSpread.subtasks > 0 && spreads(at(graph.nodes, i), shape) ? stateSpread.subtasks : 0,
    ),
    model,
  });
  const nodes = graph.nodes.map((node, i): NodePlan => {
    const r = at(rates, i);
    const shape = at(shapes, i);
    const np = at(pars.nodes, i);
    return {
      node,
      rates: r,
      shape,
      parallelism: np,
      stateBytes: stateBytes(shape, backend, np.maxParallelism, model),
      requiredCores: requiredCores(r.inRecordsPerSecond, np.cost.micros),
      targetCores: requiredCores(np.targetRecordsPerSecond, np.cost.micros),
    };
  });
  return {
    nodes,
    backend,
    backendDecidedBy: spec.state.backend !== undefined ? 'user' : 'state',
    heapStateBytes,
    stateful,
    totalRequiredCores: nodes.reduce((a, n) => a + n.requiredCores, 0),
    targetCores: nodes.reduce((a, n) => a + n.targetCores, 0),
    maxParallelism: pars.maxParallelism,
    maxDecidedBy: pars.maxDecidedBy,
    ioBound: pars.ioBound,
    stateSpread,
  };
}

/** Whether an operator's state spreads over its subtasks: one key's state stays on its one subtask. */
const spreads = (node: Node, shape: StateShape) =>
  !isSingleKey(node) && (shape.entries > 0 || shape.timers > 0);

/**
 * Subtasks each stateful operator needs so that no slot holds more RocksDB state than the limit.
 * With slot sharing, slot j runs subtask j of every operator, so a slot holds a share of each
 * operator's state: with every stateful operator at ≥ (the job's spreadable state ÷ the limit)
 * subtasks, a slot's shares add up to at most the limit. Single-key operators neither count nor
 * are raised. HashMap state needs no spreading: that backend is only chosen (or warned about) for
 * small state.
 */
function spreadState(
  graph: Graph,
  shapes: readonly StateShape[],
  backend: StateBackend,
  limit: StateLimit,
  model: Model,
): StateSpread {
  if (backend !== 'rocksdb') return { limit, bytes: 0, subtasks: 0 };
  // The key-group prefix is sized at Flink's upper bound: the max parallelism is chosen later.
  const bytes = shapes.reduce(
    (a, shape, i) =>
      spreads(at(graph.nodes, i), shape)
        ? a + stateBytes(shape, 'rocksdb', UPPER_BOUND, model).backendBytes
        : a,
    0,
  );
  return { limit, bytes, subtasks: Math.ceil(bytes / limit.bytes) };
}
