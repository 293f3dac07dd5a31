/**
 * The answer in words: the headline sentence every plan page opens with, the recap of the load
 * it was sized for (a shared link must say what it is for), and plain titles for the
 * explanation's topics.
 */

import type { LoadPlan } from '../estimator/index.js';
import { formatBytes, formatCompact, formatNumber } from '../format.js';
import type { JobSpec } from '../jobspec/index.js';
import type { DecidedBy, Estimate } from '../schemas/estimate.js';

const plural = (n: number, one: string, many = `${one}s`) => `${formatNumber(n)} ${n === 1 ? one : many}`;

/** One TaskManager: "4 CPU / 6 GiB". */
export const taskManagerSize = (e: LoadPlan) =>
  `${formatNumber(e.taskManagers.cpu)} CPU / ${formatBytes(e.taskManagers.memory.totalProcessMemory)}`;

/** "3 TaskManagers × 4 CPU / 6 GiB". */
export const shapeText = (e: LoadPlan) =>
  `${plural(e.taskManagers.count, 'TaskManager')} × ${taskManagerSize(e)}`;

/** A monthly amount as the headline says it: "$540", or "540 EUR" in another currency. */
export function wholeMoney(amount: number, currency: string): string {
  const whole = formatNumber(Math.round(amount), 0);
  return currency === 'USD' ? `$${whole}` : `${whole} ${currency}`;
}

/** "$540/month", or "540 EUR/month" in another currency. */
export function monthlyText(e: Estimate): string {
  return `${wholeMoney(e.cost.monthly, e.cost.currency)}/month`;
}

/**
 * The headline's parts, each kept whole on one line by the page (a part never breaks inside):
 * TaskManagers × CPU / memory · parallelism · total cores (the JobManager's included) · cost.
 */
export function headlineParts(e: Estimate): string[] {
  return [
    shapeText(e),
    `parallelism ${formatNumber(e.parallelism.default)}`,
    plural(Math.round(e.cpu.totalCores * 100) / 100, 'core'),
    monthlyText(e),
  ];
}

/** What the plan was sized for, in one sentence. */
export function inputRecap(spec: JobSpec): string {
  const version = `Flink ${spec.flinkVersion}`;
  if (spec.workload) {
    const w = spec.workload;
    const peak = w.peakFactor && w.peakFactor !== 1 ? `, peaks ×${formatNumber(w.peakFactor)}` : '';
    const state =
      w.statefulOperators && w.distinctKeys
        ? `; ${plural(w.statefulOperators, 'stateful operator')} over ${w.distinctKeys === 1 ? 'one key' : `${formatCompact(w.distinctKeys)} keys`}`
        : '';
    return `Sized for ${formatCompact(w.recordsPerSecond)} records/s on average${peak}, ${formatNumber(w.avgRecordBytes)}-byte records, ${plural(w.sources, 'source')} → ${plural(w.operators, 'operator')} → ${plural(w.sinks, 'sink')}${state}; ${version}.`;
  }
  const p = spec.pipeline;
  if (!p) return `${version}.`;
  const total = p.sources.reduce((a, s) => a + s.recordsPerSecond, 0);
  const each =
    p.sources.length > 1
      ? ` (${p.sources.map((s) => `${s.id} ${formatCompact(s.recordsPerSecond)}/s`).join(', ')})`
      : '';
  return `Sized for ${formatCompact(total)} records/s in${each}, through ${plural(p.operators.length, 'operator')} to ${plural(p.sinks.length, 'sink')}; ${version}.`;
}

const TOPICS: Record<string, string> = {
  rates: 'Records per second at each node',
  'cpu.requiredCores': 'CPU needed',
  parallelism: 'Parallelism',
  'parallelism.max': 'Maximum parallelism',
  slots: 'Task slots',
  'taskManagers.count': 'Number of TaskManagers',
  'taskManagers.memory': 'TaskManager memory size',
  'taskManagers.memory.components': 'How TaskManager memory is divided',
  state: 'State size',
  'state.checkpoint': 'Checkpoints',
  network: 'Network traffic',
  'network.buffers': 'Network buffers',
  jobManager: 'JobManager',
  cost: 'Cost',
};

/** "cpu.requiredCores" → "CPU needed"; "operator:clicks" → "Node “clicks”"; unknown keys in words. */
export function topicTitle(topic: string): string {
  const known = TOPICS[topic];
  if (known) return known;
  const node = /^(?:operator|node|source|sink):(.+)$/.exec(topic);
  if (node) return `Node “${node[1]}”`;
  const words = topic
    .split(/[.:]/)
    .map((part) => part.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase())
    .join(': ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The binding constraint in words, for the operator table and the explanation's badges. */
const DECIDED_BY_WORDS: Readonly<Record<DecidedBy, string>> = {
  throughput: 'throughput',
  'catch-up': 'catch-up headroom',
  partitions: 'source partitions',
  'key-groups': 'key groups',
  keys: 'one key',
  sql: 'SQL’s one parallelism',
  state: 'state size',
  memory: 'memory',
  network: 'network',
  'slot-sharing': 'slot sharing',
  chaining: 'operator chaining',
  container: 'container shape',
  user: 'your input',
  minimum: 'a minimum',
  default: 'a default',
};

export const decidedByWords = (decidedBy: DecidedBy): string => DECIDED_BY_WORDS[decidedBy];
