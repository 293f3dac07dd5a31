/** The "Calibrate from a running job" page: a form that works without JavaScript. */
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../support/app.js';
import { Client } from '../../support/client.js';
import {
  AGG_ID,
  type FakeJobManager,
  snapshotOf,
  startFakeJobManager,
} from '../../support/fake-jobmanager.js';

let t: TestApp | undefined;
let jm: FakeJobManager | undefined;
afterEach(async () => {
  await t?.close();
  await jm?.close();
});

describe('/calibrate', () => {
  it('calibrates a pasted snapshot and shows the recommendation per vertex on the stored calibration’s page', async () => {
    jm = await startFakeJobManager();
    const snapshot = await snapshotOf(jm);
    t = await buildTestApp();
    const client = new Client(t.app);
    const form = await client.get('/calibrate');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<label for="snapshot">Snapshot JSON</label>');
    expect(form.body).toContain('CALIBRATION_ALLOWED_HOSTS is empty');

    const posted = await client.post('/calibrate', {
      kind: 'snapshot',
      snapshot: JSON.stringify(snapshot),
      loadFactor: '2',
    });
    expect(posted.statusCode).toBe(303);
    const page = await client.get(posted.headers.location as string);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(AGG_ID);
    expect(page.body).toContain('4 → 8'); // the aggregate's parallelism now → recommended
    expect(page.body).toContain('ceil 4.47 → 5 → 8, the first divisor of max parallelism 128');
    expect(page.body).toContain('are equal, byte for byte');
  });

  it('re-renders with the error beside the field when the snapshot is not JSON, and refuses a URL source here', async () => {
    t = await buildTestApp();
    const client = new Client(t.app);
    await client.get('/calibrate');
    const bad = await client.post('/calibrate', { kind: 'snapshot', snapshot: '{not json' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('id="snapshot-error"');
    const url = await client.post('/calibrate', { kind: 'flink-rest', url: 'http://127.0.0.1:1' });
    expect(url.statusCode).toBe(422);
    expect(url.body).toContain('CALIBRATION_ALLOWED_HOSTS');
    expect(url.body).toContain('id="url-error"');
  });
});

describe('/saved/{id} with a linked calibration', () => {
  it('shows the measured block under the saved estimation', async () => {
    jm = await startFakeJobManager();
    const snapshot = await snapshotOf(jm);
    t = await buildTestApp();
    const saved = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/estimations',
        payload: {
          name: 'bids',
          spec: {
            workload: { sources: 1, operators: 1, sinks: 1, recordsPerSecond: 50000, avgRecordBytes: 100 },
          },
        },
      })
    ).json();
    const before = await new Client(t.app).get(`/saved/${saved.id}`);
    expect(before.body).not.toContain('data-calibration');
    const linked = await t.app.inject({
      method: 'POST',
      url: '/api/v1/calibrations',
      payload: { source: { kind: 'snapshot', snapshot }, estimationId: saved.id },
    });
    expect(linked.statusCode).toBe(201);
    const after = await new Client(t.app).get(`/saved/${saved.id}`);
    expect(after.body).toContain(`data-calibration="${linked.json().id}"`);
    expect(after.body).toContain('Measured on the running job');
  });
});
