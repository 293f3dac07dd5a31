import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/routes/pages/memory.js';
import { buildTestApp, type TestApp } from '../../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

const page = (query: Record<string, string>) =>
  t.app.inject({ url: `/memory?${new URLSearchParams(query).toString()}` });

describe('/memory page', () => {
  it('renders the empty form with labelled inputs and examples', async () => {
    const res = await t.app.inject({ url: '/memory' });
    expect(res.statusCode).toBe(200);
    for (const id of ['role', 'flinkVersion', 'config', 'containerMemory', 'cpu', 'slots']) {
      expect(res.body).toContain(`<label for="${id}">`);
    }
    expect(res.body).toContain('Flink’s shipped default');
  });

  it('shows the breakdown, bar, JVM flags and buffers for pasted options', async () => {
    const res = await page({
      role: 'taskmanager',
      mode: 'config',
      config: '# defaults\ntaskmanager.memory.process.size: "1728m"\n',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(
      '-Xmx536870902 -Xms536870902 -XX:MaxDirectMemorySize=268435458 -XX:MaxMetaspaceSize=268435456',
    );
    expect(res.body).toContain('402653174');
    expect(res.body).toMatch(/<svg class="membar"[^>]*role="img"/);
    expect(res.body).toContain('class="seg-taskHeap"');
    expect(res.body).toContain('4,096');
  });

  it('shows Flink’s rejection and the fix', async () => {
    const res = await page({
      role: 'taskmanager',
      mode: 'config',
      config: 'taskmanager.memory.process.size=900m',
    });
    expect(res.body).toContain('Flink would refuse this configuration');
    expect(res.body).toContain('982m');
  });

  it('plans a JobManager from a container size', async () => {
    const res = await page({ role: 'jobmanager', mode: 'container', containerMemory: '2g', cpu: '1' });
    expect(res.body).toContain('JobManager memory');
    expect(res.body).toMatch(/jobmanager.memory.process.size: (2g|2048m|2 gb)/);
    expect(res.body).toContain('2,048 Mi');
  });

  it('points at the line it cannot read, keeping the text (422)', async () => {
    const res = await page({
      mode: 'config',
      config: 'taskmanager.memory.process.size: 2g\nthis is not an option',
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Line 2: expected');
    expect(res.body).toContain('this is not an option</textarea>');
  });

  it('escapes hostile input', async () => {
    const res = await page({
      mode: 'config',
      config: 'taskmanager.memory.process.size: <script>alert(1)</script>',
    });
    expect(res.body).not.toContain('<script>alert(1)</script>');
    expect(res.body).toContain('&lt;script&gt;');
  });
});

describe('parseConfigText', () => {
  it('reads key: value and key=value lines, skipping comments and unquoting values', () => {
    expect(parseConfigText("# c\na.b: 1g\n\nc.d=2  # trailing\ne: 'x y'")).toEqual({
      config: { 'a.b': '1g', 'c.d': '2', e: 'x y' },
      errors: [],
    });
  });
});
