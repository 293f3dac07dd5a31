/**
 * The one plan view on the results page and a saved estimation: the headline sentence, the
 * pictures (pipeline, cores and cost against load), the same sections on both pages, updating a
 * saved estimation with its version, and the export fields.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { estimate } from '../../../src/estimator/index.js';
import { formatBytes } from '../../../src/format.js';
import { PRESETS } from '../../../src/forms/presets.js';
import { JobSpecSchema } from '../../../src/jobspec/index.js';
import { scaleLoad } from '../../../src/web/charts/load.js';
import { decodeSpec, encodeSpec, estimateHref, resultsHref } from '../../../src/web/links.js';
import { buildTestApp, type TestApp } from '../../support/app.js';
import { Client } from '../../support/client.js';

const fraud = PRESETS.find((p) => p.id === 'fraud-interval-join');
if (!fraud) throw new Error('the fraud preset is missing');
const spec = JobSpecSchema.parse(fraud.spec);

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(async () => t.close());

const decode = (html: string) =>
  html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const text = (html: string) => decode(html.replace(/<[^>]+>/g, ''));
const headline = (html: string) =>
  text(/<p class="headline" data-headline>(.*?)<\/p>/s.exec(html)?.[1] ?? '');
const sectionIds = (html: string) =>
  [...html.matchAll(/<h2 id="([^"]+)"/g)].map((m) => m[1]).filter((id) => id !== 'save-title');

describe('the results page', () => {
  it('opens with one sentence: TaskManagers × CPU / memory, parallelism, total cores and monthly cost', async () => {
    const plan = estimate(spec);
    const res = await t.app.inject({ url: resultsHref(spec) });
    expect(res.statusCode).toBe(200);
    const tm = plan.taskManagers;
    expect(headline(res.body)).toBe(
      `${tm.count} TaskManager${tm.count === 1 ? '' : 's'} × ${tm.cpu} CPU / ${formatBytes(tm.memory.totalProcessMemory)}` +
        ` · , parallelism ${plan.parallelism.default} · , ${plan.cpu.totalCores} core${plan.cpu.totalCores === 1 ? '' : 's'}` +
        ` · , $${Math.round(plan.cost.monthly)}/month`,
    );
    // The recap says what load the plan is for: 10k + 30k records/s from the two sources.
    expect(text(/<p class="recap" data-recap>(.*?)<\/p>/s.exec(res.body)?.[1] ?? '')).toContain(
      'Sized for 40k records/s in (payments 10k/s, logins 30k/s)',
    );
  });

  it('draws every node with its id, marks keyed edges and boxes chained nodes as one task', async () => {
    const plan = estimate(spec);
    const res = await t.app.inject({ url: resultsHref(spec) });
    const figure =
      /<figure class="chart pipeline-figure" data-figure="pipeline">(.*?)<\/figure>/s.exec(res.body)?.[1] ??
      '';
    expect(figure).toContain('<svg');
    for (const node of plan.operators) {
      expect(figure).toContain(`<text x="`);
      expect(figure).toMatch(new RegExp(`class="node-id">${node.id}</text>`));
      expect(figure).toContain(`parallelism ${node.parallelism}`);
    }
    // The interval join reads both sources through a keyBy: both edges into it are keyed.
    const keyed = [...figure.matchAll(/<g class="edge keyed" data-from="([^"]+)" data-to="([^"]+)">/g)].map(
      (m) => `${m[1]}→${m[2]}`,
    );
    expect(keyed.sort()).toEqual(['logins→match', 'payments→match']);
    // Nodes that share a chain head are drawn in one task box.
    const heads = new Set(plan.operators.filter((o) => o.chainHead !== o.id).map((o) => o.chainHead));
    for (const head of heads) expect(figure).toContain(`data-task="${head}"`);
  });

  it('gives every link on the page the one encoding of the validated spec, not the link as sent', async () => {
    // The preset as written leaves out what the schema fills in, so the two encodings differ.
    expect(encodeSpec(fraud.spec)).not.toBe(encodeSpec(spec));
    const res = await t.app.inject({ url: resultsHref(fraud.spec) });
    const links = [...res.body.matchAll(/href="([^"]*[?&]spec=[^"]*)"/g)].map(
      (m) => new URL(decode(m[1] ?? ''), 'http://x'),
    );
    expect(links.map((l) => l.pathname)).toEqual(
      expect.arrayContaining(['/estimate', '/results', '/results/export/flink-deployment']),
    );
    expect(new Set(links.map((l) => l.searchParams.get('spec')))).toEqual(new Set([encodeSpec(spec)]));
  });

  it('plots cores and cost at 0.25× to 4× the input rate, with the current point marked', async () => {
    const res = await t.app.inject({ url: resultsHref(spec) });
    const figure = /data-figure="load">(.*?)<\/figure>/s.exec(res.body)?.[1] ?? '';
    const rows = [
      ...figure.matchAll(
        /<tr(?: class="current" aria-current="true")?><th scope="row">([^<]+)<\/th>(.*?)<\/tr>/gs,
      ),
    ];
    expect(rows.map((r) => r[1])).toEqual(['0.25×', '0.5×', '1× (now)', '1.5×', '2×', '3×', '4×']);
    const twice = estimate(scaleLoad(spec, 2));
    const cells = [...(rows[4]?.[2] ?? '').matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => text(m[1] ?? ''));
    expect(cells[0]).toBe('80k rec/s');
    expect(Number(cells[3])).toBeCloseTo(twice.cpu.totalCores, 1);
    // Money as the headline says it: whole dollars, "$1,234", in the table and the sentence.
    expect(cells[4]).toBe(`$${Math.round(twice.cost.monthly).toLocaleString('en-US')}`);
    expect(figure).toMatch(/the monthly cost from \$[\d,]+ to \$[\d,]+\./);
    expect(figure.match(/class="point current"/g)).toHaveLength(2);
  });

  it('counts one estimate in the metrics for the page, not one per load the chart plots', async () => {
    const computed = async () => (await t.app.metrics.estimates.get()).values[0]?.value ?? 0;
    const before = await computed();
    const res = await t.app.inject({ url: resultsHref(spec) });
    expect(res.body).toContain('data-figure="load"');
    expect(await computed()).toBe(before + 1);
  });
});

describe('a saved estimation', () => {
  async function saved(c: Client, name = 'Fraud, prod') {
    await c.get(resultsHref(spec));
    const res = await c.post('/saved', { spec: JSON.stringify(spec), name });
    expect(res.statusCode).toBe(303);
    return String(res.headers.location).split('/').pop() ?? '';
  }

  it('shows every section the results page shows', async () => {
    const c = new Client(t.app);
    const id = await saved(c);
    const page = await c.get(`/saved/${id}`);
    const results = await t.app.inject({ url: resultsHref(spec) });
    expect(sectionIds(page.body)).toEqual(sectionIds(results.body));
    expect(page.body).toContain('data-figure="pipeline"');
    expect(page.body).toContain('data-figure="load"');
    expect(page.body).toContain('data-headline');
  });

  it('updates with the version it was read at, and shows a conflict for a stale one', async () => {
    const c = new Client(t.app);
    const id = await saved(c);
    await c.get(`/saved/${id}`);
    const busier = scaleLoad(spec, 2);
    const updated = await c.post(`/saved/${id}/update`, {
      spec: JSON.stringify(busier),
      name: 'Fraud, twice the load',
      version: '1',
    });
    expect(updated.statusCode).toBe(303);
    const record = t.app.estimations.get(id);
    expect(record).toMatchObject({ name: 'Fraud, twice the load', version: 2 });
    expect(record?.estimate.cpu.totalCores).toBe(estimate(busier).cpu.totalCores);
    // Someone else's form, read at version 1, must not overwrite version 2.
    const stale = await c.post(`/saved/${id}/update`, {
      spec: JSON.stringify(spec),
      name: 'Old tab',
      version: '1',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('data-conflict');
    expect(stale.body).toContain('<input type="hidden" name="version" value="2">');
    expect(t.app.estimations.get(id)).toMatchObject({ name: 'Fraud, twice the load', version: 2 });
  });

  it('edits through the estimate form, which carries the name and version to the results page', async () => {
    const c = new Client(t.app);
    const id = await saved(c, 'Edit me');
    const form = await c.get(estimateHref(spec, { id, version: 1, name: 'Edit me' }));
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`<input type="hidden" name="from" value="${id}">`);
    expect(form.body).toMatch(/<input id="name" name="name" type="text" value="Edit me"/);
    const posted = await c.post('/estimate', {
      mode: 'quick',
      sources: '1',
      operators: '2',
      sinks: '1',
      recordsPerSecond: '20k',
      avgRecordBytes: '300',
      from: id,
      version: '1',
      name: 'Edit me, quick',
    });
    expect(posted.statusCode).toBe(303);
    const location = new URL(String(posted.headers.location), 'http://x');
    expect(location.searchParams.get('from')).toBe(id);
    expect(
      (decodeSpec(location.searchParams.get('spec') ?? '') as { workload: { recordsPerSecond: number } })
        .workload.recordsPerSecond,
    ).toBe(20000);
    const results = await c.get(`${location.pathname}${location.search}`);
    expect(results.body).toContain(`action="/saved/${id}/update"`);
    expect(results.body).toContain('value="Edit me, quick"');
    expect(results.body).toContain('formaction="/saved">Save as new</button>');
  });
});

describe('the export fields', () => {
  it('put the image and job name into the download, and blank fields keep the placeholders', async () => {
    const link = encodeURIComponent(resultsHref(spec).split('spec=')[1] ?? '');
    const res = await t.app.inject({
      url: `/results/export/flink-deployment?spec=${link}&name=Fraud+scoring&image=registry.example.com%2Fteam%2Ffraud%3A1.2&jarUri=&checkpointDir=`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('image: registry.example.com/team/fraud:1.2');
    expect(res.body).toContain('name: fraud-scoring');
  });

  it('answer a plain problem for a value that is not valid', async () => {
    const link = encodeURIComponent(resultsHref(spec).split('spec=')[1] ?? '');
    const res = await t.app.inject({
      url: `/results/export/flink-deployment?spec=${link}&image=Not+An+Image`,
    });
    expect(res.statusCode).toBe(400);
  });
});
