/**
 * The pipeline as a graph: one place for its rules (unique ids, known inputs, no cycles, every
 * node reached from a source and read by something) and for its topological order. The schema
 * reports the rules' problems with JSON paths; the estimator sorts a validated pipeline.
 */

export type NodeGroup = 'sources' | 'operators' | 'sinks';

export interface GraphNode {
  id: string;
  group: NodeGroup;
  /** Position within its group (`pipeline.operators.<index>`). */
  index: number;
  inputs: readonly string[];
}

export interface GraphProblem {
  node: GraphNode;
  /** Path below the node: `[]`, `['id']`, `['inputs']` or `['inputs', i]`. */
  path: (string | number)[];
  message: string;
}

/** Every problem of the graph, in document order within each rule. */
export function graphProblems(nodes: readonly GraphNode[]): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const where = (n: GraphNode) => `${n.group}.${n.index}`;
  const byId = new Map<string, GraphNode>();
  for (const node of nodes) {
    const first = byId.get(node.id);
    if (first) {
      problems.push({
        node,
        path: ['id'],
        message: `Duplicate id "${node.id}": already used by pipeline.${where(first)}`,
      });
    } else {
      byId.set(node.id, node);
    }
  }

  // Unknown and repeated inputs; sinks are never inputs. A node with an input that names nothing
  // readable is "broken": the rules below do not blame the rest of the graph for that one typo.
  const consumed = new Set<string>();
  const broken: GraphNode[] = [];
  for (const node of nodes) {
    const seen = new Set<string>();
    node.inputs.forEach((input, i) => {
      const upstream = byId.get(input);
      const at = (message: string) => problems.push({ node, path: ['inputs', i], message });
      if (!upstream || upstream.group === 'sinks') {
        if (broken.at(-1) !== node) broken.push(node);
      }
      if (!upstream) at(`Unknown input "${input}": no source or operator has this id`);
      else if (upstream.group === 'sinks') at(`Input "${input}" is a sink; sinks have no output to read`);
      else if (seen.has(input)) at(`Input "${input}" is listed twice`);
      else consumed.add(input);
      seen.add(input);
    });
  }

  const onCycle = cycleProblems(nodes, byId, problems);

  // Reachability from sources, following edges downstream.
  const downstream = new Map<string, string[]>();
  for (const node of nodes) {
    for (const input of node.inputs) {
      if (!byId.has(input)) continue;
      const list = downstream.get(input);
      if (list) list.push(node.id);
      else downstream.set(input, [node.id]);
    }
  }
  /** Every id reached from `start` following edges downstream, `start` included. */
  const walk = (start: readonly string[]): Set<string> => {
    const queue = [...start];
    const reached = new Set<string>(queue);
    // for…of sees the ids pushed while it runs: a breadth-first walk.
    for (const id of queue) {
      for (const next of downstream.get(id) ?? []) {
        if (!reached.has(next)) {
          reached.add(next);
          queue.push(next);
        }
      }
    }
    return reached;
  };
  // A broken node counts as reached: its mistyped input is already reported at its path, and
  // what lies below it would be reached once that input is corrected.
  const reached = walk([
    ...nodes.filter((n) => n.group === 'sources').map((n) => n.id),
    ...broken.map((n) => n.id),
  ]);
  // An output that goes nowhere may be the one a mistyped input meant to name: any node that is
  // not the broken node itself or below it (naming those would make a cycle).
  const belowBroken = broken.map((n) => walk([n.id]));
  const mayBeMeant = (id: string) => belowBroken.some((below) => !below.has(id));
  for (const node of nodes) {
    if (byId.get(node.id) !== node) continue;
    if (!reached.has(node.id) && !onCycle.has(node.id)) {
      problems.push({
        node,
        path: [],
        message: `"${node.id}" is not reachable from any source: every path into it passes through a cycle`,
      });
    }
    if (node.group !== 'sinks' && !consumed.has(node.id) && !mayBeMeant(node.id)) {
      problems.push({
        node,
        path: [],
        message: `The output of "${node.id}" goes nowhere: no operator or sink lists it in its inputs`,
      });
    }
  }
  return problems;
}

/**
 * Cycles among operators (sources have no inputs and sinks are never inputs, so only operators
 * can be on one). Depth-first search in document order; each cycle is reported once, at its
 * first node in document order. Returns the ids of the nodes on a reported cycle.
 */
function cycleProblems(
  nodes: readonly GraphNode[],
  byId: ReadonlyMap<string, GraphNode>,
  problems: GraphProblem[],
): Set<string> {
  const state = new Map<string, 'visiting' | 'done'>();
  const reported = new Set<string>();
  const stack: string[] = [];
  const report = (cycle: string[]) => {
    const members = cycle.flatMap((id) => byId.get(id) ?? []).sort((a, b) => a.index - b.index);
    const head = members[0];
    if (head === undefined) return;
    for (const id of cycle) reported.add(id);
    // Print the cycle in data-flow order starting at its first node in the document.
    const flow = [...cycle].reverse();
    const start = flow.indexOf(head.id);
    const ordered = [...flow.slice(start), ...flow.slice(0, start), head.id];
    problems.push({
      node: head,
      path: ['inputs'],
      message: `Cycle: ${ordered.map((id) => `"${id}"`).join(' → ')}. A pipeline must be a DAG`,
    });
  };
  const visit = (node: GraphNode): void => {
    state.set(node.id, 'visiting');
    stack.push(node.id);
    for (const input of node.inputs) {
      const upstream = byId.get(input);
      if (upstream?.group !== 'operators') continue;
      const s = state.get(input);
      if (s === 'visiting') {
        const cycle = stack.slice(stack.indexOf(input));
        if (!cycle.some((id) => reported.has(id))) report(cycle);
      } else if (s === undefined) {
        visit(upstream);
      }
    }
    stack.pop();
    state.set(node.id, 'done');
  };
  for (const node of nodes) {
    if (node.group === 'operators' && byId.get(node.id) === node && !state.has(node.id)) visit(node);
  }
  return reported;
}

export interface SortedGraph<T> {
  /** The nodes, every node after all its inputs; ties in the given order. */
  nodes: T[];
  /** Upstream positions (in `nodes`) of each node, in the order of its `inputs`. */
  producers: number[][];
  /** Downstream positions (in `nodes`) of each node, ascending. */
  consumers: number[][];
}

interface Vertex<T> {
  node: T;
  given: number;
  indegree: number;
  upstream: Vertex<T>[];
  downstream: Vertex<T>[];
  position: number;
}

/**
 * Kahn's algorithm; among ready nodes the earliest in the given order goes first, so the order
 * is deterministic. Throws on an unknown input or a cycle: the graph must have been validated.
 */
export function sortGraph<T extends { id: string; inputs: readonly string[] }>(
  nodes: readonly T[],
): SortedGraph<T> {
  const vertices: Vertex<T>[] = nodes.map((node, given) => ({
    node,
    given,
    indegree: node.inputs.length,
    upstream: [],
    downstream: [],
    position: -1,
  }));
  const byId = new Map<string, Vertex<T>>();
  for (const v of vertices) byId.set(v.node.id, v);
  for (const v of vertices) {
    for (const input of v.node.inputs) {
      const from = byId.get(input);
      if (from === undefined) {
        throw new Error(`Unknown input "${input}" of "${v.node.id}" (the spec was not validated)`);
      }
      v.upstream.push(from);
      from.downstream.push(v);
    }
  }
  // Ready vertices, kept sorted with the earliest last so that pop() takes it.
  const ready = vertices.filter((v) => v.indegree === 0).reverse();
  const order: Vertex<T>[] = [];
  for (let v = ready.pop(); v !== undefined; v = ready.pop()) {
    v.position = order.length;
    order.push(v);
    for (const next of v.downstream) {
      next.indegree -= 1;
      if (next.indegree === 0) {
        let at = ready.length;
        while (at > 0 && (ready[at - 1]?.given ?? 0) < next.given) at--;
        ready.splice(at, 0, next);
      }
    }
  }
  if (order.length !== nodes.length) throw new Error('The pipeline has a cycle (the spec was not validated)');
  const producers = order.map((v) => v.upstream.map((u) => u.position));
  const consumers: number[][] = order.map((v) => v.downstream.map((d) => d.position).sort((a, b) => a - b));
  return { nodes: order.map((v) => v.node), producers, consumers };
}
