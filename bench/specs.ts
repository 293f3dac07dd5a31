/** Pipelines used by the benchmarks: one realistic 8-operator job and a generated large one. */

export const realisticPipelineSpec = {
  flinkVersion: '1.20',
  pipeline: {
    sources: [
      { id: 'orders', kind: 'kafka', recordsPerSecond: 50000, avgRecordBytes: 400, partitions: 24 },
      { id: 'customers', kind: 'cdc', recordsPerSecond: 500, avgRecordBytes: 600, partitions: 4 },
    ],
    operators: [
      { id: 'parse', kind: 'map', inputs: ['orders'] },
      { id: 'valid', kind: 'filter', inputs: ['parse'], outputRatio: 0.95 },
      {
        id: 'enrich',
        kind: 'regular-join',
        inputs: ['valid', 'customers'],
        distinctKeys: 2000000,
        stateBytesPerKey: 600,
        ttlSeconds: 86400,
      },
      { id: 'dedup', kind: 'deduplicate', inputs: ['enrich'], distinctKeys: 5000000, stateBytesPerKey: 32 },
      {
        id: 'per-minute',
        kind: 'window-aggregate',
        inputs: ['dedup'],
        window: { type: 'tumbling', sizeSeconds: 60 },
        distinctKeys: 100000,
        stateBytesPerKey: 128,
        outputRatio: 0.05,
      },
      { id: 'top', kind: 'top-n', inputs: ['per-minute'], n: 10, distinctKeys: 1000, stateBytesPerKey: 256 },
      { id: 'alerts', kind: 'filter', inputs: ['dedup'], outputRatio: 0.01 },
      { id: 'format', kind: 'project', inputs: ['top'] },
    ],
    sinks: [
      { id: 'dashboard', kind: 'kafka', inputs: ['format'] },
      { id: 'alerts-out', kind: 'kafka', inputs: ['alerts'] },
    ],
  },
  state: { backend: 'rocksdb', checkpointIntervalSeconds: 60, incrementalCheckpoints: true },
} as const;

/** A chain of `operators` operators (every fifth one keyed) between one Kafka source and sink. */
export function largePipelineSpec(operators: number) {
  const ops = Array.from({ length: operators }, (_, i) => ({
    id: `op${i}`,
    kind: i % 5 === 4 ? 'aggregate' : 'map',
    inputs: [i === 0 ? 'src' : `op${i - 1}`],
    ...(i % 5 === 4 ? { distinctKeys: 10000, stateBytesPerKey: 100 } : {}),
  }));
  return {
    pipeline: {
      sources: [{ id: 'src', kind: 'kafka', recordsPerSecond: 100000, avgRecordBytes: 300, partitions: 64 }],
      operators: ops,
      sinks: [{ id: 'sink', kind: 'kafka', inputs: [`op${operators - 1}`] }],
    },
  };
}
