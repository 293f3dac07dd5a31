import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PRESETS } from '../../../src/forms/presets.js';
import { buildTestApp, type TestApp } from '../../support/app.js';

let t: TestApp;
const spec = PRESETS[0]?.spec;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

describe('POST /api/v1/manifests/{format}', () => {
  it.each([
    ['flink-config', 'taskmanager.memory.process.size'],
    ['flink-deployment', 'kind: FlinkDeployment'],
    ['cmf-application', 'kind: FlinkApplication'],
  ])('renders %s as YAML, as a download', async (format, content) => {
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/manifests/${format}`, payload: spec });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/yaml');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="/);
    expect(res.body).toContain(content);
    expect(() => parse(res.body)).not.toThrow();
  });

  it('gives JSON for Kubernetes resources and fills in what the user knows', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/manifests/flink-deployment?output=json&image=registry.example.com/jobs/clicks:1.0&namespace=streaming&jobName=clicks',
      payload: spec,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      kind: 'FlinkDeployment',
      metadata: { name: 'clicks', namespace: 'streaming' },
      spec: { image: 'registry.example.com/jobs/clicks:1.0' },
    });
  });

  it('refuses JSON for flink-config, an unknown format and bad parameters', async () => {
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/v1/manifests/flink-config?output=json',
      payload: spec,
    });
    expect(json.statusCode).toBe(400);
    expect(json.json().errors[0].path).toBe('query.output');
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/manifests/helm', payload: spec });
    expect(unknown.statusCode).toBe(400);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/manifests/flink-deployment?namespace=Not_Valid',
      payload: spec,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('query.namespace');
  });
});

describe('GET /api/v1/estimations/{id}/manifests/{format}', () => {
  it('names the resource after a saved estimation, safely', async () => {
    const saved = await t.app.inject({
      method: 'POST',
      url: '/api/v1/estimations',
      payload: { name: 'Clicks: prod {{ 7*7 }} \u202E', spec },
    });
    const id = saved.json().id;
    const res = await t.app.inject({ url: `/api/v1/estimations/${id}/manifests/cmf-application` });
    expect(res.statusCode).toBe(200);
    const resource = parse(res.body);
    expect(resource.kind).toBe('FlinkApplication');
    expect(resource.metadata.name).toBe('clicks-prod-7-7');
  });

  it('answers 404 for an unknown estimation', async () => {
    const res = await t.app.inject({ url: '/api/v1/estimations/AAAAAAAAAAAAAAAA/manifests/flink-config' });
    expect(res.statusCode).toBe(404);
  });
});
