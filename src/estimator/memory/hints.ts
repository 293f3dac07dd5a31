/**
 * Hints: for each rejection, the smallest change that makes Flink accept the configuration.
 *
 * Sizes are not guessed: where a total (process or total Flink memory) has to move, the hint
 * probes the derivation itself at whole-MiB values (galloping, then binary search; each
 * rejection says whether the total was too small or too large) and names the first value Flink
 * accepts.
 */

import type { FailureDescription } from './errors.js';
import { javaTrim } from './java.js';
import { formatHumanReadable, formatMemorySizeCompact, GiB, KiB, MiB, parseMemorySize, TiB } from './size.js';
import type { FlinkConfig } from './types.js';

const hr = formatHumanReadable;
const fmt = formatMemorySizeCompact;

/** Outcome of one probe, as far as a search needs it. */
export type ProbeOutcome = { valid: true } | { valid: false; failure: FailureDescription };
export type Probe = (config: FlinkConfig) => ProbeOutcome;

type Variable = 'process' | 'flink';
type Direction = 'ok' | 'more' | 'less' | 'other';

/** The keys a hint may name, per process type. */
interface HintKeys {
  process: string;
  flink: string;
  metaspace: string;
  overheadMin: string;
  overheadMax: string;
  overheadFraction: string;
  /** A total that Flink accepts in the shipped config.yaml (TM 1728m, JM 1600m). */
  shippedProcess: string;
}

const TM_KEYS: HintKeys = {
  process: 'taskmanager.memory.process.size',
  flink: 'taskmanager.memory.flink.size',
  metaspace: 'taskmanager.memory.jvm-metaspace.size',
  overheadMin: 'taskmanager.memory.jvm-overhead.min',
  overheadMax: 'taskmanager.memory.jvm-overhead.max',
  overheadFraction: 'taskmanager.memory.jvm-overhead.fraction',
  shippedProcess: '1728m',
};

const JM_KEYS: HintKeys = {
  process: 'jobmanager.memory.process.size',
  flink: 'jobmanager.memory.flink.size',
  metaspace: 'jobmanager.memory.jvm-metaspace.size',
  overheadMin: 'jobmanager.memory.jvm-overhead.min',
  overheadMax: 'jobmanager.memory.jvm-overhead.max',
  overheadFraction: 'jobmanager.memory.jvm-overhead.fraction',
  shippedProcess: '1600m',
};

/** Largest total a search considers: 8 TiB. */
const MAX_MIB = (8n * TiB) / MiB;

function big(value: unknown): bigint {
  return typeof value === 'bigint' ? value : 0n;
}

/** Which way a total should move to cure a rejection (or 'other' when moving it cannot help). */
function direction(outcome: ProbeOutcome, variable: Variable): Direction {
  if (outcome.valid) return 'ok';
  const { code, source } = outcome.failure;
  const side = source.facts.side;
  const towardsMore = (below: boolean): Direction => (below ? 'more' : 'less');
  switch (code) {
    case 'E3':
    case 'E4':
    case 'J4':
      return 'more';
    case 'J3':
      return variable === 'flink' ? 'more' : 'other';
    case 'E6':
      return variable === 'process' ? 'more' : 'less';
    case 'E5':
      return towardsMore(side === 'below');
    case 'E7':
      // overhead = process − flink − metaspace: a larger process raises it, a larger flink lowers it.
      return variable === 'process' ? towardsMore(side === 'below') : towardsMore(side !== 'below');
    default:
      return 'other';
  }
}

function withTotal(config: FlinkConfig, key: string, mib: bigint): FlinkConfig {
  return { ...config, [key]: `${mib}m` };
}

/**
 * Narrows [low, high] (low satisfies `isLow`, high does not) to adjacent values.
 */
function bisect(low: bigint, high: bigint, isLow: (value: bigint) => boolean): { low: bigint; high: bigint } {
  let lo = low;
  let hi = high;
  while (hi - lo > 1n) {
    const mid: bigint = (lo + hi) / 2n;
    if (isLow(mid)) lo = mid;
    else hi = mid;
  }
  return { low: lo, high: hi };
}

/**
 * The smallest (up) or largest (down) whole-MiB value of `key` at which the derivation is
 * accepted, starting from the current value; undefined when moving the total alone cannot help.
 */
export function searchTotal(
  config: FlinkConfig,
  key: string,
  variable: Variable,
  current: bigint,
  way: 'up' | 'down',
  probe: Probe,
): bigint | undefined {
  const cache = new Map<bigint, Direction>();
  const classify = (mib: bigint): Direction => {
    let d = cache.get(mib);
    if (d === undefined) {
      d = direction(probe(withTotal(config, key, mib)), variable);
      cache.set(mib, d);
    }
    return d;
  };
  if (way === 'up') {
    let lo: bigint | undefined;
    let hi = current <= 0n ? 1n : (current + MiB - 1n) / MiB;
    while (classify(hi) === 'more') {
      lo = hi;
      if (hi >= MAX_MIB) return undefined;
      hi = hi * 2n > MAX_MIB ? MAX_MIB : hi * 2n;
    }
    if (lo !== undefined) hi = bisect(lo, hi, (mid) => classify(mid) === 'more').high;
    return classify(hi) === 'ok' ? hi * MiB : undefined;
  }
  let hi: bigint | undefined;
  let lo = current / MiB;
  if (lo < 1n) return undefined;
  while (classify(lo) === 'less') {
    hi = lo;
    if (lo <= 1n) return undefined;
    lo = lo / 2n;
  }
  if (hi !== undefined) lo = bisect(lo, hi, (mid) => classify(mid) !== 'less').low;
  return classify(lo) === 'ok' ? lo * MiB : undefined;
}

function currentBytes(config: FlinkConfig, key: string): bigint {
  const raw = config[key];
  if (raw === undefined) return 0n;
  try {
    return parseMemorySize(raw);
  } catch {
    return 0n;
  }
}

/** "Raise <key> to at least <v>" / "Lower <key> to at most <v>", from a search. */
function moveTotal(
  config: FlinkConfig,
  key: string,
  variable: Variable,
  way: 'up' | 'down',
  probe: Probe,
  processKey?: string,
): string | undefined {
  const verb = (k: string, bytes: bigint, w: 'up' | 'down'): string =>
    w === 'up' ? `Raise ${k} to at least ${fmt(bytes)}` : `Lower ${k} to at most ${fmt(bytes)}`;
  const found = searchTotal(config, key, variable, currentBytes(config, key), way, probe);
  if (found !== undefined) return verb(key, found, way);
  // Total Flink memory may only be fixable together with the process size around it: size
  // total Flink as if the process size were free, then fit the process size to it.
  if (variable !== 'flink' || processKey === undefined || config[processKey] === undefined) return undefined;
  const { [processKey]: _process, ...withoutProcess } = config;
  const flink = searchTotal(withoutProcess, key, 'flink', currentBytes(config, key), way, probe);
  if (flink === undefined) return undefined;
  const adjusted = { ...config, [key]: fmt(flink) };
  const need = direction(probe(adjusted), 'process');
  if (need === 'ok') return verb(key, flink, way);
  if (need === 'other') return undefined;
  const processWay = need === 'more' ? 'up' : 'down';
  const process = searchTotal(
    adjusted,
    processKey,
    'process',
    currentBytes(config, processKey),
    processWay,
    probe,
  );
  if (process === undefined) return undefined;
  return `${verb(key, flink, way)} and set ${processKey} to ${fmt(process)}`;
}

function sentence(...parts: (string | undefined)[]): string {
  const text = parts.filter((p): p is string => p !== undefined && p.length > 0).join(', or ');
  return text.endsWith('.') ? text : `${text}.`;
}

const UNIT_MULTIPLIERS: Record<string, bigint> = {
  '': 1n,
  b: 1n,
  bytes: 1n,
  k: KiB,
  kb: KiB,
  kibibytes: KiB,
  m: MiB,
  mb: MiB,
  mebibytes: MiB,
  g: GiB,
  gb: GiB,
  gibibytes: GiB,
  t: TiB,
  tb: TiB,
  tebibytes: TiB,
};

/** A Flink-valid spelling of what the user probably meant ("1.5g" → "1536m"). */
export function suggestMemorySize(raw: string): string | undefined {
  const match = /^(\d*)(?:[.,](\d+))?\s*([a-zA-Z]*)$/.exec(javaTrim(raw));
  if (!match) return undefined;
  const [, whole = '', fraction = '', unit = ''] = match;
  const multiplier = UNIT_MULTIPLIERS[unit.toLowerCase()];
  if (multiplier === undefined || (whole === '' && fraction === '')) return undefined;
  const scale = 10n ** BigInt(fraction.length);
  const bytes = (BigInt(`${whole || '0'}${fraction}`) * multiplier) / scale;
  return bytes > 0n ? fmt(bytes) : undefined;
}

function parseHint(failure: FailureDescription): string {
  const facts = failure.source.facts;
  const key = String(facts.key ?? failure.option ?? '');
  const raw = String(facts.raw ?? '');
  const cause = failure.details[failure.details.length - 1] ?? '';
  const where = key !== failure.option && failure.option ? ` (the deprecated key for ${failure.option})` : '';
  switch (facts.kind) {
    case 'memory': {
      if (/^\s*-/.test(raw))
        return `Set ${key}${where} to a size of zero or more; memory sizes cannot be negative (Flink: ${cause}).`;
      const suggestion = suggestMemorySize(raw);
      const example = suggestion ? `, e.g. ${suggestion}` : ', e.g. 1024m';
      return `Set ${key}${where} to a whole number with an optional binary unit (b, k, m, g, t)${example}; Flink rejects '${raw}': ${cause}.`;
    }
    case 'float':
      return `Set ${key}${where} to a decimal number such as 0.1; Java's Float.parseFloat rejects '${raw}' (${cause}).`;
    case 'double':
      return `Set ${key}${where} to a number such as 2.0; Java's Double.parseDouble rejects '${raw}' (${cause}).`;
    case 'int':
      return `Set ${key}${where} to a whole number such as 2, without spaces or decimals; Java's Integer.parseInt rejects '${raw}' (${cause}).`;
    case 'boolean':
      return `Set ${key}${where} to true or false.`;
    default:
      return `Set ${key}${where} to a value Flink can parse (${cause}).`;
  }
}

function rangeHint(failure: FailureDescription, config: FlinkConfig): string {
  const facts = failure.source.facts;
  if (facts.rangeInverted === true) {
    return `Lower ${facts.minKey} to at most ${fmt(big(facts.max))} or raise ${facts.maxKey} to at least ${fmt(big(facts.min))}: the minimum (${hr(big(facts.min))}) must not exceed the maximum (${hr(big(facts.max))}).`;
  }
  const key = String(facts.fractionKey);
  const raw = config[key];
  const fallback = key.includes('managed') ? '0.4' : '0.1';
  return `Set ${key} to a fraction of at least 0 and below 1${raw === undefined ? '' : ` (it is '${raw}')`}; Flink's default is ${fallback}.`;
}

function requiredOptionsHint(
  failure: FailureDescription,
  config: FlinkConfig,
  probe: Probe,
  keys: HintKeys,
  fineGrained: readonly string[],
): string {
  const set = String(failure.source.facts.set ?? '')
    .split(',')
    .filter((k) => k.length > 0);
  const missing = fineGrained.filter((k) => !set.includes(k));
  let process = keys.shippedProcess;
  if (!probe({ ...config, [keys.process]: process }).valid) {
    const found = searchTotal({ ...config }, keys.process, 'process', parseMemorySize(process), 'up', probe);
    if (found !== undefined) process = fmt(found);
  }
  const total = `set ${keys.process} (the container size, e.g. ${process}) or ${keys.flink}`;
  if (set.length > 0 && missing.length > 0) {
    return `${set.join(' and ')} alone is not enough: also set ${missing.join(' and ')}, or ${total}.`;
  }
  return `Set ${keys.process} (the container size, e.g. ${process}), or ${keys.flink}, or ${fineGrained.join(' and ')}.`;
}

function totalVariable(
  config: FlinkConfig,
  keys: HintKeys,
  code: string | undefined,
): { key: string; variable: Variable } {
  const flinkCodes = ['E4', 'E5', 'J3', 'J4'];
  if (code !== undefined && flinkCodes.includes(code) && config[keys.flink] !== undefined) {
    return { key: keys.flink, variable: 'flink' };
  }
  return { key: keys.process, variable: 'process' };
}

/** Hints for rules the TaskManager and JobManager share (E1–E3, E6, E7, parse, overflow). */
function sharedHint(
  failure: FailureDescription,
  config: FlinkConfig,
  probe: Probe,
  keys: HintKeys,
  fineGrained: readonly string[],
): string | undefined {
  const facts = failure.source.facts;
  switch (failure.code) {
    case 'PARSE':
      return parseHint(failure);
    case 'E1':
      return requiredOptionsHint(failure, config, probe, keys, fineGrained);
    case 'E2':
      return rangeHint(failure, config);
    case 'E3': {
      const need = big(facts.metaspace) + big(facts.overhead);
      return sentence(
        moveTotal(config, keys.process, 'process', 'up', probe),
        `lower ${keys.metaspace} or ${keys.overheadMin}: metaspace and overhead alone need ${hr(need)} of the ${hr(big(facts.process))} process`,
      );
    }
    case 'E6':
      return sentence(
        moveTotal(config, keys.process, 'process', 'up', probe),
        `lower ${keys.flink} (total Flink ${hr(big(facts.totalFlink))} plus metaspace ${hr(big(facts.metaspace))} exceed the process size ${hr(big(facts.process))})`,
      );
    case 'E7': {
      const below = facts.side === 'below';
      const overhead = big(facts.overhead);
      return sentence(
        moveTotal(config, keys.process, 'process', below ? 'up' : 'down', probe),
        below
          ? `lower ${keys.overheadMin} to at most ${fmt(overhead)} (the overhead left over is ${hr(overhead)})`
          : `raise ${keys.overheadMax} to at least ${fmt(overhead)} (the overhead left over is ${hr(overhead)})`,
      );
    }
    case 'OVERFLOW':
      return 'Use realistic sizes: a sum or product of the configured sizes exceeds Java’s long range (9223372036854775807 bytes).';
    default:
      return undefined;
  }
}

const TM_FINE_GRAINED = ['taskmanager.memory.task.heap.size', 'taskmanager.memory.managed.size'] as const;

function segmentSizeOf(config: FlinkConfig): bigint {
  const raw = config['taskmanager.memory.segment-size'];
  try {
    return raw === undefined ? 32n * KiB : parseMemorySize(raw);
  } catch {
    return 32n * KiB;
  }
}

/** The hint for a TaskManager rejection. */
export function taskManagerHint(failure: FailureDescription, config: FlinkConfig, probe: Probe): string {
  const shared = sharedHint(failure, config, probe, TM_KEYS, TM_FINE_GRAINED);
  if (shared !== undefined) return shared;
  const facts = failure.source.facts;
  switch (failure.code) {
    case 'E4': {
      const { key, variable } = totalVariable(config, TM_KEYS, failure.code);
      const fixed = big(facts.fixed);
      const total = big(facts.totalFlink);
      const parts = [
        facts.managed !== undefined ? `managed memory ${hr(big(facts.managed))}` : undefined,
        facts.network !== undefined ? `network ${hr(big(facts.network))}` : undefined,
        facts.taskHeap !== undefined ? `task heap ${hr(big(facts.taskHeap))}` : undefined,
      ].filter((p) => p !== undefined);
      return sentence(
        moveTotal(config, key, variable, 'up', probe, TM_KEYS.process),
        `lower the fixed parts (${parts.join(', ')}, framework heap and off-heap): they need ${hr(fixed)} but total Flink memory is ${hr(total)}, ${hr(fixed - total)} short`,
      );
    }
    case 'E5': {
      const { key, variable } = totalVariable(config, TM_KEYS, failure.code);
      const below = facts.side === 'below';
      const network = big(facts.network);
      return sentence(
        moveTotal(config, key, variable, below ? 'up' : 'down', probe, TM_KEYS.process),
        below
          ? `lower taskmanager.memory.network.min to at most ${fmt(network)} (the network memory left over is ${hr(network)})`
          : `raise taskmanager.memory.network.max to at least ${fmt(network)} (the network memory left over is ${hr(network)})`,
      );
    }
    case 'E8': {
      const network = big(facts.network);
      const segment = segmentSizeOf(config);
      const replace = `replace taskmanager.network.numberOfBuffers with taskmanager.memory.network.min = taskmanager.memory.network.max = ${fmt(network)}`;
      return network % segment === 0n
        ? sentence(
            `Set taskmanager.network.numberOfBuffers to ${network / segment} (${hr(network)} of ${fmt(segment)} segments)`,
            replace,
          )
        : sentence(`${replace.charAt(0).toUpperCase()}${replace.slice(1)}`);
    }
    case 'E9': {
      if (facts.fromSlots === true) {
        return `taskmanager.cpu.cores is not set, so Flink uses taskmanager.numberOfTaskSlots (${facts.cores}) as the CPU count: set taskmanager.numberOfTaskSlots to at least 1, or set taskmanager.cpu.cores to a positive number such as 1.0.`;
      }
      return `Set taskmanager.cpu.cores to a positive number such as 1.0 (it is ${facts.cores}), or remove it to use the number of slots.`;
    }
    case 'CPU':
      return 'Set taskmanager.cpu.cores to a finite positive number such as 2.0.';
    case 'SLOTS':
      return `Set taskmanager.numberOfTaskSlots to a whole number of at least 1 (it is ${facts.slots}).`;
    case 'SEGMENT_SIZE': {
      const value = big(facts.segmentSize);
      let power = 4096n;
      while (power < value && power < GiB) power *= 2n;
      const pick = value > GiB ? 32n * KiB : power;
      return `Set taskmanager.memory.segment-size to a power of two between 4kb and 1g, e.g. ${fmt(pick)} (Flink's default is 32kb).`;
    }
    case 'NETWORK_BUFFERS': {
      const segment = segmentSizeOf(config);
      return `Cap taskmanager.memory.network.max at ${fmt(2147483647n * segment)} or raise taskmanager.memory.segment-size: Flink cannot address more than 2147483647 network buffers.`;
    }
    case 'LEGACY_HEAP':
      return 'Remove taskmanager.heap.mb (deprecated) and set taskmanager.memory.process.size instead, e.g. 1728m.';
    default:
      return `Change the configuration so that Flink accepts it: ${failure.message}`;
  }
}

/** The hint for a JobManager rejection. */
export function jobManagerHint(failure: FailureDescription, config: FlinkConfig, probe: Probe): string {
  const shared = sharedHint(failure, config, probe, JM_KEYS, ['jobmanager.memory.heap.size']);
  if (shared !== undefined) return shared;
  const facts = failure.source.facts;
  switch (failure.code) {
    case 'J2': {
      const heap = big(facts.heap);
      const off = big(facts.offHeap);
      const flink = big(facts.totalFlink);
      const derived = flink >= heap ? ` (it would be ${hr(flink - heap)})` : '';
      return sentence(
        `Set jobmanager.memory.flink.size to ${fmt(heap + off)} (heap + off-heap)`,
        `remove jobmanager.memory.off-heap.size so Flink derives it as total Flink minus heap${derived}`,
        'remove jobmanager.memory.flink.size',
      );
    }
    case 'J3': {
      const heap = big(facts.heap);
      return sentence(
        `Raise jobmanager.memory.flink.size to at least ${fmt(heap)} (${fmt(heap + 128n * MiB)} keeps the default 128m off-heap)`,
        `lower jobmanager.memory.heap.size to at most ${fmt(big(facts.totalFlink))}`,
      );
    }
    case 'J4': {
      const { key, variable } = totalVariable(config, JM_KEYS, failure.code);
      return sentence(
        moveTotal(config, key, variable, 'up', probe, JM_KEYS.process),
        `lower jobmanager.memory.off-heap.size below ${hr(big(facts.totalFlink))} (total Flink memory must exceed the off-heap memory, ${hr(big(facts.offHeap))})`,
      );
    }
    case 'LEGACY_HEAP':
      return 'Remove jobmanager.heap.mb (deprecated) and set jobmanager.memory.process.size instead, e.g. 1600m.';
    default:
      return `Change the configuration so that Flink accepts it: ${failure.message}`;
  }
}
