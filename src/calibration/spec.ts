/**
 * From what a job measured to a calibrated JobSpec: measured source rates (× the target load),
 * output ratios, partitions, record sizes, the job's max parallelism, the changed-state fraction
 * from checkpoint sizes, and per operator a costFactor = measured ÷ modelled cost per record. A job
 * vertex is a chain of nodes; the busy time it measured is split over them by the model's own
 * shares, so every node of a vertex gets the same factor.
 */
import { estimate, type Model } from '../estimator/index.js';
import { deriveTaskManager, FLINK_VERSIONS, type FlinkVersion } from '../estimator/memory/index.js';
import {
  type JobSpec,
  JobSpecSchema,
  type SinkKind,
  type SourceKind,
  type Targets,
} from '../jobspec/index.js';
import type { Estimate } from '../schemas/estimate.js';
import { type Evaluation, topologicalOrder } from './evaluate.js';
import { mapSpec, type SpecMapping } from './mapping.js';
import type { Observation, ObservedVertex } from './observation.js';
import { checkpointedStateOf, fitState, type StateDerivation } from './state-fit.js';
import { type Draft, type DraftNode, draftPipeline, toPipeline } from './topology.js';

export type TargetLoad = { factor: number } | { recordsPerSecond: Record<string, number> };

export interface NodeCalibration {
  id: string;
  kind: string;
  role: 'source' | 'operator' | 'sink';
  modeledMicrosPerRecord: number;
  /** The node's modelled cost per record the whole vertex reads (its share of the chain). */
  modeledShareMicros: number;
  /** Records this node reads per record the vertex reads (a source: 1). */
  recordsShare: number;
  /** A source or sink: the model's connector cost per record (model.cpu.sources/sinks), inside modeledShareMicros. */
  connectorMicrosPerRecord: number | null;
  /** The vertex's measured cost split by this node's modelled share. */
  measuredMicrosPerRecord: number | null;
  costFactor: number | null;
  /** Keys (or bytes per key) solved from the measured state, and where that was measured. */
  derivedState: Omit<StateDerivation, 'nodeId' | 'vertexId'> | null;
}

export interface VertexCalibration {
  id: string;
  nodes: NodeCalibration[];
  /** Busy task-thread time per record the vertex reads: 1e6 · (avg busy / 1000) · p ÷ records/s. */
  measuredMicrosPerRecord: number | null;
  /** The model's cost of the same chain per record the vertex reads. */
  modeledMicrosPerRecord: number;
  /** The same after calibration (costFactor cannot reach connector costs; the learned model can). */
  calibratedMicrosPerRecord: number;
  measuredStateBytes: number | null;
  /** The model's state of the vertex's operators as a checkpoint holds it (like state_size). */
  modeledStateBytes: number;
}

export interface MemoryCheck {
  /** Each component Flink derived (GET /taskmanagers) against the memory model, bytes. */
  components: Array<{ name: string; flink: number; model: number | null; equal: boolean }>;
  equal: boolean;
  note?: string;
}

export interface CalibratedSpec {
  spec: JobSpec;
  estimate: Estimate;
  /** The estimate of the same pipeline before calibration (rates measured, costs modelled). */
  modeledEstimate: Estimate;
  vertices: VertexCalibration[];
  checkpoint: {
    measuredStateBytes: number | null;
    modeledStateBytes: number;
    measuredCheckpointBytes: number | null;
    modeledCheckpointBytes: number;
    changedStateFraction: number | null;
  };
  memoryCheck: MemoryCheck | null;
  /** How the user's spec was mapped onto the vertices; null when the spec came from the job graph. */
  mapping: SpecMapping | null;
  notes: string[];
}

const DEFAULT_RECORD_BYTES = 256;

export function flinkVersionOf(reported: string | undefined): FlinkVersion {
  const minor = /^(\d+\.\d+)/.exec(reported ?? '')?.[1];
  return (FLINK_VERSIONS as readonly string[]).includes(minor ?? '') ? (minor as FlinkVersion) : '1.20';
}

/**
 * The `targetLoad.recordsPerSecond` entries that name no source vertex of the observed job (a
 * vertex without inputs): a rate the calibration would otherwise drop without a word.
 */
export function unknownTargetLoadVertices(
  observation: Observation,
  load: TargetLoad | undefined,
): { path: string; message: string }[] {
  if (!load || !('recordsPerSecond' in load)) return [];
  const sources = observation.vertices.filter((v) => v.inputs.length === 0);
  const known = new Set(sources.map((v) => v.id));
  const listed = sources.map((v) => `${v.id} (${v.name})`).join(', ');
  return Object.keys(load.recordsPerSecond)
    .filter((id) => !known.has(id))
    .map((id) => ({
      path: `targetLoad.recordsPerSecond.${id}`,
      message: `"${id}" is not a source vertex of job ${observation.jobId}; its source vertices are ${listed}`,
    }));
}

function sourceRate(v: ObservedVertex, measured: number, load: TargetLoad | undefined): number {
  const rate =
    load && 'recordsPerSecond' in load
      ? (load.recordsPerSecond[v.id] ?? measured)
      : measured * (load && 'factor' in load ? load.factor : 1);
  return Math.max(rate, 0.001);
}

/**
 * A source's peak ÷ average input rate over the window, when the window’s peak was read
 * (Prometheus). A window shows at most its own peak, so a larger factor the user gave stays.
 */
function peakFactor(v: ObservedVertex, n: DraftNode, notes: string[]): number | undefined {
  const peak = v.peakRecordsInPerSecond;
  if (peak === undefined || v.recordsInPerSecond <= 0) return undefined;
  const measured = round4(Math.min(100, Math.max(1, peak / v.recordsInPerSecond)));
  const given = typeof n.extra.peakFactor === 'number' ? n.extra.peakFactor : undefined;
  if (given !== undefined && given > measured) {
    notes.push(
      `${n.name}: peakFactor ${given} kept; the window’s peak was ${measured} × its average (a window shows at most its own peak)`,
    );
    return given;
  }
  notes.push(
    `${n.name}: peakFactor ${measured} = the window’s peak input rate ${round4(peak)} ÷ its average ${round4(v.recordsInPerSecond)} records/s`,
  );
  return measured;
}

function backendOf(name: string | undefined): 'rocksdb' | 'hashmap' | undefined {
  if (!name) return undefined;
  if (/rocks/i.test(name)) return 'rocksdb';
  if (/hashmap|heap|memory|filesystem/i.test(name)) return 'hashmap';
  return undefined;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** Per node and vertex, the modelled cost of each vertex per record it reads. */
function vertexModeledCost(
  draft: Draft,
  vertexId: string,
  plan: Estimate,
): { total: number; per: Map<string, number>; share: Map<string, number>; records: Map<string, number> } {
  const byId = new Map(plan.operators.map((o) => [o.id, o]));
  const own = draft.byVertex.get(vertexId) ?? [];
  const head = own[0] ? byId.get(own[0].id) : undefined;
  const headRate = head?.inputRecordsPerSecond ?? 0;
  const per = new Map<string, number>();
  const share = new Map<string, number>();
  const records = new Map<string, number>();
  let total = 0;
  for (const n of own) {
    const o = byId.get(n.id);
    if (!o) continue;
    per.set(n.id, o.costMicrosPerRecord);
    const part = headRate > 0 ? (o.costMicrosPerRecord * o.inputRecordsPerSecond) / headRate : 0;
    share.set(n.id, part);
    records.set(n.id, headRate > 0 ? o.inputRecordsPerSecond / headRate : 0);
    total += part;
  }
  return { total, per, share, records };
}

/** The model's own cost of a source or sink connector per record; null for an operator. */
function connectorMicros(n: DraftNode, model: Model): number | null {
  const cpu = model.cpu;
  if (n.role === 'source') return cpu.sources[n.kind as SourceKind].fixedMicrosPerRecord;
  if (n.role === 'sink') return cpu.sinks[n.kind as SinkKind].fixedMicrosPerRecord;
  return null;
}

function stateOf(draft: Draft, vertexId: string, plan: Estimate): number {
  const state = checkpointedStateOf(plan);
  return Math.round((draft.byVertex.get(vertexId) ?? []).reduce((a, n) => a + (state.get(n.id) ?? 0), 0));
}

/** TaskManager memory that Flink reported, against the memory model on the same configuration. */
export function checkMemory(observation: Observation, version: FlinkVersion): MemoryCheck | null {
  const reported = observation.taskManagers?.memoryConfiguration;
  if (!reported) return null;
  const config = Object.fromEntries(
    Object.entries(observation.flinkConfig ?? {}).filter(([k]) => k.startsWith('taskmanager.')),
  );
  const derived = deriveTaskManager(config, version);
  const names: Record<string, string> = { networkMemory: 'network', managedMemory: 'managed' };
  const components = Object.entries(reported).map(([name, flink]) => {
    const ours = derived.valid
      ? (derived.plan.memory as unknown as Record<string, bigint>)[names[name] ?? name]
      : undefined;
    const model = ours === undefined ? null : Number(ours);
    return { name, flink, model, equal: model === flink };
  });
  return {
    components,
    equal: components.every((c) => c.equal),
    ...(derived.valid
      ? Object.keys(config).length === 0
        ? { note: 'The JobManager reported no taskmanager.* options; compared with Flink’s defaults' }
        : {}
      : { note: `The memory model rejects the reported configuration: ${derived.error.message}` }),
  };
}

export interface CalibrateSpecInput {
  observation: Observation;
  evaluation: Evaluation;
  targets: Targets;
  targetLoad?: TargetLoad;
  model: Model;
  /** The user's own spec (pipeline form) to calibrate instead of one generated from the job graph. */
  user?: { spec: JobSpec; from: SpecMapping['from'] };
}

/** Builds the calibrated JobSpec and its estimate, with modelled-vs-measured per vertex. */
export function calibrateSpec(input: CalibrateSpecInput): CalibratedSpec {
  const { observation, evaluation, targets, targetLoad, model, user } = input;
  const ordered = topologicalOrder(observation.vertices);
  const evaluated = new Map(evaluation.vertices.map((e) => [e.id, e]));
  const jobGraph = draftPipeline(ordered);
  const mapped = user?.spec.pipeline ? mapSpec(user.spec, jobGraph, ordered, user.from) : undefined;
  const draft = mapped?.draft ?? jobGraph;
  const notes = [...draft.notes];
  const fields = new Map<string, Record<string, unknown>>();
  /** Each calibrated source's measured rate, before the target load. */
  const measuredRates = new Map<string, number>();

  for (const v of ordered) {
    const own = draft.byVertex.get(v.id) ?? [];
    const recordBytes =
      v.bytesOutPerSecond && v.recordsOutPerSecond > 0
        ? Math.max(1, Math.round(v.bytesOutPerSecond / v.recordsOutPerSecond))
        : undefined;
    const ratio =
      v.recordsInPerSecond > 0 && v.recordsOutPerSecond > 0
        ? v.recordsOutPerSecond / v.recordsInPerSecond
        : undefined;
    const operators = own.filter((n) => n.role === 'operator');
    const last = operators[operators.length - 1];
    // The vertex's measured ratio is the product of its chain's: the user's own ratios of the
    // earlier operators stay, and the last operator takes the rest.
    const earlier = operators
      .slice(0, -1)
      .reduce((a, n) => a * (n.user && typeof n.extra.outputRatio === 'number' ? n.extra.outputRatio : 1), 1);
    const sources = own.filter((n) => n.role === 'source');
    if (sources.length > 1)
      notes.push(
        `${v.name}: ${sources.length} sources of the spec in one vertex; its measured rate went to ${sources[0]?.id}`,
      );
    for (const n of own) {
      if (n.role === 'source' && n !== sources[0]) continue;
      if (n.role === 'source') {
        const measured = evaluated.get(v.id)?.targetRecordsPerSecond ?? v.recordsInPerSecond;
        if (recordBytes === undefined)
          notes.push(
            `${n.name}: record size not measured (no network output); assumed ${DEFAULT_RECORD_BYTES} bytes`,
          );
        measuredRates.set(n.id, sourceRate(v, measured, undefined));
        const peak = peakFactor(v, n, notes);
        fields.set(n.id, {
          recordsPerSecond: sourceRate(v, measured, targetLoad),
          avgRecordBytes: recordBytes ?? DEFAULT_RECORD_BYTES,
          ...(v.sourcePartitions ? { partitions: v.sourcePartitions } : {}),
          ...(peak !== undefined ? { peakFactor: peak } : {}),
        });
      } else if (n.role === 'operator') {
        const own: Record<string, unknown> = n.user ? {} : { outputRatio: 1 };
        if (n === last && ratio !== undefined && earlier > 0) own.outputRatio = round4(ratio / earlier);
        if (n === last && recordBytes !== undefined) own.outputRecordBytes = recordBytes;
        fields.set(n.id, own);
      }
    }
  }

  const version = flinkVersionOf(observation.flinkVersion);
  const maxParallelism = Math.max(...observation.vertices.map((v) => v.maxParallelism));
  const cp = observation.checkpoint;
  const changed =
    cp && cp.stateBytes > 0 && cp.checkpointedBytes > 0
      ? Math.min(1, cp.checkpointedBytes / cp.stateBytes)
      : null;
  const backend = backendOf(cp?.backend);
  const slots = observation.taskManagers?.slotsPerTaskManager;
  const given = user?.spec;
  const base = {
    ...(given ? { api: given.api } : {}),
    flinkVersion: version,
    state: {
      ...given?.state,
      ...(backend ? { backend } : {}),
      ...(cp?.intervalMs ? { checkpointIntervalSeconds: Math.max(1, Math.round(cp.intervalMs / 1000)) } : {}),
      ...(changed !== null ? { changedStateFraction: round4(Math.max(changed, 1e-4)) } : {}),
    },
    cluster: {
      ...given?.cluster,
      maxParallelism,
      ...(slots && slots > 0 ? { slotsPerTaskManager: slots } : {}),
    },
    targets,
  };
  const parse = (pipeline: unknown): JobSpec => {
    const result = JobSpecSchema.safeParse({ ...base, pipeline });
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new Error(`The calibrated spec is not valid at ${issue?.path.join('.')}: ${issue?.message}`);
    }
    return result.data;
  };

  // State is fitted at the load it was measured at; the keys found then carry over to the target load.
  const atMeasuredLoad = (f: Map<string, Record<string, unknown>>) =>
    new Map(
      [...f].map(([id, v]) => [
        id,
        measuredRates.has(id) ? { ...v, recordsPerSecond: measuredRates.get(id) } : v,
      ]),
    );
  const stateFit = fitState({
    draft,
    ordered,
    ...(cp ? { jobStateBytes: cp.stateBytes } : {}),
    fields,
    plan: (f) => estimate(parse(toPipeline(draft, atMeasuredLoad(f))), { model }),
    model,
  });
  notes.push(...stateFit.notes);
  const derived = new Map(stateFit.derivations.map(({ nodeId, vertexId: _v, ...d }) => [nodeId, d]));

  const modeledSpec = parse(toPipeline(draft, fields));
  const modeled = estimate(modeledSpec, { model });
  const vertexCosts = new Map(ordered.map((v) => [v.id, vertexModeledCost(draft, v.id, modeled)]));
  const factors = new Map<string, number>();
  for (const v of ordered) {
    const busy = v.busyTimeMsPerSecond;
    const cost = vertexCosts.get(v.id);
    if (!busy || !cost || v.recordsInPerSecond <= 0 || cost.total <= 0) continue;
    const measured = (1e6 * (busy.avg / 1000) * v.parallelism) / v.recordsInPerSecond;
    factors.set(v.id, measured / cost.total);
    for (const n of draft.byVertex.get(v.id) ?? []) {
      if (n.role !== 'operator') continue;
      // The modelled cost already includes a costFactor the user gave: the new one multiplies it.
      const givenFactor = typeof n.extra.costFactor === 'number' ? n.extra.costFactor : 1;
      const f = Math.min(1000, Math.max(0.001, (givenFactor * measured) / cost.total));
      fields.set(n.id, { ...fields.get(n.id), costFactor: round4(f) });
    }
  }
  const spec = parse(toPipeline(draft, fields));
  const calibrated = estimate(spec, { model });

  const vertices: VertexCalibration[] = ordered.map((v) => {
    const before = vertexCosts.get(v.id) ?? {
      total: 0,
      per: new Map<string, number>(),
      share: new Map<string, number>(),
      records: new Map<string, number>(),
    };
    const after = vertexModeledCost(draft, v.id, calibrated);
    const f = factors.get(v.id);
    return {
      id: v.id,
      nodes: (draft.byVertex.get(v.id) ?? []).map((n) => {
        const modeledMicros = before.per.get(n.id) ?? 0;
        const cf = fields.get(n.id)?.costFactor;
        return {
          id: n.id,
          kind: n.kind,
          role: n.role,
          modeledMicrosPerRecord: modeledMicros,
          modeledShareMicros: before.share.get(n.id) ?? 0,
          recordsShare: before.records.get(n.id) ?? 0,
          connectorMicrosPerRecord: connectorMicros(n, model),
          measuredMicrosPerRecord: f === undefined ? null : modeledMicros * f,
          costFactor: typeof cf === 'number' ? cf : null,
          derivedState: derived.get(n.id) ?? null,
        };
      }),
      measuredMicrosPerRecord: f === undefined ? null : f * before.total,
      modeledMicrosPerRecord: before.total,
      calibratedMicrosPerRecord: after.total,
      measuredStateBytes: v.stateBytes ?? null,
      modeledStateBytes: stateOf(draft, v.id, calibrated),
    };
  });

  return {
    spec,
    estimate: calibrated,
    modeledEstimate: modeled,
    vertices,
    checkpoint: {
      measuredStateBytes: cp?.stateBytes ?? null,
      modeledStateBytes: calibrated.state.checkpoint.fullSizeBytes,
      measuredCheckpointBytes: cp?.checkpointedBytes ?? null,
      modeledCheckpointBytes: calibrated.state.checkpoint.sizeBytes,
      changedStateFraction: changed,
    },
    memoryCheck: checkMemory(observation, version),
    mapping: mapped?.mapping ?? null,
    notes,
  };
}
