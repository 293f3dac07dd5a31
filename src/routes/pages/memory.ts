import type { FastifyPluginAsync } from 'fastify';
import { FLINK_VERSIONS, type FlinkVersion } from '../../estimator/memory/index.js';
import { deriveMemory, type MemoryResult, type MemoryRole, planMemory } from '../../presenters/memory.js';
import { memoryBar } from '../../web/memory-bar.js';
import { renderPage } from './render.js';

interface MemoryQuery {
  role?: string;
  flinkVersion?: string;
  mode?: string;
  config?: string;
  containerMemory?: string;
  cpu?: string;
  slots?: string;
  managedMemoryPerSlot?: string;
  networkMemory?: string;
}

const MAX_CONFIG_TEXT = 20_000;

/**
 * Reads options pasted from config.yaml or flink-conf.yaml: `key: value` or `key=value` lines;
 * blank lines and # comments are skipped, and YAML quotes around a value are removed.
 */
export function parseConfigText(text: string): { config: Record<string, string>; errors: string[] } {
  const config: Record<string, string> = {};
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^([A-Za-z0-9_.-]+)\s*(?::\s|:$|=)\s*(.*)$/.exec(line);
    if (!match) {
      errors.push(`Line ${index + 1}: expected "key: value" or "key=value", got "${line.slice(0, 80)}"`);
      return;
    }
    let value = (match[2] ?? '').replace(/\s+#.*$/, '').trim();
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    config[match[1] ?? ''] = value;
  });
  return { config, errors };
}

const EXAMPLES: Array<{ label: string; query: Record<string, string> }> = [
  {
    label: 'Flink’s shipped default (1728m)',
    query: { role: 'taskmanager', mode: 'config', config: 'taskmanager.memory.process.size: 1728m' },
  },
  {
    label: '8 GiB container, 2 slots, 1 GiB managed per slot',
    query: {
      role: 'taskmanager',
      mode: 'container',
      containerMemory: '8g',
      cpu: '2',
      slots: '2',
      managedMemoryPerSlot: '1g',
    },
  },
  {
    label: 'A failing configuration (900m)',
    query: { role: 'taskmanager', mode: 'config', config: 'taskmanager.memory.process.size: 900m' },
  },
  {
    label: 'JobManager default (1600m)',
    query: { role: 'jobmanager', mode: 'config', config: 'jobmanager.memory.process.size: 1600m' },
  },
];

const ROWS: Record<MemoryRole, ReadonlyArray<[string, string, string]>> = {
  taskmanager: [
    ['frameworkHeap', 'Framework heap', 'taskmanager.memory.framework.heap.size'],
    ['taskHeap', 'Task heap', 'taskmanager.memory.task.heap.size'],
    ['managed', 'Managed memory', 'taskmanager.memory.managed.size'],
    ['frameworkOffHeap', 'Framework off-heap', 'taskmanager.memory.framework.off-heap.size'],
    ['taskOffHeap', 'Task off-heap', 'taskmanager.memory.task.off-heap.size'],
    ['network', 'Network', 'taskmanager.memory.network.min/max'],
    ['jvmMetaspace', 'JVM metaspace', 'taskmanager.memory.jvm-metaspace.size'],
    ['jvmOverhead', 'JVM overhead', 'taskmanager.memory.jvm-overhead.min/max'],
    ['totalFlinkMemory', 'Total Flink memory', 'taskmanager.memory.flink.size'],
    ['totalProcessMemory', 'Total process memory', 'taskmanager.memory.process.size'],
  ],
  jobmanager: [
    ['jvmHeap', 'JVM heap', 'jobmanager.memory.heap.size'],
    ['offHeap', 'Off-heap', 'jobmanager.memory.off-heap.size'],
    ['jvmMetaspace', 'JVM metaspace', 'jobmanager.memory.jvm-metaspace.size'],
    ['jvmOverhead', 'JVM overhead', 'jobmanager.memory.jvm-overhead.min/max'],
    ['totalFlinkMemory', 'Total Flink memory', 'jobmanager.memory.flink.size'],
    ['totalProcessMemory', 'Total process memory', 'jobmanager.memory.process.size'],
  ],
};

/** Everything the page shows for one result, numbers as the template prints them. */
function resultView(role: MemoryRole, result: MemoryResult) {
  if (!result.valid) return { valid: false as const, error: result.error };
  const jvm = result.jvmArgs;
  const flags = [
    `-Xmx${jvm.Xmx}`,
    `-Xms${jvm.Xms}`,
    ...(jvm.MaxDirectMemorySize !== null && jvm.MaxDirectMemorySize !== undefined
      ? [`-XX:MaxDirectMemorySize=${jvm.MaxDirectMemorySize}`]
      : []),
    `-XX:MaxMetaspaceSize=${jvm.MaxMetaspaceSize}`,
  ].join(' ');
  const total = Number(result.memory.totalProcessMemory ?? 0n);
  return {
    valid: true as const,
    bar: memoryBar(result.memory, role),
    rows: ROWS[role].map(([key, label, option]) => {
      const bytes = Number(result.memory[key] ?? 0n);
      return {
        label,
        option,
        bytes,
        exact: (result.memory[key] ?? 0n).toString(),
        percent: total > 0 ? `${((bytes / total) * 100).toFixed(1)}%` : '',
        total: key.startsWith('total'),
      };
    }),
    flags,
    networkBuffers: result.networkBuffers !== undefined ? Number(result.networkBuffers) : undefined,
    segmentSize: result.segmentSize !== undefined ? Number(result.segmentSize) : undefined,
    slots: result.slots,
    cpuCores: result.cpuCores,
    perSlot: result.perSlot
      ? Object.entries(result.perSlot).map(([key, value]) => ({
          key,
          value: Number(value),
          isCpu: key === 'cpuCores',
        }))
      : [],
    containerMiB: Number(result.containerMemoryMiB),
    derivedFrom: result.derivedFrom,
    notes: result.notes,
    configText: Object.entries(result.config)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n'),
  };
}

const toQueryString = (query: Record<string, string>) => new URLSearchParams(query).toString();

/** The memory planner page: paste options or give a container size; all GET, so results can be shared. */
const memoryPage: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: MemoryQuery }>('/memory', { schema: { hide: true } }, async (request, reply) => {
    const q = request.query;
    const role: MemoryRole = q.role === 'jobmanager' ? 'jobmanager' : 'taskmanager';
    const flinkVersion: FlinkVersion = FLINK_VERSIONS.includes(q.flinkVersion as FlinkVersion)
      ? (q.flinkVersion as FlinkVersion)
      : '1.20';
    const mode = q.mode === 'container' ? 'container' : 'config';
    const form = {
      role,
      flinkVersion,
      mode,
      config: typeof q.config === 'string' ? q.config.slice(0, MAX_CONFIG_TEXT) : '',
      containerMemory: typeof q.containerMemory === 'string' ? q.containerMemory.slice(0, 64) : '',
      cpu: typeof q.cpu === 'string' ? q.cpu.slice(0, 16) : '',
      slots: typeof q.slots === 'string' ? q.slots.slice(0, 16) : '',
      managedMemoryPerSlot:
        typeof q.managedMemoryPerSlot === 'string' ? q.managedMemoryPerSlot.slice(0, 64) : '',
      networkMemory: typeof q.networkMemory === 'string' ? q.networkMemory.slice(0, 64) : '',
    };
    const errors: Array<{ field: string; label: string; message: string }> = [];
    let result: ReturnType<typeof resultView> | undefined;
    const submitted =
      (mode === 'config' && form.config.trim() !== '') ||
      (mode === 'container' && form.containerMemory !== '');

    if (submitted && mode === 'config') {
      const parsed = parseConfigText(form.config);
      for (const message of parsed.errors) errors.push({ field: 'config', label: 'Flink options', message });
      if (parsed.errors.length === 0)
        result = resultView(role, deriveMemory(role, parsed.config, flinkVersion));
    } else if (submitted) {
      const cpu = Number(form.cpu || '1');
      const slots = form.slots === '' ? undefined : Number(form.slots);
      if (!Number.isFinite(cpu) || cpu <= 0) {
        errors.push({
          field: 'cpu',
          label: 'CPU cores',
          message: 'Enter a positive number of CPU cores, e.g. 2',
        });
      }
      if (slots !== undefined && (!Number.isInteger(slots) || slots < 1)) {
        errors.push({
          field: 'slots',
          label: 'Task slots',
          message: 'Enter a whole number of slots, at least 1',
        });
      }
      if (errors.length === 0) {
        result = resultView(
          role,
          planMemory(role, {
            flinkVersion,
            containerMemory: form.containerMemory,
            cpu,
            slots,
            managedMemoryPerSlot: form.managedMemoryPerSlot || undefined,
            networkMemory: form.networkMemory || undefined,
          }),
        );
      }
    }
    const fieldError = (field: string) =>
      errors
        .filter((e) => e.field === field)
        .map((e) => e.message)
        .join(' ');
    return renderPage(
      request,
      reply,
      'memory',
      {
        title: 'Flink memory planner',
        form,
        errors,
        fieldErrors: { config: fieldError('config'), cpu: fieldError('cpu'), slots: fieldError('slots') },
        result,
        roleName: role === 'taskmanager' ? 'TaskManager' : 'JobManager',
        versions: FLINK_VERSIONS.map((v) => [v, `Flink ${v}`]),
        examples: EXAMPLES.map((e) => ({ label: e.label, href: `/memory?${toQueryString(e.query)}` })),
      },
      errors.length > 0 ? 422 : 200,
    );
  });
};

export default memoryPage;
