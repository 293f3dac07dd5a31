/**
 * A `Content-Disposition: attachment` header that no name can break (RFC 6266 with the
 * RFC 8187 `filename*` parameter): the quoted `filename` is a plain-ASCII fallback, and the
 * full Unicode name travels percent-encoded, so quotes, semicolons, CR/LF, path separators and
 * bidirectional overrides in a user's estimation name never reach the header as syntax.
 */

const MAX_BASE_LENGTH = 100;

// Controls, path separators, characters Windows forbids in file names, and the bidi/zero-width
// characters that can disguise an extension (the "RTL override" trick: "evil\u202Elmay.exe").
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f/\\"*:<>?|\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** RFC 8187 attr-char is ALPHA / DIGIT / "!#$&+-.^_`|~"; encodeURIComponent leaves '()* unencoded too. */
const encodeRfc8187 = (text: string) =>
  encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Splits "name.ext" into base and extension; the extension is kept only when it is short and plain. */
function splitExtension(filename: string): [string, string] {
  const match = /^(.*?)(\.[A-Za-z0-9]{1,8})$/.exec(filename);
  return match?.[1] ? [match[1], match[2] ?? ''] : [filename, ''];
}

/** The Unicode name with everything unsafe removed, or `fallback` when nothing is left. */
export function safeFilename(filename: string, fallback = 'download'): string {
  const [rawBase, extension] = splitExtension(filename.normalize('NFC'));
  const base = [...rawBase.replace(UNSAFE, '_')]
    .slice(0, MAX_BASE_LENGTH)
    .join('')
    .replace(/^[\s._]+|[\s._]+$/g, '');
  return `${base === '' ? fallback : base}${extension.toLowerCase()}`;
}

/** An ASCII-only fallback for clients that ignore `filename*`: letters, digits, dot, dash, underscore. */
export function asciiFilename(filename: string, fallback = 'download'): string {
  const [rawBase, extension] = splitExtension(safeFilename(filename, fallback));
  const base = rawBase
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return `${base === '' ? fallback : base}${extension}`;
}

/** `attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>` */
export function attachment(filename: string, fallback = 'download'): string {
  const unicode = safeFilename(filename, fallback);
  const ascii = asciiFilename(unicode, fallback);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc8187(unicode)}`;
}
