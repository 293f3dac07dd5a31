/**
 * Learning from calibrations: per operator kind, a multiplier of the model's CPU cost fitted to
 * every stored observation. Each measured vertex says "this chain cost M µs per record" where the
 * model said Σ c_k (its nodes' shares). The fit is a robust regression on log ratios: coordinate
 * descent in which each kind's multiplier is the weighted median (the L1 estimate, insensitive to
 * a few odd jobs) of what each vertex containing that kind implies, with the other kinds' current
 * multipliers and the connectors' modelled cost held fixed. Sources and sinks keep the model's
 * cost, as a JobSpec's costFactor does.
 */
import { createHash } from 'node:crypto';
import type { Model } from '../estimator/index.js';
import type { OperatorKind } from '../jobspec/index.js';

/** What the fit reads of a stored calibration answer. */
export interface Evidence {
  modelVersion: string;
  vertices: Array<{
    measuredMicrosPerRecord: number | null;
    nodes: Array<{ kind: string; role: string; modeledShareMicros?: number }>;
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

export interface ModelFit {
  /** Calibrations used (those made with the base model). */
  observations: number;
  kinds: KindFit[];
}

interface Sample {
  measured: number;
  fixed: number;
  byKind: Map<string, number>;
}

const MIN_MULTIPLIER = 0.01;
const MAX_MULTIPLIER = 100;
const ITERATIONS = 25;

function weightedMedian(values: Array<{ value: number; weight: number }>): number {
  const sorted = [...values].sort((a, b) => a.value - b.value);
  const total = sorted.reduce((a, v) => a + v.weight, 0);
  let seen = 0;
  for (const v of sorted) {
    seen += v.weight;
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
      let fixed = 0;
      for (const n of v.nodes) {
        const share = n.modeledShareMicros ?? 0;
        if (n.role === 'operator') byKind.set(n.kind, (byKind.get(n.kind) ?? 0) + share);
        else fixed += share;
      }
      if ([...byKind.values()].some((c) => c > 0))
        samples.push({ measured: v.measuredMicrosPerRecord, fixed, byKind });
    }
  }
  return samples;
}

/** Fits one multiplier per operator kind to calibrations made with the base model. */
export function fitModel(evidence: readonly Evidence[], baseVersion: string): ModelFit {
  const usable = evidence.filter((e) => e.modelVersion === baseVersion);
  const samples = samplesOf(usable);
  const kinds = [...new Set(samples.flatMap((s) => [...s.byKind.keys()]))].sort();
  const m = new Map(kinds.map((k) => [k, 1]));
  const implied = (k: string) =>
    samples.flatMap((s) => {
      const c = s.byKind.get(k) ?? 0;
      if (c <= 0) return [];
      let rest = s.fixed;
      for (const [j, cj] of s.byKind) if (j !== k) rest += (m.get(j) ?? 1) * cj;
      const target = (s.measured - rest) / c;
      const value = Math.log(Math.min(MAX_MULTIPLIER, Math.max(MIN_MULTIPLIER, target)));
      return [{ value, weight: c / (rest + c) }];
    });
  for (let i = 0; i < ITERATIONS; i++) {
    for (const k of kinds) m.set(k, Math.exp(weightedMedian(implied(k))));
  }
  return {
    observations: usable.length,
    kinds: kinds.map((k) => {
      const logs = implied(k);
      const centre = Math.log(m.get(k) ?? 1);
      const mad = weightedMedian(logs.map((l) => ({ value: Math.abs(l.value - centre), weight: 1 })));
      return { kind: k, multiplier: round(m.get(k) ?? 1), count: logs.length, spread: round(Math.exp(mad)) };
    }),
  };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * The base model with the fitted multipliers applied to each kind's own cost (window
 * aggregates: the window assignment and session merge costs). Its version names the base and a
 * digest of the fit, so an estimate says which learned model it used.
 */
export function calibratedModel(base: Model, fit: ModelFit): Model {
  const cpu = structuredClone(base.cpu);
  for (const { kind, multiplier } of fit.kinds) {
    if (kind === 'window-aggregate') {
      cpu.windowAssignMicros *= multiplier;
      cpu.sessionWindowMicros *= multiplier;
    }
    if (kind in cpu.operatorMicros) cpu.operatorMicros[kind as OperatorKind] *= multiplier;
  }
  const digest = createHash('sha256')
    .update(JSON.stringify([fit.observations, fit.kinds]))
    .digest('hex')
    .slice(0, 10);
  return { ...base, version: `${base.version}+calibrated.${fit.observations}.${digest}`, cpu };
}
