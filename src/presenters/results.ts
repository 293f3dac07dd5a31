import { manifestLinks } from '../exports/index.js';
import { formatBytes, formatCompact, formatDuration, formatMoney, formatNumber } from '../format.js';
import type { Estimate } from '../schemas/estimate.js';
import { type MemoryBar, memoryBar } from './memory-bar.js';

/**
 * The results page's view-model: every figure the template shows, already formatted, with the
 * exact value alongside for tooltips. Templates only place these strings.
 */
export interface Figure {
  label: string;
  value: string;
  detail?: string;
  title?: string;
}

export interface ExportLink {
  label: string;
  href: string;
  hint: string;
}

export interface ResultsView {
  headline: Figure[];
  warnings: Estimate['warnings'];
  operators: Array<{
    id: string;
    name?: string | undefined;
    role: string;
    kind: string;
    input: string;
    inputExact: string;
    output: string;
    parallelism: number;
    parallelismDecidedBy: string;
    cores: string;
    busy: string;
    state: string;
    stateExact: string;
  }>;
  taskManager: { bar: MemoryBar; rows: Figure[]; config: string };
  jobManager: { bar: MemoryBar; rows: Figure[]; config: string };
  state: Figure[];
  network: Figure[];
  cost: Figure[];
  jobConfig: string;
  explanation: Array<{
    topic: string;
    text: string;
    formula?: string | undefined;
    decidedBy?: string | undefined;
    inputs: string[];
  }>;
  exports: ExportLink[];
}

const TM_ROWS: ReadonlyArray<[keyof Estimate['taskManagers']['memory'], string]> = [
  ['frameworkHeap', 'Framework heap'],
  ['taskHeap', 'Task heap'],
  ['managed', 'Managed memory'],
  ['frameworkOffHeap', 'Framework off-heap'],
  ['taskOffHeap', 'Task off-heap'],
  ['network', 'Network'],
  ['jvmMetaspace', 'JVM metaspace'],
  ['jvmOverhead', 'JVM overhead'],
  ['totalFlinkMemory', 'Total Flink memory'],
  ['totalProcessMemory', 'Total process memory'],
];

const JM_ROWS: ReadonlyArray<[keyof Estimate['jobManager']['memory'], string]> = [
  ['jvmHeap', 'JVM heap'],
  ['offHeap', 'Off-heap'],
  ['jvmMetaspace', 'JVM metaspace'],
  ['jvmOverhead', 'JVM overhead'],
  ['totalFlinkMemory', 'Total Flink memory'],
  ['totalProcessMemory', 'Total process memory'],
];

const bytesFigure = (label: string, bytes: number): Figure => ({
  label,
  value: formatBytes(bytes),
  title: `${formatNumber(bytes)} bytes`,
});

const configText = (config: Record<string, string>) =>
  Object.entries(config)
    .map(([key, value]) => `${key}: ${value}`)
    .join('\n');

const cores = (n: number) => formatNumber(n, n < 10 ? 2 : 1);

/**
 * Builds the view for an estimate. `exportHref(format)` gives the download URL of each export
 * (the unsaved results page and a saved estimation serve them from different routes).
 */
export function buildResultsView(estimate: Estimate, exportHref: (format: string) => string): ResultsView {
  const tm = estimate.taskManagers;
  const jm = estimate.jobManager;
  const state = estimate.state;
  const net = estimate.network;
  const cost = estimate.cost;
  return {
    headline: [
      {
        label: 'TaskManagers',
        value: `${tm.count} × ${formatNumber(tm.cpu)} CPU × ${formatBytes(tm.memory.totalProcessMemory)}`,
        detail: `${tm.slotsPerTaskManager} slot${tm.slotsPerTaskManager === 1 ? '' : 's'} each · ${formatNumber(tm.containerMemoryMiB)} Mi pods`,
        title: `${formatNumber(tm.memory.totalProcessMemory)} bytes per TaskManager`,
      },
      {
        label: 'Parallelism',
        value: String(estimate.parallelism.default),
        detail: `max parallelism ${estimate.parallelism.max}`,
      },
      {
        label: 'Slots',
        value: `${estimate.slots.required} needed`,
        detail: `${estimate.slots.available} available`,
      },
      {
        label: 'Total cores',
        value: cores(estimate.cpu.totalCores),
        detail: `${cores(estimate.cpu.requiredCores)} busy at peak · JobManager ${formatNumber(estimate.cpu.jobManagerCores)}`,
      },
      {
        label: 'JobManager',
        value: `${formatNumber(jm.cpu)} CPU × ${formatBytes(jm.memory.totalProcessMemory)}`,
        title: `${formatNumber(jm.memory.totalProcessMemory)} bytes`,
      },
      {
        label: 'Monthly cost',
        value: formatMoney(cost.monthly, cost.currency),
        detail: `${formatNumber(cost.cores)} cores, ${formatNumber(cost.memoryGiB, 1)} GiB`,
      },
    ],
    warnings: estimate.warnings,
    operators: estimate.operators.map((o) => ({
      id: o.id,
      name: o.name,
      role: o.role,
      kind: o.kind,
      input: `${formatCompact(o.inputRecordsPerSecond)}/s`,
      inputExact: `${formatNumber(o.inputRecordsPerSecond)} records/s`,
      output: `${formatCompact(o.outputRecordsPerSecond)}/s`,
      parallelism: o.parallelism,
      parallelismDecidedBy: o.parallelismDecidedBy,
      cores: cores(o.requiredCores),
      busy: `${Math.round(o.busyAtPeak * 100)}%`,
      state: o.stateBytes > 0 ? formatBytes(o.stateBytes) : '—',
      stateExact: `${formatNumber(o.stateBytes)} bytes`,
    })),
    taskManager: {
      bar: memoryBar(tm.memory, 'taskmanager'),
      rows: TM_ROWS.map(([key, label]) => bytesFigure(label, tm.memory[key])),
      config: configText(tm.flinkConfig),
    },
    jobManager: {
      bar: memoryBar(jm.memory, 'jobmanager'),
      rows: JM_ROWS.map(([key, label]) => bytesFigure(label, jm.memory[key])),
      config: configText(jm.flinkConfig),
    },
    state: [
      {
        label: 'Backend',
        value: state.backend,
        detail: state.backendDecidedBy === 'user' ? 'your choice' : 'chosen from the state size',
      },
      bytesFigure('Total state', state.totalBytes),
      bytesFigure('Per TaskManager', state.perTaskManagerBytes),
      bytesFigure('Per slot', state.perSlotBytes),
      bytesFigure(
        state.checkpoint.incremental ? 'Checkpoint upload (incremental)' : 'Checkpoint size',
        state.checkpoint.sizeBytes,
      ),
      bytesFigure('Full checkpoint', state.checkpoint.fullSizeBytes),
      {
        label: 'Checkpoint duration',
        value: formatDuration(state.checkpoint.estimatedDurationSeconds),
        detail: `every ${formatDuration(state.checkpoint.intervalSeconds)}`,
      },
      bytesFigure('Local disk per TaskManager', tm.localDiskBytes),
    ],
    network: [
      { label: 'In per TaskManager', value: `${formatBytes(net.bytesInPerSecondPerTaskManager)}/s` },
      { label: 'Out per TaskManager', value: `${formatBytes(net.bytesOutPerSecondPerTaskManager)}/s` },
      { label: 'NIC capacity', value: `${formatBytes(net.nicBytesPerSecond)}/s` },
      { label: 'NIC utilization', value: `${Math.round(net.utilization * 100)}%` },
      {
        label: 'Network buffers',
        value: `${formatNumber(net.buffersRequiredPerTaskManager)} needed`,
        detail: `${formatNumber(net.buffersAvailablePerTaskManager)} available per TaskManager`,
      },
    ],
    cost: [
      { label: 'Per month', value: formatMoney(cost.monthly, cost.currency) },
      { label: 'Per hour', value: formatMoney(cost.hourly, cost.currency) },
      { label: 'Core-hour price', value: formatMoney(cost.perCoreHour, cost.currency) },
      { label: 'GiB-hour price', value: formatMoney(cost.perGiBHour, cost.currency) },
    ],
    jobConfig: configText(estimate.flinkConfig),
    explanation: estimate.explanation.map((e) => ({
      topic: e.topic,
      text: e.text,
      formula: e.formula,
      decidedBy: e.decidedBy,
      inputs: Object.entries(e.inputs ?? {}).map(
        ([k, v]) => `${k} = ${typeof v === 'number' ? formatNumber(v, 4) : String(v)}`,
      ),
    })),
    exports: [
      ...manifestLinks(exportHref),
      { label: 'Estimate JSON', href: exportHref('json'), hint: 'everything on this page' },
    ],
  };
}
