/**
 * Window-end bursts. A tumbling, hopping or cumulate window fires for all its keys at once when the
 * watermark passes its end (Flink docs, "Windows"; the window TVF operators fire slices by timer
 * the same way), so its results leave in a burst — 50M results at once for an hourly window over
 * 50M keys — not at the average output rate the rates step reports. Flink's "Large State Tuning"
 * guide asks capacity planning to allow for it. The downstream tasks drain the burst at their full
 * capacity; while they do, the window is backpressured and (with aligned checkpoints) a checkpoint
 * barrier waits behind the burst (docs/model.md, "Window-end bursts").
 */
import { formatBytes } from '../format.js';
import type { Explanation } from '../schemas/estimate.js';
import { at } from './lists.js';
import type { Model } from './model.js';
import type { NodePlan } from './nodes.js';
import type { Graph } from './normalize.js';
import { count } from './text.js';

export interface BurstDrain {
  id: string;
  /** Seconds the consumer's task needs for the burst at full capacity. */
  seconds: number;
  /** Records/s the consumer's task sustains during the burst (all subtasks, hot subtask limiting). */
  recordsPerSecond: number;
}

export interface WindowBurst {
  id: string;
  /** Seconds between two firings: the window size (tumbling), slide (hopping) or step (cumulate). */
  fireIntervalSeconds: number;
  /** Results one firing emits on average (the output rate × the interval between firings). */
  resultsPerFire: number;
  /** Bytes of those results. */
  bytes: number;
  /** Network buffers the exchange to the consumers can hold (0 when the consumers are chained). */
  inFlightBytes: number;
  drains: BurstDrain[];
  /** The slowest consumer's drain time: how long the burst holds the job up. */
  seconds: number;
}

/** Seconds between firings of a window that fires for all keys at once, or undefined. */
function fireInterval(plan: NodePlan): number | undefined {
  const n = plan.node;
  if (n.role !== 'operator' || n.kind !== 'window-aggregate' || n.window === undefined) return undefined;
  const w = n.window;
  switch (w.type) {
    case 'tumbling':
      return w.sizeSeconds;
    case 'hopping':
      return w.slideSeconds;
    case 'cumulate':
      return w.stepSeconds;
    case 'session':
      // Sessions close per key, each when its own gap passes: no common end, no burst.
      return undefined;
  }
}

/**
 * Seconds a task starting at node `start` needs for `records` arriving at it: every node of the
 * chain that runs in the same thread (same chain head) processes its share, the busiest subtask —
 * max(hot key share, 1/p) of the records — limiting.
 */
function drainSeconds(graph: Graph, nodes: readonly NodePlan[], start: number, records: number): number {
  const head = at(nodes, start).parallelism.chainHead;
  const startRate = at(nodes, start).rates.inRecordsPerSecond;
  let seconds = 0;
  const stack = [start];
  const seen = new Set<number>();
  for (let j = stack.pop(); j !== undefined; j = stack.pop()) {
    if (seen.has(j)) continue;
    seen.add(j);
    const { parallelism: np, rates: r } = at(nodes, j);
    const share = startRate > 0 ? r.inRecordsPerSecond / startRate : 1;
    seconds += (records * share * np.cost.micros * Math.max(np.hotKeyShare, 1 / np.parallelism)) / 1e6;
    for (const c of at(graph.consumers, j)) {
      if (at(nodes, c).parallelism.chainHead === head) stack.push(c);
    }
  }
  return seconds;
}

export function windowBursts(graph: Graph, nodes: readonly NodePlan[], model: Model): WindowBurst[] {
  const out: WindowBurst[] = [];
  nodes.forEach((plan, i) => {
    const interval = fireInterval(plan);
    if (interval === undefined) return;
    const resultsPerFire = plan.rates.outRecordsPerSecond * interval;
    if (resultsPerFire <= 0) return;
    const p = plan.parallelism.parallelism;
    const net = model.network;
    let inFlightBytes = 0;
    const drains = at(graph.consumers, i).map((c): BurstDrain => {
      const consumer = at(nodes, c);
      const chained = consumer.parallelism.chainHead === plan.parallelism.chainHead;
      // Receiving side of the exchange: buffers per channel from each of the p senders plus the
      // gate's floating buffers, on every consumer subtask (NettyShuffleEnvironmentOptions).
      if (!chained) {
        inFlightBytes +=
          consumer.parallelism.parallelism *
          (p * net.buffersPerChannel + net.floatingBuffersPerGate) *
          net.segmentBytes;
      }
      const seconds = drainSeconds(graph, nodes, c, resultsPerFire);
      return { id: consumer.node.id, seconds, recordsPerSecond: seconds > 0 ? resultsPerFire / seconds : 0 };
    });
    out.push({
      id: plan.node.id,
      fireIntervalSeconds: interval,
      resultsPerFire,
      bytes: resultsPerFire * plan.rates.outRecordBytes,
      inFlightBytes,
      drains,
      seconds: Math.max(0, ...drains.map((d) => d.seconds)),
    });
  });
  return out;
}

/** The burst holds the job up for too long: beyond the model's share of the firing interval, or a checkpoint interval. */
export function burstTooLong(b: WindowBurst, checkpointIntervalSeconds: number, model: Model): boolean {
  return (
    b.seconds > model.window.burstWarnFractionOfFireInterval * b.fireIntervalSeconds ||
    b.seconds > checkpointIntervalSeconds
  );
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** One explanation per window burst: what fires, how long its consumers take, what it holds up. */
export function explainBursts(
  bursts: readonly WindowBurst[],
  checkpointIntervalSeconds: number,
  model: Model,
): Explanation[] {
  return bursts.map((b) => ({
    topic: `burst:${b.id}`,
    text:
      `Window "${b.id}" fires every ${b.fireIntervalSeconds} s and then emits its results at once: about ${count(b.resultsPerFire)} ` +
      `(${formatBytes(Math.round(b.bytes))}), not the average ${count(b.resultsPerFire / b.fireIntervalSeconds)}/s the rates show. ` +
      b.drains
        .map(
          (d) =>
            `"${d.id}" drains them at its full capacity, ${count(d.recordsPerSecond)} records/s, in ${round2(d.seconds)} s`,
        )
        .join('; ') +
      (b.inFlightBytes > 0
        ? `. The exchange's network buffers hold ${formatBytes(b.inFlightBytes)} of it; the rest waits in the window (backpressure) until it drains. `
        : '. The consumers are chained to the window, so the window emits them in its own thread and reads no input until they are done. ') +
      (burstTooLong(b, checkpointIntervalSeconds, model)
        ? 'That is longer than the plan accepts (see WINDOW_BURST).'
        : `That is within ${Math.round(model.window.burstWarnFractionOfFireInterval * 100)}% of the firing interval and the ${checkpointIntervalSeconds} s checkpoint interval.`),
    formula: `burst = out/s × interval = ${count(b.resultsPerFire)}; drain = burst × µs/record × max(hot share, 1/p) ÷ 10⁶ per chained node = ${round2(b.seconds)} s`,
    inputs: {
      resultsPerFire: Math.round(b.resultsPerFire),
      burstBytes: Math.round(b.bytes),
      fireIntervalSeconds: b.fireIntervalSeconds,
      drainSeconds: round2(b.seconds),
      inFlightBytes: b.inFlightBytes,
    },
    decidedBy: 'throughput' as const,
  }));
}
