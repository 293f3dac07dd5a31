/**
 * Turns either form of a JobSpec into one DAG in topological order, so every later step works on
 * the same shape. The quick `workload` form becomes sources → a chain of operators → sinks: the
 * first `statefulOperators` operators are keyed aggregates over `distinctKeys`, the rest are
 * stateless operators whose kind and cost follow `complexity` (model.cpu.complexity).
 */
import { sortGraph } from '../jobspec/graph.js';
import {
  type JobApi,
  type JobSpec,
  KEYED_KINDS,
  type Operator,
  type OperatorKind,
  type Pipeline,
  parseKubernetesQuantityBytes,
  type RecordFormat,
  type SinkKind,
  type SourceKind,
  type SqlOptions,
  type Window,
  type Workload,
} from '../jobspec/index.js';
import type { Model } from './model.js';

interface NodeBase {
  id: string;
  name?: string;
  inputs: string[];
  parallelismOverride?: number;
  /** The Flink job vertex this node runs in, when the spec came from a plan or a calibration. */
  flinkVertexId?: string;
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
  /** Interval join: the symmetric bound, or (when given as bounds) the larger of |lower| and |upper|. */
  boundSeconds?: number;
  /** Interval join: the right row's earliest time relative to the left row (−boundSeconds when symmetric). */
  lowerBoundSeconds?: number;
  /** Interval join: the right row's latest time relative to the left row (boundSeconds when symmetric). */
  upperBoundSeconds?: number;
  /** One TTL for the operator's state: its own, else table.exec.state.ttl where TTL applies. */
  ttlSeconds?: number;
  /** Regular and temporal joins: each side's TTL (its own, else ttlSeconds); absent = kept forever. */
  leftTtlSeconds?: number;
  rightTtlSeconds?: number;
  /** Keyed operators: the share of records that carry the busiest key (0–1). */
  hotKeyShare?: number;
  /**
   * SQL group aggregation or deduplication under table.exec.mini-batch: seconds per batch. Absent:
   * no mini-batch, state read and written per record (DataStream; SQL unless sql.miniBatch is given).
   */
  miniBatchSeconds?: number;
  /** SQL group aggregation split into a local phase (before the shuffle) and a global one. */
  twoPhase?: boolean;
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
  /** How the job is written (SQL / Table API or DataStream). */
  api: JobApi;
  /** The nodes the TaskManagers run on, when the spec gives their shape. */
  nodeShape?: { cpu: number; memoryBytes: bigint };
}

export function isKeyed(node: Node): boolean {
  return node.role === 'operator' && KEYED_KINDS.has(node.kind);
}

function fromPipeline(pipeline: Pipeline, model: Model, stateTtlSeconds: number | undefined): Node[] {
  // Optional fields are assigned when given (not spread from temporary objects: this runs for
  // every node of every estimate).
  const nodes: Node[] = [];
  for (const s of pipeline.sources) {
    const node: SourceNode = {
      role: 'source',
      id: s.id,
      kind: s.kind,
      inputs: [],
      recordsPerSecond: s.recordsPerSecond,
      peakFactor: s.peakFactor ?? 1,
      avgRecordBytes: s.avgRecordBytes,
      format: s.format ?? model.cpu.sources[s.kind].defaultFormat,
    };
    if (s.name !== undefined) node.name = s.name;
    if (s.partitions !== undefined) node.partitions = s.partitions;
    if (s.parallelism !== undefined) node.parallelismOverride = s.parallelism;
    if (s.flinkVertexId !== undefined) node.flinkVertexId = s.flinkVertexId;
    nodes.push(node);
  }
  for (const o of pipeline.operators) nodes.push(operatorNode(o, stateTtlSeconds));
  for (const s of pipeline.sinks) {
    const node: SinkNode = {
      role: 'sink',
      id: s.id,
      kind: s.kind,
      inputs: [...s.inputs],
      format: s.format ?? model.cpu.sinks[s.kind].defaultFormat,
    };
    if (s.name !== undefined) node.name = s.name;
    if (s.parallelism !== undefined) node.parallelismOverride = s.parallelism;
    if (s.flinkVertexId !== undefined) node.flinkVertexId = s.flinkVertexId;
    nodes.push(node);
  }
  return nodes;
}

/** Where table.exec.state.ttl means something (the operators whose state it expires). */
const JOB_TTL_KINDS: ReadonlySet<OperatorKind> = new Set([
  'aggregate',
  'regular-join',
  'temporal-join',
  'deduplicate',
  'top-n',
]);

function operatorNode(o: Operator, stateTtlSeconds: number | undefined): OperatorNode {
  // table.exec.state.ttl applies to operators without their own TTL, where TTL means something.
  const ttlApplies = JOB_TTL_KINDS.has(o.kind);
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
  if (o.flinkVertexId !== undefined) node.flinkVertexId = o.flinkVertexId;
  if (o.hotKeyShare !== undefined) node.hotKeyShare = o.hotKeyShare;
  if (o.kind === 'interval-join') Object.assign(node, intervalBounds(o));
  if (o.kind === 'regular-join' || o.kind === 'temporal-join') {
    Object.assign(node, sideTtls(o, ttl));
  } else if (ttl !== undefined) {
    node.ttlSeconds = ttl;
  }
  if (o.lookupLatencyMs !== undefined) node.lookupLatencyMs = o.lookupLatencyMs;
  if (o.cacheHitRatio !== undefined) node.cacheHitRatio = o.cacheHitRatio;
  if (o.async !== undefined) node.async = o.async;
  if (o.asyncCapacity !== undefined) node.asyncCapacity = o.asyncCapacity;
  if (o.n !== undefined) node.n = o.n;
  return node;
}

/** An interval join's bounds in both forms: the symmetric shorthand and lower/upper. */
function intervalBounds(
  o: Operator,
): Pick<OperatorNode, 'boundSeconds' | 'lowerBoundSeconds' | 'upperBoundSeconds'> {
  if (o.boundSeconds !== undefined) {
    return {
      boundSeconds: o.boundSeconds,
      lowerBoundSeconds: -o.boundSeconds,
      upperBoundSeconds: o.boundSeconds,
    };
  }
  const lower = o.lowerBoundSeconds ?? 0;
  const upper = o.upperBoundSeconds ?? 0;
  return {
    boundSeconds: Math.max(Math.abs(lower), Math.abs(upper)),
    lowerBoundSeconds: lower,
    upperBoundSeconds: upper,
  };
}

/**
 * A two-sided join's TTLs: each side's own, else the operator's (or the job default) for both.
 * `ttlSeconds` keeps its one-TTL meaning: when the sides differ it is the longer side's, and
 * absent when one side is kept forever.
 */
function sideTtls(
  o: Operator,
  ttl: number | undefined,
): Pick<OperatorNode, 'ttlSeconds' | 'leftTtlSeconds' | 'rightTtlSeconds'> {
  if (o.leftTtlSeconds === undefined && o.rightTtlSeconds === undefined) {
    return ttl !== undefined ? { ttlSeconds: ttl, leftTtlSeconds: ttl, rightTtlSeconds: ttl } : {};
  }
  const left = o.leftTtlSeconds ?? ttl;
  const right = o.rightTtlSeconds ?? ttl;
  return {
    ...(left !== undefined && right !== undefined ? { ttlSeconds: Math.max(left, right) } : {}),
    ...(left !== undefined ? { leftTtlSeconds: left } : {}),
    ...(right !== undefined ? { rightTtlSeconds: right } : {}),
  };
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

/**
 * Flink SQL's mini-batch and two-phase options on a group aggregation (MiniBatchGroupAggFunction,
 * LocalGroupAggregate / GlobalGroupAggregate): with table.exec.mini-batch.*, an aggregation touches
 * state once per key and batch; with it and table.optimizer.agg-phase-strategy AUTO or TWO_PHASE,
 * a local phase pre-aggregates each batch before the shuffle (docs/model.md, "SQL and DataStream").
 */
function withApi(node: Node, api: JobApi, sql: SqlOptions | undefined): Node {
  if (node.role !== 'operator' || (node.kind !== 'aggregate' && node.kind !== 'deduplicate')) return node;
  // DataStream has no mini-batch: a keyed aggregate reads and writes its state per record. Flink SQL
  // has none either unless the job sets it (table.exec.mini-batch.enabled defaults to false,
  // ExecutionConfigOptions), so an absent sql.miniBatch is priced as Flink runs by default.
  if (api === 'datastream' || !sql?.miniBatch) return node;
  const miniBatchSeconds = sql.miniBatch.allowLatencyMs / 1000;
  // Only group aggregations split into local and global phases; deduplication mini-batches alone.
  if (node.kind === 'deduplicate') return { ...node, miniBatchSeconds };
  return { ...node, miniBatchSeconds, twoPhase: sql.aggPhaseStrategy !== 'ONE_PHASE' };
}

export function normalize(spec: JobSpec, model: Model): Graph {
  const form = spec.workload !== undefined ? 'workload' : 'pipeline';
  const pipeline = spec.workload !== undefined ? workloadToPipeline(spec.workload, model) : spec.pipeline;
  if (pipeline === undefined) throw new Error('A JobSpec needs a workload or a pipeline');
  const sorted = sortGraph(fromPipeline(pipeline, model, spec.state.ttlSeconds));
  const { producers, consumers } = sorted;
  const nodes = sorted.nodes.map((n) => withApi(n, spec.api, spec.sql));
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const shape = spec.cluster.nodeShape;
  return {
    nodes,
    index,
    consumers,
    producers,
    form,
    api: spec.api,
    ...(shape !== undefined
      ? { nodeShape: { cpu: shape.cpu, memoryBytes: parseKubernetesQuantityBytes(shape.memory) } }
      : {}),
  };
}
