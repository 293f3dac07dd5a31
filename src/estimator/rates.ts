/**
 * Records per second through the DAG at the peak rate, in topological order: a node's input is the
 * sum of its producers' outputs, and `outputRatio` (or the kind's natural emission) scales it.
 * Record sizes travel with the rates: a node's input size is the rate-weighted mean of its inputs.
 */
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

/** Windows a key emits per second, and a phrase saying why. */
export function windowFiringsPerSecond(op: OperatorNode): { perSecond: number; why: string } | undefined {
  const w = op.window;
  if (!w) return undefined;
  switch (w.type) {
    case 'tumbling':
      return { perSecond: 1 / w.sizeSeconds!, why: `one result per key every ${w.sizeSeconds} s window` };
    case 'hopping':
      return { perSecond: 1 / w.slideSeconds!, why: `one result per key every ${w.slideSeconds} s slide` };
    case 'cumulate':
      return { perSecond: 1 / w.stepSeconds!, why: `one result per key every ${w.stepSeconds} s step` };
    case 'session':
      return {
        perSecond: 1 / w.gapSeconds!,
        why: `at most one closed session per key every ${w.gapSeconds} s gap`,
      };
  }
}

function operatorOutput(op: OperatorNode, inRate: number, inputs: number[]): { rate: number; why: string } {
  if (op.outputRatio !== undefined) {
    return { rate: inRate * op.outputRatio, why: `input × outputRatio ${op.outputRatio}` };
  }
  switch (op.kind) {
    case 'window-aggregate': {
      const firing = windowFiringsPerSecond(op);
      if (firing && op.distinctKeys !== undefined) {
        const rate = Math.min(inRate, op.distinctKeys * firing.perSecond);
        return {
          rate,
          why: `${firing.why}: min(input, ${op.distinctKeys} keys × ${firing.perSecond.toPrecision(3)}/s)`,
        };
      }
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

export function computeRates(graph: Graph): NodeRates[] {
  const rates: NodeRates[] = [];
  graph.nodes.forEach((node: Node, i) => {
    if (node.role === 'source') {
      const rate = node.recordsPerSecond * node.peakFactor;
      rates.push({
        inRecordsPerSecond: rate,
        outRecordsPerSecond: rate,
        inRecordBytes: node.avgRecordBytes,
        outRecordBytes: node.avgRecordBytes,
        inputRecordsPerSecond: [],
        emission:
          node.peakFactor === 1
            ? `${node.recordsPerSecond} records/s read`
            : `${node.recordsPerSecond} records/s × peak factor ${node.peakFactor}`,
      });
      return;
    }
    const producers = graph.producers[i]!;
    const inputRates = producers.map((p) => rates[p]!.outRecordsPerSecond);
    const inputBytes = producers.map((p) => rates[p]!.outRecordBytes);
    const inRate = inputRates.reduce((a, b) => a + b, 0);
    const inBytes =
      inRate > 0
        ? inputRates.reduce((sum, r, k) => sum + r * inputBytes[k]!, 0) / inRate
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
