import { describe, expect, it } from 'vitest';
import { JobSpecSchema } from '../../../src/jobspec/index.js';
import {
  buildSavedListView,
  estimateHref,
  isolate,
  listHref,
  parseListQuery,
  quoted,
  savedRow,
} from '../../../src/presenters/saved.js';
import { DEFAULT_PAGE_SIZE, type SavedEstimationListItem } from '../../../src/schemas/saved.js';
import { decodeSpec } from '../../../src/web/links.js';

const item: SavedEstimationListItem = {
  id: 'abc',
  name: 'Orders',
  owner: null,
  createdAt: '2026-01-02T03:04:05.000Z',
  updatedAt: '2026-01-03T03:04:05.000Z',
  summary: {
    flinkVersion: '1.20',
    parallelism: 12,
    taskManagers: 6,
    slotsPerTaskManager: 1,
    taskManagerCpu: 2,
    taskManagerProcessBytes: 8 * 1024 ** 3,
    totalCores: 13,
    stateBytes: 0,
    monthlyCost: 1234.5,
    currency: 'USD',
    warnings: 2,
  },
};

describe('parseListQuery', () => {
  it('reads valid values and falls back to defaults for anything else', () => {
    expect(parseListQuery({ q: '  orders ', sort: 'name', order: 'desc', cursor: 'c', limit: '50' })).toEqual(
      {
        q: 'orders',
        sort: 'name',
        order: 'desc',
        cursor: 'c',
        limit: 50,
      },
    );
    expect(parseListQuery({ sort: 'seq; DROP', order: 'up', limit: '0' })).toEqual({
      q: '',
      sort: 'createdAt',
      order: 'desc',
      cursor: undefined,
      limit: DEFAULT_PAGE_SIZE,
    });
    expect(parseListQuery({ sort: 'name' }).order).toBe('asc');
    // The API's schema: 1–200; beyond it the page falls back to the default size.
    expect(parseListQuery({ limit: '200' }).limit).toBe(200);
    expect(parseListQuery({ limit: '100000' }).limit).toBe(DEFAULT_PAGE_SIZE);
    expect(parseListQuery({ limit: '50', cursor: 'x'.repeat(501) })).toMatchObject({
      limit: 50,
      cursor: undefined,
    });
    expect(parseListQuery({ q: ['first', 'second'] }).q).toBe('first');
    expect(parseListQuery(undefined).sort).toBe('createdAt');
  });
});

describe('links', () => {
  it('leave out defaults so URLs stay short', () => {
    expect(listHref({})).toBe('/saved');
    expect(listHref({ sort: 'createdAt', order: 'desc', limit: DEFAULT_PAGE_SIZE })).toBe('/saved');
    expect(listHref({ q: 'a b', sort: 'name', order: 'desc', cursor: 'xyz' })).toBe(
      '/saved?q=a+b&sort=name&order=desc&cursor=xyz',
    );
  });

  it('open the estimate form with the spec encoded as a shared link does', () => {
    const spec = JobSpecSchema.parse({
      workload: { sources: 1, operators: 1, sinks: 1, recordsPerSecond: 10, avgRecordBytes: 10 },
    });
    const url = new URL(estimateHref(spec), 'http://x');
    expect(url.pathname).toBe('/estimate');
    expect(decodeSpec(url.searchParams.get('spec') ?? '')).toEqual(spec);
  });
});

describe('buildSavedListView', () => {
  const query = parseListQuery({ sort: 'name' });
  const exact = (count: number) => ({ count, atLeast: false });
  const page = { items: [item], nextCursor: null, prevCursor: null, start: 0, count: exact(1) };

  it('flips the order on the current column and starts others at their default', () => {
    const v = buildSavedListView({ query, ...page });
    expect(v.headers.name).toMatchObject({ ariaSort: 'ascending', href: '/saved?sort=name&order=desc' });
    expect(v.headers.createdAt).toMatchObject({ ariaSort: undefined, href: '/saved' });
    expect(v.headers.updatedAt.href).toBe('/saved?sort=updatedAt');
    expect(v.keep).toEqual([{ name: 'sort', value: 'name' }]);
  });

  it('offers every order as a link, marking the current one', () => {
    const v = buildSavedListView({ query: { ...query, q: 'ord' }, ...page });
    expect(v.sortChoices.map((c) => [c.label, c.href, c.current])).toEqual([
      ['Newest first', '/saved?q=ord', false],
      ['Oldest first', '/saved?q=ord&order=asc', false],
      ['Name A–Z', '/saved?q=ord&sort=name', true],
      ['Name Z–A', '/saved?q=ord&sort=name&order=desc', false],
      ['Recently updated', '/saved?q=ord&sort=updatedAt', false],
    ]);
  });

  it('links the pages either side with their cursors, and the first page only beyond the second', () => {
    const first = buildSavedListView({ query, ...page, nextCursor: 'N1', count: exact(30) });
    expect(first).toMatchObject({
      nextHref: '/saved?sort=name&cursor=N1',
      prevHref: undefined,
      firstHref: undefined,
    });
    const second = buildSavedListView({
      query: { ...query, cursor: 'N1' },
      ...page,
      prevCursor: 'P1',
      start: 20,
      count: exact(30),
    });
    expect(second).toMatchObject({
      nextHref: undefined,
      prevHref: '/saved?sort=name&cursor=P1',
      firstHref: undefined,
    });
    expect(second.selfHref).toBe('/saved?sort=name&cursor=N1');
    const third = buildSavedListView({
      query: { ...query, cursor: 'N2' },
      ...page,
      prevCursor: 'P2',
      start: 40,
    });
    expect(third.firstHref).toBe('/saved?sort=name');
  });

  it('says which rows are shown: "21–40 of 100,000", or "of more than 1,000" for a large search', () => {
    const twenty = Array.from({ length: 20 }, () => item);
    expect(
      buildSavedListView({ query, ...page, items: twenty, start: 20, count: exact(100_000) }).rangeText,
    ).toBe('21–40 of 100,000');
    const search = buildSavedListView({
      query: { ...query, q: 'ord' },
      ...page,
      items: twenty,
      count: { count: 1000, atLeast: true },
    });
    expect(search.rangeText).toBe('1–20 of more than 1,000');
    expect(search.countText).toBe('More than 1,000 saved estimations match “ord”');
    expect(buildSavedListView({ query, ...page, items: [] }).rangeText).toBeUndefined();
  });

  it('counts matches for a search and everything otherwise', () => {
    expect(buildSavedListView({ query, ...page, items: [] }).countText).toBe('1 saved estimation');
    expect(
      buildSavedListView({ query: { ...query, q: 'ord' }, ...page, items: [], count: exact(1234) }).countText,
    ).toBe('1,234 saved estimations match “ord”');
  });
});

describe('savedRow', () => {
  it('formats the key numbers for people, with the exact shape in the tooltip', () => {
    const row = savedRow(item);
    expect(row).toMatchObject({
      href: '/saved/abc',
      shape: '6 × 2 CPU × 8 GiB',
      parallelism: '12',
      totalCores: '13',
      monthlyCost: '1,234.50 USD',
      warnings: 2,
      createdAt: { text: '2026-01-02 03:04 UTC', date: '2026-01-02', time: '03:04 UTC' },
    });
    expect(row.shapeExact).toBe(
      '6 TaskManagers, 2 CPU and 8,589,934,592 bytes of process memory each, 1 slot each',
    );
  });
});

describe('names in plain text', () => {
  it('are isolated only when they carry right-to-left text or bidi controls', () => {
    expect(quoted('Orders')).toBe('“Orders”');
    expect(isolate('abc\u202Eevil')).toBe('\u2068abc\u202Eevil\u2069');
    expect(isolate('שלום')).toBe('\u2068שלום\u2069');
    expect(isolate('{{ 7*7 }}')).toBe('{{ 7*7 }}');
  });
});
