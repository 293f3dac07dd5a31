/**
 * Conditional requests (RFC 9110 §13): ETags on saved estimations and the If-None-Match /
 * If-Match checks around them. The tag format itself lives with the service (`etagFor`).
 */

/** Entity tags listed in an If-None-Match or If-Match header; `*` is returned as is. */
function entityTags(header: string): string[] {
  return header
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

/**
 * True when If-None-Match names the current representation, so a GET may answer 304.
 * If-None-Match uses the weak comparison (RFC 9110 §13.1.2): a `W/` prefix is ignored.
 */
export function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const opaque = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag);
  return entityTags(ifNoneMatch).some((tag) => tag === '*' || opaque(tag) === opaque(etag));
}
