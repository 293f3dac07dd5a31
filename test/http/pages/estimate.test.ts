import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../../src/forms/presets.js';
import { decodeSpec, encodeSpec } from '../../../src/web/links.js';
import { buildTestApp, type TestApp } from '../../support/app.js';

let t: TestApp;
let session: { csrf: string; cookie: string };

beforeAll(async () => {
  t = await buildTestApp();
  const form = await t.app.inject({ url: '/estimate' });
  session = {
    csrf: /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '',
    cookie: form.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
  };
});
afterAll(async () => t.close());

const quick = {
  mode: 'quick',
  sources: '2',
  operators: '4',
  sinks: '1',
  recordsPerSecond: '100000',
  avgRecordBytes: '512',
  peakFactor: '1.5',
  statefulOperators: '1',
  distinctKeys: '1000000',
  stateBytesPerKey: '200',
  complexity: 'medium',
  flinkVersion: '1.20',
  checkpointIntervalSeconds: '60',
  incrementalCheckpoints: 'true',
  utilization: '0.7',
  catchUpMinutes: '30',
  restartSeconds: '300',
};

function submit(fields: Record<string, string>, withCsrf = true) {
  return t.app.inject({
    method: 'POST',
    url: '/estimate',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...(withCsrf ? { _csrf: session.csrf } : {}), ...fields }).toString(),
  });
}

describe('GET /estimate', () => {
  it('has every contract-named quick input with a label, and an "Estimate" button', async () => {
    const res = await t.app.inject({ url: '/estimate' });
    expect(res.statusCode).toBe(200);
    for (const name of ['sources', 'operators', 'sinks', 'recordsPerSecond', 'avgRecordBytes']) {
      expect(res.body).toContain(`name="${name}"`);
      expect(res.body).toContain(`<label for="${name}">`);
    }
    expect(res.body).toMatch(/<button type="submit"[^>]*>Estimate<\/button>/);
  });

  it.each(PRESETS.map((p) => [p.id, p.spec]))('prefills the %s preset', async (id, spec) => {
    const res = await t.app.inject({ url: `/estimate?preset=${id}` });
    const firstSource =
      (spec as { pipeline: { sources: Array<{ id: string }> } }).pipeline.sources[0]?.id ?? '';
    expect(res.body).toContain('value="pipeline" checked');
    expect(res.body).toContain(`&quot;${firstSource}&quot;`);
  });

  it('prefills from a spec to edit (raw JSON or a shared link)', async () => {
    const spec = {
      workload: { sources: 3, operators: 2, sinks: 1, recordsPerSecond: 4321, avgRecordBytes: 99 },
    };
    for (const param of [JSON.stringify(spec), encodeSpec(spec)]) {
      const res = await t.app.inject({ url: `/estimate?spec=${encodeURIComponent(param)}` });
      expect(res.body).toContain('value="4321"');
      expect(res.body).toContain('value="99"');
    }
  });
});

describe('POST /estimate', () => {
  it('redirects a valid quick form to a shareable results page', async () => {
    const res = await submit(quick);
    expect(res.statusCode).toBe(303);
    const location = String(res.headers.location);
    expect(location).toMatch(/^\/results\?spec=v1\./);
    const spec = decodeSpec(decodeURIComponent(location.split('spec=')[1] ?? '')) as {
      workload: { recordsPerSecond: number };
    };
    expect(spec.workload.recordsPerSecond).toBe(100000);
    const page = await t.app.inject({ url: location });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Your Flink plan');
    expect(page.body).toMatch(/data-headline><span class="headline-part">\d+ TaskManagers? × /);
    expect(page.body).toMatch(/<button type="submit">Save<\/button>/);
    expect(page.body).toContain('class="seg-taskHeap"');
  });

  it('accepts a pipeline as JSON', async () => {
    const pipelineJson = JSON.stringify(PRESETS[0]?.spec.pipeline);
    const res = await submit({ ...quick, mode: 'pipeline', pipelineJson });
    expect(res.statusCode).toBe(303);
  });

  it.each([
    ['a negative rate', { recordsPerSecond: '-5' }, 'recordsPerSecond', '-5'],
    ['a non-number', { avgRecordBytes: 'lots' }, 'avgRecordBytes', 'lots'],
    ['a memory size that is not a size', { taskManagerMemory: 'lots' }, 'taskManagerMemory', 'lots'],
    ['more stateful operators than operators', { statefulOperators: '9' }, 'statefulOperators', '9'],
  ])(
    're-renders %s with the value kept and the message beside the field',
    async (_what, change, field, value) => {
      const res = await submit({ ...quick, ...change });
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain(`id="${field}-error"`);
      expect(res.body).toContain(`value="${value}"`);
      expect(res.body).toContain(`href="#${field}"`);
      expect(res.body).toMatch(new RegExp(`id="${field}"[^>]*aria-invalid="true"`));
    },
  );

  it('points pipeline errors at the JSON, with the path', async () => {
    const syntax = await submit({ ...quick, mode: 'pipeline', pipelineJson: '{"sources": [' });
    expect(syntax.statusCode).toBe(422);
    expect(syntax.body).toContain('id="pipelineJson-error"');
    expect(syntax.body).toContain('not valid JSON');

    const pipeline = {
      sources: [{ id: 's', kind: 'kafka', recordsPerSecond: 10, avgRecordBytes: 10 }],
      operators: [{ id: 'o', kind: 'map', inputs: ['nope'] }],
      sinks: [{ id: 'k', kind: 'kafka', inputs: ['o'] }],
    };
    const unknown = await submit({ ...quick, mode: 'pipeline', pipelineJson: JSON.stringify(pipeline) });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain('pipeline.operators.0.inputs.0');
    expect(unknown.body).toContain('nope');
  });

  it('reports a mistyped input once, at that input, and hands it to the rows editor', async () => {
    const pipeline = {
      sources: [{ id: 'clicks', kind: 'kafka', recordsPerSecond: 1000, avgRecordBytes: 100 }],
      operators: [
        { id: 'parse', kind: 'map', inputs: ['clicks'] },
        { id: 'enrich', kind: 'map', inputs: ['parze'] },
        { id: 'count', kind: 'aggregate', inputs: ['enrich'], distinctKeys: 10 },
      ],
      sinks: [{ id: 'out', kind: 'kafka', inputs: ['count'] }],
    };
    const res = await submit({ ...quick, mode: 'pipeline', pipelineJson: JSON.stringify(pipeline) });
    expect(res.statusCode).toBe(422);
    const summary = /<div class="error-summary"[\s\S]*?<\/ul>/.exec(res.body)?.[0] ?? '';
    expect([...summary.matchAll(/<li>/g)]).toHaveLength(1);
    expect(summary).toContain('Unknown input');
    expect(res.body).not.toContain('Cycle');
    expect(res.body).not.toContain('not reachable');
    expect(res.body).not.toContain('goes nowhere');
    const attribute = /data-pipeline-errors="([^"]*)"/.exec(res.body)?.[1] ?? '';
    // The attribute as a browser reads it (nunjucks escapes quotes and backslashes).
    const decoded = attribute
      .replaceAll('&quot;', '"')
      .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
      .replaceAll('&amp;', '&');
    const errors = JSON.parse(decoded);
    expect(errors).toEqual([
      {
        path: 'pipeline.operators.1.inputs.0',
        message: expect.stringContaining('Unknown input "parze"'),
      },
    ]);
  });

  it('refuses a form without its CSRF token', async () => {
    const res = await submit(quick, false);
    expect(res.statusCode).toBe(403);
  });
});

describe('POST /estimate/diagram and /estimate/pipeline-draft', () => {
  const post = (url: string, fields: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
    });

  it('draws a spec as the figure beside the editor, and refuses one that is not a spec', async () => {
    const spec = {
      pipeline: {
        sources: [{ id: 'clicks', kind: 'kafka', recordsPerSecond: 1000, avgRecordBytes: 100 }],
        operators: [{ id: 'shape', kind: 'map', inputs: ['clicks'] }],
        sinks: [{ id: 'out', kind: 'kafka', inputs: ['shape'] }],
      },
    };
    const res = await t.app.inject({ method: 'POST', url: '/estimate/diagram', payload: spec });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body.trim()).toMatch(/^<figure class="chart pipeline-figure" data-figure="pipeline">/);
    for (const id of ['clicks', 'shape', 'out']) expect(res.body).toContain(`data-node="${id}"`);
    const bad = await t.app.inject({ method: 'POST', url: '/estimate/diagram', payload: { pipeline: {} } });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toBe('');
  });

  it('has no /estimate/preview any more: the live preview asks the API', async () => {
    expect((await post('/estimate/preview', quick)).statusCode).toBe(404);
  });

  it('turns the quick form into the pipeline the estimator builds from it', async () => {
    const res = await post('/estimate/pipeline-draft', {
      ...quick,
      mode: 'pipeline',
      sources: '2',
      operators: '2',
      sinks: '1',
      recordsPerSecond: '50k',
      complexity: 'simple',
    });
    // 2 sources share 50,000 rec/s; the stateful operator reads one stream, so a projection
    // unions the sources first; simple stateless work is a projection (the model's default).
    expect(res.json()).toEqual({
      ok: true,
      pipeline: {
        sources: [
          { id: 'source-1', kind: 'kafka', recordsPerSecond: 25000, avgRecordBytes: 512, peakFactor: 1.5 },
          { id: 'source-2', kind: 'kafka', recordsPerSecond: 25000, avgRecordBytes: 512, peakFactor: 1.5 },
        ],
        operators: [
          { id: 'union', kind: 'project', inputs: ['source-1', 'source-2'] },
          {
            id: 'operator-1',
            kind: 'aggregate',
            inputs: ['union'],
            distinctKeys: 1000000,
            stateBytesPerKey: 200,
            outputRatio: 1,
          },
          { id: 'operator-2', kind: 'project', inputs: ['operator-1'] },
        ],
        sinks: [{ id: 'sink', kind: 'kafka', inputs: ['operator-2'] }],
      },
    });
    const bad = await post('/estimate/pipeline-draft', { ...quick, recordsPerSecond: 'lots' });
    expect(bad.json()).toEqual({ ok: false });
  });
});

describe('GET /results', () => {
  it('escapes hostile ids', async () => {
    const spec = {
      pipeline: {
        sources: [
          { id: '<script>alert(1)</script>', kind: 'kafka', recordsPerSecond: 1000, avgRecordBytes: 100 },
        ],
        operators: [],
        sinks: [{ id: '{{ 7*7 }}', kind: 'blackhole', inputs: ['<script>alert(1)</script>'] }],
      },
    };
    const res = await t.app.inject({ url: `/results?spec=${encodeURIComponent(encodeSpec(spec))}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<script>alert(1)</script>');
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.body).toContain('{{ 7*7 }}');
  });

  it.each([
    ['no spec', ''],
    ['garbage', '?spec=hello'],
    ['a damaged link', '?spec=v1.!!!!'],
    ['an invalid job', `?spec=${encodeURIComponent(encodeSpec({ workload: { sources: -1 } }))}`],
  ])('answers %s with a 400 page', async (_what, query) => {
    const res = await t.app.inject({ url: `/results${query}`, headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('text/html');
  });
});

describe('GET /results/export/:format', () => {
  const link = encodeURIComponent(
    encodeSpec({
      workload: { sources: 1, operators: 2, sinks: 1, recordsPerSecond: 20000, avgRecordBytes: 300 },
    }),
  );
  it.each([
    ['flink-config', 'config.yaml', 'taskmanager.memory.process.size'],
    ['flink-deployment', 'flink-job-flinkdeployment.yaml', 'kind: FlinkDeployment'],
    ['cmf-application', 'flink-job-cmf-application.yaml', 'kind: FlinkApplication'],
    ['json', 'flink-estimate.json', '"taskManagers"'],
  ])('downloads %s', async (format, filename, content) => {
    const res = await t.app.inject({ url: `/results/export/${format}?spec=${link}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${filename}"`);
    expect(res.body).toContain(content);
  });

  it('answers an unknown format with 404', async () => {
    expect((await t.app.inject({ url: `/results/export/zip?spec=${link}` })).statusCode).toBe(404);
  });
});

describe('forgiving input', () => {
  const specOf = (location: unknown) =>
    decodeSpec(new URL(String(location), 'http://x').searchParams.get('spec') ?? '') as {
      workload: Record<string, unknown>;
      cluster: Record<string, unknown>;
      targets: Record<string, unknown>;
    };

  it('reads 50k, 1.2M, 70% and 8Gi as people write them', async () => {
    const res = await submit({
      ...quick,
      recordsPerSecond: '50k',
      distinctKeys: '1.2M',
      utilization: '70%',
      taskManagerMemory: '8Gi',
    });
    expect(res.statusCode).toBe(303);
    const spec = specOf(res.headers.location);
    expect(spec.workload.recordsPerSecond).toBe(50000);
    expect(spec.workload.distinctKeys).toBe(1200000);
    expect(spec.targets.utilization).toBe(0.7);
    // Flink's MemorySize syntax: integer and binary unit.
    expect(spec.cluster.taskManagerMemory).toBe('8g');
  });

  it('gives a blank field its default, as the page says', async () => {
    const res = await submit({ ...quick, recordsPerSecond: '', sources: '' });
    expect(res.statusCode).toBe(303);
    const spec = specOf(res.headers.location);
    expect(spec.workload.recordsPerSecond).toBe(50000);
    expect(spec.workload.sources).toBe(1);
  });

  it('explains a bad value in words, never in a validator’s text', async () => {
    const res = await submit({ ...quick, recordsPerSecond: 'fast' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Records per second must be a number, for example 50000 or 50k');
    // The error summary says the field's name once.
    expect(res.body).toContain(
      '<a href="#recordsPerSecond">Records per second must be a number, for example 50000 or 50k</a>',
    );
    const tooFew = await submit({ ...quick, sources: '0' });
    expect(tooFew.statusCode).toBe(422);
    expect(tooFew.body).toMatch(/Sources must be (at least 1|more than 0)/);
    for (const body of [res.body, tooFew.body]) {
      expect(body).not.toMatch(/expected (number|int)|received string|Too small/i);
    }
  });
});
