/** The learned model: multipliers fitted by hand-checkable robust regression on log ratios. */
import { describe, expect, it } from 'vitest';
import { calibratedModel, type Evidence, fitModel } from '../../../src/calibration/fit.js';
import { defaultModel } from '../../../src/estimator/index.js';

const V = defaultModel.version;
const vertex = (measured: number, nodes: Array<[string, string, number]>) => ({
  measuredMicrosPerRecord: measured,
  nodes: nodes.map(([role, kind, modeledShareMicros]) => ({ role, kind, modeledShareMicros })),
});
const evidence = (...vertices: Evidence['vertices']): Evidence => ({ modelVersion: V, vertices });

describe('fitModel', () => {
  it('takes the median of what each vertex implies, so one odd job does not move it', () => {
    // Each vertex: a source modelled at 5 µs and an aggregate at 10 µs. Implied multipliers
    // (measured − 5) ÷ 10 = 2, 2 and 9.5: the median is 2, and the spread of the log ratios is 0.
    const fit = fitModel(
      [
        evidence(
          vertex(25, [
            ['source', 'kafka', 5],
            ['operator', 'aggregate', 10],
          ]),
        ),
        evidence(
          vertex(25, [
            ['source', 'kafka', 5],
            ['operator', 'aggregate', 10],
          ]),
        ),
        evidence(
          vertex(100, [
            ['source', 'kafka', 5],
            ['operator', 'aggregate', 10],
          ]),
        ),
      ],
      defaultModel,
    );
    expect(fit).toEqual({
      observations: 3,
      kinds: [{ kind: 'aggregate', multiplier: 2, count: 3, spread: 1 }],
      connectors: [],
    });
  });

  it('separates kinds that share chains (coordinate descent)', () => {
    // A: aggregate 10 + map 2 = 24 measured; B: map 4 = 12 measured. B says map ×3, then A says
    // aggregate (24 − 3·2) ÷ 10 = 1.8 — an exact fit of both.
    const fit = fitModel(
      [
        evidence(
          vertex(24, [
            ['operator', 'aggregate', 10],
            ['operator', 'map', 2],
          ]),
          vertex(12, [['operator', 'map', 4]]),
        ),
      ],
      defaultModel,
    );
    expect(fit.kinds).toEqual([
      { kind: 'aggregate', multiplier: 1.8, count: 1, spread: 1 },
      { kind: 'map', multiplier: 3, count: 2, spread: 1 },
    ]);
  });

  it('ignores calibrations made with another model, and vertices without a measurement', () => {
    const other: Evidence = { modelVersion: 'other', vertices: [vertex(99, [['operator', 'map', 1]])] };
    const unmeasured = evidence({
      measuredMicrosPerRecord: null,
      nodes: [{ role: 'operator', kind: 'map', modeledShareMicros: 1 }],
    });
    expect(fitModel([other, unmeasured], defaultModel)).toEqual({
      observations: 1,
      kinds: [],
      connectors: [],
    });
  });

  it('applies the multipliers to the model in a new, named version; the base model is untouched', () => {
    const base = structuredClone(defaultModel);
    const learned = calibratedModel(base, {
      observations: 2,
      kinds: [{ kind: 'aggregate', multiplier: 1.8, count: 1, spread: 1 }],
      connectors: [],
    });
    expect(learned.cpu.operatorMicros.aggregate).toBeCloseTo(
      defaultModel.cpu.operatorMicros.aggregate * 1.8,
      12,
    );
    expect(learned.cpu.operatorMicros.map).toBe(defaultModel.cpu.operatorMicros.map);
    expect(learned.version).toMatch(
      new RegExp(`^${V.replace(/[.+]/g, '\\$&')}\\+calibrated\\.2\\.[0-9a-f]{10}$`),
    );
    expect(base).toEqual(defaultModel);
  });
});

/** A source or sink node whose connector part is `connector` µs of its `share`, read `records` times per vertex record. */
const connector = (role: string, kind: string, share: number, connectorMicros: number, records: number) => ({
  role,
  kind,
  modeledShareMicros: share,
  recordsShare: records,
  connectorMicrosPerRecord: connectorMicros,
});

describe('fitModel: connector costs per record', () => {
  it('learns a connector’s µs per record as the median of what each vertex implies', () => {
    // A lone Kafka source modelled at 6 µs, 2 of them the connector's: 4 µs stay fixed, so the
    // measured 10, 10 and 50 imply 6, 6 and 46 µs — the median is 6, the deviations 0, 0, 40.
    const lone = (measured: number) =>
      evidence({ measuredMicrosPerRecord: measured, nodes: [connector('source', 'kafka', 6, 2, 1)] });
    const fit = fitModel([lone(10), lone(10), lone(50)], defaultModel);
    expect(fit.kinds).toEqual([]);
    expect(fit.connectors).toEqual([
      {
        role: 'source',
        kind: 'kafka',
        microsPerRecord: 6,
        modeledMicrosPerRecord: defaultModel.cpu.sources.kafka.fixedMicrosPerRecord,
        count: 3,
        spreadMicros: 0,
      },
    ]);
  });

  it('separates a source and a sink in one chain, even one the model prices at 0 (datagen)', () => {
    // A: datagen alone, 1 µs fixed, measured 3 → datagen 2. B: datagen (1 fixed) and a JDBC sink
    // reading 0.5 records per source record (share 4, 1.5 of it the connector's: 2.5 fixed);
    // measured 9.5 = 3.5 + 2 + 0.5·x → x = 8.
    const fit = fitModel(
      [
        evidence({ measuredMicrosPerRecord: 3, nodes: [connector('source', 'datagen', 1, 0, 1)] }),
        evidence({
          measuredMicrosPerRecord: 9.5,
          nodes: [connector('source', 'datagen', 1, 0, 1), connector('sink', 'jdbc', 4, 3, 0.5)],
        }),
      ],
      defaultModel,
    );
    expect(fit.connectors.map((c) => [c.role, c.kind, c.microsPerRecord, c.count])).toEqual([
      ['sink', 'jdbc', 8, 1],
      ['source', 'datagen', 2, 2],
    ]);
    const learned = calibratedModel(defaultModel, fit);
    expect(learned.cpu.sources.datagen.fixedMicrosPerRecord).toBe(2);
    expect(learned.cpu.sinks.jdbc.fixedMicrosPerRecord).toBe(8);
    expect(learned.cpu.sinks.kafka).toEqual(defaultModel.cpu.sinks.kafka);
  });

  it('leaves connectors alone in calibrations stored before they were learned', () => {
    const old = evidence(
      vertex(25, [
        ['source', 'kafka', 5],
        ['operator', 'aggregate', 10],
      ]),
    );
    expect(fitModel([old], defaultModel).connectors).toEqual([]);
  });
});
