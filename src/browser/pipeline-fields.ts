/**
 * The pipeline editor's fields for each node kind (public/js/estimate.js builds the rows from
 * them): which fields a kind takes — the pipeline schema's own list (jobspec/nodes.ts,
 * OPERATOR_FIELDS) — with a label, and how a typed value is read, in the page forms' forgiving
 * formats (web/forms/amounts.ts: 50k, 1.2M, 70%, 90s, 2m). Bundled with the live preview
 * (public/js/build/live-estimate.js), which puts it on `window.pipelineFields`.
 */

import { RECORD_FORMATS, WINDOW_TYPES } from '../jobspec/fields.js';
import { OPERATOR_FIELDS } from '../jobspec/nodes.js';
import { DURATION_EXAMPLES, parseAmount, parseDuration, parseFraction } from '../web/forms/amounts.js';

/**
 * How a field is edited: a number ("50k"), a share ("70%"), a duration in seconds or milliseconds
 * ("90s", "2m", "1h"), a yes/no box, or one of a list.
 */
export type FieldType = 'amount' | 'fraction' | 'seconds' | 'milliseconds' | 'boolean' | readonly string[];

export interface KindField {
  /** The node's key; `window.sizeSeconds` is a key of the node's window. */
  key: string;
  label: string;
  type: FieldType;
  /** Window fields shown only for these window types. */
  windowTypes?: readonly string[];
}

const WINDOW_FIELDS: readonly KindField[] = [
  { key: 'window.type', label: 'Window', type: WINDOW_TYPES },
  {
    key: 'window.sizeSeconds',
    label: 'Window size (s)',
    type: 'seconds',
    windowTypes: ['tumbling', 'hopping', 'cumulate'],
  },
  { key: 'window.slideSeconds', label: 'Slide (s)', type: 'seconds', windowTypes: ['hopping'] },
  { key: 'window.stepSeconds', label: 'Step (s)', type: 'seconds', windowTypes: ['cumulate'] },
  { key: 'window.gapSeconds', label: 'Session gap (s)', type: 'seconds', windowTypes: ['session'] },
  { key: 'window.time', label: 'Time', type: ['event', 'processing'] },
  { key: 'window.allowedLatenessSeconds', label: 'Allowed lateness (s)', type: 'seconds' },
];

/** Every operator field the schema knows, in the order the editor shows them. */
const OPERATOR_FIELD_DEFS: Record<string, KindField | readonly KindField[]> = {
  window: WINDOW_FIELDS,
  distinctKeys: { key: 'distinctKeys', label: 'Distinct keys', type: 'amount' },
  stateBytesPerKey: { key: 'stateBytesPerKey', label: 'State bytes per key', type: 'amount' },
  hotKeyShare: { key: 'hotKeyShare', label: 'Hot-key share', type: 'fraction' },
  distinctAggregates: { key: 'distinctAggregates', label: 'DISTINCT aggregates', type: 'amount' },
  ttlSeconds: { key: 'ttlSeconds', label: 'State TTL (s)', type: 'seconds' },
  leftTtlSeconds: { key: 'leftTtlSeconds', label: 'Left TTL (s)', type: 'seconds' },
  rightTtlSeconds: { key: 'rightTtlSeconds', label: 'Right TTL (s)', type: 'seconds' },
  boundSeconds: { key: 'boundSeconds', label: 'Bound ± (s)', type: 'seconds' },
  lowerBoundSeconds: { key: 'lowerBoundSeconds', label: 'Lower bound (s)', type: 'seconds' },
  upperBoundSeconds: { key: 'upperBoundSeconds', label: 'Upper bound (s)', type: 'seconds' },
  lookupLatencyMs: { key: 'lookupLatencyMs', label: 'Lookup latency (ms)', type: 'milliseconds' },
  cacheHitRatio: { key: 'cacheHitRatio', label: 'Cache hit ratio', type: 'fraction' },
  async: { key: 'async', label: 'Async lookup', type: 'boolean' },
  asyncCapacity: { key: 'asyncCapacity', label: 'Async capacity', type: 'amount' },
  n: { key: 'n', label: 'Top n', type: 'amount' },
  costFactor: { key: 'costFactor', label: 'Cost factor', type: 'amount' },
};

const FORMAT: KindField = { key: 'format', label: 'Format', type: RECORD_FORMATS };
const PARALLELISM: KindField = { key: 'parallelism', label: 'Parallelism', type: 'amount' };

/** The fields a node of this group and kind takes, beyond the table's columns. */
export function kindFields(group: string, kind: string): KindField[] {
  if (group === 'sources')
    return [{ key: 'peakFactor', label: 'Peak factor', type: 'amount' }, FORMAT, PARALLELISM];
  if (group === 'sinks') return [FORMAT, PARALLELISM];
  const own = (OPERATOR_FIELDS as Record<string, readonly string[] | undefined>)[kind] ?? [];
  return [
    ...own.flatMap((key) => OPERATOR_FIELD_DEFS[key] ?? []),
    { key: 'outputRecordBytes', label: 'Output record bytes', type: 'amount' },
    PARALLELISM,
  ];
}

/** A typed value as the pipeline's JSON holds it, or the words saying why it is not one. */
export function readField(field: KindField, raw: string): { value: unknown } | { message: string } {
  const text = raw.trim();
  if (text === '') return { value: undefined };
  if (field.type === 'amount') {
    const value = parseAmount(text);
    return value === undefined
      ? { message: `${field.label} must be a number, for example 60 or 50k.` }
      : { value };
  }
  if (field.type === 'seconds' || field.type === 'milliseconds') {
    const unit = field.type === 'seconds' ? 's' : 'ms';
    const value = parseDuration(text, unit);
    return value === undefined
      ? { message: `${field.label} must be a duration, for example ${DURATION_EXAMPLES[unit]}.` }
      : { value };
  }
  if (field.type === 'fraction') {
    const value = parseFraction(text);
    return value === undefined
      ? { message: `${field.label} must be a share, for example 0.7 or 70%.` }
      : { value };
  }
  return { value: text };
}

export const pipelineFields = { kindFields, readField };
