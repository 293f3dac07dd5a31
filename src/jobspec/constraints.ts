/** What the user may fix about the run: state backend and checkpoints, the cluster, the sizing targets. */
import { z } from 'zod';
import { parseMemorySize } from '../estimator/memory/index.js';
import { STATE_BACKENDS, TtlSecondsSchema, UPPER_BOUND_MAX_PARALLELISM } from './fields.js';
import { parseKubernetesQuantityBytes } from './quantity.js';

export const StateSchema = z
  .strictObject({
    backend: z
      .enum(STATE_BACKENDS)
      .optional()
      .describe('State backend (state.backend.type). Absent: the estimator chooses from the state size'),
    checkpointIntervalSeconds: z
      .number()
      .min(1, 'Checkpoint interval is at least 1 second')
      .max(24 * 3600, 'Checkpoint interval is at most a day')
      .default(60)
      .describe('execution.checkpointing.interval in seconds. Default 60'),
    incrementalCheckpoints: z
      .boolean()
      .optional()
      .describe('Incremental checkpoints (RocksDB only). Absent: on for RocksDB'),
    unalignedCheckpoints: z
      .boolean()
      .default(false)
      .describe('Unaligned checkpoints (execution.checkpointing.unaligned.enabled). Default false'),
    checkpointStorageBytesPerSecond: z
      .number()
      .int()
      .positive('Checkpoint storage bandwidth must be greater than 0')
      .optional()
      .describe('Upload bandwidth to checkpoint storage per TaskManager, bytes/s. Default: see the model'),
    changedStateFraction: z
      .number()
      .gt(0, 'The changed fraction must be greater than 0')
      .max(1)
      .optional()
      .describe(
        'Incremental checkpoints: share of the state rewritten between two checkpoints (0–1]. ' +
          'Default: estimated from the state write rate',
      ),
    ttlSeconds: TtlSecondsSchema.optional().describe(
      'Default state TTL for all operators (table.exec.state.ttl); an operator’s own ttlSeconds wins',
    ),
  })
  .describe('State backend and checkpointing');

/** Managed Kubernetes services whose node reserves the node fit knows (docs/exports.md, "Node fit"). */
export const NODE_CLOUDS = ['eks', 'gke', 'aks'] as const;

/** A node (VM or Kubernetes node) the TaskManagers are packed onto. */
export const NodeShapeSchema = z
  .strictObject({
    cpu: z
      .number()
      .positive('Node CPU must be greater than 0')
      .max(1024, 'Node CPU is at most 1024 cores')
      .describe('CPU cores per node'),
    memory: z
      .string()
      .min(1, 'Give the node memory as a Kubernetes quantity, e.g. "32Gi"')
      .max(64)
      .superRefine((text, ctx) => {
        let bytes: bigint;
        try {
          bytes = parseKubernetesQuantityBytes(text);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
          return;
        }
        if (bytes <= 0n) ctx.addIssue({ code: 'custom', message: 'Node memory must be greater than 0' });
      })
      .describe('Memory per node as a Kubernetes quantity, e.g. "32Gi", "32G", "32768Mi"'),
    cloud: z
      .enum(NODE_CLOUDS)
      .optional()
      .describe(
        'eks, gke or aks: cpu and memory are the node’s capacity, and that service’s documented kubelet reserves and eviction threshold are subtracted. Absent: cpu and memory are allocatable already (kubectl describe node)',
      ),
    maxPods: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .describe(
        'The node’s max-pods (EKS and AKS reserve memory per pod). Default 110 (EKS, GKE), 250 (AKS)',
      ),
  })
  .describe('The shape of the nodes the TaskManagers run on; the plan then counts nodes')
  .meta({ examples: [{ cpu: 8, memory: '32Gi' }] });

export const ClusterSchema = z
  .strictObject({
    taskManagerCpu: z
      .number()
      .positive('TaskManager CPU must be greater than 0')
      .max(256, 'TaskManager CPU is at most 256')
      .optional()
      .describe('CPU cores per TaskManager container (taskmanager.cpu.cores)'),
    taskManagerMemory: z
      .string()
      .min(1)
      .max(64)
      .superRefine((text, ctx) => {
        let bytes: bigint;
        try {
          bytes = parseMemorySize(text);
        } catch (error) {
          ctx.addIssue({
            code: 'custom',
            message: `Not a Flink memory size: ${error instanceof Error ? error.message : String(error)} (use an integer and a binary unit, e.g. "8g", "1536m")`,
          });
          return;
        }
        if (bytes <= 0n)
          ctx.addIssue({ code: 'custom', message: 'TaskManager memory must be greater than 0' });
      })
      .optional()
      .describe('TaskManager process memory in Flink syntax (taskmanager.memory.process.size), e.g. "8g"'),
    slotsPerTaskManager: z
      .number()
      .int('Slots per TaskManager is a whole number')
      .min(1)
      .max(256)
      .optional()
      .describe('taskmanager.numberOfTaskSlots'),
    maxParallelism: z
      .number()
      .int('Max parallelism is a whole number')
      .min(1)
      .max(UPPER_BOUND_MAX_PARALLELISM)
      .optional()
      .describe('pipeline.max-parallelism (number of key groups). Absent: Flink’s default rule'),
    maxTaskManagers: z
      .number()
      .int()
      .min(1)
      .max(10000)
      .optional()
      .describe('Most TaskManagers you can run; the estimate warns when it needs more'),
    networkGbps: z
      .number()
      .positive()
      .max(1000)
      .default(10)
      .describe('NIC bandwidth per TaskManager host in Gbit/s. Default 10'),
    jobManagerCpu: z.number().positive().max(64).optional().describe('JobManager CPU cores. Default 1'),
    nodeShape: NodeShapeSchema.optional(),
  })
  .describe('Constraints on the cluster; the estimator chooses whatever is not set');

export const TargetsSchema = z
  .strictObject({
    utilization: z
      .number()
      .gt(0, 'Utilization must be greater than 0')
      .max(1, 'Utilization is at most 1')
      .default(0.7)
      .describe(
        'Target busy fraction per subtask at the peak rate (autoscaler utilization.target). Default 0.7',
      ),
    catchUpMinutes: z
      .number()
      .min(0)
      .max(7 * 24 * 60)
      .default(30)
      .describe('Time to work off the backlog after a restart (autoscaler catch-up.duration). Default 30'),
    restartSeconds: z
      .number()
      .min(0)
      .max(24 * 3600)
      .default(300)
      .describe(
        'Expected restart time, whose backlog must be caught up (autoscaler restart.time). Default 300',
      ),
  })
  .describe('Sizing targets; defaults follow the Flink Kubernetes Operator autoscaler');

export type StateSpec = z.output<typeof StateSchema>;
export type ClusterSpec = z.output<typeof ClusterSchema>;
export type NodeShape = z.output<typeof NodeShapeSchema>;
export type Targets = z.output<typeof TargetsSchema>;

/** table.optimizer.agg-phase-strategy values (OptimizerConfigOptions). */
export const AGG_PHASE_STRATEGIES = ['AUTO', 'ONE_PHASE', 'TWO_PHASE'] as const;

export const SqlOptionsSchema = z
  .strictObject({
    miniBatch: z
      .union([
        z.literal(false),
        z.strictObject({
          allowLatencyMs: z
            .number()
            .positive('The mini-batch latency must be greater than 0 ms')
            .max(3_600_000, 'The mini-batch latency is at most an hour')
            .describe('table.exec.mini-batch.allow-latency in ms: how long records are buffered per batch'),
          size: z
            .number()
            .int()
            .positive('The mini-batch size must be at least 1')
            .max(1e9)
            .optional()
            .describe('table.exec.mini-batch.size: most records buffered per batch and subtask'),
        }),
      ])
      .optional()
      .describe(
        'table.exec.mini-batch.*: group aggregations buffer records and touch state once per key and batch. false or absent: off (Flink’s default, table.exec.mini-batch.enabled false), every record reads and writes state',
      ),
    aggPhaseStrategy: z
      .enum(AGG_PHASE_STRATEGIES)
      .default('AUTO')
      .describe(
        'table.optimizer.agg-phase-strategy. With mini-batch, AUTO and TWO_PHASE split group aggregations into a local (before the shuffle) and a global phase. Default AUTO',
      ),
  })
  .describe('Flink SQL options that change how operators run (api "sql" only)');

export type SqlOptions = z.output<typeof SqlOptionsSchema>;
