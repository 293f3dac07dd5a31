import {
  deriveJobManager,
  deriveTaskManager,
  formatMemorySizeCompact,
  MiB,
} from '../estimator/memory/index.js';
import type { FlinkVersion } from '../estimator/memory/types.js';
import { counted } from '../estimator/text.js';
import { formatBytes } from '../format.js';
import type { Estimate, JobManagerMemoryJson, TaskManagerMemoryJson } from '../schemas/estimate.js';
import { deployment } from './deployment.js';
import { DEFAULT_JAR_URI, type ManifestInput, resourceName } from './options.js';
import { optionComment } from './plan.js';
import { dynamicOptions, FLINK_HOME_LINE, script, submitApplication } from './script.js';

/** YARN's own defaults (yarn-default.xml): minimum allocation 1024 MB, maximum 8192 MB. */
export const YARN_DEFAULT_MIN_ALLOCATION_MB = 1024;
export const YARN_DEFAULT_MAX_ALLOCATION_MB = 8192;

export interface YarnScheduler {
  minAllocationMb: number;
  /** The FairScheduler's increment; the CapacityScheduler rounds to the minimum instead. */
  incrementAllocationMb?: number | undefined;
  maxAllocationMb?: number | undefined;
}

/**
 * The container YARN grants for a request of `requestMb`: the scheduler normalises every ask
 * (SchedulerUtils.normalizeRequest → Resources.normalize) up to a multiple of its step — the
 * CapacityScheduler's step is yarn.scheduler.minimum-allocation-mb, the FairScheduler's
 * yarn.resource-types.memory-mb.increment-allocation — and never below the minimum. Asks above
 * yarn.scheduler.maximum-allocation-mb are refused (InvalidResourceRequestException), which is
 * why Flink's YarnClusterDescriptor checks them before it deploys.
 */
export function yarnContainerMb(requestMb: number, scheduler: YarnScheduler): number {
  const step = scheduler.incrementAllocationMb ?? scheduler.minAllocationMb;
  return Math.max(scheduler.minAllocationMb, Math.ceil(requestMb / step) * step);
}

/** Every option that sizes TaskManager or JobManager memory, replaced when a container is refilled. */
const MEMORY_SIZE_KEY =
  /^(taskmanager|jobmanager)\.(memory\.(?!enable-jvm-direct-memory-limit)|network\.memory\.|heap\.)/;

const bytes = (n: number | bigint) => formatMemorySizeCompact(BigInt(n));
const numbers = <T extends object>(memory: T) =>
  Object.fromEntries(Object.entries(memory).map(([k, v]) => [k, Number(v)])) as Record<keyof T, number>;

export interface FilledContainers {
  /** The plan's options with both process sizes set to the containers YARN grants. */
  options: Record<string, string>;
  taskManagerMb: number;
  jobManagerMb: number;
  /** What Flink derives from `options`: the plan's breakdown, the rounding added to one component. */
  taskManager: TaskManagerMemoryJson;
  jobManager: JobManagerMemoryJson;
  warnings: string[];
}

/**
 * TaskManager options whose process size is the whole container: every component pinned at the
 * plan's bytes and the rounding given to the one that uses memory best — managed memory for
 * RocksDB (block cache and write buffers), the task heap for HashMap state. With task heap and
 * managed memory set, Flink derives total Flink memory from the components and the JVM overhead
 * as process − Flink − metaspace (ProcessMemoryUtils.deriveProcessSpecWithExplicitInternalMemory),
 * so pinning the overhead range at the plan's value makes the derivation land exactly.
 */
function taskManagerOptions(m: TaskManagerMemoryJson, containerBytes: number, rocksdb: boolean) {
  const extra = containerBytes - m.totalProcessMemory;
  const overhead = bytes(m.jvmOverhead);
  const network = bytes(m.network);
  return {
    'taskmanager.memory.process.size': bytes(containerBytes),
    'taskmanager.memory.framework.heap.size': bytes(m.frameworkHeap),
    'taskmanager.memory.task.heap.size': bytes(m.taskHeap + (rocksdb ? 0 : extra)),
    'taskmanager.memory.managed.size': bytes(m.managed + (rocksdb ? extra : 0)),
    'taskmanager.memory.framework.off-heap.size': bytes(m.frameworkOffHeap),
    'taskmanager.memory.task.off-heap.size': bytes(m.taskOffHeap),
    'taskmanager.memory.network.min': network,
    'taskmanager.memory.network.max': network,
    'taskmanager.memory.jvm-metaspace.size': bytes(m.jvmMetaspace),
    'taskmanager.memory.jvm-overhead.min': overhead,
    'taskmanager.memory.jvm-overhead.max': overhead,
  };
}

/** The JobManager likewise, the rounding going to its JVM heap (execution graph, checkpoint metadata). */
function jobManagerOptions(m: JobManagerMemoryJson, containerBytes: number) {
  const overhead = bytes(m.jvmOverhead);
  return {
    'jobmanager.memory.process.size': bytes(containerBytes),
    'jobmanager.memory.heap.size': bytes(m.jvmHeap + containerBytes - m.totalProcessMemory),
    'jobmanager.memory.off-heap.size': bytes(m.offHeap),
    'jobmanager.memory.jvm-metaspace.size': bytes(m.jvmMetaspace),
    'jobmanager.memory.jvm-overhead.min': overhead,
    'jobmanager.memory.jvm-overhead.max': overhead,
  };
}

/**
 * The plan fitted to YARN's containers: each process size rounded up as the scheduler rounds it,
 * so the process fills the container it is given, and a memory plan that Flink derives from the
 * options byte for byte. Warnings name a container above the maximum and a queue too small.
 */
export function fillYarnContainers(
  e: Estimate,
  baseOptions: Record<string, string>,
  scheduler: YarnScheduler,
  queue: { memoryMb?: number | undefined; vcores?: number | undefined } = {},
): FilledContainers {
  const tm = e.taskManagers;
  const jm = e.jobManager;
  // Flink asks YARN for the process size in whole MiB (TaskExecutorProcessSpec#getTotalProcessMemorySize).
  const taskManagerMb = yarnContainerMb(Math.floor(tm.memory.totalProcessMemory / Number(MiB)), scheduler);
  const jobManagerMb = yarnContainerMb(Math.floor(jm.memory.totalProcessMemory / Number(MiB)), scheduler);
  const options = { ...baseOptions };
  let taskManager = tm.memory;
  let jobManager = jm.memory;
  const version: FlinkVersion = e.flinkVersion;
  const tmBytes = taskManagerMb * Number(MiB);
  const jmBytes = jobManagerMb * Number(MiB);
  const warnings: string[] = [];
  if (tmBytes !== tm.memory.totalProcessMemory || jmBytes !== jm.memory.totalProcessMemory) {
    const kept = Object.fromEntries(Object.entries(options).filter(([key]) => !MEMORY_SIZE_KEY.test(key)));
    const refilled = {
      ...kept,
      ...taskManagerOptions(tm.memory, tmBytes, e.state.backend === 'rocksdb'),
      ...jobManagerOptions(jm.memory, jmBytes),
    };
    const derivedTm = deriveTaskManager(refilled, version);
    const derivedJm = deriveJobManager(refilled, version);
    if (derivedTm.valid && derivedJm.valid) {
      for (const key of Object.keys(options)) delete options[key];
      Object.assign(options, refilled);
      taskManager = numbers(derivedTm.plan.memory);
      jobManager = numbers(derivedJm.plan.memory);
    } else {
      // Kept as planned: YARN then grants a larger container than the process uses.
      warnings.push(
        'The plan could not be refilled to YARN’s rounded containers; the process sizes stay as planned.',
      );
    }
  }
  const max = scheduler.maxAllocationMb;
  if (max !== undefined && Math.max(taskManagerMb, jobManagerMb) > max) {
    const which =
      taskManagerMb > max
        ? `TaskManager containers of ${taskManagerMb} MB`
        : `the JobManager container of ${jobManagerMb} MB`;
    warnings.push(
      `${which} exceed yarn.scheduler.maximum-allocation-mb (${max} MB): YARN refuses the request and Flink fails the deployment. Plan smaller TaskManagers (cluster.taskManagerMemory of at most ${max} MB) or raise the maximum.`,
    );
  }
  const totalMb = tm.count * taskManagerMb + jobManagerMb;
  if (queue.memoryMb !== undefined && totalMb > queue.memoryMb)
    warnings.push(
      `The job needs ${totalMb} MB of containers (${tm.count} × ${taskManagerMb} MB + ${jobManagerMb} MB), more than the queue's ${queue.memoryMb} MB: YARN keeps the rest pending and the job does not start at full parallelism.`,
    );
  const vcores = tm.count * Math.ceil(tm.cpu) + Math.ceil(jm.cpu);
  if (queue.vcores !== undefined && vcores > queue.vcores)
    warnings.push(
      `The job needs ${vcores} vcores (${tm.count} × ${Math.ceil(tm.cpu)} + ${Math.ceil(jm.cpu)}), more than the queue's ${queue.vcores}.`,
    );
  return { options, taskManagerMb, jobManagerMb, taskManager, jobManager, warnings };
}

/**
 * A `flink run-application -t yarn-application` script (`flink run -t yarn-application` on 2.x): every option as a `-D` flag with its
 * reason, the process sizes rounded to YARN's containers (YarnConfigOptions for the yarn.* keys).
 */
export function yarnApplication(input: ManifestInput): {
  script: string;
  missing: string[];
  warnings: string[];
} {
  const e = input.estimate;
  const o = input.options ?? {};
  const plan = deployment(input, 'yarn');
  const scheduler: YarnScheduler = {
    minAllocationMb: o.yarnMinAllocationMb ?? YARN_DEFAULT_MIN_ALLOCATION_MB,
    incrementAllocationMb: o.yarnIncrementAllocationMb,
    maxAllocationMb: o.yarnMaxAllocationMb,
  };
  const filled = fillYarnContainers(e, plan.options, scheduler, {
    memoryMb: o.yarnQueueMemoryMb,
    vcores: o.yarnQueueVcores,
  });
  const name = resourceName(input);
  const options: Record<string, string> = {
    'yarn.application.name': name,
    ...(o.yarnQueue ? { 'yarn.application.queue': o.yarnQueue } : {}),
    'yarn.containers.vcores': String(Math.ceil(e.taskManagers.cpu)),
    'yarn.appmaster.vcores': String(Math.ceil(e.jobManager.cpu)),
    ...filled.options,
  };
  const comments: Record<string, string> = {
    'yarn.application.name': 'the application name YARN shows',
    'yarn.application.queue': 'the YARN queue to submit to',
    'yarn.containers.vcores': `vcores per TaskManager container (the plan's ${e.taskManagers.cpu} CPU, rounded up: YARN counts whole vcores)`,
    'yarn.appmaster.vcores': `vcores of the JobManager (application master) container, the plan's ${e.jobManager.cpu} CPU rounded up`,
    'taskmanager.memory.process.size': `the whole ${filled.taskManagerMb} MB YARN container${filled.taskManagerMb * 1048576 === e.taskManagers.memory.totalProcessMemory ? '' : ` (the plan's ${e.taskManagers.containerMemoryMiB} MiB rounded up as YARN rounds it, the rest given to ${e.state.backend === 'rocksdb' ? 'managed memory' : 'the task heap'})`}`,
    'jobmanager.memory.process.size': `the whole ${filled.jobManagerMb} MB YARN container of the JobManager`,
  };
  const { warnings } = filled;
  const jar = o.jarUri || './job.jar';
  const tm = filled.taskManager;
  const header = [
    `YARN application mode for Flink ${e.flinkVersion}, from Flink Estimator (model ${e.modelVersion.replace(/[\r\n]+/g, ' ')}).`,
    `${e.taskManagers.count} TaskManager containers × ${filled.taskManagerMb} MB × ${counted(Math.ceil(e.taskManagers.cpu), 'vcore')}, ${counted(e.taskManagers.slotsPerTaskManager, 'slot')} each, and a ${filled.jobManagerMb} MB JobManager; parallelism ${e.parallelism.default}.`,
    `YARN rounding: minimum allocation ${scheduler.minAllocationMb} MB${scheduler.incrementAllocationMb ? `, increment ${scheduler.incrementAllocationMb} MB (FairScheduler)` : ' (CapacityScheduler)'}${scheduler.maxAllocationMb ? `, maximum ${scheduler.maxAllocationMb} MB` : `; pass yarnMaxAllocationMb to check the maximum (YARN's default ${YARN_DEFAULT_MAX_ALLOCATION_MB} MB)`}.`,
    `Flink derives each TaskManager: task heap ${formatBytes(tm.taskHeap)}, managed ${formatBytes(tm.managed)}, network ${formatBytes(tm.network)}, process ${formatBytes(tm.totalProcessMemory)} (${tm.totalProcessMemory} bytes).`,
    'Run it where HADOOP_CLASSPATH is set (export HADOOP_CLASSPATH=$(hadoop classpath)) and FLINK_HOME points at the Flink distribution.',
    ...(plan.keepsState
      ? [
          'JobManager failover: YARN restarts the application master (yarn.application-attempts), and with ZooKeeper HA it resumes from the latest checkpoint; add -Dhigh-availability.type=zookeeper -Dhigh-availability.zookeeper.quorum=<your quorum> -Dhigh-availability.storageDir=<checkpointDir>/ha. Without HA, resume by hand: submit again with -s <latest checkpoint>.',
        ]
      : []),
    ...[...plan.missing, ...warnings].map((line) => `WARNING: ${line}`),
    ...plan.storage,
    ...plan.parallelism,
  ];
  const body = [
    FLINK_HOME_LINE,
    ...dynamicOptions('options', options, (key) => comments[key] ?? optionComment(key, e)),
    '',
    ...(jar === DEFAULT_JAR_URI || !o.jarUri
      ? ['# placeholder: the path of your job jar on this machine (or an hdfs:// URI)']
      : []),
    ...submitApplication(e.flinkVersion, 'yarn-application', o.entryClass, jar),
  ];
  return { script: script(header, body), missing: plan.missing, warnings };
}
