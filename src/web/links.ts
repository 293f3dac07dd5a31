/**
 * Every link a page builds, and the one way a spec travels in a URL: deflated JSON in base64url
 * with a version prefix (`v1.…`), short enough to share and read back exactly.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { MAX_SQL_CHARS } from '../intake/schema.js';
import { type JobSpec, JobSpecSchema } from '../jobspec/index.js';
import { type Problem, problem } from '../schemas/problem.js';

/** Largest decoded spec a shared link may carry. */
export const MAX_SHARED_SPEC_BYTES = 256 * 1024;
const SHARE_PREFIX = 'v1.';

/** A spec as a compact, URL-safe string: deflate + base64url. */
export function encodeSpec(spec: unknown): string {
  return SHARE_PREFIX + deflateRawSync(Buffer.from(JSON.stringify(spec))).toString('base64url');
}

export class SharedSpecError extends Error {}

/** Reverses encodeSpec; throws SharedSpecError for anything it did not produce. */
export function decodeSpec(encoded: string): unknown {
  if (!encoded.startsWith(SHARE_PREFIX) || encoded.length > 200_000) {
    throw new SharedSpecError('This link does not carry an estimate this tool made.');
  }
  try {
    const raw = inflateRawSync(Buffer.from(encoded.slice(SHARE_PREFIX.length), 'base64url'), {
      maxOutputLength: MAX_SHARED_SPEC_BYTES,
    });
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new SharedSpecError('This link is damaged or too large: the estimate in it cannot be read.');
  }
}

/**
 * Where a page came from when it edits a saved estimation: the record, the version the user
 * read, and its name. Carried through the estimate form and the results page, so "Update this
 * estimation" can offer to overwrite exactly that version.
 */
export interface SavedOrigin {
  id: string;
  version: number;
  name: string;
}

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

const originParams = (origin: SavedOrigin | undefined) =>
  origin ? { from: origin.id, version: String(origin.version), name: origin.name } : {};

/**
 * Longest script (encoded) a link carries beside its spec: Node refuses a request whose header
 * block passes 16 KiB (`--max-http-header-size`), and the spec and cookies need room too.
 */
const MAX_LINK_SQL_CHARS = 8000;

/** The script a spec was made from, as a link parameter; undefined when none or too long for a link. */
export function sqlParam(sql: string | undefined): string | undefined {
  if (sql === undefined || sql === '') return undefined;
  const encoded = encodeSpec(sql);
  return encoded.length <= MAX_LINK_SQL_CHARS ? encoded : undefined;
}

/** The script a link carries (see sqlParam), or undefined when it has none or it cannot be read. */
export function sqlFromLink(encoded: unknown): string | undefined {
  if (typeof encoded !== 'string' || encoded === '') return undefined;
  try {
    const sql = decodeSpec(encoded);
    return typeof sql === 'string' && sql.length <= MAX_SQL_CHARS ? sql : undefined;
  } catch (error) {
    if (error instanceof SharedSpecError) return undefined;
    throw error;
  }
}

/** The shareable results page of a spec (and of the script it was made from, when it fits). */
export const resultsHref = (spec: unknown, origin?: SavedOrigin, sql?: string) =>
  `/results${query({ spec: encodeSpec(spec), ...originParams(origin), sql: sqlParam(sql) })}`;

/** The estimate form filled with a spec (edit inputs, duplicate and edit, presets). */
export const estimateHref = (spec: unknown, origin?: SavedOrigin, sql?: string) =>
  `/estimate${query({ spec: encodeSpec(spec), ...originParams(origin), sql: sqlParam(sql) })}`;

export const savedHref = (id: string) => `/saved/${encodeURIComponent(id)}`;

/** A page of one saved estimation's actions: rename, delete, duplicate, update. */
export const savedActionHref = (id: string, action: 'rename' | 'delete' | 'duplicate' | 'update') =>
  `${savedHref(id)}/${action}`;

/** Where a plan's files download from: a shared results link, or a saved estimation. */
export type ExportSource = { kind: 'link'; spec: unknown } | { kind: 'saved'; id: string };

export function exportHref(source: ExportSource, format: string): string {
  if (source.kind === 'link') return `/results/export/${format}${query({ spec: encodeSpec(source.spec) })}`;
  const api = `/api/v1/estimations/${encodeURIComponent(source.id)}`;
  return format === 'json' ? api : `${api}/manifests/${format}`;
}

/** The API route a saved estimation's export form submits to (its fields become query options). */
export const exportAction = (source: ExportSource, format: string) =>
  exportHref(source, format).split('?')[0] ?? '';

/** Reads the saved origin back from a query string; anything malformed means "not editing a saved one". */
export function originFromQuery(q: Record<string, unknown>): SavedOrigin | undefined {
  const { from, version, name } = q;
  if (typeof from !== 'string' || typeof version !== 'string' || !/^\d{1,15}$/.test(version))
    return undefined;
  if (from === '' || from.length > 100) return undefined;
  return { id: from, version: Number(version), name: typeof name === 'string' ? name.slice(0, 400) : '' };
}

/** A shared link's spec, validated, or the problem to answer instead. */
export function specFromLink(encoded: unknown): { spec: JobSpec; encoded: string } | { problem: Problem } {
  if (typeof encoded !== 'string' || encoded === '') {
    return {
      problem: problem(400, 'This results link has no estimate in it. Start one from the estimate form.'),
    };
  }
  try {
    const parsed = JobSpecSchema.safeParse(decodeSpec(encoded));
    if (parsed.success) return { spec: parsed.data, encoded };
    return {
      problem: problem(
        400,
        'The estimate in this link is not a valid job description.',
        parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
      ),
    };
  } catch (error) {
    if (!(error instanceof SharedSpecError)) throw error;
    return { problem: problem(400, error.message) };
  }
}
