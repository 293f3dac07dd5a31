import { describe, expect, it } from 'vitest';
import { notModified } from '../../../../src/routes/api/conditional.js';

describe('If-None-Match (RFC 9110 §13.1.2)', () => {
  const etag = '"abcdefgh12345678.v3"';

  it.each([
    [etag, true],
    [`W/${etag}`, true],
    [`"x.v1", ${etag}`, true],
    ['*', true],
    ['"abcdefgh12345678.v2"', false],
    ['abcdefgh12345678.v3', false],
    ['', false],
  ])('%j matches: %s', (header, expected) => {
    expect(notModified(header, etag)).toBe(expected);
  });

  it('does not match without the header', () => {
    expect(notModified(undefined, etag)).toBe(false);
  });
});
