import { JobSpecSchema } from '../../../src/schemas/jobspec.js';
import type { SavedEstimation } from '../../../src/schemas/saved.js';
import type { Harness } from './browser.js';

/** A small quick-form job (the contract's example numbers). */
export const QUICK = {
  flinkVersion: '1.20',
  workload: { sources: 2, operators: 4, sinks: 1, recordsPerSecond: 50000, avgRecordBytes: 512 },
};

/** Ten times the rate with keyed state: a plan that differs from QUICK in most rows. */
export const BUSY = {
  flinkVersion: '1.20',
  workload: {
    sources: 2,
    operators: 4,
    sinks: 1,
    recordsPerSecond: 500000,
    avgRecordBytes: 512,
    statefulOperators: 1,
    distinctKeys: 1000000,
    stateBytesPerKey: 200,
  },
};

/** A detailed pipeline: Kafka → windowed aggregation → Kafka. */
export const PIPELINE = {
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
};

/** Saves straight through the service (the server under test shares this process). */
export const seed = (h: Harness, name: string, spec: unknown = QUICK): SavedEstimation =>
  h.t.app.estimations.create({ name, spec: JobSpecSchema.parse(spec) });

/** Empties the store between tests that count rows. */
export function clearSaved(h: Harness): void {
  h.t.app.db.prepare('DELETE FROM estimations').run();
}
