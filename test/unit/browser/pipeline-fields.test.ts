/** The rows editor's fields per kind come from the schema's own list, read in the page forms' formats. */
import { describe, expect, it } from 'vitest';
import { kindFields, readField } from '../../../src/browser/pipeline-fields.js';

const keys = (group: string, kind: string) => kindFields(group, kind).map((f) => f.key);

describe('kind fields', () => {
  it('gives each kind the fields the pipeline schema lets it take', () => {
    expect(keys('operators', 'lookup-join')).toEqual([
      'lookupLatencyMs',
      'cacheHitRatio',
      'async',
      'asyncCapacity',
      'costFactor',
      'outputRecordBytes',
      'parallelism',
    ]);
    expect(keys('operators', 'map')).toEqual(['costFactor', 'outputRecordBytes', 'parallelism']);
    expect(keys('operators', 'top-n')).toContain('n');
    expect(keys('operators', 'interval-join')).toEqual(
      expect.arrayContaining(['boundSeconds', 'lowerBoundSeconds', 'upperBoundSeconds']),
    );
    expect(keys('operators', 'regular-join')).toEqual(
      expect.arrayContaining(['ttlSeconds', 'leftTtlSeconds', 'rightTtlSeconds']),
    );
    expect(keys('operators', 'window-aggregate').slice(0, 2)).toEqual(['window.type', 'window.sizeSeconds']);
    expect(keys('sources', 'kafka')).toEqual(['peakFactor', 'format', 'parallelism']);
    expect(keys('sinks', 'jdbc')).toEqual(['format', 'parallelism']);
  });

  it('shows a window field only for the window types that have it', () => {
    const slide = kindFields('operators', 'window-join').find((f) => f.key === 'window.slideSeconds');
    expect(slide?.windowTypes).toEqual(['hopping']);
  });
});

describe('reading a typed value', () => {
  const amount = { key: 'n', label: 'Top n', type: 'amount' } as const;
  const share = { key: 'hotKeyShare', label: 'Hot-key share', type: 'fraction' } as const;
  it('takes 50k, 1.2M, 70% and a blank (the field is dropped)', () => {
    expect(readField(amount, '50k')).toEqual({ value: 50_000 });
    expect(readField(amount, '1.2M')).toEqual({ value: 1_200_000 });
    expect(readField(share, '70%')).toEqual({ value: 0.7 });
    expect(readField(share, ' ')).toEqual({ value: undefined });
  });
  it('reads a time field as a duration in its unit: 2m is two minutes, not two million', () => {
    const size = kindFields('operators', 'window-aggregate').find((f) => f.key === 'window.sizeSeconds');
    const latency = kindFields('operators', 'lookup-join').find((f) => f.key === 'lookupLatencyMs');
    if (!size || !latency) throw new Error('window size and lookup latency are fields of these kinds');
    expect(readField(size, '2m')).toEqual({ value: 120 });
    expect(readField(size, '60')).toEqual({ value: 60 });
    expect(readField(latency, '0.2s')).toEqual({ value: 200 });
    expect(readField(size, 'a while')).toEqual({
      message: 'Window size (s) must be a duration, for example 60, 90s, 2m or 1h.',
    });
  });
  it('says in plain words what a value that is not a number should look like', () => {
    expect(readField(amount, 'ten')).toEqual({ message: 'Top n must be a number, for example 60 or 50k.' });
    expect(readField(share, 'most')).toEqual({
      message: 'Hot-key share must be a share, for example 0.7 or 70%.',
    });
  });
});
