import { describe, expect, it } from 'vitest';
import { JobSpecSchema } from '../../../src/jobspec/index.js';
import {
  buildSavedListView,
  DEFAULT_PAGE_SIZE,
  estimateHref,
  isolate,
  listHref,
  parseListQuery,
  quoted,
  savedRow,
} from '../../../src/presenters/saved.js';
import type { SavedEstimationListItem } from '../../../src/schemas/saved.js';

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
    expect(parseListQuery({ limit: '100000' }).limit).toBe(100);
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

  it('open the estimate form with the spec as JSON', () => {
    const spec = JobSpecSchema.parse({
      workload: { sources: 1, operators: 1, sinks: 1, recordsPerSecond: 10, avgRecordBytes: 10 },
    });
    const url = new URL(estimateHref(spec), 'http://x');
    expect(url.pathname).toBe('/estimate');
    expect(JSON.parse(url.searchParams.get('spec') ?? '')).toEqual(spec);
  });
});

describe('buildSavedListView', () => {
  const query = parseListQuery({ sort: 'name' });

  it('flips the order on the current column and starts others at their default', () => {
    const v = buildSavedListView({ query, items: [item], nextCursor: null, total: 1 });
    expect(v.headers.name).toMatchObject({ ariaSort: 'ascending', href: '/saved?sort=name&order=desc' });
    expect(v.headers.createdAt).toMatchObject({ ariaSort: undefined, href: '/saved' });
    expect(v.headers.updatedAt.href).toBe('/saved?sort=updatedAt');
    expect(v.keep).toEqual([{ name: 'sort', value: 'name' }]);
  });

  it('links the next page with the cursor and the first page only when paging', () => {
    const first = buildSavedListView({ query, items: [item], nextCursor: 'N1', total: 30 });
    expect(first.nextHref).toBe('/saved?sort=name&cursor=N1');
    expect(first.firstHref).toBeUndefined();
    const second = buildSavedListView({
      query: { ...query, cursor: 'N1' },
      items: [item],
      nextCursor: null,
      total: 30,
    });
    expect(second.nextHref).toBeUndefined();
    expect(second.firstHref).toBe('/saved?sort=name');
    expect(second.selfHref).toBe('/saved?sort=name&cursor=N1');
  });

  it('counts matches for a search and everything otherwise', () => {
    expect(buildSavedListView({ query, items: [], nextCursor: null, total: 1 }).countText).toBe(
      '1 saved estimation',
    );
    expect(
      buildSavedListView({ query: { ...query, q: 'ord' }, items: [], nextCursor: null, total: 1234 })
        .countText,
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
