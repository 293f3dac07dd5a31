/** The detailed form: the job as a DAG of sources, operators and sinks, and its graph rules. */
import { z } from 'zod';
import { MAX_PIPELINE_NODES } from './fields.js';
import { type GraphNode, graphProblems } from './graph.js';
import { OperatorSchema, SinkSchema, SourceSchema } from './nodes.js';

/** Adds the graph's issues (duplicate ids, unknown inputs, cycles, unreachable and dangling nodes). */
function checkGraph(
  pipeline: {
    sources: readonly { id: string }[];
    operators: readonly { id: string; inputs: readonly string[] }[];
    sinks: readonly { id: string; inputs: readonly string[] }[];
  },
  ctx: z.RefinementCtx,
): void {
  const nodes: GraphNode[] = [
    ...pipeline.sources.map((s, index) => ({ id: s.id, group: 'sources' as const, index, inputs: [] })),
    ...pipeline.operators.map((o, index) => ({
      id: o.id,
      group: 'operators' as const,
      index,
      inputs: o.inputs,
    })),
    ...pipeline.sinks.map((s, index) => ({ id: s.id, group: 'sinks' as const, index, inputs: s.inputs })),
  ];
  if (nodes.length > MAX_PIPELINE_NODES) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: `A pipeline has at most ${MAX_PIPELINE_NODES} nodes (sources + operators + sinks); this one has ${nodes.length}`,
    });
    return;
  }
  for (const { node, path, message } of graphProblems(nodes)) {
    ctx.addIssue({ code: 'custom', path: [node.group, node.index, ...path], message });
  }
}

export const PipelineSchema = z
  .strictObject({
    sources: z
      .array(SourceSchema)
      .min(1, 'A pipeline needs at least one source')
      .max(MAX_PIPELINE_NODES)
      .describe('Where records enter the job'),
    operators: z
      .array(OperatorSchema)
      .max(MAX_PIPELINE_NODES)
      .default([])
      .describe('Transformations, in any order; `inputs` define the graph'),
    sinks: z
      .array(SinkSchema)
      .min(1, 'A pipeline needs at least one sink')
      .max(MAX_PIPELINE_NODES)
      .describe('Where results leave the job'),
  })
  .superRefine(checkGraph)
  .describe('The detailed form: the job as a DAG of sources, operators and sinks');

export type Pipeline = z.output<typeof PipelineSchema>;
