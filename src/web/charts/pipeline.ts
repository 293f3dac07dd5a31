/**
 * The pipeline as a diagram: nodes in layers from the sources down (a node sits one layer below
 * its deepest input), the nodes of one task (Flink operator chain) boxed together, keyed edges
 * (a hash shuffle) drawn dashed and labelled, and a node with a warning outlined and badged.
 * Every position is computed here, in SVG user units; the template only places them.
 */
import { formatCompact, formatNumber } from '../../format.js';
import type { Estimate } from '../../schemas/estimate.js';

const NODE_HEIGHT = 58;
const ROW_GAP = 46;
const COLUMN_GAP = 28;
const PAD = 14;
const MIN_NODE_WIDTH = 150;
/** Approximate advance of one character of the node's id at the diagram's 13px bold font. */
const CHAR_WIDTH = 8;

export interface DiagramNode {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Text lines: the id, then "kind · p=N", then "records/s in". */
  idX: number;
  idY: number;
  detail: string;
  detailY: number;
  rate: string;
  rateY: number;
  role: string;
  warnings: number;
  warningText: string;
  badgeX: number;
  badgeY: number;
}

export interface DiagramEdge {
  from: string;
  to: string;
  path: string;
  keyed: boolean;
  labelX: number;
  labelY: number;
}

export interface DiagramTask {
  head: string;
  members: string[];
  x: number;
  y: number;
  width: number;
  height: number;
  label: string;
  labelX: number;
  labelY: number;
}

export interface PipelineDiagram {
  width: number;
  height: number;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
  tasks: DiagramTask[];
  /** The text alternative: every node and where it sends records. */
  summary: string;
  keyedEdges: number;
}

/** The same for the 11px detail lines. */
const DETAIL_CHAR_WIDTH = 6.3;

const round = (n: number) => Math.round(n * 10) / 10;
const detailText = (n: Estimate['operators'][number]) => `${n.kind} · parallelism ${n.parallelism}`;

export function pipelineDiagram(estimate: Estimate): PipelineDiagram {
  const nodes = estimate.operators;
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  // Operators come in topological order, so every input's layer is known before the node's.
  const layer: number[] = [];
  nodes.forEach((n, i) => {
    const inputs = n.inputs.map((id) => layer[index.get(id) ?? -1] ?? -1);
    layer[i] = inputs.length === 0 ? 0 : Math.max(...inputs) + 1;
  });
  const layers: number[][] = [];
  nodes.forEach((_, i) => {
    const l = layer[i] ?? 0;
    layers[l] = [...(layers[l] ?? []), i];
  });
  // Columns: each node asks for the mean column of its inputs (so chains stay in a straight
  // line) and takes the nearest free one.
  const column: number[] = [];
  for (const members of layers) {
    const wanted = members.map((i) => {
      const inputs = (nodes[i]?.inputs ?? []).map((id) => column[index.get(id) ?? -1] ?? 0);
      return { i, want: inputs.length ? inputs.reduce((a, b) => a + b, 0) / inputs.length : 0 };
    });
    wanted.sort((a, b) => a.want - b.want);
    const taken = new Set<number>();
    for (const { i, want } of wanted) {
      let c = Math.max(0, Math.round(want));
      while (taken.has(c)) c++;
      taken.add(c);
      column[i] = c;
    }
  }
  const longestId = Math.max(...nodes.map((n) => n.id.length), 0);
  const longestDetail = Math.max(...nodes.map((n) => detailText(n).length), 0);
  const nodeWidth = Math.max(
    MIN_NODE_WIDTH,
    longestId * CHAR_WIDTH + 28,
    longestDetail * DETAIL_CHAR_WIDTH + 24,
  );
  const columns = Math.max(...column.map((c) => c + 1), 1);
  const warningsByNode = new Map<string, number>();
  for (const w of estimate.warnings) {
    if (w.operatorId) warningsByNode.set(w.operatorId, (warningsByNode.get(w.operatorId) ?? 0) + 1);
  }
  const place = (i: number) => ({
    x: PAD + (column[i] ?? 0) * (nodeWidth + COLUMN_GAP),
    y: PAD + (layer[i] ?? 0) * (NODE_HEIGHT + ROW_GAP),
  });
  const drawn: DiagramNode[] = nodes.map((n, i) => {
    const { x, y } = place(i);
    const warnings = warningsByNode.get(n.id) ?? 0;
    return {
      id: n.id,
      x,
      y,
      width: nodeWidth,
      height: NODE_HEIGHT,
      idX: x + 10,
      idY: y + 19,
      detail: detailText(n),
      detailY: y + 36,
      rate:
        n.role === 'sink'
          ? `${formatCompact(n.inputRecordsPerSecond)} rec/s in`
          : `${formatCompact(n.role === 'source' ? n.outputRecordsPerSecond : n.inputRecordsPerSecond)} rec/s`,
      rateY: y + 51,
      role: n.role,
      warnings,
      warningText: warnings === 1 ? '1 warning' : `${warnings} warnings`,
      badgeX: x + nodeWidth - 12,
      badgeY: y + 14,
    };
  });
  const edges: DiagramEdge[] = [];
  nodes.forEach((n, i) => {
    const to = place(i);
    for (const input of n.inputs) {
      const j = index.get(input);
      if (j === undefined) continue;
      const from = place(j);
      const x1 = from.x + nodeWidth / 2;
      const y1 = from.y + NODE_HEIGHT;
      const x2 = to.x + nodeWidth / 2;
      const y2 = to.y;
      const mid = (y1 + y2) / 2;
      edges.push({
        from: input,
        to: n.id,
        path: `M${round(x1)} ${round(y1)} C${round(x1)} ${round(mid)} ${round(x2)} ${round(mid)} ${round(x2)} ${round(y2 - 6)}`,
        keyed: n.keyed,
        labelX: round((x1 + x2) / 2 + 6),
        labelY: round(mid + 4),
      });
    }
  });
  const byHead = new Map<string, number[]>();
  nodes.forEach((n, i) => {
    byHead.set(n.chainHead, [...(byHead.get(n.chainHead) ?? []), i]);
  });
  const tasks: DiagramTask[] = [];
  let taskNumber = 0;
  for (const [head, members] of byHead) {
    taskNumber++;
    if (members.length < 2) continue;
    const xs = members.map((i) => place(i).x);
    const ys = members.map((i) => place(i).y);
    const x = Math.min(...xs) - 6;
    const y = Math.min(...ys) - 6;
    tasks.push({
      head,
      members: members.map((i) => nodes[i]?.id ?? ''),
      x,
      y,
      width: Math.max(...xs) - Math.min(...xs) + nodeWidth + 12,
      height: Math.max(...ys) - Math.min(...ys) + NODE_HEIGHT + 12,
      label: `task ${taskNumber} (chained)`,
      labelX: x + 4,
      labelY: Math.max(...ys) + NODE_HEIGHT + 18,
    });
  }
  const rows = Math.max(...layer.map((l) => l + 1), 1);
  const summary = nodes
    .map((n) => {
      const sends = nodes.filter((m) => m.inputs.includes(n.id));
      const target = sends.length
        ? `, sends to ${sends.map((m) => `${m.id}${m.keyed ? ' (keyed)' : ''}`).join(', ')}`
        : '';
      const chained = n.chainHead !== n.id ? `, chained to ${n.chainHead}` : '';
      const warns = warningsByNode.get(n.id);
      return `${n.id}: ${n.kind} ${n.role}, parallelism ${n.parallelism}, ${formatNumber(n.inputRecordsPerSecond, 0)} records/s in${chained}${target}${warns ? `, ${warns} warning${warns === 1 ? '' : 's'}` : ''}.`;
    })
    .join(' ');
  return {
    width: PAD * 2 + columns * nodeWidth + (columns - 1) * COLUMN_GAP,
    height: PAD * 2 + rows * NODE_HEIGHT + (rows - 1) * ROW_GAP + 12,
    nodes: drawn,
    edges,
    tasks,
    summary,
    keyedEdges: edges.filter((e) => e.keyed).length,
  };
}
