/**
 * CPU cost per record of each node (core-microseconds), from the model's cited coefficients, and
 * the cores a node needs at 100% busy for its peak rate: requiredCores = rate × cost.
 */
import type { StateBackend } from '../jobspec/index.js';
import { given } from './lists.js';
import type { Model } from './model.js';
import { isKeyed, type Node, type OperatorNode } from './normalize.js';
import type { NodeRates } from './rates.js';
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

function windowParts(op: OperatorNode, model: Model): CostPart[] {
  const w = given(op.window, `The window of "${op.id}"`);
  const c = model.cpu;
  switch (w.type) {
    case 'session':
      return [{ label: 'session window merge (Nexmark q11)', micros: c.sessionWindowMicros }];
    case 'tumbling':
      return [{ label: '1 window per record (Nexmark q12)', micros: c.windowAssignMicros }];
    case 'hopping': {
      // DataStream and legacy group windows copy each record into every window it belongs to
      // (Flink docs, "Windows": sliding windows create size/slide copies).
      const n = w.sizeSeconds / w.slideSeconds;
      return [
        { label: `${n.toFixed(2)} windows per record (size ÷ slide)`, micros: c.windowAssignMicros * n },
      ];
    }
    case 'cumulate': {
      // A record falls into the windows ending at each remaining step: (size/step + 1) / 2 on average.
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

function operatorParts(
  op: OperatorNode,
  r: NodeRates,
  shape: StateShape,
  backend: StateBackend,
  model: Model,
): CostPart[] {
  const c = model.cpu;
  const parts: CostPart[] = [];
  if (op.kind === 'window-aggregate') {
    parts.push(...windowParts(op, model));
  } else if (op.kind === 'top-n') {
    const n = op.n ?? c.topNReferenceN;
    // A sorted buffer per key: cost grows with log2(n + 1), measured at n = topNReferenceN.
    const scale = Math.log2(n + 1) / Math.log2(c.topNReferenceN + 1);
    parts.push({ label: `top-${n} (Nexmark q19 × log(n))`, micros: c.operatorMicros['top-n'] * scale });
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
      { label: `${node.kind} sink connector`, micros: c.sinks[node.kind].fixedMicrosPerRecord },
      {
        label: `${node.format} serialization of ${Math.round(r.inRecordBytes)} bytes`,
        micros: (r.inRecordBytes * format.serializeNanosPerByte) / 1000,
      },
    ];
  } else {
    parts = operatorParts(node, r, shape, backend, model);
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
