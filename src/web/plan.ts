/**
 * The one view of a plan, used by every page that shows an Estimate (the results page and a
 * saved estimation): the headline sentence, the pictures, every table and the export links,
 * already formatted, with exact values alongside for tooltips. Templates only place these.
 */

import type { LoadPlan } from '../estimator/index.js';
import { FORMAT_LABELS, MANIFEST_FORMATS } from '../exports/index.js';
import { formatBytes, formatCompact, formatDuration, formatMoney, formatNumber } from '../format.js';
import type { JobSpec } from '../jobspec/index.js';
import type { Estimate } from '../schemas/estimate.js';
import { type LoadChart, loadChart } from './charts/load.js';
import { type PipelineDiagram, pipelineDiagram } from './charts/pipeline.js';
import { decidedByWords, headlineParts, inputRecap, topicTitle } from './headline.js';
import { type ExportSource, exportAction, exportHref } from './links.js';
import { type MemoryBar, memoryBar } from './memory-bar.js';
import { type MemoryRole, memoryComponents } from './memory-components.js';

export interface Figure {
  label: string;
  value: string;
  detail?: string;
  title?: string;
}

export interface ExportLink {
  format: string;
  label: string;
  hint: string;
  href: string;
  /** The route the export form submits to, with its fields as query options. */
  action: string;
}

export interface MemoryRow {
  label: string;
  option: string;
  value: string;
  title: string;
  total: boolean;
}

export interface MemoryView {
  bar: MemoryBar;
  rows: MemoryRow[];
  config: string;
}

export interface PlanView {
  headline: string[];
  recap: string;
  facts: Figure[];
  warnings: Array<Estimate['warnings'][number] & { title: string }>;
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
    task: string;
    cores: string;
    busy: string;
    state: string;
    stateExact: string;
  }>;
  pipeline: PipelineDiagram;
  load: LoadChart | undefined;
  taskManager: MemoryView;
  jobManager: MemoryView;
  state: Figure[];
  network: Figure[];
  cost: Figure[];
  jobConfig: string;
  explanation: Array<{
    title: string;
    text: string;
    formula?: string | undefined;
    decidedBy?: string | undefined;
    inputs: string[];
  }>;
  exports: ExportLink[];
  flinkVersion: string;
  modelVersion: string;
}

const JSON_EXPORT = { label: 'Estimate JSON', hint: 'everything on this page' };

const exportsFor = (source: ExportSource): ExportLink[] =>
  [
    ...MANIFEST_FORMATS.map((format) => ({ format, ...FORMAT_LABELS[format] })),
    { format: 'json', ...JSON_EXPORT },
  ].map((e) => ({ ...e, href: exportHref(source, e.format), action: exportAction(source, e.format) }));

const exact = (bytes: number) => `${formatNumber(bytes)} bytes`;
const bytesFigure = (label: string, bytes: number): Figure => ({
  label,
  value: formatBytes(bytes),
  title: exact(bytes),
});
const configText = (config: Record<string, string>) =>
  Object.entries(config)
    .map(([key, value]) => `${key}: ${value}`)
    .join('\n');
const cores = (n: number) => formatNumber(n, n < 10 ? 2 : 1);

function memoryView(
  role: MemoryRole,
  memory: Record<string, number>,
  config: Record<string, string>,
): MemoryView {
  return {
    bar: memoryBar(memory, role),
    rows: memoryComponents(role).map((c) => ({
      label: c.label,
      option: c.option,
      value: formatBytes(memory[c.key] ?? 0),
      title: exact(memory[c.key] ?? 0),
      total: !c.part,
    })),
    config: configText(config),
  };
}

export interface PlanInput {
  spec: JobSpec;
  estimate: Estimate;
  /** Where the downloads come from. */
  exports: ExportSource;
  /** The estimator's planAtLoad in force, for the load chart; without it the chart is left out. */
  planAt?: ((spec: JobSpec) => LoadPlan) | undefined;
}

export function buildPlanView({ spec, estimate, exports, planAt }: PlanInput): PlanView {
  const tm = estimate.taskManagers;
  const jm = estimate.jobManager;
  const state = estimate.state;
  const net = estimate.network;
  const cost = estimate.cost;
  const chainIndex = new Map<string, number>();
  for (const o of estimate.operators)
    if (!chainIndex.has(o.chainHead)) chainIndex.set(o.chainHead, chainIndex.size + 1);
  const nodeIds = new Set(estimate.operators.map((o) => o.id));
  return {
    headline: headlineParts(estimate),
    recap: inputRecap(spec),
    facts: [
      {
        label: 'Slots',
        value: `${estimate.slots.required} needed`,
        detail: `${estimate.slots.available} available, ${tm.slotsPerTaskManager} per TaskManager`,
      },
      { label: 'Max parallelism', value: formatNumber(estimate.parallelism.max) },
      {
        label: 'Busy at peak',
        value: `${cores(estimate.cpu.requiredCores)} cores`,
        detail: 'before headroom and rounding',
      },
      {
        label: 'JobManager',
        value: `${formatNumber(jm.cpu)} CPU / ${formatBytes(jm.memory.totalProcessMemory)}`,
        title: exact(jm.memory.totalProcessMemory),
      },
      {
        label: 'TaskManager pods',
        value: `${formatNumber(tm.containerMemoryMiB)} Mi`,
        detail: 'memory request',
      },
    ],
    warnings: estimate.warnings.map((w) => ({
      ...w,
      title: w.operatorId && nodeIds.has(w.operatorId) ? `On “${w.operatorId}”` : 'For the whole job',
    })),
    operators: estimate.operators.map((o) => ({
      id: o.id,
      name: o.name,
      role: o.role,
      kind: o.kind,
      input: `${formatCompact(o.inputRecordsPerSecond)}/s`,
      inputExact: `${formatNumber(o.inputRecordsPerSecond)} records/s`,
      output: `${formatCompact(o.outputRecordsPerSecond)}/s`,
      parallelism: o.parallelism,
      parallelismDecidedBy: decidedByWords(o.parallelismDecidedBy),
      task: `${chainIndex.get(o.chainHead) ?? ''}`,
      cores: cores(o.requiredCores),
      busy: `${Math.round(o.busyAtPeak * 100)}%`,
      state: o.stateBytes > 0 ? formatBytes(o.stateBytes) : '—',
      stateExact: exact(o.stateBytes),
    })),
    pipeline: pipelineDiagram(estimate),
    load: planAt ? loadChart(spec, estimate, planAt) : undefined,
    taskManager: memoryView('taskmanager', tm.memory, tm.flinkConfig),
    jobManager: memoryView('jobmanager', jm.memory, jm.flinkConfig),
    state: [
      {
        label: 'Backend',
        value: state.backend === 'rocksdb' ? 'RocksDB' : 'HashMap',
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
      {
        label: 'Billed',
        value: `${formatNumber(cost.cores)} cores, ${formatNumber(cost.memoryGiB, 1)} GiB`,
      },
      { label: 'Core-hour price', value: formatMoney(cost.perCoreHour, cost.currency) },
      { label: 'GiB-hour price', value: formatMoney(cost.perGiBHour, cost.currency) },
    ],
    jobConfig: configText(estimate.flinkConfig),
    explanation: estimate.explanation.map((e) => ({
      title: topicTitle(e.topic),
      text: e.text,
      formula: e.formula,
      decidedBy: e.decidedBy ? decidedByWords(e.decidedBy) : undefined,
      inputs: Object.entries(e.inputs ?? {}).map(
        ([k, v]) => `${k} = ${typeof v === 'number' ? formatNumber(v, 4) : String(v)}`,
      ),
    })),
    exports: exportsFor(exports),
    flinkVersion: estimate.flinkVersion,
    modelVersion: estimate.modelVersion,
  };
}
