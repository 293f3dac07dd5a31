/**
 * The saved-estimations part of the benchmark: a database of many estimations with varied names,
 * and list and search queries that change on every request (a benchmark that repeats one query
 * measures a cache, not the store).
 */
import { summarize } from '../src/estimations/service.js';
import { estimate } from '../src/estimator/index.js';
import { JobSpecSchema } from '../src/jobspec/index.js';
import { openDatabase } from '../src/store/database.js';
import { EstimationStore } from '../src/store/estimations.js';
import { realisticPipelineSpec } from './specs.js';

const TEAMS = ['payments', 'risk', 'growth', 'search', 'ads', 'logistics', 'fraud', 'billing', 'identity'];
const SUBJECTS = [
  'orders',
  'clicks',
  'sessions',
  'inventory',
  'shipments',
  'bids',
  'page views',
  'refunds',
  'CDC',
  'Überwachung',
  'données',
  '注文',
];
const STEPS = ['enrichment', 'dedup', 'rollup', 'join', 'sessionization', 'top-N', 'alerts', 'mirror'];
const SINKS = ['Kafka', 'Iceberg', 'Elasticsearch', 'Postgres', 'S3', 'ClickHouse'];
const STAGES = ['prod', 'staging', 'dev', 'eu-west-1', 'us-east-2'];
const WORDS = [...TEAMS, ...SUBJECTS, ...STEPS, ...SINKS, ...STAGES];

/** A small deterministic generator (mulberry32), so every run seeds the same names. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const pick = <T>(next: () => number, list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;

/** "fraud clicks rollup → Iceberg (staging) v12 #48213": varied words and numbers, some non-Latin. */
export function savedName(i: number, next: () => number): string {
  const version = next() < 0.5 ? ` v${1 + Math.floor(next() * 40)}` : '';
  return `${pick(next, TEAMS)} ${pick(next, SUBJECTS)} ${pick(next, STEPS)} → ${pick(next, SINKS)} (${pick(next, STAGES)})${version} #${i}`;
}

/** Fills a new database file with `rows` saved estimations of the realistic spec, one creation a second. */
export function seedSavedEstimations(path: string, rows: number): void {
  const db = openDatabase(path);
  // A scratch file filled once: a rollback journal (new pages are not journaled, where WAL would
  // write all 3 GB twice) and no fsync while seeding. The server reopens it in WAL.
  db.pragma('journal_mode = DELETE');
  db.pragma('synchronous = OFF');
  // Each store.create inside this transaction is a savepoint, whose journal of the pages it
  // changes (one row's short substrings touch ~60 pages) goes to a temporary file by default.
  db.pragma('temp_store = MEMORY');
  const store = new EstimationStore(db);
  const spec = JobSpecSchema.parse(realisticPipelineSpec);
  const plan = estimate(spec);
  const summary = summarize(plan);
  const next = random(7);
  const base = Date.parse('2026-01-01T00:00:00Z');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) {
      store.create(
        { name: savedName(i, next), spec, estimate: plan, summary, modelVersion: plan.modelVersion },
        new Date(base + i * 1000),
      );
    }
  })();
  db.close();
}

/**
 * The n-th search: a piece of a word that names use (1 to 8 characters, so the short-query path
 * is in the mix), a number, or a word no name has — each time a different one.
 */
export function searchQuery(n: number): string {
  const next = random(1000 + n);
  const roll = next();
  if (roll < 0.15) return String(Math.floor(next() * 100_000));
  if (roll < 0.2) return `zq${n}`;
  const word = [...pick(next, WORDS)];
  const length = Math.min(word.length, 1 + Math.floor(next() * 8));
  const from = Math.floor(next() * (word.length - length + 1));
  return word.slice(from, from + length).join('');
}

const SORTS = [
  { sort: 'createdAt', order: 'desc' },
  { sort: 'createdAt', order: 'asc' },
  { sort: 'name', order: 'asc' },
  { sort: 'name', order: 'desc' },
  { sort: 'updatedAt', order: 'desc' },
] as const;

/** The n-th list request's query string: every sort and order, pages of 20 or 50. */
export function listQuery(n: number): string {
  const next = random(5000 + n);
  const { sort, order } = pick(next, SORTS);
  return new URLSearchParams({ sort, order, limit: next() < 0.5 ? '20' : '50' }).toString();
}

/** The n-th search request's query string: a different search each time, newest first or in any sort. */
export function searchQueryString(n: number, anySort: boolean): string {
  const next = random(9000 + n);
  const { sort, order } = anySort ? pick(next, SORTS) : SORTS[0];
  return new URLSearchParams({ q: searchQuery(n), sort, order, limit: '20' }).toString();
}

/**
 * Cursors into the list by name (following nextCursor from the first page): every tenth page from
 * the 10th to the `pages`-th. A list too short to reach the 10th page (under 500 rows) gives the
 * cursor of every page after the first instead, and one page alone gives none (the first page is
 * asked for then), so no request goes out with an empty cursor, which the API refuses.
 */
async function deepCursors(url: string, pages: number): Promise<string[]> {
  const every: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < pages; i++) {
    const page = (await (
      await fetch(`${url}/api/v1/estimations?sort=name&limit=50${cursor ? `&cursor=${cursor}` : ''}`)
    ).json()) as { nextCursor: string | null };
    cursor = page.nextCursor;
    if (cursor === null) break;
    every.push(cursor);
  }
  const deep = every.filter((_, i) => i % 10 === 9);
  return deep.length > 0 ? deep : every;
}

/** A GET whose path changes on every request: the n-th request asks for `path(n)`. */
export function varying(path: (n: number) => string, headers: Record<string, string> = {}) {
  let n = 0;
  return {
    requests: [
      {
        method: 'GET' as const,
        headers,
        setupRequest: <T extends object>(request: T) => {
          n += 1;
          return { ...request, path: path(n) };
        },
      },
    ],
  };
}

export interface SavedScenario {
  name: string;
  /** Held to the list and search target (p99 ≤ 50 ms at 100,000 rows). */
  target: boolean;
  options: { url: string; requests: ReturnType<typeof varying>['requests'] };
}

/** The saved-estimation scenarios, each request a different query. */
export async function savedScenarios(url: string, rows: string, cookie: string): Promise<SavedScenario[]> {
  const cursors = await deepCursors(url, 400);
  return [
    {
      name: `GET /api/v1/estimations, a different sort and size each time (${rows} rows)`,
      target: true,
      options: { url, ...varying((n) => `/api/v1/estimations?${listQuery(n)}`) },
    },
    {
      name: `GET /api/v1/estimations, pages 10–400 deep by name (${rows} rows)`,
      target: true,
      options: {
        url,
        ...varying((n) => {
          const cursor = cursors[n % cursors.length];
          return `/api/v1/estimations?sort=name&limit=50${cursor ? `&cursor=${cursor}` : ''}`;
        }),
      },
    },
    {
      name: `GET /api/v1/estimations?q=, a different search each time, newest first (${rows} rows)`,
      target: true,
      options: { url, ...varying((n) => `/api/v1/estimations?${searchQueryString(n, false)}`) },
    },
    {
      name: `GET /api/v1/estimations?q=, a different search each time, any sort (${rows} rows)`,
      target: true,
      options: { url, ...varying((n) => `/api/v1/estimations?${searchQueryString(n, true)}`) },
    },
    {
      name: `GET /saved?q=, a different search each time (page, ${rows} rows)`,
      target: false,
      options: { url, ...varying((n) => `/saved?${searchQueryString(n, false)}`, { cookie }) },
    },
  ];
}
