import type { z } from 'zod';
import { type JobSpec, JobSpecSchema } from '../jobspec/index.js';
import { STARTING_VALUES } from '../jobspec/starting-values.js';
import { fieldText } from '../web/fields.js';
import {
  DURATION_EXAMPLES,
  parseAmount,
  parseDuration,
  parseFraction,
  parseMemory,
} from '../web/forms/amounts.js';
import { notANumber, plainMessage } from '../web/forms/messages.js';

/**
 * The estimate form ↔ JobSpec. Form fields are flat strings (what a browser posts); the quick
 * form's inputs are named exactly as the JobSpec's `workload` (docs/api.md). Empty optional
 * fields are left out so the schema's defaults apply.
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

/** Each field's visible label, for the error summary and plain-language messages. */
export const FIELD_LABELS: Record<string, string> = {
  sources: 'Sources',
  operators: 'Operators',
  sinks: 'Sinks',
  recordsPerSecond: 'Records per second',
  avgRecordBytes: 'Average record size',
  peakFactor: 'Peak factor',
  statefulOperators: 'Stateful operators',
  distinctKeys: 'Distinct keys',
  stateBytesPerKey: 'State per key',
  complexity: 'Complexity',
  pipelineJson: 'Pipeline (JSON)',
  flinkVersion: 'Flink version',
  stateBackend: 'State backend',
  checkpointIntervalSeconds: 'Checkpoint interval',
  incrementalCheckpoints: 'Incremental checkpoints',
  taskManagerCpu: 'CPU per TaskManager',
  taskManagerMemory: 'Memory per TaskManager',
  slotsPerTaskManager: 'Slots per TaskManager',
  maxParallelism: 'Max parallelism',
  utilization: 'Target utilization',
  catchUpMinutes: 'Catch-up time',
  restartSeconds: 'Restart time',
  name: 'Name',
  script: 'SQL script or plan',
};

export type EstimateFormValues = Record<
  (typeof QUICK_FIELDS)[number] | (typeof SHARED_FIELDS)[number] | 'mode' | 'pipelineJson' | 'rest',
  string
>;

export const DEFAULT_PIPELINE = {
  sources: [
    {
      id: 'events',
      kind: 'kafka',
      recordsPerSecond: 100000,
      avgRecordBytes: STARTING_VALUES.avgRecordBytes,
      partitions: STARTING_VALUES.partitions,
    },
  ],
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
    recordsPerSecond: String(STARTING_VALUES.recordsPerSecond),
    avgRecordBytes: String(STARTING_VALUES.avgRecordBytes),
    peakFactor: '1.5',
    statefulOperators: '1',
    distinctKeys: String(STARTING_VALUES.distinctKeys),
    stateBytesPerKey: String(STARTING_VALUES.stateBytesPerKey),
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
    rest: '',
  };
}

/** The submitted values, trimmed, falling back to nothing (not to defaults) so re-renders keep them. */
export function readFormValues(body: unknown): EstimateFormValues {
  const source = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const values = defaultFormValues();
  for (const key of Object.keys(values) as Array<keyof EstimateFormValues>) {
    const value = fieldText(source, key) ?? '';
    values[key] = key === 'pipelineJson' ? value : value.trim();
  }
  values.mode = values.mode === 'pipeline' ? 'pipeline' : 'quick';
  // An unticked checkbox sends nothing.
  values.incrementalCheckpoints = values.incrementalCheckpoints === 'true' ? 'true' : 'false';
  return values;
}

export type FormError = { field: string; path: string; message: string };

/**
 * How a field's text becomes a JobSpec value — an amount, a fraction, a memory size, a duration in
 * seconds or minutes ("90s", "2m") — and what a field says when its text is not one.
 */
const READERS = {
  amount: { read: parseAmount, problem: notANumber },
  fraction: { read: parseFraction, problem: notANumber },
  memory: {
    read: parseMemory,
    problem: (label: string) => `${label} must be a size such as 8g, 8Gi or 4096m`,
  },
  seconds: {
    read: (text: string) => parseDuration(text, 's'),
    problem: (label: string) => `${label} must be a duration in seconds, for example ${DURATION_EXAMPLES.s}`,
  },
  minutes: {
    read: (text: string) => parseDuration(text, 'min'),
    problem: (label: string) =>
      `${label} must be a duration in minutes, for example ${DURATION_EXAMPLES.min}`,
  },
} satisfies Record<
  string,
  { read: (text: string) => unknown; problem: (label: string, field: string) => string }
>;

/** A field read by one of READERS, or kept as the text it is. */
type Reader = keyof typeof READERS | 'text';

/**
 * Sets `target[key]` from a field as people type it ("50k", "70%", "8Gi"). A blank field is left
 * out, so the schema's default applies; text that is not a number is reported in words.
 */
function setIf(
  target: Record<string, unknown>,
  key: string,
  value: string,
  errors: FormError[],
  field: string,
  path: string,
  reader: Reader = 'amount',
): void {
  if (value === '') return;
  if (reader === 'text') {
    target[key] = value;
    return;
  }
  const parsed = READERS[reader].read(value);
  if (parsed === undefined) {
    errors.push({ field, path, message: READERS[reader].problem(FIELD_LABELS[field] ?? field, field) });
    return;
  }
  target[key] = parsed;
}

/** What a blank field of the quick form means: the value the form starts with. */
const QUICK_DEFAULTS: Partial<Record<(typeof QUICK_FIELDS)[number], string>> = (() => {
  const { sources, operators, sinks, recordsPerSecond, avgRecordBytes } = defaultFormValues();
  return { sources, operators, sinks, recordsPerSecond, avgRecordBytes };
})();

export interface FormParse {
  /** The JobSpec input to validate, or undefined when the pipeline JSON could not be read. */
  input?: Record<string, unknown>;
  /** Errors found before validation (the pipeline JSON's syntax, text that is not a number), by field id. */
  errors: FormError[];
}

export function specInputFromForm(values: EstimateFormValues): FormParse {
  const input: Record<string, unknown> = { flinkVersion: values.flinkVersion || '1.20' };
  const errors: FormError[] = [];
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
    for (const key of QUICK_FIELDS) {
      const value = values[key] === '' ? (QUICK_DEFAULTS[key] ?? '') : values[key];
      setIf(workload, key, value, errors, key, `workload.${key}`, key === 'complexity' ? 'text' : 'amount');
    }
    input.workload = workload;
  }
  const state: Record<string, unknown> = {};
  setIf(state, 'backend', values.stateBackend, errors, 'stateBackend', 'state.backend', 'text');
  setIf(
    state,
    'checkpointIntervalSeconds',
    values.checkpointIntervalSeconds,
    errors,
    'checkpointIntervalSeconds',
    'state.checkpointIntervalSeconds',
    'seconds',
  );
  state.incrementalCheckpoints = values.incrementalCheckpoints === 'true';
  input.state = state;
  const cluster: Record<string, unknown> = {};
  setIf(cluster, 'taskManagerCpu', values.taskManagerCpu, errors, 'taskManagerCpu', 'cluster.taskManagerCpu');
  setIf(
    cluster,
    'taskManagerMemory',
    values.taskManagerMemory,
    errors,
    'taskManagerMemory',
    'cluster.taskManagerMemory',
    'memory',
  );
  setIf(
    cluster,
    'slotsPerTaskManager',
    values.slotsPerTaskManager,
    errors,
    'slotsPerTaskManager',
    'cluster.slotsPerTaskManager',
  );
  setIf(cluster, 'maxParallelism', values.maxParallelism, errors, 'maxParallelism', 'cluster.maxParallelism');
  input.cluster = cluster;
  const targets: Record<string, unknown> = {};
  setIf(targets, 'utilization', values.utilization, errors, 'utilization', 'targets.utilization', 'fraction');
  setIf(
    targets,
    'catchUpMinutes',
    values.catchUpMinutes,
    errors,
    'catchUpMinutes',
    'targets.catchUpMinutes',
    'minutes',
  );
  setIf(
    targets,
    'restartSeconds',
    values.restartSeconds,
    errors,
    'restartSeconds',
    'targets.restartSeconds',
    'seconds',
  );
  input.targets = targets;
  mergeRest(input, values.rest);
  return errors.length > 0 ? { errors } : { input, errors };
}

/** The spec's settings the form shows a field for; everything else travels in the hidden `rest`. */
const SHOWN_SETTINGS: Record<string, readonly string[]> = {
  state: ['backend', 'checkpointIntervalSeconds', 'incrementalCheckpoints'],
  cluster: ['taskManagerCpu', 'taskManagerMemory', 'slotsPerTaskManager', 'maxParallelism'],
  targets: ['utilization', 'catchUpMinutes', 'restartSeconds'],
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * What a spec sets that the form has no field for (`api`, the state TTL from `SET
 * table.exec.state.ttl`, a node shape…), as JSON for a hidden field, so a spec filled into the
 * form — from intake, a preset or "Edit inputs" — estimates the same when it is submitted.
 */
function restOf(spec: Record<string, unknown>): string {
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(spec)) {
    if (key === 'flinkVersion' || key === 'pipeline' || key === 'workload' || value === undefined) continue;
    const shown = SHOWN_SETTINGS[key];
    if (!shown) rest[key] = value;
    else if (isObject(value)) {
      const inner = Object.entries(value).filter(([k]) => !shown.includes(k));
      if (inner.length > 0) rest[key] = Object.fromEntries(inner);
    }
  }
  return Object.keys(rest).length > 0 ? JSON.stringify(rest) : '';
}

/** Puts the hidden `rest` back under what the form's fields say (a field always wins). */
function mergeRest(input: Record<string, unknown>, text: string): void {
  if (text === '') return;
  let rest: unknown;
  try {
    rest = JSON.parse(text);
  } catch {
    return; // only this form writes the field; a damaged copy is dropped, the fields still count
  }
  if (!isObject(rest)) return;
  for (const [key, value] of Object.entries(rest)) {
    if (key === 'pipeline' || key === 'workload' || key === 'flinkVersion') continue;
    const current = input[key];
    input[key] = isObject(current) && isObject(value) ? { ...value, ...current } : (current ?? value);
  }
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
  values.rest = restOf(spec);
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
    const field = fieldForPath(path, mode);
    // In the pipeline JSON the path names the place ("pipeline.operators.2.kind"); elsewhere the label does.
    const label = field === 'pipelineJson' ? 'This value' : (FIELD_LABELS[field] ?? field);
    return { field, path, message: plainMessage(issue, label, field) };
  });
}

export type FormReading =
  | { ok: true; input: Record<string, unknown>; spec: JobSpec }
  | { ok: false; errors: FormError[] };

/**
 * The form's values as a JobSpec, by the page's rules, or the errors a submit shows beside the
 * fields. The submit, the mode switch and the live preview (in the browser) all read a form here.
 */
export function readSpec(values: EstimateFormValues): FormReading {
  const parsed = specInputFromForm(values);
  if (!parsed.input) return { ok: false, errors: parsed.errors };
  const result = JobSpecSchema.safeParse(parsed.input);
  if (!result.success) {
    return {
      ok: false,
      errors: errorsFromIssues(result.error.issues, values.mode === 'pipeline' ? 'pipeline' : 'quick'),
    };
  }
  return { ok: true, input: parsed.input, spec: result.data };
}

/** An error as its field shows it: one inside the pipeline JSON says where in it. */
export const errorText = (e: FormError) =>
  e.field === 'pipelineJson' && e.path && e.path !== 'pipeline' ? `${e.path}: ${e.message}` : e.message;

/** What each field shows beside it: the texts of its errors, in order. */
export function fieldMessages(errors: readonly FormError[]): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const e of errors) {
    const text = errorText(e);
    messages[e.field] = messages[e.field] ? `${messages[e.field]} ${text}` : text;
  }
  return messages;
}

/** Problems inside the pipeline, by JSON path (`pipeline.operators.1.inputs.0`), for the rows editor. */
export const pipelineErrors = (errors: readonly FormError[]) =>
  errors.filter((e) => e.path.startsWith('pipeline.')).map(({ path, message }) => ({ path, message }));
