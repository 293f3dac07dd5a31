/**
 * Turns either form of a JobSpec into one DAG in topological order, so every later step works on
 * the same shape. The quick `workload` form becomes sources → a chain of operators → sinks: the
 * first `statefulOperators` operators are keyed aggregates over `distinctKeys`, the rest are
 * stateless operators whose kind and cost follow `complexity` (model.cpu.complexity).
 */
import type {
  JobSpec,
  Operator,
  OperatorKind,
  Pipeline,
  RecordFormat,
  SinkKind,
  SourceKind,
  Window,
  Workload,
} from '../schemas/jobspec.js';
import type { Model } from './model.js';

interface NodeBase {
  id: string;
  name?: string;
  inputs: string[];
  parallelismOverride?: number;
}

export interface SourceNode extends NodeBase {
  role: 'source';
  kind: SourceKind;
  recordsPerSecond: number;
  peakFactor: number;
  avgRecordBytes: number;
  partitions?: number;
  format: RecordFormat;
}

export interface OperatorNode extends NodeBase {
  role: 'operator';
  kind: OperatorKind;
  outputRatio?: number;
  outputRecordBytes?: number;
  costFactor: number;
  distinctKeys?: number;
  stateBytesPerKey?: number;
  distinctAggregates: number;
  window?: Window;
  boundSeconds?: number;
  ttlSeconds?: number;
  lookupLatencyMs?: number;
  cacheHitRatio?: number;
  async?: boolean;
  asyncCapacity?: number;
  n?: number;
}

export interface SinkNode extends NodeBase {
  role: 'sink';
  kind: SinkKind;
  format: RecordFormat;
}

export type Node = SourceNode | OperatorNode | SinkNode;

export interface Graph {
  /** Nodes in topological order (every node after all its inputs; ties in document order). */
  nodes: Node[];
  index: Map<string, number>;
  /** Downstream node indexes of each node. */
  consumers: number[][];
  /** Upstream node indexes of each node, in the order of `inputs`. */
  producers: number[][];
  form: 'workload' | 'pipeline';
}

/** Operators whose input arrives through a keyBy (hash partitioning) in Flink. */
export const KEYED_KINDS: ReadonlySet<OperatorKind> = new Set<OperatorKind>([
  'aggregate',
  'window-aggregate',
  'window-join',
  'interval-join',
  'regular-join',
  'temporal-join',
  'deduplicate',
  'top-n',
]);

export function isKeyed(node: Node): boolean {
  return node.role === 'operator' && KEYED_KINDS.has(node.kind);
}

function fromPipeline(pipeline: Pipeline, model: Model, stateTtlSeconds: number | undefined): Node[] {
  const sources: Node[] = pipeline.sources.map((s) => ({
    role: 'source',
    id: s.id,
    ...(s.name !== undefined ? { name: s.name } : {}),
    kind: s.kind,
    inputs: [],
    recordsPerSecond: s.recordsPerSecond,
    peakFactor: s.peakFactor ?? 1,
    avgRecordBytes: s.avgRecordBytes,
    ...(s.partitions !== undefined ? { partitions: s.partitions } : {}),
    format: s.format ?? model.cpu.sources[s.kind].defaultFormat,
    ...(s.parallelism !== undefined ? { parallelismOverride: s.parallelism } : {}),
  }));
  const operators: Node[] = pipeline.operators.map((o) => operatorNode(o, stateTtlSeconds));
  const sinks: Node[] = pipeline.sinks.map((s) => ({
    role: 'sink',
    id: s.id,
    ...(s.name !== undefined ? { name: s.name } : {}),
    kind: s.kind,
    inputs: [...s.inputs],
    format: s.format ?? model.cpu.sinks[s.kind].defaultFormat,
    ...(s.parallelism !== undefined ? { parallelismOverride: s.parallelism } : {}),
  }));
  return [...sources, ...operators, ...sinks];
}

function operatorNode(o: Operator, stateTtlSeconds: number | undefined): OperatorNode {
  // table.exec.state.ttl applies to operators without their own TTL, where TTL means something.
  const ttlApplies = ['aggregate', 'regular-join', 'temporal-join', 'deduplicate', 'top-n'].includes(o.kind);
  const ttl = o.ttlSeconds ?? (ttlApplies ? stateTtlSeconds : undefined);
  const node: OperatorNode = {
    role: 'operator',
    id: o.id,
    kind: o.kind,
    inputs: [...o.inputs],
    costFactor: o.costFactor ?? 1,
    distinctAggregates: o.distinctAggregates ?? 0,
  };
  if (o.name !== undefined) node.name = o.name;
  if (o.parallelism !== undefined) node.parallelismOverride = o.parallelism;
  if (o.outputRatio !== undefined) node.outputRatio = o.outputRatio;
  if (o.outputRecordBytes !== undefined) node.outputRecordBytes = o.outputRecordBytes;
  if (o.distinctKeys !== undefined) node.distinctKeys = o.distinctKeys;
  if (o.stateBytesPerKey !== undefined) node.stateBytesPerKey = o.stateBytesPerKey;
  if (o.window !== undefined) node.window = o.window;
  if (o.boundSeconds !== undefined) node.boundSeconds = o.boundSeconds;
  if (ttl !== undefined) node.ttlSeconds = ttl;
  if (o.lookupLatencyMs !== undefined) node.lookupLatencyMs = o.lookupLatencyMs;
  if (o.cacheHitRatio !== undefined) node.cacheHitRatio = o.cacheHitRatio;
  if (o.async !== undefined) node.async = o.async;
  if (o.asyncCapacity !== undefined) node.asyncCapacity = o.asyncCapacity;
  if (o.n !== undefined) node.n = o.n;
  return node;
}

/**
 * The quick form as a DAG: every source feeds the first operator (a union), the operators form a
 * chain, and the last operator (or the sources' union, when there are none) feeds every sink.
 * `recordsPerSecond` is the total over all sources, split evenly.
 */
export function workloadToPipeline(w: Workload, model: Model): Pipeline {
  const sources = Array.from({ length: w.sources }, (_, i) => ({
    id: w.sources === 1 ? 'source' : `source-${i + 1}`,
    kind: 'kafka' as const,
    recordsPerSecond: w.recordsPerSecond / w.sources,
    avgRecordBytes: w.avgRecordBytes,
    peakFactor: w.peakFactor,
    ...(w.partitions !== undefined ? { partitions: w.partitions } : {}),
  }));
  const stateful = w.statefulOperators ?? 0;
  const style = model.cpu.complexity[w.complexity];
  const operators: Operator[] = [];
  let upstream = sources.map((s) => s.id);
  for (let i = 0; i < w.operators; i++) {
    const id = `operator-${i + 1}`;
    const isStateful = i < stateful;
    // A stateless operator reading several sources is their union; a keyed aggregate needs one
    // input stream, so several sources are first unioned by a projection.
    if (isStateful && upstream.length > 1) {
      const unionId = 'union';
      operators.push({ id: unionId, kind: 'project', inputs: upstream });
      upstream = [unionId];
    }
    operators.push({
      id,
      kind: isStateful ? 'aggregate' : style.statelessKind,
      inputs: upstream,
      ...(style.costFactor !== 1 ? { costFactor: style.costFactor } : {}),
      ...(isStateful && w.distinctKeys !== undefined ? { distinctKeys: w.distinctKeys } : {}),
      ...(isStateful && w.stateBytesPerKey !== undefined ? { stateBytesPerKey: w.stateBytesPerKey } : {}),
      // The quick form describes a record-by-record pipeline: one output per input.
      ...(isStateful ? { outputRatio: 1 } : {}),
    });
    upstream = [id];
  }
  const sinks = Array.from({ length: w.sinks }, (_, i) => ({
    id: w.sinks === 1 ? 'sink' : `sink-${i + 1}`,
    kind: 'kafka' as const,
    inputs: upstream,
  }));
  return { sources, operators, sinks };
}

/** Kahn's algorithm; among ready nodes the earliest in document order goes first (deterministic). */
function topologicalOrder(nodes: Node[]): Node[] {
  const position = new Map(nodes.map((n, i) => [n.id, i]));
  const indegree = nodes.map((n) => n.inputs.length);
  const downstream: number[][] = nodes.map(() => []);
  nodes.forEach((n, i) => {
    for (const input of n.inputs) {
      const from = position.get(input);
      if (from === undefined)
        throw new Error(`Unknown input "${input}" of "${n.id}" (the spec was not validated)`);
      downstream[from]!.push(i);
    }
  });
  // A binary heap would be asymptotically better; a sorted ready list is simpler and fast for
  // 500 nodes.
  const ready: number[] = [];
  indegree.forEach((d, i) => {
    if (d === 0) ready.push(i);
  });
  const order: Node[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const i = ready.shift()!;
    order.push(nodes[i]!);
    for (const j of downstream[i]!) {
      indegree[j]! -= 1;
      if (indegree[j] === 0) ready.push(j);
    }
  }
  if (order.length !== nodes.length) throw new Error('The pipeline has a cycle (the spec was not validated)');
  return order;
}

export function normalize(spec: JobSpec, model: Model): Graph {
  const form = spec.workload !== undefined ? 'workload' : 'pipeline';
  const pipeline =
    spec.workload !== undefined ? workloadToPipeline(spec.workload, model) : (spec.pipeline as Pipeline);
  if (pipeline === undefined) throw new Error('A JobSpec needs a workload or a pipeline');
  const nodes = topologicalOrder(fromPipeline(pipeline, model, spec.state.ttlSeconds));
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const producers = nodes.map((n) => n.inputs.map((id) => index.get(id)!));
  const consumers: number[][] = nodes.map(() => []);
  producers.forEach((ups, i) => {
    for (const u of ups) consumers[u]!.push(i);
  });
  return { nodes, index, consumers, producers, form };
}
