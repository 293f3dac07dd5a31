import { describe, expect, it } from 'vitest';
import { keepReadableLabels } from '../../../src/web/charts/load.js';

describe('load chart shape labels', () => {
  it('drops a label that would overlap the one kept before it, keeps those with room', () => {
    const label = '1 CPU / 2 GiB TaskManagers';
    const points = [
      { x: 72, y: 150, anchor: 'start' as const },
      { x: 140, y: 146, anchor: 'middle' as const, shapeLabel: label },
      { x: 208, y: 142, anchor: 'middle' as const, shapeLabel: label },
      { x: 276, y: 138, anchor: 'middle' as const, shapeLabel: label },
      { x: 344, y: 100, anchor: 'middle' as const, shapeLabel: label },
      { x: 620, y: 30, anchor: 'end' as const, shapeLabel: label },
    ];
    const kept = keepReadableLabels(points).map((p) => p.shapeLabel !== undefined);
    // Width 26 × 5.6 = 145.6: the label at 140 spans 67.2–212.8. 208 (from 135.2) and 276 (from
    // 203.2) start before 212.8 + 4 within 12 units of height: dropped. 344 is 46 units higher,
    // a line of its own: kept (spans 271.2–416.8). 620 ends at its point, from 474.4: kept.
    expect(kept).toEqual([false, true, false, false, true, true]);
  });
});
