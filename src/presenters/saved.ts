/**
 * View-models for the saved-estimation pages: the list (search, sort, keyset pagination) and the
 * links every saved estimation offers. Templates only print what these functions return, so the
 * rules (which order a header link asks for, what the next page carries) are tested here.
 */
import { manifestLinks } from '../exports/index.js';
import { formatBytes, formatMoney, formatNumber, formatRate, formatTimestamp } from '../format.js';
import type { JobSpec } from '../jobspec/index.js';
import type { Estimate } from '../schemas/estimate.js';
import type { SavedEstimationListItem } from '../schemas/saved.js';
import { SORT_FIELDS, type SortField } from '../store/estimations.js';

export type SortOrder = 'asc' | 'desc';

/** Rows per page unless the query asks for another size. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** How many saved estimations one comparison shows side by side. */
export const MIN_COMPARE = 2;
export const MAX_COMPARE = 6;

/** The list page's query, normalised: unknown values fall back to the defaults instead of failing. */
export interface SavedListQuery {
  q: string;
  sort: SortField;
  order: SortOrder;
  cursor: string | undefined;
  limit: number;
}

/** Dates read newest first, names alphabetically: the order a header link asks for first. */
export const defaultOrder = (sort: SortField): SortOrder => (sort === 'name' ? 'asc' : 'desc');

const firstString = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
};

/**
 * Reads `q`, `sort`, `order`, `cursor` and `limit` from a query string. A hand-edited URL with
 * an unknown sort or size gets the defaults, because a list page should always show something.
 */
export function parseListQuery(raw: unknown): SavedListQuery {
  const query = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const q = (firstString(query.q) ?? '').trim().slice(0, 200);
  const sortText = firstString(query.sort);
  const sort: SortField = SORT_FIELDS.find((field) => field === sortText) ?? 'createdAt';
  const orderText = firstString(query.order);
  const order: SortOrder = orderText === 'asc' || orderText === 'desc' ? orderText : defaultOrder(sort);
  const cursorText = firstString(query.cursor);
  const cursor = cursorText && cursorText.length <= 500 ? cursorText : undefined;
  const limitNumber = Number(firstString(query.limit));
  const limit =
    Number.isInteger(limitNumber) && limitNumber >= 1
      ? Math.min(limitNumber, MAX_PAGE_SIZE)
      : DEFAULT_PAGE_SIZE;
  return { q, sort, order, cursor, limit };
}

/** `/saved` with only the parameters that differ from the defaults, so links stay short and stable. */
export function listHref(query: Partial<SavedListQuery>): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  const sort = query.sort ?? 'createdAt';
  if (sort !== 'createdAt') params.set('sort', sort);
  if (query.order && query.order !== defaultOrder(sort)) params.set('order', query.order);
  if (query.limit && query.limit !== DEFAULT_PAGE_SIZE) params.set('limit', String(query.limit));
  if (query.cursor) params.set('cursor', query.cursor);
  const text = params.toString();
  return text ? `/saved?${text}` : '/saved';
}

/**
 * The estimate form prefilled with a spec ("Edit inputs", "Duplicate and edit"). The estimate page
 * reads the JobSpec as JSON text in its `spec` query parameter.
 */
export const estimateHref = (spec: JobSpec): string =>
  `/estimate?${new URLSearchParams({ spec: JSON.stringify(spec) }).toString()}`;

export const savedHref = (id: string) => `/saved/${encodeURIComponent(id)}`;

// Bidi formatting characters and right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, …).
const BIDI = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * A name inside plain text (flash messages, page titles), where no <bdi> element can isolate it:
 * a name with right-to-left text or a bidi override is wrapped in FIRST STRONG ISOLATE … POP
 * DIRECTIONAL ISOLATE (Unicode Bidirectional Algorithm, UAX #9) so it can't reorder the words
 * around it. Other names are left exactly as typed.
 */
export const isolate = (name: string) => (BIDI.test(name) ? `\u2068${name}\u2069` : name);

/** "“name”" — quoted in messages so leading/trailing spaces or odd characters stay visible. */
export const quoted = (name: string) => `“${isolate(name)}”`;

export interface SortHeader {
  field: SortField;
  label: string;
  href: string;
  /** aria-sort for the header cell, set on the column the list is sorted by. */
  ariaSort: 'ascending' | 'descending' | undefined;
  /** What following the link does, for screen readers and the tooltip. */
  action: string;
}

export interface TimeCell {
  iso: string;
  /** "2026-11-23 22:47 UTC" */
  text: string;
  /** "2026-11-23" and "22:47 UTC", for narrow table cells. */
  date: string;
  time: string;
}

export interface SavedRow {
  id: string;
  name: string;
  owner: string | null;
  href: string;
  renameHref: string;
  deleteHref: string;
  duplicateHref: string;
  /** "3 × 4 CPU × 16 GiB": TaskManagers × CPU per TaskManager × process memory per TaskManager. */
  shape: string;
  shapeExact: string;
  parallelism: string;
  totalCores: string;
  monthlyCost: string;
  warnings: number;
  createdAt: TimeCell;
  updatedAt: TimeCell;
}

export interface SavedListView {
  query: SavedListQuery;
  rows: SavedRow[];
  total: number;
  /** "3 saved estimations" or "2 of 40 match “orders”". */
  countText: string;
  headers: Record<SortField, SortHeader>;
  nextHref: string | undefined;
  firstHref: string | undefined;
  /** A stale or foreign cursor was given; the first page is shown instead. */
  cursorReset: boolean;
  /** The current list URL, so forms (compare) can come back to exactly this view. */
  selfHref: string;
  /** Hidden fields that keep a non-default sort when searching. */
  keep: Array<{ name: string; value: string }>;
  minCompare: number;
  maxCompare: number;
}

const SORT_LABELS: Record<SortField, string> = { name: 'Name', createdAt: 'Created', updatedAt: 'Updated' };
const ORDER_WORDS: Record<SortOrder, string> = { asc: 'ascending', desc: 'descending' };

function sortHeader(query: SavedListQuery, field: SortField): SortHeader {
  const current = query.sort === field;
  // Following the header of the current column flips its order; another column starts at its default.
  const order: SortOrder = current ? (query.order === 'asc' ? 'desc' : 'asc') : defaultOrder(field);
  return {
    field,
    label: SORT_LABELS[field],
    href: listHref({ q: query.q, sort: field, order, limit: query.limit }),
    ariaSort: current ? (query.order === 'asc' ? 'ascending' : 'descending') : undefined,
    action: `Sort by ${SORT_LABELS[field].toLowerCase()}, ${ORDER_WORDS[order]}`,
  };
}

const plural = (n: number, one: string, many: string) => `${formatNumber(n)} ${n === 1 ? one : many}`;

function time(iso: string): TimeCell {
  const text = formatTimestamp(iso);
  const [date = text, ...rest] = text.split(' ');
  return { iso, text, date, time: rest.join(' ') };
}

export function savedRow(item: SavedEstimationListItem): SavedRow {
  const s = item.summary;
  const href = savedHref(item.id);
  return {
    id: item.id,
    name: item.name,
    owner: item.owner,
    href,
    renameHref: `${href}/rename`,
    deleteHref: `${href}/delete`,
    duplicateHref: `${href}/duplicate`,
    shape: `${s.taskManagers} × ${formatNumber(s.taskManagerCpu)} CPU × ${formatBytes(s.taskManagerProcessBytes)}`,
    shapeExact: `${s.taskManagers} TaskManagers, ${formatNumber(s.taskManagerCpu)} CPU and ${formatNumber(s.taskManagerProcessBytes)} bytes of process memory each, ${plural(s.slotsPerTaskManager, 'slot', 'slots')} each`,
    parallelism: formatNumber(s.parallelism),
    totalCores: formatNumber(s.totalCores),
    monthlyCost: formatMoney(s.monthlyCost, s.currency),
    warnings: s.warnings,
    createdAt: time(item.createdAt),
    updatedAt: time(item.updatedAt),
  };
}

export function buildSavedListView(input: {
  query: SavedListQuery;
  items: SavedEstimationListItem[];
  nextCursor: string | null;
  total: number;
  cursorReset?: boolean;
}): SavedListView {
  const { query, total } = input;
  const countText = query.q
    ? `${plural(total, 'saved estimation matches', 'saved estimations match')} ${quoted(query.q)}`
    : `${plural(total, 'saved estimation', 'saved estimations')}`;
  const base = { q: query.q, sort: query.sort, order: query.order, limit: query.limit };
  return {
    query,
    rows: input.items.map(savedRow),
    total,
    countText,
    headers: {
      name: sortHeader(query, 'name'),
      createdAt: sortHeader(query, 'createdAt'),
      updatedAt: sortHeader(query, 'updatedAt'),
    },
    nextHref: input.nextCursor ? listHref({ ...base, cursor: input.nextCursor }) : undefined,
    firstHref: query.cursor && !input.cursorReset ? listHref(base) : undefined,
    cursorReset: input.cursorReset ?? false,
    selfHref: listHref({ ...base, cursor: input.cursorReset ? undefined : query.cursor }),
    keep: [
      ...(query.sort !== 'createdAt' ? [{ name: 'sort', value: query.sort }] : []),
      ...(query.order !== defaultOrder(query.sort) ? [{ name: 'order', value: query.order }] : []),
      ...(query.limit !== DEFAULT_PAGE_SIZE ? [{ name: 'limit', value: String(query.limit) }] : []),
    ],
    minCompare: MIN_COMPARE,
    maxCompare: MAX_COMPARE,
  };
}

/** The header block of one saved estimation: name, owner, dates and the links its actions use. */
export interface SavedHeaderView {
  id: string;
  name: string;
  owner: string | null;
  version: number;
  href: string;
  renameHref: string;
  deleteHref: string;
  duplicateHref: string;
  editHref: string;
  createdAt: TimeCell;
  updatedAt: TimeCell;
  edited: boolean;
}

export function savedHeader(saved: {
  id: string;
  name: string;
  owner: string | null;
  version: number;
  spec: JobSpec;
  createdAt: string;
  updatedAt: string;
}): SavedHeaderView {
  const href = savedHref(saved.id);
  return {
    id: saved.id,
    name: saved.name,
    owner: saved.owner,
    version: saved.version,
    href,
    renameHref: `${href}/rename`,
    deleteHref: `${href}/delete`,
    duplicateHref: `${href}/duplicate`,
    editHref: estimateHref(saved.spec),
    createdAt: time(saved.createdAt),
    updatedAt: time(saved.updatedAt),
    // The version, not the clock: a rename within the same millisecond is still an edit.
    edited: saved.version > 1,
  };
}

export interface Figure {
  label: string;
  value: string;
  detail?: string;
  title?: string;
}

/**
 * The saved page's own account of a plan: headline figures, memory breakdowns, per-operator
 * numbers, the Flink options and the export links (the API serves the files for a saved id).
 */
export interface PlanView {
  headline: Figure[];
  taskManagerMemory: Figure[];
  jobManagerMemory: Figure[];
  operators: Array<{
    id: string;
    label: string;
    role: string;
    kind: string;
    parallelism: string;
    input: string;
    inputExact: string;
    cores: string;
    state: string;
    stateExact: string;
  }>;
  flinkConfig: string;
  warnings: Estimate['warnings'];
  exports: Array<{ label: string; href: string; hint: string }>;
}

const exactBytes = (n: number) => `${formatNumber(n)} bytes`;
const memoryFigure = (label: string, bytes: number): Figure => ({
  label,
  value: formatBytes(bytes),
  title: exactBytes(bytes),
});

export function buildPlanView(id: string, estimate: Estimate): PlanView {
  const tm = estimate.taskManagers;
  const jm = estimate.jobManager;
  const api = `/api/v1/estimations/${encodeURIComponent(id)}`;
  const config = { ...estimate.flinkConfig, ...tm.flinkConfig, ...jm.flinkConfig };
  return {
    headline: [
      {
        label: 'TaskManagers',
        value: formatNumber(tm.count),
        detail: `${formatNumber(tm.cpu)} CPU × ${formatBytes(tm.memory.totalProcessMemory)} each, ${plural(tm.slotsPerTaskManager, 'slot', 'slots')}`,
        title: `${exactBytes(tm.memory.totalProcessMemory)} of process memory per TaskManager`,
      },
      {
        label: 'Parallelism',
        value: formatNumber(estimate.parallelism.default),
        detail: `max parallelism ${formatNumber(estimate.parallelism.max)}`,
      },
      {
        label: 'Total cores',
        value: formatNumber(estimate.cpu.totalCores),
        detail: `${formatNumber(estimate.cpu.requiredCores)} needed at 100 % busy`,
      },
      {
        label: 'Monthly cost',
        value: formatMoney(estimate.cost.monthly, estimate.cost.currency),
        detail: `${formatNumber(estimate.cost.cores)} cores, ${formatNumber(estimate.cost.memoryGiB)} GiB`,
      },
      {
        label: 'State',
        value: formatBytes(estimate.state.totalBytes),
        detail: `${estimate.state.backend}, checkpoint ${formatBytes(estimate.state.checkpoint.sizeBytes)}`,
        title: exactBytes(estimate.state.totalBytes),
      },
      {
        label: 'JobManager',
        value: formatBytes(jm.memory.totalProcessMemory),
        detail: `${formatNumber(jm.cpu)} CPU`,
        title: exactBytes(jm.memory.totalProcessMemory),
      },
    ],
    taskManagerMemory: [
      memoryFigure('Framework heap', tm.memory.frameworkHeap),
      memoryFigure('Task heap', tm.memory.taskHeap),
      memoryFigure('Managed memory', tm.memory.managed),
      memoryFigure('Framework off-heap', tm.memory.frameworkOffHeap),
      memoryFigure('Task off-heap', tm.memory.taskOffHeap),
      memoryFigure('Network', tm.memory.network),
      memoryFigure('JVM metaspace', tm.memory.jvmMetaspace),
      memoryFigure('JVM overhead', tm.memory.jvmOverhead),
      memoryFigure('Total Flink memory', tm.memory.totalFlinkMemory),
      memoryFigure('Total process memory', tm.memory.totalProcessMemory),
    ],
    jobManagerMemory: [
      memoryFigure('JVM heap', jm.memory.jvmHeap),
      memoryFigure('Off-heap', jm.memory.offHeap),
      memoryFigure('JVM metaspace', jm.memory.jvmMetaspace),
      memoryFigure('JVM overhead', jm.memory.jvmOverhead),
      memoryFigure('Total Flink memory', jm.memory.totalFlinkMemory),
      memoryFigure('Total process memory', jm.memory.totalProcessMemory),
    ],
    operators: estimate.operators.map((o) => ({
      id: o.id,
      label: o.name ?? o.id,
      role: o.role,
      kind: o.kind,
      parallelism: formatNumber(o.parallelism),
      input: formatRate(o.inputRecordsPerSecond),
      inputExact: `${formatNumber(o.inputRecordsPerSecond)} records/s at peak`,
      cores: formatNumber(o.requiredCores),
      state: o.stateBytes > 0 ? formatBytes(o.stateBytes) : '—',
      stateExact: exactBytes(o.stateBytes),
    })),
    flinkConfig: Object.entries(config)
      .map(([key, value]) => `${key}: ${value}`)
      .join('\n'),
    warnings: estimate.warnings,
    exports: [
      ...manifestLinks((format) => `${api}/manifests/${format}`),
      { label: 'JSON', href: api, hint: 'inputs and the whole estimate' },
    ],
  };
}
