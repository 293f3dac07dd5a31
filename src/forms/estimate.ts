import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { z } from 'zod';
import type { JobSpec } from '../jobspec/index.js';

/**
 * The estimate form ↔ JobSpec. Form fields are flat strings (what a browser posts); the quick
 * form's inputs are named exactly as CONTRACT's `workload`. Empty optional fields are left out so
 * the schema's defaults apply.
 */

export const QUICK_FIELDS = [
  'sources',
  'operators',
  'sinks',
  'recordsPerSecond',
  'avgRecordBytes',
  'peakFactor',
  'statefulOperators',
  'distinctKeys',
  'stateBytesPerKey',
  'complexity',
] as const;

export const SHARED_FIELDS = [
  'flinkVersion',
  'stateBackend',
  'checkpointIntervalSeconds',
  'incrementalCheckpoints',
  'taskManagerCpu',
  'taskManagerMemory',
  'slotsPerTaskManager',
  'maxParallelism',
  'utilization',
  'catchUpMinutes',
  'restartSeconds',
] as const;

export type EstimateFormValues = Record<
  (typeof QUICK_FIELDS)[number] | (typeof SHARED_FIELDS)[number] | 'mode' | 'pipelineJson',
  string
>;

export const DEFAULT_PIPELINE = {
  sources: [{ id: 'events', kind: 'kafka', recordsPerSecond: 100000, avgRecordBytes: 512, partitions: 24 }],
  operators: [
    { id: 'parse', kind: 'map', inputs: ['events'] },
    {
      id: 'per-key-minute',
      kind: 'window-aggregate',
      inputs: ['parse'],
      window: { type: 'tumbling', sizeSeconds: 60 },
      distinctKeys: 1000000,
      stateBytesPerKey: 128,
      outputRatio: 0.05,
    },
  ],
  sinks: [{ id: 'out', kind: 'kafka', inputs: ['per-key-minute'] }],
};

export function defaultFormValues(): EstimateFormValues {
  return {
    mode: 'quick',
    flinkVersion: '1.20',
    sources: '1',
    operators: '3',
    sinks: '1',
    recordsPerSecond: '50000',
    avgRecordBytes: '512',
    peakFactor: '1.5',
    statefulOperators: '1',
    distinctKeys: '1000000',
    stateBytesPerKey: '200',
    complexity: 'medium',
    pipelineJson: JSON.stringify(DEFAULT_PIPELINE, null, 2),
    stateBackend: '',
    checkpointIntervalSeconds: '60',
    incrementalCheckpoints: 'true',
    taskManagerCpu: '',
    taskManagerMemory: '',
    slotsPerTaskManager: '',
    maxParallelism: '',
    utilization: '0.7',
    catchUpMinutes: '30',
    restartSeconds: '300',
  };
}

/** A value as the user typed it; form bodies can carry arrays or nothing. */
function text(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (Array.isArray(value)) return String(value.at(-1) ?? '');
  return value === undefined || value === null ? '' : String(value).slice(0, 300_000);
}

/** The submitted values, trimmed, falling back to nothing (not to defaults) so re-renders keep them. */
export function readFormValues(body: unknown): EstimateFormValues {
  const source = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const values = defaultFormValues();
  for (const key of Object.keys(values) as Array<keyof EstimateFormValues>) {
    values[key] = key === 'pipelineJson' ? text(source, key) : text(source, key).trim();
  }
  values.mode = values.mode === 'pipeline' ? 'pipeline' : 'quick';
  // An unticked checkbox sends nothing.
  values.incrementalCheckpoints = values.incrementalCheckpoints === 'true' ? 'true' : 'false';
  return values;
}

/** "1e5" and "100,000" as people type them → a number; anything else stays a string for zod to reject. */
function numberOrText(value: string): number | string {
  const cleaned = value.replace(/[,_\s]/g, '');
  if (cleaned === '') return value;
  const n = Number(cleaned);
  return Number.isFinite(n) ? n : value;
}

function setIf(target: Record<string, unknown>, key: string, value: string, asNumber = true): void {
  if (value === '') return;
  target[key] = asNumber ? numberOrText(value) : value;
}

export interface FormParse {
  /** The JobSpec input to validate, or undefined when the pipeline JSON could not be read. */
  input?: Record<string, unknown>;
  /** Errors found before validation (the pipeline JSON's syntax), by field id. */
  errors: Array<{ field: string; path: string; message: string }>;
}

export function specInputFromForm(values: EstimateFormValues): FormParse {
  const input: Record<string, unknown> = { flinkVersion: values.flinkVersion || '1.20' };
  const errors: FormParse['errors'] = [];
  if (values.mode === 'pipeline') {
    try {
      input.pipeline = JSON.parse(values.pipelineJson);
    } catch (error) {
      errors.push({
        field: 'pipelineJson',
        path: 'pipeline',
        message: `The pipeline is not valid JSON: ${(error as Error).message}`,
      });
    }
  } else {
    const workload: Record<string, unknown> = {};
    for (const key of QUICK_FIELDS) setIf(workload, key, values[key], key !== 'complexity');
    input.workload = workload;
  }
  const state: Record<string, unknown> = {};
  setIf(state, 'backend', values.stateBackend, false);
  setIf(state, 'checkpointIntervalSeconds', values.checkpointIntervalSeconds);
  state.incrementalCheckpoints = values.incrementalCheckpoints === 'true';
  input.state = state;
  const cluster: Record<string, unknown> = {};
  setIf(cluster, 'taskManagerCpu', values.taskManagerCpu);
  setIf(cluster, 'taskManagerMemory', values.taskManagerMemory, false);
  setIf(cluster, 'slotsPerTaskManager', values.slotsPerTaskManager);
  setIf(cluster, 'maxParallelism', values.maxParallelism);
  input.cluster = cluster;
  const targets: Record<string, unknown> = {};
  setIf(targets, 'utilization', values.utilization);
  setIf(targets, 'catchUpMinutes', values.catchUpMinutes);
  setIf(targets, 'restartSeconds', values.restartSeconds);
  input.targets = targets;
  return errors.length > 0 ? { errors } : { input, errors };
}

/** The form prefilled from a spec (Edit inputs, duplicate-and-edit, presets). */
export function formValuesFromSpec(spec: Partial<JobSpec> & Record<string, unknown>): EstimateFormValues {
  const values = defaultFormValues();
  const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  values.flinkVersion = str(spec.flinkVersion) || '1.20';
  if (spec.pipeline) {
    values.mode = 'pipeline';
    values.pipelineJson = JSON.stringify(spec.pipeline, null, 2);
  } else if (spec.workload) {
    values.mode = 'quick';
    const w = spec.workload as Record<string, unknown>;
    for (const key of QUICK_FIELDS) values[key] = str(w[key]);
  }
  const state = (spec.state ?? {}) as Record<string, unknown>;
  values.stateBackend = str(state.backend);
  values.checkpointIntervalSeconds = str(state.checkpointIntervalSeconds) || values.checkpointIntervalSeconds;
  if (state.incrementalCheckpoints !== undefined)
    values.incrementalCheckpoints = String(state.incrementalCheckpoints === true);
  const cluster = (spec.cluster ?? {}) as Record<string, unknown>;
  values.taskManagerCpu = str(cluster.taskManagerCpu);
  values.taskManagerMemory = str(cluster.taskManagerMemory);
  values.slotsPerTaskManager = str(cluster.slotsPerTaskManager);
  values.maxParallelism = str(cluster.maxParallelism);
  const targets = (spec.targets ?? {}) as Record<string, unknown>;
  values.utilization = str(targets.utilization) || values.utilization;
  values.catchUpMinutes = str(targets.catchUpMinutes) || values.catchUpMinutes;
  values.restartSeconds = str(targets.restartSeconds) || values.restartSeconds;
  return values;
}

const FIELD_FOR_PATH: Record<string, string> = {
  flinkVersion: 'flinkVersion',
  'state.backend': 'stateBackend',
  'state.checkpointIntervalSeconds': 'checkpointIntervalSeconds',
  'state.incrementalCheckpoints': 'incrementalCheckpoints',
  'cluster.taskManagerCpu': 'taskManagerCpu',
  'cluster.taskManagerMemory': 'taskManagerMemory',
  'cluster.slotsPerTaskManager': 'slotsPerTaskManager',
  'cluster.maxParallelism': 'maxParallelism',
  'targets.utilization': 'utilization',
  'targets.catchUpMinutes': 'catchUpMinutes',
  'targets.restartSeconds': 'restartSeconds',
};

/** The form field a schema issue belongs to; pipeline issues go to the JSON textarea. */
export function fieldForPath(path: string, mode: 'quick' | 'pipeline'): string {
  if (path.startsWith('pipeline') || (mode === 'pipeline' && path === '')) return 'pipelineJson';
  if (path.startsWith('workload.')) {
    const field = path.slice('workload.'.length).split('.')[0] ?? '';
    return (QUICK_FIELDS as readonly string[]).includes(field) ? field : 'recordsPerSecond';
  }
  if (path === 'workload') return 'recordsPerSecond';
  return FIELD_FOR_PATH[path] ?? (mode === 'pipeline' ? 'pipelineJson' : 'recordsPerSecond');
}

export function errorsFromIssues(issues: readonly z.core.$ZodIssue[], mode: 'quick' | 'pipeline') {
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return { field: fieldForPath(path, mode), path, message: issue.message };
  });
}

/** Largest decoded spec a shared results URL may carry. */
export const MAX_SHARED_SPEC_BYTES = 256 * 1024;
const SHARE_PREFIX = 'v1.';

/** A spec as a compact, URL-safe string for shareable results links: deflate + base64url. */
export function encodeSpec(spec: unknown): string {
  return SHARE_PREFIX + deflateRawSync(Buffer.from(JSON.stringify(spec))).toString('base64url');
}

export class SharedSpecError extends Error {}

/** Reverses encodeSpec; throws SharedSpecError for anything it did not produce. */
export function decodeSpec(encoded: string): unknown {
  if (!encoded.startsWith(SHARE_PREFIX) || encoded.length > 200_000) {
    throw new SharedSpecError('This link does not carry an estimate this tool made.');
  }
  try {
    const raw = inflateRawSync(Buffer.from(encoded.slice(SHARE_PREFIX.length), 'base64url'), {
      maxOutputLength: MAX_SHARED_SPEC_BYTES,
    });
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new SharedSpecError('This link is damaged or too large: the estimate in it cannot be read.');
  }
}
