import { KEYED_KINDS } from '../jobspec/fields.js';
import type { OperatorKind } from '../jobspec/index.js';
import { STARTING_VALUES } from '../jobspec/starting-values.js';
import type { DraftPipeline, IntakeDraft, IntakeNote, IntakeQuestion } from './types.js';

/**
 * Builds a pipeline draft node by node. What SQL or a plan cannot say — rates, record sizes, key
 * counts, partitions, lookup latency — gets the values the estimate form starts from
 * (jobspec/starting-values.ts), and each such value is listed as a question with its JobSpec
 * path, so the draft estimates as it is and the user sees exactly what was assumed.
 */

export const ASSUMED = {
  ...STARTING_VALUES,
  /** The operator schema's documented defaults for lookups (5 ms, no cache hits). */
  lookupLatencyMs: 5,
  cacheHitRatio: 0,
} as const;

type Json = Record<string, unknown>;

/** An id made of a table or view name: lower case, safe characters, at most 60 of them. */
export function nodeId(name: string): string {
  const id = name
    .replace(/`/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return id === '' ? 'node' : id;
}

export interface SourceInput {
  name: string;
  kind: string;
  format?: string | undefined;
  parallelism?: number | undefined;
  /** A rate the script states (datagen's rows-per-second); otherwise a question. */
  recordsPerSecond?: number | undefined;
  /** Why the kind is what it is, when it was not read from a connector option. */
  kindQuestion?: string | undefined;
  /** Kafka/Kinesis sources get a partitions question. */
  partitioned: boolean;
  /** What the source reads, for the questions ("topic bids"). */
  what: string;
}

export interface OperatorInput {
  kind: string;
  inputs: string[];
  name: string;
  /** Kind-specific fields already known (window, n, ttlSeconds, bounds…). */
  fields?: Json;
  /** How the keys are formed, for the key-count question ("GROUP BY auction"). */
  keyedBy?: string | undefined;
}

export class Draft {
  readonly pipeline: DraftPipeline = { sources: [], operators: [], sinks: [] };
  readonly questions: IntakeQuestion[] = [];
  readonly notes: IntakeNote[] = [];
  readonly state: Json = {};
  /** The spec's `sql` section (mini-batch, aggregation phases), when the input says. */
  sql: Json | undefined;
  private readonly ids = new Set<string>();

  private unique(base: string): string {
    let id = nodeId(base);
    for (let n = 2; this.ids.has(id); n++) id = `${nodeId(base)}-${n}`;
    this.ids.add(id);
    return id;
  }

  ask(path: string, message: string, assumed: unknown): void {
    this.questions.push({ path, message, assumed });
  }

  note(note: IntakeNote): void {
    this.notes.push(note);
  }

  source(input: SourceInput): { id: string; path: string } {
    const index = this.pipeline.sources.length;
    const id = this.unique(input.name);
    const path = `pipeline.sources.${index}`;
    const source: Json = { id, name: input.name, kind: input.kind };
    if (input.kindQuestion) this.ask(`${path}.kind`, input.kindQuestion, input.kind);
    if (input.recordsPerSecond !== undefined) {
      source.recordsPerSecond = input.recordsPerSecond;
    } else {
      source.recordsPerSecond = ASSUMED.recordsPerSecond;
      this.ask(
        `${path}.recordsPerSecond`,
        `Average records per second read from ${input.what}`,
        ASSUMED.recordsPerSecond,
      );
    }
    source.avgRecordBytes = ASSUMED.avgRecordBytes;
    this.ask(
      `${path}.avgRecordBytes`,
      `Average serialized record size of ${input.what}, in bytes`,
      ASSUMED.avgRecordBytes,
    );
    if (input.partitioned) {
      source.partitions = ASSUMED.partitions;
      this.ask(
        `${path}.partitions`,
        `Partitions (Kafka) or shards (Kinesis) of ${input.what}; source parallelism never exceeds it`,
        ASSUMED.partitions,
      );
    }
    if (input.format) source.format = input.format;
    if (input.parallelism) source.parallelism = input.parallelism;
    this.pipeline.sources.push(source);
    return { id, path };
  }

  operator(input: OperatorInput): { id: string; path: string } {
    const index = this.pipeline.operators.length;
    const id = this.unique(input.kind);
    const path = `pipeline.operators.${index}`;
    const op: Json = {
      id,
      name: input.name.slice(0, 200),
      kind: input.kind,
      inputs: [...new Set(input.inputs)],
    };
    Object.assign(op, input.fields ?? {});
    if (KEYED_KINDS.has(input.kind as OperatorKind)) {
      const keys = input.keyedBy ? ` (${input.keyedBy})` : '';
      if (op.distinctKeys === undefined) {
        op.distinctKeys = ASSUMED.distinctKeys;
        this.ask(
          `${path}.distinctKeys`,
          `Distinct keys "${input.name}" holds state for${keys}`,
          ASSUMED.distinctKeys,
        );
      }
      if (op.stateBytesPerKey === undefined) {
        op.stateBytesPerKey = ASSUMED.stateBytesPerKey;
        this.ask(
          `${path}.stateBytesPerKey`,
          `State bytes per key of "${input.name}"`,
          ASSUMED.stateBytesPerKey,
        );
      }
    }
    if (input.kind === 'lookup-join') {
      if (op.lookupLatencyMs === undefined) {
        op.lookupLatencyMs = ASSUMED.lookupLatencyMs;
        this.ask(
          `${path}.lookupLatencyMs`,
          `Latency of one lookup of "${input.name}", in ms`,
          ASSUMED.lookupLatencyMs,
        );
      }
    }
    this.pipeline.operators.push(op);
    return { id, path };
  }

  /** Appends a question on a lookup join's cache (asked only when the table has a cache). */
  askCacheHitRatio(path: string, message: string): void {
    const op = this.pipeline.operators[Number(path.split('.').at(-1))];
    if (op) op.cacheHitRatio = ASSUMED.cacheHitRatio;
    this.ask(`${path}.cacheHitRatio`, message, ASSUMED.cacheHitRatio);
  }

  sink(input: {
    name: string;
    kind: string;
    inputs: string[];
    format?: string | undefined;
    parallelism?: number | undefined;
    kindQuestion?: string | undefined;
  }): {
    id: string;
    path: string;
  } {
    const index = this.pipeline.sinks.length;
    // A table both read and written keeps its name for the source.
    const isSource = this.pipeline.sources.some((s) => s.id === nodeId(input.name));
    const id = this.unique(isSource ? `${input.name}-sink` : input.name);
    const path = `pipeline.sinks.${index}`;
    const sink: Json = { id, name: input.name, kind: input.kind, inputs: [...new Set(input.inputs)] };
    if (input.format) sink.format = input.format;
    if (input.parallelism) sink.parallelism = input.parallelism;
    if (input.kindQuestion) this.ask(`${path}.kind`, input.kindQuestion, input.kind);
    this.pipeline.sinks.push(sink);
    return { id, path };
  }

  /**
   * Nodes nothing reads (a view never inserted anywhere) would make the pipeline invalid: they are
   * dropped, with a note, together with the questions about them.
   */
  finish(flinkVersion?: string): IntakeDraft {
    // Keep what some sink reads, directly or through other nodes.
    const inputsOf = new Map<string, string[]>();
    for (const node of [...this.pipeline.operators, ...this.pipeline.sinks]) {
      inputsOf.set(String(node.id), node.inputs as string[]);
    }
    const kept = new Set<string>();
    const queue = this.pipeline.sinks.map((s) => String(s.id));
    while (queue.length > 0) {
      const id = queue.pop() as string;
      if (kept.has(id)) continue;
      kept.add(id);
      queue.push(...(inputsOf.get(id) ?? []));
    }
    const dropped = new Set(
      [...this.pipeline.sources, ...this.pipeline.operators]
        .map((n) => String(n.id))
        .filter((id) => !kept.has(id)),
    );
    const renumber = (group: 'sources' | 'operators' | 'sinks') => {
      const before = this.pipeline[group];
      const map = new Map<string, string>();
      const kept = before.filter((node, i) => {
        const keep = !dropped.has(String(node.id));
        if (keep) map.set(`pipeline.${group}.${i}`, `pipeline.${group}.${map.size}`);
        return keep;
      });
      return { kept, map };
    };
    const paths = new Map<string, string>();
    const groups = {
      sources: renumber('sources'),
      operators: renumber('operators'),
      sinks: renumber('sinks'),
    };
    for (const g of Object.values(groups)) for (const [a, b] of g.map) paths.set(a, b);
    const rewrite = (path: string): string | null => {
      const m = /^(pipeline\.(?:sources|operators|sinks)\.\d+)(.*)$/.exec(path);
      if (!m?.[1]) return path;
      const to = paths.get(m[1]);
      return to === undefined ? null : to + (m[2] ?? '');
    };
    const questions = this.questions.flatMap((q) => {
      const path = rewrite(q.path);
      return path === null ? [] : [{ ...q, path }];
    });
    const notes = this.notes.flatMap((n) => {
      if (n.path === undefined) return [n];
      const path = rewrite(n.path);
      return path === null ? [{ ...n, path: undefined }] : [{ ...n, path }];
    });
    if (dropped.size > 0) {
      notes.push({
        text: `Left out because nothing reads them (no INSERT INTO uses them): ${[...dropped].join(', ')}.`,
      });
    }
    const spec: IntakeDraft['spec'] = {
      flinkVersion: flinkVersion ?? '1.20',
      pipeline: { sources: groups.sources.kept, operators: groups.operators.kept, sinks: groups.sinks.kept },
    };
    if (Object.keys(this.state).length > 0) spec.state = { ...this.state };
    if (this.sql !== undefined) spec.sql = { ...this.sql };
    return { spec, questions, notes: notes.map(stripUndefined) };
  }
}

function stripUndefined(note: IntakeNote): IntakeNote {
  const out: IntakeNote = { text: note.text };
  if (note.line !== undefined) out.line = note.line;
  if (note.column !== undefined) out.column = note.column;
  if (note.construct !== undefined) out.construct = note.construct;
  if (note.path !== undefined) out.path = note.path;
  return out;
}
