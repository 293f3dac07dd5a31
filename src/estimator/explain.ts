/**
 * The explanation: for each headline number, the inputs, the formula with values, the constants
 * and the constraint that decided it — generated from the same numbers the Estimate reports, so
 * it cannot drift from the engine. Written for a Flink engineer.
 */

import { formatBytes } from '../format.js';
import type { Explanation } from '../schemas/estimate.js';
import { explainBursts } from './bursts.js';
import type { PlanContext } from './context.js';
import { toNumbers } from './lists.js';
import { rocksDbSlotMemory } from './memory/index.js';
import type { Model } from './model.js';
import { localDiskLimit, stateLimitWords } from './nodes.js';
import { targetCapacity, waitsOnIo } from './parallelism/index.js';
import { counted, num, pct } from './text.js';

const bytes = (n: number | bigint) => formatBytes(n);
function rates(ctx: PlanContext): Explanation {
  const sources = ctx.nodes.flatMap(({ node: n, rates: r }) => (n.role === 'source' ? [{ n, r }] : []));
  const total = sources.reduce((a, s) => a + s.r.outRecordsPerSecond, 0);
  return {
    topic: 'rates',
    text:
      `Everything is sized for the peak: ${num(total)} records/s enter the job ` +
      `(${sources.map((s) => `"${s.n.id}" ${s.r.emission}`).join('; ')}). Rates flow through the graph in ` +
      'topological order: an operator receives the sum of its inputs and emits input × outputRatio, ' +
      'or what its kind emits (a window: one result per key and firing; a join: one row per probe row).',
    formula: 'in(node) = Σ out(inputs); out(node) = in × outputRatio (or the window/join emission)',
    inputs: { peakRecordsPerSecond: Math.round(total), form: ctx.graph.form },
    decidedBy: 'throughput',
  };
}

function cpu(ctx: PlanContext): Explanation {
  const m = ctx.model;
  return {
    topic: 'cpu.requiredCores',
    text:
      `The job needs ${num(ctx.totalRequiredCores)} cores at 100% busy for the peak rate: the sum over every ` +
      `source, operator and sink of records/s × CPU cost per record. Costs come from model ${m.version}: ` +
      `the Nexmark benchmark's measured cost per event for each operator kind (Flink 1.13, RocksDB), ` +
      `a record framework cost of ${m.cpu.recordFrameworkMicros} µs (Nexmark q0), Kafka connector costs calibrated on ` +
      `Dale Lane's fastest measured Kafka → Flink SQL → Kafka flow (~44,320 events/s per TaskManager CPU), and ` +
      'per-byte (de)serialization from published JSON/Protobuf/Avro benchmarks. Third-party rules of thumb for ' +
      'comparison: ~10,000 records/s per core for simple jobs and ~5,000 for heavier ones (flink-studies), ' +
      '1,340–44,320 events/s per CPU depending on the query (Dale Lane). Measure your job and override the ' +
      'model when you can. With headroom the job needs ' +
      `${num(ctx.targetCores)} cores (utilization target ${pct(ctx.spec.targets.utilization)} plus catch-up).`,
    formula: `requiredCores = Σ rate × µs/record ÷ 10⁶ = ${num(ctx.totalRequiredCores)}; targetCores = Σ targetCapacity × µs/record ÷ 10⁶ = ${num(ctx.targetCores)}`,
    inputs: {
      modelVersion: m.version,
      requiredCores: Math.round(ctx.totalRequiredCores * 1000) / 1000,
      targetCores: Math.round(ctx.targetCores * 1000) / 1000,
      utilization: ctx.spec.targets.utilization,
    },
    decidedBy: 'throughput',
  };
}

/** What bounds one subtask's records/s: its busy thread, or an async lookup's requests in flight. */
function capacityBound(node: PlanContext['nodes'][number]['node'], micros: number, model: Model): string {
  if (
    node.role !== 'operator' ||
    node.kind !== 'lookup-join' ||
    !node.async ||
    !waitsOnIo(node, micros, model)
  )
    return 'at 100% busy';
  const inFlight = node.asyncCapacity ?? model.lookup.defaultAsyncCapacity;
  return `with ${inFlight} requests in flight (async capacity ÷ latency; its thread is mostly idle)`;
}

function operatorExplanations(ctx: PlanContext): Explanation[] {
  const t = ctx.spec.targets;
  return ctx.nodes.map(({ node, parallelism: np, rates: r }) => {
    const rate = r.inRecordsPerSecond;
    const parts = np.cost.parts.map((p) => `${p.label} ${num(p.micros, 3)} µs`).join(' + ');
    const capacity = Number.isFinite(np.capacityPerSubtask) ? num(Math.round(np.capacityPerSubtask)) : '∞';
    // Raised for its state (nodes.ts, spreadState): say what throughput alone needs, then why more.
    const spread = ctx.stateSpread;
    const byState = np.decidedBy === 'state';
    const byThroughput = Math.ceil(np.targetRecordsPerSecond / np.capacityPerSubtask);
    const needs = byState
      ? `which needs ${byThroughput} subtask(s); its state needs ${np.needed}: the job's ${bytes(spread.bytes)} of RocksDB state (every stateful operator's share sits in each slot) over at most ${bytes(spread.limit.bytes)} per slot, ${stateLimitWords(spread.limit, ctx.spec, ctx.model)}`
      : `which needs ${np.needed} subtask(s)`;
    const text =
      `${node.role} ${node.kind}: ${num(Math.round(rate))} records/s in, ${num(Math.round(r.outRecordsPerSecond))} out (${r.emission}). ` +
      `Cost ${num(np.cost.micros, 3)} µs/record = ${parts || '0'}, so one subtask handles ${capacity} records/s ${capacityBound(node, np.cost.micros, ctx.model)}. ` +
      `The target capacity (the Kubernetes operator autoscaler's formula) is ${num(np.targetRecordsPerSecond)} records/s, ` +
      `${needs}. Parallelism ${np.parallelism}` +
      (np.explanation ? `: ${np.explanation}.` : '.') +
      (np.hotKeyShare > 0 && np.hotKeyShare > 1 / np.parallelism
        ? ` Its busiest key carries ${pct(np.hotKeyShare)} of the records, so the subtask that owns it carries max(${pct(np.hotKeyShare)}, 1/${np.parallelism}) × ${num(Math.round(rate))} = ${num(Math.round(np.hotKeyShare * rate))} records/s whatever the parallelism; its slot's CPU is sized for that.`
        : '');
    return {
      topic: `operator:${node.id}`,
      text,
      formula:
        `targetCapacity = round(rate × restart/catchUp + rate/utilization) = round(${num(rate)} × ${t.restartSeconds}/${t.catchUpMinutes * 60} + ${num(rate)}/${t.utilization}) = ${num(targetCapacity(rate, t))}; ` +
        (byState
          ? `p = max(⌈targetCapacity ÷ capacityPerSubtask⌉, ⌈state ÷ limit per slot⌉) = max(${byThroughput}, ⌈${num(spread.bytes)} ÷ ${num(Math.floor(spread.limit.bytes))}⌉) = ${np.needed}`
          : `p = ⌈targetCapacity ÷ capacityPerSubtask⌉ = ${np.needed}`),
      inputs: {
        recordsPerSecond: Math.round(rate),
        costMicrosPerRecord: Math.round(np.cost.micros * 1000) / 1000,
        capacityPerSubtask: Number.isFinite(np.capacityPerSubtask)
          ? Math.round(np.capacityPerSubtask)
          : 'unbounded',
        parallelism: np.parallelism,
      },
      decidedBy: np.decidedBy,
    };
  });
}

/** Why the plan created the job with its max parallelism (the rule in shapes.ts, maxParallelismFor). */
function planMaxText(ctx: PlanContext, p: number): string {
  const m = ctx.maxParallelism;
  const {
    recommendedMaxParallelisms: list,
    maxParallelismRoom: room,
    maxParallelismChoices: choices,
  } = ctx.model.parallelism;
  const groups = Number.isInteger(m / p) ? `${m / p}` : `about ${Math.round(m / p)}`;
  const chosen = list.includes(m)
    ? `${m} is the smallest that ${p} divides`
    : `${p} divides none of them; ${m} is the smallest power of two with that room (Flink's own default max parallelism is a power of two)`;
  return (
    `Max parallelism ${m}, set by the plan (pipeline.max-parallelism) for the new job: of ${list.join(', ')} ` +
    `(the Kubernetes operator autoscaler docs' numbers with many divisors, and 128, Flink's own default for small jobs), the first ${choices} with room for ${room} × ${p} = ${room * p} and at least 128 are candidates, and ${chosen}, so every subtask owns ${groups} key groups. ` +
    `Not a larger one: each key group costs (the HashMap backend keeps state maps and timer queues per key group, every checkpoint records each group's offset${m > 128 ? ', and above 128 every RocksDB key carries a 2-byte key-group prefix instead of 1' : ''}), ` +
    'so the parallelism is rounded up to one that divides a modest value (see the operator entries). ' +
    'Keep it for the life of the job: it cannot change once state exists, and later rescales stay even on its divisors.'
  );
}

function parallelism(ctx: PlanContext): Explanation[] {
  const p = ctx.slotsRequired;
  const busiest = ctx.nodes.find((n) => n.parallelism.parallelism === p);
  const largest = { id: busiest?.node.id ?? '' };
  const maxText =
    ctx.maxParallelismDecidedBy === 'user'
      ? `Max parallelism ${ctx.maxParallelism} is yours and is kept: it is fixed for the life of the job's state (a restore with another one fails), so keyed operators use divisors of it and a need beyond it is a warning, not a change.`
      : planMaxText(ctx, p);
  return [
    {
      topic: 'parallelism',
      text:
        `parallelism.default = ${p}, the largest operator parallelism ("${largest.id}"). Each operator gets its own ` +
        'parallelism (see the operator entries); with default slot sharing one slot runs one subtask of every operator.',
      formula: `parallelism.default = max over operators = ${p}`,
      inputs: { parallelism: p },
      decidedBy: busiest?.parallelism.decidedBy ?? 'throughput',
    },
    {
      topic: 'parallelism.max',
      text: maxText,
      formula:
        ctx.maxParallelismDecidedBy === 'user'
          ? `max parallelism = yours = ${ctx.maxParallelism}; recommended for a new job = ${ctx.recommendedMaxParallelism}`
          : `max parallelism = smallest m among the first ${ctx.model.parallelism.maxParallelismChoices} in the list with m ≥ max(128, ${ctx.model.parallelism.maxParallelismRoom} × ${p}) and ${p} | m, else the smallest power of two ≥ that = ${ctx.maxParallelism}`,
      inputs: {
        maxParallelism: ctx.maxParallelism,
        recommendedMaxParallelism: ctx.recommendedMaxParallelism,
      },
      decidedBy: ctx.maxParallelismDecidedBy === 'user' ? 'user' : 'key-groups',
    },
  ];
}

function slotsAndTaskManagers(ctx: PlanContext): Explanation[] {
  const tm = ctx.taskManagers;
  const plan = tm.planned.plan;
  const user = ctx.spec.cluster;
  return [
    {
      topic: 'slots',
      text:
        `The job needs ${counted(ctx.slotsRequired, 'slot')}: with Flink's default slot sharing a job needs as many slots as its ` +
        'highest parallelism, not the sum over operators ("Flink Architecture", Task Slots and Resources). ' +
        `${counted(tm.count, 'TaskManager')} × ${counted(tm.slotsPerTaskManager, 'slot')} = ${tm.count * tm.slotsPerTaskManager} available.`,
      formula: `slots = max parallelism over the slot-sharing group = ${ctx.slotsRequired}`,
      inputs: { slotsRequired: ctx.slotsRequired, slotsAvailable: tm.count * tm.slotsPerTaskManager },
      decidedBy: 'slot-sharing',
    },
    {
      topic: 'taskManagers.count',
      text:
        `${counted(tm.count, 'TaskManager')} with ${tm.cpu} CPU and ${counted(tm.slotsPerTaskManager, 'slot')}${tm.count === 1 ? '' : ' each'}: ${tm.shapeReason}. ` +
        `Together they have ${tm.count * tm.cpu} cores for the ${num(ctx.targetCores)} the job needs with headroom; ` +
        `the busiest TaskManager's subtasks need ${num(ctx.busiestTaskManagerCores)} (slot j holds subtask j of every operator, so the first slots carry the most). ` +
        (user.taskManagerCpu === undefined && user.slotsPerTaskManager === undefined
          ? 'The count grows smoothly with the load up to the ladder’s bound, then the next size takes over; ' +
            (tm.ioBound
              ? `${tm.slotsPerCore} slots per core: the subtasks mostly wait on a lookup, so they need slots, not cores, and CPU follows their busy time (AWS Managed Service for Apache Flink allows up to ${tm.slotsPerCore} slots per KPU for blocking I/O); `
              : "one slot per core (Flink's docs suggest slots proportional to cores); ") +
            `the parallelism is a multiple of the slots per TaskManager, so no slot idles and state splits evenly over the TaskManagers.`
          : 'CPU and/or slots per TaskManager are yours.'),
      formula: `count = ⌈slots ÷ slotsPerTM⌉ = ⌈${ctx.slotsRequired} ÷ ${tm.slotsPerTaskManager}⌉ = ${tm.count}, with Σ load(slots 0…${tm.slotsPerTaskManager - 1}) = ${num(ctx.busiestTaskManagerCores)} ≤ ${tm.cpu} CPU`,
      inputs: {
        slotsRequired: ctx.slotsRequired,
        targetCores: Math.round(ctx.targetCores * 1000) / 1000,
        cpuPerTaskManager: tm.cpu,
        slotsPerTaskManager: tm.slotsPerTaskManager,
      },
      decidedBy: tm.countDecidedBy,
    },
    {
      topic: 'taskManagers.memory',
      text:
        `Each TaskManager is a ${bytes(plan.memory.totalProcessMemory)} container (taskmanager.memory.process.size), sized by what its ${counted(tm.slotsPerTaskManager, 'slot')} need, not per core. ` +
        (tm.processDecidedBy === 'user'
          ? 'You set the container size; task heap takes what the other components leave. '
          : tm.minimumProcessBytes !== undefined
            ? `The needs below take at least ${bytes(tm.minimumProcessBytes)} once Flink adds its framework memory, metaspace and JVM overhead; rounded up to a ${bytes(ctx.model.taskManager.processStepBytes)} step. `
            : '') +
        `Each slot needs ${bytes(ctx.taskHeapPerSlotNeeded)} of task heap (${bytes(ctx.model.taskManager.taskHeapPerSlotBytes)} working set — the task heap Flink's shipped 1728m TaskManager gives its one slot` +
        (ctx.heapStatePerSlotInPlan > 0
          ? ` — plus ${bytes(ctx.heapStatePerSlotInPlan)} of heap state kept under ${pct(ctx.model.state.heapStateMaxOccupancy)} occupancy, G1's default marking threshold)`
          : ')') +
        (ctx.managedPerSlotNeeded > 0n
          ? ` and ${bytes(ctx.managedPerSlotNeeded)} of managed memory for RocksDB`
          : '') +
        `; the TaskManager needs ${tm.buffersRequired} network buffers. The breakdown is Flink's own derivation of these options.`,
      formula: `process = smallest container Flink derives slots × taskHeap, slots × managed and network from, rounded up to ${bytes(ctx.model.taskManager.processStepBytes)} = ${bytes(plan.memory.totalProcessMemory)}`,
      inputs: {
        processBytes: Number(plan.memory.totalProcessMemory),
        taskHeapPerSlotNeeded: Number(ctx.taskHeapPerSlotNeeded),
        managedPerSlotNeeded: Number(ctx.managedPerSlotNeeded),
        derivedFrom: plan.derivedFrom,
      },
      decidedBy: tm.processDecidedBy,
    },
    memoryParts(ctx),
  ];
}

function memoryParts(ctx: PlanContext): Explanation {
  const tm = ctx.taskManagers;
  const mem = tm.planned.plan.memory;
  const slots = tm.slotsPerTaskManager;
  let managedText: string;
  if (ctx.backend === 'rocksdb' && mem.managed > 0n) {
    const slot = rocksDbSlotMemory(mem.managed / BigInt(slots), {
      writeBufferRatio: ctx.model.state.rocksdbWriteBufferRatio,
    });
    const need = ctx.rocksDbNeed;
    managedText =
      `managed ${bytes(mem.managed)} (taskmanager.memory.managed.size) is RocksDB's budget, ${bytes(mem.managed / BigInt(slots))} per slot: a ${bytes(slot.blockCache)} block cache ` +
      `with a ${bytes(slot.writeBufferManager)} write-buffer manager charged inside it ((3 − r)·M/3 and 2·M·r/3, r = ${ctx.model.state.rocksdbWriteBufferRatio}). ` +
      `It is what the slot's state needs: ${bytes(need.writeBuffers)} so that ${ctx.columnFamiliesPerSlot} column families each get an 8 MiB arena block within 7/8 of the write-buffer manager, ` +
      `${bytes(need.indexBlocks)} for the index blocks, and ${bytes(need.dataBlocks)} to cache ${pct(ctx.model.state.rocksdbHotStateShare)} of the slot's ${bytes(ctx.statePerSlotBytes)} of data blocks (at most ${bytes(ctx.model.state.rocksdbMaxDataCachePerSlotBytes)}; a model assumption: the cache holds the hot set, local disk the rest). ` +
      'RocksDB memory does not grow with the state beyond that: state lives on local disk.';
  } else {
    managedText = `managed memory is 0 (taskmanager.memory.managed.size: 0): ${ctx.backend === 'hashmap' && ctx.totalStateBytes > 0 ? 'HashMap state lives on the heap' : 'a stateless streaming job does not use it'}, so it goes to the task heap (Flink "Memory tuning guide").`;
  }
  return {
    topic: 'taskManagers.memory.components',
    text:
      `Framework heap ${bytes(mem.frameworkHeap)} and off-heap ${bytes(mem.frameworkOffHeap)}, metaspace ${bytes(mem.jvmMetaspace)} (Flink defaults); ` +
      `JVM overhead ${bytes(mem.jvmOverhead)} (10% of the process, within 192 MiB–1 GiB); ` +
      `network ${bytes(mem.network)} = ${tm.planned.plan.networkBuffers} buffers of 32 KiB ` +
      `(network.min = network.max: the ${tm.buffersRequired} buffers its exchanges need × ${ctx.model.network.headroom} headroom, at least Flink's 64 MiB network.min)` +
      `; ${managedText} Task heap ${bytes(mem.taskHeap)} is what remains, ${bytes(mem.taskHeap / BigInt(slots))} per slot for the ${bytes(ctx.taskHeapPerSlotNeeded)} each needs.`,
    formula:
      'totalFlink = frameworkHeap + taskHeap + managed + frameworkOffHeap + taskOffHeap + network; process = totalFlink + metaspace + overhead',
    inputs: toNumbers(mem),
    decidedBy: 'memory',
  };
}

function state(ctx: PlanContext): Explanation[] {
  const lines = ctx.nodes.flatMap(({ node: n, stateBytes: s, shape }) =>
    s.backendBytes === 0 ? [] : [`"${n.id}": ${shape.basis} → ${bytes(s.backendBytes)}`],
  );
  const backendWhy =
    ctx.backendDecidedBy === 'user'
      ? `You chose ${ctx.backend}.`
      : ctx.totalStateBytes === 0
        ? "The job keeps no keyed state; the HashMap backend (Flink's default) is used and managed memory is set to 0."
        : ctx.backend === 'rocksdb'
          ? ctx.nodes.some((n) => n.shape.unbounded)
            ? 'RocksDB was chosen: the state grows without bound (no TTL or key count limits it), so it cannot stay on the JVM heap.'
            : `RocksDB was chosen: on the heap the job would hold ${bytes(ctx.heapStateBytes)} of state, above the ${bytes(ctx.model.state.hashmapMaxStateBytes)} the model keeps on the JVM heap (HashMap checkpoints always write the full state, and GC work grows with it); RocksDB keeps it on local disk and checkpoints incrementally.`
          : `HashMap was chosen: the job holds ${bytes(ctx.heapStateBytes)} of heap state, within the model's ${bytes(ctx.model.state.hashmapMaxStateBytes)}, and heap access avoids RocksDB's serialization cost.`;
  const overhead =
    ctx.backend === 'rocksdb'
      ? `Each RocksDB entry carries a ${'1–2'}-byte key-group prefix, the namespace, an 8-byte internal key suffix and ×${ctx.model.state.rocksdbSpaceAmplification} leveled-compaction space amplification; local disk is sized at ×${ctx.model.state.rocksdbLocalDiskFactor} for compaction (${bytes(ctx.localDiskBytes)} per TaskManager).`
      : `Each heap entry carries ~${ctx.model.state.heapEntryOverheadBytes} bytes of object overhead (CopyOnWriteStateMap entry, table slot, object headers).`;
  return [
    {
      topic: 'state',
      text:
        `${backendWhy} Total state ${bytes(ctx.totalStateBytes)}${lines.length > 0 ? `: ${lines.join('; ')}` : ''}. ` +
        'Retained state is sized at the average input rate (a TTL, an interval bound or a window holds the records of its whole period, which do not all arrive at the peak); CPU and parallelism are sized for the peak. ' +
        `${overhead} ` +
        `The busiest slot (one subtask of every operator) holds ${bytes(ctx.statePerSlotBytes)}, the busiest TaskManager ${bytes(ctx.statePerTaskManagerBytes)}.` +
        restoreText(ctx),
      formula:
        'state(operator) = entries × (payload + key-group prefix + namespace [+ TTL timestamp] + backend overhead)',
      inputs: {
        backend: ctx.backend,
        totalBytes: ctx.totalStateBytes,
        perSlotBytes: ctx.statePerSlotBytes,
        perTaskManagerBytes: ctx.statePerTaskManagerBytes,
      },
      decidedBy: ctx.backendDecidedBy === 'user' ? 'user' : 'state',
    },
    checkpoint(ctx),
  ];
}

/**
 * What a restore costs the busiest slot: its RocksDB files come back from checkpoint storage before
 * the job runs again (one download stream per slot at the S3 guideline's rate: the TaskManager's
 * slots share its NIC and restore at once); and the limit the plan kept each slot to (nodes.ts).
 */
function restoreText(ctx: PlanContext): string {
  if (ctx.backend !== 'rocksdb' || ctx.statePerSlotBytes === 0) return '';
  const rate = ctx.model.checkpoint.bytesPerSecondPerTransferThread;
  const seconds = ctx.statePerSlotBytes / rate;
  const limit = ctx.stateSpread.limit;
  const disk = localDiskLimit(ctx.taskManagers.cpu, ctx.model);
  return (
    ` A restore downloads it at ${bytes(rate)}/s per slot in ~${Math.ceil(seconds)} s of the ${ctx.spec.targets.restartSeconds} s restart target (targets.restartSeconds); the plan keeps each slot at or below ${bytes(limit.bytes)} (${stateLimitWords(limit, ctx.spec, ctx.model)}) by raising the parallelism.` +
    ` That local disk is ${ctx.localDiskBytes <= disk * 1.001 ? 'within' : 'above'} the ${bytes(disk)} a ${ctx.taskManagers.cpu}-CPU TaskManager may use (${ctx.model.state.rocksdbMaxLocalDiskPerCoreBytes / 1e9} GB = ${bytes(ctx.model.state.rocksdbMaxLocalDiskPerCoreBytes)} per core).`
  );
}

function checkpoint(ctx: PlanContext): Explanation {
  const cp = ctx.checkpoint;
  const sizeText = cp.incremental
    ? cp.changedFractionSource === 'user'
      ? `incremental: your changed fraction ${cp.changedFraction} of the ${bytes(cp.fullSizeBytes)} full state`
      : `incremental: the SST files written since the last checkpoint, estimated as the share of entries rewritten in one ${cp.intervalSeconds} s interval (${pct(cp.changedFraction)} of ${bytes(cp.fullSizeBytes)}; compaction output can add to it)`
    : `full: all ${bytes(cp.fullSizeBytes)} of state every time`;
  return {
    topic: 'state.checkpoint',
    text:
      `Each checkpoint uploads ${bytes(cp.sizeBytes)} (${sizeText}). The busiest TaskManager uploads ${bytes(cp.perTaskManagerBytes)}` +
      (cp.inFlightBytesPerTaskManager > 0
        ? ` including ${bytes(cp.inFlightBytesPerTaskManager)} of in-flight buffers (unaligned checkpoints)`
        : '') +
      ` at ${bytes(cp.storageBytesPerSecond)}/s — ${ctx.spec.state.checkpointStorageBytesPerSecond !== undefined ? 'your bandwidth' : `${cp.uploadStreams} ${ctx.backend === 'rocksdb' ? 'RocksDB transfer threads (state.backend.rocksdb.checkpoint.transfer.thread.num)' : 'snapshot streams (one per slot: each subtask writes its own heap snapshot)'} × ${bytes(ctx.model.checkpoint.bytesPerSecondPerTransferThread)}/s per S3 connection (AWS S3 performance guidelines)`}, capped by the NIC — ` +
      `so it takes ~${num(cp.estimatedDurationSeconds, 1)} s of the ${cp.intervalSeconds} s interval.`,
    formula: `duration = bytes per TaskManager ÷ upload bandwidth = ${bytes(cp.perTaskManagerBytes)} ÷ ${bytes(cp.storageBytesPerSecond)}/s`,
    inputs: {
      sizeBytes: cp.sizeBytes,
      fullSizeBytes: cp.fullSizeBytes,
      intervalSeconds: cp.intervalSeconds,
      estimatedDurationSeconds: Math.round(cp.estimatedDurationSeconds * 100) / 100,
    },
    decidedBy: 'state',
  };
}

function network(ctx: PlanContext): Explanation {
  const t = ctx.traffic;
  const n = ctx.taskManagers.count;
  return {
    topic: 'network',
    text:
      `Per TaskManager (Metzger's back-of-the-envelope method, work spread evenly over ${n}): in = source ingest ${bytes(t.ingestBytesPerSecond)}/s ` +
      `+ shuffle ${bytes(t.shuffleBytesPerSecond)}/s; out = shuffle ${bytes(t.shuffleBytesPerSecond)}/s + sinks ${bytes(t.sinkBytesPerSecond)}/s ` +
      `+ checkpoint upload ${bytes(t.checkpointBytesPerSecond)}/s. A keyed or rebalanced exchange keeps 1/${n} of its data on the machine and sends the rest. ` +
      `Against a ${ctx.spec.cluster.networkGbps} Gbit/s NIC (${bytes(ctx.nicBytesPerSecond)}/s) that is ${pct(Math.max(t.inBytesPerSecond, t.outBytesPerSecond) / ctx.nicBytesPerSecond)}. ` +
      'State on local disk adds no network traffic; with network-attached disks add state reads and writes.',
    formula:
      'in = ingest/n + shuffle/n × (n−1)/n; out = shuffle/n × (n−1)/n + sink/n + checkpointBytes/interval',
    inputs: {
      bytesInPerSecond: Math.round(t.inBytesPerSecond),
      bytesOutPerSecond: Math.round(t.outBytesPerSecond),
      nicBytesPerSecond: ctx.nicBytesPerSecond,
    },
    decidedBy: 'network',
  };
}

function buffers(ctx: PlanContext): Explanation {
  const tm = ctx.taskManagers;
  return {
    topic: 'network.buffers',
    text:
      `${ctx.exchanges.length} network exchange(s) (chained forward edges need none). Each needs, on both its sides, p_other × 2 + 8 buffers for a keyed or rebalanced edge, ` +
      `2 + 8 for a forward edge (buffers-per-channel 2, floating-buffers-per-gate 8), × ${counted(tm.slotsPerTaskManager, 'slot')} per TaskManager = ${tm.buffersRequired} buffers; ` +
      `the plan has ${tm.planned.plan.networkBuffers} (the Kubernetes operator autoscaler's MemoryTuning estimate).`,
    formula: 'buffers = slots × Σ exchanges (segments of the sending side + of the receiving side)',
    inputs: { required: tm.buffersRequired, available: Number(tm.planned.plan.networkBuffers) },
    decidedBy: tm.networkSetExplicitly ? 'network' : 'default',
  };
}

function jobManager(ctx: PlanContext): Explanation {
  const jm = ctx.jobManager;
  const h = jm.heapNeed;
  const mem = jm.planned.plan.memory;
  return {
    topic: 'jobManager',
    text:
      `JobManager: ${jm.cpu} CPU and a ${bytes(mem.totalProcessMemory)} container. Its heap holds what the job gives it: ` +
      `${bytes(h.base)} at rest (dispatcher, resource manager, REST), the execution graph of ${num(jm.load.tasks)} subtasks ` +
      `(Σ parallelism × ${bytes(ctx.model.jobManager.heapBytesPerTask)}) ${bytes(h.executionGraph)}, ` +
      `checkpoint metadata for ${num(jm.load.statefulTasks)} stateful subtasks (the retained checkpoint and one in flight) ${bytes(h.checkpointMetadata)}, ` +
      `${ctx.model.jobManager.checkpointHistory} checkpoints of statistics (web.checkpoints.history) ${bytes(h.checkpointHistory)} and ` +
      `${counted(jm.load.taskManagers, 'TaskManager')} ${bytes(h.taskManagers)}: ${bytes(h.total)} in all. ` +
      (jm.atFloor
        ? `Flink's shipped 1600m JobManager (${bytes(mem.jvmHeap)} heap) holds that, and the plan never goes below it. `
        : `The container is the smallest whose derived heap holds it, rounded up to 256 MiB. `) +
      `The key count does not matter: keyed state lives on the TaskManagers. ` +
      (jm.cpuDecidedBy === 'user'
        ? 'The CPU is yours.'
        : `CPU: one core per ${num(ctx.model.jobManager.tasksPerCore)} subtasks, at least 1.`),
    formula: `heap ≥ base + tasks × perTask + 2 × statefulTasks × handle + history × tasks × stats + TMs × perTM = ${bytes(h.total)}; heap = ${bytes(mem.jvmHeap)}`,
    inputs: {
      cpu: jm.cpu,
      processBytes: Number(mem.totalProcessMemory),
      tasks: jm.load.tasks,
      heapNeededBytes: Math.ceil(h.total),
    },
    decidedBy: jm.cpuDecidedBy === 'user' ? 'user' : jm.atFloor ? 'default' : 'memory',
  };
}

function cost(ctx: PlanContext): Explanation {
  const c = ctx.cost;
  const p = ctx.pricing;
  return {
    topic: 'cost',
    text:
      `${num(c.cores)} cores and ${num(c.memoryGiB, 2)} GiB (container requests of the TaskManagers and the JobManager) at ` +
      `${p.perCoreHour} ${p.currency} per core-hour and ${p.perGiBHour} per GiB-hour` +
      ` (defaults: AWS Fargate on-demand Linux/x86 us-east-1 list prices) × ${p.hoursPerMonth} hours a month.`,
    formula: `monthly = (cores × ${p.perCoreHour} + GiB × ${p.perGiBHour}) × ${p.hoursPerMonth} = ${num(c.monthly)} ${p.currency}`,
    inputs: { cores: c.cores, memoryGiB: c.memoryGiB, hourly: c.hourly },
    decidedBy: 'default',
  };
}

export function explain(ctx: PlanContext): Explanation[] {
  return [
    rates(ctx),
    cpu(ctx),
    ...parallelism(ctx),
    ...slotsAndTaskManagers(ctx),
    ...state(ctx),
    network(ctx),
    buffers(ctx),
    jobManager(ctx),
    cost(ctx),
    ...operatorExplanations(ctx),
    ...explainBursts(ctx.bursts, ctx.spec.state.checkpointIntervalSeconds, ctx.model),
  ];
}
