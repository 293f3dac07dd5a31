/**
 * Flink's `ConfigOption`s for the memory model and a `Configuration` reader with Flink's
 * semantics: a key counts as set when it or one of its deprecated keys is present
 * (`Configuration.contains` / `applyWithOption`); values are parsed only when read, so an
 * unparseable value Flink never reads is never an error; a parse failure reads
 * "Could not parse value '<raw>' for key '<option key>'." (`Configuration.getOptional`) even
 * when the value came from a deprecated key.
 *
 * Keys, types, defaults and deprecated keys: release-1.20 `TaskManagerOptions`,
 * `JobManagerOptions`, `NettyShuffleEnvironmentOptions` (WangS-C/flink-1.20) and the 2.x
 * `TaskManagerOptions` (apache/flink a4628798); see versions.ts.
 */

import { FlinkException, illegalConfiguration } from './errors.js';
import {
  javaDoubleToString,
  javaFloatToString,
  parseJavaDouble,
  parseJavaFloat,
  parseJavaInt,
} from './java.js';
import { formatMemorySize, KiB, MiB, parseMemorySize } from './size.js';
import type { MemoryModelProfile } from './versions.js';

export type OptionKind = 'memory' | 'float' | 'double' | 'int' | 'boolean';

export interface OptionSpec<T> {
  key: string;
  kind: OptionKind;
  deprecatedKeys: readonly string[];
  defaultValue: T | undefined;
  parse(raw: string): T;
}

/** Thrown by option parsers; carries the Java exception class Flink would throw. */
class OptionParseFailure extends Error {
  constructor(
    message: string,
    readonly javaClass: string,
  ) {
    super(message);
  }
}

function toParseFailure(error: unknown): OptionParseFailure {
  if (error instanceof OptionParseFailure) return error;
  if (error instanceof Error) {
    const javaClass =
      'javaClass' in error && typeof error.javaClass === 'string' ? error.javaClass : error.name;
    return new OptionParseFailure(error.message, javaClass);
  }
  return new OptionParseFailure(String(error), 'IllegalArgumentException');
}

function parseBoolean(raw: string): boolean {
  // ConfigurationUtils.convertToBoolean: exact TRUE/FALSE after upper-casing, no trimming.
  switch (raw.toUpperCase()) {
    case 'TRUE':
      return true;
    case 'FALSE':
      return false;
    default:
      throw new OptionParseFailure(
        `Unrecognized option for boolean: ${raw}. Expected either true or false(case insensitive)`,
        'IllegalArgumentException',
      );
  }
}

function option<T>(
  key: string,
  kind: OptionKind,
  parse: (raw: string) => T,
  defaultValue: T | undefined,
  deprecatedKeys: readonly string[] = [],
): OptionSpec<T> {
  return { key, kind, parse, defaultValue, deprecatedKeys };
}

export const memoryOption = (key: string, defaultValue?: bigint, deprecatedKeys: readonly string[] = []) =>
  option<bigint>(key, 'memory', parseMemorySize, defaultValue, deprecatedKeys);
export const floatOption = (key: string, defaultValue: number, deprecatedKeys: readonly string[] = []) =>
  option<number>(key, 'float', parseJavaFloat, defaultValue, deprecatedKeys);
export const doubleOption = (key: string, defaultValue?: number) =>
  option<number>(key, 'double', parseJavaDouble, defaultValue);
export const intOption = (key: string, defaultValue?: number) =>
  option<number>(key, 'int', parseJavaInt, defaultValue);
export const booleanOption = (key: string, defaultValue: boolean) =>
  option<boolean>(key, 'boolean', parseBoolean, defaultValue);

function describeDefault<T>(spec: OptionSpec<T>): string {
  const value = spec.defaultValue;
  if (value === undefined) return 'null';
  if (typeof value === 'bigint') return formatMemorySize(value);
  if (typeof value === 'number') {
    if (spec.kind === 'float') return javaFloatToString(value);
    if (spec.kind === 'double') return javaDoubleToString(value);
    return String(value);
  }
  return String(value);
}

/** `ConfigOption.toString()`, which Flink prints inside E1 and E2 messages. */
export function describeOption<T>(spec: OptionSpec<T>): string {
  const fallback = spec.deprecatedKeys.map((k) => `{key=${k}, isDeprecated=true}`).join(', ');
  return `Key: '${spec.key}' , default: ${describeDefault(spec)} (fallback keys: [${fallback}])`;
}

/** 0.1f and 0.4f widened to double, as Flink's Float defaults are. */
const F01 = Math.fround(0.1);
const F04 = Math.fround(0.4);

export interface TaskManagerOptions {
  totalProcess: OptionSpec<bigint>;
  totalFlink: OptionSpec<bigint>;
  frameworkHeap: OptionSpec<bigint>;
  frameworkOffHeap: OptionSpec<bigint>;
  taskHeap: OptionSpec<bigint>;
  taskOffHeap: OptionSpec<bigint>;
  managedSize: OptionSpec<bigint>;
  managedFraction: OptionSpec<number>;
  networkMin: OptionSpec<bigint>;
  networkMax: OptionSpec<bigint>;
  networkFraction: OptionSpec<number>;
  jvmMetaspace: OptionSpec<bigint>;
  jvmOverheadMin: OptionSpec<bigint>;
  jvmOverheadMax: OptionSpec<bigint>;
  jvmOverheadFraction: OptionSpec<number>;
  segmentSize: OptionSpec<bigint>;
  numberOfBuffers: OptionSpec<number>;
  slots: OptionSpec<number>;
  cpuCores: OptionSpec<number>;
  legacyHeap: OptionSpec<bigint>;
  legacyHeapMb: OptionSpec<number>;
}

/**
 * The option specs are constants of a release, and every derivation reads them: built once per
 * network.max default (the only one that differs, and it has two values).
 */
const taskManagerOptionsByNetworkMax = new Map<bigint, TaskManagerOptions>();

/** TaskManager options for a release (only network.max's default differs across 1.11–2.x). */
export function taskManagerOptions(profile: MemoryModelProfile): TaskManagerOptions {
  let options = taskManagerOptionsByNetworkMax.get(profile.networkMaxDefault);
  if (options === undefined) {
    options = Object.freeze(buildTaskManagerOptions(profile));
    taskManagerOptionsByNetworkMax.set(profile.networkMaxDefault, options);
  }
  return options;
}

function buildTaskManagerOptions(profile: MemoryModelProfile): TaskManagerOptions {
  return {
    totalProcess: memoryOption('taskmanager.memory.process.size'),
    totalFlink: memoryOption('taskmanager.memory.flink.size'),
    frameworkHeap: memoryOption('taskmanager.memory.framework.heap.size', 128n * MiB),
    frameworkOffHeap: memoryOption('taskmanager.memory.framework.off-heap.size', 128n * MiB),
    taskHeap: memoryOption('taskmanager.memory.task.heap.size'),
    taskOffHeap: memoryOption('taskmanager.memory.task.off-heap.size', 0n),
    managedSize: memoryOption('taskmanager.memory.managed.size', undefined, ['taskmanager.memory.size']),
    managedFraction: floatOption('taskmanager.memory.managed.fraction', F04),
    networkMin: memoryOption('taskmanager.memory.network.min', 64n * MiB, ['taskmanager.network.memory.min']),
    networkMax: memoryOption('taskmanager.memory.network.max', profile.networkMaxDefault, [
      'taskmanager.network.memory.max',
    ]),
    networkFraction: floatOption('taskmanager.memory.network.fraction', F01, [
      'taskmanager.network.memory.fraction',
    ]),
    jvmMetaspace: memoryOption('taskmanager.memory.jvm-metaspace.size', 256n * MiB),
    jvmOverheadMin: memoryOption('taskmanager.memory.jvm-overhead.min', 192n * MiB),
    jvmOverheadMax: memoryOption('taskmanager.memory.jvm-overhead.max', 1024n * MiB),
    jvmOverheadFraction: floatOption('taskmanager.memory.jvm-overhead.fraction', F01),
    segmentSize: memoryOption('taskmanager.memory.segment-size', 32n * KiB),
    numberOfBuffers: intOption('taskmanager.network.numberOfBuffers', 2048),
    slots: intOption('taskmanager.numberOfTaskSlots', 1),
    cpuCores: doubleOption('taskmanager.cpu.cores'),
    legacyHeap: memoryOption('taskmanager.heap.size'),
    legacyHeapMb: intOption('taskmanager.heap.mb'),
  };
}

export interface JobManagerOptions {
  totalProcess: OptionSpec<bigint>;
  totalFlink: OptionSpec<bigint>;
  jvmHeap: OptionSpec<bigint>;
  offHeap: OptionSpec<bigint>;
  directMemoryLimit: OptionSpec<boolean>;
  jvmMetaspace: OptionSpec<bigint>;
  jvmOverheadMin: OptionSpec<bigint>;
  jvmOverheadMax: OptionSpec<bigint>;
  jvmOverheadFraction: OptionSpec<number>;
  legacyHeap: OptionSpec<bigint>;
  legacyHeapMb: OptionSpec<number>;
}

/** JobManager options (release-1.20 `JobManagerOptions`): constants, built once. */
const JOB_MANAGER_OPTIONS: JobManagerOptions = Object.freeze({
  totalProcess: memoryOption('jobmanager.memory.process.size'),
  totalFlink: memoryOption('jobmanager.memory.flink.size'),
  jvmHeap: memoryOption('jobmanager.memory.heap.size'),
  offHeap: memoryOption('jobmanager.memory.off-heap.size', 128n * MiB),
  directMemoryLimit: booleanOption('jobmanager.memory.enable-jvm-direct-memory-limit', false),
  jvmMetaspace: memoryOption('jobmanager.memory.jvm-metaspace.size', 256n * MiB),
  jvmOverheadMin: memoryOption('jobmanager.memory.jvm-overhead.min', 192n * MiB),
  jvmOverheadMax: memoryOption('jobmanager.memory.jvm-overhead.max', 1024n * MiB),
  jvmOverheadFraction: floatOption('jobmanager.memory.jvm-overhead.fraction', F01),
  legacyHeap: memoryOption('jobmanager.heap.size'),
  legacyHeapMb: intOption('jobmanager.heap.mb'),
});

/** JobManager options (release-1.20 `JobManagerOptions`). */
export function jobManagerOptions(): JobManagerOptions {
  return JOB_MANAGER_OPTIONS;
}

/**
 * Flink's log lines (INFO/WARN) that explain a derivation, deduplicated, in order. A line may be
 * given as a function: it is formatted only when `lines` is read. The engine derives plans whose
 * notes nobody reads, and formatting their byte amounts (`formatHumanReadable`) was a visible
 * share of each derivation.
 */
export class NoteLog {
  private readonly pending: (string | (() => string))[] = [];
  private formatted: string[] | undefined;
  add(line: string | (() => string)): void {
    this.pending.push(line);
    this.formatted = undefined;
  }
  get lines(): string[] {
    if (this.formatted === undefined) {
      const seen = new Set<string>();
      this.formatted = [];
      for (const entry of this.pending) {
        const line = typeof entry === 'string' ? entry : entry();
        if (seen.has(line)) continue;
        seen.add(line);
        this.formatted.push(line);
      }
    }
    return this.formatted;
  }
}

/** A Flink `Configuration` over string values, with Flink's lookup and parse semantics. */
export class FlinkConfiguration {
  private constructor(
    private readonly entries: ReadonlyMap<string, string>,
    readonly log: NoteLog,
  ) {}

  static of(config: Readonly<Record<string, string>>, log: NoteLog = new NoteLog()): FlinkConfiguration {
    const entries = new Map<string, string>();
    for (const key of Object.keys(config)) {
      const value = config[key];
      if (typeof value === 'string') entries.set(key, value);
    }
    return new FlinkConfiguration(entries, log);
  }

  /** A copy with one key set (as Flink's `new Configuration(config).set(…)`). */
  with(key: string, value: string): FlinkConfiguration {
    const entries = new Map(this.entries);
    entries.set(key, value);
    return new FlinkConfiguration(entries, this.log);
  }

  /** A copy with one key removed. */
  without(key: string): FlinkConfiguration {
    const entries = new Map(this.entries);
    entries.delete(key);
    return new FlinkConfiguration(entries, this.log);
  }

  toRecord(): Record<string, string> {
    return Object.fromEntries(this.entries);
  }

  /** The key actually holding the option's value: its own key, else the first deprecated key present. */
  keyFor<T>(spec: OptionSpec<T>): string | undefined {
    if (this.entries.has(spec.key)) return spec.key;
    const fallback = spec.deprecatedKeys.find((k) => this.entries.has(k));
    if (fallback !== undefined) {
      this.log.add(
        `Config uses deprecated configuration key '${fallback}' instead of proper key '${spec.key}'`,
      );
    }
    return fallback;
  }

  /** `Configuration.contains(option)`. */
  contains<T>(spec: OptionSpec<T>): boolean {
    return this.keyFor(spec) !== undefined;
  }

  /** The raw string of a set option. */
  raw<T>(spec: OptionSpec<T>): string | undefined {
    const key = this.keyFor(spec);
    return key === undefined ? undefined : this.entries.get(key);
  }

  /**
   * `Configuration.get(option)`: the parsed value, else the default.
   *
   * @throws FlinkException "Could not parse value '…' for key '…'." (IllegalArgumentException)
   */
  get<T>(spec: OptionSpec<T>): T | undefined {
    const key = this.keyFor(spec);
    if (key === undefined) return spec.defaultValue;
    const raw = this.entries.get(key) ?? '';
    try {
      return spec.parse(raw);
    } catch (error) {
      const failure = toParseFailure(error);
      throw new FlinkException(
        'IllegalArgumentException',
        `Could not parse value '${raw}' for key '${spec.key}'.`,
        {
          code: 'PARSE',
          option: spec.key,
          facts: { key, raw, kind: spec.kind },
          cause: new FlinkException(failure.javaClass, failure.message),
        },
      );
    }
  }

  /**
   * `ProcessMemoryUtils.getMemorySizeFromConfig`: like `get`, but any failure is wrapped in
   * "Cannot read memory size from config option '<key>'." (an IllegalConfigurationException).
   */
  memory(spec: OptionSpec<bigint>): bigint {
    let value: bigint | undefined;
    try {
      value = this.get(spec);
    } catch (error) {
      if (!(error instanceof FlinkException)) throw error;
      throw illegalConfiguration(`Cannot read memory size from config option '${spec.key}'.`, {
        cause: error,
        wrapper: true,
      });
    }
    if (value === undefined) {
      throw illegalConfiguration(`Cannot read memory size from config option '${spec.key}'.`, {
        wrapper: true,
        cause: new FlinkException(
          'NullPointerException',
          'The memory option is not set and has no default value.',
        ),
      });
    }
    return value;
  }
}
