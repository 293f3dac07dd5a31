import { describe, expect, it } from 'vitest';
import { JobSpecSchema } from '../../../src/jobspec/index.js';
import { inputRecap } from '../../../src/web/headline.js';
import { quickSpec } from '../../fixtures/specs.js';

const withKeys = (distinctKeys: number) =>
  JobSpecSchema.parse({ ...quickSpec, workload: { ...quickSpec.workload, distinctKeys } });

describe('inputRecap', () => {
  it('says what a quick-form plan was sized for, with its key count in words a reader expects', () => {
    expect(inputRecap(withKeys(1))).toBe(
      'Sized for 50k records/s on average, 512-byte records, 2 sources → 4 operators → 1 sink; 1 stateful operator over one key; Flink 1.20.',
    );
    expect(inputRecap(withKeys(1_000_000))).toContain('1 stateful operator over 1M keys;');
  });
});
