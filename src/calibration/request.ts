/**
 * The body of POST /api/v1/calibrations (docs/api.md, "Calibrations"): where to read the job
 * (a JobManager, a Prometheus, or an uploaded snapshot), the sizing targets, and an optional
 * target load.
 */
import { z } from 'zod';
import { JobSpecSchema, TargetsSchema } from '../jobspec/index.js';
import { AutoscalerOptionsSchema } from './evaluate.js';
import { PlanSchema, SnapshotSchema } from './flink-json.js';

/** A synchronous request polls for at most five minutes. */
export const MAX_WINDOW_SECONDS = 300;

const Url = z
  .string()
  .min(1)
  .max(2000)
  .describe('Base URL, e.g. http://flink-jobmanager:8081 (no credentials in it)');
const Token = z
  .string()
  .min(1)
  .max(4096)
  .optional()
  .describe('Bearer token sent to this host only; never stored or logged');
const JobId = z
  .string()
  .regex(/^[0-9a-f]{32}$/, 'A Flink job id is 32 hexadecimal digits')
  .optional()
  .describe('The Flink job id; absent: the only RUNNING job');
const WindowSeconds = z
  .number()
  .int()
  .min(0)
  .max(MAX_WINDOW_SECONDS, `At most ${MAX_WINDOW_SECONDS} seconds in a synchronous request`)
  .optional()
  .describe('0 (default): one read of the …PerSecond gauges; otherwise poll the counters over this window');

export const FlinkRestSourceSchema = z.strictObject({
  kind: z.literal('flink-rest'),
  url: Url,
  jobId: JobId,
  token: Token,
  windowSeconds: WindowSeconds,
});

export const PrometheusSourceSchema = z
  .strictObject({
    kind: z.literal('prometheus'),
    url: Url.describe('Prometheus base URL, e.g. http://prometheus:9090'),
    jobId: JobId,
    jobName: z.string().min(1).max(500).optional().describe('job_name label, when the id is not known'),
    token: Token,
    restUrl: Url.optional().describe('The JobManager, for the job graph (GET /jobs/:id/plan)'),
    restToken: Token,
    plan: z
      .union([PlanSchema, z.looseObject({ plan: PlanSchema })])
      .optional()
      .describe('The job graph pasted from GET /jobs/:id/plan, when the JobManager cannot be reached'),
    windowSeconds: z
      .number()
      .int()
      .min(1)
      .max(24 * 3600)
      .default(900)
      .describe('Range averaged with avg_over_time, seconds. Default 900 (the autoscaler’s metrics.window)'),
    at: z
      .union([z.number(), z.iso.datetime()])
      .optional()
      .describe('End of the window (unix seconds or ISO 8601); default now'),
  })
  .superRefine((s, ctx) => {
    if (s.jobId === undefined && s.jobName === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['jobId'],
        message: 'Give jobId or jobName to select the job’s series',
      });
    if (s.restUrl === undefined && s.plan === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['plan'],
        message: 'Prometheus knows no topology: give restUrl (the JobManager) or a pasted plan',
      });
  });

export const SnapshotSourceSchema = z.strictObject({
  kind: z.literal('snapshot'),
  snapshot: SnapshotSchema,
});

export const TargetLoadSchema = z
  .union([
    z.strictObject({
      factor: z.number().positive().max(1000).describe('Multiplies every measured source rate'),
    }),
    z.strictObject({
      recordsPerSecond: z
        .record(z.string(), z.number().positive().max(1e10))
        .describe('Records/s per source vertex id; sources not named keep their measured rate'),
    }),
  ])
  .describe('The load to size for instead of the measured one');

export const CalibrationRequestSchema = z
  .strictObject({
    source: z.discriminatedUnion('kind', [
      FlinkRestSourceSchema,
      PrometheusSourceSchema,
      SnapshotSourceSchema,
    ]),
    targets: TargetsSchema.prefault({}),
    targetLoad: TargetLoadSchema.optional(),
    autoscaler: AutoscalerOptionsSchema.prefault({}),
    windowSeconds: WindowSeconds,
    model: z
      .enum(['default', 'calibrated'])
      .default('default')
      .describe(
        'Estimate the calibrated spec with the built-in model or the one fitted to past calibrations',
      ),
    estimationId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe(
        'A saved estimation to link this calibration to; its spec (pipeline form) is mapped onto the job’s vertices unless `spec` is given',
      ),
    spec: JobSpecSchema.optional().describe(
      'Your own JobSpec (pipeline form) to calibrate: its nodes are mapped onto the vertices by flinkVertexId, then by role and kind, and keep their ids',
    ),
  })
  .superRefine((r, ctx) => {
    if (r.spec !== undefined && r.spec.pipeline === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['spec', 'pipeline'],
        message: 'Only a pipeline (detailed form) can be mapped onto the job’s vertices',
      });
  })
  .meta({
    id: 'CalibrationRequest',
    examples: [{ source: { kind: 'flink-rest', url: 'http://flink-jobmanager:8081', windowSeconds: 60 } }],
  });
export type CalibrationRequest = z.output<typeof CalibrationRequestSchema>;
