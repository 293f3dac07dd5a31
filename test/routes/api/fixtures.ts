/** Specs and helpers shared by the API route tests. */

export const quickSpec = {
  flinkVersion: '1.20',
  workload: {
    sources: 2,
    operators: 4,
    sinks: 1,
    recordsPerSecond: 50000,
    avgRecordBytes: 512,
    statefulOperators: 1,
    distinctKeys: 1000000,
    stateBytesPerKey: 200,
  },
};

export const pipelineSpec = {
  flinkVersion: '1.20',
  pipeline: {
    sources: [{ id: 'bids', kind: 'kafka', recordsPerSecond: 100000, avgRecordBytes: 200, partitions: 48 }],
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
};

export interface FieldError {
  path: string;
  message: string;
}

/** The field paths a problem document names. */
export const errorPaths = (body: { errors?: FieldError[] }) => (body.errors ?? []).map((e) => e.path);

export const JSON_HEADERS = { 'content-type': 'application/json' };
