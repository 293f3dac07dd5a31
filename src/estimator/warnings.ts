/**
 * Findings about a plan, each with a stable code, why it matters and what to do. Codes are part
 * of the API: scripts may match on them, so they are never renamed.
 */

import { formatBytes } from '../format.js';
import type { EstimateWarning } from '../schemas/estimate.js';
import type { PlanContext } from './context.js';
import { isSingleKey } from './keys.js';
import { keyGroupSkew } from './memory/index.js';
import { allocatable, nodeShapeOf } from './node-fit.js';
import { localDiskLimit, stateLimitWords } from './nodes.js';
import { scanParallelismMissing } from './parallelism/constraints.js';
import { busyAtPeak } from './parallelism/index.js';
import { count, counted } from './text.js';
import { warn } from './warn.js';
import { workloadWarnings } from './workload-warnings.js';

export const WARNING_CODES = [
  'PARALLELISM_EXCEEDS_PARTITIONS',
  'SOURCE_LIMITED_BY_PARTITIONS',
  'UNEVEN_PARTITIONS',
  'PARTITIONS_UNKNOWN',
  'SOURCE_PARALLELISM_NOT_SETTABLE',
  'UNEVEN_KEY_GROUPS',
  'MAX_PARALLELISM_TOO_LOW',
  'PARALLELISM_OVERRIDE_LOW',
  'PARALLELISM_OVERRIDE_HIGH',
  'STATE_TOO_LARGE_FOR_HEAP',
  'UNBOUNDED_STATE',
  'STATE_NOT_SIZED',
  'STATE_ASSUMPTION',
  'CHECKPOINT_EXCEEDS_INTERVAL',
  'CHECKPOINT_NEAR_INTERVAL',
  'INCREMENTAL_NOT_SUPPORTED',
  'NETWORK_NEAR_CAPACITY',
  'INSUFFICIENT_NETWORK_BUFFERS',
  'TASKMANAGER_EXCEEDS_CONTAINER',
  'CPU_UNDERPROVISIONED',
  'TOO_MANY_TASKMANAGERS',
  'LOOKUP_SYNC_LATENCY',
  'STATE_EXCEEDS_SLOT_LIMIT',
  'LOCAL_DISK_EXCEEDS_LIMIT',
  'MEMORY_ROUNDED_TO_MIB',
  // Keys and window bursts (workload-warnings.ts).
  'HOT_KEY',
  'SINGLE_KEY_IDLE_SUBTASKS',
  'WINDOW_BURST',
  // Added by the node fit (deployment-fit.ts) when a pod is larger than the user's node.
  'POD_EXCEEDS_NODE',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

const pct = (x: number) => `${Math.round(x * 100)}%`;
const bytes = (n: number | bigint) => formatBytes(n);
const round1 = (x: number) => Math.round(x * 10) / 10;

function parallelismWarnings(ctx: PlanContext): EstimateWarning[] {
  const out: EstimateWarning[] = [];
  const explicitMax = ctx.spec.cluster.maxParallelism;
  ctx.nodes.forEach(({ node, parallelism: np, rates: r }) => {
    const p = np.parallelism;
    // A SQL source's own parallelism is its table's scan.parallelism; where the connector has none
    // on this version, Flink runs it at the job parallelism and the connector's option validation
    // (FactoryUtil) refuses a DDL that sets it — so the user's value cannot be deployed as planned.
    const unsettable =
      ctx.spec.api === 'sql' && node.role === 'source' && node.parallelismOverride !== undefined
        ? scanParallelismMissing(node, ctx.spec.flinkVersion)
        : undefined;
    if (unsettable !== undefined) {
      out.push(
        warn(
          'SOURCE_PARALLELISM_NOT_SETTABLE',
          'warning',
          `Source "${node.id}" keeps the parallelism ${p} you set, but ${unsettable}: Flink SQL runs it at the job's one parallelism (table.exec.resource.default-parallelism), and a scan.parallelism option in its table DDL makes the connector refuse the job ("Unsupported options found for '${node.kind}'").`,
          `Remove its parallelism so the plan runs it at the job parallelism, or plan for the version its connector's scan.parallelism needs.`,
          node.id,
        ),
      );
    }
    if (node.role === 'source' && (node.kind === 'kafka' || node.kind === 'kinesis')) {
      if (node.partitions === undefined) {
        out.push(
          warn(
            'PARTITIONS_UNKNOWN',
            'info',
            `Source "${node.id}" has no partitions count, so its parallelism (${p}) was not checked against it.`,
            `Give partitions (the sum over all topics it reads): a source subtask without a partition idles, and parallelism that does not divide the partitions reads unevenly.`,
            node.id,
          ),
        );
      } else {
        if (np.limitedByPartitions) {
          // What is chained to the source runs on the same subtasks, so the busiest of the chain
          // is what the partitions hold back (a Flink SQL source's chain is never split off).
          const chain = ctx.nodes.filter((n) => n.parallelism.chainHead === node.id);
          const busiest = chain
            .map((n) => ({ n, busy: busyAtPeak(n.rates.inRecordsPerSecond, n.parallelism) }))
            .reduce((a, b) => (b.busy > a.busy ? b : a));
          // The chain's subtask-threads at its target, as chaining sized it (capacity.ts, work()).
          const threads = chain.reduce((a, { parallelism: q }) => {
            const c = q.capacityPerSubtask;
            return a + (Number.isFinite(c) && c > 0 ? q.targetRecordsPerSecond / c : 0);
          }, 0);
          const needed = Math.max(np.needed, Math.ceil(threads - 1e-9));
          const member = busiest.n.node.id === node.id ? '' : ` and "${busiest.n.node.id}", chained to it,`;
          out.push(
            warn(
              'SOURCE_LIMITED_BY_PARTITIONS',
              'critical',
              `Source "${node.id}"${member} need${member ? '' : 's'} ${needed} subtasks for ${Math.round(r.inRecordsPerSecond)} records/s at the target utilization, but its ${node.partitions} partitions allow only ${node.partitions}: ${member ? `"${busiest.n.node.id}"` : 'each subtask'} would be ${pct(busiest.busy)} busy at peak.`,
              `Add partitions to the topic (at least ${needed}, ideally a number with many divisors), or lower the per-record cost (format, connector settings)${member ? `, or take "${busiest.n.node.id}" off the source's subtasks: ${ctx.spec.api === 'sql' ? "in Flink SQL the source's chain runs at its partitions until its connector reads scan.parallelism (then a rebalance spreads the rest)" : 'a rebalance() before it'}` : ''}.`,
              node.id,
            ),
          );
        }
        // A source raised to the SQL job's one parallelism (its connector has no scan.parallelism
        // on this version) cannot be set apart: say so, and what would lift it.
        const sql = np.decidedBy === 'sql';
        const forced = sql
          ? ` Flink SQL runs it at the job's one parallelism (${scanParallelismMissing(node, ctx.spec.flinkVersion) ?? `the ${node.kind} connector has no scan.parallelism`}).`
          : '';
        if (p > node.partitions) {
          out.push(
            warn(
              'PARALLELISM_EXCEEDS_PARTITIONS',
              'warning',
              `Source "${node.id}" runs ${p} subtasks for ${node.partitions} partitions: ${p - node.partitions} subtasks get no partition and sit idle (and can hold back watermarks).${forced}`,
              sql
                ? `Give the topic ${p} partitions (or a multiple of ${p}), or run it where its connector reads scan.parallelism and the plan keeps it at ${node.partitions} or a divisor.`
                : `Set its parallelism to ${node.partitions} or a divisor of it.`,
              node.id,
            ),
          );
        } else if (node.partitions % p !== 0) {
          const most = Math.ceil(node.partitions / p);
          const least = Math.floor(node.partitions / p);
          out.push(
            warn(
              'UNEVEN_PARTITIONS',
              'warning',
              `Source "${node.id}" reads ${node.partitions} partitions with ${p} subtasks: some read ${most}, others ${least}, so the busiest does ${pct(most / (node.partitions / p) - 1)} more work than average.${forced}`,
              `Use a parallelism that divides ${node.partitions} (for example ${divisorsNear(node.partitions, p).join(' or ')})${sql ? ', or a partition count that is a multiple of it' : ''}.`,
              node.id,
            ),
          );
        }
      }
    }
    if (
      np.limitedByMaxParallelism ||
      (explicitMax !== undefined &&
        node.parallelismOverride !== undefined &&
        node.parallelismOverride > explicitMax)
    ) {
      out.push(
        warn(
          'MAX_PARALLELISM_TOO_LOW',
          'critical',
          `"${node.id}" needs ${np.needed} subtasks but max parallelism is ${explicitMax ?? 32768}: no operator can run above it, so the plan caps it at ${p}.`,
          explicitMax !== undefined
            ? `Raise pipeline.max-parallelism before the first run (for example to ${ctx.recommendedMaxParallelism}); it cannot change later without losing keyed state.`
            : 'The job needs more than Flink allows for one operator; split the work or lower its per-record cost.',
          node.id,
        ),
      );
    }
    if (node.role === 'operator' && np.skew > ctx.model.parallelism.keyGroupSkewTolerance) {
      const s = keyGroupSkew(p, np.maxParallelism);
      out.push(
        warn(
          'UNEVEN_KEY_GROUPS',
          'warning',
          `"${node.id}" spreads ${np.maxParallelism} key groups over ${p} subtasks: some own ${s.largest}, others ${s.smallest}, so the busiest subtask carries ${pct(np.skew - 1)} more than average and limits the operator.`,
          `Use a parallelism that divides the max parallelism (${divisorsNear(np.maxParallelism, p).join(' or ')}), or set pipeline.max-parallelism to a number with many divisors such as ${ctx.recommendedMaxParallelism} before the first run.`,
          node.id,
        ),
      );
    }
    if (node.parallelismOverride !== undefined) {
      const busy = busyAtPeak(r.inRecordsPerSecond, np);
      const target = ctx.spec.targets.utilization;
      if (p < np.needed) {
        out.push(
          warn(
            'PARALLELISM_OVERRIDE_LOW',
            busy > 1 ? 'critical' : 'warning',
            `"${node.id}" is set to ${p} subtasks but needs ${np.needed} for ${Math.round(r.inRecordsPerSecond)} records/s at ${pct(target)} utilization with catch-up headroom; at ${p} each subtask is ${pct(busy)} busy at peak${busy > 1 ? ', so it cannot keep up (backpressure, growing lag)' : ' and a restart backlog takes longer than the catch-up target to clear'}.`,
            `Raise its parallelism to at least ${np.needed}, or remove the override and let the estimate choose.`,
            node.id,
          ),
        );
      } else if (p >= 2 * Math.max(1, np.needed) && p > 2) {
        out.push(
          warn(
            'PARALLELISM_OVERRIDE_HIGH',
            'info',
            `"${node.id}" is set to ${p} subtasks; ${np.needed} would meet the target (each is ${pct(busy)} busy at peak).`,
            'Extra subtasks cost slots, network buffers and memory; lower it unless you expect growth.',
            node.id,
          ),
        );
      }
    }
    if (node.role === 'operator' && node.kind === 'lookup-join') {
      const miss = 1 - (node.cacheHitRatio ?? 0);
      const latencyMs = node.lookupLatencyMs ?? ctx.model.lookup.defaultLatencyMs;
      const cpuMicros = np.cost.micros;
      const queries = r.inRecordsPerSecond * miss;
      const asyncCapacity = node.asyncCapacity ?? ctx.model.lookup.defaultAsyncCapacity;
      // Little's law: queries/s × latency requests are in flight; async I/O keeps `capacity` per subtask.
      const asyncSubtasks = Math.max(
        1,
        Math.ceil((queries * (latencyMs / 1000)) / asyncCapacity / ctx.spec.targets.utilization),
      );
      if (!node.async && miss * latencyMs * 1000 > cpuMicros) {
        out.push(
          warn(
            'LOOKUP_SYNC_LATENCY',
            'warning',
            `Lookup join "${node.id}" is synchronous: each of its ${p} subtasks waits ${round1(miss * latencyMs)} ms per record on average for the external system, more than its ${round1(cpuMicros)} µs of CPU, so parallelism is sized for waiting, not work (the plan lets its slots share cores: they need threads, not CPU). The external system then receives about ${count(queries)} queries/s at peak over ${p} concurrent connections.`,
            `Use async lookups ('table.exec.async-lookup.*' / the LOOKUP hint with 'async'='true'): with ${asyncCapacity} requests in flight per subtask, ${asyncSubtasks} subtask(s) would carry the same ${count(queries)} queries/s. A lookup cache (lookup.cache = PARTIAL) with a high hit ratio cuts the queries themselves; check that the external system can serve this rate.`,
            node.id,
          ),
        );
      }
    }
  });
  return out;
}

/** Divisors of n nearest to p (below and above), for advice. */
function divisorsNear(n: number, p: number): number[] {
  let below = p;
  while (below > 1 && n % below !== 0) below--;
  let above = p;
  while (above < n && n % above !== 0) above++;
  return [...new Set([below, above])].filter((d) => d >= 1);
}

/**
 * What keeps state from spreading further: a user's parallelism, the max parallelism, one key, or
 * the user's slots per TaskManager — the stateful operators that hold the busiest slot's state.
 */
function stateConstraints(ctx: PlanContext): { words: string[]; operatorId?: string } {
  const held = ctx.nodes
    .filter((n) => n.stateBytes.backendBytes > 0)
    .sort(
      (a, b) =>
        b.stateBytes.backendBytes / b.parallelism.parallelism -
        a.stateBytes.backendBytes / a.parallelism.parallelism,
    );
  const words: string[] = [];
  let operatorId: string | undefined;
  for (const { node, parallelism: np } of held) {
    const why =
      node.parallelismOverride !== undefined
        ? `your parallelism ${node.parallelismOverride} on "${node.id}"`
        : isSingleKey(node)
          ? `the one key of "${node.id}" (its state stays on one subtask)`
          : np.limitedByMaxParallelism
            ? `max parallelism ${np.maxParallelism} on "${node.id}"`
            : undefined;
    if (why === undefined) continue;
    words.push(why);
    operatorId ??= node.id;
  }
  const slots = ctx.spec.cluster.slotsPerTaskManager;
  if (slots !== undefined) words.push(`your ${counted(slots, 'slot')} per TaskManager`);
  if (words.length === 0) words.push(`the plan's parallelism ${ctx.slotsRequired}`);
  return { words, ...(operatorId !== undefined ? { operatorId } : {}) };
}

function stateWarnings(ctx: PlanContext): EstimateWarning[] {
  const out: EstimateWarning[] = [];
  const limit = ctx.stateSpread.limit;
  if (ctx.backend === 'rocksdb') {
    const disk = localDiskLimit(ctx.taskManagers.cpu, ctx.model);
    const slotOver = ctx.statePerSlotBytes > limit.bytes * 1.001;
    const diskOver = ctx.localDiskBytes > disk * 1.001;
    const constraints = slotOver || diskOver ? stateConstraints(ctx) : undefined;
    if (constraints && slotOver)
      out.push(
        warn(
          'STATE_EXCEEDS_SLOT_LIMIT',
          'warning',
          `The busiest slot keeps ${bytes(ctx.statePerSlotBytes)} of state, above the ${bytes(limit.bytes)} a slot may hold (${stateLimitWords(limit, ctx.spec, ctx.model)}): ${constraints.words.join(', ')} ${constraints.words.length === 1 ? 'prevents' : 'prevent'} spreading it over ${Math.ceil((ctx.statePerSlotBytes * ctx.slotsRequired) / limit.bytes)} subtasks.`,
          'Raise the parallelism (and the max parallelism before the first run), shorten the retention, or allow a longer restart.',
          constraints.operatorId,
        ),
      );
    if (constraints && diskOver)
      out.push(
        warn(
          'LOCAL_DISK_EXCEEDS_LIMIT',
          'warning',
          `Each TaskManager keeps ${bytes(ctx.localDiskBytes)} of RocksDB files on local disk (its slots' state ×${ctx.model.state.rocksdbLocalDiskFactor} for compaction), above the ${bytes(disk)} its ${ctx.taskManagers.cpu} CPU may use (${ctx.model.state.rocksdbMaxLocalDiskPerCoreBytes / 1e9} GB = ${bytes(ctx.model.state.rocksdbMaxLocalDiskPerCoreBytes)} per core, AWS Managed Service for Apache Flink's storage per KPU): ${constraints.words.join(', ')} ${constraints.words.length === 1 ? 'prevents' : 'prevent'} spreading it.`,
          'Give the job more parallelism or fewer slots per TaskManager, or size the RocksDB volume for it and expect longer restores and compactions.',
          constraints.operatorId,
        ),
      );
  }
  ctx.nodes.forEach(({ node, shape }) => {
    if (node.role !== 'operator') return;
    if (shape.unbounded) {
      out.push(
        warn(
          'UNBOUNDED_STATE',
          'warning',
          `"${node.id}" (${node.kind}) has no state TTL, so its state grows for as long as the job runs. The estimate assumes ${shape.basis}${shape.assumption ? ` — ${shape.assumption}` : ''}.`,
          `Set a TTL (the STATE_TTL hint on the join, or table.exec.state.ttl) that matches how late a match can arrive, or use an interval or temporal join.`,
          node.id,
        ),
      );
    } else if (shape.assumption) {
      out.push(
        warn(
          'STATE_ASSUMPTION',
          'info',
          `"${node.id}": ${shape.assumption}.`,
          'Give distinctKeys and stateBytesPerKey to replace the assumption.',
          node.id,
        ),
      );
    }
    if (shape.notSized) {
      out.push(
        warn(
          'STATE_NOT_SIZED',
          'warning',
          `"${node.id}" (${node.kind}) keeps keyed state, but its size is unknown and counted as 0.`,
          `To size it, ${shape.notSized}.`,
          node.id,
        ),
      );
    }
  });
  const slotHeap = ctx.heapStatePerSlotInPlan;
  if (
    ctx.backend === 'hashmap' &&
    ctx.backendDecidedBy === 'user' &&
    slotHeap > ctx.model.state.hashmapMaxStateBytesPerSlot
  ) {
    out.push(
      warn(
        'STATE_TOO_LARGE_FOR_HEAP',
        ctx.taskManagers.doesNotFit ? 'critical' : 'warning',
        `With the HashMap backend every slot keeps ${bytes(slotHeap)} of state on the JVM heap; above ${bytes(ctx.model.state.hashmapMaxStateBytesPerSlot)} per slot, garbage collection pauses and full-heap risk grow, and the TaskManager must be sized for it.`,
        'Use the RocksDB backend (state.backend.type: rocksdb): state moves to local disk and memory stays bounded by managed memory.',
      ),
    );
  }
  // Only a HashMap the user chose conflicts with asking for incremental checkpoints; when the
  // engine chose it (small state), the state explanation says its checkpoints are full.
  if (
    ctx.backend === 'hashmap' &&
    ctx.backendDecidedBy === 'user' &&
    ctx.spec.state.incrementalCheckpoints === true
  ) {
    out.push(
      warn(
        'INCREMENTAL_NOT_SUPPORTED',
        'info',
        'Incremental checkpoints are a RocksDB feature; with the HashMap backend every checkpoint writes the full state.',
        'Use RocksDB if checkpoints of the full state take too long.',
      ),
    );
  }
  return out;
}

function resourceWarnings(ctx: PlanContext): EstimateWarning[] {
  const out: EstimateWarning[] = [];
  const tm = ctx.taskManagers;
  const plan = tm.planned.plan;
  if (tm.doesNotFit) {
    const needed = tm.doesNotFit.neededBytes;
    out.push(
      warn(
        'TASKMANAGER_EXCEEDS_CONTAINER',
        'critical',
        `The TaskManager needs do not fit ${ctx.spec.cluster.taskManagerMemory !== undefined ? `the ${ctx.spec.cluster.taskManagerMemory} container you set` : `a ${bytes(ctx.model.taskManager.maxProcessBytes)} container`}: ${tm.doesNotFit.reason}. The plan shown uses Flink's defaults for that container, which leaves the job short of memory.`,
        needed !== undefined
          ? `Use at least ${bytes(needed)} per TaskManager, fewer slots per TaskManager, or the RocksDB backend.`
          : 'Use fewer slots per TaskManager or the RocksDB backend.',
      ),
    );
  }
  const tmCores = tm.count * tm.cpu;
  const node = nodeShapeOf(ctx.spec.cluster);
  const nodeCpu = node && Math.round(allocatable(node).cpu * 1000) / 1000;
  // A chain runs one thread per subtask that gets records, so it can use at most that many cores:
  // what a source's partitions hold back beyond it is SOURCE_LIMITED_BY_PARTITIONS, not a
  // shortage of TaskManager CPU.
  const chains = new Map<string, { cores: number; threads: number }>();
  for (const n of ctx.nodes) {
    const c = chains.get(n.parallelism.chainHead) ?? { cores: 0, threads: n.parallelism.activeSubtasks };
    c.cores += n.targetCores;
    chains.set(n.parallelism.chainHead, c);
  }
  const usableCores = [...chains.values()].reduce((a, c) => a + Math.min(c.cores, c.threads), 0);
  if (tmCores + 1e-9 < usableCores || ctx.busiestTaskManagerCores > tm.cpu + 1e-9) {
    const short = tmCores + 1e-9 < usableCores;
    out.push(
      warn(
        'CPU_UNDERPROVISIONED',
        tmCores < ctx.totalRequiredCores ||
          ctx.busiestTaskManagerCores > tm.cpu * (1 / ctx.spec.targets.utilization)
          ? 'critical'
          : 'warning',
        short
          ? `${counted(tm.count, 'TaskManager')} × ${tm.cpu} CPU = ${counted(tmCores, 'core')}, but the job needs ${round1(ctx.targetCores)} at the target utilization (${round1(ctx.totalRequiredCores)} at 100% busy).`
          : `The busiest TaskManager hosts ${tm.slotsPerTaskManager} slot(s) whose subtasks need ${round1(ctx.busiestTaskManagerCores)} cores at the target utilization, more than its ${tm.cpu} CPU (slot j holds subtask j of every operator, so the first slots are the busiest)${nodeCpu !== undefined && Math.ceil(ctx.busiestTaskManagerCores) > nodeCpu ? `; your node's ${nodeCpu} allocatable CPU takes no larger TaskManager pod` : ''}.`,
        `Give each TaskManager more CPU (${Math.ceil(ctx.busiestTaskManagerCores)} or more${nodeCpu !== undefined && Math.ceil(ctx.busiestTaskManagerCores) > nodeCpu ? ', on a larger node' : ''}) or fewer slots per TaskManager.`,
      ),
    );
  }
  const maxTms = ctx.spec.cluster.maxTaskManagers;
  if (maxTms !== undefined && tm.count > maxTms) {
    out.push(
      warn(
        'TOO_MANY_TASKMANAGERS',
        'warning',
        `The plan needs ${counted(tm.count, 'TaskManager')}, more than the ${maxTms} you allow.`,
        'Allow larger TaskManagers (more CPU and slots each), or reduce the load.',
      ),
    );
  }
  const available = Number(plan.networkBuffers);
  if (tm.buffersRequired > available) {
    out.push(
      warn(
        'INSUFFICIENT_NETWORK_BUFFERS',
        'critical',
        `Each TaskManager needs about ${tm.buffersRequired} network buffers for the job's exchanges but has ${available}; Flink fails to deploy tasks with "Insufficient number of network buffers".`,
        `Set taskmanager.memory.network.min and .max to ${bytes(tm.buffersRequired * ctx.model.network.segmentBytes)} or more, or use fewer slots per TaskManager.`,
      ),
    );
  }
  const util =
    ctx.nicBytesPerSecond > 0
      ? Math.max(ctx.traffic.inBytesPerSecond, ctx.traffic.outBytesPerSecond) / ctx.nicBytesPerSecond
      : 0;
  if (util > ctx.model.network.nicWarnUtilization) {
    out.push(
      warn(
        'NETWORK_NEAR_CAPACITY',
        util > 1 ? 'critical' : 'warning',
        `Each TaskManager host moves ${bytes(ctx.traffic.inBytesPerSecond)}/s in and ${bytes(ctx.traffic.outBytesPerSecond)}/s out, ${pct(util)} of a ${ctx.spec.cluster.networkGbps} Gbit/s NIC, leaving little room for recovery catch-up.`,
        'Spread the job over more TaskManagers (fewer slots each), use faster NICs, compress records, or reduce checkpoint traffic with incremental checkpoints.',
      ),
    );
  }
  const cp = ctx.checkpoint;
  if (cp.estimatedDurationSeconds > cp.intervalSeconds) {
    out.push(
      warn(
        'CHECKPOINT_EXCEEDS_INTERVAL',
        'critical',
        `A checkpoint uploads about ${bytes(cp.perTaskManagerBytes)} per TaskManager at ${bytes(cp.storageBytesPerSecond)}/s and takes ~${round1(cp.estimatedDurationSeconds)} s, longer than the ${cp.intervalSeconds} s interval: checkpoints queue up and recovery replays more.`,
        `Raise execution.checkpointing.interval above ${Math.ceil(cp.estimatedDurationSeconds * 2)} s, use incremental RocksDB checkpoints, or spread state over more TaskManagers.`,
      ),
    );
  } else if (cp.estimatedDurationSeconds > cp.intervalSeconds * ctx.model.checkpoint.warnFractionOfInterval) {
    out.push(
      warn(
        'CHECKPOINT_NEAR_INTERVAL',
        'warning',
        `A checkpoint takes ~${round1(cp.estimatedDurationSeconds)} s of its ${cp.intervalSeconds} s interval.`,
        'Leave the job time between checkpoints: raise the interval or set execution.checkpointing.min-pause.',
      ),
    );
  }
  if (ctx.userMemoryRoundedFrom !== undefined) {
    out.push(
      warn(
        'MEMORY_ROUNDED_TO_MIB',
        'info',
        `taskManagerMemory ${ctx.spec.cluster.taskManagerMemory} (${ctx.userMemoryRoundedFrom} bytes) is not a whole number of MiB; the plan uses ${bytes(plan.memory.totalProcessMemory)}, what a Kubernetes pod would request.`,
        'Give the container size in whole MiB or GiB.',
      ),
    );
  }
  return out;
}

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

export function collectWarnings(ctx: PlanContext): EstimateWarning[] {
  const all = [
    ...resourceWarnings(ctx),
    ...parallelismWarnings(ctx),
    ...stateWarnings(ctx),
    ...workloadWarnings(ctx),
  ];
  // Most severe first; within a severity the order above (stable sort).
  return all.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}
