import type { FastifyPluginAsync } from 'fastify';
import { FLINK_VERSIONS, type FlinkVersion } from '../../estimator/memory/index.js';
import { deriveMemory, type MemoryResult, type MemoryRole, planMemory } from '../../presenters/memory.js';
import { parseConfigText } from '../../web/forms/flink-options.js';
import { memoryBar } from '../../web/memory-bar.js';
import { memoryComponents, roleName } from '../../web/memory-components.js';
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
 * The process pasted options configure, when their memory keys name only one
 * (`jobmanager.memory.*` or `taskmanager.memory.*`); otherwise the one chosen in the form.
 */
function roleOfOptions(config: Record<string, string>, chosen: MemoryRole): MemoryRole {
  const keys = Object.keys(config);
  const jm = keys.some((k) => k.startsWith('jobmanager.memory.'));
  const tm = keys.some(
    (k) => k.startsWith('taskmanager.memory.') || k.startsWith('taskmanager.numberOfTaskSlots'),
  );
  if (jm && !tm) return 'jobmanager';
  if (tm && !jm) return 'taskmanager';
  return chosen;
}

/**
 * Which of the two ways in was used: the one filled in; when both are, the one the form or link
 * names (`mode`), else the pasted options.
 */
function chosenMode(
  mode: string | undefined,
  config: string,
  container: string,
): 'config' | 'container' | undefined {
  const hasConfig = config.trim() !== '';
  const hasContainer = container.trim() !== '';
  if (hasConfig && hasContainer) return mode === 'container' ? 'container' : 'config';
  if (hasConfig) return 'config';
  if (hasContainer) return 'container';
  return undefined;
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

const slotLabel = (key: string) =>
  key === 'cpuCores' ? 'CPU' : (memoryComponents('taskmanager').find((c) => c.key === key)?.label ?? key);

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
    rows: memoryComponents(role).map(({ key, label, option, part }) => {
      const bytes = Number(result.memory[key] ?? 0n);
      return {
        label,
        option,
        bytes,
        exact: (result.memory[key] ?? 0n).toString(),
        percent: total > 0 ? `${((bytes / total) * 100).toFixed(1)}%` : '',
        total: !part,
      };
    }),
    flags,
    networkBuffers: result.networkBuffers !== undefined ? Number(result.networkBuffers) : undefined,
    segmentSize: result.segmentSize !== undefined ? Number(result.segmentSize) : undefined,
    slots: result.slots,
    cpuCores: result.cpuCores,
    perSlot: result.perSlot
      ? Object.entries(result.perSlot).map(([key, value]) => ({
          label: slotLabel(key),
          value: Number(value),
          isCpu: key === 'cpuCores',
        }))
      : [],
    containerMiB: Number(result.containerMemoryMiB),
    derivedFrom: DERIVED_FROM[result.derivedFrom] ?? result.derivedFrom,
    notes: result.notes,
    configText: Object.entries(result.config)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n'),
  };
}

/**
 * Which size Flink derived the rest from, in words (the API keeps the code names): the explicit
 * heap (and managed) sizes first, then total Flink memory, then total process memory — the order
 * TaskExecutorProcessUtils and JobManagerProcessUtils try them.
 */
const DERIVED_FROM: Record<string, string> = {
  'task-heap-and-managed': 'the task heap and managed memory sizes',
  heap: 'the JVM heap size',
  'total-flink': 'the total Flink memory size',
  'total-process': 'the total process memory size',
};

const toQueryString = (query: Record<string, string>) => new URLSearchParams(query).toString();

/** The memory planner page: paste options or give a container size; all GET, so results can be shared. */
const memoryPage: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: MemoryQuery }>('/memory', { schema: { hide: true } }, async (request, reply) => {
    const q = request.query;
    const chosenRole: MemoryRole = q.role === 'jobmanager' ? 'jobmanager' : 'taskmanager';
    const flinkVersion: FlinkVersion = FLINK_VERSIONS.includes(q.flinkVersion as FlinkVersion)
      ? (q.flinkVersion as FlinkVersion)
      : '1.20';
    const form = {
      role: chosenRole,
      flinkVersion,
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
    const mode = chosenMode(q.mode, form.config, form.containerMemory);
    let role = chosenRole;

    if (mode === 'config') {
      const parsed = parseConfigText(form.config);
      for (const message of parsed.errors) errors.push({ field: 'config', label: 'Flink options', message });
      role = roleOfOptions(parsed.config, chosenRole);
      if (parsed.errors.length === 0)
        result = resultView(role, deriveMemory(role, parsed.config, flinkVersion));
    } else if (mode === 'container') {
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
    form.role = role;
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
        mode,
        role,
        roleName: roleName(role),
        bothFilled: form.config.trim() !== '' && form.containerMemory.trim() !== '',
        versions: FLINK_VERSIONS.map((v) => [v, `Flink ${v}`]),
        examples: EXAMPLES.map((e) => ({ label: e.label, href: `/memory?${toQueryString(e.query)}` })),
      },
      errors.length > 0 ? 422 : 200,
    );
  });
};

export default memoryPage;
