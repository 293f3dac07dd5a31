/**
 * Stable shapes (docs/model.md, "Stable shapes"): the TaskManager size ladder, slots per
 * TaskManager that divide the parallelism, parallelism that divides the max parallelism, the
 * max parallelism a new job is created with (or the user's, kept), and node-aware sizes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/estimator/index.js';
import { defaultModel } from '../../../src/estimator/model.js';
import { maxParallelismFor, planDownTheLadder, type ShapeLadder } from '../../../src/estimator/shapes.js';
import type { WarningCode } from '../../../src/estimator/warnings.js';
import { type JobSpecInput, JobSpecSchema } from '../../../src/jobspec/index.js';
import type { Estimate } from '../../../src/schemas/estimate.js';
import { realisticJobs } from '../../fixtures/realistic-jobs.js';
import { oneKeyOnSmallNode } from '../../fixtures/specs.js';
import { present } from '../../support/checked.js';

const run = (input: JobSpecInput) => estimate(JobSpecSchema.parse(input));
const codes = (e: Estimate) => e.warnings.map((w) => w.code);
const shape = (e: Estimate) => ({
  p: e.parallelism.default,
  count: e.taskManagers.count,
  cpu: e.taskManagers.cpu,
  slots: e.taskManagers.slotsPerTaskManager,
  max: e.parallelism.max,
});

/** The quick form's defaults (the /estimate page) at a given rate. */
const quick = (recordsPerSecond: number, more: Partial<JobSpecInput> = {}): JobSpecInput => ({
  workload: {
    sources: 1,
    operators: 3,
    sinks: 1,
    recordsPerSecond,
    avgRecordBytes: 512,
    peakFactor: 1.5,
    statefulOperators: 1,
    distinctKeys: 1_000_000,
    stateBytesPerKey: 200,
    complexity: 'medium',
  },
  state: { checkpointIntervalSeconds: 60, incrementalCheckpoints: true },
  ...more,
});

/**
 * Warnings that would be about a value the estimator chose itself when the user fixed nothing
 * (the audit of estimator/warnings.ts and deployment-fit.ts): parallelism vs partitions and key
 * groups, CPU, memory and buffers of its own TaskManagers, its own max parallelism, the pod vs
 * the node. The others are about the user's inputs (partitions, TTLs, the NIC, the checkpoint
 * interval, a synchronous lookup) and may fire.
 */
const ABOUT_OWN_CHOICES: readonly string[] = [
  'PARALLELISM_EXCEEDS_PARTITIONS',
  'UNEVEN_PARTITIONS',
  'UNEVEN_KEY_GROUPS',
  'MAX_PARALLELISM_TOO_LOW',
  'PARALLELISM_OVERRIDE_LOW',
  'PARALLELISM_OVERRIDE_HIGH',
  'STATE_TOO_LARGE_FOR_HEAP',
  'INCREMENTAL_NOT_SUPPORTED',
  'INSUFFICIENT_NETWORK_BUFFERS',
  'TASKMANAGER_EXCEEDS_CONTAINER',
  'CPU_UNDERPROVISIONED',
  'TOO_MANY_TASKMANAGERS',
  'STATE_EXCEEDS_SLOT_LIMIT',
  'LOCAL_DISK_EXCEEDS_LIMIT',
  'MEMORY_ROUNDED_TO_MIB',
  'POD_EXCEEDS_NODE',
] satisfies WarningCode[];

describe('the size ladder, reproduced on the quick form’s defaults', () => {
  it('sweeps 10k → 1M records/s without the TaskManager ever shrinking', () => {
    // A record costs 36.795 µs on its way through (Flink's default: no mini-batch, so the aggregate
    // reads and writes state per record): source 13.756 + aggregate 2.111 + 4.654 state access +
    // 1.004 shuffle of 412 bytes − 0.487 heap saving + 2 UDFs × 3.703 + sink 8.351. At peak
    // (× 1.5) and the 70% target with catch-up (× 1.594, the explanation's 0.88 of 0.552 cores at
    // 10k/s) a slot carries one core at 8.8e-5 × rate: 0.88, 1.76, 4.4, 8.8, 17.6, 26.4, 44, 61.7,
    // 88 → 1, 2, 5, 9, 18, 27, 45, 62, 88 subtasks. The ladder (1/2/4/8 CPU, one slot per core, up to
    // 8 TaskManagers of a size) takes the first parallelism ≥ that which fills whole TaskManagers of
    // its step and divides a modest max parallelism: one of the first four list values (120, 128,
    // 180, 240, 360, 720, 1440, …) with room for 4 × p and at least 128, the smallest it divides;
    // else the smallest power of two with that room.
    //   ≤ 8 slots → 1 CPU: 1, 2, 5 TaskManagers; 1 and 2 divide 128; 5 does not, 180 = 5 × 36.
    //   9 → 2 CPU × 2 slots: 10 (5 TaskManagers); 10 ∤ 128, 10 divides 180.
    //   18 → 4 CPU × 4 slots: 20 (5 TaskManagers); 20 ∤ 128, 20 divides 180.
    //   27 → 28 = 4 × 7 divides none of 128/180/240/360 (7 first appears in 2520); 32 = 8 × 4
    //        divides 128.
    //   45 → 8 CPU × 8 slots: 48 (6 TaskManagers); room 192: 240 = 48 × 5.
    //   62 → 64 = 8 × 8 divides none of 360/720/1440/2520 (2⁶ only in 20160), but the smallest
    //        power of two with room for 4 × 64, 256 (Flink's own defaults are powers of two).
    //   88 → 88 = 8 × 11 divides no list value; 96 = 8 × 12: room 384, 720 / 96 = 7.5, 1440 = 96 × 15.
    const rates = [10_000, 20_000, 50_000, 100_000, 200_000, 300_000, 500_000, 700_000, 1_000_000];
    const shapes = rates.map((r) => shape(run(quick(r))));
    expect(shapes).toEqual([
      { p: 1, count: 1, cpu: 1, slots: 1, max: 128 },
      { p: 2, count: 2, cpu: 1, slots: 1, max: 128 },
      { p: 5, count: 5, cpu: 1, slots: 1, max: 180 },
      { p: 10, count: 5, cpu: 2, slots: 2, max: 180 },
      { p: 20, count: 5, cpu: 4, slots: 4, max: 180 },
      { p: 32, count: 8, cpu: 4, slots: 4, max: 128 },
      { p: 48, count: 6, cpu: 8, slots: 8, max: 240 },
      { p: 64, count: 8, cpu: 8, slots: 8, max: 256 },
      { p: 96, count: 12, cpu: 8, slots: 8, max: 1440 },
    ]);
  });

  it('gives a 16-subtask job whole TaskManagers: 8 × 2 slots, none idle, state split evenly', () => {
    // 180k records/s needs 8.8e-5 × 180,000 = 15.8 → 16 subtasks (see the sweep above).
    const e = run(quick(180_000));
    expect(e.parallelism.default).toBe(16);
    expect(e.taskManagers).toMatchObject({ count: 8, slotsPerTaskManager: 2 });
    expect(e.slots).toEqual({ required: 16, available: 16 });
    // Every TaskManager hosts 2 of the 16 subtasks of each operator: 1/8 of the state.
    expect(e.state.perTaskManagerBytes).toBeCloseTo(e.state.totalBytes / 8, 0);
  });

  it('runs Metzger’s job on 18 TaskManagers × 8 CPU, not 133 × 1 CPU', () => {
    const e = run(realisticJobs.metzger);
    // Throughput needs 133 subtasks; 8-CPU TaskManagers (133 > 4 × 8 slots); 136 = 8 × 17 divides
    // no recommended max parallelism, 144 = 8 × 18 divides 720 (≥ 4 × 144 = 576): 5 key groups each.
    expect(shape(e)).toEqual({ p: 144, count: 18, cpu: 8, slots: 8, max: 720 });
    expect(e.operators.map((o) => o.parallelism)).toEqual([144, 144, 144]);
    expect(codes(e)).not.toContain('UNEVEN_KEY_GROUPS');
  });

  it('gives the README’s example the max parallelism it recommends', () => {
    const e = run({
      workload: {
        sources: 2,
        operators: 4,
        sinks: 1,
        recordsPerSecond: 50_000,
        avgRecordBytes: 512,
        peakFactor: 1.5,
        statefulOperators: 1,
        distinctKeys: 1_000_000,
        stateBytesPerKey: 200,
      },
      state: { backend: 'rocksdb', checkpointIntervalSeconds: 60 },
    });
    // Parallelism 6; 120 is below 128 and 128 / 6 is not whole, so 180 (30 key groups per subtask) —
    // in force, recommended and written to the config alike.
    expect(e.parallelism).toEqual({ default: 6, max: 180, maxDecidedBy: 'recommended', recommendedMax: 180 });
    expect(e.flinkConfig['pipeline.max-parallelism']).toBe('180');
    expect(e.taskManagers).toMatchObject({ count: 6, cpu: 1, slotsPerTaskManager: 1 });
  });
});

describe('max parallelism', () => {
  it('is the smallest of the first four recommended values with 4× room that the parallelism divides, else a power of two', () => {
    expect(maxParallelismFor(5, defaultModel)).toBe(180); // room 128: 128 / 5 = 25.6, 180 = 5 × 36
    expect(maxParallelismFor(8, defaultModel)).toBe(128); // Flink's own default for 8
    expect(maxParallelismFor(32, defaultModel)).toBe(128); // 4 × 32 = 128: exactly 4× room
    expect(maxParallelismFor(72, defaultModel)).toBe(360); // room 288: 360 = 72 × 5
    // 576 (9 TaskManagers of 64 I/O-bound slots): room 2304 → 2520, 5040, 10080, 20160; only
    // 20160 = 576 × 35 has the 2⁶ it needs.
    expect(maxParallelismFor(576, defaultModel)).toBe(20160);
    // A power of two none of the four divides: the smallest power of two with the room.
    expect(maxParallelismFor(64, defaultModel)).toBe(256); // 360/720/1440/2520 have 2³ at most
    expect(maxParallelismFor(128, defaultModel)).toBe(512);
    expect(maxParallelismFor(512, defaultModel)).toBe(2048);
    // Not offered: a divisor only of a value beyond the first four with room, or of none.
    expect(maxParallelismFor(7, defaultModel)).toBeUndefined(); // 128/180/240/360; 2520 is 7th
    expect(maxParallelismFor(56, defaultModel)).toBeUndefined(); // 240/360/720/1440; nor 256
    expect(maxParallelismFor(28, defaultModel)).toBeUndefined(); // was 2520 (90 key groups each)
    expect(maxParallelismFor(11, defaultModel)).toBeUndefined();
  });

  it('takes the user’s keyed parallelisms into account where a modest value allows', () => {
    // 8 with a keyed operator the user fixed at 12: 128 / 12 is not whole, 240 = 12 × 20 = 8 × 30.
    expect(maxParallelismFor(8, defaultModel, [12])).toBe(240);
    // … at 7 no modest value has a 7: the plan's own 8 still gets its 128.
    expect(maxParallelismFor(8, defaultModel, [7])).toBe(128);
  });

  it('keeps a max parallelism the user (or calibration) gave, on its divisors', () => {
    // 500k/s needs 39 subtasks; under 128 key groups the ladder's 8-CPU step only fits 64 (8 × 8).
    const e = run(quick(500_000, { cluster: { maxParallelism: 128 } }));
    expect(shape(e)).toEqual({ p: 64, count: 8, cpu: 8, slots: 8, max: 128 });
    expect(e.parallelism.maxDecidedBy).toBe('user');
    expect(e.flinkConfig['pipeline.max-parallelism']).toBe('128');
    expect(codes(e)).not.toContain('UNEVEN_KEY_GROUPS');
  });

  it('warns instead of changing a max parallelism below what the job needs', () => {
    const e = run(quick(500_000, { cluster: { maxParallelism: 16 } }));
    expect(e.parallelism.max).toBe(16);
    expect(e.operators.every((o) => o.parallelism <= 16)).toBe(true);
    const w = e.warnings.find((x) => x.code === 'MAX_PARALLELISM_TOO_LOW');
    expect(w?.advice).toContain('Raise pipeline.max-parallelism before the first run');
  });
});

describe('node-aware sizes', () => {
  it('packs a 4-CPU GKE node with 1-CPU TaskManagers instead of an 8-CPU pod that never schedules', () => {
    // GKE reserves 6% of the first core + 1% + 2 × 0.5%: 3.92 CPU allocatable. A 4-CPU pod does
    // not fit; a 2-CPU pod fits once (51%); 1-CPU pods fit 3 times (77%): the ladder is [1].
    const node = { cpu: 4, memory: '16Gi', cloud: 'gke' as const };
    const plain = run(quick(500_000));
    expect(plain.taskManagers.cpu).toBe(8);
    const e = run(quick(500_000, { cluster: { nodeShape: node } }));
    // 45 subtasks on 1-CPU TaskManagers (45 divides 180, with 4 × 45 = 180 of room).
    expect(shape(e)).toEqual({ p: 45, count: 45, cpu: 1, slots: 1, max: 180 });
    expect(codes(e)).not.toContain('POD_EXCEEDS_NODE');
    expect(e.nodes).toMatchObject({ taskManagersPerNode: 3, fits: true });
  });

  it('keeps to sizes that fill a 16-CPU EKS node at least two-thirds', () => {
    // 16 − (0.06 + 0.01 + 2 × 0.005 + 12 × 0.0025) = 15.89 CPU: 8 CPU fills 50% (dropped), 4 CPU 75%,
    // 2 CPU 88%, 1 CPU 94%. At 500k/s (45 subtasks, beyond 8 × 4 slots) the last size grows: 48 = 12 × 4.
    const e = run(quick(500_000, { cluster: { nodeShape: { cpu: 16, memory: '64Gi', cloud: 'eks' } } }));
    expect(shape(e)).toEqual({ p: 48, count: 12, cpu: 4, slots: 4, max: 240 });
    expect(e.nodes).toMatchObject({ taskManagersPerNode: 3 });
    expect(codes(e)).not.toContain('POD_EXCEEDS_NODE');
  });

  it('steps down the ladder when a TaskManager would need more memory than the node has', () => {
    // A 32-CPU node with 4 GiB for pods (no cloud: allocatable as given). At 500k/s the 8-CPU step
    // needs more memory than 4 GiB per TaskManager — it never schedules — so the plan is made again
    // without 8 CPU: 48 slots = 12 × 4 CPU × 4 slots of 2,560 MiB, one per node (4,096 / 2,560).
    const e = run(quick(500_000, { cluster: { nodeShape: { cpu: 32, memory: '4Gi' } } }));
    expect(shape(e)).toEqual({ p: 48, count: 12, cpu: 4, slots: 4, max: 240 });
    expect(e.taskManagers.containerMemoryMiB).toBe(2560);
    expect(e.nodes).toMatchObject({ taskManagersPerNode: 1, fits: true });
    expect(codes(e)).not.toContain('POD_EXCEEDS_NODE');
  });
});

describe('a first slot crowded by a single key', () => {
  const globalCount = (recordsPerSecond: number): JobSpecInput => ({
    workload: {
      sources: 1,
      operators: 2,
      sinks: 1,
      recordsPerSecond,
      avgRecordBytes: 300,
      peakFactor: 1.5,
      statefulOperators: 1,
      distinctKeys: 1,
      stateBytesPerKey: 200,
      complexity: 'medium',
    },
  });

  it('takes the job parallelism whose TaskManagers cost the fewest cores, not the largest it tried', () => {
    // 20,000 × 1.5 = 30,000 records/s at peak, a 47,857 records/s target. The source (13.486 µs)
    // needs 0.645 cores; the one-key chain aggregate → udf → sink (6.765 + 3.703 + 8.351 = 18.819
    // µs) 0.901 on its one subtask. Slot 0 holds both: 1.546 cores at P 1, and the chain's 0.901
    // stays there at any P, so no P up to twice the cores fits one core a slot. P 1: one 1-slot
    // TaskManager of 2 CPU (2 cores); P 2: two, each sized for the first (0.32 + 0.90 → 2 CPU), 4.
    // Before, the largest P tried: 4 × 2 CPU, 8 cores for 1.55.
    const e = run(globalCount(20_000));
    expect(e.parallelism.default).toBe(1);
    expect(e.taskManagers).toMatchObject({ count: 1, cpu: 2, slotsPerTaskManager: 1 });
    expect(e.cpu.targetCores).toBeCloseTo(1.546, 2);
    // At 400,000 records/s: 20 subtasks on 5 × 8 CPU × 4 slots, 40 cores (before 48 on 6 × 8).
    const busy = run(globalCount(400_000));
    expect(busy.taskManagers).toMatchObject({ count: 5, cpu: 8, slotsPerTaskManager: 4 });
    expect(busy.parallelism.default).toBe(20);
    const why = busy.explanation.find((x) => x.topic === 'operator:source')?.text;
    expect(why).toContain('the tasks that keep their own parallelism put 1.000 cores in the first slot');
    expect(why).toContain('20 needs the fewest cores (40), every TaskManager sized for the first');
  });
});

describe('the ladder on a small node', () => {
  it('plans a one-key job on a 2-CPU node with TaskManagers that fit it, and says the first slot is short', () => {
    const e = run(oneKeyOnSmallNode);
    // EKS reserves 60 + 10 millicores (first two cores) + … : 1.93 CPU allocatable, so 1 CPU is
    // the only size that fits; the one-key operator stays on one subtask.
    expect(e.taskManagers).toMatchObject({ cpu: 1, slotsPerTaskManager: 1 });
    expect(e.operators.find((o) => o.id === 'operator-1')?.parallelism).toBe(1);
    expect(codes(e)).not.toContain('POD_EXCEEDS_NODE');
    expect(codes(e)).toContain('HOT_KEY');
    const short = e.warnings.find((w) => w.code === 'CPU_UNDERPROVISIONED');
    // Slot 0: the one-key subtask (1 core) + subtask 0 of the other tasks: 1.4 cores, more than 1 CPU.
    expect(short?.message).toContain('1.4 cores');
    expect(short?.message).toContain("your node's 1.93 allocatable CPU takes no larger TaskManager pod");
    const count = e.explanation.find((x) => x.topic === 'taskManagers.count');
    expect(count?.text).toContain("your node's 1.93 allocatable CPU takes at most 1-CPU pods");
  });

  it('re-plans at most once per size of the ladder, even when no size fits', () => {
    const ladder: ShapeLadder = { sizes: [1, 2, 4, 8], perSize: 8, basis: 'test' };
    const tried: number[][] = [];
    // A plan whose pod never fits and always asks for the largest size left.
    const result = planDownTheLadder(
      ladder,
      (l) => {
        tried.push([...l.sizes]);
        return Math.max(...l.sizes);
      },
      (cpu) => cpu,
      () => false,
    );
    expect(tried).toEqual([[1, 2, 4, 8], [1, 2, 4], [1, 2], [1]]);
    expect(result.planned).toBe(1);
    // A pod above every size (the first slots' CPU) leaves nothing smaller to try: one plan.
    const once: number[] = [];
    planDownTheLadder(
      { ...ladder, sizes: [1] },
      () => once.push(1) && 4,
      (cpu) => cpu,
      () => false,
    );
    expect(once).toEqual([1]);
  });
});

const quickArb = fc.record({
  sources: fc.integer({ min: 1, max: 3 }),
  operators: fc.integer({ min: 1, max: 5 }),
  sinks: fc.integer({ min: 1, max: 2 }),
  avgRecordBytes: fc.integer({ min: 50, max: 4000 }),
  peakFactor: fc.double({ min: 1, max: 3, noNaN: true }),
  statefulOperators: fc.integer({ min: 0, max: 1 }),
  distinctKeys: fc.integer({ min: 1, max: 100_000_000 }),
  stateBytesPerKey: fc.integer({ min: 8, max: 2000 }),
  complexity: fc.constantFrom('simple' as const, 'medium' as const, 'complex' as const),
});
const nodeArb = fc.option(
  fc.record({
    cpu: fc.constantFrom(2, 4, 8, 16, 32),
    memory: fc.constantFrom('8Gi', '32Gi', '128Gi'),
    cloud: fc.constantFrom('gke' as const, 'eks' as const, 'aks' as const),
  }),
  { nil: undefined },
);
const rateArb = fc.integer({ min: 1_000, max: 3_000_000 });

/** A quick-form job with nothing about the cluster fixed except, perhaps, the node shape. */
type QuickArgs = typeof quickArb extends fc.Arbitrary<infer T> ? T : never;

function quickJob(w: QuickArgs, rate: number, node: unknown): JobSpecInput {
  const workload = {
    ...w,
    statefulOperators: Math.min(w.statefulOperators, w.operators),
    recordsPerSecond: rate,
  };
  return { workload, ...(node !== undefined ? { cluster: { nodeShape: node } } : {}) } as JobSpecInput;
}

/** A realistic pipeline with every source's rate scaled (and, perhaps, partitions given). */
function scaled(spec: JobSpecInput, factor: number, partitions: number | undefined): JobSpecInput {
  const pipeline = present(spec.pipeline, 'a pipeline spec');
  return {
    ...spec,
    pipeline: {
      ...pipeline,
      sources: pipeline.sources.map((s) => ({
        ...s,
        recordsPerSecond: Math.max(1, Math.round(s.recordsPerSecond * factor)),
        ...(partitions !== undefined ? { partitions } : {}),
      })),
    },
  };
}
const jobs = Object.values(realisticJobs) as JobSpecInput[];

describe('properties', () => {
  it('provides less than a third more cores than a job of 8 or more needs, whatever the rounding', () => {
    // The ladder's whole TaskManagers and even key groups round the parallelism up; the worst steps
    // left are from just above 12 to 16, 24 to 32, 48 to 64 and 168 to 224 subtasks (measured over
    // 3,369 sampled jobs: at most 1.33×). Before powers of two were offered as max parallelism,
    // 48.1 cores got 72 (1.5×). A job whose key is single or hot is left out: its crowded first
    // slot sizes every TaskManager (docs/model.md, "Single and hot keys").
    fc.assert(
      fc.property(
        quickArb.filter((w) => w.distinctKeys >= 1000),
        rateArb,
        (w, rate) => {
          const e = run(quickJob(w, rate, undefined));
          fc.pre(e.cpu.targetCores >= 8);
          expect(e.cpu.taskManagerCores).toBeLessThan((4 / 3) * e.cpu.targetCores);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('TaskManager CPU and slots never shrink as records/s grow', () => {
    fc.assert(
      fc.property(quickArb, rateArb, rateArb, nodeArb, (w, a, b, node) => {
        const low = run(quickJob(w, Math.min(a, b), node)).taskManagers;
        const e = run(quickJob(w, Math.max(a, b), node));
        const high = e.taskManagers;
        // The documented exception (docs/model.md, "Node fit"): a size whose pod needs more memory
        // than the node offers leaves the ladder — a pod that schedules comes first. Seed 22 found
        // it: 2.99M records/s on a 32-CPU / 8 GiB GKE node steps 8 CPU down to 4.
        const steppedDown = e.explanation
          .find((x) => x.topic === 'taskManagers.count')
          ?.text.includes('needs more memory than your node offers');
        if (steppedDown) return;
        expect(high.cpu).toBeGreaterThanOrEqual(low.cpu);
        expect(high.slotsPerTaskManager).toBeGreaterThanOrEqual(low.slotsPerTaskManager);
      }),
      { numRuns: 60 },
    );
  });

  it('TaskManager CPU never shrinks as a realistic pipeline’s rates grow', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...jobs),
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        (job, a, b) => {
          const low = run(scaled(job, Math.min(a, b), undefined)).taskManagers;
          const high = run(scaled(job, Math.max(a, b), undefined)).taskManagers;
          expect(high.cpu).toBeGreaterThanOrEqual(low.cpu);
          // The one exception for slots: the container cap (a TaskManager above 32 GiB — the
          // network buffers of an all-to-all exchange grow with the parallelism) takes slots away.
          if (high.countDecidedBy !== 'memory')
            expect(high.slotsPerTaskManager).toBeGreaterThanOrEqual(low.slotsPerTaskManager);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('slots per TaskManager divide the parallelism, and the parallelism the max parallelism', () => {
    fc.assert(
      fc.property(quickArb, rateArb, nodeArb, (w, rate, node) => {
        const e = run(quickJob(w, rate, node));
        expect(e.parallelism.default % e.taskManagers.slotsPerTaskManager).toBe(0);
        expect(e.slots.available).toBe(e.slots.required);
        expect(e.parallelism.max % e.parallelism.default).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it('no plan carries a warning about a value the estimator chose', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.tuple(quickArb, rateArb, nodeArb).map(([w, rate, node]) => quickJob(w, rate, node)),
          fc
            .tuple(
              fc.constantFrom(...jobs),
              fc.double({ min: 0.05, max: 3, noNaN: true }),
              fc.option(fc.constantFrom(6, 12, 24, 48, 64, 100), { nil: undefined }),
            )
            .map(([job, f, partitions]) => scaled(job, f, partitions)),
        ),
        (spec) => {
          const e = run(spec);
          // A warning that names the user's constraint (the node's CPU, or a SQL source whose
          // connector cannot set its own parallelism on the chosen version) is not about the plan's choice.
          const own = e.warnings.filter(
            (w) =>
              ABOUT_OWN_CHOICES.includes(w.code) &&
              !w.message.includes("your node's") &&
              !w.message.includes("Flink SQL runs it at the job's one parallelism"),
          );
          expect(own.map((w) => w.code)).toEqual([]);
        },
      ),
      { numRuns: 80 },
    );
  });
});
