import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_FORMATS } from '../../../src/exports/index.js';
import { encodeSpec } from '../../../src/web/links.js';
import { hourlyWindowSpec } from '../../fixtures/stateful-specs.js';
import { buildTestApp, type TestApp } from '../../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

const link = encodeURIComponent(encodeSpec(hourlyWindowSpec('1.20')));
const html = { accept: 'text/html' };

describe('every deployment target is downloadable from the pages', () => {
  it('the results page links each format, and each link downloads it', async () => {
    const page = await t.app.inject({ url: `/results?spec=${link}`, headers: html });
    expect(page.statusCode).toBe(200);
    for (const format of MANIFEST_FORMATS) {
      const href = `/results/export/${format}?spec=`;
      expect(page.body).toContain(href);
      const res = await t.app.inject({ url: `${href}${link}` });
      expect(res.statusCode, format).toBe(200);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[a-z0-9.-]+\.(yaml|sh)"$/);
    }
  });

  it('a saved estimation’s page links each format from the API', async () => {
    const saved = await t.app.inject({
      method: 'POST',
      url: '/api/v1/estimations',
      payload: { name: 'Hourly clicks', spec: hourlyWindowSpec('1.20') },
    });
    const id = saved.json().id;
    const page = await t.app.inject({ url: `/saved/${id}`, headers: html });
    expect(page.statusCode).toBe(200);
    for (const format of MANIFEST_FORMATS)
      expect(page.body).toContain(`href="/api/v1/estimations/${id}/manifests/${format}"`);
  });
});
