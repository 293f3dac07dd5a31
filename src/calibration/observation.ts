/**
 * An Observation: what one running Flink job measured, in one shape whatever it was read from
 * (the JobManager's REST API, Prometheus or an uploaded snapshot). It is stored as evidence and
 * never changes; it holds no credentials and no URL beyond a host name.
 */
import { z } from 'zod';

const Rate = z.number().min(0);
const MsPerSecond = z
  .strictObject({
    avg: z.number().min(0),
    max: z.number().min(0),
    min: z.number().min(0).optional(),
  })
  .describe('Milliseconds per second over the vertex’s subtasks: mean and busiest subtask');

export const ObservedVertexSchema = z.strictObject({
  id: z.string().describe('Flink JobVertexID (32 hex digits)'),
  name: z.string(),
  operators: z.array(z.string()).describe('Chained operators, from the plan’s description lines'),
  parallelism: z.number().int().min(1),
  maxParallelism: z.number().int().min(1).describe('Key groups of the vertex'),
  inputs: z.array(z.strictObject({ id: z.string(), shipStrategy: z.string() })),
  recordsInPerSecond: Rate.describe('For a source: records read (Source__<name> operator metric)'),
  recordsOutPerSecond: Rate,
  bytesInPerSecond: Rate.optional(),
  bytesOutPerSecond: Rate.optional(),
  busyTimeMsPerSecond: MsPerSecond.nullable().describe('null when Flink reports NaN'),
  backPressuredTimeMsPerSecond: MsPerSecond.nullable(),
  idleTimeMsPerSecond: MsPerSecond.nullable(),
  pendingRecords: z.number().min(0).optional().describe('Source backlog (FLIP-33 pendingRecords), summed'),
  pendingRecordsPerSecond: z.number().optional().describe('Growth of the backlog over the window'),
  sourcePartitions: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Kafka partitions read, from the reader metrics'),
  peakRecordsInPerSecond: z
    .number()
    .min(0)
    .optional()
    .describe('A source: the highest input rate within the window (Prometheus: max_over_time)'),
  sourceSamples: z
    .array(
      z.strictObject({
        recordsInPerSecond: z.number().min(0),
        backPressuredMsPerSecond: z.number().min(0).nullable().describe('Mean over subtasks'),
        pendingRecords: z.number().min(0).nullable(),
      }),
    )
    .optional()
    .describe('A source, per poll: the gauges ScalingMetrics.getObservedTpr reads'),
  stateBytes: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Latest completed checkpoint: state_size of the vertex'),
  checkpointedBytes: z.number().int().min(0).optional(),
});
export type ObservedVertex = z.output<typeof ObservedVertexSchema>;

export const ObservationSchema = z
  .strictObject({
    source: z.strictObject({
      kind: z.enum(['flink-rest', 'prometheus', 'snapshot']),
      host: z.string().optional().describe('Host the data came from (no credentials, no path, no query)'),
    }),
    flinkVersion: z.string().optional(),
    jobId: z.string(),
    jobName: z.string(),
    /** 0: one read of the …PerSecond gauges; otherwise the counters' change over this many seconds. */
    windowSeconds: z.number().min(0),
    observedAt: z.string().describe('When the (last) sample was taken, ISO 8601'),
    vertices: z.array(ObservedVertexSchema).min(1),
    checkpoint: z
      .strictObject({
        stateBytes: z.number().int().min(0),
        checkpointedBytes: z.number().int().min(0),
        durationMs: z.number().min(0),
        intervalMs: z.number().min(0).optional(),
        incremental: z.boolean().optional(),
        backend: z.string().optional(),
      })
      .optional(),
    taskManagers: z
      .strictObject({
        count: z.number().int().min(0),
        slotsPerTaskManager: z.number().int().min(0),
        cpuCores: z.number().min(0).optional(),
        memoryConfiguration: z.record(z.string(), z.number()).optional(),
      })
      .optional(),
    /** Flink configuration the JobManager reported (memory and slot keys only). */
    flinkConfig: z.record(z.string(), z.string()).optional(),
    warnings: z.array(z.string()).default([]),
  })
  .describe('What a running job measured, normalised from its source');
export type Observation = z.output<typeof ObservationSchema>;
