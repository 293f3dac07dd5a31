/**
 * Checkpoint size and duration. A full checkpoint writes all state; an incremental RocksDB
 * checkpoint uploads the SST files written since the last one. Flink gives no formula for the
 * latter (docs/model.md, "Checkpoints"); the estimate takes the share of entries rewritten in one interval —
 * with w writes/s spread uniformly over E entries, the distinct entries touched in T seconds are
 * E × (1 − e^(−wT/E)) — unless the user gives `changedStateFraction`. Compaction output also gets
 * uploaded and can add to this; the explanation says so.
 */
import type { StateBackend, StateSpec } from '../jobspec/index.js';
import type { Model } from './model.js';
import type { NodePlan } from './nodes.js';

export interface CheckpointPlan {
  incremental: boolean;
  intervalSeconds: number;
  fullSizeBytes: number;
  sizeBytes: number;
  /** Upload bandwidth per TaskManager, bytes/s. */
  storageBytesPerSecond: number;
  /** Parallel upload streams per TaskManager behind the default bandwidth. */
  uploadStreams: number;
  /** Bytes the busiest TaskManager uploads per checkpoint. */
  perTaskManagerBytes: number;
  estimatedDurationSeconds: number;
  /** In-flight data an unaligned checkpoint persists per TaskManager. */
  inFlightBytesPerTaskManager: number;
  changedFraction: number;
  changedFractionSource: 'user' | 'write-rate' | 'full';
}

export function touchedFraction(entries: number, writesPerSecond: number, seconds: number): number {
  if (entries <= 0) return 0;
  return 1 - Math.exp(-(writesPerSecond * seconds) / entries);
}

export interface CheckpointInput {
  /** Each node's state shape and full checkpoint bytes (0 for stateless). */
  nodes: readonly Pick<NodePlan, 'shape' | 'stateBytes'>[];
  backend: StateBackend;
  state: StateSpec;
  /** Share of the total state on the busiest TaskManager. */
  busiestTaskManagerShare: number;
  /** Slots per TaskManager: with HashMap each stateful subtask writes its own snapshot stream. */
  slotsPerTaskManager: number;
  /** Network buffers per TaskManager (persisted by unaligned checkpoints). */
  buffersPerTaskManager: number;
  nicBytesPerSecond: number;
  model: Model;
}

export function planCheckpoints(input: CheckpointInput): CheckpointPlan {
  const { state, model, backend } = input;
  const interval = state.checkpointIntervalSeconds;
  const incremental = backend === 'rocksdb' && (state.incrementalCheckpoints ?? true);
  const fullSize = input.nodes.reduce((a, n) => a + n.stateBytes.checkpointBytes, 0);
  let size = fullSize;
  let source: CheckpointPlan['changedFractionSource'] = 'full';
  if (incremental) {
    if (state.changedStateFraction !== undefined) {
      size = fullSize * state.changedStateFraction;
      source = 'user';
    } else {
      size = input.nodes.reduce(
        (sum, { shape, stateBytes }) =>
          sum +
          stateBytes.checkpointBytes *
            touchedFraction(shape.entries + shape.timers, shape.writesPerSecond, interval),
        0,
      );
      source = 'write-rate';
    }
  }
  const inFlight = state.unalignedCheckpoints ? input.buffersPerTaskManager * model.network.segmentBytes : 0;
  // RocksDB uploads its SST files with a pool of transfer threads per backend; the HashMap
  // backend's subtasks each write their own snapshot stream.
  const uploadStreams = backend === 'rocksdb' ? model.checkpoint.transferThreads : input.slotsPerTaskManager;
  const defaultBandwidth = model.checkpoint.bytesPerSecondPerTransferThread * uploadStreams;
  const storage = Math.min(
    state.checkpointStorageBytesPerSecond ?? defaultBandwidth,
    input.nicBytesPerSecond,
  );
  const perTm = size * input.busiestTaskManagerShare + inFlight;
  return {
    incremental,
    intervalSeconds: interval,
    fullSizeBytes: Math.ceil(fullSize),
    sizeBytes: Math.ceil(size),
    storageBytesPerSecond: storage,
    uploadStreams,
    perTaskManagerBytes: Math.ceil(perTm),
    estimatedDurationSeconds: storage > 0 ? perTm / storage : 0,
    inFlightBytesPerTaskManager: inFlight,
    changedFraction: fullSize > 0 ? size / fullSize : 0,
    changedFractionSource: source,
  };
}
