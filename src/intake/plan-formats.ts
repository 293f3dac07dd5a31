/**
 * Flink's three JSON plan formats, read into one list of operators with their inputs:
 *
 * - the stream graph (`StreamExecutionEnvironment#getExecutionPlan`, the "Physical Execution Plan"
 *   of `EXPLAIN JSON_EXECUTION_PLAN`; written by flink-streaming-java's `JSONGenerator`):
 *   `{ nodes: [{ id, type, pact, contents, parallelism, predecessors: [{ id, ship_strategy }] }] }`;
 * - the job graph (REST `GET /jobs/:id/plan` → `{ plan }`, also `plan` inside `GET /jobs/:id`;
 *   written by `JsonPlanGenerator`): `{ jid, name, nodes: [{ id, parallelism, description,
 *   inputs: [{ id, ship_strategy }] }] }`, where each node is a job vertex, an operator chain whose
 *   description lists its operators (`<br/>`-separated, `+- ` indented, HTML-escaped);
 * - the compiled plan (`COMPILE PLAN`, `TableEnvironment#compilePlanSql`): `{ flinkVersion,
 *   nodes: [{ id, type: "stream-exec-…_N", … }], edges: [{ source, target, shuffle: { type } }] }`.
 * - EXPLAIN's text output, pasted whole: its JSON sections are the formats above; without them
 *   its optimized plan tree is read (explainText).
 */

import { EXPLAIN_SECTION, isExplainOutput } from '../schemas/intake.js';

export interface PlanOperator {
  key: string;
  /** Flink's physical operator name: `GroupAggregate`, `TableSourceScan`, `Sink`, `Calc`, … */
  op: string;
  /** The text after the name (the description's arguments), or the compiled node itself. */
  args: string;
  compiled?: Record<string, unknown>;
  parallelism?: number;
  vertexId?: string;
  inputs: Array<{ key: string; strategy: string }>;
}

export type PlanFormat = 'stream-graph' | 'job-graph' | 'compiled-plan' | 'explain-tree';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const int = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined);

const ENTITIES: Record<string, string> = {
  '&lt;': '<',
  '&gt;': '>',
  '&amp;': '&',
  '&quot;': '"',
  '&#39;': "'",
  '&apos;': "'",
};
/** Flink's JsonPlanGenerator escapes node descriptions (escapeHtml4); this undoes what it writes. */
export const unescapeHtml = (text: string) =>
  text.replace(/&(?:lt|gt|amp|quot|apos|#39);/g, (e) => ENTITIES[e] ?? e);

/** `[27]:GroupAggregate(groupBy=[word], …)` → { op: 'GroupAggregate', args: 'groupBy=[word], …' }. */
export function splitOperator(line: string): { op: string; args: string } {
  const text = line
    .replace(/^[\s|:+-]*/, '')
    .replace(/^\[[^\]]*\]:\s*/, '')
    .trim();
  if (/^(Source|Sink)\s*:/i.test(text)) {
    const m = /^(Source|Sink)\s*:\s*(.*)$/i.exec(text);
    return { op: `${m?.[1] ?? 'Source'}:`, args: m?.[2] ?? '' };
  }
  const m = /^([A-Za-z][\w ]*?)\s*(?:\((.*)\))?\s*(?:\[\d*\])?$/s.exec(text);
  if (m?.[1]) return { op: m[1].trim(), args: m[2] ?? '' };
  const open = text.indexOf('(');
  return open > 0
    ? { op: text.slice(0, open).trim(), args: text.slice(open + 1, text.lastIndexOf(')')) }
    : { op: text, args: '' };
}

const kebabToPascal = (type: string) =>
  type
    .replace(/^stream-exec-/, '')
    .replace(/_\d+$/, '')
    .split('-')
    .map((w) => (w ? (w[0] ?? '').toUpperCase() + w.slice(1) : ''))
    .join('');

/** EXPLAIN's text output cut into its sections, by header ("Optimized Execution Plan" → its lines). */
function explainSections(text: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.split(/\r\n|\r|\n/)) {
    const header = EXPLAIN_SECTION.exec(line.trim());
    if (header?.[1]) {
      current = [];
      sections.set(header[1].toLowerCase(), current);
    } else current?.push(line);
  }
  return sections;
}

/**
 * EXPLAIN's text output. `EXPLAIN JSON_EXECUTION_PLAN` adds the stream graph as JSON ("Physical
 * Execution Plan") and, in newer releases, the job graph ("Job Execution Plan", with the vertex
 * ids metrics use); the most detailed one present is read. Plain `EXPLAIN` has only trees: the
 * "Optimized Execution Plan" (ExecNodes, the names the JSON plans use), else the "Optimized
 * Physical Plan", is read as a tree (Flink's RelTreeWriterImpl: three characters of indent per
 * level, `+- ` or `:- ` before a child, `(reuse_id=[n])` on a shared node and
 * `Reused(reference_id=[n])` where it is used again).
 */
function explainText(text: string): { format: PlanFormat; operators: PlanOperator[] } | { error: string } {
  const sections = explainSections(text);
  for (const name of ['job execution plan', 'physical execution plan']) {
    const json = sections.get(name)?.join('\n').trim();
    if (!json?.startsWith('{')) continue;
    try {
      return detectPlan(JSON.parse(json));
    } catch {
      return {
        error: `The "${name}" section of the EXPLAIN output is not valid JSON: paste the whole output Flink printed.`,
      };
    }
  }
  const tree = sections.get('optimized execution plan') ?? sections.get('optimized physical plan');
  if (!tree) {
    return {
      error:
        'This EXPLAIN output has no "Optimized Execution Plan" or "Optimized Physical Plan" section: paste the whole output Flink printed.',
    };
  }
  const operators: PlanOperator[] = [];
  const path: PlanOperator[] = [];
  const reused = new Map<string, string>();
  for (const line of tree) {
    if (line.trim() === '') continue;
    const indent = /^[\s:|+-]*/.exec(line)?.[0].length ?? 0;
    const depth = Math.floor(indent / 3);
    const body = line.slice(indent).trim();
    const parent = depth > 0 ? path[depth - 1] : undefined;
    path.length = depth;
    // An Exchange with hash distribution is the keyed edge into the operator above it.
    const strategy = (above: PlanOperator | undefined) =>
      above?.op === 'Exchange' ? (/distribution=\[(\w+)/.exec(above.args)?.[1] ?? '').toUpperCase() : '';
    const reference = /^Reused\(reference_id=\[(\d+)\]\)/.exec(body)?.[1];
    if (reference !== undefined) {
      const key = reused.get(reference);
      if (parent && key) parent.inputs.push({ key, strategy: strategy(parent) });
      continue;
    }
    const reuseId = /\(reuse_id=\[(\d+)\]\)\s*$/.exec(body)?.[1];
    const { op, args } = splitOperator(body.replace(/\(reuse_id=\[\d+\]\)\s*$/, ''));
    const node: PlanOperator = { key: `explain-${operators.length}`, op, args, inputs: [] };
    if (reuseId !== undefined) reused.set(reuseId, node.key);
    parent?.inputs.push({ key: node.key, strategy: strategy(parent) });
    operators.push(node);
    path[depth] = node;
  }
  return { format: 'explain-tree', operators };
}

export function detectPlan(
  document: unknown,
): { format: PlanFormat; operators: PlanOperator[] } | { error: string } {
  if (typeof document === 'string' && isExplainOutput(document)) return explainText(document);
  if (!isObject(document))
    return { error: 'A plan is a JSON object (Flink’s stream graph, job graph or compiled plan).' };
  // GET /jobs/:id carries the job graph under "plan"; GET /jobs/:id/plan wraps it in { plan }.
  const doc = isObject(document.plan) ? document.plan : document;
  const nodes = arr(doc.nodes).filter(isObject);
  if (nodes.length === 0)
    return { error: 'The plan has no "nodes": paste the whole JSON document Flink printed.' };
  if (Array.isArray(doc.edges) || nodes.some((n) => str(n.type).startsWith('stream-exec-'))) {
    return { format: 'compiled-plan', operators: compiled(nodes, arr(doc.edges).filter(isObject)) };
  }
  if (nodes.some((n) => 'pact' in n || 'predecessors' in n || 'contents' in n)) {
    return { format: 'stream-graph', operators: streamGraph(nodes) };
  }
  return { format: 'job-graph', operators: jobGraph(nodes) };
}

function streamGraph(nodes: Json[]): PlanOperator[] {
  return nodes.map((n, i) => {
    const contents = str(n.contents) || str(n.type);
    const { op, args } = splitOperator(contents);
    const pact = str(n.pact);
    const key = str(n.id) || `node-${i}`;
    return {
      key,
      op:
        pact === 'Data Source' && !/TableSourceScan/.test(op)
          ? 'Source:'
          : pact === 'Data Sink' && op !== 'Sink'
            ? 'Sink:'
            : op,
      args: op === 'Source:' || op === 'Sink:' ? args : args || splitOperator(str(n.type)).args,
      parallelism: int(n.parallelism),
      inputs: arr(n.predecessors)
        .filter(isObject)
        .map((p) => ({ key: str(p.id), strategy: str(p.ship_strategy).toUpperCase() })),
    };
  });
}

function jobGraph(nodes: Json[]): PlanOperator[] {
  const out: PlanOperator[] = [];
  const lastOf = new Map<string, string>();
  const chains = nodes.map((n, i) => {
    const vertexId = str(n.id) || `vertex-${i}`;
    const lines = unescapeHtml(str(n.description) || str(n.operator))
      .split(/<br\s*\/?>|\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    return { n, vertexId, lines: lines.length > 0 ? lines : [str(n.operator) || 'Operator'] };
  });
  for (const { vertexId, lines } of chains) lastOf.set(vertexId, `${vertexId}#${lines.length - 1}`);
  for (const { n, vertexId, lines } of chains) {
    lines.forEach((line, index) => {
      const { op, args } = splitOperator(line);
      out.push({
        key: `${vertexId}#${index}`,
        op,
        args,
        parallelism: int(n.parallelism),
        vertexId,
        inputs:
          index === 0
            ? arr(n.inputs)
                .filter(isObject)
                .map((input) => ({
                  key: lastOf.get(str(input.id)) ?? str(input.id),
                  strategy: str(input.ship_strategy).toUpperCase(),
                }))
            : [{ key: `${vertexId}#${index - 1}`, strategy: 'FORWARD' }],
      });
    });
  }
  return out;
}

function compiled(nodes: Json[], edges: Json[]): PlanOperator[] {
  const inputs = new Map<string, Array<{ key: string; strategy: string }>>();
  for (const e of edges) {
    const target = str(e.target);
    const shuffle = isObject(e.shuffle) ? str(e.shuffle.type).toUpperCase() : '';
    inputs.set(target, [...(inputs.get(target) ?? []), { key: str(e.source), strategy: shuffle }]);
  }
  return nodes.map((n) => {
    const key = str(n.id);
    const op = kebabToPascal(str(n.type));
    // An exchange's required distribution (HASH on keys) is the strategy of the edge after it.
    const distribution = arr(n.inputProperties)
      .filter(isObject)
      .map((p) =>
        isObject(p.requiredDistribution) ? str(p.requiredDistribution.type).toUpperCase() : '',
      )[0];
    return {
      key,
      op,
      args: str(n.description)
        .replace(/^[A-Za-z]+\(/, '')
        .replace(/\)$/, ''),
      compiled: n,
      inputs: (inputs.get(key) ?? []).map((i) =>
        op === 'Exchange' && distribution ? { ...i, strategy: distribution } : i,
      ),
    };
  });
}
