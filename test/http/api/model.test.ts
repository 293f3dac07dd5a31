import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultModel, defaultPricing } from '../../../src/estimator/index.js';
import { buildTestApp, type TestApp } from '../../support/app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('GET /api/v1/model', () => {
  it('shows the built-in coefficients and prices by default', async () => {
    t = await buildTestApp();
    const res = await t.app.inject({ url: '/api/v1/model' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.modelVersion).toBe(defaultModel.version);
    expect(body.model).toEqual(JSON.parse(JSON.stringify(defaultModel)));
    expect(body.pricing).toEqual(defaultPricing);
  });

  it('shows the prices and the model the server was configured with', async () => {
    t = await buildTestApp({ PRICE_PER_CORE_HOUR: '0.5', PRICE_CURRENCY: 'EUR' });
    const body = (await t.app.inject({ url: '/api/v1/model' })).json();
    expect(body.pricing).toMatchObject({ perCoreHour: 0.5, currency: 'EUR' });
    // The estimate is priced with what /model shows.
    const estimate = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/estimates',
        payload: {
          workload: { sources: 1, operators: 1, sinks: 1, recordsPerSecond: 1000, avgRecordBytes: 100 },
        },
      })
    ).json();
    expect(estimate.cost.currency).toBe('EUR');
    expect(estimate.cost.perCoreHour).toBe(0.5);
    expect(estimate.modelVersion).toBe(body.modelVersion);
  });

  it('shows MODEL_FILE overrides merged into the defaults', async () => {
    const first = await buildTestApp();
    const file = join(first.dir, 'model.json');
    writeFileSync(file, JSON.stringify({ version: 'site-tuned-1' }));
    t = await buildTestApp({ MODEL_FILE: file });
    await first.close();
    const body = (await t.app.inject({ url: '/api/v1/model' })).json();
    expect(body.modelVersion).toBe('site-tuned-1');
    expect(body.model.cpu).toEqual(JSON.parse(JSON.stringify(defaultModel.cpu)));
  });

  it('shows the shape, state and memory limits the plans are sized by, each with its source', async () => {
    t = await buildTestApp();
    const body = (await t.app.inject({ url: '/api/v1/model' })).json();
    expect(body.model.state.rocksdbMaxStatePerSlotBytes).toBe(64 * 2 ** 30);
    expect(body.model.taskManager).toMatchObject({
      processStepBytes: 256 * 2 ** 20,
      maxSlotsPerCoreIoBound: 8,
      cpuCandidates: [1, 2, 4, 8],
      taskManagersPerSize: 8,
      targetCoresPerSlot: 1,
    });
    expect(body.model.network.headroom).toBe(1.2);
    expect(body.model.jobManager).toMatchObject({ minProcessBytes: 1600 * 2 ** 20, tasksPerCore: 2000 });
    expect(body.model.parallelism.recommendedMaxParallelisms).toContain(720);
    // Their sources, in the schema the API documents (the values above follow it).
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    const model = doc.components.schemas.ModelInForce.properties.model.properties;
    const described = (section: string, key: string) =>
      String(model[section].properties[key].description ?? '');
    expect(described('state', 'rocksdbMaxStatePerSlotBytes')).toContain('restartSeconds');
    expect(described('taskManager', 'processStepBytes')).toContain('rounded up');
    expect(described('taskManager', 'maxSlotsPerCoreIoBound')).toContain('ParallelismPerKPU');
    expect(described('taskManager', 'taskManagersPerSize')).toContain('never shrink');
    expect(described('taskManager', 'cpuCandidates')).toContain('ladder');
    expect(described('network', 'headroom')).toContain('memory.tuning.overhead');
    expect(described('parallelism', 'recommendedMaxParallelisms')).toContain('autoscaler docs');
    expect(body.model.parallelism).toMatchObject({ maxParallelismRoom: 4, maxParallelismChoices: 4 });
    expect(described('parallelism', 'maxParallelismChoices')).toContain('Parallel Execution');
    expect(String(model.jobManager.description)).toContain('1600m');
  });
});
