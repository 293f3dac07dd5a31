import { describe, expect, it } from 'vitest';
import { intakeView, parseErrorsView, readPasted } from '../../../src/web/intake.js';

describe('readPasted', () => {
  it('tells a plan (a JSON object) from SQL by its first character', () => {
    expect(readPasted('  { "nodes": [] }')).toEqual({ plan: { nodes: [] } });
    expect(readPasted('SELECT 1')).toEqual({ sql: 'SELECT 1' });
    expect(readPasted('{ nope')).toHaveProperty('error');
    expect(readPasted(' \n ')).toHaveProperty('error');
  });
});

describe('parseErrorsView', () => {
  it('puts the caret under the column, after the line-number gutter', () => {
    const [view] = parseErrorsView(
      [{ path: 'sql', message: 'bad', line: 2, column: 5, construct: 'INSERT INTO statement' }],
      'SELECT 1;\nINSRT INTO t;',
    );
    expect(view?.excerpt).toBe('2 | INSRT INTO t;\n        ^');
  });

  it('cuts a long line to 60 characters either side of the column, the caret still under it', () => {
    const line = `${'a'.repeat(100)}X${'b'.repeat(100)}`;
    const [view] = parseErrorsView(
      [{ path: 'sql', message: 'm', line: 1, column: 101, construct: 'c' }],
      line,
    );
    const [text, caret] = (view?.excerpt ?? '').split('\n');
    expect(text).toBe(`1 | …${'a'.repeat(60)}X${'b'.repeat(60)}…`);
    expect(caret?.length).toBe((text ?? '').indexOf('X') + 1);
    expect(caret?.endsWith('^')).toBe(true);
  });
});

describe('intakeView', () => {
  it('places each question and note beside its node, and job-wide ones in the list', () => {
    const view = intakeView(
      {
        questions: [
          { path: 'pipeline.operators.0.distinctKeys', message: 'Keys?', assumed: 1000000 },
          { path: 'state.ttlSeconds', message: 'TTL?', assumed: 3600 },
        ],
        notes: [
          { text: 'GROUP BY k → an aggregate.', path: 'pipeline.operators.0' },
          { text: 'A statement set.' },
          { text: 'A statement set.' },
        ],
      },
      { sources: [{ id: 'in', kind: 'kafka' }], operators: [{ id: 'agg', kind: 'aggregate' }], sinks: [] },
    );
    const agg = view.nodes.find((n) => n.id === 'agg');
    expect(agg).toMatchObject({
      role: 'operator',
      anchor: 'draft-operators-0',
      notes: ['GROUP BY k → an aggregate.'],
    });
    expect(agg?.questions[0]).toMatchObject({
      label: 'Keys',
      assumed: '1000000',
      assumedText: '1,000,000',
      nodeId: 'agg',
    });
    expect(view.questions[1]).toMatchObject({ field: 'ttlSeconds', anchor: 'intake-questions-title' });
    expect(view.questions[1]?.nodeId).toBeUndefined();
    expect(view.general).toEqual(['A statement set.']);
  });
});
