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
      V,
    );
    expect(fit).toEqual({
      observations: 3,
      kinds: [{ kind: 'aggregate', multiplier: 2, count: 3, spread: 1 }],
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
      V,
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
    expect(fitModel([other, unmeasured], V)).toEqual({ observations: 1, kinds: [] });
  });

  it('applies the multipliers to the model in a new, named version; the base model is untouched', () => {
    const base = structuredClone(defaultModel);
    const learned = calibratedModel(base, {
      observations: 2,
      kinds: [{ kind: 'aggregate', multiplier: 1.8, count: 1, spread: 1 }],
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
