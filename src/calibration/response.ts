/**
 * The answer of POST /api/v1/calibrations and GET /api/v1/calibrations/{id}, for validation in
 * tests and for the OpenAPI document. Infinite values (nothing flows, utilization 0) are null.
 */
import { z } from 'zod';
import { JobSpecSchema } from '../jobspec/index.js';
import { EstimateSchema } from '../schemas/estimate.js';

const MsPerSecond = z
  .object({ avg: z.number(), max: z.number() })
  .nullable()
  .describe('ms per second over the vertex’s subtasks (mean, busiest); null when Flink reports NaN');
const Nullable = (d: string) => z.number().nullable().describe(d);

export const CalibratedNodeSchema = z.object({
  id: z.string().describe('Node id in the calibrated spec'),
  kind: z.string(),
  role: z.enum(['source', 'operator', 'sink']),
  modeledMicrosPerRecord: z.number().describe('The model’s cost per record this node reads, core-µs'),
  modeledShareMicros: z.number().describe('The same per record the vertex reads (its share of the chain)'),
  recordsShare: z.number().describe('Records this node reads per record the vertex reads'),
  connectorMicrosPerRecord: Nullable(
    'A source or sink: the model’s connector cost per record (inside the share)',
  ),
  measuredMicrosPerRecord: Nullable('The vertex’s measured cost split by the model’s shares'),
  costFactor: Nullable('costFactor set on this operator in the calibrated spec'),
  derivedState: z
    .object({
      field: z.enum(['distinctKeys', 'stateBytesPerKey']).describe('The field set in the calibrated spec'),
      value: z.number(),
      measuredBytes: z.number().describe('The measured state this operator was fitted to'),
      modeledBytes: z.number().describe('The model’s state with the derived value, as a checkpoint holds it'),
      from: z.string().describe('Where the state was measured'),
    })
    .nullable()
    .optional()
    .describe(
      'A keyed operator: its keys (or bytes per key) solved from the measured state; absent in calibrations stored before this field',
    ),
});

export const CalibratedVertexSchema = z.object({
  id: z.string().describe('Flink job vertex id (JobVertexID)'),
  name: z.string(),
  operators: z.array(z.string()).describe('Chained operators'),
  parallelism: z.number().int(),
  recommendedParallelism: z
    .number()
    .int()
    .describe('What the autoscaler’s rules give at the target utilization'),
  maxParallelism: z.number().int(),
  busyTimeMsPerSecond: MsPerSecond,
  backPressuredTimeMsPerSecond: MsPerSecond,
  idleTimeMsPerSecond: MsPerSecond,
  inputRecordsPerSecond: z.number(),
  outputRecordsPerSecond: z.number(),
  trueProcessingRate: Nullable(
    'Records/s the whole vertex would process at 100% busy (input ÷ busy fraction)',
  ),
  busyTimeTrueProcessingRate: Nullable('input ÷ busy fraction (computeTprFromBusyTime)'),
  observedTrueProcessingRate: Nullable(
    'A source catching up: input ÷ (1 − back-pressured share), averaged over the polls (observed-true-processing-rate.*); null when not measured',
  ),
  trueProcessingRateFrom: z
    .enum(['busy-time', 'observed'])
    .describe(
      'Which rate the autoscaler uses: observed when busy time overstates it by more than switch-threshold',
    ),
  targetRecordsPerSecond: z
    .number()
    .describe('TARGET_DATA_RATE: what arrives (sources: input + backlog growth)'),
  catchUpRecordsPerSecond: z.number().describe('CATCH_UP_DATA_RATE: backlog ÷ catch-up duration'),
  targetCapacity: Nullable('Target processing capacity at utilization.target, restart backlog included'),
  scaleFactor: Nullable('targetCapacity ÷ trueProcessingRate'),
  cappedScaleFactor: Nullable('After scale-down.max-factor and scale-up.max-factor'),
  alignmentStep: z.string().describe('e.g. "ceil 5.74 → 6 → 8, the first divisor of max parallelism 128"'),
  autoscalerParallelism: z
    .number()
    .int()
    .describe('What the autoscaler would set now: the current parallelism while a scale-down waits'),
  scaleDown: z
    .object({
      firstTriggeredAt: z
        .string()
        .describe('When this scale-down was first recommended (earlier calibrations)'),
      delayedUntil: z
        .string()
        .nullable()
        .describe('It waits until then (scale-down.interval); null once the interval has passed'),
    })
    .nullable()
    .describe('A recommended scale-down, delayed as the autoscaler does'),
  scaleUpThreshold: Nullable('Below this true processing rate the autoscaler scales up'),
  scaleDownThreshold: Nullable('Above this it scales down'),
  outsideUtilizationBand: z.boolean(),
  autoscalerWouldAct: z.boolean().describe('The autoscaler would change this vertex’s parallelism'),
  sourcePartitions: z.number().int().nullable(),
  measuredMicrosPerRecord: Nullable('Busy task-thread core-µs per record the vertex reads'),
  modeledMicrosPerRecord: z.number(),
  calibratedMicrosPerRecord: z.number(),
  measuredStateBytes: z.number().nullable(),
  modeledStateBytes: z.number(),
  nodes: z.array(CalibratedNodeSchema),
});

export const CalibrationSchema = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    estimationId: z.string().nullable().describe('The saved estimation it is linked to'),
    source: z.object({ kind: z.enum(['flink-rest', 'prometheus', 'snapshot']), host: z.string().optional() }),
    jobId: z.string(),
    jobName: z.string(),
    flinkVersion: z.string().nullable(),
    windowSeconds: z.number(),
    observedAt: z.string(),
    autoscalerWouldAct: z.boolean().describe('The autoscaler would rescale the job'),
    processingBacklog: z.boolean(),
    parallelismOverrides: z
      .string()
      .describe('pipeline.jobvertex-parallelism-overrides for the recommendation'),
    vertices: z.array(CalibratedVertexSchema),
    spec: JobSpecSchema.describe('The calibrated JobSpec'),
    estimate: EstimateSchema.describe('Its estimate'),
    modelVersion: z.string(),
    checkpoint: z.object({
      measuredStateBytes: z.number().nullable().describe('state_size of the latest completed checkpoint'),
      modeledStateBytes: z.number().describe('The model’s full checkpoint size (all state)'),
      measuredCheckpointBytes: z.number().nullable(),
      modeledCheckpointBytes: z.number(),
      changedStateFraction: z.number().nullable(),
    }),
    memoryCheck: z
      .object({
        components: z.array(
          z.object({ name: z.string(), flink: z.number(), model: z.number().nullable(), equal: z.boolean() }),
        ),
        equal: z.boolean(),
        note: z.string().optional(),
      })
      .nullable()
      .describe('TaskManager memory Flink reported (GET /taskmanagers) against the memory model'),
    mapping: z
      .object({
        from: z
          .enum(['spec', 'estimation'])
          .describe('Whose nodes: the request’s spec or the linked estimation’s'),
        nodes: z.array(
          z.object({
            id: z.string(),
            role: z.enum(['source', 'operator', 'sink']),
            vertexId: z.string().nullable(),
            matchedBy: z
              .enum(['flinkVertexId', 'kind', 'role'])
              .nullable()
              .describe('flinkVertexId given; else the same role and kind; else the same role'),
          }),
        ),
        unmatchedNodes: z.array(z.string()).describe('Nodes kept as given, not calibrated'),
        unmatchedVertices: z
          .array(z.object({ id: z.string(), name: z.string() }))
          .describe('Vertices no node of the spec runs in'),
      })
      .nullable()
      .describe(
        'How the user’s own spec was mapped onto the vertices; null when the spec was generated from the job graph',
      ),
    warnings: z.array(z.string()),
    notes: z.array(z.string()).describe('What the job graph could not tell and was assumed'),
  })
  .meta({
    id: 'Calibration',
    description: 'What a running job measured, what the autoscaler would do, and the calibrated plan',
  });
