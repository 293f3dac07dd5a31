import { describe, expect, it } from 'vitest';
import { deriveJobManager } from '../../../../src/estimator/memory/jobmanager.js';
import type { Derivation, JobManagerPlan } from '../../../../src/estimator/memory/types.js';

/** [process, totalFlink, heap, offHeap, metaspace, overhead] */
type Row = [bigint, bigint, bigint, bigint, bigint, bigint];

function components(result: Derivation<JobManagerPlan>): Row {
  if (!result.valid) throw new Error(`expected a valid plan, got ${result.error.message}`);
  const m = result.plan.memory;
  return [m.totalProcessMemory, m.totalFlinkMemory, m.jvmHeap, m.offHeap, m.jvmMetaspace, m.jvmOverhead];
}

function rejection(result: Derivation<JobManagerPlan>) {
  if (result.valid) throw new Error('expected Flink to reject the configuration');
  return result.error;
}

const P = 'jobmanager.memory.process.size';
const F = 'jobmanager.memory.flink.size';
const H = 'jobmanager.memory.heap.size';
const O = 'jobmanager.memory.off-heap.size';

// Reference §4.2.
const VECTORS: [string, Record<string, string>, Row][] = [
  ['J1', { [P]: '1600m' }, [1677721600n, 1207959552n, 1073741824n, 134217728n, 268435456n, 201326592n]],
  ['J2', { [P]: '1024m' }, [1073741824n, 603979776n, 469762048n, 134217728n, 268435456n, 201326592n]],
  ['J3', { [P]: '4g' }, [4294967296n, 3597035104n, 3462817376n, 134217728n, 268435456n, 429496736n]],
  ['J4', { [P]: '6144m' }, [6442450944n, 5529770384n, 5395552656n, 134217728n, 268435456n, 644245104n]],
  ['J5', { [P]: '768m' }, [805306368n, 335544320n, 201326592n, 134217728n, 268435456n, 201326592n]],
  [
    'J6',
    { [H]: '150m', [F]: '378m' },
    [866123776n, 396361728n, 157286400n, 239075328n, 268435456n, 201326592n],
  ],
  [
    'J7',
    { [H]: '150m', [F]: '200m', [O]: '50m' },
    [679477248n, 209715200n, 157286400n, 52428800n, 268435456n, 201326592n],
  ],
  ['J8', { [H]: '1152m' }, [1811939328n, 1342177280n, 1207959552n, 134217728n, 268435456n, 201326592n]],
  [
    'J9',
    { [P]: '2g', [F]: '1280m' },
    [2147483648n, 1342177280n, 1207959552n, 134217728n, 268435456n, 536870912n],
  ],
  ['J10', { [P]: '16g' }, [17179869184n, 15837691904n, 15703474176n, 134217728n, 268435456n, 1073741824n]],
];

describe('deriveJobManager — reference vectors J1–J10', () => {
  for (const [name, config, expected] of VECTORS) {
    it(`${name}: derives ${JSON.stringify(config)} byte for byte`, () => {
      for (const version of ['1.18', '1.20', '2.0', '2.1'] as const) {
        expect(components(deriveJobManager(config, version))).toEqual(expected);
      }
    });
  }

  it('J1 plan: heap flags, no direct-memory limit by default, 1600 MiB container', () => {
    const result = deriveJobManager({ [P]: '1600m' }, '1.20');
    if (!result.valid) throw new Error(result.error.message);
    expect(result.plan.jvmArgs).toEqual({ Xmx: 1073741824n, Xms: 1073741824n, MaxMetaspaceSize: 268435456n });
    expect(result.plan.containerMemoryMiB).toBe(1600n);
    expect(result.plan.derivedFrom).toBe('total-process');
  });

  it('sets -XX:MaxDirectMemorySize to the off-heap size only when the limit is enabled', () => {
    const result = deriveJobManager(
      { [P]: '1600m', 'jobmanager.memory.enable-jvm-direct-memory-limit': 'TRUE' },
      '1.20',
    );
    expect(result.valid && result.plan.jvmArgs.MaxDirectMemorySize).toBe(134217728n);
    const error = rejection(
      deriveJobManager({ [P]: '1600m', 'jobmanager.memory.enable-jvm-direct-memory-limit': 'yes' }, '1.20'),
    );
    expect(error.message).toBe(
      "Could not parse value 'yes' for key 'jobmanager.memory.enable-jvm-direct-memory-limit'.",
    );
    expect(error.details?.[1]).toBe(
      'Unrecognized option for boolean: yes. Expected either true or false(case insensitive)',
    );
  });

  it('J6 logs that the default off-heap is ignored', () => {
    const result = deriveJobManager({ [H]: '150m', [F]: '378m' }, '1.20');
    expect(result.valid && result.plan.notes).toContain(
      'The Off-Heap Memory size (228.000mb (239075328 bytes)) is derived the configured Total Flink Memory size (378.000mb (396361728 bytes)) minus the configured JVM Heap Memory size (150.000mb (157286400 bytes)). The default Off-Heap Memory size (128.000mb (134217728 bytes)) is ignored.',
    );
  });

  it('a heap below 128m is accepted with Flink’s warning', () => {
    const result = deriveJobManager({ [P]: '577m' }, '1.20');
    if (!result.valid) throw new Error(result.error.message);
    expect(result.plan.memory.jvmHeap).toBe(1048576n);
    expect(result.plan.notes).toContain(
      'The configured or derived JVM heap memory size (1024.000kb (1048576 bytes)) is less than its recommended minimum value (128.000mb (134217728 bytes))',
    );
  });
});

describe('deriveJobManager — failure vectors', () => {
  it('heap 100m + off-heap 100m ≠ flink 199m → J2', () => {
    const error = rejection(deriveJobManager({ [H]: '100m', [O]: '100m', [F]: '199m' }, '1.20'));
    expect(error.code).toBe('J2');
    expect(error.message).toBe(
      'Sum of the configured JVM Heap Memory (100.000mb (104857600 bytes)) and the configured Off-heap Memory (100.000mb (104857600 bytes)) does not match the configured Total Flink Memory (199.000mb (208666624 bytes)). Please, make the configuration consistent or configure only one option: either JVM Heap or Total Flink Memory.',
    );
    expect(error.details?.[0]).toBe(`JobManager memory configuration failed: ${error.message}`);
    expect(error.hint).toContain('Set jobmanager.memory.flink.size to 200m');
  });

  it('heap 150m above flink 100m → J3', () => {
    const error = rejection(deriveJobManager({ [H]: '150m', [F]: '100m' }, '1.20'));
    expect(error.code).toBe('J3');
    expect(error.message).toBe(
      'The configured JVM Heap Memory (150.000mb (157286400 bytes)) exceeds the configured Total Flink Memory (100.000mb (104857600 bytes)). Please, make the configuration consistent or configure only one option: either JVM Heap or Total Flink Memory.',
    );
    expect(error.hint).toContain('Raise jobmanager.memory.flink.size to at least 150m');
  });

  it('flink 128m not above the 128m off-heap → J4', () => {
    const error = rejection(deriveJobManager({ [F]: '128m' }, '1.20'));
    expect(error.code).toBe('J4');
    expect(error.message).toBe(
      'The configured Total Flink Memory (128.000mb (134217728 bytes)) is less than the configured Off-heap Memory (128.000mb (134217728 bytes)).',
    );
    expect(error.hint).toContain('Raise jobmanager.memory.flink.size to at least 129m');
  });

  it('process 500m leaves only 52m of total Flink → J4, and 577m is the smallest that works', () => {
    const error = rejection(deriveJobManager({ [P]: '500m' }, '1.20'));
    expect(error.code).toBe('J4');
    expect(error.message).toBe(
      'The configured Total Flink Memory (52.000mb (54525952 bytes)) is less than the configured Off-heap Memory (128.000mb (134217728 bytes)).',
    );
    expect(error.hint).toMatch(/^Raise jobmanager\.memory\.process\.size to at least 577m/);
    expect(rejection(deriveJobManager({ [P]: '576m' }, '1.20')).code).toBe('J4');
  });

  it('E1, E3, E6 and E7 apply to the JobManager with its own keys', () => {
    const e1 = rejection(deriveJobManager({}, '1.20'));
    expect(e1.code).toBe('E1');
    expect(e1.message).toBe(
      "Either required fine-grained memory (jobmanager.memory.heap.size), or Total Flink Memory size (Key: 'jobmanager.memory.flink.size' , default: null (fallback keys: [])), or Total Process Memory size (Key: 'jobmanager.memory.process.size' , default: null (fallback keys: [])) need to be configured explicitly.",
    );
    expect(e1.hint).toContain('1600m');
    expect(rejection(deriveJobManager({ [P]: '400m' }, '1.20')).code).toBe('E3');
    const e6 = rejection(deriveJobManager({ [P]: '1g', [F]: '1g' }, '1.20'));
    expect(e6.code).toBe('E6');
    expect(e6.hint).toContain('Raise jobmanager.memory.process.size to at least 1472m');
    const e7 = rejection(
      deriveJobManager({ [P]: '2g', [F]: '1g', 'jobmanager.memory.jvm-overhead.max': '512m' }, '1.20'),
    );
    expect(e7.code).toBe('E7');
    expect(e7.hint).toContain('Lower jobmanager.memory.process.size to at most 1792m');
  });

  it('legacy jobmanager.heap.size maps to the process size (containerized) or the heap (standalone) up to 1.20', () => {
    expect(components(deriveJobManager({ 'jobmanager.heap.size': '1600m' }, '1.20'))[0]).toBe(1677721600n);
    expect(
      components(
        deriveJobManager({ 'jobmanager.heap.size': '1024m' }, '1.20', { deployment: 'standalone' }),
      )[2],
    ).toBe(1073741824n);
    expect(components(deriveJobManager({ 'jobmanager.heap.mb': '1600' }, '1.20'))[0]).toBe(1677721600n);
    expect(rejection(deriveJobManager({ 'jobmanager.heap.size': '1600m' }, '2.0')).code).toBe('E1');
    const bad = rejection(deriveJobManager({ 'jobmanager.heap.size': '1,5g' }, '1.20'));
    expect(bad.details?.[0]).toBe(
      "JobManager memory configuration failed: Cannot read memory size from config option 'jobmanager.heap.size'.",
    );
  });
});
