/**
 * Network: the buffers the job's exchanges need per TaskManager (the channel formula the Flink
 * Kubernetes Operator uses to size network memory), and the bytes each TaskManager sends and
 * receives — Robert Metzger's back-of-the-envelope method (docs/model.md, "Network bandwidth"): ingest from the
 * sources, the share of every shuffle that leaves the machine, sink output and checkpoint upload.
 */

import { at } from './lists.js';
import { networkRequirementPerTaskManager } from './memory/index.js';
import type { Model } from './model.js';
import type { NodePlan } from './nodes.js';
import type { Graph } from './normalize.js';
import type { EdgeKind } from './parallelism/index.js';

export interface Exchange {
  from: number;
  to: number;
  kind: EdgeKind;
  /** Bytes/s crossing this edge, cluster-wide. */
  bytesPerSecond: number;
}

/**
 * The job's network exchanges. A forward edge into a single-input node at the same parallelism
 * is chained (operators in one task, no network); every other edge is an exchange.
 */
export function exchanges(graph: Graph, nodes: readonly NodePlan[]): Exchange[] {
  const list: Exchange[] = [];
  nodes.forEach((to, v) => {
    const producers = at(graph.producers, v);
    producers.forEach((u, k) => {
      const from = at(nodes, u);
      const kind = to.parallelism.inputEdges[k] ?? 'forward';
      const chained =
        kind === 'forward' &&
        producers.length === 1 &&
        from.parallelism.parallelism === to.parallelism.parallelism;
      if (chained) return;
      list.push({
        from: u,
        to: v,
        kind,
        bytesPerSecond: from.rates.outRecordsPerSecond * from.rates.outRecordBytes,
      });
    });
  });
  return list;
}

const SHIP_STRATEGY = { forward: 'FORWARD', rebalance: 'REBALANCE', hash: 'HASH' } as const;

/**
 * Buffers a TaskManager needs for the job's exchanges: the memory module's
 * networkRequirementPerTaskManager (MemoryTuning's channel formula: every exchange counted on its
 * sending and receiving side, × slots per TaskManager since each slot may hold one subtask of
 * every task).
 */
export function buffersRequiredPerTaskManager(
  graph: Graph,
  list: Exchange[],
  nodes: readonly NodePlan[],
  slotsPerTaskManager: number,
  model: Model,
): number {
  const requirement = networkRequirementPerTaskManager({
    vertices: nodes.map((n) => ({ id: n.node.id, parallelism: n.parallelism.parallelism })),
    edges: list.map((e) => ({
      from: at(graph.nodes, e.from).id,
      to: at(graph.nodes, e.to).id,
      shipStrategy: SHIP_STRATEGY[e.kind],
    })),
    slots: slotsPerTaskManager,
    segmentSize: BigInt(model.network.segmentBytes),
    buffersPerChannel: model.network.buffersPerChannel,
    floatingBuffersPerGate: model.network.floatingBuffersPerGate,
  });
  return Number(requirement.buffers);
}

export interface Traffic {
  inBytesPerSecond: number;
  outBytesPerSecond: number;
  ingestBytesPerSecond: number;
  shuffleBytesPerSecond: number;
  sinkBytesPerSecond: number;
  checkpointBytesPerSecond: number;
}

/**
 * Bytes per second in and out of one TaskManager, spreading work evenly over n TaskManagers.
 * A shuffle keeps 1/n of its data on the machine and sends the rest ("400 − 400/5 = 320 MB/s").
 * Sources read from, and sinks write to, systems outside the Flink cluster; checkpoints upload
 * `checkpointBytesPerInterval` every interval. State on local disk adds no network traffic.
 */
export function trafficPerTaskManager(
  nodes: readonly NodePlan[],
  list: Exchange[],
  taskManagers: number,
  checkpoint: { sizeBytes: number; intervalSeconds: number },
): Traffic {
  const checkpointBytesPerSecondPerTaskManager =
    checkpoint.sizeBytes / taskManagers / checkpoint.intervalSeconds;
  const n = Math.max(1, taskManagers);
  let ingest = 0;
  let sink = 0;
  for (const { node, rates: r } of nodes) {
    if (node.role === 'source') ingest += r.outRecordsPerSecond * r.outRecordBytes;
    if (node.role === 'sink') sink += r.inRecordsPerSecond * r.inRecordBytes;
  }
  const shuffle = list.reduce((a, e) => a + e.bytesPerSecond, 0);
  const remoteShare = (n - 1) / n;
  const shufflePerTm = (shuffle / n) * remoteShare;
  return {
    ingestBytesPerSecond: ingest / n,
    shuffleBytesPerSecond: shufflePerTm,
    sinkBytesPerSecond: sink / n,
    checkpointBytesPerSecond: checkpointBytesPerSecondPerTaskManager,
    inBytesPerSecond: ingest / n + shufflePerTm,
    outBytesPerSecond: shufflePerTm + sink / n + checkpointBytesPerSecondPerTaskManager,
  };
}

/** NIC capacity in bytes/s: Gbit/s × 10^9 / 8 (10 GigE = 1250 MB/s, as in Metzger's example). */
export function nicBytesPerSecond(gbps: number): number {
  return (gbps * 1e9) / 8;
}
