import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/estimator/index.js';
import { JobSpecSchema } from '../../../src/jobspec/index.js';

const spec = JobSpecSchema.parse({
  pipeline: {
    sources: [{ id: 'clicks', kind: 'kafka', recordsPerSecond: 20000, avgRecordBytes: 300, partitions: 8 }],
    operators: [
      { id: 'parse', kind: 'map', inputs: ['clicks'] },
      {
        id: 'per-user',
        kind: 'aggregate',
        inputs: ['parse'],
        distinctKeys: 100000,
        stateBytesPerKey: 64,
      },
    ],
    sinks: [{ id: 'out', kind: 'kafka', inputs: ['per-user'] }],
  },
});

describe('chainHead: the task each node runs in', () => {
  const plan = estimate(spec);
  const byId = new Map(plan.operators.map((o) => [o.id, o]));

  it('a source and a node read through a keyBy each start a task of their own', () => {
    expect(byId.get('clicks')?.chainHead).toBe('clicks');
    // A hash exchange is a network shuffle: Flink never chains across it.
    expect(byId.get('per-user')?.keyed).toBe(true);
    expect(byId.get('per-user')?.chainHead).toBe('per-user');
  });

  it('a chained node runs at its head’s parallelism, and its head is upstream', () => {
    for (const node of plan.operators) {
      const head = byId.get(node.chainHead);
      expect(head?.chainHead).toBe(node.chainHead);
      expect(head?.parallelism).toBe(node.parallelism);
      if (node.chainHead !== node.id) expect(node.keyed).toBe(false);
    }
  });
});
