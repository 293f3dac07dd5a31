/**
 * readSpec: how the estimate form becomes a JobSpec, for the submit and for the live preview in
 * the browser (src/browser/live-estimate.ts bundles this module): one reading, one set of words.
 */
import { describe, expect, it } from 'vitest';
import { defaultFormValues, fieldMessages, pipelineErrors, readSpec } from '../../../src/forms/estimate.js';

describe('readSpec', () => {
  it('reads the forgiving formats and lets blank fields take their defaults', () => {
    const read = readSpec({
      ...defaultFormValues(),
      recordsPerSecond: '50k',
      avgRecordBytes: '',
      utilization: '70%',
      taskManagerMemory: '8g',
    });
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    // 50k → 50000; a blank record size is the form's default, 512; 70% → 0.7; 8g is Flink's 8g.
    expect(read.input.workload).toMatchObject({ recordsPerSecond: 50000, avgRecordBytes: 512 });
    expect(read.input.targets).toMatchObject({ utilization: 0.7 });
    expect(read.input.cluster).toMatchObject({ taskManagerMemory: '8g' });
    expect(read.spec.workload?.recordsPerSecond).toBe(50000);
  });

  it('reads the time fields as durations in their units: 2m is two minutes, not two million', () => {
    const read = readSpec({
      ...defaultFormValues(),
      checkpointIntervalSeconds: '2m',
      restartSeconds: '90s',
      catchUpMinutes: '1h',
    });
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.input.state).toMatchObject({ checkpointIntervalSeconds: 120 });
    expect(read.input.targets).toMatchObject({ restartSeconds: 90, catchUpMinutes: 60 });
    const bad = readSpec({ ...defaultFormValues(), checkpointIntervalSeconds: 'often' });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(fieldMessages(bad.errors)).toEqual({
      checkpointIntervalSeconds:
        'Checkpoint interval must be a duration in seconds, for example 60, 90s, 2m or 1h',
    });
  });

  it('answers what a submit shows beside each field, in words', () => {
    const read = readSpec({ ...defaultFormValues(), recordsPerSecond: 'lots', utilization: 'most' });
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(fieldMessages(read.errors)).toEqual({
      recordsPerSecond: 'Records per second must be a number, for example 50000 or 50k',
      utilization: 'Target utilization must be a number, for example 0.7 or 70%',
    });
  });

  it('puts a pipeline problem on the JSON field with its path, and on the row by path', () => {
    const pipeline = {
      sources: [{ id: 's', kind: 'kafka', recordsPerSecond: 10, avgRecordBytes: 10 }],
      operators: [{ id: 'o', kind: 'map', inputs: ['nope'] }],
      sinks: [{ id: 'k', kind: 'kafka', inputs: ['o'] }],
    };
    const read = readSpec({
      ...defaultFormValues(),
      mode: 'pipeline',
      pipelineJson: JSON.stringify(pipeline),
    });
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(fieldMessages(read.errors).pipelineJson).toMatch(/^pipeline\.operators\.0\.inputs\.0: .*"nope"/);
    expect(pipelineErrors(read.errors)).toEqual([
      { path: 'pipeline.operators.0.inputs.0', message: expect.stringContaining('"nope"') },
    ]);
  });
});
