/**
 * A Flink job graph (vertices of chained operators) → a JobSpec pipeline draft: one node per
 * chained operator, its kind read from the operator's name. SQL jobs name their operators after
 * the planner's ExecNodes ("[3]:GroupAggregate(groupBy=[k], …)", Flink's StreamExec* classes);
 * DataStream jobs after the user's functions ("Source: bids", "Window(TumblingEventTimeWindows…)",
 * "Sink: Writer"). What a name cannot tell is given the stated default and listed in `notes`.
 */
import type { OperatorKind, Pipeline, SinkKind, SourceKind } from '../jobspec/index.js';
import type { ObservedVertex } from './observation.js';

type Role = 'source' | 'operator' | 'sink';

export interface DraftNode {
  id: string;
  role: Role;
  name: string;
  vertexId: string;
  kind: SourceKind | SinkKind | OperatorKind;
  inputs: string[];
  extra: Record<string, unknown>;
  /** A node of the user's own spec (mapping.ts): its name is written only if the user gave one. */
  user?: true;
}

const SOURCE = /^(Source:|\[\d+\]:\s*TableSourceScan|TableSourceScan)/i;
const SINK = /^(Sink:|\[\d+\]:\s*Sink\b|Sink\(|.*\bSink$|.*: Committer$|.*: Writer$)/i;

function sourceKind(name: string): SourceKind {
  const n = name.toLowerCase();
  if (n.includes('kinesis')) return 'kinesis';
  if (n.includes('cdc')) return 'cdc';
  if (n.includes('file') || n.includes('parquet')) return 'filesystem';
  if (n.includes('datagen') || n.includes('generator') || n.includes('sequence')) return 'datagen';
  return 'kafka';
}

function sinkKind(name: string): SinkKind {
  const n = name.toLowerCase();
  if (n.includes('jdbc')) return 'jdbc';
  if (n.includes('elastic')) return 'elasticsearch';
  if (n.includes('iceberg')) return 'iceberg';
  if (n.includes('file') || n.includes('parquet')) return 'filesystem';
  if (n.includes('print') || n.includes('blackhole') || n.includes('discard')) return 'blackhole';
  return 'kafka';
}

/** Operator kind from its name; joins only where the vertex really has two inputs. */
function operatorKind(name: string, inputs: number): { kind: OperatorKind; extra: Record<string, unknown> } {
  const n = name.replace(/^\[\d+\]:\s*/, '');
  const two = inputs === 2;
  if (/^LookupJoin/i.test(n)) return { kind: 'lookup-join', extra: {} };
  if (two && /^TemporalJoin/i.test(n)) return { kind: 'temporal-join', extra: {} };
  if (two && /^IntervalJoin/i.test(n)) return { kind: 'interval-join', extra: { boundSeconds: 3600 } };
  if (two && /^WindowJoin/i.test(n))
    return { kind: 'window-join', extra: { window: { type: 'tumbling', sizeSeconds: 60 } } };
  if (two && /Join/i.test(n)) return { kind: 'regular-join', extra: {} };
  if (/Window/i.test(n) && /Aggregate|Window\(/i.test(n)) {
    const hop = /HOP|Sliding/i.test(n);
    const session = /SESSION/i.test(n);
    return {
      kind: 'window-aggregate',
      extra: {
        window: session
          ? { type: 'session', gapSeconds: 60 }
          : hop
            ? { type: 'hopping', sizeSeconds: 60, slideSeconds: 10 }
            : { type: 'tumbling', sizeSeconds: 60 },
      },
    };
  }
  if (/Aggregate|Reduce|KeyedProcess/i.test(n)) return { kind: 'aggregate', extra: {} };
  if (/Deduplicate|ChangelogNormalize/i.test(n)) return { kind: 'deduplicate', extra: {} };
  if (/Rank|TopN/i.test(n)) {
    const end = /rankEnd=(\d+)/.exec(n);
    return { kind: 'top-n', extra: { n: end ? Number(end[1]) : 10 } };
  }
  if (/FlatMap|Correlate|Expand/i.test(n)) return { kind: 'flatmap', extra: {} };
  if (/^Filter/i.test(n) || (/^Calc/i.test(n) && /where=/i.test(n))) return { kind: 'filter', extra: {} };
  if (/^(Calc|Map|Project|WatermarkAssigner|Timestamps|DropUpdateBefore|Union)/i.test(n))
    return { kind: 'map', extra: {} };
  return { kind: 'udf', extra: {} };
}

const slug = (s: string) =>
  s
    .replace(/^\[\d+\]:\s*/, '')
    .replace(/^(Source|Sink):\s*/i, '')
    .replace(/\(.*$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40) || 'node';

export interface Draft {
  nodes: DraftNode[];
  /** Nodes of each vertex, in chain order. */
  byVertex: Map<string, DraftNode[]>;
  notes: string[];
}

/** One node per chained operator, wired vertex to vertex in topological order. */
export function draftPipeline(ordered: readonly ObservedVertex[]): Draft {
  const nodes: DraftNode[] = [];
  const byVertex = new Map<string, DraftNode[]>();
  const used = new Set<string>();
  const notes: string[] = [];
  const unique = (base: string) => {
    let id = base;
    for (let i = 2; used.has(id); i++) id = `${base}-${i}`;
    used.add(id);
    return id;
  };
  /** The node whose output leaves a vertex (its last non-sink node, or the sink it ended in). */
  const tail = new Map<string, DraftNode>();
  for (const v of ordered) {
    const own: DraftNode[] = [];
    const upstream = v.inputs.map((i) => tail.get(i.id)).filter((n): n is DraftNode => n !== undefined);
    let previous: DraftNode[] = upstream;
    v.operators.forEach((line, index) => {
      const name = line.slice(0, 200);
      const isSource = v.inputs.length === 0 && index === 0;
      const prevNode = previous.length === 1 ? previous[0] : undefined;
      if (!isSource && SINK.test(line)) {
        // Writer → Committer (SinkV2) or a sink after a sink: one sink node.
        if (prevNode?.role === 'sink') return;
        const node: DraftNode = {
          id: unique(slug(line)),
          role: 'sink',
          name,
          vertexId: v.id,
          kind: sinkKind(line),
          inputs: previous.map((p) => p.id),
          extra: {},
        };
        own.push(node);
        previous = [node];
        return;
      }
      if (prevNode?.role === 'sink') return;
      if (isSource) {
        if (!SOURCE.test(line))
          notes.push(`${v.name}: "${name}" read as a source (the vertex has no inputs)`);
        const kind = sourceKind(line);
        if (kind === 'kafka' && !/kafka/i.test(line))
          notes.push(`${name}: connector not named; assumed kafka`);
        const node: DraftNode = {
          id: unique(slug(line)),
          role: 'source',
          name,
          vertexId: v.id,
          kind,
          inputs: [],
          extra: {},
        };
        own.push(node);
        previous = [node];
        return;
      }
      const { kind, extra } = operatorKind(line, previous.length);
      if (kind === 'window-aggregate' || kind === 'window-join' || kind === 'interval-join')
        notes.push(`${name}: window or bounds not in the plan; assumed ${JSON.stringify(extra)}`);
      const node: DraftNode = {
        id: unique(slug(line)),
        role: 'operator',
        name,
        vertexId: v.id,
        kind,
        inputs: previous.map((p) => p.id),
        extra,
      };
      own.push(node);
      previous = [node];
    });
    byVertex.set(v.id, own);
    nodes.push(...own);
    const last = own[own.length - 1] ?? upstream[0];
    if (last) tail.set(v.id, last);
  }
  // Every stream must end in a sink: a job graph whose last operator writes nowhere Flink can
  // see (print, a side effect in a function) gets a blackhole sink.
  const consumed = new Set(nodes.flatMap((n) => n.inputs));
  for (const n of [...nodes]) {
    if (n.role !== 'sink' && !consumed.has(n.id)) {
      const sink: DraftNode = {
        id: unique(`${n.id}-out`),
        role: 'sink',
        name: `(output of ${n.name.slice(0, 150)})`,
        vertexId: n.vertexId,
        kind: 'blackhole',
        inputs: [n.id],
        extra: {},
      };
      nodes.push(sink);
      byVertex.get(n.vertexId)?.push(sink);
      notes.push(`${n.name}: no sink in the plan; a blackhole sink ends it`);
    }
  }
  return { nodes, byVertex, notes };
}

/** The draft as a JobSpec pipeline, with the measured numbers each node was given. */
export function toPipeline(draft: Draft, fields: Map<string, Record<string, unknown>>): Pipeline {
  const pick = (role: Role) =>
    draft.nodes
      .filter((n) => n.role === role)
      .map((n) => ({
        id: n.id,
        ...(n.user ? {} : { name: n.name }),
        kind: n.kind,
        ...(n.vertexId !== '' ? { flinkVertexId: n.vertexId } : {}),
        ...(role === 'source' ? {} : { inputs: n.inputs }),
        ...n.extra,
        ...fields.get(n.id),
      }));
  return { sources: pick('source'), operators: pick('operator'), sinks: pick('sink') } as unknown as Pipeline;
}
