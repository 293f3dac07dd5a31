import { afterEach, describe, expect, it } from 'vitest';
import { quickSpec } from '../../fixtures/specs.js';
import { buildTestApp, type TestApp } from '../../support/app.js';
import { Client } from '../../support/client.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('form posts and BODY_LIMIT_BYTES', () => {
  it('refuses a form body above the configured limit with 413', async () => {
    t = await buildTestApp({ BODY_LIMIT_BYTES: '4096' });
    const browser = new Client(t.app);
    await browser.get('/saved');
    const res = await browser.post('/saved', { name: 'x'.repeat(8192), spec: '{}' });
    expect(res.statusCode).toBe(413);
    expect(res.body).toContain('4096');
  });

  it('reads a form body above 1 MiB when the limit allows it', async () => {
    t = await buildTestApp({ BODY_LIMIT_BYTES: String(4 * 1024 * 1024) });
    const browser = new Client(t.app);
    await browser.get('/saved');
    // 2 MiB of name: parsed (so the CSRF token in it is checked), then refused as a name.
    const spec = JSON.stringify(quickSpec);
    const res = await browser.post('/saved', { name: 'x'.repeat(2 * 1024 * 1024), spec });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('A name has at most 200 characters');
  });
});
