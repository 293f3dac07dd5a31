/**
 * JobSpec — what the user describes (docs/api.md). One zod definition serves the API (validation
 * and OpenAPI), the forms (field errors by path), the CLI and the store.
 *
 * Every object is strict: an unknown key is an error at that object's path, so a typo such as
 * `recordsPerSec` is reported rather than silently ignored. The graph rules (unknown input ids,
 * cycles, unreachable or dangling nodes, duplicate ids) are checked here too, so every consumer
 * gets issues with JSON paths such as `pipeline.operators.2.inputs.0`.
 *
 * fields.ts holds the vocabulary, window.ts / nodes.ts / pipeline.ts the detailed form,
 * workload.ts the quick form, constraints.ts state, cluster and targets, graph.ts the graph rules.
 */
import { z } from 'zod';
import { FLINK_VERSIONS } from '../estimator/memory/types.js';
import { ClusterSchema, SqlOptionsSchema, StateSchema, TargetsSchema } from './constraints.js';
import { JOB_APIS } from './fields.js';
import { PipelineSchema } from './pipeline.js';
import { WorkloadSchema } from './workload.js';

export * from './constraints.js';
export * from './fields.js';
export * from './nodes.js';
export * from './pipeline.js';
export * from './quantity.js';
export * from './window.js';
export * from './workload.js';

export const JobSpecSchema = z
  .strictObject({
    flinkVersion: z.enum(FLINK_VERSIONS).default('1.20').describe('Flink version. Default 1.20'),
    api: z
      .enum(JOB_APIS)
      .default('sql')
      .describe('How the job is written: Flink SQL / Table API (sql) or the DataStream API. Default sql'),
    sql: SqlOptionsSchema.optional(),
    workload: WorkloadSchema.optional(),
    pipeline: PipelineSchema.optional(),
    state: StateSchema.prefault({}),
    cluster: ClusterSchema.prefault({}),
    targets: TargetsSchema.prefault({}),
  })
  .superRefine((spec, ctx) => {
    if (spec.sql !== undefined && spec.api === 'datastream') {
      ctx.addIssue({
        code: 'custom',
        path: ['sql'],
        message:
          'sql options (mini-batch, aggregation phases) apply to Flink SQL jobs; this job has api "datastream"',
      });
    }
    if (spec.sql?.aggPhaseStrategy === 'TWO_PHASE' && !spec.sql.miniBatch) {
      ctx.addIssue({
        code: 'custom',
        path: ['sql', 'aggPhaseStrategy'],
        message:
          'Streaming two-phase aggregation needs mini-batch: give sql.miniBatch (Flink only splits mini-batched aggregations into local and global)',
      });
    }
    if (spec.workload !== undefined && spec.pipeline !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['pipeline'],
        message: 'Give exactly one of workload (quick form) or pipeline (detailed form), not both',
      });
    } else if (spec.workload === undefined && spec.pipeline === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['workload'],
        message: 'Give exactly one of workload (quick form) or pipeline (detailed form)',
      });
    }
  })
  .describe('What the user describes: the job (quick workload or detailed pipeline) and constraints')
  .meta({
    id: 'JobSpec',
    examples: [
      {
        flinkVersion: '1.20',
        workload: {
          sources: 2,
          operators: 4,
          sinks: 1,
          recordsPerSecond: 50000,
          avgRecordBytes: 512,
          peakFactor: 1.5,
          statefulOperators: 1,
          distinctKeys: 1000000,
          stateBytesPerKey: 200,
          complexity: 'medium',
        },
      },
      {
        flinkVersion: '1.20',
        pipeline: {
          sources: [
            { id: 'bids', kind: 'kafka', recordsPerSecond: 100000, avgRecordBytes: 200, partitions: 48 },
          ],
          operators: [
            {
              id: 'per-auction',
              kind: 'window-aggregate',
              inputs: ['bids'],
              window: { type: 'tumbling', sizeSeconds: 60 },
              distinctKeys: 100000,
              stateBytesPerKey: 64,
            },
          ],
          sinks: [{ id: 'out', kind: 'kafka', inputs: ['per-auction'] }],
        },
        state: { backend: 'rocksdb', checkpointIntervalSeconds: 60, incrementalCheckpoints: true },
      },
    ],
  });

export type JobSpec = z.output<typeof JobSpecSchema>;
export type JobSpecInput = z.input<typeof JobSpecSchema>;
