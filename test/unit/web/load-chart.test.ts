import { describe, expect, it } from 'vitest';
import { placeShapeLabels } from '../../../src/web/charts/load.js';

// 26 characters at 5.6 units a glyph: 145.6 units wide.
const LABEL = '1 CPU / 2 GiB TaskManagers';
const AREA = { left: 72, right: 640, bottom: 160 };
const point = (x: number, y: number, extra: { shapeLabel?: string; current?: boolean } = {}) => ({
  x,
  y,
  label: '5',
  current: extra.current ?? false,
  ...(extra.shapeLabel ? { shapeLabel: extra.shapeLabel } : {}),
});

describe('load chart shape labels', () => {
  it('go below and right of a point on a rising line, where the line runs above them', () => {
    const points = [
      point(72, 150),
      point(255, 120, { current: true }),
      point(438, 90, { shapeLabel: LABEL }),
      point(620, 30),
    ];
    // Box 444–589.6 across, 97–107 down; the segment to (620, 30) stays above y 90.
    expect(placeShapeLabels(points, AREA)[2]?.shapePlace).toEqual({ x: 444, y: 105, anchor: 'start' });
  });

  it('at the last point go above and left, ending before it', () => {
    const points = [point(72, 150), point(438, 90), point(620, 30, { shapeLabel: LABEL })];
    // Below right would end at 771.6, past the chart. Above left spans 468.4–614 and 13–23; the
    // line from (438, 90) is at y 32 or lower there, and the point's own dot starts at 615.5.
    expect(placeShapeLabels(points, AREA)[2]?.shapePlace).toEqual({ x: 614, y: 21, anchor: 'end' });
  });

  it('never over the line: below right would be crossed by a falling segment, so above left', () => {
    // The line falls from (300, 60) to (400, 150): it passes through 306–451.6 × 67–77 below right.
    const points = [point(72, 100), point(300, 60, { shapeLabel: LABEL }), point(400, 150)];
    expect(placeShapeLabels(points, AREA)[1]?.shapePlace).toEqual({ x: 294, y: 51, anchor: 'end' });
  });

  it('leave out a label with no free place (the sentence under the charts still names it)', () => {
    const long = 'x'.repeat(110);
    const placed = placeShapeLabels([point(72, 150), point(300, 90, { shapeLabel: long })], AREA);
    expect(placed[1]?.shapeLabel).toBeUndefined();
    expect(placed[1]?.shapePlace).toBeUndefined();
  });
});
