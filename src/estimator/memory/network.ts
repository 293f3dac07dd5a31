/**
 * Network buffers a TaskManager needs, by the Flink Kubernetes Operator autoscaler's estimate
 * (`flink-autoscaler/src/main/java/org/apache/flink/autoscaler/tuning/MemoryTuning.java`,
 * `calculateNetworkSegmentNumber` and the loop that sums it), and the buffers a plan offers
 * (`NettyShuffleEnvironmentConfiguration.calculateNumberOfNetworkBuffers`: ⌊network / segment⌋).
 */

/** How records travel along an edge (Flink's ship strategies as the autoscaler sees them). */
export type ShipStrategy = 'FORWARD' | 'RESCALE' | 'REBALANCE' | 'HASH' | 'BROADCAST' | 'CUSTOM' | 'UNKNOWN';

/** `taskmanager.network.memory.buffers-per-channel` default. */
export const DEFAULT_BUFFERS_PER_CHANNEL = 2;
/** `taskmanager.network.memory.floating-buffers-per-gate` default. */
export const DEFAULT_FLOATING_BUFFERS_PER_GATE = 8;

/**
 * Segments one gate of a vertex needs towards one connected vertex:
 * FORWARD between equal parallelisms → bpc + fpg; FORWARD with a parallelism change, or
 * RESCALE → ⌈p_other / p_this⌉ × bpc + fpg; anything else → p_other × bpc + fpg.
 */
export function networkSegmentsForGate(
  currentParallelism: number,
  connectedParallelism: number,
  shipStrategy: ShipStrategy,
  buffersPerChannel = DEFAULT_BUFFERS_PER_CHANNEL,
  floatingBuffersPerGate = DEFAULT_FLOATING_BUFFERS_PER_GATE,
): number {
  if (currentParallelism === connectedParallelism && shipStrategy === 'FORWARD') {
    return buffersPerChannel + floatingBuffersPerGate;
  }
  if (shipStrategy === 'FORWARD' || shipStrategy === 'RESCALE') {
    return Math.ceil(connectedParallelism / currentParallelism) * buffersPerChannel + floatingBuffersPerGate;
  }
  return connectedParallelism * buffersPerChannel + floatingBuffersPerGate;
}

export interface NetworkVertex {
  id: string;
  parallelism: number;
}

export interface NetworkEdge {
  from: string;
  to: string;
  shipStrategy: ShipStrategy;
}

export interface NetworkRequirementInput {
  vertices: readonly NetworkVertex[];
  edges: readonly NetworkEdge[];
  /** Slots per TaskManager: with slot sharing each slot may host one subtask of every vertex. */
  slots: number;
  segmentSize?: bigint;
  buffersPerChannel?: number;
  floatingBuffersPerGate?: number;
}

export interface NetworkRequirement {
  /** Segments (buffers) one TaskManager needs. */
  buffers: bigint;
  /** buffers × segment size. */
  bytes: bigint;
}

/**
 * Network memory one TaskManager needs: Σ over every vertex of its input gates (towards each
 * upstream vertex) and output gates (towards each downstream vertex), × slots, × segment size
 * (`MemoryTuning.calculateNetworkMemory`). Vector: v1(p 25) → v2(p 10) REBALANCE, 5 slots,
 * 32 KiB → 14,090,240 bytes.
 *
 * @throws RangeError when an edge names an unknown vertex
 */
export function networkRequirementPerTaskManager(input: NetworkRequirementInput): NetworkRequirement {
  const parallelism = new Map(input.vertices.map((v) => [v.id, v.parallelism]));
  const of = (id: string): number => {
    const p = parallelism.get(id);
    if (p === undefined) throw new RangeError(`Unknown vertex '${id}'`);
    return p;
  };
  const bpc = input.buffersPerChannel ?? DEFAULT_BUFFERS_PER_CHANNEL;
  const fpg = input.floatingBuffersPerGate ?? DEFAULT_FLOATING_BUFFERS_PER_GATE;
  let segments = 0n;
  for (const edge of input.edges) {
    const upstream = of(edge.from);
    const downstream = of(edge.to);
    // The downstream vertex's input gate reads from the upstream vertex …
    segments += BigInt(networkSegmentsForGate(downstream, upstream, edge.shipStrategy, bpc, fpg));
    // … and the upstream vertex's output gate writes to the downstream vertex.
    segments += BigInt(networkSegmentsForGate(upstream, downstream, edge.shipStrategy, bpc, fpg));
  }
  const buffers = segments * BigInt(input.slots);
  return { buffers, bytes: buffers * (input.segmentSize ?? 32768n) };
}

/** Buffers a TaskManager has: ⌊network / segment size⌋ (134,217,730 bytes → 4096). */
export function networkBuffersAvailable(networkBytes: bigint, segmentSize = 32768n): bigint {
  return networkBytes / segmentSize;
}
