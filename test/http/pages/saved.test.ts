import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobSpecSchema } from '../../../src/jobspec/index.js';
import { decodeSpec } from '../../../src/web/links.js';
import { buildTestApp, type TestApp } from '../../support/app.js';
import { at, present } from '../../support/checked.js';
import { Client } from '../../support/client.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(async () => t.close());

const quick = {
  flinkVersion: '1.20',
  workload: { sources: 2, operators: 4, sinks: 1, recordsPerSecond: 50000, avgRecordBytes: 512 },
};
const busier = {
  flinkVersion: '1.20',
  workload: {
    sources: 2,
    operators: 4,
    sinks: 1,
    recordsPerSecond: 500000,
    avgRecordBytes: 512,
    statefulOperators: 1,
    distinctKeys: 1000000,
    stateBytesPerKey: 200,
  },
};

const HOSTILE = {
  script: '<script>alert(1)</script>',
  template: '{{ 7*7 }}',
  rtl: 'Orders \u202Etxt.exe',
  long: `${'ø'.repeat(199)}Z`,
};

function save(name: string, raw: unknown = quick) {
  return t.app.estimations.create({ name, spec: JobSpecSchema.parse(raw) });
}

/** The text of every row header (the names) in the saved list, in order. */
const listedNames = (html: string) =>
  [...html.matchAll(/<th scope="row" class="col-name"><a href="[^"]+"><bdi>([^<]*)<\/bdi>/g)].map(
    (m) => m[1],
  );

const decode = (text: string) =>
  text.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#39;', "'");

describe('GET /saved', () => {
  it('shows an empty state that leads to the estimate form', async () => {
    const res = await t.app.inject({ url: '/saved' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('<h1>Saved estimations</h1>');
    expect(res.body).toContain('0 saved estimations');
    expect(res.body).toContain('Nothing saved yet');
    expect(res.body).toContain('href="/estimate"');
    expect(res.body).not.toContain('<table');
  });

  it('lists names, key numbers, dates, row actions and compare checkboxes', async () => {
    const a = save('Orders enrichment');
    const res = await t.app.inject({ url: '/saved' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('1 saved estimation<');
    const s = at(t.app.estimations.list({ limit: 1 }).items, 0).summary;
    expect(res.body).toContain(`<a href="/saved/${a.id}"><bdi>Orders enrichment</bdi></a>`);
    expect(res.body).toContain(`${s.taskManagers} × ${s.taskManagerCpu} CPU ×`);
    expect(res.body).toContain(`data-label="Parallelism">${s.parallelism}<`);
    expect(res.body).toContain(`data-label="Cores">${s.totalCores}<`);
    expect(res.body).toMatch(/data-label="Monthly cost">[\d,]+\.\d\d USD</);
    expect(res.body).toContain(`<time datetime="${a.createdAt}" title="`);
    expect(res.body).toContain(`href="/saved/${a.id}/rename"`);
    expect(res.body).toContain(`href="/saved/${a.id}/duplicate"`);
    expect(res.body).toContain(`href="/saved/${a.id}/delete"`);
    expect(res.body).toContain(`name="ids" value="${a.id}"`);
    expect(res.body).toContain('action="/saved/compare"');
    expect(res.body).toMatch(/<th scope="col"[^>]*>/);
    // The compare checkbox has a visible label tied to it.
    expect(res.body).toContain(
      `<input type="checkbox" id="pick-1" name="ids" value="${a.id}"><label class="compare-pick" for="pick-1">Compare`,
    );
  });

  it('searches by name, case-insensitively, with a count of the matches', async () => {
    save('Orders enrichment');
    save('Clickstream sessions');
    save('orders dedup');
    const res = await t.app.inject({ url: '/saved?q=ORDERS' });
    expect(listedNames(res.body).sort()).toEqual(['Orders enrichment', 'orders dedup']);
    expect(res.body).toContain('2 saved estimations match “ORDERS”');
    expect(res.body).toContain('value="ORDERS"');
    expect(res.body).toContain('Clear search');
    const short = await t.app.inject({ url: '/saved?q=ck' });
    expect(listedNames(short.body)).toEqual(['Clickstream sessions']);
    const none = await t.app.inject({ url: '/saved?q=nothing-like-this' });
    expect(none.body).toContain('No matches');
    expect(none.body).toContain('0 saved estimations match');
  });

  it('sorts by name, created and updated through header links with aria-sort', async () => {
    save('bravo');
    save('alpha');
    save('charlie');
    const byName = await t.app.inject({ url: '/saved?sort=name' });
    expect(listedNames(byName.body)).toEqual(['alpha', 'bravo', 'charlie']);
    expect(byName.body).toMatch(
      /aria-sort="ascending"><a class="sort" href="\/saved\?sort=name&amp;order=desc"/,
    );
    const desc = await t.app.inject({ url: '/saved?sort=name&order=desc' });
    expect(listedNames(desc.body)).toEqual(['charlie', 'bravo', 'alpha']);
    // Default: newest first, and the Created header offers the opposite order.
    const newest = await t.app.inject({ url: '/saved' });
    expect(listedNames(newest.body)).toEqual(['charlie', 'alpha', 'bravo']);
    expect(newest.body).toMatch(/aria-sort="descending"><a class="sort" href="\/saved\?order=asc"/);
    const oldest = await t.app.inject({ url: '/saved?order=asc' });
    expect(listedNames(oldest.body)).toEqual(['bravo', 'alpha', 'charlie']);
    // Renaming bumps updatedAt: sorting by updated puts it first.
    const bravo = at(t.app.estimations.list({ limit: 10, q: 'bravo' }).items, 0);
    t.app.estimations.update(bravo.id, { name: 'bravo 2' });
    const updated = await t.app.inject({ url: '/saved?sort=updatedAt' });
    expect(listedNames(updated.body)[0]).toBe('bravo 2');
    // A search keeps the chosen sort.
    expect(byName.body).toContain('<input type="hidden" name="sort" value="name">');
    // Unknown sort values fall back to the default instead of failing.
    const odd = await t.app.inject({ url: '/saved?sort=DROP%20TABLE&order=sideways' });
    expect(odd.statusCode).toBe(200);
    expect(listedNames(odd.body)).toHaveLength(3);
  });

  it('pages with the keyset cursor forwards and back, saying which rows it shows', async () => {
    for (let i = 0; i < 25; i++) save(`job ${i}`);
    const link = (body: string, rel: 'next' | 'prev') =>
      decode(new RegExp(`href="([^"]+)" rel="${rel}"`).exec(body)?.[1] ?? '');
    const range = (body: string) => /data-range>([^<]+)</.exec(body)?.[1];
    const first = await t.app.inject({ url: '/saved?sort=name&limit=10' });
    // Natural order: job 2 before job 10.
    expect(listedNames(first.body)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `job ${i}`));
    expect(first.body).toContain('25 saved estimations');
    expect(range(first.body)).toBe('1–10 of 25');
    expect(first.body).not.toContain('rel="prev"');
    const second = await t.app.inject({ url: link(first.body, 'next') });
    expect(listedNames(second.body)[0]).toBe('job 10');
    expect(range(second.body)).toBe('11–20 of 25');
    const third = await t.app.inject({ url: link(second.body, 'next') });
    expect(listedNames(third.body)).toEqual(['job 20', 'job 21', 'job 22', 'job 23', 'job 24']);
    expect(range(third.body)).toBe('21–25 of 25');
    expect(third.body).not.toContain('rel="next"');
    expect(third.body).toContain('href="/saved?sort=name&amp;limit=10">First page</a>');
    const back = await t.app.inject({ url: link(third.body, 'prev') });
    expect(listedNames(back.body)).toEqual(listedNames(second.body));
    expect(range(back.body)).toBe('11–20 of 25');
    const start = await t.app.inject({ url: link(back.body, 'prev') });
    expect(listedNames(start.body)).toEqual(listedNames(first.body));
    expect(range(start.body)).toBe('1–10 of 25');
    expect(start.body).not.toContain('rel="prev"');
  });

  it('offers the sort orders as links outside the table, where a phone can reach them', async () => {
    save('b');
    save('a');
    const res = await t.app.inject({ url: '/saved?q=&sort=name' });
    const nav = /<nav class="sort-choices"[\s\S]*?<\/nav>/.exec(res.body)?.[0] ?? '';
    expect(nav).toContain('<a href="/saved?sort=name" aria-current="true">Name A–Z</a>');
    expect(nav).toContain('<a href="/saved?sort=name&amp;order=desc">Name Z–A</a>');
    const desc = await t.app.inject({ url: '/saved?sort=name&order=desc' });
    expect(listedNames(desc.body)).toEqual(['b', 'a']);
  });

  it('answers a stale or forged cursor with the first page and a note', async () => {
    save('only one');
    const res = await t.app.inject({ url: '/saved?cursor=not-a-cursor' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('That page link is out of date');
    expect(listedNames(res.body)).toEqual(['only one']);
  });
});

describe('POST /saved (the results page Save form)', () => {
  it('saves, flashes and redirects to the saved estimation (Post/Redirect/Get)', async () => {
    const c = new Client(t.app);
    await c.get('/saved');
    const res = await c.post('/saved', { name: '  Orders v1  ', spec: JSON.stringify(quick) });
    expect(res.statusCode).toBe(303);
    const location = res.headers.location as string;
    expect(location).toMatch(/^\/saved\/[\w-]{16}$/);
    const id = present(location.split('/').pop(), 'an id in the Location header');
    const stored = t.app.estimations.get(id);
    expect(stored?.name).toBe('Orders v1');
    expect(stored?.spec.workload?.recordsPerSecond).toBe(50000);
    // The flash shows once, on the next page.
    const list = await c.get('/saved');
    expect(list.body).toContain('Saved “Orders v1”.');
    const again = await c.get('/saved');
    expect(again.body).not.toContain('Saved “Orders v1”.');
  });

  it('re-renders with 422, the message next to the name field and the values kept', async () => {
    const c = new Client(t.app);
    await c.get('/saved');
    for (const name of ['   ', 'x'.repeat(201)]) {
      const res = await c.post('/saved', { name, spec: JSON.stringify(quick) });
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain('aria-invalid="true"');
      expect(res.body).toMatch(
        /id="name-error"><span class="visually-hidden">Error:<\/span> A name (is required|has at most 200 characters)/,
      );
      expect(res.body).toContain(`value="${name}"`);
      expect(res.body).toContain('There is a problem');
      expect(res.body).toContain('<button type="submit">Save</button>');
      // The spec rides along so the corrected form saves the same job.
      const spec = /name="spec" value="([^"]+)"/.exec(res.body)?.[1];
      expect(JSON.parse(decode(present(spec, 'spec'))).workload.recordsPerSecond).toBe(50000);
    }
    expect(t.app.estimations.total()).toBe(0);
  });

  it('refuses a form without a readable or valid spec with 400', async () => {
    const c = new Client(t.app);
    await c.get('/saved');
    const broken = await c.post('/saved', { name: 'x', spec: '{not json' });
    expect(broken.statusCode).toBe(400);
    const invalid = await c.post('/saved', {
      name: 'x',
      spec: JSON.stringify({ workload: { ...quick.workload, sources: 0 } }),
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('spec.workload.sources');
    expect(t.app.estimations.total()).toBe(0);
  });
});

describe('GET /saved/{id}', () => {
  it('shows the stored plan with its name, dates, the update form, edit, delete and export links', async () => {
    const a = save('Orders enrichment', busier);
    t.app.estimations.update(a.id, { name: 'Orders enrichment v2' });
    const res = await t.app.inject({ url: `/saved/${a.id}` });
    expect(res.statusCode).toBe(200);
    const stored = present(t.app.estimations.get(a.id), 'the stored estimation');
    expect(res.body).toContain('<h1 class="saved-name"><bdi>Orders enrichment v2</bdi></h1>');
    expect(res.body).toContain(`Created <time datetime="${stored.createdAt}">`);
    expect(res.body).toContain(`updated <time datetime="${stored.updatedAt}">`);
    // Update in place, carrying the version it was rendered from, beside "Save as new".
    expect(res.body).toContain(`action="/saved/${a.id}/update"`);
    expect(res.body).toContain('<input type="hidden" name="version" value="2">');
    expect(res.body).toContain('<button type="submit">Update this estimation</button>');
    expect(res.body).toContain('formaction="/saved">Save as new</button>');
    expect(res.body).toContain(`href="/saved/${a.id}/delete">Delete…</a>`);
    // Edit inputs opens the estimate form with this spec, name and version.
    const edit = /<a class="button" href="([^"]+)">Edit inputs<\/a>/.exec(res.body)?.[1];
    const editUrl = new URL(decode(present(edit, 'edit')), 'http://x');
    expect(decodeSpec(present(editUrl.searchParams.get('spec'), "the edit link's spec"))).toEqual(
      stored.spec,
    );
    expect(editUrl.searchParams.get('name')).toBe('Orders enrichment v2');
    expect(editUrl.searchParams.get('version')).toBe('2');
    // The plan's headline, and the exports served by the API for this id.
    const e = stored.estimate;
    expect(res.body).toContain('data-headline');
    expect(res.body).toContain(`${e.taskManagers.count} TaskManager`);
    expect(res.body).toContain(
      `taskmanager.memory.process.size: ${e.taskManagers.flinkConfig['taskmanager.memory.process.size']}`,
    );
    for (const format of ['flink-config', 'flink-deployment', 'cmf-application']) {
      expect(res.body).toContain(`href="/api/v1/estimations/${a.id}/manifests/${format}"`);
    }
    expect(res.body).toContain(`href="/api/v1/estimations/${a.id}" download>Estimate JSON</a>`);
    for (const w of e.warnings) expect(res.body).toContain(`(${w.code})`);
  });
});

describe('GET /saved/{id}/duplicate', () => {
  it('opens the estimate form prefilled with the saved spec', async () => {
    const a = save('dup me', busier);
    const res = await t.app.inject({ url: `/saved/${a.id}/duplicate` });
    expect(res.statusCode).toBe(303);
    const url = new URL(res.headers.location as string, 'http://x');
    expect(url.pathname).toBe('/estimate');
    expect(decodeSpec(present(url.searchParams.get('spec'), "the link's spec"))).toEqual(a.spec);
  });
});

describe('rename', () => {
  it('shows a form with the current name and version, and renames with a flash', async () => {
    const a = save('Old name');
    const c = new Client(t.app);
    const form = await c.get(`/saved/${a.id}/rename`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Rename “<bdi>Old name</bdi>”');
    expect(form.body).toContain('<input type="hidden" name="version" value="1">');
    expect(form.body).toMatch(/<label for="name">Name<\/label>/);
    expect(form.body).toContain('value="Old name"');
    const res = await c.post(`/saved/${a.id}/rename`, { name: 'New name', version: '1' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/saved/${a.id}`);
    expect(t.app.estimations.get(a.id)).toMatchObject({ name: 'New name', version: 2 });
    const list = await c.get('/saved');
    expect(list.body).toContain('Renamed to “New name”.');
  });

  it('keeps the typed value and shows the message next to the field when the name is invalid', async () => {
    const a = save('Keep me');
    const c = new Client(t.app);
    await c.get(`/saved/${a.id}/rename`);
    const blank = await c.post(`/saved/${a.id}/rename`, { name: '  ', version: '1' });
    expect(blank.statusCode).toBe(422);
    expect(blank.body).toContain('A name is required');
    expect(blank.body).toContain('aria-describedby="name-hint name-error"');
    const long = `${'a'.repeat(201)}`;
    const tooLong = await c.post(`/saved/${a.id}/rename`, { name: long, version: '1' });
    expect(tooLong.statusCode).toBe(422);
    expect(tooLong.body).toContain(`value="${long}"`);
    expect(tooLong.body).toContain('A name has at most 200 characters');
    expect(t.app.estimations.get(a.id)).toMatchObject({ name: 'Keep me', version: 1 });
  });

  it('reports a concurrent change instead of overwriting it, and shows the current version', async () => {
    const a = save('Shared');
    const c = new Client(t.app);
    await c.get(`/saved/${a.id}/rename`);
    t.app.estimations.update(a.id, { name: 'Changed by a colleague' }); // now version 2
    const res = await c.post(`/saved/${a.id}/rename`, { name: 'Mine', version: '1' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Someone else changed this estimation');
    expect(res.body).toContain('here is the current version');
    expect(res.body).toContain('Current name: <strong><bdi>Changed by a colleague</bdi></strong>');
    expect(res.body).toContain('value="Mine"');
    expect(res.body).toContain('<input type="hidden" name="version" value="2">');
    expect(t.app.estimations.get(a.id)?.name).toBe('Changed by a colleague');
    // Submitting again, now with the current version, applies it.
    const retry = await c.post(`/saved/${a.id}/rename`, { name: 'Mine', version: '2' });
    expect(retry.statusCode).toBe(303);
    expect(t.app.estimations.get(a.id)?.name).toBe('Mine');
  });

  it('answers an unknown id with 404', async () => {
    const c = new Client(t.app);
    expect((await c.get('/saved/nope/rename')).statusCode).toBe(404);
    await c.get('/saved');
    expect((await c.post('/saved/nope/rename', { name: 'x', version: '1' })).statusCode).toBe(404);
  });
});

describe('delete', () => {
  it('asks for confirmation on its own page, then deletes with a flash', async () => {
    const a = save('Doomed');
    const c = new Client(t.app);
    const confirm = await c.get(`/saved/${a.id}/delete`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('<h1>Delete “<bdi>Doomed</bdi>”?</h1>');
    expect(confirm.body).toContain(`<form class="actions" method="post" action="/saved/${a.id}/delete">`);
    expect(confirm.body).toContain('<button type="submit" class="button-danger">Delete</button>');
    expect(confirm.body).toContain(`<a href="/saved/${a.id}">Cancel</a>`);
    // Merely viewing the confirmation deletes nothing.
    expect(t.app.estimations.get(a.id)).toBeDefined();
    const res = await c.post(`/saved/${a.id}/delete`, { version: '1' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/saved');
    expect(t.app.estimations.get(a.id)).toBeUndefined();
    const list = await c.get('/saved');
    expect(list.body).toContain('Deleted “Doomed”.');
    expect((await c.get(`/saved/${a.id}`)).statusCode).toBe(404);
  });

  it('does not delete a version the user has not seen', async () => {
    const a = save('Shared');
    const c = new Client(t.app);
    await c.get(`/saved/${a.id}/delete`);
    t.app.estimations.update(a.id, { name: 'Shared, edited' });
    const res = await c.post(`/saved/${a.id}/delete`, { version: '1' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Someone else changed this estimation');
    expect(res.body).toContain('Delete “<bdi>Shared, edited</bdi>”?');
    expect(res.body).toContain('<input type="hidden" name="version" value="2">');
    expect(t.app.estimations.get(a.id)).toBeDefined();
  });

  it('answers an unknown id with 404', async () => {
    const c = new Client(t.app);
    expect((await c.get('/saved/nope/delete')).statusCode).toBe(404);
    await c.get('/saved');
    expect((await c.post('/saved/nope/delete', { version: '1' })).statusCode).toBe(404);
  });
});

describe('CSRF', () => {
  it('is required on every POST', async () => {
    const a = save('Protected');
    const c = new Client(t.app);
    await c.get(`/saved/${a.id}/rename`);
    const attempts = [
      ['/saved', { name: 'x', spec: JSON.stringify(quick) }],
      [`/saved/${a.id}/rename`, { name: 'hijacked', version: '1' }],
      [`/saved/${a.id}/delete`, { version: '1' }],
    ] as const;
    for (const [url, fields] of attempts) {
      const missing = await c.post(url, fields, { csrf: false });
      expect(missing.statusCode).toBe(403);
      const forged = await c.post(url, { ...fields, _csrf: 'forged-token' }, { csrf: false });
      expect(forged.statusCode).toBe(403);
      // A token without the cookie it belongs to (another browser) is refused too.
      const stranger = await new Client(t.app).post(url, { ...fields, _csrf: c.csrf }, { csrf: false });
      expect(stranger.statusCode).toBe(403);
    }
    expect(t.app.estimations.get(a.id)).toMatchObject({ name: 'Protected', version: 1 });
    expect(t.app.estimations.total()).toBe(1);
  });
});

describe('GET /saved/compare', () => {
  it('shows inputs and plans side by side with differences flagged and a legend', async () => {
    const a = save('Small', quick);
    const b = save('Big', busier);
    const res = await t.app.inject({ url: `/saved/compare?ids=${a.id}&ids=${b.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Compare 2 saved estimations</h1>');
    expect(res.body).toContain('<h2 id="h-inputs">Inputs</h2>');
    expect(res.body).toContain('<h2 id="h-outputs">Plan</h2>');
    expect(res.body).toContain(`<a href="/saved/${a.id}"><bdi>Small</bdi></a>`);
    expect(res.body).toContain(`<a href="/saved/${b.id}"><bdi>Big</bdi></a>`);
    expect(res.body).toContain('Highlighted cells differ from the first column');
    // The input rate differs: the second column's cell is flagged, the first never is.
    const rateRow = /<th scope="row" class="compare-label">Input rate \(average\)<\/th>([\s\S]*?)<\/tr>/.exec(
      res.body,
    )?.[1];
    expect(rateRow).toBeDefined();
    const cells = [...present(rateRow, 'the rate row').matchAll(/<td([^>]*)>([\s\S]*?)<\/td>/g)];
    expect(cells).toHaveLength(2);
    expect(at(cells, 0)[1]).not.toContain('diff');
    expect(at(cells, 0)[2]).toContain('50k rec/s');
    expect(at(cells, 1)[1]).toContain('class="diff"');
    expect(at(cells, 1)[2]).toContain('500k rec/s');
    expect(at(cells, 1)[2]).toContain('<span class="visually-hidden"> (differs)</span>');
    // Rows that agree carry no marker.
    const versionRow = /class="compare-label">Flink version<\/th>([\s\S]*?)<\/tr>/.exec(res.body)?.[1];
    expect(versionRow).not.toContain('diff');
    // Memory breakdown rows are there.
    expect(res.body).toContain('class="compare-label">Managed memory</th>');
    expect(res.body).toContain('class="compare-label">Monthly cost</th>');
  });

  it('draws the estimations side by side on one scale per measure, with the numbers behind it', async () => {
    const a = save('Small', quick);
    const b = save('Big', busier);
    const ea = a.estimate;
    const eb = b.estimate;
    const res = await t.app.inject({ url: `/saved/compare?ids=${a.id}&ids=${b.id}` });
    const figure = /<figure class="chart compare-figure" data-figure="compare">([\s\S]*?)<\/figure>/.exec(
      res.body,
    )?.[1];
    expect(figure).toBeDefined();
    const cores =
      /aria-labelledby="cmp-cores-title cmp-cores-desc">([\s\S]*?)<\/svg>/.exec(figure ?? '')?.[1] ?? '';
    expect(cores).toContain(`Cores: Small ${ea.cpu.totalCores} cores; Big ${eb.cpu.totalCores} cores.`);
    // The plot is 400 − 4 − 116 = 280 units wide; the larger value fills it, the other is in proportion.
    const widths = [...cores.matchAll(/<rect class="bar series-\d" x="4" y="\d+" width="([\d.]+)"/g)].map(
      (m) => Number(m[1]),
    );
    const max = Math.max(ea.cpu.totalCores, eb.cpu.totalCores);
    expect(widths).toEqual([
      Math.round((ea.cpu.totalCores / max) * 2800) / 10,
      Math.round((eb.cpu.totalCores / max) * 2800) / 10,
    ]);
    // The memory bar is split into the components of the one shared table.
    expect(figure).toContain('<rect class="seg-taskHeap"');
    expect(figure).toContain('<title>Task heap</title>');
    expect(figure).toContain('<figcaption><p>');
    expect(figure).toContain('<summary>The numbers behind the charts</summary>');
    expect(figure).toMatch(/<th scope="row">Monthly cost<\/th><td class="num">[^<]+<\/td><td class="num">/);
  });

  it('can show only the rows that differ, and says when nothing differs', async () => {
    const a = save('One', quick);
    const b = save('Two', busier);
    const only = await t.app.inject({ url: `/saved/compare?ids=${a.id}&ids=${b.id}&only=diff` });
    expect(only.body).toContain('Showing only differences.');
    expect(only.body).not.toContain('class="compare-label">Flink version</th>');
    expect(only.body).toContain('class="compare-label">Input rate (average)</th>');
    const same = save('Three', quick);
    const alike = await t.app.inject({ url: `/saved/compare?ids=${a.id}&ids=${same.id}` });
    expect(alike.body).toContain('These estimations have the same inputs and plan.');
    expect(alike.body).not.toContain('class="diff"');
  });

  it('sends the user back to the list with a message for fewer than 2 or more than 6', async () => {
    const ids = Array.from({ length: 7 }, (_, i) => save(`n${i}`).id);
    const c = new Client(t.app);
    const one = await c.get(`/saved/compare?ids=${ids[0]}&back=${encodeURIComponent('/saved?sort=name')}`);
    expect(one.statusCode).toBe(303);
    expect(one.headers.location).toBe('/saved?sort=name');
    expect((await c.get('/saved?sort=name')).body).toContain(
      'Select at least 2 estimations to compare (you selected 1).',
    );
    const seven = await c.get(`/saved/compare?${ids.map((id) => `ids=${id}`).join('&')}`);
    expect(seven.statusCode).toBe(303);
    expect((await c.get('/saved')).body).toContain(
      'Select at most 6 estimations to compare (you selected 7).',
    );
    // Duplicates count once; the return link only ever leads back into the list.
    const evil = await c.get(`/saved/compare?ids=${ids[0]}&ids=${ids[0]}&back=//evil.example/saved`);
    expect(evil.headers.location).toBe('/saved');
  });

  it('answers an unknown id with 404', async () => {
    const a = save('Exists');
    const res = await t.app.inject({
      url: `/saved/compare?ids=${a.id}&ids=missing-id`,
      headers: { accept: 'text/html' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('“missing-id”');
  });
});

describe('unknown ids', () => {
  it('gets the HTML error page with 404 for browsers', async () => {
    for (const url of ['/saved/does-not-exist', '/saved/does-not-exist/duplicate']) {
      const res = await t.app.inject({ url, headers: { accept: 'text/html' } });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('Error 404');
      expect(res.body).toContain('There is no saved estimation with the id “does-not-exist”');
    }
  });
});

describe('hostile names', () => {
  it('are escaped everywhere they are shown', async () => {
    const saved = Object.values(HOSTILE).map((name) => save(name));
    const ids = saved.map((s) => s.id);
    const pages = [
      '/saved',
      `/saved/compare?ids=${ids.slice(0, 4).join('&ids=')}`,
      ...ids.flatMap((id) => [`/saved/${id}`, `/saved/${id}/rename`, `/saved/${id}/delete`]),
    ];
    for (const url of pages) {
      const res = await t.app.inject({ url, headers: { accept: 'text/html' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).not.toContain('<script>alert(1)</script>');
      expect(res.body).not.toContain('>49<');
    }
    const list = await t.app.inject({ url: '/saved' });
    expect(list.body).toContain('<bdi>&lt;script&gt;alert(1)&lt;/script&gt;</bdi>');
    expect(list.body).toContain('<bdi>{{ 7*7 }}</bdi>');
    // The right-to-left override stays inside its <bdi>, and the 200-character name is shown whole.
    expect(list.body).toContain(`<bdi>${HOSTILE.rtl}</bdi>`);
    expect(list.body).toContain(`<bdi>${HOSTILE.long}</bdi>`);
    expect(list.body).toContain(`data-name="&lt;script&gt;alert(1)&lt;/script&gt;"`);
  });

  it('are isolated in flash messages and titles, where no element can contain them', async () => {
    const c = new Client(t.app);
    await c.get('/saved');
    const res = await c.post('/saved', { name: HOSTILE.rtl, spec: JSON.stringify(quick) });
    expect(res.statusCode).toBe(303);
    const list = await c.get('/saved');
    expect(list.body).toContain(`Saved “\u2068${HOSTILE.rtl}\u2069”.`);
    const page = await c.get(res.headers.location as string);
    expect(page.body).toContain(`<title>\u2068${HOSTILE.rtl}\u2069 · Flink Estimator</title>`);
  });
});
