/**
 * One plan record per node: its rates, state, cost and parallelism, and the state bytes and
 * cores that follow — so every later step reads one node's figures from one place instead of
 * lining up arrays by index. Also the state backend, which is decided from the nodes' state.
 */
import type { JobSpec, StateBackend } from '../jobspec/index.js';
import { nodeCosts, requiredCores } from './cpu.js';
import { at } from './lists.js';
import type { Model } from './model.js';
import type { Graph, Node } from './normalize.js';
import { computeParallelism, type NodeParallelism, UPPER_BOUND } from './parallelism/index.js';
import { computeRates, type NodeRates } from './rates.js';
import type { ShapeLadder } from './shapes.js';
import { type StateBytes, type StateShape, stateBytes, stateShapes } from './state.js';

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
}

/**
 * Most RocksDB state one slot may hold: the model's cap, and what one download stream restores
 * from checkpoint storage within the restart time the plan allows (targets.restartSeconds) — a
 * restore downloads every slot's SST files before the job runs again.
 */
export function stateLimitPerSlot(spec: JobSpec, model: Model): number {
  const byRestore = spec.targets.restartSeconds * model.checkpoint.bytesPerSecondPerTransferThread;
  return Math.max(
    model.state.rocksdbMinStatePerSlotBytes,
    Math.min(model.state.rocksdbMaxStatePerSlotBytes, byRestore),
  );
}

export function planNodes(graph: Graph, spec: JobSpec, ladder: ShapeLadder, model: Model): NodePlans {
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
  const slotLimit = stateLimitPerSlot(spec, model);
  const pars = computeParallelism({
    graph,
    ladder,
    rates,
    costs,
    targets: spec.targets,
    flinkVersion: spec.flinkVersion,
    maxParallelism: spec.cluster.maxParallelism,
    // RocksDB state spreads over subtasks; HashMap is only chosen (or warned about) for small state.
    minParallelismForState:
      backend === 'rocksdb'
        ? shapes.map((shape) =>
            Math.ceil(stateBytes(shape, backend, UPPER_BOUND, model).backendBytes / slotLimit),
          )
        : undefined,
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
  };
}
