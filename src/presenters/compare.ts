/**
 * The comparison of saved estimations: inputs and outputs as rows, one column per estimation,
 * with every cell that differs from the first column flagged. Differences are decided on the
 * exact values (bytes, records/s), not on the rounded text, so two plans that both read
 * "1.69 GiB" but differ by a page of memory are still flagged — and the exact value is in the tooltip.
 */
import { formatBytes, formatDuration, formatMoney, formatNumber, formatRate } from '../format.js';
import { type JobSpec, STATELESS_OPERATOR_KINDS } from '../jobspec/index.js';
import type { Estimate } from '../schemas/estimate.js';
import { TASK_MANAGER_COMPONENTS } from '../web/memory-components.js';
import { type SavedHeaderView, savedHeader } from './saved.js';

export interface CompareCell {
  text: string;
  /** Several values (e.g. one per pipeline source) shown as a list. */
  lines?: string[];
  /** The exact value, for the tooltip. */
  title?: string;
  /** Differs from the first column. */
  diff: boolean;
}

export interface CompareRow {
  label: string;
  /** A breakdown row under the one before it (memory components). */
  sub: boolean;
  cells: CompareCell[];
  differs: boolean;
}

export interface CompareSection {
  id: string;
  title: string;
  rows: CompareRow[];
}

export interface CompareView {
  columns: SavedHeaderView[];
  sections: CompareSection[];
  /** Rows in which at least one column differs from the first. */
  differingRows: number;
  totalRows: number;
  onlyDifferences: boolean;
}

export interface Comparable {
  id: string;
  name: string;
  owner: string | null;
  version: number;
  spec: JobSpec;
  estimate: Estimate;
  createdAt: string;
  updatedAt: string;
}

/** One column's value for a row: what to show, and the exact value that decides "differs". */
interface Value {
  text: string;
  lines?: string[];
  title?: string;
  key: string;
}

interface RowDef {
  label: string;
  sub?: boolean;
  value: (item: Comparable) => Value;
}

const NONE: Value = { text: '—', key: '' };

const plain = (text: string, key: unknown = text): Value => ({ text, key: JSON.stringify(key) });

const bytes = (n: number): Value => ({
  text: formatBytes(n),
  title: `${formatNumber(n)} bytes`,
  key: String(n),
});

const count = (n: number | undefined): Value => (n === undefined ? NONE : plain(formatNumber(n), n));

const rate = (n: number): Value => ({
  text: formatRate(n),
  title: `${formatNumber(n)} records/s`,
  key: String(n),
});

const bytesRate = (n: number): Value => ({
  text: `${formatBytes(n)}/s`,
  title: `${formatNumber(n)} bytes/s`,
  key: String(n),
});

const auto = <T>(value: T | undefined, show: (v: T) => string): Value =>
  value === undefined ? plain('Auto', null) : plain(show(value), value);

const lines = (items: string[]): Value =>
  items.length === 0 ? NONE : { text: items.join('; '), lines: items, key: JSON.stringify(items) };

const isStateless = (kind: string) => (STATELESS_OPERATOR_KINDS as readonly string[]).includes(kind);

/** Average of `pick` over the pipeline's sources, weighted by each source's rate. */
function rateWeighted(
  spec: JobSpec,
  pick: (s: NonNullable<JobSpec['pipeline']>['sources'][number]) => number,
) {
  const sources = spec.pipeline?.sources ?? [];
  const total = sources.reduce((sum, s) => sum + s.recordsPerSecond, 0);
  if (total === 0) return undefined;
  return sources.reduce((sum, s) => sum + pick(s) * s.recordsPerSecond, 0) / total;
}

function inputRate(spec: JobSpec): number {
  if (spec.workload) return spec.workload.recordsPerSecond;
  return (spec.pipeline?.sources ?? []).reduce((sum, s) => sum + s.recordsPerSecond, 0);
}

const INPUT_ROWS: RowDef[] = [
  { label: 'Flink version', value: ({ spec }) => plain(spec.flinkVersion) },
  {
    label: 'Form',
    value: ({ spec }) => plain(spec.workload ? 'Quick (workload)' : 'Pipeline (DAG)'),
  },
  {
    label: 'Sources',
    value: ({ spec }) =>
      spec.workload
        ? count(spec.workload.sources)
        : lines(
            (spec.pipeline?.sources ?? []).map(
              (s) =>
                `${s.id}: ${s.kind}, ${formatRate(s.recordsPerSecond)}, ${formatBytes(s.avgRecordBytes)}` +
                (s.partitions !== undefined ? `, ${s.partitions} partitions` : ''),
            ),
          ),
  },
  {
    label: 'Operators',
    value: ({ spec }) =>
      spec.workload
        ? count(spec.workload.operators)
        : lines((spec.pipeline?.operators ?? []).map((o) => `${o.id}: ${o.kind}`)),
  },
  {
    label: 'Sinks',
    value: ({ spec }) =>
      spec.workload
        ? count(spec.workload.sinks)
        : lines((spec.pipeline?.sinks ?? []).map((s) => `${s.id}: ${s.kind}`)),
  },
  { label: 'Input rate (average)', value: ({ spec }) => rate(inputRate(spec)) },
  {
    label: 'Average record size',
    value: ({ spec }) => {
      const size = spec.workload?.avgRecordBytes ?? rateWeighted(spec, (s) => s.avgRecordBytes);
      return size === undefined ? NONE : bytes(Math.round(size));
    },
  },
  {
    label: 'Peak factor',
    value: ({ spec }) => {
      const peak = spec.workload?.peakFactor ?? rateWeighted(spec, (s) => s.peakFactor ?? 1);
      return peak === undefined ? NONE : plain(`× ${formatNumber(peak)}`, peak);
    },
  },
  {
    label: 'Stateful operators',
    value: ({ spec }) =>
      count(
        spec.workload
          ? (spec.workload.statefulOperators ?? 0)
          : (spec.pipeline?.operators ?? []).filter((o) => !isStateless(o.kind)).length,
      ),
  },
  { label: 'Distinct keys', value: ({ spec }) => count(spec.workload?.distinctKeys) },
  {
    label: 'State per key',
    value: ({ spec }) =>
      spec.workload?.stateBytesPerKey === undefined ? NONE : bytes(spec.workload.stateBytesPerKey),
  },
  { label: 'Complexity', value: ({ spec }) => (spec.workload ? plain(spec.workload.complexity) : NONE) },
  { label: 'State backend', value: ({ spec }) => auto(spec.state.backend, (b) => b) },
  {
    label: 'Checkpoint interval',
    value: ({ spec }) =>
      plain(formatDuration(spec.state.checkpointIntervalSeconds), spec.state.checkpointIntervalSeconds),
  },
  {
    label: 'Incremental checkpoints',
    value: ({ spec }) => auto(spec.state.incrementalCheckpoints, (on) => (on ? 'Yes' : 'No')),
  },
  {
    label: 'TaskManager CPU (constraint)',
    value: ({ spec }) => auto(spec.cluster.taskManagerCpu, formatNumber),
  },
  {
    label: 'TaskManager memory (constraint)',
    value: ({ spec }) => auto(spec.cluster.taskManagerMemory, String),
  },
  {
    label: 'Slots per TaskManager (constraint)',
    value: ({ spec }) => auto(spec.cluster.slotsPerTaskManager, String),
  },
  { label: 'Max parallelism (constraint)', value: ({ spec }) => auto(spec.cluster.maxParallelism, String) },
  {
    label: 'Target utilization',
    value: ({ spec }) =>
      plain(`${formatNumber(spec.targets.utilization * 100, 1)} %`, spec.targets.utilization),
  },
  {
    label: 'Catch-up time',
    value: ({ spec }) => plain(formatDuration(spec.targets.catchUpMinutes * 60), spec.targets.catchUpMinutes),
  },
  {
    label: 'Restart time',
    value: ({ spec }) => plain(formatDuration(spec.targets.restartSeconds), spec.targets.restartSeconds),
  },
];

const OUTPUT_ROWS: RowDef[] = [
  { label: 'Parallelism', value: ({ estimate }) => count(estimate.parallelism.default) },
  { label: 'Max parallelism', value: ({ estimate }) => count(estimate.parallelism.max) },
  { label: 'TaskManagers', value: ({ estimate }) => count(estimate.taskManagers.count) },
  {
    label: 'Slots per TaskManager',
    value: ({ estimate }) => count(estimate.taskManagers.slotsPerTaskManager),
  },
  { label: 'CPU per TaskManager', value: ({ estimate }) => count(estimate.taskManagers.cpu) },
  {
    label: 'Memory per TaskManager (process)',
    value: ({ estimate }) => bytes(estimate.taskManagers.memory.totalProcessMemory),
  },
  ...TASK_MANAGER_COMPONENTS.filter((c) => c.part).map(
    ({ label, key }): RowDef => ({
      label,
      sub: true,
      value: ({ estimate }) => bytes(estimate.taskManagers.memory[key]),
    }),
  ),
  { label: 'JobManager CPU', value: ({ estimate }) => count(estimate.jobManager.cpu) },
  {
    label: 'JobManager memory (process)',
    value: ({ estimate }) => bytes(estimate.jobManager.memory.totalProcessMemory),
  },
  {
    label: 'Required cores (at 100 % busy)',
    value: ({ estimate }) => plain(formatNumber(estimate.cpu.requiredCores), estimate.cpu.requiredCores),
  },
  { label: 'Total cores', value: ({ estimate }) => count(estimate.cpu.totalCores) },
  { label: 'State (total)', value: ({ estimate }) => bytes(estimate.state.totalBytes) },
  { label: 'State per TaskManager', value: ({ estimate }) => bytes(estimate.state.perTaskManagerBytes) },
  { label: 'State backend in plan', value: ({ estimate }) => plain(estimate.state.backend) },
  { label: 'Checkpoint size', value: ({ estimate }) => bytes(estimate.state.checkpoint.sizeBytes) },
  {
    label: 'Checkpoint duration',
    value: ({ estimate }) => {
      const seconds = estimate.state.checkpoint.estimatedDurationSeconds;
      // Small states upload in milliseconds; "0 s" next to a flagged difference would read as a bug.
      const text =
        seconds === 0
          ? '0 s'
          : seconds < 1
            ? `${formatNumber(Math.max(seconds * 1000, 1), 0)} ms`
            : formatDuration(seconds);
      return { text, title: `${formatNumber(seconds, 3)} s`, key: String(seconds) };
    },
  },
  {
    label: 'Network in per TaskManager',
    value: ({ estimate }) => bytesRate(estimate.network.bytesInPerSecondPerTaskManager),
  },
  {
    label: 'Network out per TaskManager',
    value: ({ estimate }) => bytesRate(estimate.network.bytesOutPerSecondPerTaskManager),
  },
  {
    label: 'Network buffers (required / available)',
    value: ({ estimate }) => {
      const { buffersRequiredPerTaskManager: req, buffersAvailablePerTaskManager: avail } = estimate.network;
      return plain(`${formatNumber(req)} / ${formatNumber(avail)}`, [req, avail]);
    },
  },
  {
    label: 'Monthly cost',
    value: ({ estimate }) => ({
      text: formatMoney(estimate.cost.monthly, estimate.cost.currency),
      key: JSON.stringify([estimate.cost.monthly, estimate.cost.currency]),
    }),
  },
  {
    label: 'Warnings',
    value: ({ estimate }) => {
      const codes = estimate.warnings.map((w) => w.code);
      if (codes.length === 0) return plain('None', []);
      // One line per code; a code raised for several operators says how often.
      const counts = new Map<string, number>();
      for (const code of codes) counts.set(code, (counts.get(code) ?? 0) + 1);
      const perCode = [...counts].map(([code, n]) => (n > 1 ? `${code} × ${n}` : code));
      return {
        text: `${codes.length}: ${perCode.join(', ')}`,
        lines: [`${codes.length} ${codes.length === 1 ? 'warning' : 'warnings'}`, ...perCode],
        key: JSON.stringify([...codes].sort()),
      };
    },
  },
  { label: 'Model version', value: ({ estimate }) => plain(estimate.modelVersion) },
];

function buildRows(defs: RowDef[], items: Comparable[]): CompareRow[] {
  return defs.map((def) => {
    const values = items.map(def.value);
    const firstKey = values[0]?.key;
    const cells = values.map(
      (v, index): CompareCell => ({
        text: v.text,
        ...(v.lines ? { lines: v.lines } : {}),
        ...(v.title ? { title: v.title } : {}),
        diff: index > 0 && v.key !== firstKey,
      }),
    );
    return { label: def.label, sub: def.sub ?? false, cells, differs: cells.some((c) => c.diff) };
  });
}

/**
 * Rows and diff flags for estimations shown side by side. With `onlyDifferences`, rows where
 * every column agrees are left out (a breakdown row stays when it differs, even if its parent agrees).
 */
export function buildCompareView(
  items: Comparable[],
  options: { onlyDifferences?: boolean } = {},
): CompareView {
  const onlyDifferences = options.onlyDifferences ?? false;
  const all: CompareSection[] = [
    { id: 'inputs', title: 'Inputs', rows: buildRows(INPUT_ROWS, items) },
    { id: 'outputs', title: 'Plan', rows: buildRows(OUTPUT_ROWS, items) },
  ];
  const rows = all.flatMap((s) => s.rows);
  return {
    columns: items.map(savedHeader),
    sections: onlyDifferences ? all.map((s) => ({ ...s, rows: s.rows.filter((r) => r.differs) })) : all,
    differingRows: rows.filter((r) => r.differs).length,
    totalRows: rows.length,
    onlyDifferences,
  };
}
