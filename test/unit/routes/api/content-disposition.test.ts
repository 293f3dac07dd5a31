import { describe, expect, it } from 'vitest';
import { asciiFilename, attachment, safeFilename } from '../../../../src/routes/api/content-disposition.js';

/** Parses a Content-Disposition value the way RFC 6266 clients do (quoted filename, RFC 8187 filename*). */
function parse(header: string): { type: string; filename?: string; filenameStar?: string } {
  const [type = '', ...params] = header.split(/;\s*(?=[a-z*]+=)/i);
  const result: { type: string; filename?: string; filenameStar?: string } = { type };
  for (const param of params) {
    const eq = param.indexOf('=');
    const key = param.slice(0, eq);
    const value = param.slice(eq + 1);
    if (key === 'filename') result.filename = JSON.parse(value);
    if (key === 'filename*') result.filenameStar = decodeURIComponent(value.replace(/^UTF-8''/, ''));
  }
  return result;
}

describe('Content-Disposition for downloads', () => {
  it('keeps a plain name as it is', () => {
    expect(attachment('clickstream-sessions.yaml')).toBe(
      `attachment; filename="clickstream-sessions.yaml"; filename*=UTF-8''clickstream-sessions.yaml`,
    );
  });

  it.each([
    ['a quote and a semicolon', 'a"; filename="evil.sh'],
    ['CR/LF header injection', 'job\r\nSet-Cookie: x=1'],
    ['a path traversal', '../../etc/passwd'],
    ['a Windows path', '..\\..\\boot.ini'],
    ['an RTL override disguising the extension', 'invoice\u202Egpj.exe'],
    ['a template', '{{ 7*7 }} <script>alert(1)</script>'],
    ['10,000 characters', 'x'.repeat(10_000)],
  ])('cannot be broken by %s', (_what, name) => {
    const header = attachment(`${name}.yaml`);
    // One header line of visible ASCII: nothing can end the header or start another.
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    const parsed = parse(header);
    expect(parsed.type).toBe('attachment');
    for (const filename of [parsed.filename ?? '', parsed.filenameStar ?? '']) {
      expect(filename.endsWith('.yaml'), filename).toBe(true);
      expect(filename).not.toMatch(/[/\\"*:<>?|\r\n\u202a-\u202e\u2066-\u2069]/);
      expect(filename.startsWith('.')).toBe(false);
      expect([...filename].length).toBeLessThanOrEqual(105);
    }
    expect(parsed.filename).toMatch(/^[A-Za-z0-9._-]+$/);
  });

  it('carries a Unicode name exactly in filename*, with an ASCII fallback', () => {
    const parsed = parse(attachment('Zürich Ströme – 流.yaml'));
    expect(parsed.filenameStar).toBe('Zürich Ströme – 流.yaml');
    expect(parsed.filename).toBe('Zurich-Strome.yaml');
  });

  it('falls back to a default name when nothing usable is left', () => {
    expect(safeFilename('../.yaml', 'flink-config')).toBe('flink-config.yaml');
    expect(asciiFilename('流.yaml', 'flink-config')).toBe('flink-config.yaml');
    expect(parse(attachment('\u202e', 'manifest')).filename).toBe('manifest');
  });

  it('percent-encodes the characters RFC 8187 does not allow bare', () => {
    expect(attachment("it's (v2)!.yaml")).toContain("filename*=UTF-8''it%27s%20%28v2%29!.yaml");
  });
});
