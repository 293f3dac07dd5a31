/**
 * Cores and monthly cost against load: the plan's size and price again with every input rate scaled
 * from a quarter to four times the given one. The points where the plan's shape changes (more
 * or bigger TaskManagers) are labelled, and the point the page is about is marked.
 */

import type { LoadPlan } from '../../estimator/index.js';
import { formatCompact, formatNumber } from '../../format.js';
import type { JobSpec } from '../../jobspec/index.js';
import { shapeText, taskManagerSize, wholeMoney } from '../headline.js';

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
    /** Where the shape label goes (placeShapeLabels); present with shapeLabel. */
    shapePlace?: PlacedLabel;
    /** The "now" label near an edge ends (or starts) at its point instead of centring on it. */
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
/** The "now: …" label over the current point: 12px bold (app.css .point-label), ~0.62em a glyph. */
const nowWidth = (text: string) => text.length * 7.4;

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const overlaps = (a: Box, b: Box) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** Whether the segment from (x1, y1) to (x2, y2) passes through the box (Liang–Barsky clipping). */
function crosses(box: Box, x1: number, y1: number, x2: number, y2: number): boolean {
  const dx = x2 - x1;
  const dy = y2 - y1;
  let t0 = 0;
  let t1 = 1;
  for (const [p, q] of [
    [-dx, x1 - box.left],
    [dx, box.right - x1],
    [-dy, y1 - box.top],
    [dy, box.bottom - y1],
  ] as const) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
}

export interface PlacedLabel {
  x: number;
  /** The text's baseline. */
  y: number;
  anchor: 'start' | 'end';
}

/** Where a label may go around its point, in order: below right, above left, below left, above right. */
const CANDIDATES = [
  { dx: 6, dy: 15, anchor: 'start' },
  { dx: -6, dy: -9, anchor: 'end' },
  { dx: -6, dy: 15, anchor: 'end' },
  { dx: 6, dy: -9, anchor: 'start' },
] as const;

/**
 * Places each shape-change label beside its point where it crosses neither the line nor a point,
 * the "now" label, the chart's title or a label placed before it, inside the chart. Below and to
 * the right comes first: cores and cost grow with load, so the line runs above that corner. A
 * label with no such place is left out; the sentence under the charts names every change.
 */
export function placeShapeLabels<
  P extends { x: number; y: number; label: string; current: boolean; shapeLabel?: string },
>(
  points: P[],
  area: { left: number; right: number; bottom: number },
): Array<P & { shapePlace?: PlacedLabel }> {
  const taken: Box[] = [{ left: 0, right: 110, top: 0, bottom: 20 }];
  for (const p of points) {
    const r = p.current ? 7 : 4.5;
    taken.push({ left: p.x - r, right: p.x + r, top: p.y - r, bottom: p.y + r });
    if (p.current) {
      const w = nowWidth(`now: ${p.label}`);
      taken.push({ left: p.x - w / 2, right: p.x + w / 2, top: p.y - 22, bottom: p.y - 7 });
    }
  }
  return points.map((p) => {
    if (p.shapeLabel === undefined) return p;
    const width = labelWidth(p.shapeLabel);
    for (const c of CANDIDATES) {
      const x = p.x + c.dx;
      const y = p.y + c.dy;
      const left = c.anchor === 'start' ? x : x - width;
      // A 10px label reaches about 8 units above its baseline and 2 below.
      const box = { left, right: left + width, top: y - 8, bottom: y + 2 };
      const inside =
        box.left >= area.left && box.right <= area.right && box.top >= 0 && box.bottom <= area.bottom;
      if (!inside || taken.some((t) => overlaps(box, t))) continue;
      if (
        points.some(
          (a, i) => i > 0 && crosses(box, points[i - 1]?.x ?? a.x, points[i - 1]?.y ?? a.y, a.x, a.y),
        )
      )
        continue;
      taken.push(box);
      return { ...p, shapePlace: { x, y, anchor: c.anchor } };
    }
    const { shapeLabel: _dropped, ...rest } = p;
    return rest as P;
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
  const plotted = placeShapeLabels(
    points.map((p, i) => ({
      x: xAt(i),
      y: yAt(value(p)),
      label: label(value(p)),
      current: p.current,
      ...(p.shapeChanged ? { shapeLabel: `${p.size} TaskManagers` } : {}),
      anchor: i === points.length - 1 ? ('end' as const) : i === 0 ? ('start' as const) : ('middle' as const),
    })),
    { left: LEFT, right: WIDTH, bottom: HEIGHT - BOTTOM },
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
      // As the headline says it, so the sentence, the table and the headline read alike.
      monthlyText: wholeMoney(plan.cost.monthly, plan.cost.currency),
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
