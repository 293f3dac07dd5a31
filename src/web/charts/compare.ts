/**
 * Saved estimations side by side as small bar charts, one per measure (cores, monthly cost,
 * TaskManagers, memory per TaskManager split into Flink's components, state), one bar per
 * estimation on a shared scale. Positions are computed here, in viewBox units; templates only
 * place them. Each chart carries its own text, and a table of the same numbers sits behind them.
 */
import { formatBytes, formatMoney, formatNumber } from '../../format.js';
import type { Estimate } from '../../schemas/estimate.js';
import { TASK_MANAGER_COMPONENTS } from '../memory-components.js';

export interface CompareChartItem {
  name: string;
  estimate: Estimate;
}

export interface BarSegment {
  key: string;
  label: string;
  x: number;
  width: number;
}

export interface ChartBar {
  name: string;
  /** Where the estimation's name is written (above its bar). */
  nameY: number;
  barY: number;
  width: number;
  valueText: string;
  /** The value's text sits after the bar (the plot leaves room for it). */
  valueX: number;
  /** Colour slot of the estimation (the same in every chart). */
  series: number;
  /** Memory components of a stacked bar; empty for a plain bar. */
  segments: BarSegment[];
}

export interface MeasureChart {
  id: string;
  title: string;
  height: number;
  bars: ChartBar[];
  /** The chart as a sentence, for its SVG description. */
  description: string;
}

export interface CompareCharts {
  width: number;
  barHeight: number;
  charts: MeasureChart[];
  /** Components drawn in the memory chart, for its legend. */
  legend: Array<{ key: string; label: string }>;
  /** The numbers behind the charts: one row per measure, one cell per estimation. */
  table: { names: string[]; rows: Array<{ title: string; cells: string[] }> };
  summary: string;
}

export const COMPARE_CHART_WIDTH = 400;
const LEFT = 4;
const VALUE_ROOM = 116;
const PLOT_WIDTH = COMPARE_CHART_WIDTH - LEFT - VALUE_ROOM;
const ROW = 42;
const NAME_TOP = 14;
const BAR_TOP = 20;
const BAR_HEIGHT = 14;
const MAX_NAME = 48;

const shortName = (name: string) => (name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name);
const round1 = (n: number) => Math.round(n * 10) / 10;

interface Measure {
  id: string;
  title: string;
  value: (e: Estimate) => number;
  text: (e: Estimate) => string;
  stacked?: boolean;
}

const MEMORY_PARTS = TASK_MANAGER_COMPONENTS.filter((c) => c.part);

const MEASURES: Measure[] = [
  {
    id: 'cores',
    title: 'Cores',
    value: (e) => e.cpu.totalCores,
    text: (e) => `${formatNumber(e.cpu.totalCores, 1)} cores`,
  },
  {
    id: 'cost',
    title: 'Monthly cost',
    value: (e) => e.cost.monthly,
    text: (e) => formatMoney(e.cost.monthly, e.cost.currency),
  },
  {
    id: 'taskmanagers',
    title: 'TaskManagers',
    value: (e) => e.taskManagers.count,
    text: (e) => `${formatNumber(e.taskManagers.count)} × ${formatNumber(e.taskManagers.cpu)} CPU`,
  },
  {
    id: 'memory',
    title: 'Memory per TaskManager',
    value: (e) => e.taskManagers.memory.totalProcessMemory,
    text: (e) => formatBytes(e.taskManagers.memory.totalProcessMemory),
    stacked: true,
  },
  {
    id: 'state',
    title: 'State',
    value: (e) => e.state.totalBytes,
    text: (e) => formatBytes(e.state.totalBytes),
  },
];

function measureChart(m: Measure, items: CompareChartItem[]): MeasureChart {
  const max = Math.max(0, ...items.map((i) => m.value(i.estimate)));
  const scale = max > 0 ? PLOT_WIDTH / max : 0;
  const bars = items.map(({ name, estimate }, index): ChartBar => {
    const top = index * ROW;
    const width = round1(m.value(estimate) * scale);
    let x = LEFT;
    const segments = m.stacked
      ? MEMORY_PARTS.map((c) => {
          const w = round1(estimate.taskManagers.memory[c.key] * scale);
          const segment = { key: c.key, label: c.label, x: round1(x), width: w };
          x += w;
          return segment;
        }).filter((s) => s.width > 0)
      : [];
    return {
      name: shortName(name),
      nameY: top + NAME_TOP,
      barY: top + BAR_TOP,
      width,
      valueText: m.text(estimate),
      valueX: round1(LEFT + width + 6),
      series: index,
      segments,
    };
  });
  return {
    id: m.id,
    title: m.title,
    height: items.length * ROW + 4,
    bars,
    description: `${m.title}: ${items.map((i) => `${i.name} ${m.text(i.estimate)}`).join('; ')}.`,
  };
}

/** The names with the least of a measure ("A and B" on a tie). */
function least(items: CompareChartItem[], value: (e: Estimate) => number): string {
  const min = Math.min(...items.map((i) => value(i.estimate)));
  const names = items.filter((i) => value(i.estimate) === min).map((i) => i.name);
  return names.length === 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** Which estimation is cheapest and which needs the fewest cores, said as well as drawn. */
function summary(items: CompareChartItem[]): string {
  const [first] = items;
  if (first === undefined) return '';
  const monthly = (e: Estimate) => e.cost.monthly;
  const cores = (e: Estimate) => e.cpu.totalCores;
  const cheapest = least(items, monthly);
  const fewest = least(items, cores);
  const lowCost = Math.min(...items.map((i) => monthly(i.estimate)));
  const lowCores = Math.min(...items.map((i) => cores(i.estimate)));
  const verb = cheapest.includes(' and ') ? 'cost' : 'costs';
  const costText = `${cheapest} ${verb} least (${formatMoney(lowCost, first.estimate.cost.currency)} a month)`;
  const coresText =
    fewest === cheapest
      ? ` and ${verb === 'cost' ? 'need' : 'needs'} the fewest cores (${formatNumber(lowCores, 1)})`
      : `; ${fewest} ${fewest.includes(' and ') ? 'need' : 'needs'} the fewest cores (${formatNumber(lowCores, 1)})`;
  return `${costText}${coresText}. Each chart shares one scale across the estimations.`;
}

export function compareCharts(items: CompareChartItem[]): CompareCharts {
  const charts = MEASURES.map((m) => measureChart(m, items));
  return {
    width: COMPARE_CHART_WIDTH,
    barHeight: BAR_HEIGHT,
    charts,
    legend: MEMORY_PARTS.filter((c) => items.some((i) => i.estimate.taskManagers.memory[c.key] > 0)).map(
      (c) => ({ key: c.key, label: c.label }),
    ),
    table: {
      names: items.map((i) => i.name),
      rows: MEASURES.map((m) => ({ title: m.title, cells: items.map((i) => m.text(i.estimate)) })),
    },
    summary: summary(items),
  };
}
