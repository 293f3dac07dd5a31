/**
 * JobSpec — what the user describes (CONTRACT §1). One zod definition serves the API (validation
 * and OpenAPI), the forms (field errors by path), the CLI and the store.
 *
 * Every object is strict: an unknown key is an error at that object's path, so a typo such as
 * `recordsPerSec` is reported rather than silently ignored. The DAG rules (unknown input ids,
 * cycles, unreachable or dangling nodes, duplicate ids) are checked here too, so every consumer
 * gets issues with JSON paths such as `pipeline.operators.2.inputs.0`.
 */
import { z } from 'zod';
import { parseMemorySize } from '../estimator/memory/index.js';
import { FLINK_VERSIONS } from '../estimator/memory/types.js';

/** Most nodes a pipeline (or the quick form once expanded) may have. */
export const MAX_PIPELINE_NODES = 500;
/** Flink's upper bound for (max) parallelism: `Transformation.UPPER_BOUND_MAX_PARALLELISM` = 1 << 15. */
export const UPPER_BOUND_MAX_PARALLELISM = 32768;

export const SOURCE_KINDS = ['kafka', 'kinesis', 'filesystem', 'datagen', 'cdc'] as const;
export const SINK_KINDS = ['kafka', 'filesystem', 'jdbc', 'elasticsearch', 'iceberg', 'blackhole'] as const;
export const STATELESS_OPERATOR_KINDS = ['map', 'filter', 'flatmap', 'project', 'udf'] as const;
export const OPERATOR_KINDS = [
  ...STATELESS_OPERATOR_KINDS,
  'aggregate',
  'window-aggregate',
  'window-join',
  'interval-join',
  'regular-join',
  'temporal-join',
  'lookup-join',
  'deduplicate',
  'top-n',
] as const;
export const WINDOW_TYPES = ['tumbling', 'hopping', 'session', 'cumulate'] as const;
export const RECORD_FORMATS = ['json', 'avro', 'protobuf', 'csv', 'raw'] as const;
export const STATE_BACKENDS = ['rocksdb', 'hashmap'] as const;
export const COMPLEXITIES = ['simple', 'medium', 'complex'] as const;

export type SourceKind = (typeof SOURCE_KINDS)[number];
export type SinkKind = (typeof SINK_KINDS)[number];
export type OperatorKind = (typeof OPERATOR_KINDS)[number];
export type WindowType = (typeof WINDOW_TYPES)[number];
export type RecordFormat = (typeof RECORD_FORMATS)[number];
export type StateBackend = (typeof STATE_BACKENDS)[number];
export type Complexity = (typeof COMPLEXITIES)[number];

// ---------------------------------------------------------------------------------------------
// Small field schemas
// ---------------------------------------------------------------------------------------------

// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

const NodeIdSchema = z
  .string()
  .min(1, 'An id must not be empty')
  .max(100, 'An id has at most 100 characters')
  .refine((id) => id.trim().length > 0, 'An id must not be blank')
  .refine((id) => !CONTROL_CHARACTERS.test(id), 'An id must not contain control characters')
  .describe('Unique id of this node within the pipeline; other nodes name it in their `inputs`');

const NodeNameSchema = z
  .string()
  .max(200, 'A name has at most 200 characters')
  .describe('Display name (optional); the id is shown when absent');

const InputsSchema = z
  .array(z.string().min(1, 'An input id must not be empty').max(100))
  .min(1, 'Needs at least one input: name the id of an upstream source or operator')
  .max(64, 'At most 64 inputs per node')
  .describe('Ids of the upstream nodes whose output this node reads (several for joins and unions)');

const ParallelismOverrideSchema = z
  .number()
  .int('Parallelism is a whole number')
  .min(1, 'Parallelism is at least 1')
  .max(
    UPPER_BOUND_MAX_PARALLELISM,
    `Parallelism is at most ${UPPER_BOUND_MAX_PARALLELISM} (Flink's upper bound)`,
  )
  .describe('Your parallelism for this node; the estimator uses it and warns when it looks wrong');

const RecordsPerSecondSchema = z
  .number()
  .positive('A rate must be greater than 0 records/s')
  .max(1e10, 'At most 10,000,000,000 records/s')
  .describe('Average records per second');

const RecordBytesSchema = z
  .number()
  .int('Record size is a whole number of bytes')
  .min(1, 'A record is at least 1 byte')
  .max(256 * 1024 * 1024, 'A record is at most 256 MiB')
  .describe('Average serialized record size in bytes');

const PeakFactorSchema = z
  .number()
  .min(1, 'The peak factor is at least 1 (peak ≥ average)')
  .max(100, 'The peak factor is at most 100');

const DistinctKeysSchema = z
  .number()
  .int('The number of distinct keys is a whole number')
  .min(1, 'At least 1 distinct key')
  .max(1e13, 'At most 10,000,000,000,000 distinct keys')
  .describe('Distinct keys this operator holds state for (e.g. the GROUP BY / PARTITION BY cardinality)');

const StateBytesPerKeySchema = z
  .number()
  .int('State bytes per key is a whole number')
  .min(1, 'State per key is at least 1 byte')
  .max(1024 * 1024 * 1024, 'State per key is at most 1 GiB')
  .describe('Serialized state per key in bytes (the accumulator or retained row), before backend overhead');

const TtlSecondsSchema = z
  .number()
  .positive('A TTL must be greater than 0 seconds')
  .max(10 * 365 * 24 * 3600, 'A TTL is at most 10 years')
  .describe('State time-to-live in seconds (STATE_TTL hint or table.exec.state.ttl)');

const FormatSchema = z
  .enum(RECORD_FORMATS)
  .describe('Wire format of the records; drives (de)serialization cost. Default: json for Kafka/Kinesis/CDC');

// ---------------------------------------------------------------------------------------------
// Nodes
// ---------------------------------------------------------------------------------------------

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

export const WindowSchema = z
  .strictObject({
    type: z.enum(WINDOW_TYPES).describe('Window type: tumbling, hopping (sliding), session or cumulate'),
    sizeSeconds: z
      .number()
      .positive('Window size must be greater than 0 seconds')
      .max(366 * 24 * 3600, 'Window size is at most a year')
      .optional()
      .describe('Window size in seconds (tumbling, hopping; the max size for cumulate)'),
    slideSeconds: z
      .number()
      .positive('Slide must be greater than 0 seconds')
      .optional()
      .describe('Hopping windows: how often a new window starts, in seconds'),
    stepSeconds: z
      .number()
      .positive('Step must be greater than 0 seconds')
      .optional()
      .describe('Cumulate windows: the step in seconds (the size must be a whole multiple of it)'),
    gapSeconds: z
      .number()
      .positive('Gap must be greater than 0 seconds')
      .max(366 * 24 * 3600)
      .optional()
      .describe('Session windows: inactivity gap in seconds that closes a session'),
    time: z
      .enum(['event', 'processing'])
      .default('event')
      .describe('Event time (watermarks) or processing time. Default event'),
    allowedLatenessSeconds: z
      .number()
      .min(0)
      .max(30 * 24 * 3600)
      .optional()
      .describe('Event time only: how long a window is kept after it fires for late records'),
  })
  .superRefine((window, ctx) => {
    const need = (field: 'sizeSeconds' | 'slideSeconds' | 'stepSeconds' | 'gapSeconds', why: string) => {
      if (window[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: why });
    };
    const forbid = (field: 'sizeSeconds' | 'slideSeconds' | 'stepSeconds' | 'gapSeconds') => {
      if (window[field] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `${field} does not apply to ${window.type} windows`,
        });
      }
    };
    switch (window.type) {
      case 'tumbling':
        need('sizeSeconds', 'A tumbling window needs sizeSeconds');
        forbid('slideSeconds');
        forbid('stepSeconds');
        forbid('gapSeconds');
        break;
      case 'hopping':
        need('sizeSeconds', 'A hopping window needs sizeSeconds');
        need('slideSeconds', 'A hopping window needs slideSeconds');
        forbid('stepSeconds');
        forbid('gapSeconds');
        if (
          window.sizeSeconds !== undefined &&
          window.slideSeconds !== undefined &&
          window.slideSeconds > window.sizeSeconds
        ) {
          ctx.addIssue({
            code: 'custom',
            path: ['slideSeconds'],
            message: 'The slide must not exceed the window size (records between windows would be dropped)',
          });
        }
        break;
      case 'cumulate':
        need('sizeSeconds', 'A cumulate window needs sizeSeconds (its max size)');
        need('stepSeconds', 'A cumulate window needs stepSeconds');
        forbid('slideSeconds');
        forbid('gapSeconds');
        if (window.sizeSeconds !== undefined && window.stepSeconds !== undefined) {
          const steps = window.sizeSeconds / window.stepSeconds;
          if (Math.abs(steps - Math.round(steps)) > 1e-9 || steps < 1) {
            // Flink SQL's CUMULATE requires "max size must be an integral multiple of step".
            ctx.addIssue({
              code: 'custom',
              path: ['stepSeconds'],
              message: 'The cumulate window size must be a whole multiple of its step',
            });
          }
        }
        break;
      case 'session':
        need('gapSeconds', 'A session window needs gapSeconds');
        forbid('slideSeconds');
        forbid('stepSeconds');
        break;
    }
    if (window.allowedLatenessSeconds !== undefined && window.time === 'processing') {
      ctx.addIssue({
        code: 'custom',
        path: ['allowedLatenessSeconds'],
        message: 'Allowed lateness applies only to event-time windows',
      });
    }
  })
  .describe('Window definition; the fields required depend on the window type');

/** Which optional fields each operator kind understands (CONTRACT §1); others are an error. */
const OPERATOR_FIELDS: Record<OperatorKind, readonly string[]> = {
  map: ['costFactor'],
  filter: ['costFactor'],
  flatmap: ['costFactor'],
  project: ['costFactor'],
  udf: ['costFactor'],
  aggregate: ['distinctKeys', 'stateBytesPerKey', 'distinctAggregates', 'ttlSeconds', 'costFactor'],
  'window-aggregate': ['window', 'distinctKeys', 'stateBytesPerKey', 'distinctAggregates', 'costFactor'],
  'window-join': ['window', 'distinctKeys', 'stateBytesPerKey', 'costFactor'],
  'interval-join': ['boundSeconds', 'distinctKeys', 'stateBytesPerKey', 'costFactor'],
  'regular-join': ['ttlSeconds', 'distinctKeys', 'stateBytesPerKey', 'costFactor'],
  'temporal-join': ['distinctKeys', 'stateBytesPerKey', 'ttlSeconds', 'costFactor'],
  'lookup-join': ['lookupLatencyMs', 'cacheHitRatio', 'async', 'asyncCapacity', 'costFactor'],
  deduplicate: ['distinctKeys', 'stateBytesPerKey', 'ttlSeconds', 'costFactor'],
  'top-n': ['n', 'distinctKeys', 'stateBytesPerKey', 'ttlSeconds', 'costFactor'],
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
] as const;

/** Operators that read two streams (left and right). */
export const TWO_INPUT_KINDS: readonly OperatorKind[] = [
  'window-join',
  'interval-join',
  'regular-join',
  'temporal-join',
];

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
    costFactor: z
      .number()
      .positive('The cost factor must be greater than 0')
      .max(1000, 'The cost factor is at most 1000')
      .optional()
      .describe('Relative CPU weight per record against the model’s cost for this kind. Default 1'),
    distinctKeys: DistinctKeysSchema.optional(),
    stateBytesPerKey: StateBytesPerKeySchema.optional(),
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
      .max(366 * 24 * 3600)
      .optional()
      .describe('Interval join: width of the time bound in seconds (rows are retained this long)'),
    ttlSeconds: TtlSecondsSchema.optional(),
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
  .superRefine((op, ctx) => {
    const allowed = OPERATOR_FIELDS[op.kind];
    for (const field of KIND_SPECIFIC_FIELDS) {
      if (op[field] !== undefined && !allowed.includes(field)) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `${field} does not apply to a ${op.kind} operator`,
        });
      }
    }
    if ((op.kind === 'window-aggregate' || op.kind === 'window-join') && op.window === undefined) {
      ctx.addIssue({ code: 'custom', path: ['window'], message: `A ${op.kind} operator needs a window` });
    }
    if (op.kind === 'window-join' && op.window?.type === 'session') {
      ctx.addIssue({
        code: 'custom',
        path: ['window', 'type'],
        message: 'Window joins support tumbling, hopping and cumulate windows, not session windows',
      });
    }
    if (op.kind === 'interval-join' && op.boundSeconds === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['boundSeconds'],
        message: 'An interval join needs boundSeconds',
      });
    }
    if (op.kind === 'top-n' && op.n === undefined) {
      ctx.addIssue({ code: 'custom', path: ['n'], message: 'A top-n operator needs n' });
    }
    if (TWO_INPUT_KINDS.includes(op.kind) && op.inputs.length !== 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['inputs'],
        message: `A ${op.kind} reads exactly two inputs (left and right); got ${op.inputs.length}`,
      });
    }
    if (op.kind === 'lookup-join' && op.inputs.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['inputs'],
        message: 'A lookup-join reads one stream; the looked-up table is external',
      });
    }
  })
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
  })
  .describe('A sink: where results leave the job')
  .meta({ examples: [{ id: 'out', kind: 'kafka', inputs: ['hot'] }] });

// ---------------------------------------------------------------------------------------------
// Pipeline (the detailed form) and its DAG rules
// ---------------------------------------------------------------------------------------------

type NodeRef = {
  id: string;
  group: 'sources' | 'operators' | 'sinks';
  index: number;
  inputs: readonly string[];
};

/** Adds DAG issues (duplicate ids, unknown inputs, cycles, unreachable and dangling nodes). */
function checkDag(
  pipeline: {
    sources: readonly { id: string; inputs?: readonly string[] | undefined }[];
    operators: readonly { id: string; inputs: readonly string[] }[];
    sinks: readonly { id: string; inputs: readonly string[] }[];
  },
  ctx: z.RefinementCtx,
): void {
  const nodes: NodeRef[] = [
    ...pipeline.sources.map((s, index) => ({ id: s.id, group: 'sources' as const, index, inputs: [] })),
    ...pipeline.operators.map((o, index) => ({
      id: o.id,
      group: 'operators' as const,
      index,
      inputs: o.inputs,
    })),
    ...pipeline.sinks.map((s, index) => ({ id: s.id, group: 'sinks' as const, index, inputs: s.inputs })),
  ];
  const total = nodes.length;
  if (total > MAX_PIPELINE_NODES) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: `A pipeline has at most ${MAX_PIPELINE_NODES} nodes (sources + operators + sinks); this one has ${total}`,
    });
    return;
  }
  const where = (n: NodeRef) => `${n.group}.${n.index}`;
  const byId = new Map<string, NodeRef>();
  for (const node of nodes) {
    const first = byId.get(node.id);
    if (first) {
      ctx.addIssue({
        code: 'custom',
        path: [node.group, node.index, 'id'],
        message: `Duplicate id "${node.id}": already used by pipeline.${where(first)}`,
      });
    } else {
      byId.set(node.id, node);
    }
  }

  // Unknown and repeated inputs; sinks are never inputs.
  const consumers = new Map<string, number>();
  for (const node of nodes) {
    const seen = new Set<string>();
    node.inputs.forEach((input, i) => {
      const upstream = byId.get(input);
      if (!upstream) {
        ctx.addIssue({
          code: 'custom',
          path: [node.group, node.index, 'inputs', i],
          message: `Unknown input "${input}": no source or operator has this id`,
        });
      } else if (upstream.group === 'sinks') {
        ctx.addIssue({
          code: 'custom',
          path: [node.group, node.index, 'inputs', i],
          message: `Input "${input}" is a sink; sinks have no output to read`,
        });
      } else if (seen.has(input)) {
        ctx.addIssue({
          code: 'custom',
          path: [node.group, node.index, 'inputs', i],
          message: `Input "${input}" is listed twice`,
        });
      } else {
        consumers.set(input, (consumers.get(input) ?? 0) + 1);
      }
      seen.add(input);
    });
  }

  // Cycles among operators (sources have no inputs and sinks are never inputs, so only operators
  // can be on one). Depth-first search in document order; report each cycle once, at its first
  // node in document order.
  const operators = nodes.filter((n) => n.group === 'operators' && byId.get(n.id) === n);
  const state = new Map<string, 'visiting' | 'done'>();
  const reported = new Set<string>();
  const stack: string[] = [];
  const visit = (node: NodeRef): void => {
    state.set(node.id, 'visiting');
    stack.push(node.id);
    for (const input of node.inputs) {
      const upstream = byId.get(input);
      if (upstream?.group !== 'operators') continue;
      const s = state.get(input);
      if (s === 'visiting') {
        const cycle = stack.slice(stack.indexOf(input));
        if (!cycle.some((id) => reported.has(id))) {
          cycle.forEach((id) => {
            reported.add(id);
          });
          const members = cycle.map((id) => byId.get(id)!).sort((a, b) => a.index - b.index);
          const head = members[0]!;
          // Print the cycle in data-flow order starting at its first node in the document.
          const flow = [...cycle].reverse();
          const start = flow.indexOf(head.id);
          const ordered = [...flow.slice(start), ...flow.slice(0, start), head.id];
          ctx.addIssue({
            code: 'custom',
            path: [head.group, head.index, 'inputs'],
            message: `Cycle: ${ordered.map((id) => `"${id}"`).join(' → ')}. A pipeline must be a DAG`,
          });
        }
      } else if (s === undefined) {
        visit(upstream);
      }
    }
    stack.pop();
    state.set(node.id, 'done');
  };
  for (const op of operators) if (!state.has(op.id)) visit(op);

  // Reachability from sources, following edges downstream.
  const downstream = new Map<string, string[]>();
  for (const node of nodes) {
    for (const input of node.inputs) {
      if (!byId.has(input)) continue;
      const list = downstream.get(input) ?? [];
      list.push(node.id);
      downstream.set(input, list);
    }
  }
  const reached = new Set<string>();
  const queue = nodes.filter((n) => n.group === 'sources').map((n) => n.id);
  for (const id of queue) reached.add(id);
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const next of downstream.get(id) ?? []) {
      if (!reached.has(next)) {
        reached.add(next);
        queue.push(next);
      }
    }
  }
  for (const node of nodes) {
    if (byId.get(node.id) !== node) continue;
    if (!reached.has(node.id) && !reported.has(node.id)) {
      ctx.addIssue({
        code: 'custom',
        path: [node.group, node.index],
        message: `"${node.id}" is not reachable from any source: every path into it passes through a cycle`,
      });
    }
    if (node.group !== 'sinks' && !consumers.has(node.id)) {
      ctx.addIssue({
        code: 'custom',
        path: [node.group, node.index],
        message: `The output of "${node.id}" goes nowhere: no operator or sink lists it in its inputs`,
      });
    }
  }
}

export const PipelineSchema = z
  .strictObject({
    sources: z
      .array(SourceSchema)
      .min(1, 'A pipeline needs at least one source')
      .max(MAX_PIPELINE_NODES)
      .describe('Where records enter the job'),
    operators: z
      .array(OperatorSchema)
      .max(MAX_PIPELINE_NODES)
      .default([])
      .describe('Transformations, in any order; `inputs` define the graph'),
    sinks: z
      .array(SinkSchema)
      .min(1, 'A pipeline needs at least one sink')
      .max(MAX_PIPELINE_NODES)
      .describe('Where results leave the job'),
  })
  .superRefine((pipeline, ctx) => checkDag(pipeline, ctx))
  .describe('The detailed form: the job as a DAG of sources, operators and sinks');

// ---------------------------------------------------------------------------------------------
// Workload (the quick form)
// ---------------------------------------------------------------------------------------------

export const WorkloadSchema = z
  .strictObject({
    sources: z
      .number()
      .int('Number of sources is a whole number')
      .min(1, 'At least 1 source')
      .max(100, 'At most 100 sources')
      .describe('Number of sources (e.g. Kafka topics read)'),
    operators: z
      .number()
      .int('Number of operators is a whole number')
      .min(0, 'At least 0 operators')
      .max(400, 'At most 400 operators')
      .describe('Number of operators between sources and sinks'),
    sinks: z
      .number()
      .int('Number of sinks is a whole number')
      .min(1, 'At least 1 sink')
      .max(100, 'At most 100 sinks')
      .describe('Number of sinks'),
    recordsPerSecond: RecordsPerSecondSchema.describe('Average input rate over all sources, records/s'),
    avgRecordBytes: RecordBytesSchema,
    peakFactor: PeakFactorSchema.default(1).describe('Peak rate ÷ average rate (≥ 1). Default 1'),
    statefulOperators: z
      .number()
      .int('Number of stateful operators is a whole number')
      .min(0)
      .max(400)
      .optional()
      .describe('How many of the operators keep keyed state (GROUP BY, windows, joins). Default 0'),
    distinctKeys: DistinctKeysSchema.optional().describe('Distinct keys in the stateful operators'),
    stateBytesPerKey: StateBytesPerKeySchema.optional(),
    complexity: z
      .enum(COMPLEXITIES)
      .default('medium')
      .describe('How heavy the per-record work is: simple, medium or complex. Default medium'),
    partitions: z
      .number()
      .int()
      .min(1)
      .max(100000)
      .optional()
      .describe('Kafka partitions per source topic (optional); caps source parallelism'),
  })
  .superRefine((w, ctx) => {
    if (w.statefulOperators !== undefined && w.statefulOperators > w.operators) {
      ctx.addIssue({
        code: 'custom',
        path: ['statefulOperators'],
        message: `statefulOperators (${w.statefulOperators}) cannot exceed operators (${w.operators})`,
      });
    }
    const total = w.sources + w.operators + w.sinks;
    if (total > MAX_PIPELINE_NODES) {
      ctx.addIssue({
        code: 'custom',
        path: ['operators'],
        message: `Sources + operators + sinks is at most ${MAX_PIPELINE_NODES}; this is ${total}`,
      });
    }
  })
  .describe('The quick form: the numbers a data engineer knows offhand')
  .meta({
    examples: [
      {
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
    ],
  });

// ---------------------------------------------------------------------------------------------
// State, cluster, targets
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// JobSpec
// ---------------------------------------------------------------------------------------------

export const JobSpecSchema = z
  .strictObject({
    flinkVersion: z.enum(FLINK_VERSIONS).default('1.20').describe('Flink version. Default 1.20'),
    workload: WorkloadSchema.optional(),
    pipeline: PipelineSchema.optional(),
    state: StateSchema.prefault({}),
    cluster: ClusterSchema.prefault({}),
    targets: TargetsSchema.prefault({}),
  })
  .superRefine((spec, ctx) => {
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
export type Source = z.output<typeof SourceSchema>;
export type Operator = z.output<typeof OperatorSchema>;
export type Sink = z.output<typeof SinkSchema>;
export type Window = z.output<typeof WindowSchema>;
export type Pipeline = z.output<typeof PipelineSchema>;
export type Workload = z.output<typeof WorkloadSchema>;
export type StateSpec = z.output<typeof StateSchema>;
export type ClusterSpec = z.output<typeof ClusterSchema>;
export type Targets = z.output<typeof TargetsSchema>;
