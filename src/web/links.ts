/**
 * Every link a page builds, and the one way a spec travels in a URL: deflated JSON in base64url
 * with a version prefix (`v1.…`), short enough to share and read back exactly.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { type JobSpec, JobSpecSchema } from '../jobspec/index.js';
import { isExplainOutput, MAX_SQL_CHARS } from '../schemas/intake.js';
import { type Problem, problem } from '../schemas/problem.js';
import { fieldText } from './fields.js';

/** Largest decoded spec a shared link may carry. */
export const MAX_SHARED_SPEC_BYTES = 256 * 1024;
const SHARE_PREFIX = 'v1.';

/** A spec as a compact, URL-safe string: deflate + base64url. */
export function encodeSpec(spec: unknown): string {
  return SHARE_PREFIX + deflateRawSync(Buffer.from(JSON.stringify(spec))).toString('base64url');
}

export class SharedSpecError extends Error {}

/**
 * A spec encoded once for every link of a page that carries it (each encoding deflates the whole
 * spec: on the results page, three of them were a tenth of the page's time).
 */
export class EncodedSpec {
  readonly text: string;
  constructor(spec: unknown) {
    this.text = encodeSpec(spec);
  }
}

/** A link's spec parameter: the encoding already made, or a new one. */
const specParam = (spec: unknown) => (spec instanceof EncodedSpec ? spec.text : encodeSpec(spec));

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
 * What a spec was made from, as the pages carry it between the intake tab, the form, the results
 * and the save (a hidden field `sql` or `plan`, a link parameter of the same name): a Flink SQL
 * script, or a plan's JSON text. Credentials are already masked (intake masks what it shows back;
 * the estimations service masks again before storing).
 */
export interface SourceText {
  kind: 'sql' | 'plan';
  text: string;
}

/** Longest plan text a page carries (the intake tab reads at most MAX_SQL_CHARS of a paste). */
const MAX_SOURCE_CHARS = MAX_SQL_CHARS;

/**
 * Longest source (encoded) a link carries beside its spec: Node refuses a request whose header
 * block passes 16 KiB (`--max-http-header-size`), and the spec and cookies need room too.
 */
const MAX_LINK_SOURCE_CHARS = 8000;

/** The source as link parameters (`sql=` or `plan=`); none when there is none or it is too long for a link. */
function sourceParams(source: SourceText | undefined): Record<string, string> {
  if (source === undefined || source.text === '') return {};
  const encoded = encodeSpec(source.text);
  return encoded.length <= MAX_LINK_SOURCE_CHARS ? { [source.kind]: encoded } : {};
}

/** Whether a link can carry the source (otherwise the page that has it renders the results itself). */
export const sourceFitsLink = (source: SourceText | undefined) =>
  source === undefined || source.text === '' || sourceParams(source)[source.kind] !== undefined;

/** The source a link carries (see sourceParams), or undefined when it has none or it cannot be read. */
export function sourceFromLink(q: Record<string, unknown>): SourceText | undefined {
  for (const kind of ['sql', 'plan'] as const) {
    const encoded = q[kind];
    if (typeof encoded !== 'string' || encoded === '') continue;
    try {
      const text = decodeSpec(encoded);
      if (typeof text === 'string' && text !== '' && text.length <= MAX_SOURCE_CHARS) return { kind, text };
    } catch (error) {
      if (!(error instanceof SharedSpecError)) throw error;
    }
  }
  return undefined;
}

/** The source a form carried in its hidden `sql` or `plan` field; undefined when blank. */
export function sourceFromBody(body: unknown): SourceText | undefined {
  for (const kind of ['sql', 'plan'] as const) {
    const text = fieldText(body, kind, MAX_SOURCE_CHARS);
    if (text) return { kind, text };
  }
  return undefined;
}

/**
 * What the estimations service stores for a source: the script, the plan's JSON or the text
 * EXPLAIN printed, and no longer the other one. Nothing (keep what is stored) for no source or
 * plan text that is neither.
 */
export function savedSource(source: SourceText | undefined): {
  sql?: string | null;
  plan?: Record<string, unknown> | string | null;
} {
  if (source === undefined) return {};
  if (source.kind === 'sql') return { sql: source.text, plan: null };
  if (isExplainOutput(source.text)) return { plan: source.text, sql: null };
  try {
    const plan: unknown = JSON.parse(source.text);
    return plan !== null && typeof plan === 'object' && !Array.isArray(plan)
      ? { plan: plan as Record<string, unknown>, sql: null }
      : {};
  } catch {
    return {};
  }
}

/** What a source is, in the words of the panel that shows it. */
export const sourceTitle = (source: SourceText) =>
  source.kind === 'sql'
    ? 'SQL script'
    : isExplainOutput(source.text)
      ? 'EXPLAIN output'
      : 'Flink plan (JSON)';

/** A saved estimation's source, as the pages carry it. */
export function sourceOfRecord(record: { sql?: string | null; plan?: unknown }): SourceText | undefined {
  if (record.sql) return { kind: 'sql', text: record.sql };
  if (typeof record.plan === 'string') return { kind: 'plan', text: record.plan };
  if (record.plan !== null && record.plan !== undefined)
    return { kind: 'plan', text: JSON.stringify(record.plan, null, 2) };
  return undefined;
}

/** The shareable results page of a spec (and of the source it was made from, when it fits). */
export const resultsHref = (spec: unknown, origin?: SavedOrigin, source?: SourceText) =>
  `/results${query({ spec: specParam(spec), ...originParams(origin), ...sourceParams(source) })}`;

/** The estimate form filled with a spec (edit inputs, duplicate and edit, presets). */
export const estimateHref = (spec: unknown, origin?: SavedOrigin, source?: SourceText) =>
  `/estimate${query({ spec: specParam(spec), ...originParams(origin), ...sourceParams(source) })}`;

/** The estimate form's "From SQL or a plan" tab, with the source (and the saved origin) it should show. */
export const intakeTabHref = (origin?: SavedOrigin, source?: SourceText) =>
  `/estimate${query({ tab: 'intake', ...originParams(origin), ...sourceParams(source) })}#intake`;

export const savedHref = (id: string) => `/saved/${encodeURIComponent(id)}`;

/** A page of one saved estimation's actions: rename, delete, duplicate, update. */
export const savedActionHref = (id: string, action: 'rename' | 'delete' | 'duplicate' | 'update') =>
  `${savedHref(id)}/${action}`;

/** Where a plan's files download from: a shared results link (its spec encoded once for every link), or a saved estimation. */
export type ExportSource = { kind: 'link'; encodedSpec: string } | { kind: 'saved'; id: string };

export const linkExports = (spec: unknown): ExportSource => ({ kind: 'link', encodedSpec: specParam(spec) });

/** The route a plan's export form submits to (its fields become query options). */
export function exportAction(source: ExportSource, format: string): string {
  if (source.kind === 'link') return `/results/export/${format}`;
  const api = `/api/v1/estimations/${encodeURIComponent(source.id)}`;
  return format === 'json' ? api : `${api}/manifests/${format}`;
}

export const exportHref = (source: ExportSource, format: string) =>
  source.kind === 'link'
    ? `${exportAction(source, format)}${query({ spec: source.encodedSpec })}`
    : exportAction(source, format);

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
