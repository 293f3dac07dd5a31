/**
 * Estimate — what the estimator answers (docs/api.md), with the additions a Flink engineer needs
 * to act on it. Byte amounts are JSON integers; rates are records (or bytes) per second.
 *
 * `taskManagers.memory` and `jobManager.memory` are exactly what Flink derives from the matching
 * `flinkConfig` (docs/api.md), because the engine builds both through the memory module.
 */
import { z } from 'zod';
import { FLINK_VERSIONS } from '../estimator/memory/types.js';
import { NodeFitSchema } from '../estimator/node-fit.js';
import { PlatformCostsSchema } from '../estimator/platforms.js';
import { OPERATOR_KINDS, SINK_KINDS, SOURCE_KINDS, STATE_BACKENDS } from '../jobspec/index.js';

const Bytes = z.number().int().min(0);
const Rate = z.number().min(0);

/** A Flink configuration excerpt: keys and string values exactly as in Flink's config file. */
export const FlinkConfigMapSchema = z
  .record(z.string(), z.string())
  .describe('Flink configuration keys and string values, as written in config.yaml');

/** TaskManager memory components (FLIP-49), bytes — the shape of POST /api/v1/memory/taskmanager. */
export const TaskManagerMemorySchema = z
  .strictObject({
    frameworkHeap: Bytes.describe('taskmanager.memory.framework.heap.size'),
    taskHeap: Bytes.describe('taskmanager.memory.task.heap.size'),
    managed: Bytes.describe('taskmanager.memory.managed.size (RocksDB block cache and write buffers)'),
    frameworkOffHeap: Bytes.describe('taskmanager.memory.framework.off-heap.size'),
    taskOffHeap: Bytes.describe('taskmanager.memory.task.off-heap.size'),
    network: Bytes.describe('Network buffers (taskmanager.memory.network.*)'),
    jvmMetaspace: Bytes.describe('taskmanager.memory.jvm-metaspace.size'),
    jvmOverhead: Bytes.describe('JVM overhead (taskmanager.memory.jvm-overhead.*)'),
    totalFlinkMemory: Bytes.describe('Total Flink memory'),
    totalProcessMemory: Bytes.describe('Total process memory (the container size)'),
  })
  .describe('TaskManager memory components in bytes, as Flink derives them');

/** JobManager memory components (FLIP-116), bytes. */
export const JobManagerMemorySchema = z
  .strictObject({
    jvmHeap: Bytes.describe('jobmanager.memory.heap.size'),
    offHeap: Bytes.describe('jobmanager.memory.off-heap.size'),
    jvmMetaspace: Bytes.describe('jobmanager.memory.jvm-metaspace.size'),
    jvmOverhead: Bytes.describe('JVM overhead'),
    totalFlinkMemory: Bytes.describe('Total Flink memory'),
    totalProcessMemory: Bytes.describe('Total process memory (the container size)'),
  })
  .describe('JobManager memory components in bytes, as Flink derives them');

/** Which constraint decided a number — the "binding constraint" shown next to it. */
export const DECIDED_BY = [
  'throughput',
  'catch-up',
  'partitions',
  'key-groups',
  'keys',
  'sql',
  'state',
  'memory',
  'network',
  'slot-sharing',
  'chaining',
  'container',
  'user',
  'minimum',
  'default',
] as const;
export const DecidedBySchema = z
  .enum(DECIDED_BY)
  .describe(
    'The constraint that decided this number: throughput, catch-up headroom, partitions, key groups, the keys (one key runs on one subtask), Flink SQL’s one parallelism for every operator, state, memory, network, slot sharing, operator chaining, container shape, your input, a minimum or a default',
  );
export type DecidedBy = z.output<typeof DecidedBySchema>;

export const OperatorEstimateSchema = z
  .strictObject({
    id: z.string(),
    name: z.string().optional(),
    role: z.enum(['source', 'operator', 'sink']).describe('Where the node sits in the pipeline'),
    kind: z.enum([...SOURCE_KINDS, ...OPERATOR_KINDS, ...SINK_KINDS]).describe('Connector or operator kind'),
    inputs: z.array(z.string()).describe('Upstream node ids'),
    inputRecordsPerSecond: Rate.describe('Records/s arriving at the peak rate (for a source: records read)'),
    outputRecordsPerSecond: Rate.describe('Records/s emitted at the peak rate (for a sink: 0)'),
    inputBytesPerSecond: Rate.describe('Bytes/s arriving at the peak rate'),
    outputBytesPerSecond: Rate.describe('Bytes/s emitted at the peak rate'),
    keyed: z.boolean().describe('Reads its input through a keyBy (hash) shuffle'),
    chainHead: z
      .string()
      .describe(
        'Id of the first node of the task (operator chain) this node runs in; equal to `id` for a chain’s head',
      ),
    costMicrosPerRecord: z.number().min(0).describe('Modelled CPU cost, core-microseconds per input record'),
    requiredCores: z.number().min(0).describe('Cores needed at 100% busy for the peak rate (rate × cost)'),
    parallelism: z.number().int().min(1),
    parallelismDecidedBy: DecidedBySchema,
    busyAtPeak: z.number().min(0).describe('Expected busy fraction per subtask at the peak rate'),
    stateBytes: Bytes.describe('State this node keeps, in the chosen backend, including per-entry overhead'),
  })
  .describe('One source, operator or sink: rates, cost, parallelism and state');

export const WarningSchema = z
  .strictObject({
    code: z.string().describe('Stable code, e.g. PARALLELISM_EXCEEDS_PARTITIONS'),
    severity: z.enum(['info', 'warning', 'critical']),
    message: z.string().describe('What is wrong and why it matters'),
    advice: z.string().optional().describe('What to do about it'),
    operatorId: z.string().optional().describe('The node it concerns, if one'),
  })
  .describe('A finding about the plan');

export const ExplanationSchema = z
  .strictObject({
    topic: z.string().describe('The number explained, e.g. "parallelism", "taskManagers.count"'),
    text: z.string().describe('Plain-language reasoning'),
    formula: z.string().optional().describe('The formula, with the values substituted'),
    inputs: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .optional()
      .describe('The inputs and constants that went into it'),
    decidedBy: DecidedBySchema.optional(),
  })
  .describe('How one headline number was produced');

export const EstimateSchema = z
  .strictObject({
    modelVersion: z.string().describe('Version of the coefficient model that produced this estimate'),
    flinkVersion: z.enum(FLINK_VERSIONS),
    parallelism: z
      .strictObject({
        default: z.number().int().min(1).describe('parallelism.default: the largest operator parallelism'),
        max: z.number().int().min(1).describe('pipeline.max-parallelism in force (number of key groups)'),
        maxDecidedBy: z
          .enum(['user', 'default', 'recommended'])
          .describe(
            'Set by you (kept: it is fixed for the life of the state), or recommended by the plan, which sets it (pipeline.max-parallelism); `default` (Flink’s own rule) is no longer produced',
          ),
        recommendedMax: z
          .number()
          .int()
          .min(1)
          .describe(
            'A max parallelism with many divisors that leaves room to scale (set it before the first run)',
          ),
      })
      .describe('Job parallelism'),
    operators: z
      .array(OperatorEstimateSchema)
      .describe('One entry per source, operator and sink, in topological order'),
    cpu: z
      .strictObject({
        requiredCores: z
          .number()
          .min(0)
          .describe(
            'Compute needed at 100% busy for the peak input rate, before headroom and rounding (Σ operators)',
          ),
        targetCores: z.number().min(0).describe('Cores needed with utilization and catch-up headroom'),
        taskManagerCores: z.number().min(0).describe('TaskManager count × CPU per TaskManager'),
        jobManagerCores: z.number().min(0),
        totalCores: z.number().min(0),
      })
      .describe('CPU'),
    slots: z
      .strictObject({
        required: z
          .number()
          .int()
          .min(1)
          .describe('Slots the job needs: the largest parallelism (one slot-sharing group)'),
        available: z.number().int().min(1).describe('TaskManagers × slots per TaskManager'),
      })
      .describe('Task slots'),
    taskManagers: z
      .strictObject({
        count: z.number().int().min(1),
        countDecidedBy: DecidedBySchema,
        slotsPerTaskManager: z.number().int().min(1),
        cpu: z.number().positive().describe('CPU cores per TaskManager'),
        memory: TaskManagerMemorySchema,
        flinkConfig: FlinkConfigMapSchema.describe(
          'TaskManager options (taskmanager.memory.process.size, taskmanager.numberOfTaskSlots, …) that derive to `memory`',
        ),
        containerMemoryMiB: z.number().int().min(0).describe('Kubernetes memory request: ⌊process / MiB⌋'),
        managedMemoryPerSlotBytes: Bytes,
        networkBuffers: z
          .number()
          .int()
          .min(0)
          .describe('Network buffers available: ⌊network / segment size⌋'),
        localDiskBytes: Bytes.describe('Local disk for RocksDB working files per TaskManager'),
      })
      .describe('TaskManagers'),
    jobManager: z
      .strictObject({
        cpu: z.number().positive(),
        memory: JobManagerMemorySchema,
        flinkConfig: FlinkConfigMapSchema.describe('JobManager options that derive to `memory`'),
        containerMemoryMiB: z.number().int().min(0),
      })
      .describe('JobManager'),
    state: z
      .strictObject({
        totalBytes: Bytes.describe('All state, in the chosen backend, including per-entry overhead'),
        perTaskManagerBytes: Bytes,
        perSlotBytes: Bytes,
        backend: z.enum(STATE_BACKENDS),
        backendDecidedBy: z.enum(['user', 'state']).describe('Set by you, or chosen from the state size'),
        checkpoint: z
          .strictObject({
            sizeBytes: Bytes.describe('Bytes uploaded per checkpoint (the delta when incremental)'),
            fullSizeBytes: Bytes.describe('Size of a full checkpoint (all state)'),
            incremental: z.boolean(),
            intervalSeconds: z.number().positive(),
            storageBytesPerSecond: z.number().positive().describe('Upload bandwidth per TaskManager assumed'),
            estimatedDurationSeconds: z.number().min(0),
          })
          .describe('Checkpoints'),
      })
      .describe('State'),
    network: z
      .strictObject({
        buffersRequiredPerTaskManager: z.number().int().min(0),
        buffersAvailablePerTaskManager: z.number().int().min(0),
        bytesInPerSecondPerTaskManager: Rate,
        bytesOutPerSecondPerTaskManager: Rate,
        nicBytesPerSecond: Rate.describe('NIC capacity per TaskManager host, bytes/s (networkGbps ÷ 8)'),
        utilization: z.number().min(0).describe('max(in, out) ÷ NIC capacity'),
      })
      .describe('Network'),
    cost: z
      .strictObject({
        monthly: z.number().min(0),
        hourly: z.number().min(0),
        currency: z.string(),
        perCoreHour: z.number().min(0),
        perGiBHour: z.number().min(0),
        hoursPerMonth: z.number().positive(),
        cores: z.number().min(0).describe('Cores billed (TaskManagers + JobManager)'),
        memoryGiB: z.number().min(0).describe('GiB billed: container memory of TaskManagers + JobManager'),
        platforms: PlatformCostsSchema.optional(),
      })
      .describe('Cost'),
    nodes: NodeFitSchema.optional(),
    flinkConfig: FlinkConfigMapSchema.describe(
      'Job-level options for the plan: parallelism, max parallelism, state backend, checkpointing',
    ),
    warnings: z.array(WarningSchema),
    explanation: z.array(ExplanationSchema),
  })
  .describe('The resource plan for a JobSpec')
  .meta({ id: 'Estimate' });

export type Estimate = z.output<typeof EstimateSchema>;
export type OperatorEstimate = z.output<typeof OperatorEstimateSchema>;
export type EstimateWarning = z.output<typeof WarningSchema>;
export type Explanation = z.output<typeof ExplanationSchema>;
export type TaskManagerMemoryJson = z.output<typeof TaskManagerMemorySchema>;
export type JobManagerMemoryJson = z.output<typeof JobManagerMemorySchema>;
