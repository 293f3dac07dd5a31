/**
 * Rendered pages are reused (see routes/pages/render.ts); reuse must never show stale data, another
 * user's page, a flash meant for someone else, or a CSRF token that does not work.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { JobSpecSchema } from '../../../src/jobspec/index.js';
import { resultsHref } from '../../../src/routes/pages/estimate.js';
import { buildTestApp, type TestApp } from '../../support/app.js';
import { Client } from '../../support/client.js';

const spec = {
  flinkVersion: '1.20',
  workload: { sources: 1, operators: 2, sinks: 1, recordsPerSecond: 20000, avgRecordBytes: 300 },
};

let t: TestApp;
afterEach(async () => t.close());

describe('a page served again from the cache', () => {
  it('carries a fresh CSRF token that the next form post accepts', async () => {
    t = await buildTestApp();
    const href = resultsHref(spec);
    const first = await new Client(t.app).get(href);
    const browser = new Client(t.app);
    const again = await browser.get(href);
    expect(again.statusCode).toBe(200);
    expect(again.body).not.toContain('csrf-slot-');
    // Same page apart from the token.
    const strip = (html: string) => html.replace(/name="_csrf" value="[^"]+"/g, '');
    expect(strip(again.body)).toBe(strip(first.body));
    const saved = await browser.post('/saved', { name: 'From a cached page', spec: JSON.stringify(spec) });
    expect(saved.statusCode).toBe(303);
  });

  it('shows a save, a rename and a delete on the next /saved', async () => {
    t = await buildTestApp();
    const browser = new Client(t.app);
    expect((await browser.get('/saved')).body).not.toContain('Nightly rollup');
    const record = t.app.estimations.create({ name: 'Nightly rollup', spec: JobSpecSchema.parse(spec) });
    expect((await browser.get('/saved')).body).toContain('Nightly rollup');
    t.app.estimations.update(record.id, { name: 'Hourly rollup' });
    const renamed = (await browser.get('/saved')).body;
    expect(renamed).toContain('Hourly rollup');
    expect(renamed).not.toContain('Nightly rollup');
    t.app.estimations.delete(record.id);
    expect((await browser.get('/saved')).body).not.toContain('Hourly rollup');
  });

  it('is never another user’s page', async () => {
    t = await buildTestApp({ AUTH_MODE: 'proxy', AUTH_PROXY_HEADER: 'X-Auth-Request-User' });
    const as = (user: string) =>
      t.app.inject({ url: '/saved', headers: { accept: 'text/html', 'x-auth-request-user': user } });
    expect((await as('alice@example.com')).body).toContain('alice@example.com');
    const bob = (await as('bob@example.com')).body;
    expect(bob).toContain('bob@example.com');
    expect(bob).not.toContain('alice@example.com');
  });

  it('shows a flash message once, then the plain page again', async () => {
    t = await buildTestApp();
    const browser = new Client(t.app);
    const record = t.app.estimations.create({ name: 'To delete', spec: JobSpecSchema.parse(spec) });
    await browser.get('/saved');
    await browser.get(`/saved/${record.id}`);
    const deleted = await browser.post(`/saved/${record.id}/delete`, { version: String(record.version) });
    expect(deleted.statusCode).toBe(303);
    const withFlash = await browser.get(String(deleted.headers.location));
    expect(withFlash.body).toMatch(/class="flash/);
    expect((await browser.get(String(deleted.headers.location))).body).not.toMatch(/class="flash/);
  });
});
