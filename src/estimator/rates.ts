/**
 * Records per second through the DAG at the peak rate, in topological order: a node's input is the
 * sum of its producers' outputs, and `outputRatio` (or the kind's natural emission) scales it.
 * Record sizes travel with the rates: a node's input size is the rate-weighted mean of its inputs.
 */

import { at } from './lists.js';
import type { Graph, Node, OperatorNode } from './normalize.js';

export interface NodeRates {
  inRecordsPerSecond: number;
  outRecordsPerSecond: number;
  inRecordBytes: number;
  outRecordBytes: number;
  /** Records/s on each input edge, in the order of `inputs`. */
  inputRecordsPerSecond: number[];
  /** How the output rate was decided, for the explanation. */
  emission: string;
}

/**
 * Keys with at least one record in `seconds` when `rate` records/s spread uniformly over `keys`
 * keys: K × (1 − e^(−r·t/K)) (the expected number of non-empty bins).
 */
export function activeKeys(keys: number, rate: number, seconds: number): number {
  if (keys <= 0) return 0;
  return keys * -Math.expm1(-(rate * seconds) / keys);
}

/**
 * Keyed-state accesses per record of a group aggregation or deduplication beyond what Nexmark q17 measured: 1
 * without mini-batch (Flink's default, and DataStream, where a keyed aggregate reads and writes
 * its state per record); with mini-batch, the distinct keys of a batch over its records —
 * activeKeys(K, rate, latency) ÷ (rate × latency), every record a new key without a key count.
 */
export function stateAccessesPerRecord(op: OperatorNode, rate: number): number {
  const t = op.miniBatchSeconds;
  if (t === undefined) return 1;
  if (op.distinctKeys === undefined || rate <= 0) return 1;
  return Math.min(1, activeKeys(op.distinctKeys, rate, t) / (rate * t));
}

/** Results a window aggregate emits per second, and why. */
export function windowEmission(
  op: OperatorNode,
  rate: number,
): { perSecond: number; why: string } | undefined {
  const w = op.window;
  const keys = op.distinctKeys;
  if (!w || keys === undefined) return undefined;
  const k = (seconds: number) => Math.round(activeKeys(keys, rate, seconds));
  switch (w.type) {
    case 'tumbling':
      return {
        perSecond: activeKeys(keys, rate, w.sizeSeconds) / w.sizeSeconds,
        why: `each ${w.sizeSeconds} s window emits one result per key that had records in it (${k(w.sizeSeconds)} of ${keys})`,
      };
    case 'hopping':
      return {
        perSecond: activeKeys(keys, rate, w.sizeSeconds) / w.slideSeconds,
        why: `every ${w.slideSeconds} s slide a ${w.sizeSeconds} s window emits one result per key active in it (${k(w.sizeSeconds)} of ${keys})`,
      };
    case 'cumulate': {
      // Each step emits the cumulative result of every key active so far in the window.
      const steps = w.sizeSeconds / w.stepSeconds;
      let perWindow = 0;
      for (let i = 1; i <= steps; i++) perWindow += activeKeys(keys, rate, i * w.stepSeconds);
      return {
        perSecond: perWindow / w.sizeSeconds,
        why: `every ${w.stepSeconds} s step emits the keys active so far in the ${w.sizeSeconds} s window`,
      };
    }
    case 'session':
      // A session starts (and later closes) on a record whose key was idle for the gap:
      // r × e^(−r·gap/K) per second for uniformly spread keys.
      return {
        perSecond: rate * Math.exp(-(rate * w.gapSeconds) / keys),
        why: `one result per session; sessions start on a record after ${w.gapSeconds} s of key inactivity`,
      };
  }
}

function operatorOutput(op: OperatorNode, inRate: number, inputs: number[]): { rate: number; why: string } {
  if (op.outputRatio !== undefined) {
    return { rate: inRate * op.outputRatio, why: `input × outputRatio ${op.outputRatio}` };
  }
  switch (op.kind) {
    case 'window-aggregate': {
      const emission = windowEmission(op, inRate);
      if (emission) return { rate: emission.perSecond, why: emission.why };
      return {
        rate: inRate,
        why: 'no distinctKeys given: assumed one result per input record (upper bound)',
      };
    }
    case 'window-join':
    case 'interval-join':
    case 'regular-join':
    case 'temporal-join':
      return { rate: inputs[0] ?? inRate, why: 'one joined row per left (probe) row' };
    case 'aggregate':
    case 'deduplicate':
      // With mini-batch, a batch's records of one key leave as one update (MiniBatchGroupAggFunction,
      // MiniBatchDeduplicateKeepLastRowFunction emit per key when the batch finishes).
      if (op.miniBatchSeconds !== undefined) {
        const a = stateAccessesPerRecord(op, inRate);
        return { rate: inRate * a, why: `one update per key and mini-batch (${a.toFixed(4)} per record)` };
      }
      return { rate: inRate, why: 'one update per input record' };
    default:
      return { rate: inRate, why: 'one output per input record' };
  }
}

function operatorOutputBytes(op: OperatorNode, inBytes: number, inputBytes: number[]): number {
  if (op.outputRecordBytes !== undefined) return op.outputRecordBytes;
  switch (op.kind) {
    case 'window-join':
    case 'interval-join':
    case 'regular-join':
    case 'temporal-join':
      // A joined row carries both sides.
      return inputBytes.reduce((a, b) => a + b, 0);
    case 'aggregate':
    case 'window-aggregate':
      // A result row is the key and its aggregates, which is what state keeps per key.
      return op.stateBytesPerKey ?? inBytes;
    default:
      return inBytes;
  }
}

/**
 * Rates through the graph. `level: 'peak'` (CPU, parallelism, network) multiplies each source by its
 * peakFactor; `level: 'average'` (retained state: a TTL, an interval bound or a window holds the
 * records of its whole period, which arrive at the average rate) does not.
 */
export function computeRates(graph: Graph, level: 'peak' | 'average' = 'peak'): NodeRates[] {
  const rates: NodeRates[] = [];
  graph.nodes.forEach((node: Node, i) => {
    if (node.role === 'source') {
      const rate = node.recordsPerSecond * (level === 'peak' ? node.peakFactor : 1);
      rates.push({
        inRecordsPerSecond: rate,
        outRecordsPerSecond: rate,
        inRecordBytes: node.avgRecordBytes,
        outRecordBytes: node.avgRecordBytes,
        inputRecordsPerSecond: [],
        emission:
          node.peakFactor === 1 || level === 'average'
            ? `${node.recordsPerSecond} records/s read`
            : `${node.recordsPerSecond} records/s × peak factor ${node.peakFactor}`,
      });
      return;
    }
    const producers = at(graph.producers, i);
    const inputRates = producers.map((p) => at(rates, p).outRecordsPerSecond);
    const inputBytes = producers.map((p) => at(rates, p).outRecordBytes);
    const inRate = inputRates.reduce((a, b) => a + b, 0);
    const inBytes =
      inRate > 0
        ? inputRates.reduce((sum, r, k) => sum + r * at(inputBytes, k), 0) / inRate
        : inputBytes.reduce((a, b) => a + b, 0) / Math.max(1, inputBytes.length);
    if (node.role === 'sink') {
      rates.push({
        inRecordsPerSecond: inRate,
        outRecordsPerSecond: 0,
        inRecordBytes: inBytes,
        outRecordBytes: inBytes,
        inputRecordsPerSecond: inputRates,
        emission: 'writes every record it receives',
      });
      return;
    }
    const out = operatorOutput(node, inRate, inputRates);
    rates.push({
      inRecordsPerSecond: inRate,
      outRecordsPerSecond: out.rate,
      inRecordBytes: inBytes,
      outRecordBytes: operatorOutputBytes(node, inBytes, inputBytes),
      inputRecordsPerSecond: inputRates,
      emission: out.why,
    });
  });
  return rates;
}
