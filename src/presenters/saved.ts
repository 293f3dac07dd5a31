/**
 * View-models for the saved-estimation pages: the list (search, sort, keyset pagination) and the
 * links every saved estimation offers. Templates only print what these functions return, so the
 * rules (which order a header link asks for, what the next page carries) are tested here.
 */
import type { ListCount } from '../estimations/service.js';
import { counted } from '../estimator/text.js';
import { formatBytes, formatMoney, formatNumber, formatTimestamp } from '../format.js';
import type { JobSpec } from '../jobspec/index.js';
import {
  DEFAULT_PAGE_SIZE,
  defaultOrder,
  ListQuerySchema,
  type SavedEstimationListItem,
  type SortField,
  type SortOrder,
} from '../schemas/saved.js';
import { estimateHref, savedActionHref, savedHref, sourceOfRecord } from '../web/links.js';

export { estimateHref, savedHref };

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

/**
 * Reads `q`, `sort`, `order`, `cursor` and `limit` with the API's list-query schema, forgivingly:
 * a repeated field counts once (its first value) and a field the schema refuses gets its default,
 * because a hand-edited list URL should still show a list.
 */
export function parseListQuery(raw: unknown): SavedListQuery {
  const fields: Record<string, unknown> = {};
  if (raw !== null && typeof raw === 'object') {
    for (const [key, value] of Object.entries(raw)) fields[key] = Array.isArray(value) ? value[0] : value;
  }
  let parsed = ListQuerySchema.safeParse(fields);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) delete fields[String(issue.path[0])];
    parsed = ListQuerySchema.safeParse(fields);
  }
  const query = parsed.success ? parsed.data : ListQuerySchema.parse({});
  return {
    q: query.q ?? '',
    sort: query.sort,
    order: query.order ?? defaultOrder(query.sort),
    cursor: query.cursor,
    limit: query.limit,
  };
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

export interface SortChoice {
  label: string;
  href: string;
  current: boolean;
}

export interface SavedListView {
  query: SavedListQuery;
  rows: SavedRow[];
  /** "3 saved estimations" or "137 saved estimations match “orders”". */
  countText: string;
  /** "21–40 of 100,000": the rows shown and how many the list holds; undefined when empty. */
  rangeText: string | undefined;
  headers: Record<SortField, SortHeader>;
  /** The same orders as the column headers, as links that stay reachable where the table is cards. */
  sortChoices: SortChoice[];
  nextHref: string | undefined;
  prevHref: string | undefined;
  /** Only when the previous page is not already the first. */
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
    renameHref: savedActionHref(item.id, 'rename'),
    deleteHref: savedActionHref(item.id, 'delete'),
    duplicateHref: savedActionHref(item.id, 'duplicate'),
    shape: `${s.taskManagers} × ${formatNumber(s.taskManagerCpu)} CPU × ${formatBytes(s.taskManagerProcessBytes)}`,
    shapeExact: `${counted(s.taskManagers, 'TaskManager')}, ${formatNumber(s.taskManagerCpu)} CPU and ${formatNumber(s.taskManagerProcessBytes)} bytes of process memory each, ${plural(s.slotsPerTaskManager, 'slot', 'slots')} each`,
    parallelism: formatNumber(s.parallelism),
    totalCores: formatNumber(s.totalCores),
    monthlyCost: formatMoney(s.monthlyCost, s.currency),
    warnings: s.warnings,
    createdAt: time(item.createdAt),
    updatedAt: time(item.updatedAt),
  };
}

const SORT_CHOICES: Array<{ label: string; sort: SortField; order: SortOrder }> = [
  { label: 'Newest first', sort: 'createdAt', order: 'desc' },
  { label: 'Oldest first', sort: 'createdAt', order: 'asc' },
  { label: 'Name A–Z', sort: 'name', order: 'asc' },
  { label: 'Name Z–A', sort: 'name', order: 'desc' },
  { label: 'Recently updated', sort: 'updatedAt', order: 'desc' },
];

/** "137" or, for a search counted only up to its limit, "more than 1,000". */
const countWords = (count: ListCount) =>
  count.atLeast ? `more than ${formatNumber(count.count)}` : formatNumber(count.count);

export function buildSavedListView(input: {
  query: SavedListQuery;
  items: SavedEstimationListItem[];
  nextCursor: string | null;
  prevCursor: string | null;
  start: number;
  count: ListCount;
  cursorReset?: boolean;
}): SavedListView {
  const { query, count, start } = input;
  const many = count.atLeast || count.count !== 1;
  const lead = count.atLeast ? `More than ${formatNumber(count.count)}` : formatNumber(count.count);
  const countText = query.q
    ? `${lead} ${many ? 'saved estimations match' : 'saved estimation matches'} ${quoted(query.q)}`
    : `${lead} ${many ? 'saved estimations' : 'saved estimation'}`;
  const shown = input.items.length;
  const base = { q: query.q, sort: query.sort, order: query.order, limit: query.limit };
  return {
    query,
    rows: input.items.map(savedRow),
    countText,
    rangeText:
      shown > 0
        ? `${formatNumber(start + 1)}–${formatNumber(start + shown)} of ${countWords(count)}`
        : undefined,
    headers: {
      name: sortHeader(query, 'name'),
      createdAt: sortHeader(query, 'createdAt'),
      updatedAt: sortHeader(query, 'updatedAt'),
    },
    sortChoices: SORT_CHOICES.map((choice) => ({
      label: choice.label,
      href: listHref({ q: query.q, sort: choice.sort, order: choice.order, limit: query.limit }),
      current: choice.sort === query.sort && choice.order === query.order,
    })),
    nextHref: input.nextCursor ? listHref({ ...base, cursor: input.nextCursor }) : undefined,
    prevHref: input.prevCursor ? listHref({ ...base, cursor: input.prevCursor }) : undefined,
    firstHref: input.prevCursor && start > query.limit ? listHref(base) : undefined,
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
  updateHref: string;
  /** The estimate form filled with this spec and name, set to update this estimation. */
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
  /** Where it was made from; a comparison's items leave them out. */
  sql?: string | null;
  plan?: unknown;
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
    renameHref: savedActionHref(saved.id, 'rename'),
    deleteHref: savedActionHref(saved.id, 'delete'),
    duplicateHref: savedActionHref(saved.id, 'duplicate'),
    updateHref: savedActionHref(saved.id, 'update'),
    editHref: estimateHref(
      saved.spec,
      { id: saved.id, version: saved.version, name: saved.name },
      sourceOfRecord(saved),
    ),
    createdAt: time(saved.createdAt),
    updatedAt: time(saved.updatedAt),
    // The version, not the clock: a rename within the same millisecond is still an edit.
    edited: saved.version > 1,
  };
}
