import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    // An option name may break after its dots only, not inside a word.
    expect(res.body).toContain(
      '<code class="option">taskmanager.<wbr>memory.<wbr>framework.<wbr>heap.<wbr>size</code>',
    );
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

  it('reads Flink 1.19+ nested config.yaml and sizes the process its keys name', async () => {
    const res = await page({
      role: 'taskmanager',
      config: 'jobmanager:\n  memory:\n    process:\n      size: 1600m\n  rpc:\n    port: 6123\n',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h2 id="result-title">JobManager memory</h2>');
    // 1600m: JVM heap = 1600m − 256m metaspace − 192m overhead (its minimum) − 128m off-heap = 1024m
    expect(res.body).toContain('1073741824');
    expect(res.body).toMatch(/<option value="jobmanager" selected/);
    expect(res.body).toContain('<dt>Derived from</dt><dd>the total process memory size</dd>');
  });

  it('chooses the way in from what was filled in, without a mode', async () => {
    const container = await page({ containerMemory: '4g', cpu: '2' });
    expect(container.body).toContain('<h2 id="result-title">TaskManager memory</h2>');
    expect(container.body).toContain('4,096 Mi');
    const both = await page({ config: 'taskmanager.memory.process.size: 1728m', containerMemory: '4g' });
    expect(both.body).toContain('both are, so it uses the options');
    expect(both.body).toContain('1,728 Mi');
    const none = await t.app.inject({ url: '/memory' });
    expect(none.body).toContain('<h2 id="result-title">Memory breakdown</h2>');
  });

  it('names each slot’s share in words', async () => {
    const res = await page({ containerMemory: '8g', cpu: '2', slots: '2' });
    const perSlot = /Each slot’s share<\/h3>\s*<dl class="kv">([\s\S]*?)<\/dl>/.exec(res.body)?.[1] ?? '';
    const terms = [...perSlot.matchAll(/<dt>([^<]*)<\/dt>/g)].map((m) => m[1]);
    expect(terms).toEqual(['CPU', 'Task heap', 'Task off-heap', 'Managed memory', 'Network buffers']);
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
