/** Example jobs the estimate form can start from (`/estimate?preset=…`). Each is a valid JobSpec input. */
export interface Preset {
  id: string;
  label: string;
  description: string;
  spec: Record<string, unknown>;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'kafka-window-kafka',
    label: 'Kafka → windowed aggregation → Kafka',
    description: '100k events/s keyed by user, one-minute tumbling counts, written back to Kafka.',
    spec: {
      flinkVersion: '1.20',
      pipeline: {
        sources: [
          { id: 'clicks', kind: 'kafka', recordsPerSecond: 100000, avgRecordBytes: 500, partitions: 32 },
        ],
        operators: [
          { id: 'parse', kind: 'map', inputs: ['clicks'] },
          {
            id: 'per-user-minute',
            kind: 'window-aggregate',
            inputs: ['parse'],
            window: { type: 'tumbling', sizeSeconds: 60 },
            distinctKeys: 2000000,
            stateBytesPerKey: 64,
            outputRatio: 0.2,
          },
        ],
        sinks: [{ id: 'counts', kind: 'kafka', inputs: ['per-user-minute'] }],
      },
      state: { backend: 'rocksdb', checkpointIntervalSeconds: 60, incrementalCheckpoints: true },
    },
  },
  {
    id: 'cdc-enrichment',
    label: 'CDC enrichment join',
    description: 'Orders joined with a customers table from CDC, with a one-day state TTL.',
    spec: {
      flinkVersion: '1.20',
      pipeline: {
        sources: [
          { id: 'orders', kind: 'kafka', recordsPerSecond: 20000, avgRecordBytes: 800, partitions: 12 },
          { id: 'customers', kind: 'cdc', recordsPerSecond: 200, avgRecordBytes: 1200, partitions: 1 },
        ],
        operators: [
          {
            id: 'enrich',
            kind: 'regular-join',
            inputs: ['orders', 'customers'],
            distinctKeys: 5000000,
            stateBytesPerKey: 1200,
            ttlSeconds: 86400,
          },
        ],
        sinks: [{ id: 'enriched', kind: 'kafka', inputs: ['enrich'] }],
      },
      state: { backend: 'rocksdb', checkpointIntervalSeconds: 120, incrementalCheckpoints: true },
    },
  },
  {
    id: 'clickstream-sessions',
    label: 'Clickstream sessionization',
    description: 'Session windows with a 30-minute gap over 50k clicks/s, per-session summaries to Iceberg.',
    spec: {
      flinkVersion: '1.20',
      pipeline: {
        sources: [
          { id: 'clicks', kind: 'kafka', recordsPerSecond: 50000, avgRecordBytes: 700, partitions: 24 },
        ],
        operators: [
          { id: 'bots-out', kind: 'filter', inputs: ['clicks'], outputRatio: 0.9 },
          {
            id: 'sessions',
            kind: 'window-aggregate',
            inputs: ['bots-out'],
            window: { type: 'session', gapSeconds: 1800 },
            distinctKeys: 3000000,
            stateBytesPerKey: 256,
            outputRatio: 0.01,
          },
        ],
        sinks: [{ id: 'lake', kind: 'iceberg', inputs: ['sessions'] }],
      },
      state: { backend: 'rocksdb', checkpointIntervalSeconds: 60, incrementalCheckpoints: true },
    },
  },
  {
    id: 'fraud-interval-join',
    label: 'Fraud detection with an interval join',
    description: 'Payments matched to logins within 10 minutes, then scored by a UDF.',
    spec: {
      flinkVersion: '1.20',
      pipeline: {
        sources: [
          { id: 'payments', kind: 'kafka', recordsPerSecond: 10000, avgRecordBytes: 600, partitions: 16 },
          { id: 'logins', kind: 'kafka', recordsPerSecond: 30000, avgRecordBytes: 300, partitions: 16 },
        ],
        operators: [
          {
            id: 'match',
            kind: 'interval-join',
            inputs: ['payments', 'logins'],
            boundSeconds: 600,
            distinctKeys: 1000000,
            stateBytesPerKey: 400,
          },
          { id: 'score', kind: 'udf', inputs: ['match'], costFactor: 4 },
          { id: 'suspicious', kind: 'filter', inputs: ['score'], outputRatio: 0.02 },
        ],
        sinks: [{ id: 'alerts', kind: 'kafka', inputs: ['suspicious'] }],
      },
      state: { backend: 'rocksdb', checkpointIntervalSeconds: 30, incrementalCheckpoints: true },
    },
  },
];

export const presetById = (id: unknown) => PRESETS.find((p) => p.id === id);
