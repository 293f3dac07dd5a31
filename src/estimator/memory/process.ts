/**
 * The part of the memory model TaskManager and JobManager share: which of the three paths to
 * take, and the JVM metaspace/overhead step around "total Flink memory".
 *
 * Re-derived from release-1.20
 * `flink-runtime/src/main/java/org/apache/flink/runtime/util/config/memory/ProcessMemoryUtils.java`
 * (`memoryProcessSpecFromConfig`, `deriveJvmMetaspaceAndOverheadWithTotalProcessMemory`,
 * `deriveJvmMetaspaceAndOverheadFromTotalFlinkMemory`, `getRangeFraction`,
 * `deriveWithFraction`, `deriveWithInverseFraction`, `capToMinMax`) and `RangeFraction.java`.
 * Options are read in the same order as Flink reads them, so the first failure reported is the
 * one Flink reports.
 */

import { FlinkException, illegalConfiguration } from './errors.js';
import {
  capToMinMax,
  inverseFractionMultiplier,
  isValidRangeFraction,
  JavaArithmeticError,
  multiplyBytes,
} from './fraction.js';
import { javaDoubleToString, LONG_MAX } from './java.js';
import { describeOption, type FlinkConfiguration, type OptionSpec } from './options.js';
import { formatHumanReadable } from './size.js';

const hr = formatHumanReadable;

function arithmetic(error: unknown): never {
  if (error instanceof JavaArithmeticError) {
    throw new FlinkException(error.javaClass, error.message, { code: 'OVERFLOW' });
  }
  throw error;
}

/** `MemorySize.add` (Math.addExact). */
export function addBytes(...parts: bigint[]): bigint {
  let sum = 0n;
  for (const part of parts) {
    sum += part;
    if (sum > LONG_MAX)
      throw new FlinkException('ArithmeticException', 'long overflow', { code: 'OVERFLOW' });
  }
  return sum;
}

/** `MemorySize.multiply(double)` with Flink's exceptions. */
export function multiply(bytes: bigint, multiplier: number): bigint {
  try {
    return multiplyBytes(bytes, multiplier);
  } catch (error) {
    return arithmetic(error);
  }
}

/** A validated `RangeFraction`, with the keys it was read from for hints. */
export interface RangeFraction {
  min: bigint;
  max: bigint;
  fraction: number;
}

/**
 * `ProcessMemoryUtils.getRangeFraction`: reads the fraction (a parse failure surfaces as is) and
 * checks min ≤ max and 0 ≤ fraction < 1 (E2).
 */
export function readRangeFraction(
  conf: FlinkConfiguration,
  min: bigint,
  max: bigint,
  fractionOption: OptionSpec<number>,
  rangeKeys: { minKey?: string; maxKey?: string },
): RangeFraction {
  const fraction = conf.get(fractionOption) ?? 0;
  if (!isValidRangeFraction(min, max, fraction)) {
    const cause =
      min <= max ? 'fraction must be in range [0, 1)' : 'min value must be less or equal to max value';
    throw illegalConfiguration(
      `Inconsistently configured ${describeOption(fractionOption)} (${javaDoubleToString(fraction)}) and its min (${hr(min)}), max (${hr(max)}) value`,
      {
        code: 'E2',
        option: min <= max ? fractionOption.key : rangeKeys.minKey,
        facts: {
          fractionKey: conf.keyFor(fractionOption) ?? fractionOption.key,
          fraction,
          min,
          max,
          minKey: rangeKeys.minKey,
          maxKey: rangeKeys.maxKey,
          rangeInverted: min > max,
        },
        cause: new FlinkException('IllegalArgumentException', cause),
      },
    );
  }
  return { min, max, fraction };
}

function logCap(
  log: FlinkConfiguration['log'],
  description: string,
  relative: bigint,
  range: RangeFraction,
  capped: 'min' | 'max' | undefined,
): void {
  if (capped === 'max') {
    log.add(
      () =>
        `The derived from fraction ${description} (${hr(relative)}) is greater than its max value ${hr(range.max)}, max value will be used instead`,
    );
  } else if (capped === 'min') {
    log.add(
      () =>
        `The derived from fraction ${description} (${hr(relative)}) is less than its min value ${hr(range.min)}, min value will be used instead`,
    );
  }
}

/** `deriveWithFraction`: base × fraction, capped to [min, max]. */
export function deriveWithFraction(
  conf: FlinkConfiguration,
  description: string,
  base: bigint,
  range: RangeFraction,
): bigint {
  const relative = multiply(base, range.fraction);
  const { value, capped } = capToMinMax(relative, range.min, range.max);
  logCap(conf.log, description, relative, range, capped);
  return value;
}

/** `deriveWithInverseFraction`: base × f/(1−f), capped to [min, max]. */
export function deriveWithInverseFraction(
  conf: FlinkConfiguration,
  description: string,
  base: bigint,
  range: RangeFraction,
): bigint {
  const relative = multiply(base, inverseFractionMultiplier(range.fraction));
  const { value, capped } = capToMinMax(relative, range.min, range.max);
  logCap(conf.log, description, relative, range, capped);
  return value;
}

/** The options one process type (TaskManager or JobManager) reads in the shared part. */
export interface ProcessMemoryOptionSet {
  /** Both set → path A (TM: task heap + managed; JM: heap). */
  requiredFineGrained: readonly OptionSpec<bigint>[];
  totalFlink: OptionSpec<bigint>;
  totalProcess: OptionSpec<bigint>;
  jvmMetaspace: OptionSpec<bigint>;
  jvmOverheadMin: OptionSpec<bigint>;
  jvmOverheadMax: OptionSpec<bigint>;
  jvmOverheadFraction: OptionSpec<number>;
}

/** The process-specific part of the derivation (`FlinkMemoryUtils`). */
export interface FlinkMemoryDeriver<FM> {
  fromRequiredFineGrained(conf: FlinkConfiguration): FM;
  fromTotalFlink(conf: FlinkConfiguration, totalFlink: bigint): FM;
  totalFlink(memory: FM): bigint;
}

export type DerivationPath = 'fine-grained' | 'total-flink' | 'total-process';

export interface ProcessMemorySpec<FM> {
  flink: FM;
  metaspace: bigint;
  overhead: bigint;
  path: DerivationPath;
}

function overheadRange(conf: FlinkConfiguration, options: ProcessMemoryOptionSet): RangeFraction {
  const min = conf.memory(options.jvmOverheadMin);
  const max = conf.memory(options.jvmOverheadMax);
  return readRangeFraction(conf, min, max, options.jvmOverheadFraction, {
    minKey: options.jvmOverheadMin.key,
    maxKey: options.jvmOverheadMax.key,
  });
}

/** `ProcessMemoryUtils.memoryProcessSpecFromConfig`. */
export function deriveProcessMemory<FM>(
  conf: FlinkConfiguration,
  options: ProcessMemoryOptionSet,
  deriver: FlinkMemoryDeriver<FM>,
): ProcessMemorySpec<FM> {
  if (options.requiredFineGrained.every((o) => conf.contains(o))) {
    const flink = deriver.fromRequiredFineGrained(conf);
    const jvm = jvmFromTotalFlink(conf, options, deriver.totalFlink(flink));
    return { flink, ...jvm, path: 'fine-grained' };
  }
  if (conf.contains(options.totalFlink)) {
    const totalFlink = conf.memory(options.totalFlink);
    const flink = deriver.fromTotalFlink(conf, totalFlink);
    const jvm = jvmFromTotalFlink(conf, options, totalFlink);
    return { flink, ...jvm, path: 'total-flink' };
  }
  if (conf.contains(options.totalProcess)) {
    const process = conf.memory(options.totalProcess);
    const jvm = jvmFromTotalProcess(conf, options, process);
    const totalFlink = process - (jvm.metaspace + jvm.overhead);
    const flink = deriver.fromTotalFlink(conf, totalFlink);
    return { flink, ...jvm, path: 'total-process' };
  }
  const required = options.requiredFineGrained.map((o) => o.key).join(' and ');
  throw illegalConfiguration(
    `Either required fine-grained memory (${required}), or Total Flink Memory size (${describeOption(options.totalFlink)}), or Total Process Memory size (${describeOption(options.totalProcess)}) need to be configured explicitly.`,
    {
      code: 'E1',
      facts: {
        set: options.requiredFineGrained
          .filter((o) => conf.contains(o))
          .map((o) => o.key)
          .join(','),
      },
    },
  );
}

/** Path C's first step: overhead as a plain fraction of the process size (E3 when it does not fit). */
function jvmFromTotalProcess(
  conf: FlinkConfiguration,
  options: ProcessMemoryOptionSet,
  process: bigint,
): { metaspace: bigint; overhead: bigint } {
  const metaspace = conf.memory(options.jvmMetaspace);
  const overhead = deriveWithFraction(conf, 'jvm overhead memory', process, overheadRange(conf, options));
  const sum = addBytes(metaspace, overhead);
  if (sum > process) {
    throw illegalConfiguration(
      `Sum of configured JVM Metaspace (${hr(metaspace)}) and JVM Overhead (${hr(overhead)}) exceed configured Total Process Memory (${hr(process)}).`,
      { code: 'E3', option: options.totalProcess.key, facts: { metaspace, overhead, process } },
    );
  }
  return { metaspace, overhead };
}

/**
 * `deriveJvmMetaspaceAndOverheadFromTotalFlinkMemory`: with process.size set, the overhead is
 * the remainder and must fit its range (E6/E7); otherwise it is an inverse fraction of
 * total Flink + metaspace.
 */
function jvmFromTotalFlink(
  conf: FlinkConfiguration,
  options: ProcessMemoryOptionSet,
  totalFlink: bigint,
): { metaspace: bigint; overhead: bigint } {
  const metaspace = conf.memory(options.jvmMetaspace);
  const flinkAndMetaspace = addBytes(totalFlink, metaspace);
  if (conf.contains(options.totalProcess)) {
    const process = conf.memory(options.totalProcess);
    if (process < flinkAndMetaspace) {
      throw illegalConfiguration(
        `The configured Total Process Memory size (${hr(process)}) is less than the sum of the derived Total Flink Memory size (${hr(totalFlink)}) and the configured or default JVM Metaspace size  (${hr(metaspace)}).`,
        { code: 'E6', option: options.totalProcess.key, facts: { process, totalFlink, metaspace } },
      );
    }
    const overhead = process - flinkAndMetaspace;
    const range = overheadRange(conf, options);
    if (overhead > range.max || overhead < range.min) {
      throw illegalConfiguration(
        `Derived JVM Overhead size (${hr(overhead)}) is not in configured JVM Overhead range [${hr(range.min)}, ${hr(range.max)}].`,
        {
          code: 'E7',
          option: options.totalProcess.key,
          facts: {
            overhead,
            min: range.min,
            max: range.max,
            side: overhead < range.min ? 'below' : 'above',
            process,
            totalFlink,
            metaspace,
          },
        },
      );
    }
    if (conf.contains(options.jvmOverheadFraction) && overhead !== multiply(process, range.fraction)) {
      conf.log.add(
        () =>
          `The derived JVM Overhead size (${hr(overhead)}) does not match the configured or default JVM Overhead fraction (${javaDoubleToString(range.fraction)}) from the configured Total Process Memory size (${hr(process)}). The derived JVM Overhead size will be used.`,
      );
    }
    return { metaspace, overhead };
  }
  const overhead = deriveWithInverseFraction(
    conf,
    'jvm overhead memory',
    flinkAndMetaspace,
    overheadRange(conf, options),
  );
  return { metaspace, overhead };
}
