import { describe, expect, it } from 'vitest';
import { JobSpecSchema } from '../../../src/jobspec/index.js';
import { inputRecap } from '../../../src/web/headline.js';

const quick = (distinctKeys: number) =>
  JobSpecSchema.parse({
    workload: {
      sources: 1,
      operators: 2,
      sinks: 1,
      recordsPerSecond: 20_000,
      avgRecordBytes: 300,
      statefulOperators: 1,
      distinctKeys,
      stateBytesPerKey: 200,
    },
  });

describe('inputRecap', () => {
  it('says what a quick-form plan was sized for, with its key count in words a reader expects', () => {
    expect(inputRecap(quick(1))).toBe(
      'Sized for 20k records/s on average, 300-byte records, 1 source → 2 operators → 1 sink; 1 stateful operator over one key; Flink 1.20.',
    );
    expect(inputRecap(quick(1_000_000))).toContain('1 stateful operator over 1M keys;');
  });
});
