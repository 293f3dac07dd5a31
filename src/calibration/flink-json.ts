/**
 * The Flink REST responses a calibration reads (Flink 1.18–1.20), as they really are on the wire
 * rather than as the generated OpenAPI spec says (docs/static/generated/rest_v1_dispatcher.yml):
 * aggregated metrics are a bare array; numbers may be the string "NaN" (Jackson writes NaN
 * doubles as strings); fields the spec omits (slotSharingGroupId, operator_metadata) or that
 * newer versions add are tolerated. Only what the calibration uses is declared.
 */
import { z } from 'zod';

/** A JSON number, or a number written as a string ("NaN", "12.5"); NaN when not a number. */
export const FlinkNumber = z
  .union([z.number(), z.string()])
  .transform((v) => (typeof v === 'number' ? v : Number(v)));

const Counter = FlinkNumber.optional();

export const PlanNodeSchema = z.looseObject({
  id: z.string(),
  parallelism: z.number().int().optional(),
  description: z.string().optional(),
  operator: z.string().optional(),
  inputs: z.array(z.looseObject({ id: z.string(), ship_strategy: z.string().optional() })).optional(),
});

export const PlanSchema = z.looseObject({
  jid: z.string().optional(),
  name: z.string().optional(),
  nodes: z.array(PlanNodeSchema),
});
export type FlinkPlan = z.output<typeof PlanSchema>;

/** GET /jobs/:jobid — JobDetailsInfo. */
export const JobDetailsSchema = z.looseObject({
  jid: z.string(),
  name: z.string(),
  state: z.string().optional(),
  maxParallelism: z.number().int().optional(),
  vertices: z.array(
    z.looseObject({
      id: z.string(),
      name: z.string(),
      parallelism: z.number().int().min(1),
      maxParallelism: z.number().int().optional(),
      metrics: z
        .looseObject({
          'read-bytes': Counter,
          'write-bytes': Counter,
          'read-records': Counter,
          'write-records': Counter,
          'accumulated-busy-time': Counter,
          'accumulated-idle-time': Counter,
          'accumulated-backpressured-time': Counter,
        })
        .optional(),
    }),
  ),
  plan: PlanSchema.optional(),
});
export type JobDetails = z.output<typeof JobDetailsSchema>;

/** GET /jobs/:jobid/vertices/:vid/subtasks/metrics?get=…&agg=… — a bare array (AggregatedMetric). */
export const AggregatedMetricsSchema = z.array(
  z.looseObject({
    id: z.string(),
    min: FlinkNumber.optional(),
    max: FlinkNumber.optional(),
    avg: FlinkNumber.optional(),
    sum: FlinkNumber.optional(),
    skew: FlinkNumber.optional(),
  }),
);
export type AggregatedMetrics = z.output<typeof AggregatedMetricsSchema>;

/** GET …/subtasks/metrics without `get`: the names that exist. */
export const MetricNamesSchema = z.array(z.looseObject({ id: z.string() }));

const CheckpointStats = z.looseObject({
  id: FlinkNumber.optional(),
  state_size: FlinkNumber.optional(),
  full_state_size: FlinkNumber.optional(),
  checkpointed_size: FlinkNumber.optional(),
  end_to_end_duration: FlinkNumber.optional(),
  tasks: z
    .record(
      z.string(),
      z.looseObject({ state_size: FlinkNumber.optional(), checkpointed_size: FlinkNumber.optional() }),
    )
    .optional(),
});

/**
 * GET /jobs/:jobid/checkpoints/details/:checkpointid — one checkpoint with its per-vertex `tasks`
 * (CheckpointStatisticDetailsHandler asks for the task statistics the overview leaves out).
 */
export const CheckpointDetailsSchema = CheckpointStats;

/** GET /jobs/:jobid/checkpoints — CheckpointingStatistics. */
export const CheckpointingStatisticsSchema = z.looseObject({
  latest: z.looseObject({ completed: CheckpointStats.nullable().optional() }).optional(),
});

/** GET /jobs/:jobid/checkpoints/config. */
export const CheckpointConfigSchema = z.looseObject({
  interval: FlinkNumber.optional(),
  state_backend: z.string().optional(),
  checkpoint_storage: z.string().optional(),
});

/** GET /taskmanagers — TaskManagersInfo. */
export const TaskManagersSchema = z.looseObject({
  taskmanagers: z.array(
    z.looseObject({
      id: z.string(),
      slotsNumber: z.number().int().optional(),
      hardware: z.looseObject({ cpuCores: FlinkNumber.optional() }).optional(),
      memoryConfiguration: z.record(z.string(), FlinkNumber).optional(),
    }),
  ),
});

/** GET /jobmanager/config — [{ key, value }]. */
export const ClusterConfigSchema = z.array(z.looseObject({ key: z.string(), value: z.string() }));

/** GET /overview — ClusterOverviewWithVersion. */
export const OverviewSchema = z.looseObject({ 'flink-version': z.string().optional() });

/** GET /jobs/overview. */
export const JobsOverviewSchema = z.looseObject({
  jobs: z.array(z.looseObject({ jid: z.string(), name: z.string(), state: z.string() })),
});

/**
 * One read of every vertex's metrics. `job` is the JobDetailsInfo at that time (its cumulative
 * read/write counters); `metrics` are the aggregated subtask metrics per vertex id.
 */
export const PollSchema = z.strictObject({
  timestampMs: z.number().describe('When the poll was taken, ms since the epoch'),
  job: JobDetailsSchema.optional(),
  metrics: z.record(z.string(), AggregatedMetricsSchema),
});

/**
 * A snapshot: the JobManager's own JSON, as the documented curl script (or
 * `flink-estimator snapshot --rest URL`) collects it, so a calibration needs no network access.
 */
export const SnapshotSchema = z
  .strictObject({
    overview: OverviewSchema.optional(),
    job: JobDetailsSchema.describe('GET /jobs/:jobid'),
    plan: z
      .looseObject({ plan: PlanSchema })
      .optional()
      .describe('GET /jobs/:jobid/plan, when `job` has no plan'),
    metricNames: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .describe('Per vertex id: the metric names GET …/subtasks/metrics lists'),
    metrics: z
      .record(z.string(), AggregatedMetricsSchema)
      .optional()
      .describe('Per vertex id: GET …/subtasks/metrics?get=…&agg=min,max,avg,sum (one read)'),
    polls: z.array(PollSchema).optional().describe('Several reads over a window, oldest first'),
    checkpoints: CheckpointingStatisticsSchema.optional(),
    checkpointConfig: CheckpointConfigSchema.optional(),
    taskmanagers: TaskManagersSchema.optional(),
    jobmanagerConfig: ClusterConfigSchema.optional(),
  })
  .describe('Flink REST responses of one job, collected offline');
export type Snapshot = z.output<typeof SnapshotSchema>;
export type SnapshotInput = z.input<typeof SnapshotSchema>;
