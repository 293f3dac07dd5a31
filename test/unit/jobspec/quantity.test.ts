import { describe, expect, it } from 'vitest';
import { parseKubernetesQuantityBytes, QuantityParseError } from '../../../src/jobspec/quantity.js';

describe('parseKubernetesQuantityBytes', () => {
  it.each([
    ['32Gi', 32n * 1024n ** 3n],
    ['32768Mi', 32n * 1024n ** 3n],
    ['32G', 32_000_000_000n],
    ['1.5Gi', 1_610_612_736n],
    ['.5Ki', 512n],
    ['64e9', 64_000_000_000n],
    ['1E', 10n ** 18n],
    ['1000', 1000n],
    ['+2k', 2000n],
  ])('%s is %s bytes', (text, bytes) => {
    expect(parseKubernetesQuantityBytes(text)).toBe(bytes);
  });

  it('rounds a fractional byte up, as Quantity.Value() does', () => {
    expect(parseKubernetesQuantityBytes('0.5')).toBe(1n);
    expect(parseKubernetesQuantityBytes('1.0001k')).toBe(1001n);
  });

  it.each(['', 'Gi', '32 Gi', '32gi', '32GiB', '1.5.5G', '-1Gi', '1536m', '1e41'])('rejects %j', (text) => {
    expect(() => parseKubernetesQuantityBytes(text)).toThrow(QuantityParseError);
  });
});
