import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EstimationSummarySchema, SavedEstimationListItemSchema } from '../../../src/schemas/saved.js';
import { quickSpec } from '../../fixtures/specs.js';
import { buildTestApp, type TestApp } from '../../support/app.js';
import { errorPaths } from '../../support/problems.js';

let t: TestApp;
const NAMES = [
  'Kafka bids per auction',
  'Clickstream sessions',
  'kafka → iceberg mirror',
  'Fraud scoring',
  'Orders enrichment (Kafka + JDBC)',
  'Tabular ingest',
  'ab test metrics',
];
const created: Array<{ id: string; name: string }> = [];

beforeAll(async () => {
  t = await buildTestApp();
  for (const name of NAMES) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/estimations',
      payload: { name, spec: quickSpec },
    });
    created.push(res.json());
  }
});
afterAll(async () => t.close());

interface Page {
  items: Array<{ id: string; name: string; summary: { parallelism: number; currency: string } }>;
  nextCursor: string | null;
}

/** Follows nextCursor until the last page, returning every page. */
async function allPages(query: Record<string, string>): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams({ ...query, ...(cursor ? { cursor } : {}) });
    const res = await t.app.inject({ url: `/api/v1/estimations?${params}` });
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as Page;
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor !== null && pages.length < 20);
  return pages;
}

describe('GET /api/v1/estimations', () => {
  it('pages through everything exactly once, newest first', async () => {
    const pages = await allPages({ limit: '3' });
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
    expect(pages.at(-1)?.nextCursor).toBeNull();
    const ids = pages.flatMap((p) => p.items.map((i) => i.id));
    expect(ids).toEqual(created.map((c) => c.id).reverse());
  });

  it('sorts by name, case-insensitively, keeping the cursor order across pages', async () => {
    const pages = await allPages({ limit: '2', sort: 'name' });
    const names = pages.flatMap((p) => p.items.map((i) => i.name));
    // Lower-cased, then by code point (SQLite's binary collation), not by locale rules.
    const byKey = (a: string, b: string) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1);
    expect(names).toEqual([...NAMES].sort(byKey));
    const desc = await allPages({ limit: '4', sort: 'name', order: 'desc' });
    expect(desc.flatMap((p) => p.items.map((i) => i.name))).toEqual([...names].reverse());
  });

  it('lists items with their summary, not the whole estimate', async () => {
    const [page] = await allPages({ limit: '1' });
    const item = page?.items[0];
    expect(item?.summary.parallelism).toBeGreaterThanOrEqual(1);
    expect(item?.summary.currency).toBe('USD');
    expect(item).not.toHaveProperty('estimate');
    expect(item).not.toHaveProperty('spec');
  });

  it('answers exactly the documented fields of each item and of its summary', async () => {
    const res = await t.app.inject({ url: '/api/v1/estimations?limit=2' });
    const body = res.json() as { items: Array<Record<string, unknown>> };
    expect(Object.keys(body)).toEqual(['items', 'nextCursor']);
    for (const item of body.items) {
      expect(Object.keys(item)).toEqual(Object.keys(SavedEstimationListItemSchema.shape));
      expect(Object.keys(item.summary as object)).toEqual(Object.keys(EstimationSummarySchema.shape));
      expect(SavedEstimationListItemSchema.strict().parse(item)).toEqual(item);
    }
  });

  it.each([
    ['kafka', ['Kafka bids per auction', 'kafka → iceberg mirror', 'Orders enrichment (Kafka + JDBC)']],
    ['ab', ['ab test metrics', 'Tabular ingest']],
    ['→ ICE', ['kafka → iceberg mirror']],
    ['no such thing', []],
  ])('searches names for %j, case-insensitively, across pages', async (q, expected) => {
    const pages = await allPages({ q, limit: '1' });
    const names = pages.flatMap((p) => p.items.map((i) => i.name));
    expect([...names].sort()).toEqual([...expected].sort());
  });

  it('treats search text as text, never as query syntax', async () => {
    for (const q of ['"', 'kafka OR fraud', '%', '_', "' OR 1=1 --", 'NEAR(a b)']) {
      const res = await t.app.inject({ url: `/api/v1/estimations?${new URLSearchParams({ q })}` });
      expect(res.statusCode, q).toBe(200);
      expect(res.json().items, q).toEqual([]);
    }
  });

  it.each([
    ['not base64 at all', '!!!'],
    ['well-formed base64 of something else', Buffer.from('{"a":1}').toString('base64url')],
  ])('answers 400 naming query.cursor for a cursor that is %s', async (_what, cursor) => {
    const res = await t.app.inject({ url: `/api/v1/estimations?cursor=${encodeURIComponent(cursor)}` });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(errorPaths(res.json())).toEqual(['query.cursor']);
  });

  it.each([
    ['limit=0', 'query.limit'],
    ['limit=201', 'query.limit'],
    ['limit=ten', 'query.limit'],
    ['limit=2.5', 'query.limit'],
    ['sort=size', 'query.sort'],
    ['order=up', 'query.order'],
    [`q=${'x'.repeat(201)}`, 'query.q'],
  ])('answers 400 for %s', async (query, path) => {
    const res = await t.app.inject({ url: `/api/v1/estimations?${query}` });
    expect(res.statusCode).toBe(400);
    expect(errorPaths(res.json())).toContain(path);
  });
});

describe('GET /api/v1/estimations after writes', () => {
  // Pages are cached between writes; every kind of write must show at once.
  const firstPage = async () => {
    const res = await t.app.inject({ url: '/api/v1/estimations?limit=50' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    return res.json() as Page;
  };

  it('shows a create, a rename and a delete on the next read', async () => {
    const before = await firstPage();
    expect(await firstPage()).toEqual(before);

    const made = await t.app.inject({
      method: 'POST',
      url: '/api/v1/estimations',
      payload: { name: 'Cache probe', spec: quickSpec },
    });
    const { id } = made.json() as { id: string };
    const afterCreate = await firstPage();
    expect(afterCreate.items[0]).toMatchObject({ id, name: 'Cache probe' });
    expect(afterCreate.items).toHaveLength(before.items.length + 1);

    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/estimations/${id}`,
      payload: { name: 'Cache probe, renamed' },
    });
    expect((await firstPage()).items[0]).toMatchObject({ id, name: 'Cache probe, renamed' });

    await t.app.inject({ method: 'DELETE', url: `/api/v1/estimations/${id}` });
    expect((await firstPage()).items.map((i) => i.id)).not.toContain(id);
  });
});
