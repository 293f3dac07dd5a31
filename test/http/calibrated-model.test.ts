/**
 * Learning from calibrations through the API: each owner's calibrations fit their own model
 * (authentication on), an estimate uses it only when asked and names it, and nobody's saved
 * estimation changes because someone calibrated.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defaultModel, ModelSchema } from '../../src/estimator/index.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { type FakeJobManager, snapshotOf, startFakeJobManager } from '../support/fake-jobmanager.js';

let t: TestApp | undefined;
let jm: FakeJobManager | undefined;
afterEach(async () => {
  await t?.close();
  await jm?.close();
});

const as = (token: string) => ({ authorization: `Bearer ${token}` });
const spec = {
  workload: {
    sources: 1,
    operators: 2,
    sinks: 1,
    recordsPerSecond: 20000,
    avgRecordBytes: 300,
    statefulOperators: 1,
    distinctKeys: 100000,
  },
};

describe('the calibrated model', () => {
  it('is fitted per owner, chosen explicitly, named in the estimate, and leaves saved estimations alone', async () => {
    jm = await startFakeJobManager();
    const snapshot = await snapshotOf(jm);
    t = await buildTestApp({
      AUTH_MODE: 'token',
      AUTH_TOKENS: 'alice=token-alice-0123456789,bob=token-bob-0123456789',
    });
    const { app } = t;

    const saved = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/estimations',
        headers: as('token-bob-0123456789'),
        payload: { name: 'bob’s job', spec },
      })
    ).json();
    const calibration = await app.inject({
      method: 'POST',
      url: '/api/v1/calibrations',
      headers: as('token-alice-0123456789'),
      payload: { source: { kind: 'snapshot', snapshot } },
    });
    expect(calibration.statusCode).toBe(201);
    const aggVertex = calibration.json().vertices[1];
    const aggNode = aggVertex.nodes.find((n: { kind: string }) => n.kind === 'aggregate');

    const alice = (
      await app.inject({
        method: 'GET',
        url: '/api/v1/model?calibrated=true',
        headers: as('token-alice-0123456789'),
      })
    ).json();
    expect(alice.calibration.observations).toBe(1);
    const fitted = alice.calibration.kinds.find((k: { kind: string }) => k.kind === 'aggregate');
    // One vertex: the multiplier that makes its modelled chain cost (sink share held fixed) equal what was measured.
    const sinkShare = aggVertex.nodes
      .filter((n: { role: string }) => n.role !== 'operator')
      .reduce((a: number, n: { modeledShareMicros: number }) => a + n.modeledShareMicros, 0);
    expect(fitted.multiplier).toBeCloseTo(
      (aggVertex.measuredMicrosPerRecord - sinkShare) / aggNode.modeledShareMicros,
      3,
    );
    expect(alice.model.cpu.operatorMicros.aggregate).toBeCloseTo(
      defaultModel.cpu.operatorMicros.aggregate * fitted.multiplier,
      3,
    );
    expect(alice.modelVersion).toContain('+calibrated.1.');
    // Connectors are fitted too, each with its sample count; one vertex each, the operators
    // (fitted first) already explain all, so they keep the model's cost.
    const connectors = alice.calibration.connectors.map(
      (c: { role: string; kind: string; count: number }) => [c.role, c.kind, c.count],
    );
    expect(connectors).toEqual([
      ['sink', 'kafka', 1],
      ['source', 'kafka', 1],
    ]);
    const sink = alice.calibration.connectors[0];
    expect(sink.microsPerRecord).toBeCloseTo(defaultModel.cpu.sinks.kafka.fixedMicrosPerRecord, 3);
    expect(alice.model.cpu.sinks.kafka.fixedMicrosPerRecord).toBe(sink.microsPerRecord);

    const bob = (
      await app.inject({
        method: 'GET',
        url: '/api/v1/model?calibrated=true',
        headers: as('token-bob-0123456789'),
      })
    ).json();
    expect(bob.calibration.observations).toBe(0);
    const inForce = (
      await app.inject({ method: 'GET', url: '/api/v1/model', headers: as('token-alice-0123456789') })
    ).json();
    expect(inForce.modelVersion).toBe(defaultModel.version);

    const plain = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/estimates',
        headers: as('token-alice-0123456789'),
        payload: spec,
      })
    ).json();
    const learned = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/estimates?model=calibrated',
        headers: as('token-alice-0123456789'),
        payload: spec,
      })
    ).json();
    expect(plain.modelVersion).toBe(defaultModel.version);
    expect(learned.modelVersion).toBe(alice.modelVersion);
    const aggCost = (e: { operators: Array<{ kind: string; costMicrosPerRecord: number }> }) =>
      e.operators.find((o) => o.kind === 'aggregate')?.costMicrosPerRecord ?? 0;
    expect(aggCost(learned)).not.toBeCloseTo(aggCost(plain), 6);

    const bobsAfter = (
      await app.inject({
        method: 'GET',
        url: `/api/v1/estimations/${saved.id}`,
        headers: as('token-bob-0123456789'),
      })
    ).json();
    expect(bobsAfter.estimate).toEqual(saved.estimate);

    const download = await app.inject({
      method: 'GET',
      url: '/api/v1/model?calibrated=true&download=true',
      headers: as('token-alice-0123456789'),
    });
    expect(download.headers['content-disposition']).toContain('attachment');
    expect(ModelSchema.parse(download.json()).version).toBe(alice.modelVersion); // usable as MODEL_FILE
  });
});
