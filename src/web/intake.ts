/**
 * The "From SQL or a plan" tab's view of an intake answer: every assumed value beside the node it
 * belongs to, every interpretation beside the node it produced, and a parse error placed at its
 * line and column in the text the user pasted. Templates and public/js/intake.js only place these.
 */
import { z } from 'zod';
import { formatNumber } from '../format.js';
import type { IntakeNote, IntakeQuestion, IntakeSyntaxError } from '../intake/types.js';
import { MAX_SQL_CHARS } from '../schemas/intake.js';

/** What the user pasted, told apart by its first character: a plan is a JSON object, anything else SQL. */
export type Pasted = { sql: string } | { plan: unknown } | { error: string };

export function readPasted(text: string): Pasted {
  const trimmed = text.trim();
  if (trimmed === '') {
    return {
      error:
        'Paste a Flink SQL script (CREATE TABLE … and INSERT INTO …) or a plan Flink printed (EXPLAIN JSON_EXECUTION_PLAN, the REST /jobs/:id/plan or COMPILE PLAN).',
    };
  }
  if (text.length > MAX_SQL_CHARS) return { error: tooLongMessage(text.length) };
  if (!trimmed.startsWith('{')) return { sql: text };
  try {
    return { plan: JSON.parse(trimmed) };
  } catch (error) {
    return {
      error: `This looks like a plan (it starts with “{”) but is not valid JSON: ${(error as Error).message}. Paste the whole document Flink printed.`,
    };
  }
}

/** The input size limit, in words. */
export function tooLongMessage(length: number): string {
  return `The text is ${formatNumber(length)} characters long; at most ${formatNumber(MAX_SQL_CHARS)} are read. Paste the statements of one job, or the plan Flink prints for it (EXPLAIN JSON_EXECUTION_PLAN), which is shorter.`;
}

/** Labels of the fields intake asks about, as the editor's columns name them. */
const FIELD_LABELS: Record<string, string> = {
  recordsPerSecond: 'Records/s',
  avgRecordBytes: 'Record bytes',
  partitions: 'Partitions',
  distinctKeys: 'Keys',
  stateBytesPerKey: 'State/key',
  lookupLatencyMs: 'Lookup latency (ms)',
  cacheHitRatio: 'Cache hit ratio',
  kind: 'Kind',
  ttlSeconds: 'State TTL (s)',
  checkpointIntervalSeconds: 'Checkpoint interval (s)',
  backend: 'State backend',
};

const GROUPS = ['sources', 'operators', 'sinks'] as const;
type Group = (typeof GROUPS)[number];

const QuestionViewSchema = z.object({
  path: z.string(),
  /** The editor's group and row, and the field within the node; absent for job-wide settings. */
  group: z.enum(GROUPS).optional(),
  index: z.number().int().min(0).optional(),
  field: z.string(),
  label: z.string(),
  nodeId: z.string().optional(),
  /** The value as the editor's field holds it (to tell whether the user changed it). */
  assumed: z.string(),
  /** The same value as a person reads it: 1,000,000. */
  assumedText: z.string(),
  message: z.string(),
  /** The id of the element that shows it beside its node (or the list, for a job-wide setting). */
  anchor: z.string(),
});

const NodeViewSchema = z.object({
  group: z.enum(GROUPS),
  /** "source", "operator" or "sink". */
  role: z.string(),
  index: z.number().int().min(0),
  id: z.string(),
  kind: z.string(),
  anchor: z.string(),
  notes: z.array(z.string()),
  questions: z.array(QuestionViewSchema),
});

/**
 * The draft's questions and notes as the page places them. The estimate form carries it in a
 * hidden field (JSON), so a refused Estimate shows them again beside the user's own values.
 */
const IntakeViewSchema = z.object({
  questions: z.array(QuestionViewSchema),
  nodes: z.array(NodeViewSchema),
  /** Interpretations of the whole script (statement sets, SET, dropped nodes). */
  general: z.array(z.string()),
});

export type QuestionView = z.infer<typeof QuestionViewSchema>;
export type NodeView = z.infer<typeof NodeViewSchema>;
export type IntakeView = z.infer<typeof IntakeViewSchema>;

/** Longest carried view read back: a draft of a few hundred nodes. */
const MAX_VIEW_CHARS = 512 * 1024;

/** The view a form carried back (see IntakeViewSchema); undefined when absent or not one this page wrote. */
export function intakeViewFromField(text: string | undefined): IntakeView | undefined {
  if (!text || text.length > MAX_VIEW_CHARS) return undefined;
  try {
    const parsed = IntakeViewSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

type Node = { id?: unknown; kind?: unknown };
type Pipeline = Partial<Record<Group, Node[]>>;

const nodeAnchor = (group: Group, index: number) => `draft-${group}-${index}`;

/** `pipeline.sources.0.recordsPerSecond` → the sources group, row 0, field recordsPerSecond. */
function place(path: string): { group: Group; index: number; field: string } | undefined {
  const m = /^pipeline\.(sources|operators|sinks)\.(\d+)(?:\.(.+))?$/.exec(path);
  if (!m) return undefined;
  return { group: m[1] as Group, index: Number(m[2]), field: m[3] ?? '' };
}

const shown = (value: unknown) =>
  typeof value === 'number' ? String(value) : typeof value === 'string' ? value : JSON.stringify(value);

export function intakeView(
  answer: { questions: readonly IntakeQuestion[]; notes: readonly IntakeNote[] },
  pipeline: Pipeline,
): IntakeView {
  const nodes: NodeView[] = GROUPS.flatMap((group) =>
    (pipeline[group] ?? []).map((node, index) => ({
      group,
      role: group.slice(0, -1),
      index,
      id: String(node.id ?? ''),
      kind: String(node.kind ?? ''),
      anchor: nodeAnchor(group, index),
      notes: [],
      questions: [],
    })),
  );
  const nodeAt = (group: Group, index: number) => nodes.find((n) => n.group === group && n.index === index);
  const questions = answer.questions.map((q): QuestionView => {
    const at = place(q.path);
    const field = at?.field ?? q.path.split('.').at(-1) ?? q.path;
    const node = at ? nodeAt(at.group, at.index) : undefined;
    const view: QuestionView = {
      path: q.path,
      field,
      label: FIELD_LABELS[field] ?? field,
      assumed: shown(q.assumed),
      assumedText: typeof q.assumed === 'number' ? formatNumber(q.assumed) : shown(q.assumed),
      message: q.message,
      anchor: node ? node.anchor : 'intake-questions-title',
      ...(at && node ? { group: at.group, index: at.index, nodeId: node.id } : {}),
    };
    node?.questions.push(view);
    return view;
  });
  const general: string[] = [];
  for (const note of answer.notes) {
    const at = note.path ? place(note.path) : undefined;
    const node = at ? nodeAt(at.group, at.index) : undefined;
    if (node) node.notes.push(note.text);
    // The same reading of two statements (a window both INSERTs use) is said once.
    else if (!general.includes(note.text)) general.push(note.text);
  }
  return { questions, nodes, general };
}

export interface ParseErrorView {
  line: number;
  column: number;
  construct: string;
  message: string;
  /** The line as pasted, and a caret under the column, for a monospaced block. */
  excerpt: string;
}

/** Each parse error with the line it is on, so the page can show where in the text it is. */
export function parseErrorsView(errors: readonly IntakeSyntaxError[], script: string): ParseErrorView[] {
  const lines = script.split(/\r\n|\r|\n/);
  return errors.map((e) => {
    const text = (lines[e.line - 1] ?? '').replace(/\t/g, ' ');
    const gutter = `${e.line} | `;
    // A long line is cut to 60 characters either side of the column, so the caret stays in view.
    const from = Math.max(0, e.column - 1 - 60);
    const to = e.column + 60;
    const cut = `${from > 0 ? '…' : ''}${text.slice(from, to)}${text.length > to ? '…' : ''}`;
    const caretAt = e.column - 1 - from + (from > 0 ? 1 : 0);
    return {
      line: e.line,
      column: e.column,
      construct: e.construct,
      message: e.message,
      excerpt: `${gutter}${cut}\n${' '.repeat(gutter.length + Math.max(0, caretAt))}^`,
    };
  });
}
