/**
 * The nodes of a pipeline: sources, operators and sinks. Which optional fields an operator
 * understands depends on its kind; a field of another kind is an error at that field's path
 * ("boundSeconds does not apply to a map operator") rather than silently ignored.
 */
import { z } from 'zod';
import {
  DistinctKeysSchema,
  FlinkVertexIdSchema,
  FormatSchema,
  HotKeyShareSchema,
  InputsSchema,
  NodeIdSchema,
  NodeNameSchema,
  OPERATOR_KINDS,
  type OperatorKind,
  ParallelismOverrideSchema,
  PeakFactorSchema,
  RecordBytesSchema,
  RecordsPerSecondSchema,
  SINK_KINDS,
  SOURCE_KINDS,
  StateBytesPerKeySchema,
  TtlSecondsSchema,
  TWO_INPUT_KINDS,
} from './fields.js';
import { WindowSchema } from './window.js';

const YEAR_SECONDS = 366 * 24 * 3600;

export const SourceSchema = z
  .strictObject({
    id: NodeIdSchema,
    name: NodeNameSchema.optional(),
    kind: z.enum(SOURCE_KINDS).describe('Source connector'),
    recordsPerSecond: RecordsPerSecondSchema.describe('Average records per second this source reads'),
    avgRecordBytes: RecordBytesSchema,
    peakFactor: PeakFactorSchema.optional().describe(
      'Peak rate ÷ average rate for this source (≥ 1); the estimate sizes for the peak. Default 1',
    ),
    partitions: z
      .number()
      .int('Partitions is a whole number')
      .min(1, 'At least 1 partition')
      .max(100000, 'At most 100,000 partitions')
      .optional()
      .describe(
        'Kafka partitions (summed over the topics read) or Kinesis shards; source parallelism never exceeds it',
      ),
    format: FormatSchema.optional(),
    parallelism: ParallelismOverrideSchema.optional(),
    flinkVertexId: FlinkVertexIdSchema.optional(),
    inputs: z
      .array(z.string())
      .max(0, 'A source has no inputs: it reads from outside the job. Use an operator to combine streams')
      .optional()
      .describe('Must be absent or empty: sources have no upstream nodes'),
  })
  .describe('A source: where records enter the job')
  .meta({
    examples: [{ id: 'bids', kind: 'kafka', recordsPerSecond: 100000, avgRecordBytes: 200, partitions: 48 }],
  });

/** The sides' TTL fields of the joins that keep both sides' rows until a TTL expires. */
const SIDE_TTL_FIELDS = ['leftTtlSeconds', 'rightTtlSeconds'] as const;
const KEYED_FIELDS = ['distinctKeys', 'stateBytesPerKey', 'hotKeyShare'] as const;

/** Which optional fields each operator kind understands (docs/api.md); others are an error. */
export const OPERATOR_FIELDS: Record<OperatorKind, readonly string[]> = {
  map: ['costFactor'],
  filter: ['costFactor'],
  flatmap: ['costFactor'],
  project: ['costFactor'],
  udf: ['costFactor'],
  aggregate: [...KEYED_FIELDS, 'distinctAggregates', 'ttlSeconds', 'costFactor'],
  'window-aggregate': ['window', ...KEYED_FIELDS, 'distinctAggregates', 'costFactor'],
  'window-join': ['window', ...KEYED_FIELDS, 'costFactor'],
  'interval-join': ['boundSeconds', 'lowerBoundSeconds', 'upperBoundSeconds', ...KEYED_FIELDS, 'costFactor'],
  'regular-join': ['ttlSeconds', ...SIDE_TTL_FIELDS, ...KEYED_FIELDS, 'costFactor'],
  'temporal-join': [...KEYED_FIELDS, 'ttlSeconds', ...SIDE_TTL_FIELDS, 'costFactor'],
  'lookup-join': ['lookupLatencyMs', 'cacheHitRatio', 'async', 'asyncCapacity', 'costFactor'],
  deduplicate: [...KEYED_FIELDS, 'ttlSeconds', 'costFactor'],
  'top-n': ['n', ...KEYED_FIELDS, 'ttlSeconds', 'costFactor'],
};
const KIND_SPECIFIC_FIELDS = [
  'costFactor',
  'distinctKeys',
  'stateBytesPerKey',
  'distinctAggregates',
  'window',
  'boundSeconds',
  'ttlSeconds',
  'lookupLatencyMs',
  'cacheHitRatio',
  'async',
  'asyncCapacity',
  'n',
  'lowerBoundSeconds',
  'upperBoundSeconds',
  'leftTtlSeconds',
  'rightTtlSeconds',
  'hotKeyShare',
] as const;

const IntervalBoundSchema = z
  .number()
  .min(-YEAR_SECONDS, 'An interval bound is at least a year before')
  .max(YEAR_SECONDS, 'An interval bound is at most a year after');

type OperatorFields = {
  kind: OperatorKind;
  inputs: readonly string[];
  window?: { type: string } | undefined;
} & Partial<Record<(typeof KIND_SPECIFIC_FIELDS)[number], unknown>>;

/** The rules an operator's fields must follow together; each issue at the field to change. */
function checkOperator(op: OperatorFields, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  const allowed = OPERATOR_FIELDS[op.kind];
  for (const field of KIND_SPECIFIC_FIELDS) {
    if (op[field] !== undefined && !allowed.includes(field)) {
      issue([field], `${field} does not apply to a ${op.kind} operator`);
    }
  }
  if ((op.kind === 'window-aggregate' || op.kind === 'window-join') && op.window === undefined) {
    issue(['window'], `A ${op.kind} operator needs a window`);
  }
  if (op.kind === 'window-join' && op.window?.type === 'session') {
    issue(
      ['window', 'type'],
      'Window joins support tumbling, hopping and cumulate windows, not session windows',
    );
  }
  if (op.kind === 'interval-join') checkIntervalBounds(op, issue);
  if (op.kind === 'regular-join' || op.kind === 'temporal-join') {
    for (const field of SIDE_TTL_FIELDS) {
      if (op.ttlSeconds !== undefined && op[field] !== undefined) {
        issue(
          [field],
          `Give ttlSeconds (one TTL for both sides) or ${field}, not both: ttlSeconds already sets this side`,
        );
      }
    }
  }
  if (op.kind === 'top-n' && op.n === undefined) {
    issue(['n'], 'A top-n operator needs n');
  }
  if (TWO_INPUT_KINDS.includes(op.kind) && op.inputs.length !== 2) {
    issue(['inputs'], `A ${op.kind} reads exactly two inputs (left and right); got ${op.inputs.length}`);
  }
  if (op.kind === 'lookup-join' && op.inputs.length !== 1) {
    issue(['inputs'], 'A lookup-join reads one stream; the looked-up table is external');
  }
}

/** An interval join takes the symmetric `boundSeconds` or both of `lower`/`upperBoundSeconds`. */
function checkIntervalBounds(
  op: { boundSeconds?: unknown; lowerBoundSeconds?: unknown; upperBoundSeconds?: unknown },
  issue: (path: string[], message: string) => void,
): void {
  const { boundSeconds: bound, lowerBoundSeconds: lower, upperBoundSeconds: upper } = op;
  if (bound === undefined && lower === undefined && upper === undefined) {
    issue(
      ['boundSeconds'],
      'An interval join needs boundSeconds, or lowerBoundSeconds and upperBoundSeconds',
    );
    return;
  }
  if (bound !== undefined) {
    for (const [field, value] of [
      ['lowerBoundSeconds', lower],
      ['upperBoundSeconds', upper],
    ] as const) {
      if (value !== undefined) {
        issue(
          [field],
          `Give boundSeconds (the symmetric shorthand) or lowerBoundSeconds and upperBoundSeconds, not both`,
        );
      }
    }
    return;
  }
  if (lower === undefined) {
    issue(['lowerBoundSeconds'], 'An interval join with upperBoundSeconds also needs lowerBoundSeconds');
  } else if (upper === undefined) {
    issue(['upperBoundSeconds'], 'An interval join with lowerBoundSeconds also needs upperBoundSeconds');
  } else if (typeof lower === 'number' && typeof upper === 'number' && lower > upper) {
    issue(
      ['lowerBoundSeconds'],
      `lowerBoundSeconds (${lower}) must not be greater than upperBoundSeconds (${upper})`,
    );
  }
}

export const OperatorSchema = z
  .strictObject({
    id: NodeIdSchema,
    name: NodeNameSchema.optional(),
    kind: z.enum(OPERATOR_KINDS).describe('What the operator does; decides its CPU cost and state'),
    inputs: InputsSchema,
    outputRatio: z
      .number()
      .min(0, 'The output ratio is at least 0')
      .max(1e6, 'The output ratio is at most 1,000,000')
      .optional()
      .describe(
        'Records out per record in (e.g. 0.2 for a filter keeping 20%; 3 for a flatmap tripling). ' +
          'Default 1, except windows (one result per key and window) and aggregates (one update per input)',
      ),
    outputRecordBytes: RecordBytesSchema.optional().describe(
      'Average size of the records this operator emits. Default: its input size (the sum of both sides for joins)',
    ),
    parallelism: ParallelismOverrideSchema.optional(),
    flinkVertexId: FlinkVertexIdSchema.optional(),
    costFactor: z
      .number()
      .positive('The cost factor must be greater than 0')
      .max(1000, 'The cost factor is at most 1000')
      .optional()
      .describe('Relative CPU weight per record against the model’s cost for this kind. Default 1'),
    distinctKeys: DistinctKeysSchema.optional(),
    stateBytesPerKey: StateBytesPerKeySchema.optional(),
    hotKeyShare: HotKeyShareSchema.optional(),
    distinctAggregates: z
      .number()
      .int()
      .min(0)
      .max(100)
      .optional()
      .describe('Number of COUNT(DISTINCT …)-style aggregates; each keeps a set of seen values per key'),
    window: WindowSchema.optional(),
    boundSeconds: z
      .number()
      .positive('The interval bound must be greater than 0 seconds')
      .max(YEAR_SECONDS)
      .optional()
      .describe(
        'Interval join: symmetric time bound in seconds — the right row is at most this far before or ' +
          'after the left row (shorthand for lowerBoundSeconds = -boundSeconds, upperBoundSeconds = boundSeconds)',
      ),
    lowerBoundSeconds: IntervalBoundSchema.optional().describe(
      'Interval join: the earliest time of a matching right row relative to the left row, in seconds ' +
        '(negative = before; e.g. 0)',
    ),
    upperBoundSeconds: IntervalBoundSchema.optional().describe(
      'Interval join: the latest time of a matching right row relative to the left row, in seconds (e.g. 3600)',
    ),
    ttlSeconds: TtlSecondsSchema.optional(),
    leftTtlSeconds: TtlSecondsSchema.optional().describe(
      'Join: state TTL of the left side’s rows in seconds, where the sides differ (ttlSeconds sets both)',
    ),
    rightTtlSeconds: TtlSecondsSchema.optional().describe(
      'Join: state TTL of the right side’s rows in seconds, where the sides differ (ttlSeconds sets both)',
    ),
    lookupLatencyMs: z
      .number()
      .min(0)
      .max(600000)
      .optional()
      .describe('Lookup join: latency of one lookup against the external system, in ms. Default 5'),
    cacheHitRatio: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('Lookup join: share of lookups answered from the lookup cache (0–1). Default 0'),
    async: z.boolean().optional().describe('Lookup join: asynchronous lookups (async I/O). Default false'),
    asyncCapacity: z
      .number()
      .int()
      .min(1)
      .max(100000)
      .optional()
      .describe(
        'Lookup join: in-flight async requests per subtask (table.exec.async-lookup.buffer-capacity, default 100)',
      ),
    n: z.number().int().min(1).max(100000).optional().describe('Top-n: rows kept per partition key'),
  })
  .superRefine(checkOperator)
  .describe('An operator: a transformation between sources and sinks')
  .meta({
    examples: [
      {
        id: 'hot',
        kind: 'window-aggregate',
        inputs: ['bids'],
        window: { type: 'hopping', sizeSeconds: 10, slideSeconds: 2 },
        distinctKeys: 100000,
        stateBytesPerKey: 64,
        outputRatio: 0.01,
      },
    ],
  });

export const SinkSchema = z
  .strictObject({
    id: NodeIdSchema,
    name: NodeNameSchema.optional(),
    kind: z.enum(SINK_KINDS).describe('Sink connector'),
    inputs: InputsSchema.describe(
      'Ids of the nodes whose output this sink writes (a sink needs at least one)',
    ),
    format: FormatSchema.optional(),
    parallelism: ParallelismOverrideSchema.optional(),
    flinkVertexId: FlinkVertexIdSchema.optional(),
  })
  .describe('A sink: where results leave the job')
  .meta({ examples: [{ id: 'out', kind: 'kafka', inputs: ['hot'] }] });

export type Source = z.output<typeof SourceSchema>;
export type Operator = z.output<typeof OperatorSchema>;
export type Sink = z.output<typeof SinkSchema>;
