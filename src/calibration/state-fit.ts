/**
 * Keyed state sized from what the job's checkpoints measured. Flink reports each vertex's state
 * in a completed checkpoint (GET /jobs/:id/checkpoints → latest.completed.tasks[vertex].state_size,
 * CheckpointingStatistics), or only the job's total (the JobManager metric lastCheckpointFullSize,
 * Flink docs "Metrics", Checkpointing). The model's state per operator is entries × bytes per entry
 * (estimator/state.ts), so the one unknown it was missing — the number of keys, or the bytes per
 * key when the keys were given — is solved for, per stateful operator, until the modelled state
 * equals the measured one. Each value says where it came from.
 */
import type { Model } from '../estimator/index.js';
import { type OperatorKind, STATELESS_OPERATOR_KINDS } from '../jobspec/index.js';
import type { Estimate } from '../schemas/estimate.js';
import type { ObservedVertex } from './observation.js';
import type { Draft, DraftNode } from './topology.js';

export type StateField = 'distinctKeys' | 'stateBytesPerKey';

export interface StateDerivation {
  nodeId: string;
  vertexId: string;
  field: StateField;
  value: number;
  /** The measured bytes this node was fitted to (its share of what was measured). */
  measuredBytes: number;
  /** The model's state for the node with the derived value, in checkpoint terms. */
  modeledBytes: number;
  /** Where the measured bytes came from, in words. */
  from: string;
}

/** Operators without keyed state, and the lookup join (its cache is not checkpointed). */
const NOT_KEYED: ReadonlySet<string> = new Set<string>([...STATELESS_OPERATOR_KINDS, 'lookup-join']);

/** Kinds whose state the key count does not size (rows buffered for a time): bytes per row. */
const BY_ROW_SIZE: ReadonlySet<OperatorKind> = new Set<OperatorKind>(['window-join', 'interval-join']);

const BOUNDS: Record<StateField, [number, number]> = {
  distinctKeys: [1, 1e13],
  stateBytesPerKey: [1, 1024 * 1024 * 1024],
};

/** Within this share of the measured bytes the fit stops. */
const TOLERANCE = 0.005;
/** Further than this after the iterations, the other field is tried, then it gives up. */
const GIVE_UP = 0.05;
const ITERATIONS = 8;

const isKeyed = (n: DraftNode) => n.role === 'operator' && !NOT_KEYED.has(n.kind);

/**
 * The field to solve for: the keys, unless the user gave the keys but not the bytes per key, or
 * the kind keeps rows for a time (its keys do not size it).
 */
function fieldFor(n: DraftNode): StateField {
  if (BY_ROW_SIZE.has(n.kind as OperatorKind)) return 'stateBytesPerKey';
  const given = (f: StateField) => n.user === true && typeof n.extra[f] === 'number';
  return given('distinctKeys') && !given('stateBytesPerKey') ? 'stateBytesPerKey' : 'distinctKeys';
}

const other = (f: StateField): StateField => (f === 'distinctKeys' ? 'stateBytesPerKey' : 'distinctKeys');

const clamp = (f: StateField, x: number) => {
  const [lo, hi] = BOUNDS[f];
  return Math.min(hi, Math.max(lo, Math.round(x)));
};

/**
 * Each node's state as a checkpoint holds it: the operator's backend bytes scaled by the plan's
 * full-checkpoint ÷ backend ratio (1 with RocksDB, whose checkpoint is its SST files; with the
 * HashMap backend the serialized snapshot is smaller than the heap, and the ratio is the job's).
 */
export function checkpointedStateOf(plan: Estimate): Map<string, number> {
  const total = plan.state.totalBytes;
  const ratio = total > 0 ? plan.state.checkpoint.fullSizeBytes / total : 1;
  return new Map(plan.operators.map((o) => [o.id, o.stateBytes * ratio]));
}

interface Target {
  node: DraftNode;
  measured: number;
  from: string;
}

/** What each keyed node should hold: its vertex's measured state, split by the model's shares. */
function targets(
  draft: Draft,
  ordered: readonly ObservedVertex[],
  jobStateBytes: number | undefined,
  before: Map<string, number>,
  notes: string[],
): Target[] {
  const split = (nodes: DraftNode[], bytes: number, from: string, over: string): Target[] => {
    const modeled = nodes.map((n) => before.get(n.id) ?? 0);
    const sum = modeled.reduce((a, b) => a + b, 0);
    return nodes.map((node, i) => ({
      node,
      measured: sum > 0 ? (bytes * (modeled[i] ?? 0)) / sum : bytes / nodes.length,
      from:
        nodes.length > 1
          ? `${from}, split over ${over} keyed operators ${sum > 0 ? 'by the model’s shares' : 'evenly'}`
          : from,
    }));
  };
  const perVertex = ordered.filter((v) => (v.stateBytes ?? 0) > 0);
  if (perVertex.length > 0) {
    return perVertex.flatMap((v) => {
      const keyed = (draft.byVertex.get(v.id) ?? []).filter(isKeyed);
      if (keyed.length === 0) {
        notes.push(
          `${v.name}: ${v.stateBytes} bytes of state measured, in a vertex with no keyed operator (source offsets or other operator state): not modelled`,
        );
        return [];
      }
      return split(
        keyed,
        v.stateBytes ?? 0,
        `state_size of vertex ${v.id} in the latest completed checkpoint`,
        'its',
      );
    });
  }
  const keyed = draft.nodes.filter(isKeyed);
  if (!jobStateBytes || keyed.length === 0) return [];
  return split(
    keyed,
    jobStateBytes,
    'the job’s last full checkpoint size (lastCheckpointFullSize; no per-vertex sizes)',
    'the job’s',
  );
}

export interface StateFitInput {
  draft: Draft;
  ordered: readonly ObservedVertex[];
  /** The job's full state when no vertex has its own (Prometheus reads only the job's total). */
  jobStateBytes?: number;
  /** The nodes' fields so far; the fit adds the derived ones. */
  fields: Map<string, Record<string, unknown>>;
  /** The estimate of the pipeline with these fields, at the measured load. */
  plan: (fields: Map<string, Record<string, unknown>>) => Estimate;
  model: Model;
}

interface Unknown {
  target: Target;
  field: StateField;
  x: number;
  previous?: { x: number; s: number };
  s: number;
  done: boolean;
}

const relativeError = (u: Unknown) => Math.abs(u.s - u.target.measured) / u.target.measured;

/**
 * Solves, for every keyed operator at once, field value x with modelled(x) = measured: a
 * proportional first step, then secant steps (exact for the kinds whose state is linear or affine
 * in the value; a few steps for a window's active keys). One estimate per step.
 */
function solve(
  unknowns: Unknown[],
  fields: Map<string, Record<string, unknown>>,
  plan: StateFitInput['plan'],
): void {
  const apply = () => {
    for (const u of unknowns)
      fields.set(u.target.node.id, { ...fields.get(u.target.node.id), [u.field]: u.x });
    const state = checkpointedStateOf(plan(fields));
    for (const u of unknowns) u.s = state.get(u.target.node.id) ?? 0;
  };
  apply();
  for (let i = 0; i < ITERATIONS; i++) {
    let moved = false;
    for (const u of unknowns) {
      if (u.done || relativeError(u) < TOLERANCE) {
        u.done = true;
        continue;
      }
      const m = u.target.measured;
      const p = u.previous;
      let next: number;
      if (p && u.s !== p.s) next = u.x + ((m - u.s) * (u.x - p.x)) / (u.s - p.s);
      else next = u.s > 0 ? (u.x * m) / u.s : u.x * 1000;
      if (!(next > 0) || !Number.isFinite(next)) next = u.s > 0 ? (u.x * m) / u.s : u.x * 1000;
      const x = clamp(u.field, next);
      if (x === u.x) {
        u.done = true;
        continue;
      }
      u.previous = { x: u.x, s: u.s };
      u.x = x;
      moved = true;
    }
    if (!moved) break;
    apply();
  }
}

/** A first guess: the value given, or keys from the model's default bytes per key. */
function seed(n: DraftNode, field: StateField, measured: number, model: Model): number {
  const current = n.extra[field];
  if (typeof current === 'number') return current;
  if (field === 'stateBytesPerKey') return model.state.defaultAggregateBytesPerKey;
  return clamp(field, measured / (model.state.defaultAggregateBytesPerKey + 24));
}

export interface StateFit {
  derivations: StateDerivation[];
  notes: string[];
}

/** Sets distinctKeys or stateBytesPerKey on each keyed operator so its state is the measured one. */
export function fitState(input: StateFitInput): StateFit {
  const { draft, ordered, fields, plan, model } = input;
  const notes: string[] = [];
  const goals = targets(draft, ordered, input.jobStateBytes, checkpointedStateOf(plan(fields)), notes);
  if (goals.length === 0) return { derivations: [], notes };
  const unknowns: Unknown[] = goals.map((target) => {
    const field = fieldFor(target.node);
    return { target, field, x: seed(target.node, field, target.measured, model), s: 0, done: false };
  });
  solve(unknowns, fields, plan);
  /** Drops the fitted value: the node's own (n.extra, as toPipeline writes it) shows again. */
  const restore = (n: DraftNode, field: StateField) => {
    const { [field]: _fitted, ...rest } = fields.get(n.id) ?? {};
    fields.set(n.id, rest);
  };
  // A field the model caps (keys beyond a TTL's reach, a window's records) cannot get there: the
  // other one can, when the kind has it.
  const stuck = unknowns.filter(
    (u) => relativeError(u) > GIVE_UP && !BY_ROW_SIZE.has(u.target.node.kind as OperatorKind),
  );
  if (stuck.length > 0) {
    const retry = stuck.map((u) => {
      restore(u.target.node, u.field);
      const field = other(u.field);
      return {
        target: u.target,
        field,
        x: seed(u.target.node, field, u.target.measured, model),
        s: 0,
        done: false,
      };
    });
    solve(retry, fields, plan);
    for (const r of retry) unknowns[unknowns.findIndex((u) => u.target === r.target)] = r;
  }
  const derivations: StateDerivation[] = [];
  for (const u of unknowns) {
    const n = u.target.node;
    if (relativeError(u) > GIVE_UP) {
      restore(n, u.field);
      notes.push(
        `${n.name}: ${Math.round(u.target.measured)} bytes of state measured (${u.target.from}); the model for a ${n.kind} cannot reach it by its keys or bytes per key (a TTL or window bounds it), so they stay as they were`,
      );
      continue;
    }
    derivations.push({
      nodeId: n.id,
      vertexId: n.vertexId,
      field: u.field,
      value: u.x,
      measuredBytes: Math.round(u.target.measured),
      modeledBytes: Math.round(u.s),
      from: u.target.from,
    });
    const replaced = typeof n.extra[u.field] === 'number' && n.extra[u.field] !== u.x;
    notes.push(
      `${n.name}: ${u.field} ${u.x} derived from ${Math.round(u.target.measured)} bytes of measured state (${u.target.from})${replaced ? `; it replaces the ${n.extra[u.field]} given` : ''}`,
    );
  }
  return { derivations, notes };
}
