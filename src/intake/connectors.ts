/**
 * Flink connector identifiers (the `'connector'` option, or a catalog's `'type'`) and formats,
 * mapped onto the pipeline's source, sink and format kinds. Names are those of the Flink
 * connectors' factories (`KafkaDynamicTableFactory.IDENTIFIER` = "kafka", "upsert-kafka",
 * "kinesis", "filesystem", "datagen", "jdbc", "elasticsearch-7", "blackhole", "print", the CDC
 * connectors' "mysql-cdc", "postgres-cdc", …).
 */

export interface KindChoice {
  kind: string;
  /** Set when the connector has no kind of its own here: the question to ask. */
  question?: string;
}

export function sourceKind(connector: string | undefined, what: string): KindChoice {
  const c = (connector ?? '').toLowerCase();
  if (c === 'kafka' || c === 'upsert-kafka') return { kind: 'kafka' };
  if (c === 'kinesis' || c === 'aws-kinesis-streams') return { kind: 'kinesis' };
  if (c === 'filesystem') return { kind: 'filesystem' };
  if (c === 'datagen') return { kind: 'datagen' };
  if (c.endsWith('-cdc')) return { kind: 'cdc' };
  if (c === '') {
    return {
      kind: 'kafka',
      question: `Which connector ${what} is read with (the script does not say); assumed Kafka`,
    };
  }
  return {
    kind: 'kafka',
    question: `Connector "${c}" of ${what} has no source kind of its own here; assumed Kafka (pick the closest)`,
  };
}

export function sinkKind(connector: string | undefined, what: string): KindChoice {
  const c = (connector ?? '').toLowerCase();
  if (c === 'kafka' || c === 'upsert-kafka') return { kind: 'kafka' };
  if (c === 'filesystem') return { kind: 'filesystem' };
  if (c === 'jdbc') return { kind: 'jdbc' };
  if (c.startsWith('elasticsearch') || c.startsWith('opensearch')) return { kind: 'elasticsearch' };
  if (c === 'iceberg') return { kind: 'iceberg' };
  if (c === 'blackhole' || c === 'print') return { kind: 'blackhole' };
  if (c === '') {
    return {
      kind: 'blackhole',
      question: `Which connector ${what} is written with (the script does not say); assumed blackhole`,
    };
  }
  return {
    kind: 'blackhole',
    question: `Connector "${c}" of ${what} has no sink kind of its own here; assumed blackhole (pick the closest)`,
  };
}

/** Connectors read record by record are partitioned (Kafka partitions, Kinesis shards). */
export const isPartitioned = (kind: string) => kind === 'kafka' || kind === 'kinesis';

/** `format` / `value.format` (upsert-kafka, Kafka with a key) → the pipeline's record formats. */
export function recordFormat(options: Record<string, string>): string | undefined {
  const f = (options['value.format'] ?? options.format ?? '').toLowerCase();
  if (f === '') return undefined;
  if (f === 'json' || f.endsWith('-json')) return 'json';
  if (f.startsWith('avro')) return 'avro';
  if (f === 'protobuf') return 'protobuf';
  if (f === 'csv') return 'csv';
  if (f === 'raw') return 'raw';
  return undefined;
}

/**
 * Connectors that implement `LookupTableSource` in Flink's own and the main external connector
 * repositories: a `FOR SYSTEM_TIME AS OF` join against them is a lookup join.
 */
const LOOKUP_CONNECTORS = [
  'jdbc',
  'hbase',
  'redis',
  'mongodb',
  'elasticsearch',
  'opensearch',
  'dynamodb',
  'hive',
];

export const isLookupConnector = (connector: string | undefined) =>
  LOOKUP_CONNECTORS.some((c) => (connector ?? '').toLowerCase().startsWith(c));

/** The lookup cache a table's options configure (Flink 1.16+ `lookup.cache`, or the legacy jdbc keys). */
export function lookupCache(options: Record<string, string>): string | undefined {
  const mode = (options['lookup.cache'] ?? '').toUpperCase();
  const maxRows = options['lookup.partial-cache.max-rows'] ?? options['lookup.cache.max-rows'];
  const ttl =
    options['lookup.partial-cache.expire-after-write'] ??
    options['lookup.partial-cache.expire-after-access'] ??
    options['lookup.cache.ttl'];
  if (mode === 'FULL') return 'a full cache (lookup.cache = FULL)';
  if (mode === 'PARTIAL' || maxRows !== undefined) {
    const parts = [maxRows ? `${maxRows} rows` : undefined, ttl ? `expiring after ${ttl}` : undefined].filter(
      Boolean,
    );
    return `a partial cache${parts.length > 0 ? ` of ${parts.join(', ')}` : ''}`;
  }
  return undefined;
}
