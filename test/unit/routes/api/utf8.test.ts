import { describe, expect, it } from 'vitest';
import { utf8 } from '../../../../src/routes/api/utf8.js';

describe('utf8 (the bytes a JSON answer is sent as)', () => {
  it.each([
    ['ASCII', '{"a":1}'],
    ['2-byte characters', 'µ ÷ · – ’'],
    ['3-byte characters', '× → ≤ ≥ ⌈ ⌉ … ∞'],
    ['4-byte characters (surrogate pairs)', '𝔽𝕝𝕚𝕟𝕜 🐿️'],
    ['empty', ''],
  ])('%s: the bytes Buffer.from writes', (_name, text) => {
    expect(utf8(text).equals(Buffer.from(text, 'utf8'))).toBe(true);
  });

  it('keeps every earlier answer intact while later ones fill its block and start new ones', () => {
    // 3,000 answers of up to 36 KB, all held at once: several times the 1 MiB block, with answers of
    // the worst size (all 3-byte characters) and odd lengths among them.
    const texts = Array.from(
      { length: 3000 },
      (_, i) => `{"n":${i},"t":"${'×→'.repeat(i % 7 === 0 ? 6000 : (i * 37) % 500)}${'x'.repeat(i % 13)}"}`,
    );
    const sent = texts.map((text) => utf8(text));
    texts.forEach((text, i) => {
      expect(sent[i]?.toString('utf8')).toBe(text);
    });
  });
});
