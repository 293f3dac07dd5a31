/**
 * The vocabulary of a JobSpec: the kinds of sources, operators and sinks, and the small field
 * schemas (ids, rates, sizes, durations) that the node, workload and constraint schemas share.
 * Every message is written for the person who filled in the field.
 */
import { z } from 'zod';
import { UPPER_BOUND_MAX_PARALLELISM } from '../estimator/memory/index.js';

export { UPPER_BOUND_MAX_PARALLELISM };

/** Most nodes a pipeline (or the quick form once expanded) may have. */
export const MAX_PIPELINE_NODES = 500;

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
/** How the job is written: Flink SQL / Table API, or the DataStream API. */
export const JOB_APIS = ['sql', 'datastream'] as const;

export type SourceKind = (typeof SOURCE_KINDS)[number];
export type SinkKind = (typeof SINK_KINDS)[number];
export type OperatorKind = (typeof OPERATOR_KINDS)[number];
export type WindowType = (typeof WINDOW_TYPES)[number];
export type RecordFormat = (typeof RECORD_FORMATS)[number];
export type StateBackend = (typeof STATE_BACKENDS)[number];
export type Complexity = (typeof COMPLEXITIES)[number];
export type JobApi = (typeof JOB_APIS)[number];

/** Operators that read two streams (left and right). */
export const TWO_INPUT_KINDS: readonly OperatorKind[] = [
  'window-join',
  'interval-join',
  'regular-join',
  'temporal-join',
];

/** Operators whose input arrives through a keyBy (hash partitioning) in Flink. */
export const KEYED_KINDS: ReadonlySet<OperatorKind> = new Set<OperatorKind>([
  'aggregate',
  'window-aggregate',
  'window-join',
  'interval-join',
  'regular-join',
  'temporal-join',
  'deduplicate',
  'top-n',
]);

// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export const NodeIdSchema = z
  .string()
  .min(1, 'An id must not be empty')
  .max(100, 'An id has at most 100 characters')
  .refine((id) => id.trim().length > 0, 'An id must not be blank')
  .refine((id) => !CONTROL_CHARACTERS.test(id), 'An id must not contain control characters')
  .describe('Unique id of this node within the pipeline; other nodes name it in their `inputs`');

export const NodeNameSchema = z
  .string()
  .max(200, 'A name has at most 200 characters')
  .describe('Display name (optional); the id is shown when absent');

export const FlinkVertexIdSchema = z
  .string()
  .min(1, 'A Flink vertex id must not be empty')
  .max(100, 'A Flink vertex id has at most 100 characters')
  .refine((id) => !CONTROL_CHARACTERS.test(id), 'A Flink vertex id must not contain control characters')
  .describe(
    'The Flink job vertex id this node runs in (JobVertexID, from a job plan or a calibration); ' +
      'chained nodes share one',
  );

export const InputsSchema = z
  .array(z.string().min(1, 'An input id must not be empty').max(100))
  .min(1, 'Needs at least one input: name the id of an upstream source or operator')
  .max(64, 'At most 64 inputs per node')
  .describe('Ids of the upstream nodes whose output this node reads (several for joins and unions)');

export const ParallelismOverrideSchema = z
  .number()
  .int('Parallelism is a whole number')
  .min(1, 'Parallelism is at least 1')
  .max(
    UPPER_BOUND_MAX_PARALLELISM,
    `Parallelism is at most ${UPPER_BOUND_MAX_PARALLELISM} (Flink's upper bound)`,
  )
  .describe('Your parallelism for this node; the estimator uses it and warns when it looks wrong');

export const RecordsPerSecondSchema = z
  .number()
  .positive('A rate must be greater than 0 records/s')
  .max(1e10, 'At most 10,000,000,000 records/s')
  .describe('Average records per second');

export const RecordBytesSchema = z
  .number()
  .int('Record size is a whole number of bytes')
  .min(1, 'A record is at least 1 byte')
  .max(256 * 1024 * 1024, 'A record is at most 256 MiB')
  .describe('Average serialized record size in bytes');

export const PeakFactorSchema = z
  .number()
  .min(1, 'The peak factor is at least 1 (peak ≥ average)')
  .max(100, 'The peak factor is at most 100');

export const DistinctKeysSchema = z
  .number()
  .int('The number of distinct keys is a whole number')
  .min(1, 'At least 1 distinct key')
  .max(1e13, 'At most 10,000,000,000,000 distinct keys')
  .describe('Distinct keys this operator holds state for (e.g. the GROUP BY / PARTITION BY cardinality)');

export const StateBytesPerKeySchema = z
  .number()
  .int('State bytes per key is a whole number')
  .min(1, 'State per key is at least 1 byte')
  .max(1024 * 1024 * 1024, 'State per key is at most 1 GiB')
  .describe('Serialized state per key in bytes (the accumulator or retained row), before backend overhead');

export const TtlSecondsSchema = z
  .number()
  .positive('A TTL must be greater than 0 seconds')
  .max(10 * 365 * 24 * 3600, 'A TTL is at most 10 years')
  .describe('State time-to-live in seconds (STATE_TTL hint or table.exec.state.ttl)');

export const HotKeyShareSchema = z
  .number()
  .min(0, 'The hot-key share is at least 0')
  .max(1, 'The hot-key share is at most 1 (all records have one key)')
  .describe(
    'Share of this operator’s records that carry its busiest key (0–1); one subtask processes all of them',
  );

export const FormatSchema = z
  .enum(RECORD_FORMATS)
  .describe('Wire format of the records; drives (de)serialization cost. Default: json for Kafka/Kinesis/CDC');
