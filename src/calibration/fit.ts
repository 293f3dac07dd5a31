/**
 * Learning from calibrations: per operator kind, a multiplier of the model's CPU cost fitted to
 * every stored observation. Each measured vertex says "this chain cost M µs per record" where the
 * model said Σ c_k (its nodes' shares). The fit is a robust regression on log ratios: coordinate
 * descent in which each kind's multiplier is the weighted median (the L1 estimate, insensitive to
 * a few odd jobs) of what each vertex containing that kind implies, with the other kinds' current
 * multipliers held fixed. Connectors are learned the same way but as an absolute cost — µs per
 * record by source or sink kind (model.cpu.sources/sinks fixedMicrosPerRecord, which is 0 for
 * datagen, so no multiplier could move it): each vertex implies (measured − the rest) ÷ the
 * connector's records per vertex record, and the weighted median of those (not of logs) is taken.
 * The record framework and (de)serialization stay the model's.
 */
import { createHash } from 'node:crypto';
import type { Model } from '../estimator/index.js';
import type { OperatorKind } from '../jobspec/index.js';

/** What the fit reads of a stored calibration answer. */
export interface Evidence {
  modelVersion: string;
  vertices: Array<{
    measuredMicrosPerRecord: number | null;
    nodes: Array<{
      kind: string;
      role: string;
      modeledShareMicros?: number;
      /** Absent in calibrations stored before connectors were learned: their connectors stay fixed. */
      recordsShare?: number;
      connectorMicrosPerRecord?: number | null;
    }>;
  }>;
}

export interface KindFit {
  kind: string;
  multiplier: number;
  /** Vertices whose measurement informed it. */
  count: number;
  /** Median absolute deviation of the log ratios, as a factor (1.2 = typically within ×/÷ 1.2). */
  spread: number;
}

export interface ConnectorFit {
  role: 'source' | 'sink';
  kind: string;
  /** Fitted connector cost, core-µs per record. */
  microsPerRecord: number;
  /** The base model's. */
  modeledMicrosPerRecord: number;
  count: number;
  /** Median absolute deviation of what the vertices implied, µs per record. */
  spreadMicros: number;
}

export interface ModelFit {
  /** Calibrations used (those made with the base model). */
  observations: number;
  kinds: KindFit[];
  connectors: ConnectorFit[];
}

interface Sample {
  measured: number;
  fixed: number;
  byKind: Map<string, number>;
  /** `role:kind` → records per vertex record. */
  byConnector: Map<string, number>;
}

const MIN_MULTIPLIER = 0.01;
const MAX_MULTIPLIER = 100;
const ITERATIONS = 25;

/**
 * The weighted median; when the weights split exactly in half, the midpoint of the two middle
 * values (as the plain median of an even count), so coordinate descent does not stall on a tie.
 */
function weightedMedian(values: Array<{ value: number; weight: number }>): number {
  const sorted = [...values].sort((a, b) => a.value - b.value);
  const total = sorted.reduce((a, v) => a + v.weight, 0);
  let seen = 0;
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i] as { value: number; weight: number };
    seen += v.weight;
    if (Math.abs(seen - total / 2) <= 1e-12 * total && i + 1 < sorted.length)
      return (v.value + (sorted[i + 1] as { value: number }).value) / 2;
    if (seen >= total / 2) return v.value;
  }
  return sorted[sorted.length - 1]?.value ?? 0;
}

function samplesOf(evidence: readonly Evidence[]): Sample[] {
  const samples: Sample[] = [];
  for (const e of evidence) {
    for (const v of e.vertices) {
      if (v.measuredMicrosPerRecord === null || !(v.measuredMicrosPerRecord > 0)) continue;
      const byKind = new Map<string, number>();
      const byConnector = new Map<string, number>();
      let fixed = 0;
      for (const n of v.nodes) {
        const share = n.modeledShareMicros ?? 0;
        const w = n.recordsShare;
        const c = n.connectorMicrosPerRecord;
        if (n.role === 'operator') byKind.set(n.kind, (byKind.get(n.kind) ?? 0) + share);
        else if (w !== undefined && w > 0 && typeof c === 'number') {
          // The connector's own part is what is learned; framework and serde stay fixed.
          const key = `${n.role}:${n.kind}`;
          byConnector.set(key, (byConnector.get(key) ?? 0) + w);
          fixed += share - c * w;
        } else fixed += share;
      }
      if ([...byKind.values()].some((c) => c > 0) || byConnector.size > 0)
        samples.push({ measured: v.measuredMicrosPerRecord, fixed, byKind, byConnector });
    }
  }
  return samples;
}

const MAX_CONNECTOR_MICROS = 10_000;

/** A connector key's base-model cost per record. */
function baseConnector(base: Model, key: string): number {
  const [role, kind] = key.split(':') as ['source' | 'sink', string];
  const table = (role === 'source' ? base.cpu.sources : base.cpu.sinks) as Record<
    string,
    { fixedMicrosPerRecord: number } | undefined
  >;
  return table[kind]?.fixedMicrosPerRecord ?? 0;
}

/**
 * Fits one multiplier per operator kind and one cost per record per connector kind to the
 * calibrations made with the base model.
 */
export function fitModel(evidence: readonly Evidence[], base: Model): ModelFit {
  const usable = evidence.filter((e) => e.modelVersion === base.version);
  const samples = samplesOf(usable);
  const kinds = [...new Set(samples.flatMap((s) => [...s.byKind.keys()]))].sort();
  const connectors = [...new Set(samples.flatMap((s) => [...s.byConnector.keys()]))].sort();
  const m = new Map(kinds.map((k) => [k, 1]));
  const x = new Map(connectors.map((k) => [k, baseConnector(base, k)]));
  /** Everything the sample's model says except `skip` (a kind or a connector key). */
  const rest = (s: Sample, skip: string) => {
    let r = s.fixed;
    for (const [j, cj] of s.byKind) if (j !== skip) r += (m.get(j) ?? 1) * cj;
    for (const [j, w] of s.byConnector) if (j !== skip) r += (x.get(j) ?? 0) * w;
    return r;
  };
  const impliedKind = (k: string) =>
    samples.flatMap((s) => {
      const c = s.byKind.get(k) ?? 0;
      if (c <= 0) return [];
      const r = rest(s, k);
      const target = (s.measured - r) / c;
      const value = Math.log(Math.min(MAX_MULTIPLIER, Math.max(MIN_MULTIPLIER, target)));
      return [{ value, weight: c / (r + c) }];
    });
  const impliedConnector = (k: string) =>
    samples.flatMap((s) => {
      const w = s.byConnector.get(k) ?? 0;
      if (w <= 0) return [];
      const r = rest(s, k);
      const value = Math.min(MAX_CONNECTOR_MICROS, Math.max(0, (s.measured - r) / w));
      // Weighted by the share of the vertex the connector is thought to take (never quite 0,
      // so a connector the model prices at 0 can still be learned).
      const own = (x.get(k) ?? 0) * w;
      return [{ value, weight: Math.max(0.05, own / (r + own)) }];
    });
  for (let i = 0; i < ITERATIONS; i++) {
    for (const k of kinds) m.set(k, Math.exp(weightedMedian(impliedKind(k))));
    for (const k of connectors) x.set(k, weightedMedian(impliedConnector(k)));
  }
  const mad = (values: Array<{ value: number }>, centre: number) =>
    weightedMedian(values.map((l) => ({ value: Math.abs(l.value - centre), weight: 1 })));
  return {
    observations: usable.length,
    kinds: kinds.map((k) => {
      const logs = impliedKind(k);
      const centre = Math.log(m.get(k) ?? 1);
      return {
        kind: k,
        multiplier: round(m.get(k) ?? 1),
        count: logs.length,
        spread: round(Math.exp(mad(logs, centre))),
      };
    }),
    connectors: connectors.map((k) => {
      const values = impliedConnector(k);
      const [role, kind] = k.split(':') as ['source' | 'sink', string];
      const fitted = x.get(k) ?? 0;
      return {
        role,
        kind,
        microsPerRecord: round(fitted),
        modeledMicrosPerRecord: baseConnector(base, k),
        count: values.length,
        spreadMicros: round(mad(values, fitted)),
      };
    }),
  };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * The base model with the fitted multipliers applied to each kind's own cost (window
 * aggregates: the window assignment and session merge costs) and the fitted connector costs. Its version names the base and a
 * digest of the fit, so an estimate says which learned model it used.
 */
export function calibratedModel(base: Model, fit: ModelFit): Model {
  const cpu = structuredClone(base.cpu);
  for (const c of fit.connectors) {
    const table = (c.role === 'source' ? cpu.sources : cpu.sinks) as Record<
      string,
      { fixedMicrosPerRecord: number }
    >;
    const entry = table[c.kind];
    if (entry) entry.fixedMicrosPerRecord = c.microsPerRecord;
  }
  for (const { kind, multiplier } of fit.kinds) {
    if (kind === 'window-aggregate') {
      cpu.windowAssignMicros *= multiplier;
      cpu.sessionWindowMicros *= multiplier;
    }
    if (kind in cpu.operatorMicros) cpu.operatorMicros[kind as OperatorKind] *= multiplier;
  }
  const digest = createHash('sha256')
    .update(JSON.stringify([fit.observations, fit.kinds, fit.connectors]))
    .digest('hex')
    .slice(0, 10);
  return { ...base, version: `${base.version}+calibrated.${fit.observations}.${digest}`, cpu };
}
