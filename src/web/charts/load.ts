/**
 * Cores and monthly cost against load: the plan's size and price again with every input rate scaled
 * from a quarter to four times the given one. The points where the plan's shape changes (more
 * or bigger TaskManagers) are labelled, and the point the page is about is marked.
 */

import type { LoadPlan } from '../../estimator/index.js';
import { formatCompact, formatMoney, formatNumber } from '../../format.js';
import type { JobSpec } from '../../jobspec/index.js';
import { shapeText, taskManagerSize } from '../headline.js';

const compactMoney = (n: number, currency: string) =>
  currency === 'USD' ? `$${formatCompact(Math.round(n))}` : `${formatCompact(Math.round(n))} ${currency}`;

export const LOAD_FACTORS = [0.25, 0.5, 1, 1.5, 2, 3, 4] as const;

/** The same job at `factor` times every input rate. */
export function scaleLoad(spec: JobSpec, factor: number): JobSpec {
  if (spec.workload) {
    return {
      ...spec,
      workload: { ...spec.workload, recordsPerSecond: spec.workload.recordsPerSecond * factor },
    };
  }
  if (spec.pipeline) {
    const sources = spec.pipeline.sources.map((s) => ({
      ...s,
      recordsPerSecond: s.recordsPerSecond * factor,
    }));
    return { ...spec, pipeline: { ...spec.pipeline, sources } };
  }
  return spec;
}

export const inputRate = (spec: JobSpec) =>
  spec.workload?.recordsPerSecond ??
  (spec.pipeline?.sources ?? []).reduce((a, s) => a + s.recordsPerSecond, 0);

export interface LoadPoint {
  factor: number;
  factorText: string;
  rate: string;
  cores: number;
  coresText: string;
  monthly: number;
  monthlyText: string;
  shape: string;
  /** One TaskManager's size ("4 CPU / 16 GiB"): a change here is a change of the plan's shape. */
  size: string;
  parallelism: number;
  current: boolean;
  /** The TaskManager size differs from the previous point's (more of the same is not a change). */
  shapeChanged: boolean;
}

export interface SeriesPlot {
  title: string;
  unit: string;
  points: Array<{
    x: number;
    y: number;
    label: string;
    current: boolean;
    shapeLabel?: string;
    /** Labels near the right edge end at their point instead of starting there. */
    anchor: 'start' | 'middle' | 'end';
  }>;
  path: string;
  yTicks: Array<{ y: number; label: string }>;
}

export interface LoadChart {
  points: LoadPoint[];
  width: number;
  height: number;
  xTicks: Array<{ x: number; label: string }>;
  plotLeft: number;
  plotRight: number;
  plotTop: number;
  plotBottom: number;
  cores: SeriesPlot;
  cost: SeriesPlot;
  summary: string;
}

const WIDTH = 640;
const HEIGHT = 200;
const LEFT = 72;
const RIGHT = 20;
const TOP = 28;
const BOTTOM = 40;

/** Width of a shape label in the viewBox's units: 10px text (app.css .shape-label), ~0.56em a glyph. */
const labelWidth = (text: string) => text.length * 5.6;

/**
 * Drops the shape labels that would overlap the one kept before them (neighbouring points whose
 * TaskManagers both change size): overlapping text is read by no one, and the sentence under the
 * charts names every change.
 */
export function keepReadableLabels<
  P extends { x: number; y: number; shapeLabel?: string; anchor: 'start' | 'middle' | 'end' },
>(points: P[]): P[] {
  let last: { right: number; y: number } | undefined;
  return points.map((p) => {
    if (p.shapeLabel === undefined) return p;
    const width = labelWidth(p.shapeLabel);
    const left = p.anchor === 'start' ? p.x : p.anchor === 'end' ? p.x - width : p.x - width / 2;
    if (last && left < last.right + 4 && Math.abs(p.y - last.y) < 12) {
      const { shapeLabel: _dropped, ...rest } = p;
      return rest as P;
    }
    last = { right: left + width, y: p.y };
    return p;
  });
}

function plot(
  title: string,
  unit: string,
  points: LoadPoint[],
  value: (p: LoadPoint) => number,
  label: (n: number) => string,
  xAt: (i: number) => number,
): SeriesPlot {
  const max = Math.max(...points.map(value), 0) || 1;
  const yAt = (v: number) => Math.round((HEIGHT - BOTTOM - (v / max) * (HEIGHT - BOTTOM - TOP)) * 10) / 10;
  const plotted = keepReadableLabels(
    points.map((p, i) => ({
      x: xAt(i),
      y: yAt(value(p)),
      label: label(value(p)),
      current: p.current,
      ...(p.shapeChanged ? { shapeLabel: `${p.size} TaskManagers` } : {}),
      anchor: i === points.length - 1 ? ('end' as const) : i === 0 ? ('start' as const) : ('middle' as const),
    })),
  );
  return {
    title,
    unit,
    points: plotted,
    path: plotted.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join(' '),
    yTicks: [0, 0.5, 1].map((f) => ({ y: yAt(max * f), label: label(max * f) })),
  };
}

/**
 * Builds the chart. `planAt` is the estimator's planAtLoad with the model and prices in force
 * (the route's); a factor whose scaled spec the estimator cannot plan (beyond the schema's
 * limits) is left out.
 */
export function loadChart(spec: JobSpec, estimate: LoadPlan, planAt: (spec: JobSpec) => LoadPlan): LoadChart {
  const base = inputRate(spec);
  const points: LoadPoint[] = [];
  let previous: string | undefined;
  for (const factor of LOAD_FACTORS) {
    let plan: LoadPlan;
    try {
      plan = factor === 1 ? estimate : planAt(scaleLoad(spec, factor));
    } catch {
      continue;
    }
    const shape = shapeText(plan);
    const size = taskManagerSize(plan);
    points.push({
      factor,
      factorText: `${formatNumber(factor)}×`,
      rate: `${formatCompact(base * factor)} rec/s`,
      cores: plan.cpu.totalCores,
      coresText: formatNumber(plan.cpu.totalCores, 1),
      monthly: plan.cost.monthly,
      monthlyText: formatMoney(plan.cost.monthly, plan.cost.currency),
      shape,
      size,
      parallelism: plan.parallelism.default,
      current: factor === 1,
      shapeChanged: previous !== undefined && size !== previous,
    });
    previous = size;
  }
  const step = points.length > 1 ? (WIDTH - LEFT - RIGHT) / (points.length - 1) : 0;
  const xAt = (i: number) => Math.round(LEFT + i * step);
  const currency = estimate.cost.currency;
  const changes = points.filter((p) => p.shapeChanged);
  const summary =
    `From ${points[0]?.rate ?? ''} to ${points.at(-1)?.rate ?? ''}, total cores go from ${points[0]?.coresText ?? ''} to ${points.at(-1)?.coresText ?? ''} and the monthly cost from ${points[0]?.monthlyText ?? ''} to ${points.at(-1)?.monthlyText ?? ''}. ` +
    (changes.length
      ? `The TaskManagers change size at ${changes.map((p) => `${p.factorText} (${p.shape})`).join(', ')}; in between, only their number grows.`
      : 'The TaskManagers keep the same size throughout; only their number changes.');
  return {
    points,
    width: WIDTH,
    height: HEIGHT,
    xTicks: points.map((p, i) => ({ x: xAt(i), label: p.factorText })),
    plotLeft: LEFT,
    plotRight: WIDTH - RIGHT,
    plotTop: TOP,
    plotBottom: HEIGHT - BOTTOM,
    cores: plot(
      'Total cores',
      'cores',
      points,
      (p) => p.cores,
      (n) => formatNumber(n, 1),
      xAt,
    ),
    cost: plot(
      'Monthly cost',
      currency,
      points,
      (p) => p.monthly,
      (n) => compactMoney(n, currency),
      xAt,
    ),
    summary,
  };
}
