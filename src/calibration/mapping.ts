/**
 * A user's own pipeline mapped onto the running job's vertices, so the calibrated spec keeps the
 * user's nodes (ids, windows, keys, TTLs) and only takes the measurements from Flink.
 *
 * A node that names its vertex (`flinkVertexId`, e.g. from an earlier calibration or a plan) is
 * placed there. The others are matched to the operators read from the job graph (topology.ts) in
 * four passes: the same kind next to the vertex of the node's inputs (chained there or reading
 * from it), the same role there, the same kind anywhere, the same role anywhere (same id or name
 * first, then topological order). The role passes exist because a connector's kind and a
 * stateless function's are only guessed from names: any source for a source, sink for a sink,
 * stateless operator for a stateless one. What stays unmatched is reported, nodes and vertices.
 */
import { sortGraph } from '../jobspec/graph.js';
import {
  type JobSpec,
  type OperatorKind,
  type Pipeline,
  STATELESS_OPERATOR_KINDS,
} from '../jobspec/index.js';
import type { ObservedVertex } from './observation.js';
import type { Draft, DraftNode } from './topology.js';

export type MatchedBy = 'flinkVertexId' | 'kind' | 'role';

export interface SpecMapping {
  from: 'spec' | 'estimation';
  nodes: Array<{ id: string; role: DraftNode['role']; vertexId: string | null; matchedBy: MatchedBy | null }>;
  unmatchedNodes: string[];
  unmatchedVertices: Array<{ id: string; name: string }>;
}

type UserNode = {
  id: string;
  name?: string | undefined;
  kind: string;
  flinkVertexId?: string | undefined;
} & Record<string, unknown>;

const STATELESS: ReadonlySet<string> = new Set<OperatorKind>(STATELESS_OPERATOR_KINDS);

const slugOf = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

/** The user's nodes in topological order, each with its role and inputs. */
function userNodes(pipeline: Pipeline): Array<{ node: UserNode; role: DraftNode['role']; inputs: string[] }> {
  const all = [
    ...pipeline.sources.map((n) => ({
      node: n as UserNode,
      role: 'source' as const,
      inputs: [] as string[],
    })),
    ...pipeline.operators.map((n) => ({ node: n as UserNode, role: 'operator' as const, inputs: n.inputs })),
    ...pipeline.sinks.map((n) => ({ node: n as UserNode, role: 'sink' as const, inputs: n.inputs })),
  ];
  return sortGraph(all.map((n) => ({ ...n, id: n.node.id }))).nodes;
}

/**
 * Maps the user's pipeline onto the job graph read from Flink (`jobGraph`): a Draft of the user's
 * nodes, each on its vertex (or on none), for the calibrated spec to fill with measurements.
 */
export function mapSpec(
  spec: JobSpec,
  jobGraph: Draft,
  vertices: readonly ObservedVertex[],
  from: SpecMapping['from'],
): { draft: Draft; mapping: SpecMapping } {
  const pipeline = spec.pipeline as Pipeline;
  const ordered = userNodes(pipeline);
  const known = new Set(vertices.map((v) => v.id));
  const claimed = new Set<DraftNode>();
  const placed = new Map<string, { vertexId: string; by: MatchedBy }>();
  const notes: string[] = [];

  const inputsOf = new Map(vertices.map((v) => [v.id, v.inputs.map((i) => i.id)]));
  /**
   * Among unclaimed job-graph operators of the role that `accept` allows: the same id or name
   * first, then one where the node's placed inputs run (chained) or that reads from them, then
   * the first in topological order.
   */
  const claim = (
    user: UserNode,
    role: DraftNode['role'],
    inputs: readonly string[],
    accept: (d: DraftNode) => boolean,
    nearOnly = false,
  ) => {
    const candidates = jobGraph.nodes.filter((d) => !claimed.has(d) && d.role === role && accept(d));
    const upstream = new Set(inputs.flatMap((i) => placed.get(i)?.vertexId ?? []));
    const near = (d: DraftNode) =>
      upstream.has(d.vertexId) || (inputsOf.get(d.vertexId) ?? []).some((i) => upstream.has(i));
    const named = candidates.find(
      (d) => d.id === user.id || slugOf(d.name) === slugOf(user.name ?? user.id) || d.id === slugOf(user.id),
    );
    const chosen = nearOnly ? candidates.find(near) : (named ?? candidates.find(near) ?? candidates[0]);
    if (chosen) claimed.add(chosen);
    return chosen;
  };

  // 1. The vertex the node names; it claims the job-graph operator of that vertex most like it.
  for (const { node, role, inputs } of ordered) {
    const id = node.flinkVertexId;
    if (id === undefined) continue;
    if (!known.has(id)) {
      notes.push(`${node.id}: flinkVertexId ${id} is not a vertex of this job; matched by kind instead`);
      continue;
    }
    placed.set(node.id, { vertexId: id, by: 'flinkVertexId' });
    claim(node, role, inputs, (d) => d.vertexId === id && d.kind === node.kind) ??
      claim(node, role, inputs, (d) => d.vertexId === id);
  }
  // 2. Same role and kind, 3. same role (operators: stateless for stateless), each first among
  // the operators next to the node's inputs' vertices, then anywhere.
  const sameRole = (node: UserNode, role: DraftNode['role']) => (d: DraftNode) =>
    role !== 'operator' || (STATELESS.has(d.kind) && STATELESS.has(node.kind));
  const passes = [
    { by: 'kind', nearOnly: true },
    { by: 'role', nearOnly: true },
    { by: 'kind', nearOnly: false },
    { by: 'role', nearOnly: false },
  ] as const;
  for (const pass of passes) {
    for (const { node, role, inputs } of ordered) {
      if (placed.has(node.id)) continue;
      const accept = pass.by === 'kind' ? (d: DraftNode) => d.kind === node.kind : sameRole(node, role);
      const found = claim(node, role, inputs, accept, pass.nearOnly);
      if (found) placed.set(node.id, { vertexId: found.vertexId, by: pass.by });
    }
  }

  const draftNodes: DraftNode[] = ordered.map(({ node, role, inputs }) => {
    const { id, name, kind, flinkVertexId: _given, inputs: _inputs, ...extra } = node;
    return {
      id,
      role,
      name: name ?? id,
      vertexId: placed.get(id)?.vertexId ?? '',
      kind: kind as DraftNode['kind'],
      inputs,
      extra: { ...(name !== undefined ? { name } : {}), ...extra },
      user: true,
    };
  });
  const byVertex = new Map<string, DraftNode[]>();
  for (const n of draftNodes) {
    if (n.vertexId === '') continue;
    byVertex.set(n.vertexId, [...(byVertex.get(n.vertexId) ?? []), n]);
  }
  const unmatchedNodes = draftNodes.filter((n) => n.vertexId === '').map((n) => n.id);
  const unmatchedVertices = vertices
    .filter((v) => !byVertex.has(v.id))
    .map((v) => ({ id: v.id, name: v.name }));
  if (unmatchedNodes.length > 0)
    notes.push(`Not matched to any vertex, kept as given (not calibrated): ${unmatchedNodes.join(', ')}`);
  for (const v of unmatchedVertices)
    notes.push(
      `Vertex ${v.name} (${v.id}) has no node of the spec: its measurements are not in the calibrated spec`,
    );
  return {
    draft: { nodes: draftNodes, byVertex, notes },
    mapping: {
      from,
      nodes: draftNodes.map((n) => ({
        id: n.id,
        role: n.role,
        vertexId: n.vertexId === '' ? null : n.vertexId,
        matchedBy: placed.get(n.id)?.by ?? null,
      })),
      unmatchedNodes,
      unmatchedVertices,
    },
  };
}
