/**
 * The TaskManager size ladder and the max parallelism a new job is created with (docs/model.md,
 * "Stable shapes"). One rule serves the parallelism step, which only picks job parallelisms the
 * ladder can hold in whole TaskManagers, and the TaskManager step, which reads the shape off it.
 *
 * - Sizes climb the model's CPU sizes in order: a size is used for up to
 *   `taskManager.taskManagersPerSize` TaskManagers, then the next size is taken (the last size
 *   grows by count). Slots per TaskManager follow the size (one slot per core, or
 *   `maxSlotsPerCoreIoBound` when the subtasks wait on synchronous I/O), so as the job
 *   parallelism grows neither the CPU nor the slots of a TaskManager ever shrink.
 * - A job parallelism is a multiple of its step's slots (no idle slot, state split evenly over
 *   TaskManagers) and divides the max parallelism (every subtask owns as many key groups:
 *   KeyGroupRangeAssignment).
 * - Max parallelism for a new job: a modest one — the smallest of the first few of the model's
 *   highly composite values with room for 4× the parallelism that the parallelism divides — and
 *   the parallelism rounds up to one that divides such a value. A max parallelism the user gives
 *   (or calibration measured) is kept: it is fixed for the life of the job's state.
 */
import type { ClusterSpec } from '../jobspec/index.js';
import {
  DEFAULT_LOWER_BOUND_MAX_PARALLELISM as LOWER_BOUND,
  UPPER_BOUND_MAX_PARALLELISM as UPPER_BOUND,
} from './memory/index.js';
import type { Model } from './model.js';
import { allocatable, type NodeShape } from './node-fit.js';

export interface ShapeLadder {
  /** CPU per TaskManager, ascending; one entry when the user fixed the CPU. */
  sizes: readonly number[];
  /** TaskManagers of one size before the next size is taken. */
  perSize: number;
  /** Slots the user fixed per TaskManager. */
  fixedSlots?: number;
  /** Why the sizes are these (the node they pack, the user's CPU), for the explanation. */
  basis: string;
  /**
   * The user's node's allocatable CPU: a TaskManager the first slots' subtasks would push above
   * it never schedules, so its CPU stops there (and the plan warns that the slots are short).
   */
  nodeCpu?: number;
}

export interface LadderStep {
  cpu: number;
  slots: number;
}

/** Slots per core on the ladder: one per core, more when subtasks mostly wait on blocking I/O. */
export function ladderSlotsPerCore(ioBound: boolean, model: Model): number {
  return ioBound ? model.taskManager.maxSlotsPerCoreIoBound : 1 / model.taskManager.targetCoresPerSlot;
}

/** The smallest of the model's CPU sizes that covers `cores`, else `cores` rounded up. */
export function cpuCovering(cores: number, model: Model): number {
  return (
    model.taskManager.cpuCandidates.find((c) => c >= cores - 1e-9) ?? Math.max(1, Math.ceil(cores - 1e-9))
  );
}

/** The ladder's step for a job parallelism: the smallest size whose TaskManagers hold it within the count bound. */
export function ladderStep(p: number, ladder: ShapeLadder, ioBound: boolean, model: Model): LadderStep {
  const perCore = ladderSlotsPerCore(ioBound, model);
  const slotsOf = (cpu: number) => ladder.fixedSlots ?? Math.max(1, Math.floor(cpu * perCore));
  for (const cpu of ladder.sizes) if (p <= ladder.perSize * slotsOf(cpu)) return { cpu, slots: slotsOf(cpu) };
  const cpu = ladder.sizes[ladder.sizes.length - 1] ?? 1;
  return { cpu, slots: slotsOf(cpu) };
}

/**
 * The max parallelism a new job gets for job parallelism p: the smallest of the model's highly
 * composite values that has room for `maxParallelismRoom` × p (and at least Flink's own floor
 * for the max parallelism it picks, 128) and that p divides — among only the first `maxParallelismChoices` values with that room,
 * so it stays modest: Flink's docs warn that a very large max parallelism costs, since state
 * backends keep data structures per key group (heap state maps, timer queues) and checkpoints
 * record every key group's offset. When none of them fits, the smallest power of two with that
 * room, as Flink's own default is a power of two (KeyGroupRangeAssignment.computeDefaultMaxParallelism
 * rounds 1.5 × p up to one): it serves power-of-two parallelisms, which the list's values from 360
 * on (2³ at most below 20160) do not — without it 64 subtasks on 8-slot TaskManagers jumped to 72.
 * A p that divides none of these is not offered (the parallelism step rounds up to one that does).
 * With `also` (a user's parallelisms on keyed operators), the first that every one of them
 * divides too, if any.
 */
export function maxParallelismFor(p: number, model: Model, also: readonly number[] = []): number | undefined {
  const { recommendedMaxParallelisms: list, maxParallelismRoom, maxParallelismChoices } = model.parallelism;
  const wanted = Math.max(LOWER_BOUND, maxParallelismRoom * p);
  let forP: number | undefined;
  let seen = 0;
  for (const m of list) {
    if (m < wanted) continue;
    if (seen++ === maxParallelismChoices) break;
    if (m % p !== 0) continue;
    if (also.every((q) => m % q === 0)) return m;
    forP ??= m;
  }
  if (forP !== undefined) return forP;
  const power = powerOfTwoAtLeast(wanted);
  return power <= UPPER_BOUND && power % p === 0 ? power : undefined;
}

/** The smallest power of two ≥ n. */
function powerOfTwoAtLeast(n: number): number {
  let power = 1;
  while (power < n) power *= 2;
  return power;
}

/**
 * Whether the plan may run at job parallelism p: whole TaskManagers of its ladder step, and even
 * key groups under the user's max parallelism or one the plan can recommend.
 */
export function admissibleParallelism(
  p: number,
  ladder: ShapeLadder,
  ioBound: boolean,
  explicitMax: number | undefined,
  model: Model,
): boolean {
  if (p % ladderStep(p, ladder, ioBound, model).slots !== 0) return false;
  return explicitMax !== undefined ? explicitMax % p === 0 : maxParallelismFor(p, model) !== undefined;
}

/**
 * In words, which rule made `p` the job parallelism when the slots alone need `need` (≤ p, and p
 * admissible): whole TaskManagers of its ladder step, and a divisor of the max parallelism — the
 * user's, or the modest one the plan creates the job with.
 */
export function roundedToShape(
  need: number,
  p: number,
  ladder: ShapeLadder,
  ioBound: boolean,
  explicitMax: number | undefined,
  model: Model,
): string {
  const { slots } = ladderStep(p, ladder, ioBound, model);
  const { maxParallelismRoom: room, maxParallelismChoices: choices } = model.parallelism;
  const whole = `fills whole ${slots}-slot TaskManagers of the size ladder (${p} = ${p / slots} × ${slots})`;
  const divides =
    explicitMax !== undefined
      ? `divides your max parallelism ${explicitMax}`
      : `divides ${choices === 1 ? 'the smallest' : `one of the ${choices} smallest`} recommended max parallelisms with room for ${room} × ${p} (see parallelism.max)`;
  return need < p
    ? `the slots need ${need}, rounded up to ${p}, the first value from ${need} that ${whole} and ${divides}`
    : `${p} ${whole} and ${divides}`;
}

/** The first admissible job parallelism in [from, upTo], if any. */
export function firstAdmissible(
  from: number,
  upTo: number,
  ladder: ShapeLadder,
  ioBound: boolean,
  explicitMax: number | undefined,
  model: Model,
): number | undefined {
  for (let p = Math.max(1, from); p <= Math.min(upTo, UPPER_BOUND); p++)
    if (admissibleParallelism(p, ladder, ioBound, explicitMax, model)) return p;
  return undefined;
}

/**
 * CPU sizes whose pods pack the user's node: a size must fit the node's allocatable CPU, and of
 * those the ones that leave at most a third of it unrequested (node-fit's "two-thirds" rule) —
 * or, when none does, the one that fills it best. Memory is not known before the plan, so the
 * fit is by CPU; the node fit reports memory afterwards.
 */
function sizesForNode(sizes: readonly number[], node: NodeShape): number[] {
  const cpu = Math.round(allocatable(node).cpu * 1000) / 1000;
  const fill = (c: number) => (Math.floor(cpu / c + 1e-9) * c) / cpu;
  const fitting = sizes.filter((c) => c <= cpu + 1e-9);
  if (fitting.length === 0) return [...sizes];
  const good = fitting.filter((c) => fill(c) >= 2 / 3 - 1e-9);
  if (good.length > 0) return good;
  const best = fitting.reduce((a, c) => (fill(c) > fill(a) + 1e-9 ? c : a));
  return [best];
}

/**
 * Plans on the ladder, stepping down while the plan's TaskManager pod does not fit the user's
 * node (its memory is only known once planned): the sizes at or above the pod's CPU leave the
 * ladder and the plan is made again. Each step removes at least one size, so `plan` runs at most
 * once per size; when no smaller size is left the last plan stands (the node fit reports it).
 */
export function planDownTheLadder<T>(
  ladder: ShapeLadder,
  plan: (ladder: ShapeLadder) => T,
  cpuOf: (planned: T) => number,
  fits: (planned: T) => boolean,
): { ladder: ShapeLadder; planned: T } {
  let current = ladder;
  let planned = plan(current);
  for (;;) {
    if (fits(planned)) break;
    const cpu = cpuOf(planned);
    const sizes = current.sizes.filter((c) => c < cpu);
    if (sizes.length === 0 || sizes.length >= current.sizes.length) break;
    current = {
      ...current,
      sizes,
      basis: `CPU sizes ${sizes.join('/')}: a ${cpu}-CPU TaskManager needs more memory than your node offers pods`,
    };
    planned = plan(current);
  }
  return { ladder: current, planned };
}

/** The ladder for a spec: the user's CPU or slots where given, else the model's sizes that pack the node. */
export function shapeLadder(
  cluster: ClusterSpec,
  node: NodeShape | undefined,
  cpuFromMemory: number | undefined,
  model: Model,
): ShapeLadder {
  const perSize = Math.min(
    model.taskManager.taskManagersPerSize,
    cluster.maxTaskManagers ?? Number.POSITIVE_INFINITY,
  );
  const fixedSlots =
    cluster.slotsPerTaskManager !== undefined ? { fixedSlots: cluster.slotsPerTaskManager } : {};
  const fixedCpu = cluster.taskManagerCpu ?? cpuFromMemory;
  if (fixedCpu !== undefined)
    return {
      sizes: [fixedCpu],
      perSize,
      ...fixedSlots,
      basis:
        cluster.taskManagerCpu !== undefined
          ? 'your CPU per TaskManager'
          : 'the CPU your container size suggests',
    };
  const sizes = model.taskManager.cpuCandidates;
  if (node === undefined) return { sizes, perSize, ...fixedSlots, basis: `CPU sizes ${sizes.join('/')}` };
  const packing = sizesForNode(sizes, node);
  return {
    sizes: packing,
    perSize,
    ...fixedSlots,
    nodeCpu: Math.round(allocatable(node).cpu * 1000) / 1000,
    basis: `CPU sizes ${packing.join('/')}, the ones of ${sizes.join('/')} whose pods fill your ${node.cpu}-CPU node`,
  };
}
