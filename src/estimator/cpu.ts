/**
 * CPU cost per record of each node (core-microseconds), from the model's cited coefficients, and
 * the cores a node needs at 100% busy for its peak rate: requiredCores = rate × cost.
 */
import type { JobApi, StateBackend } from '../jobspec/index.js';
import { at, given } from './lists.js';
import type { Model } from './model.js';
import { type Graph, isKeyed, type Node, type OperatorNode } from './normalize.js';
import { type NodeRates, stateAccessesPerRecord } from './rates.js';
import type { StateShape } from './state.js';

export interface CostPart {
  label: string;
  micros: number;
}

export interface NodeCost {
  /** Core-microseconds per input record (per record read, for a source). */
  micros: number;
  parts: CostPart[];
}

const sum = (parts: CostPart[]) => parts.reduce((a, p) => a + p.micros, 0);

function windowParts(op: OperatorNode, r: NodeRates, api: JobApi, model: Model): CostPart[] {
  const w = given(op.window, `The window of "${op.id}"`);
  const c = model.cpu;
  // Results per input record, each of which merges slices when a SQL window fires.
  const resultsPerRecord = r.inRecordsPerSecond > 0 ? r.outRecordsPerSecond / r.inRecordsPerSecond : 0;
  switch (w.type) {
    case 'session':
      return [{ label: 'session window merge (Nexmark q11)', micros: c.sessionWindowMicros }];
    case 'tumbling':
      return [{ label: '1 window per record (Nexmark q12)', micros: c.windowAssignMicros }];
    case 'hopping': {
      const n = w.sizeSeconds / w.slideSeconds;
      if (api === 'sql') {
        // Window TVFs slice a hopping window by its slide: one slice update per record, and each
        // result merges size ÷ slide slices when its window fires (SliceAssigners.HoppingSliceAssigner).
        return [
          { label: '1 slice per record (window TVF, Nexmark q12)', micros: c.windowAssignMicros },
          {
            label: `${n.toFixed(2)} slices merged per result (${resultsPerRecord.toFixed(4)} results per record)`,
            micros: resultsPerRecord * n * c.sliceMergeMicros,
          },
        ];
      }
      // DataStream's sliding windows copy each record into every window it belongs to (Flink docs,
      // "Windows": an element belongs to size ÷ slide windows; WindowOperator updates each).
      return [
        { label: `${n.toFixed(2)} windows per record (size ÷ slide)`, micros: c.windowAssignMicros * n },
      ];
    }
    case 'cumulate': {
      if (api === 'sql') {
        // One step slice per record; each step's result merges the new slice into the window's
        // cumulative accumulator (SliceAssigners.CumulativeSliceAssigner).
        return [
          { label: '1 slice per record (window TVF, Nexmark q12)', micros: c.windowAssignMicros },
          {
            label: `1 slice merged per result (${resultsPerRecord.toFixed(4)} results per record)`,
            micros: resultsPerRecord * c.sliceMergeMicros,
          },
        ];
      }
      // DataStream has no cumulate assigner: a custom one adds the record to every window ending at
      // a remaining step, (size/step + 1) / 2 on average.
      const n = (w.sizeSeconds / w.stepSeconds + 1) / 2;
      return [
        {
          label: `${n.toFixed(2)} cumulating windows per record on average`,
          micros: c.windowAssignMicros * n,
        },
      ];
    }
  }
}

/** A two-phase aggregation's local phase, per record: the accumulate (Nexmark q17 − q0) in memory. */
export function localAggregateMicros(op: OperatorNode, model: Model): number {
  return op.twoPhase ? model.cpu.operatorMicros.aggregate * op.costFactor : 0;
}

function aggregateParts(op: OperatorNode, r: NodeRates, model: Model): CostPart[] {
  const c = model.cpu;
  const a = stateAccessesPerRecord(op, r.inRecordsPerSecond);
  if (op.twoPhase) {
    // The local phase runs chained to the input (charged there, nodes.ts); the global one receives
    // one partial per key and batch: a of the records, each merged into state.
    return [
      {
        label: `global phase: ${a.toFixed(4)} partials per record (two-phase), merge + state access`,
        micros: a * (c.operatorMicros.aggregate + c.stateAccessMicros),
      },
    ];
  }
  return keyedStateParts(op, a, c.stateAccessMicros, {
    label: 'aggregate (Nexmark q17, mini-batched)',
    micros: c.operatorMicros.aggregate,
  });
}

/**
 * An operator's own measured cost plus its keyed-state accesses: once per key and batch with
 * mini-batch, once per record without it. Shared by aggregates and deduplication.
 */
function keyedStateParts(
  op: OperatorNode,
  accessesPerRecord: number,
  stateAccessMicros: number,
  own: CostPart,
): CostPart[] {
  return [
    own,
    {
      label:
        op.miniBatchSeconds === undefined
          ? 'state read-modify-write per record (no mini-batch; Nexmark q12 − q17)'
          : `state read-modify-write per key and batch: ${accessesPerRecord.toFixed(4)} per record (mini-batch)`,
      micros: accessesPerRecord * stateAccessMicros,
    },
  ];
}

/**
 * Deduplication keeps the first or last row per key in keyed state; with mini-batch it touches that
 * state once per key and batch (MiniBatchDeduplicateKeepLastRowFunction and its row-time variant),
 * without it on every record (DeduplicateKeepLastRowFunction) — as an aggregate's accumulator.
 */
function deduplicateParts(op: OperatorNode, r: NodeRates, model: Model): CostPart[] {
  const c = model.cpu;
  const a = stateAccessesPerRecord(op, r.inRecordsPerSecond);
  return keyedStateParts(op, a, c.stateAccessMicros, {
    label: 'deduplicate (Nexmark q18, mini-batched)',
    micros: c.operatorMicros.deduplicate,
  });
}

/**
 * A regular or temporal join on RocksDB keeping rows of `rowBytes` (model.ts, "Regular joins by the
 * bytes of the rows they keep"): on the line through Nexmark q4 and q20 between the narrowest and
 * widest rows Nexmark's joins keep, and beyond the widest only each extra byte's write and read.
 */
export function joinRowMicros(
  kind: 'regular-join' | 'temporal-join',
  rowBytes: number,
  model: Model,
): number {
  const c = model.cpu;
  const w = c.joinRowBytes;
  const measured = Math.min(Math.max(rowBytes, w.measuredFromBytes), w.measuredToBytes);
  const beyond = Math.max(0, rowBytes - w.measuredToBytes);
  const atReference = c.operatorMicros[kind];
  return (
    atReference * (1 + w.shareOfReferencePerByte * (measured - w.referenceBytes)) +
    (2 * beyond * c.stateSerdeNanosPerByte) / 1000
  );
}

function operatorParts(
  op: OperatorNode,
  r: NodeRates,
  shape: StateShape,
  backend: StateBackend,
  api: JobApi,
  model: Model,
): CostPart[] {
  const c = model.cpu;
  const parts: CostPart[] = [];
  if (op.kind === 'window-aggregate') {
    parts.push(...windowParts(op, r, api, model));
  } else if (op.kind === 'aggregate') {
    parts.push(...aggregateParts(op, r, model));
  } else if (op.kind === 'top-n') {
    const n = op.n ?? c.topNReferenceN;
    // A sorted buffer per key: cost grows with log2(n + 1), measured at n = topNReferenceN.
    const scale = Math.log2(n + 1) / Math.log2(c.topNReferenceN + 1);
    parts.push({ label: `top-${n} (Nexmark q19 × log(n))`, micros: c.operatorMicros['top-n'] * scale });
  } else if (op.kind === 'deduplicate') {
    parts.push(...deduplicateParts(op, r, model));
  } else if ((op.kind === 'regular-join' || op.kind === 'temporal-join') && backend === 'rocksdb') {
    parts.push({
      label: `${op.kind} keeping ${Math.round(shape.payloadBytes)}-byte rows (Nexmark q4, q20 by row bytes)`,
      micros: joinRowMicros(op.kind, shape.payloadBytes, model),
    });
  } else {
    parts.push({ label: `${op.kind} (model.cpu.operatorMicros)`, micros: c.operatorMicros[op.kind] });
  }
  if ((op.kind === 'aggregate' || op.kind === 'window-aggregate') && op.distinctAggregates > 0) {
    parts.push({
      label: `${op.distinctAggregates} DISTINCT aggregate(s) (Nexmark q16 vs q17)`,
      micros: c.distinctAggregateMicros * op.distinctAggregates,
    });
  }
  if (op.costFactor !== 1) {
    const base = sum(parts);
    parts.push({ label: `costFactor ${op.costFactor}`, micros: base * (op.costFactor - 1) });
  }
  if (isKeyed(op)) {
    const extra = Math.max(0, r.inRecordBytes - c.shuffleBytesIncluded);
    if (extra > 0) {
      parts.push({
        label: `keyed shuffle of ${Math.round(extra)} bytes beyond Nexmark's ${c.shuffleBytesIncluded}`,
        micros: (extra * c.shuffleNanosPerByte) / 1000,
      });
    }
    if (backend === 'hashmap' && shape.payloadBytes > 0) {
      // The Nexmark costs were measured on RocksDB, whose every read and write (de)serializes an
      // entry of Nexmark's size; on the heap that work is not done. The saving is that measured
      // work — not this job's entry size, since a heap access costs the same for any value size.
      const saving = Math.min(
        sum(parts) * 0.5,
        (2 * c.shuffleBytesIncluded * c.stateSerdeNanosPerByte) / 1000,
      );
      parts.push({ label: 'heap state: no (de)serialization per access', micros: -saving });
    }
  }
  return parts;
}

/** Cost of one record on a node, before any rebalance added by parallelism. */
export function nodeCost(
  node: Node,
  r: NodeRates,
  shape: StateShape,
  backend: StateBackend,
  api: JobApi,
  model: Model,
): NodeCost {
  const c = model.cpu;
  let parts: CostPart[];
  if (node.role === 'source') {
    const format = c.formats[node.format];
    parts = [
      { label: 'record framework (Nexmark q0 pass-through)', micros: c.recordFrameworkMicros },
      { label: `${node.kind} source connector`, micros: c.sources[node.kind].fixedMicrosPerRecord },
      {
        label: `${node.format} deserialization of ${r.outRecordBytes} bytes`,
        micros: (r.outRecordBytes * format.deserializeNanosPerByte) / 1000,
      },
    ];
  } else if (node.role === 'sink') {
    const format = c.formats[node.format];
    parts = [
      { label: 'record handed to the sink (Nexmark q0 − q2)', micros: c.recordEmitMicros },
      { label: `${node.kind} sink connector`, micros: c.sinks[node.kind].fixedMicrosPerRecord },
      {
        label: `${node.format} serialization of ${Math.round(r.inRecordBytes)} bytes`,
        micros: (r.inRecordBytes * format.serializeNanosPerByte) / 1000,
      },
    ];
  } else {
    parts = operatorParts(node, r, shape, backend, api, model);
  }
  const nonZero = parts.filter((p) => p.micros !== 0);
  return { micros: Math.max(0, sum(nonZero)), parts: nonZero };
}

/**
 * Extra cost when records reach a stateless node over the network stack (it is not chained to its
 * input): serialized into network buffers and read back, forward or rebalance alike.
 */
export function exchangeCost(r: NodeRates, model: Model): CostPart {
  return {
    label: `network exchange of ${Math.round(r.inRecordBytes)}-byte records (not chained)`,
    micros: (r.inRecordBytes * model.cpu.shuffleNanosPerByte) / 1000,
  };
}

export function requiredCores(rate: number, micros: number): number {
  return (rate * micros) / 1e6;
}

/**
 * Every node's cost per record, the way the job's API runs it. A two-phase aggregation's local
 * phase runs chained to its input, before the shuffle (LocalGroupAggregate), so its cost is charged
 * to the input node — scaled to that node's records — and spreads at the input's parallelism.
 */
export function nodeCosts(
  graph: Graph,
  rates: readonly NodeRates[],
  shapes: readonly StateShape[],
  backend: StateBackend,
  model: Model,
): NodeCost[] {
  const costs = graph.nodes.map((n, i) =>
    nodeCost(n, at(rates, i), at(shapes, i), backend, graph.api, model),
  );
  graph.nodes.forEach((n, i) => {
    if (n.role !== 'operator' || !n.twoPhase) return;
    const local = localAggregateMicros(n, model);
    for (const j of at(graph.producers, i)) {
      const r = at(rates, j);
      const perRecord =
        r.inRecordsPerSecond > 0 ? (local * r.outRecordsPerSecond) / r.inRecordsPerSecond : local;
      const cost = at(costs, j);
      costs[j] = {
        micros: cost.micros + perRecord,
        parts: [...cost.parts, { label: `local aggregation for "${n.id}" (two-phase)`, micros: perRecord }],
      };
    }
  });
  return costs;
}
