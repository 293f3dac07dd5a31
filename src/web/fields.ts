/**
 * The one reader of submitted form fields. A urlencoded body (or query string) gives a string,
 * an array when a name repeats, or nothing. The last value wins: a checkbox after a hidden input
 * of the same name ("false", then "true" when ticked) reads as the box's state.
 */
export function fieldText(body: unknown, name: string, maxLength = 300_000): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const value = (body as Record<string, unknown>)[name];
  const last = Array.isArray(value) ? value.at(-1) : value;
  return typeof last === 'string' ? last.slice(0, maxLength) : undefined;
}

/** A whole-number field such as a version a form carried; absent or malformed is undefined. */
export function fieldInteger(body: unknown, name: string): number | undefined {
  const text = fieldText(body, name);
  return text !== undefined && /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}
