/**
 * Keyed state per stateful operator: how many entries it keeps and how big each is, then what
 * that costs in each backend (RocksDB on local disk, HashMap on the JVM heap) and in a checkpoint.
 */
import type { JobApi, StateBackend, Window } from '../jobspec/index.js';
import { at, given } from './lists.js';
import type { Model } from './model.js';
import type { Graph, OperatorNode } from './normalize.js';
import { activeKeys, type NodeRates, stateAccessesPerRecord } from './rates.js';

export interface StateShape {
  /** State entries (key × namespace pairs, or retained rows). */
  entries: number;
  /** Serialized key + value bytes per entry, before backend overhead. */
  payloadBytes: number;
  namespaceBytes: number;
  ttl: boolean;
  /** Timer entries (event-time timers per key and window). */
  timers: number;
  /** RocksDB column families (one per declared state, plus one for timers). */
  columnFamilies: number;
  /** Entries written per second, for incremental checkpoints. */
  writesPerSecond: number;
  /** How the entry count was reached, for the explanation. */
  basis: string;
  /** Grows without bound (a regular join or deduplication without TTL). */
  unbounded: boolean;
  /** An assumption stood in for an input the user did not give. */
  assumption?: string;
  /** Not sized: the inputs needed are missing. */
  notSized?: string;
}

export interface StateBytes {
  /** In the chosen backend (disk for RocksDB, heap for HashMap), with per-entry overhead. */
  backendBytes: number;
  /** What a full checkpoint writes. */
  checkpointBytes: number;
}

function joinAssumptions(parts: (string | undefined)[]): { assumption?: string } {
  const present = parts.filter((p): p is string => p !== undefined);
  return present.length > 0 ? { assumption: present.join('; ') } : {};
}

/** How long one window lasts: its size, or a session's gap. */
function windowLengthSeconds(w: Window): number {
  return w.type === 'session' ? w.gapSeconds : w.sizeSeconds;
}

/** The window of a window operator. */
const windowOf = (op: OperatorNode): Window => given(op.window, `The window of "${op.id}"`);

/**
 * Window states each record updates: DataStream's sliding windows copy it into size ÷ slide windows;
 * Flink SQL's window TVFs update one slice (docs/model.md, "SQL and DataStream").
 */
function windowsPerRecord(op: OperatorNode, api: JobApi): number {
  const w = windowOf(op);
  return w.type === 'hopping' && api === 'datastream' ? w.sizeSeconds / w.slideSeconds : 1;
}

const EMPTY: StateShape = {
  entries: 0,
  payloadBytes: 0,
  namespaceBytes: 0,
  ttl: false,
  timers: 0,
  columnFamilies: 0,
  writesPerSecond: 0,
  basis: 'stateless',
  unbounded: false,
};

/** Open (key, window) pairs of a window aggregate, and a phrase saying how. */
function windowEntries(
  op: OperatorNode,
  rate: number,
  keys: number,
  api: JobApi,
): { entries: number; why: string } {
  const w = windowOf(op);
  const lateness = w.allowedLatenessSeconds ?? 0;
  switch (w.type) {
    case 'tumbling': {
      const n = 1 + lateness / w.sizeSeconds;
      const active = activeKeys(keys, rate, w.sizeSeconds);
      return {
        entries: active * n,
        why: `${Math.round(active)} keys active per ${w.sizeSeconds} s window × ${n === 1 ? '1 open window' : `${n.toFixed(2)} windows (allowed lateness)`}`,
      };
    }
    case 'hopping': {
      const n = w.sizeSeconds / w.slideSeconds + lateness / w.slideSeconds;
      if (api === 'sql') {
        // Window TVF: one accumulator per key and slide-long slice, kept until the last window
        // using the slice fires — a key holds only the slices it had records in.
        const perSlice = activeKeys(keys, rate, w.slideSeconds);
        return {
          entries: perSlice * n,
          why: `${Math.round(perSlice)} keys active per ${w.slideSeconds} s slice × ${n.toFixed(2)} slices kept (size ÷ slide; window TVF slicing)`,
        };
      }
      const active = activeKeys(keys, rate, w.sizeSeconds);
      return {
        entries: active * n,
        why: `${Math.round(active)} keys active per ${w.sizeSeconds} s window × ${n.toFixed(2)} overlapping windows (size ÷ slide)`,
      };
    }
    case 'cumulate': {
      // Flink's window TVF keeps one accumulator per key for a cumulate window's current slice.
      const n = 1 + lateness / w.sizeSeconds;
      const active = activeKeys(keys, rate, w.sizeSeconds);
      return {
        entries: active * n,
        why: `${Math.round(active)} keys active per ${w.sizeSeconds} s window × 1 cumulating accumulator`,
      };
    }
    case 'session': {
      // Open sessions: keys with a record within the last gap.
      const open = activeKeys(keys, rate, w.gapSeconds + lateness);
      return {
        entries: open,
        why: `${Math.round(open)} open sessions (keys active within the ${w.gapSeconds} s gap)`,
      };
    }
  }
}

export function stateShape(op: OperatorNode, r: NodeRates, api: JobApi, model: Model): StateShape {
  const m = model.state;
  const rate = r.inRecordsPerSecond;
  const ttlSeconds = op.ttlSeconds;
  const ttl = ttlSeconds !== undefined;
  switch (op.kind) {
    case 'aggregate': {
      const payload = op.stateBytesPerKey ?? m.defaultAggregateBytesPerKey;
      let keys = op.distinctKeys;
      let basis = `${keys} keys`;
      if (keys === undefined && ttl) {
        keys = rate * ttlSeconds;
        basis = `at most input rate × TTL ${op.ttlSeconds} s keys`;
      }
      if (keys === undefined) {
        return {
          ...EMPTY,
          columnFamilies: 1,
          notSized: 'give distinctKeys (and stateBytesPerKey) to size it',
        };
      }
      if (ttl && op.distinctKeys !== undefined) keys = Math.min(keys, rate * ttlSeconds);
      const distinct = keys * op.distinctAggregates;
      return {
        entries: keys + distinct,
        payloadBytes: (keys * payload + distinct * m.distinctEntryBytes) / Math.max(1, keys + distinct),
        namespaceBytes: m.voidNamespaceBytes,
        ttl,
        timers: 0,
        columnFamilies: 1 + (op.distinctAggregates > 0 ? 1 : 0),
        // Mini-batch writes each key once per batch (MiniBatchGroupAggFunction).
        writesPerSecond: rate * stateAccessesPerRecord(op, rate) * (1 + op.distinctAggregates),
        basis:
          op.distinctAggregates > 0 ? `${basis} + ${op.distinctAggregates} distinct set(s) per key` : basis,
        unbounded: false,
        ...joinAssumptions([
          op.stateBytesPerKey === undefined
            ? `${m.defaultAggregateBytesPerKey} bytes per key assumed (4 longs + key, Metzger's example)`
            : undefined,
          op.distinctAggregates > 0
            ? 'each DISTINCT aggregate keeps at least one seen value per key; more distinct values mean more state'
            : undefined,
        ]),
      };
    }
    case 'window-aggregate': {
      const payload = op.stateBytesPerKey ?? m.defaultAggregateBytesPerKey;
      const length = windowLengthSeconds(windowOf(op));
      // Without a key count, every record of a window is assumed a new key (upper bound).
      const keys = op.distinctKeys ?? Math.max(1, rate * length);
      const { entries, why } = windowEntries(op, rate, keys, api);
      return {
        entries,
        payloadBytes: payload,
        namespaceBytes: m.windowNamespaceBytes,
        ttl: false,
        timers: entries,
        columnFamilies: 2,
        writesPerSecond: rate * Math.max(1, windowsPerRecord(op, api)),
        basis: why,
        unbounded: false,
        ...joinAssumptions([
          op.distinctKeys === undefined
            ? 'no distinctKeys given: every record of a window assumed a new key (upper bound)'
            : undefined,
          op.stateBytesPerKey === undefined
            ? `${m.defaultAggregateBytesPerKey} bytes per key and window assumed (4 longs + key, Metzger's example)`
            : undefined,
        ]),
      };
    }
    case 'window-join': {
      const w = windowOf(op);
      const size = windowLengthSeconds(w);
      const copies = w.type === 'hopping' ? size / w.slideSeconds : 1;
      const rows = rate * (size + (w.allowedLatenessSeconds ?? 0)) * copies;
      return {
        entries: rows,
        payloadBytes: op.stateBytesPerKey ?? r.inRecordBytes,
        namespaceBytes: m.windowNamespaceBytes,
        ttl: false,
        timers: op.distinctKeys !== undefined ? op.distinctKeys * copies : 0,
        columnFamilies: 3,
        writesPerSecond: rate * copies,
        basis: `both sides buffered for the ${size} s window: input × ${size} s${copies > 1 ? ` × ${copies} windows` : ''}`,
        unbounded: false,
      };
    }
    case 'interval-join': {
      // IntervalJoinOperator keeps a left row until the watermark passes its time + upperBound
      // (a right row may still match it) and a right row until its time − lowerBound: each side
      // for the part of the interval on its far side, none when that part is empty — [0, 1 h]
      // keeps only the left side, for an hour.
      const [left = rate, right = 0] = r.inputRecordsPerSecond;
      const upper = given(op.upperBoundSeconds, `The upper bound of "${op.id}"`);
      const lower = given(op.lowerBoundSeconds, `The lower bound of "${op.id}"`);
      const leftSeconds = Math.max(0, upper);
      const rightSeconds = Math.max(0, -lower);
      return {
        entries: left * leftSeconds + right * rightSeconds,
        payloadBytes: op.stateBytesPerKey ?? r.inRecordBytes,
        // Rows are kept in a MapState keyed by their timestamp (a long).
        namespaceBytes: 8,
        ttl: false,
        timers: 0,
        columnFamilies: 3,
        writesPerSecond: (leftSeconds > 0 ? left : 0) + (rightSeconds > 0 ? right : 0),
        basis:
          leftSeconds === rightSeconds
            ? `rows of both sides kept for the ${leftSeconds} s bound: input × ${leftSeconds} s`
            : `left rows kept ${leftSeconds} s (upper bound), right rows ${rightSeconds} s (−lower bound)`,
        unbounded: false,
      };
    }
    case 'regular-join': {
      const payload = op.stateBytesPerKey ?? r.inRecordBytes;
      const base = {
        payloadBytes: payload,
        namespaceBytes: m.voidNamespaceBytes,
        ttl,
        timers: 0,
        columnFamilies: 2,
        writesPerSecond: rate,
      };
      const [left = rate / 2, right = rate / 2] = r.inputRecordsPerSecond;
      const leftTtl = op.leftTtlSeconds ?? op.ttlSeconds;
      const rightTtl = op.rightTtlSeconds ?? op.ttlSeconds;
      if (leftTtl !== undefined && rightTtl !== undefined) {
        // Each side's rows are kept for that side's TTL.
        const byTtl = left * leftTtl + right * rightTtl;
        const byKeys = op.distinctKeys !== undefined ? op.distinctKeys * 2 : Number.POSITIVE_INFINITY;
        return {
          ...base,
          entries: Math.min(byTtl, byKeys),
          basis:
            byKeys < byTtl
              ? `${op.distinctKeys} keys × 2 sides`
              : leftTtl === rightTtl
                ? `rows kept for the TTL: input × ${leftTtl} s`
                : `left rows kept for ${leftTtl} s, right rows for ${rightTtl} s (per-side TTL)`,
          unbounded: false,
        };
      }
      const seconds = m.unboundedJoinAssumedRetentionSeconds;
      if (op.distinctKeys !== undefined) {
        return {
          ...base,
          entries: op.distinctKeys * 2,
          basis: `${op.distinctKeys} keys × 2 sides (one row per key and side)`,
          unbounded: true,
          assumption: 'one retained row per key and side; without a TTL new keys keep adding state',
        };
      }
      if (leftTtl !== undefined || rightTtl !== undefined) {
        // One side has a TTL, the other is kept forever (shown as the model's assumed retention).
        const leftSeconds = leftTtl ?? seconds;
        const rightSeconds = rightTtl ?? seconds;
        return {
          ...base,
          entries: left * leftSeconds + right * rightSeconds,
          basis: `left rows kept ${leftSeconds} s, right rows ${rightSeconds} s (${leftTtl === undefined ? 'left' : 'right'} side has no TTL: ${seconds / 3600} h assumed)`,
          unbounded: true,
          assumption: `the ${leftTtl === undefined ? 'left' : 'right'} side has no TTL and keeps every row forever; the estimate shows ${seconds / 3600} hours of it`,
        };
      }
      return {
        ...base,
        entries: rate * seconds,
        basis: `every row kept: input × ${seconds / 3600} h (assumed; there is no TTL)`,
        unbounded: true,
        assumption: `without a TTL every row is kept forever; the estimate shows ${seconds / 3600} hours of input`,
      };
    }
    case 'temporal-join': {
      const payload = op.stateBytesPerKey ?? r.inRecordBytes;
      const buildRate = r.inputRecordsPerSecond[1] ?? rate;
      const base = {
        payloadBytes: payload,
        namespaceBytes: m.voidNamespaceBytes,
        ttl,
        timers: 0,
        columnFamilies: 2,
        writesPerSecond: buildRate,
        unbounded: false,
      };
      if (op.distinctKeys !== undefined) {
        return { ...base, entries: op.distinctKeys, basis: `${op.distinctKeys} keys of the versioned table` };
      }
      const seconds = op.ttlSeconds ?? m.unboundedJoinAssumedRetentionSeconds;
      return {
        ...base,
        entries: buildRate * seconds,
        basis: `build-side rows for ${seconds} s`,
        ...(ttl
          ? {}
          : { assumption: `no distinctKeys or TTL: ${seconds / 3600} hours of build-side rows assumed` }),
      };
    }
    case 'deduplicate': {
      const payload = op.stateBytesPerKey ?? r.inRecordBytes;
      const base = {
        payloadBytes: payload,
        namespaceBytes: m.voidNamespaceBytes,
        ttl,
        timers: 0,
        columnFamilies: 1,
        writesPerSecond: rate,
      };
      if (op.distinctKeys !== undefined) {
        const entries = ttl ? Math.min(op.distinctKeys, rate * ttlSeconds) : op.distinctKeys;
        return { ...base, entries, basis: `${op.distinctKeys} keys`, unbounded: false };
      }
      if (ttl) {
        return {
          ...base,
          entries: rate * ttlSeconds,
          basis: `keys seen within the TTL (≤ input × ${op.ttlSeconds} s)`,
          unbounded: false,
        };
      }
      const seconds = m.unboundedJoinAssumedRetentionSeconds;
      return {
        ...base,
        entries: rate * seconds,
        basis: `every key kept: input × ${seconds / 3600} h (assumed)`,
        unbounded: true,
        assumption: `no distinctKeys or TTL: every record assumed a new key for ${seconds / 3600} hours`,
      };
    }
    case 'top-n': {
      if (op.distinctKeys === undefined) {
        return { ...EMPTY, columnFamilies: 1, notSized: 'give distinctKeys (partition keys) to size it' };
      }
      return {
        entries: op.distinctKeys * given(op.n, `n of "${op.id}"`),
        payloadBytes: op.stateBytesPerKey ?? r.inRecordBytes,
        namespaceBytes: m.voidNamespaceBytes,
        ttl,
        timers: 0,
        columnFamilies: 1,
        writesPerSecond: rate,
        basis: `${op.distinctKeys} keys × top ${op.n} rows`,
        unbounded: false,
      };
    }
    default:
      return EMPTY;
  }
}

/** Flink prefixes RocksDB keys with the key group: 1 byte up to 128 key groups, else 2. */
export function keyGroupPrefixBytes(maxParallelism: number): number {
  return maxParallelism > 128 ? 2 : 1;
}

export function stateBytes(
  shape: StateShape,
  backend: StateBackend,
  maxParallelism: number,
  model: Model,
): StateBytes {
  if (shape.entries === 0 && shape.timers === 0) return { backendBytes: 0, checkpointBytes: 0 };
  const m = model.state;
  const prefix = keyGroupPrefixBytes(maxParallelism);
  const ttl = shape.ttl ? m.ttlTimestampBytes : 0;
  const serializedEntry = shape.payloadBytes + prefix + shape.namespaceBytes + ttl;
  const serializedTimer = m.timerBytes + prefix;
  const serialized = shape.entries * serializedEntry + shape.timers * serializedTimer;
  if (backend === 'rocksdb') {
    const disk =
      (shape.entries * (serializedEntry + m.rocksdbInternalKeyBytes) +
        shape.timers * (serializedTimer + m.rocksdbInternalKeyBytes)) *
      m.rocksdbSpaceAmplification;
    // A RocksDB checkpoint uploads the SST files themselves.
    return { backendBytes: Math.ceil(disk), checkpointBytes: Math.ceil(disk) };
  }
  const heap =
    shape.entries * (shape.payloadBytes + shape.namespaceBytes + ttl + m.heapEntryOverheadBytes) +
    shape.timers * (m.timerBytes + m.heapEntryOverheadBytes);
  return { backendBytes: Math.ceil(heap), checkpointBytes: Math.ceil(serialized) };
}

/**
 * Stateful operators of the graph and their shapes (stateless nodes get the empty shape). What a
 * retention period holds is sized at the average rates — the records of a 6 h TTL arrive at the
 * average rate, not at the peak for 6 h — while the write rate (what an incremental checkpoint
 * uploads) follows the peak.
 */
export function stateShapes(
  graph: Graph,
  averageRates: NodeRates[],
  peakRates: NodeRates[],
  model: Model,
): StateShape[] {
  return graph.nodes.map((node, i) => {
    if (node.role !== 'operator') return EMPTY;
    const shape = stateShape(node, at(averageRates, i), graph.api, model);
    const average = at(averageRates, i).inRecordsPerSecond;
    const peakOverAverage = average > 0 ? at(peakRates, i).inRecordsPerSecond / average : 1;
    // No write, or no peak above the average: the shape as is (the shared empty one among them).
    if (shape.writesPerSecond === 0 || peakOverAverage === 1) return shape;
    // stateShape built this record for this call alone: scaled in place rather than copied.
    shape.writesPerSecond *= peakOverAverage;
    return shape;
  });
}
