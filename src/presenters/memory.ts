import {
  type Derivation,
  deriveJobManager,
  deriveTaskManager,
  type FlinkVersion,
  type JobManagerPlan,
  MemorySizeParseError,
  parseMemorySize,
  planJobManager,
  planTaskManager,
  type TaskManagerPlan,
} from '../estimator/memory/index.js';
import { parseKubernetesQuantityBytes, QuantityParseError } from '../jobspec/quantity.js';

/**
 * What the memory endpoints and the /memory page show for a configuration: Flink's derivation
 * (bytes stay bigint here; the API writes them as exact JSON integers) or Flink's rejection.
 */
export type MemoryRole = 'taskmanager' | 'jobmanager';

export type MemoryResult =
  | {
      valid: true;
      flinkVersion: FlinkVersion;
      memory: Record<string, bigint>;
      jvmArgs: Record<string, bigint | null>;
      networkBuffers?: bigint;
      segmentSize?: bigint;
      slots?: number;
      cpuCores?: number;
      perSlot?: Record<string, bigint | number>;
      containerMemoryMiB: bigint;
      derivedFrom: string;
      notes: string[];
      /** The options that produced it (the reverse planner's output, or the input). */
      config: Record<string, string>;
    }
  | {
      valid: false;
      flinkVersion: FlinkVersion;
      error: { message: string; hint: string; option?: string; code?: string };
    };

/**
 * The JVM flags with MaxDirectMemorySize as null when Flink passes none (a JobManager without
 * jobmanager.memory.enable-jvm-direct-memory-limit: true).
 */
const jvmArgsJson = (args: TaskManagerPlan['jvmArgs']): Record<string, bigint | null> => ({
  Xmx: args.Xmx,
  Xms: args.Xms,
  MaxDirectMemorySize: args.MaxDirectMemorySize ?? null,
  MaxMetaspaceSize: args.MaxMetaspaceSize,
});

function fromTaskManager(
  plan: TaskManagerPlan,
  version: FlinkVersion,
  config: Record<string, string>,
): MemoryResult {
  return {
    valid: true,
    flinkVersion: version,
    memory: { ...plan.memory },
    jvmArgs: jvmArgsJson(plan.jvmArgs),
    networkBuffers: plan.networkBuffers,
    segmentSize: plan.segmentSize,
    slots: plan.slots,
    cpuCores: plan.cpuCores,
    perSlot: { ...plan.perSlot },
    containerMemoryMiB: plan.containerMemoryMiB,
    derivedFrom: plan.derivedFrom,
    notes: plan.notes,
    config,
  };
}

function fromJobManager(
  plan: JobManagerPlan,
  version: FlinkVersion,
  config: Record<string, string>,
): MemoryResult {
  return {
    valid: true,
    flinkVersion: version,
    memory: { ...plan.memory },
    jvmArgs: jvmArgsJson(plan.jvmArgs),
    containerMemoryMiB: plan.containerMemoryMiB,
    derivedFrom: plan.derivedFrom,
    notes: plan.notes,
    config,
  };
}

function rejected(
  derivation: Extract<Derivation<unknown>, { valid: false }>,
  version: FlinkVersion,
): MemoryResult {
  const { message, hint, option, code } = derivation.error;
  return {
    valid: false,
    flinkVersion: version,
    error: { message, hint, ...(option ? { option } : {}), ...(code ? { code } : {}) },
  };
}

/** Derives a configuration exactly as Flink does (docs/api.md). */
export function deriveMemory(
  role: MemoryRole,
  config: Record<string, string>,
  version: FlinkVersion,
): MemoryResult {
  if (role === 'taskmanager') {
    const d = deriveTaskManager(config, version);
    return d.valid ? fromTaskManager(d.plan, version, config) : rejected(d, version);
  }
  const d = deriveJobManager(config, version);
  return d.valid ? fromJobManager(d.plan, version, config) : rejected(d, version);
}

export interface ParsedContainerMemory {
  bytes: bigint;
  /** Which syntax matched: Flink's MemorySize (binary units) or a Kubernetes quantity. */
  syntax: 'flink' | 'kubernetes';
}

/**
 * A container size as the Flink Kubernetes Operator reads `resource.memory`: Flink's MemorySize
 * syntax first ("8g" = 8 GiB), else a Kubernetes quantity ("8Gi", "8192Mi", "8G" = 8·10^9).
 */
export function parseContainerMemory(text: string): ParsedContainerMemory {
  try {
    return { bytes: parseMemorySize(text), syntax: 'flink' };
  } catch (error) {
    if (!(error instanceof MemorySizeParseError)) throw error;
  }
  try {
    return { bytes: parseKubernetesQuantityBytes(text.replace(/\s+/g, '')), syntax: 'kubernetes' };
  } catch (error) {
    if (!(error instanceof QuantityParseError)) throw error;
    throw new Error(
      `"${text}" is neither a Flink memory size (e.g. "8g", "4096m") nor a Kubernetes quantity (e.g. "8Gi")`,
    );
  }
}

export interface PlanRequest {
  flinkVersion: FlinkVersion;
  containerMemory: string;
  cpu: number;
  slots?: number | undefined;
  managedMemoryPerSlot?: string | undefined;
  networkMemory?: string | undefined;
}

/** The reverse planner: options that fill a container exactly and that Flink accepts. */
export function planMemory(
  role: MemoryRole,
  request: PlanRequest,
): MemoryResult & { containerSyntax?: string } {
  const version = request.flinkVersion;
  let container: ParsedContainerMemory;
  const sizes: Record<string, bigint | undefined> = {};
  try {
    container = parseContainerMemory(request.containerMemory);
    for (const key of ['managedMemoryPerSlot', 'networkMemory'] as const) {
      const text = request[key];
      if (text !== undefined && text.trim() !== '') sizes[key] = parseMemorySize(text);
    }
  } catch (error) {
    return {
      valid: false,
      flinkVersion: version,
      error: {
        message: (error as Error).message,
        hint: 'Write sizes like "8g", "4096m" or "8Gi".',
        code: 'PARSE',
      },
    };
  }
  if (role === 'jobmanager') {
    const d = planJobManager({ version, processMemory: container.bytes, cpuCores: request.cpu });
    return d.valid
      ? { ...fromJobManager(d.plan.plan, version, d.plan.config), containerSyntax: container.syntax }
      : rejected(d, version);
  }
  const slots = request.slots ?? Math.max(1, Math.floor(request.cpu));
  const d = planTaskManager({
    version,
    processMemory: container.bytes,
    cpuCores: request.cpu,
    slots,
    ...(sizes.managedMemoryPerSlot !== undefined ? { managedPerSlot: sizes.managedMemoryPerSlot } : {}),
    ...(sizes.networkMemory !== undefined ? { networkMemory: sizes.networkMemory } : {}),
  });
  return d.valid
    ? { ...fromTaskManager(d.plan.plan, version, d.plan.config), containerSyntax: container.syntax }
    : rejected(d, version);
}

/**
 * JSON text with every bigint written as a bare integer, exact beyond 2^53 (Flink sizes go up
 * to Long.MAX_VALUE). JSON.rawJSON would do this but is not in Node 20.
 */
export function toExactJson(value: unknown): string {
  const marker = `__bigint_${Math.random().toString(36).slice(2)}__`;
  const text = JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'bigint' ? `${marker}${v.toString()}` : v,
  );
  return text.replace(new RegExp(`"${marker}(-?\\d+)"`, 'g'), '$1');
}
