import { describe, expect, it } from 'vitest';
import { deriveTaskManager } from '../../../../src/estimator/memory/taskmanager.js';
import type { Derivation, TaskManagerPlan } from '../../../../src/estimator/memory/types.js';
import { memoryModelProfile } from '../../../../src/estimator/memory/versions.js';

/** [process, totalFlink, fwHeap, taskHeap, fwOff, taskOff, network, managed, metaspace, overhead] */
type Row = [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];

function components(result: Derivation<TaskManagerPlan>): Row {
  if (!result.valid) throw new Error(`expected a valid plan, got ${result.error.message}`);
  const m = result.plan.memory;
  return [
    m.totalProcessMemory,
    m.totalFlinkMemory,
    m.frameworkHeap,
    m.taskHeap,
    m.frameworkOffHeap,
    m.taskOffHeap,
    m.network,
    m.managed,
    m.jvmMetaspace,
    m.jvmOverhead,
  ];
}

function rejection(result: Derivation<TaskManagerPlan>) {
  if (result.valid) throw new Error('expected Flink to reject the configuration');
  return result.error;
}

const P = 'taskmanager.memory.process.size';
const F = 'taskmanager.memory.flink.size';
const TH = 'taskmanager.memory.task.heap.size';
const MS = 'taskmanager.memory.managed.size';
const MD = 'taskmanager.memory.jvm-metaspace.size';
const OMIN = 'taskmanager.memory.jvm-overhead.min';
const OMAX = 'taskmanager.memory.jvm-overhead.max';
const OF = 'taskmanager.memory.jvm-overhead.fraction';

// Reference §4.1 (values from Flink 1.11+ startup logs and Flink's own derivation classes).
const VECTORS: [string, Record<string, string>, Row][] = [
  [
    'T1',
    { [P]: '1728m' },
    [
      1811939328n,
      1342177280n,
      134217728n,
      402653174n,
      134217728n,
      0n,
      134217730n,
      536870920n,
      268435456n,
      201326592n,
    ],
  ],
  [
    'T2',
    { [P]: '1024m' },
    [
      1073741824n,
      603979776n,
      134217728n,
      26843542n,
      134217728n,
      0n,
      67108864n,
      241591914n,
      268435456n,
      201326592n,
    ],
  ],
  [
    'T3',
    { [P]: '4g', [F]: '3g' },
    [
      4294967296n,
      3221225472n,
      134217728n,
      1342177256n,
      134217728n,
      0n,
      322122552n,
      1288490208n,
      268435456n,
      805306368n,
    ],
  ],
  [
    'T4',
    { [F]: '1280m' },
    [
      1811939328n,
      1342177280n,
      134217728n,
      402653174n,
      134217728n,
      0n,
      134217730n,
      536870920n,
      268435456n,
      201326592n,
    ],
  ],
  [
    'T5',
    { [P]: '1536m' },
    [
      1610612736n,
      1140850688n,
      134217728n,
      301989880n,
      134217728n,
      0n,
      114085070n,
      456340282n,
      268435456n,
      201326592n,
    ],
  ],
  [
    'T6',
    { [TH]: '100m', [MS]: '200m' },
    [
      1119879168n,
      650117120n,
      134217728n,
      104857600n,
      134217728n,
      0n,
      67108864n,
      209715200n,
      268435456n,
      201326592n,
    ],
  ],
  [
    'T7',
    { [F]: '1280m', [TH]: '100m' },
    [
      1811939328n,
      1342177280n,
      134217728n,
      104857600n,
      134217728n,
      0n,
      432013304n,
      536870920n,
      268435456n,
      201326592n,
    ],
  ],
  [
    'T8',
    { [F]: '1280m', [MS]: '200m' },
    [
      1811939328n,
      1342177280n,
      134217728n,
      729808894n,
      134217728n,
      0n,
      134217730n,
      209715200n,
      268435456n,
      201326592n,
    ],
  ],
  [
    'T9',
    { [F]: '1280m', [TH]: '100m', [MS]: '200m' },
    [
      1811939328n,
      1342177280n,
      134217728n,
      104857600n,
      134217728n,
      0n,
      759169024n,
      209715200n,
      268435456n,
      201326592n,
    ],
  ],
  [
    'T10',
    { [P]: '4g' },
    [
      4294967296n,
      3597035104n,
      134217728n,
      1530082070n,
      134217728n,
      0n,
      359703515n,
      1438814063n,
      268435456n,
      429496736n,
    ],
  ],
  [
    'T11',
    { [P]: '8g' },
    [
      8589934592n,
      7462505664n,
      134217728n,
      3462817321n,
      134217728n,
      0n,
      746250577n,
      2985002310n,
      268435456n,
      858993472n,
    ],
  ],
  [
    'T12',
    { [P]: '16g' },
    [
      17179869184n,
      15837691904n,
      134217728n,
      7650410378n,
      134217728n,
      0n,
      1583769214n,
      6335076856n,
      268435456n,
      1073741824n,
    ],
  ],
  [
    'T13',
    { [P]: '4g', [MS]: '0' },
    [
      4294967296n,
      3597035104n,
      134217728n,
      2968896133n,
      134217728n,
      0n,
      359703515n,
      0n,
      268435456n,
      429496736n,
    ],
  ],
  [
    'T14',
    { [TH]: '1g', [MS]: '1g' },
    [
      3280877805n,
      2684354564n,
      134217728n,
      1073741824n,
      134217728n,
      0n,
      268435460n,
      1073741824n,
      268435456n,
      328087785n,
    ],
  ],
  [
    'T15',
    { [P]: '1000m', [F]: '800m', [MD]: '100m', [OMIN]: '50m', [OMAX]: '200m', [OF]: '0.5' },
    [
      1048576000n,
      838860800n,
      134217728n,
      150994938n,
      134217728n,
      0n,
      83886081n,
      335544325n,
      104857600n,
      104857600n,
    ],
  ],
  [
    'T16',
    { [P]: '1000m', [OMIN]: '64m', [OMAX]: '128m', [OF]: '0.1' },
    [
      1048576000n,
      675282943n,
      134217728n,
      69206011n,
      134217728n,
      0n,
      67528295n,
      270113181n,
      268435456n,
      104857601n,
    ],
  ],
  [
    'T17',
    { [P]: '1000m', [OMIN]: '128m', [OMAX]: '256m' },
    [
      1048576000n,
      645922816n,
      134217728n,
      52009366n,
      134217728n,
      0n,
      67108864n,
      258369130n,
      268435456n,
      134217728n,
    ],
  ],
];

describe('deriveTaskManager — reference vectors T1–T17', () => {
  for (const [name, config, expected] of VECTORS) {
    it(`${name}: derives ${JSON.stringify(config)} byte for byte`, () => {
      for (const version of ['1.18', '1.19', '1.20', '2.0', '2.1'] as const) {
        expect(components(deriveTaskManager(config, version))).toEqual(expected);
      }
    });
  }

  it('T12b: with the ≤1.16 default network.max of 1g, 16g caps network at 1 GiB and gives the rest to task heap', () => {
    const result = deriveTaskManager({ [P]: '16g' }, '1.20', { profile: memoryModelProfile('1.16') });
    expect(components(result)).toEqual([
      17179869184n,
      15837691904n,
      134217728n,
      8160437768n,
      134217728n,
      0n,
      1073741824n,
      6335076856n,
      268435456n,
      1073741824n,
    ]);
  });

  it('network.max defaults to 1g up to 1.16 and to Long.MAX_VALUE from 1.17', () => {
    expect(memoryModelProfile('1.16').networkMaxDefault).toBe(1073741824n);
    expect(memoryModelProfile('1.17').networkMaxDefault).toBe(9223372036854775807n);
    expect(memoryModelProfile('2.1').networkMaxDefault).toBe(9223372036854775807n);
  });

  it('T1 plan: JVM flags, 4096 network buffers, 1728 MiB container, Flink log note', () => {
    const result = deriveTaskManager({ [P]: '1728m' }, '1.20');
    if (!result.valid) throw new Error(result.error.message);
    const { plan } = result;
    expect(plan.jvmArgs).toEqual({
      Xmx: 536870902n,
      Xms: 536870902n,
      MaxDirectMemorySize: 268435458n,
      MaxMetaspaceSize: 268435456n,
    });
    expect(plan.networkBuffers).toBe(4096n);
    expect(plan.segmentSize).toBe(32768n);
    expect(plan.containerMemoryMiB).toBe(1728n);
    expect(plan.derivedFrom).toBe('total-process');
    expect(plan.notes).toContain(
      'The derived from fraction jvm overhead memory (172.800mb (181193935 bytes)) is less than its min value 192.000mb (201326592 bytes), min value will be used instead',
    );
  });

  it('T14: a process size that is not a whole MiB gives a floored container request (3128 MiB)', () => {
    const result = deriveTaskManager({ [TH]: '1g', [MS]: '1g' }, '1.20');
    expect(result.valid && result.plan.containerMemoryMiB).toBe(3128n);
    expect(result.valid && result.plan.derivedFrom).toBe('task-heap-and-managed');
  });

  it('T2 logs the network fraction raised to its minimum, as Flink does', () => {
    const result = deriveTaskManager({ [P]: '1024m' }, '1.20');
    expect(result.valid && result.plan.notes).toContain(
      'The derived from fraction network memory (57.600mb (60397978 bytes)) is less than its min value 64.000mb (67108864 bytes), min value will be used instead',
    );
  });
});

describe('deriveTaskManager — slots, CPU and per-slot shares', () => {
  it('CPU vector: 3 slots and no cpu key → 3 cores', () => {
    const result = deriveTaskManager({ [P]: '1728m', 'taskmanager.numberOfTaskSlots': '3' }, '1.20');
    if (!result.valid) throw new Error(result.error.message);
    expect(result.plan.cpuCores).toBe(3);
    expect(result.plan.slots).toBe(3);
  });

  it('divides each component by the slot count with integer division', () => {
    const result = deriveTaskManager(
      { [P]: '1728m', 'taskmanager.numberOfTaskSlots': '3', 'taskmanager.cpu.cores': '2' },
      '1.20',
    );
    if (!result.valid) throw new Error(result.error.message);
    expect(result.plan.perSlot).toEqual({
      cpuCores: 0.66666666,
      taskHeap: 134217724n,
      taskOffHeap: 0n,
      managed: 178956973n,
      network: 44739243n,
    });
  });

  it('slots = -1 is treated as one slot (Flink keeps this for old configs)', () => {
    const result = deriveTaskManager(
      { [P]: '1728m', 'taskmanager.numberOfTaskSlots': '-1', 'taskmanager.cpu.cores': '1' },
      '1.20',
    );
    expect(result.valid && result.plan.slots).toBe(1);
  });

  it('rejects zero slots when cores are set explicitly', () => {
    const error = rejection(
      deriveTaskManager(
        { [P]: '1728m', 'taskmanager.numberOfTaskSlots': '0', 'taskmanager.cpu.cores': '1' },
        '1.20',
      ),
    );
    expect(error.message).toBe(
      'Invalid configuration value for taskmanager.numberOfTaskSlots : 0 - Number of task slots must be at least one.',
    );
    expect(error.code).toBe('SLOTS');
  });

  it('zero slots without cpu.cores fails on the CPU fallback first (E9)', () => {
    const error = rejection(
      deriveTaskManager({ [P]: '1728m', 'taskmanager.numberOfTaskSlots': '0' }, '1.20'),
    );
    expect(error.code).toBe('E9');
    expect(error.hint).toContain('taskmanager.numberOfTaskSlots');
  });

  it('rejects an unparseable slot count with Flink wording', () => {
    const error = rejection(
      deriveTaskManager({ [P]: '1728m', 'taskmanager.numberOfTaskSlots': '2.5' }, '1.20'),
    );
    expect(error.message).toBe("Could not parse value '2.5' for key 'taskmanager.numberOfTaskSlots'.");
    expect(error.details).toContain('For input string: "2.5"');
  });

  it('rejects cpu cores of NaN (BigDecimal cannot hold it)', () => {
    const error = rejection(deriveTaskManager({ [P]: '1728m', 'taskmanager.cpu.cores': 'NaN' }, '1.20'));
    expect(error.code).toBe('CPU');
    // JDK 17's BigDecimal(String) message for "NaN" (newer JDKs say "Infinite or NaN" for ±∞).
    expect(error.message).toBe(
      'Character N is neither a decimal digit number, decimal point, nor "e" notation exponential mark.',
    );
  });

  it('reads the segment size for the buffer count and checks it as a TaskManager does', () => {
    const ok = deriveTaskManager({ [P]: '1728m', 'taskmanager.memory.segment-size': '64kb' }, '1.20');
    expect(ok.valid && ok.plan.networkBuffers).toBe(2048n);
    const notPowerOfTwo = rejection(
      deriveTaskManager({ [P]: '1728m', 'taskmanager.memory.segment-size': '40kb' }, '1.20'),
    );
    expect(notPowerOfTwo.message).toBe(
      'Invalid configuration value for taskmanager.memory.segment-size : 40960 - Memory segment size must be a power of 2.',
    );
    expect(notPowerOfTwo.hint).toContain('64k');
    const tooSmall = rejection(
      deriveTaskManager({ [P]: '1728m', 'taskmanager.memory.segment-size': '1k' }, '1.20'),
    );
    expect(tooSmall.message).toBe(
      'Invalid configuration value for taskmanager.memory.segment-size : 1024 - Minimum memory segment size is 4096',
    );
  });

  it('ignores keys that are not about TaskManager memory', () => {
    const result = deriveTaskManager(
      { [P]: '1728m', 'jobmanager.memory.process.size': 'oops', 'state.backend.type': 'rocksdb' },
      '1.20',
    );
    expect(result.valid).toBe(true);
  });
});

describe('deriveTaskManager — failure vectors F1–F11 with Flink wording', () => {
  it('F1: nothing set → E1, naming the options as Flink prints them', () => {
    const error = rejection(deriveTaskManager({}, '1.20'));
    expect(error.code).toBe('E1');
    expect(error.message).toBe(
      "Either required fine-grained memory (taskmanager.memory.task.heap.size and taskmanager.memory.managed.size), or Total Flink Memory size (Key: 'taskmanager.memory.flink.size' , default: null (fallback keys: [])), or Total Process Memory size (Key: 'taskmanager.memory.process.size' , default: null (fallback keys: [])) need to be configured explicitly.",
    );
    expect(error.details?.[0]).toBe(`TaskManager memory configuration failed: ${error.message}`);
    expect(error.hint).toContain('taskmanager.memory.process.size');
    expect(error.hint).toContain('1728m');
  });

  it('E1 hint names the missing half when only task heap is set', () => {
    const error = rejection(deriveTaskManager({ [TH]: '1g' }, '1.20'));
    expect(error.hint).toMatch(/also set taskmanager\.memory\.managed\.size/);
  });

  it('F2: fixed sizes above total Flink → E4 (528m > 499m)', () => {
    const error = rejection(
      deriveTaskManager(
        {
          [F]: '499m',
          'taskmanager.memory.framework.heap.size': '100m',
          [TH]: '100m',
          'taskmanager.memory.task.off-heap.size': '100m',
          'taskmanager.memory.network.min': '100m',
          'taskmanager.memory.network.max': '100m',
          [MS]: '100m',
        },
        '1.20',
      ),
    );
    expect(error.code).toBe('E4');
    expect(error.message).toBe(
      'Sum of configured Framework Heap Memory (100.000mb (104857600 bytes)), Framework Off-Heap Memory (128.000mb (134217728 bytes)), Task Heap Memory (100.000mb (104857600 bytes)), Task Off-Heap Memory (100.000mb (104857600 bytes)) and Managed Memory (100.000mb (104857600 bytes)) exceed configured Total Flink Memory (499.000mb (523239424 bytes)).',
    );
    // flink must hold 528m of fixed parts plus the 100m network: 628m.
    expect(error.hint).toContain('Raise taskmanager.memory.flink.size to at least 628m');
  });

  it('F3: network and managed fractions of 0.6 each → E4 with total Flink or total process', () => {
    const totals: Record<string, string>[] = [{ [F]: '1280m' }, { [P]: '1536m' }];
    for (const total of totals) {
      const error = rejection(
        deriveTaskManager(
          {
            ...total,
            'taskmanager.memory.network.fraction': '0.6',
            'taskmanager.memory.managed.fraction': '0.6',
          },
          '1.20',
        ),
      );
      expect(error.code).toBe('E4');
      expect(error.message.startsWith('Sum of configured Framework Heap Memory')).toBe(true);
    }
  });

  it('F4: network.min 200m > max 50m → E2', () => {
    const error = rejection(
      deriveTaskManager(
        { [P]: '1728m', 'taskmanager.memory.network.min': '200m', 'taskmanager.memory.network.max': '50m' },
        '1.20',
      ),
    );
    expect(error.code).toBe('E2');
    expect(error.message).toBe(
      "Inconsistently configured Key: 'taskmanager.memory.network.fraction' , default: 0.1 (fallback keys: [{key=taskmanager.network.memory.fraction, isDeprecated=true}]) (0.10000000149011612) and its min (200.000mb (209715200 bytes)), max (50.000mb (52428800 bytes)) value",
    );
    expect(error.hint).toContain('Lower taskmanager.memory.network.min to at most 50m');
    expect(error.hint).toContain('raise taskmanager.memory.network.max to at least 200m');
  });

  it('F5: fractions of −0.1 or 1.0 → E2 (network and managed)', () => {
    for (const [key, value] of [
      ['taskmanager.memory.network.fraction', '-0.1'],
      ['taskmanager.memory.network.fraction', '1.0'],
      ['taskmanager.memory.managed.fraction', '-0.1'],
      ['taskmanager.memory.managed.fraction', '1.0'],
    ] as const) {
      const error = rejection(deriveTaskManager({ [P]: '1728m', [key]: value }, '1.20'));
      expect(error.code).toBe('E2');
      expect(error.message).toContain(`Inconsistently configured Key: '${key}'`);
      expect(error.hint).toContain(`Set ${key} to a fraction of at least 0 and below 1`);
    }
    const managed = rejection(
      deriveTaskManager({ [P]: '1728m', 'taskmanager.memory.managed.fraction': '-0.1' }, '1.20'),
    );
    expect(managed.message).toBe(
      "Inconsistently configured Key: 'taskmanager.memory.managed.fraction' , default: 0.4 (fallback keys: []) (-0.10000000149011612) and its min (0 bytes), max (8388608.000tb (9223372036854775807 bytes)) value",
    );
  });

  it('F6: overhead min > max, or an overhead fraction of −0.1 / 1.0 → E2', () => {
    expect(rejection(deriveTaskManager({ [P]: '1728m', [OMIN]: '200m', [OMAX]: '50m' }, '1.20')).code).toBe(
      'E2',
    );
    expect(rejection(deriveTaskManager({ [P]: '1728m', [OF]: '-0.1' }, '1.20')).code).toBe('E2');
    const one = rejection(deriveTaskManager({ [P]: '1728m', [OF]: '1.0' }, '1.20'));
    expect(one.message).toBe(
      "Inconsistently configured Key: 'taskmanager.memory.jvm-overhead.fraction' , default: 0.1 (fallback keys: []) (1.0) and its min (192.000mb (201326592 bytes)), max (1024.000mb (1073741824 bytes)) value",
    );
  });

  it('F7: remainder overhead 100m below its 150m minimum → E7, and the hint finds 1050m', () => {
    const error = rejection(
      deriveTaskManager(
        { [P]: '1000m', [F]: '800m', [MD]: '100m', [OMIN]: '150m', [OMAX]: '200m', [OF]: '0.5' },
        '1.20',
      ),
    );
    expect(error.code).toBe('E7');
    expect(error.message).toBe(
      'Derived JVM Overhead size (100.000mb (104857600 bytes)) is not in configured JVM Overhead range [150.000mb (157286400 bytes), 200.000mb (209715200 bytes)].',
    );
    expect(error.hint).toContain('Raise taskmanager.memory.process.size to at least 1050m');
    expect(error.hint).toContain('lower taskmanager.memory.jvm-overhead.min to at most 100m');
  });

  it('F8: process 699m, flink 500m, metaspace 100m, overhead 100m → rejected (E4)', () => {
    const error = rejection(
      deriveTaskManager({ [P]: '699m', [F]: '500m', [MD]: '100m', [OMIN]: '100m', [OMAX]: '100m' }, '1.20'),
    );
    expect(error.code).toBe('E4');
    // Total Flink can only grow together with the process size around it.
    expect(error.hint).toMatch(
      /^Raise taskmanager\.memory\.flink\.size to at least 534m and set taskmanager\.memory\.process\.size to 734m/,
    );
    const fixed = { [P]: '734m', [F]: '534m', [MD]: '100m', [OMIN]: '100m', [OMAX]: '100m' };
    expect(deriveTaskManager(fixed, '1.20').valid).toBe(true);
    expect(deriveTaskManager({ ...fixed, [P]: '733m', [F]: '533m' }, '1.20').valid).toBe(false);
  });

  it('F9: process 3g below flink 4g + metaspace → E6 (with the double space Flink prints)', () => {
    const error = rejection(deriveTaskManager({ [P]: '3g', [F]: '4g' }, '1.20'));
    expect(error.code).toBe('E6');
    expect(error.message).toBe(
      'The configured Total Process Memory size (3.000gb (3221225472 bytes)) is less than the sum of the derived Total Flink Memory size (4.000gb (4294967296 bytes)) and the configured or default JVM Metaspace size  (256.000mb (268435456 bytes)).',
    );
    // 4g + 256m metaspace + 192m minimum overhead = 4544m
    expect(error.hint).toContain('Raise taskmanager.memory.process.size to at least 4544m');
  });

  it('F10: 981m with defaults → E4; 982m is the smallest size that derives, and the hint says so', () => {
    const error = rejection(deriveTaskManager({ [P]: '981m' }, '1.20'));
    expect(error.code).toBe('E4');
    expect(error.message).toBe(
      'Sum of configured Framework Heap Memory (128.000mb (134217728 bytes)), Framework Off-Heap Memory (128.000mb (134217728 bytes)), Task Off-Heap Memory (0 bytes), Managed Memory (213.200mb (223556406 bytes)) and Network Memory (64.000mb (67108864 bytes)) exceed configured Total Flink Memory (533.000mb (558891008 bytes)).',
    );
    expect(error.hint).toMatch(/^Raise taskmanager\.memory\.process\.size to at least 982m/);
    const smallest = deriveTaskManager({ [P]: '982m' }, '1.20');
    expect(smallest.valid && smallest.plan.memory.taskHeap).toBe(419428n);
    expect(rejection(deriveTaskManager({ [P]: '500m' }, '1.20')).code).toBe('E4');
  });

  it('F11: negative CPU cores → E9', () => {
    const error = rejection(deriveTaskManager({ [P]: '1728m', 'taskmanager.cpu.cores': '-0.1' }, '1.20'));
    expect(error.code).toBe('E9');
    expect(error.message).toBe(
      'TaskExecutors need to be started with a positive number of CPU cores. Please configure taskmanager.cpu.cores accordingly.',
    );
    expect(rejection(deriveTaskManager({ [P]: '1728m', 'taskmanager.cpu.cores': '0' }, '1.20')).code).toBe(
      'E9',
    );
  });

  it('E3: metaspace + overhead larger than the process', () => {
    const error = rejection(deriveTaskManager({ [P]: '400m' }, '1.20'));
    expect(error.code).toBe('E3');
    expect(error.message).toBe(
      'Sum of configured JVM Metaspace (256.000mb (268435456 bytes)) and JVM Overhead (192.000mb (201326592 bytes)) exceed configured Total Process Memory (400.000mb (419430400 bytes)).',
    );
    expect(error.hint).toContain('Raise taskmanager.memory.process.size to at least 982m');
  });

  it('E5: the doc example (process 1000m, task heap 100m, overhead 64–256m) leaves 30.4 MiB of network, below 64m', () => {
    const error = rejection(
      deriveTaskManager({ [P]: '1000m', [TH]: '100m', [OMIN]: '64m', [OMAX]: '256m' }, '1.20'),
    );
    expect(error.code).toBe('E5');
    expect(error.message).toBe(
      'If Total Flink, Task Heap and (or) Managed Memory sizes are explicitly configured then the Network Memory size is the rest of the Total Flink memory after subtracting all other configured types of memory, but the derived Network Memory is inconsistent with its configuration. Derived Network Memory size (30.400mb (31876706 bytes)) is not in configured Network Memory range [64.000mb (67108864 bytes), 8388608.000tb (9223372036854775807 bytes)].',
    );
    expect(error.hint).toMatch(/^Raise taskmanager\.memory\.process\.size to at least \d+m/);
    expect(error.hint).toContain('lower taskmanager.memory.network.min to at most 31876706b');
    const minimum = /at least (\d+)m/.exec(error.hint)?.[1];
    expect(
      deriveTaskManager({ [P]: `${minimum}m`, [TH]: '100m', [OMIN]: '64m', [OMAX]: '256m' }, '1.20').valid,
    ).toBe(true);
    expect(
      deriveTaskManager(
        { [P]: `${Number(minimum) - 1}m`, [TH]: '100m', [OMIN]: '64m', [OMAX]: '256m' },
        '1.20',
      ).valid,
    ).toBe(false);
  });

  it('E5 above max: remainder network larger than network.max, hint lowers the total', () => {
    const error = rejection(
      deriveTaskManager(
        { [F]: '2g', [TH]: '100m', [MS]: '200m', 'taskmanager.memory.network.max': '256m' },
        '1.20',
      ),
    );
    expect(error.code).toBe('E5');
    expect(error.hint).toMatch(/^Lower taskmanager\.memory\.flink\.size to at most 812m/);
    expect(
      deriveTaskManager(
        { [F]: '812m', [TH]: '100m', [MS]: '200m', 'taskmanager.memory.network.max': '256m' },
        '1.20',
      ).valid,
    ).toBe(true);
    expect(
      deriveTaskManager(
        { [F]: '813m', [TH]: '100m', [MS]: '200m', 'taskmanager.memory.network.max': '256m' },
        '1.20',
      ).valid,
    ).toBe(false);
  });
});

describe('deriveTaskManager — values Flink cannot parse', () => {
  it('rejects "1.5g" with Flink wording and suggests 1536m', () => {
    const error = rejection(deriveTaskManager({ [P]: '1.5g' }, '1.20'));
    expect(error.code).toBe('PARSE');
    expect(error.message).toBe("Could not parse value '1.5g' for key 'taskmanager.memory.process.size'.");
    expect(error.details).toEqual([
      "TaskManager memory configuration failed: Cannot read memory size from config option 'taskmanager.memory.process.size'.",
      "Cannot read memory size from config option 'taskmanager.memory.process.size'.",
      "Could not parse value '1.5g' for key 'taskmanager.memory.process.size'.",
      "Memory size unit '.5g' does not match any of the recognized units: (b | bytes) / (k | kb | kibibytes) / (m | mb | mebibytes) / (g | gb | gibibytes) / (t | tb | tebibytes)",
    ]);
    expect(error.hint).toContain('1536m');
    expect(error.option).toBe('taskmanager.memory.process.size');
  });

  it('rejects a fraction of "abc" as Float.parseFloat does', () => {
    const error = rejection(
      deriveTaskManager({ [P]: '1728m', 'taskmanager.memory.managed.fraction': 'abc' }, '1.20'),
    );
    expect(error.message).toBe("Could not parse value 'abc' for key 'taskmanager.memory.managed.fraction'.");
    expect(error.details).toEqual([
      "Could not parse value 'abc' for key 'taskmanager.memory.managed.fraction'.",
      'For input string: "abc"',
    ]);
  });

  it('accepts every spelling Float.parseFloat accepts: " 0.4 ", "4e-1", ".4", "0.4f"', () => {
    const reference = deriveTaskManager({ [P]: '1728m' }, '1.20');
    for (const spelling of [' 0.4 ', '4e-1', '.4', '0.4f', '0.40']) {
      const result = deriveTaskManager(
        { [P]: '1728m', 'taskmanager.memory.managed.fraction': spelling },
        '1.20',
      );
      expect(result).toEqual({
        valid: true,
        plan: { ...(reference.valid ? reference.plan : ({} as TaskManagerPlan)), notes: expect.any(Array) },
      });
    }
  });

  it('does not fail on an unparseable value Flink never reads', () => {
    // With task heap + managed set, the managed fraction is never read.
    const result = deriveTaskManager(
      { [TH]: '100m', [MS]: '200m', 'taskmanager.memory.managed.fraction': 'abc' },
      '1.20',
    );
    expect(result.valid).toBe(true);
  });

  it('reports the option key, not the deprecated key, exactly as Flink does', () => {
    const error = rejection(deriveTaskManager({ [P]: '1728m', 'taskmanager.memory.size': '1.5g' }, '1.20'));
    expect(error.message).toBe("Could not parse value '1.5g' for key 'taskmanager.memory.managed.size'.");
    expect(error.hint).toContain('taskmanager.memory.size');
  });
});

describe('deriveTaskManager — deprecated keys and legacy options', () => {
  it('taskmanager.memory.size is managed.size (in 1.20 and 2.x)', () => {
    for (const version of ['1.20', '2.0'] as const) {
      const viaAlias = deriveTaskManager({ [P]: '4g', 'taskmanager.memory.size': '0' }, version);
      expect(components(viaAlias)).toEqual(components(deriveTaskManager({ [P]: '4g', [MS]: '0' }, version)));
      expect(viaAlias.valid && viaAlias.plan.notes).toContain(
        "Config uses deprecated configuration key 'taskmanager.memory.size' instead of proper key 'taskmanager.memory.managed.size'",
      );
    }
  });

  it('the new key wins over its deprecated alias', () => {
    const result = deriveTaskManager({ [P]: '4g', [MS]: '0', 'taskmanager.memory.size': '1g' }, '1.20');
    expect(result.valid && result.plan.memory.managed).toBe(0n);
  });

  it('taskmanager.memory.size together with task heap selects the fine-grained path', () => {
    const viaAlias = deriveTaskManager({ [TH]: '100m', 'taskmanager.memory.size': '200m' }, '1.20');
    expect(components(viaAlias)[0]).toBe(1119879168n);
  });

  it('taskmanager.network.memory.min/max/fraction are network.min/max/fraction', () => {
    const aliased = deriveTaskManager(
      {
        [P]: '4g',
        'taskmanager.network.memory.min': '128m',
        'taskmanager.network.memory.max': '256m',
        'taskmanager.network.memory.fraction': '0.05',
      },
      '2.1',
    );
    const canonical = deriveTaskManager(
      {
        [P]: '4g',
        'taskmanager.memory.network.min': '128m',
        'taskmanager.memory.network.max': '256m',
        'taskmanager.memory.network.fraction': '0.05',
      },
      '2.1',
    );
    expect(components(aliased)).toEqual(components(canonical));
    expect(components(aliased)[6]).toBe(179851757n);
  });

  it('legacy taskmanager.network.numberOfBuffers sizes network in 1.20 but not in 2.0', () => {
    const legacy = { [P]: '4g', 'taskmanager.network.numberOfBuffers': '4096' };
    const v120 = deriveTaskManager(legacy, '1.20');
    expect(v120.valid && v120.plan.memory.network).toBe(4096n * 32768n);
    const v20 = deriveTaskManager(legacy, '2.0');
    expect(v20.valid && v20.plan.memory.network).toBe(359703515n);
  });

  it('numberOfBuffers is ignored once any new network key is set', () => {
    const result = deriveTaskManager(
      {
        [P]: '4g',
        'taskmanager.network.numberOfBuffers': '4096',
        'taskmanager.memory.network.fraction': '0.1',
      },
      '1.20',
    );
    expect(result.valid && result.plan.memory.network).toBe(359703515n);
  });

  it('E8: legacy buffers that disagree with the network remainder', () => {
    const error = rejection(
      deriveTaskManager(
        { [F]: '1280m', [TH]: '100m', 'taskmanager.network.numberOfBuffers': '2048' },
        '1.20',
      ),
    );
    expect(error.code).toBe('E8');
    expect(error.message).toBe(
      'If Total Flink, Task Heap and (or) Managed Memory sizes are explicitly configured then the Network Memory size is the rest of the Total Flink memory after subtracting all other configured types of memory, but the derived Network Memory is inconsistent with its configuration. Derived Network Memory size (412.000mb (432013304 bytes)) does not match configured Network Memory size (64.000mb (67108864 bytes)).',
    );
    expect(error.hint).toContain('taskmanager.memory.network.max = 432013304b');
  });

  it('legacy taskmanager.heap.size becomes the process size on Kubernetes, total Flink standalone (≤1.20)', () => {
    const containerized = deriveTaskManager({ 'taskmanager.heap.size': '1728m' }, '1.20');
    expect(components(containerized)[0]).toBe(1811939328n);
    const standalone = deriveTaskManager({ 'taskmanager.heap.size': '1280m' }, '1.20', {
      deployment: 'standalone',
    });
    expect(components(standalone)[0]).toBe(1811939328n);
    const mb = deriveTaskManager({ 'taskmanager.heap.mb': '1728' }, '1.19');
    expect(components(mb)[0]).toBe(1811939328n);
    expect(rejection(deriveTaskManager({ 'taskmanager.heap.size': '1728m' }, '2.0')).code).toBe('E1');
  });

  it('a negative legacy heap.mb is rejected with the mapping prefix', () => {
    const error = rejection(deriveTaskManager({ 'taskmanager.heap.mb': '-5' }, '1.20'));
    expect(error.message).toBe('Configured total process memory size (-5MB) must not be less than 0.');
    expect(error.details?.[0]).toBe(
      'TaskManager failed to map legacy JVM heap option to the new one: Configured total process memory size (-5MB) must not be less than 0.',
    );
  });
});
