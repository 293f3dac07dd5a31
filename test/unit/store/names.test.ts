import { describe, expect, it } from 'vitest';
import { foldName, nameSortKey, shortGrams } from '../../../src/store/names.js';

const byKey = (names: string[]) =>
  [...names].sort((a, b) => {
    const ka = nameSortKey(a);
    const kb = nameSortKey(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });

describe('nameSortKey', () => {
  it('orders numbers inside names by value, case-insensitively', () => {
    expect(byKey(['Job 10', 'job 2', 'JOB 1', 'job 100', 'job 9b', 'job 9a'])).toEqual([
      'JOB 1',
      'job 2',
      'job 9a',
      'job 9b',
      'Job 10',
      'job 100',
    ]);
    expect(byKey(['v1.10', 'v1.9', 'v1.2'])).toEqual(['v1.2', 'v1.9', 'v1.10']);
  });

  it('ignores leading zeros and keeps numbers before letters, as plain text does', () => {
    expect(nameSortKey('run 007')).toBe(nameSortKey('run 7'));
    expect(nameSortKey('run 0')).toBe('run 0010');
    expect(byKey(['ab', 'a1', 'a-'])).toEqual(['a-', 'a1', 'ab']);
  });
});

describe('foldName and shortGrams', () => {
  it('folds case and Unicode forms so a decomposed ü finds a composed one', () => {
    expect(foldName('Über')).toBe(foldName('U\u0308ber'));
    expect(foldName('ﬁle ÄRGER')).toBe('file ärger');
  });

  it('lists each 1- and 2-character substring once, by code point', () => {
    expect(shortGrams('abab')).toEqual(['a', 'ab', 'b', 'ba']);
    expect(shortGrams('日本😀')).toEqual(['日', '日本', '本', '本😀', '😀']);
  });
});
