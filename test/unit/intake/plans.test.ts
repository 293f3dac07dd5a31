import { describe, expect, it } from 'vitest';
import { analyzePlan } from '../../../src/intake/plans.js';
import { COMPILED_PLAN, EXPLAIN_TEXT, JOB_GRAPH, STREAM_GRAPH } from '../../fixtures/intake/plans.js';

const draftOf = (plan: unknown) => {
  const result = analyzePlan(plan);
  if ('error' in result) throw new Error(result.error);
  return result.draft;
};

/** A job graph of two vertices at parallelism 2, `downstream` fed by `upstream` over a HASH exchange, listed sink-side first as Flink's REST API lists them. */
const keyedJobGraph = (upstream: string, downstream: string) => ({
  nodes: [
    {
      id: 'b',
      parallelism: 2,
      description: downstream,
      inputs: [{ num: 0, id: 'a', ship_strategy: 'HASH' }],
    },
    { id: 'a', parallelism: 2, description: upstream },
  ],
});

describe('plans → pipelines', () => {
  it('stream graph: one node per operator, HASH edge into the window aggregate, parallelism kept', () => {
    const d = draftOf(STREAM_GRAPH);
    expect(d.spec.pipeline.sources).toMatchObject([{ id: 'bids', kind: 'kafka', parallelism: 4 }]);
    expect(d.spec.pipeline.operators).toEqual([
      expect.objectContaining({
        id: 'window-aggregate',
        kind: 'window-aggregate',
        inputs: ['bids'],
        parallelism: 8,
        distinctAggregates: 1,
        window: { type: 'hopping', sizeSeconds: 10, slideSeconds: 2, time: 'event' },
      }),
      expect.objectContaining({ id: 'map', kind: 'map', inputs: ['window-aggregate'], parallelism: 8 }),
    ]);
    expect(d.spec.pipeline.sinks).toMatchObject([{ id: 'out', inputs: ['map'], parallelism: 8 }]);
    expect(d.notes.find((n) => n.construct === 'WindowAggregate')?.text).toContain('HASH (keyed) exchange');
    // The stream graph has no connector options: the kinds are asked.
    expect(d.questions.map((q) => q.path)).toEqual(
      expect.arrayContaining(['pipeline.sources.0.kind', 'pipeline.sinks.0.kind']),
    );
  });

  it('job graph: each vertex description split into its operators, each keeping the vertex id', () => {
    const d = draftOf(JOB_GRAPH);
    const source = 'bc764cd8ddf7a0cff126f51c16239658';
    const ranked = '20ba6b65f97481d5570070de90e4e791';
    expect(d.spec.pipeline.sources).toMatchObject([{ id: 'bids', flinkVertexId: source, parallelism: 4 }]);
    expect(d.spec.pipeline.operators).toEqual([
      expect.objectContaining({ kind: 'filter', inputs: ['bids'], flinkVertexId: source, parallelism: 4 }),
      expect.objectContaining({
        kind: 'top-n',
        n: 10,
        inputs: ['filter'],
        flinkVertexId: ranked,
        parallelism: 8,
      }),
      expect.objectContaining({ kind: 'map', inputs: ['top-n'], flinkVertexId: ranked }),
    ]);
    expect(d.spec.pipeline.sinks).toMatchObject([{ id: 'top_bids', inputs: ['map'], flinkVertexId: ranked }]);
  });

  it('compiled plan: exchanges folded into HASH edges, TTL and DISTINCT from the node, window from PT5S, connectors from options', () => {
    const d = draftOf(COMPILED_PLAN);
    expect(d.spec.pipeline.sources).toMatchObject([{ id: 'orders', kind: 'kafka', format: 'json' }]);
    expect(d.spec.pipeline.operators).toEqual([
      expect.objectContaining({
        kind: 'aggregate',
        inputs: ['orders'],
        ttlSeconds: 345600,
        distinctAggregates: 1,
      }),
      expect.objectContaining({
        kind: 'window-aggregate',
        inputs: ['aggregate'],
        window: { type: 'tumbling', sizeSeconds: 5, time: 'event' },
      }),
    ]);
    expect(d.spec.pipeline.sinks).toMatchObject([
      { id: 'sink_t', kind: 'filesystem', inputs: ['window-aggregate'] },
    ]);
    expect(JSON.stringify(d)).not.toContain('plan-Secret');
  });

  it('interval-join bounds: leftLowerBound/leftUpperBound (left relative to right, ms) become the right side relative to the left', () => {
    const d = draftOf({
      nodes: [
        {
          id: 1,
          pact: 'Data Source',
          contents: '[1]:TableSourceScan(table=[[c, d, orders]], fields=[a])',
          parallelism: 1,
        },
        {
          id: 2,
          pact: 'Data Source',
          contents: '[2]:TableSourceScan(table=[[c, d, shipments]], fields=[a])',
          parallelism: 1,
        },
        {
          id: 3,
          pact: 'Operator',
          contents:
            '[3]:IntervalJoin(joinType=[InnerJoin], windowBounds=[isRowTime=true, leftLowerBound=-14400000, leftUpperBound=0, leftTimeIndex=1, rightTimeIndex=1], where=[…])',
          parallelism: 2,
          predecessors: [
            { id: 1, ship_strategy: 'HASH' },
            { id: 2, ship_strategy: 'HASH' },
          ],
        },
        {
          id: 4,
          pact: 'Data Sink',
          contents: '[4]:Sink(table=[c.d.out], fields=[a])',
          parallelism: 2,
          predecessors: [{ id: 3, ship_strategy: 'FORWARD' }],
        },
      ],
    });
    expect(d.spec.pipeline.operators[0]).toMatchObject({
      kind: 'interval-join',
      inputs: ['orders', 'shipments'],
      lowerBoundSeconds: 0,
      upperBoundSeconds: 14400,
    });
  });

  it('a DataStream job graph (no SQL operator names) is api "datastream"; an unknown operator after HASH is keyed', () => {
    const d = draftOf(
      keyedJobGraph(
        'Source: Events Generator Source<br/>',
        'KeyedProcess<br/>+- Sink: Print to Std. Out<br/>',
      ),
    );
    expect(d.spec.api).toBe('datastream');
    expect(d.spec.pipeline.operators).toEqual([
      expect.objectContaining({ kind: 'aggregate', flinkVertexId: 'b' }),
    ]);
  });

  it('EXPLAIN text: the optimized execution plan tree, a reused source read once, HASH exchanges keyed', () => {
    const d = draftOf(EXPLAIN_TEXT);
    expect(d.spec.pipeline.sources.map((s) => s.id)).toEqual(['orders', 'customers']);
    expect(d.spec.pipeline.operators).toEqual([
      expect.objectContaining({ id: 'regular-join', kind: 'regular-join', inputs: ['orders', 'customers'] }),
      expect.objectContaining({ id: 'map', name: 'Calc(select=[id, name])', inputs: ['regular-join'] }),
      expect.objectContaining({ kind: 'aggregate', inputs: ['orders'] }),
    ]);
    expect(d.spec.pipeline.sinks).toEqual([
      expect.objectContaining({ id: 'enriched', inputs: ['map'] }),
      expect.objectContaining({ id: 'totals' }),
    ]);
    expect(d.notes.map((n) => n.text)).toContain(
      'GroupAggregate → aggregate; its input is a HASH (keyed) exchange.',
    );
    // No parallelism in a text plan: nothing claims it came from the plan.
    expect(d.spec.pipeline.operators.every((o) => o.parallelism === undefined)).toBe(true);
    expect(d.notes.some((n) => n.text.startsWith('Parallelism comes from the plan'))).toBe(false);
  });

  it('reads mini-batch off a plan: none without a MiniBatchAssigner (Flink’s default)', () => {
    const d = draftOf(EXPLAIN_TEXT);
    expect(d.spec.sql).toEqual({ miniBatch: false });
    expect(d.notes.find((n) => n.path === 'sql.miniBatch')?.text).toMatch(
      /^No MiniBatchAssigner: mini-batch is off/,
    );
    expect(draftOf(COMPILED_PLAN).spec.sql).toEqual({ miniBatch: false });
  });

  it('reads a MiniBatchAssigner’s interval and LocalGroupAggregate as two-phase (EXPLAIN text)', () => {
    // What EXPLAIN prints for a GROUP BY under SET table.exec.mini-batch.* = true / 2 s / 5000.
    const text = `== Optimized Execution Plan ==
Sink(table=[default_catalog.default_database.totals], fields=[cid, total])
+- GlobalGroupAggregate(groupBy=[cid], select=[cid, SUM(sum$0) AS total])
   +- Exchange(distribution=[hash[cid]])
      +- LocalGroupAggregate(groupBy=[cid], select=[cid, SUM(amount) AS sum$0])
         +- MiniBatchAssigner(interval=[2000ms], mode=[ProcTime])
            +- TableSourceScan(table=[[default_catalog, default_database, orders]], fields=[id, cid, amount])
`;
    const d = draftOf(text);
    expect(d.spec.sql).toEqual({ miniBatch: { allowLatencyMs: 2000 }, aggPhaseStrategy: 'TWO_PHASE' });
    expect(d.spec.pipeline.operators).toEqual([
      expect.objectContaining({ kind: 'aggregate', inputs: ['orders'] }),
    ]);
  });

  it('reads a compiled plan’s miniBatchInterval and the batch size its aggregate consumed', () => {
    const assigner = {
      id: 53,
      type: 'stream-exec-mini-batch-assigner_1',
      miniBatchInterval: { interval: 5000, mode: 'ProcTime' },
      description: 'MiniBatchAssigner(interval=[5000ms], mode=[ProcTime])',
    };
    const config = { 'table.exec.mini-batch.enabled': 'true', 'table.exec.mini-batch.size': '1000' };
    const [scan, ...rest] = COMPILED_PLAN.nodes;
    const forward = (source: number, target: number) => ({ source, target, shuffle: { type: 'FORWARD' } });
    const plan = {
      ...COMPILED_PLAN,
      nodes: [scan, assigner, ...rest.map((n) => (n.id === 55 ? { ...n, configuration: config } : n))],
      edges: [forward(52, 53), forward(53, 54), ...COMPILED_PLAN.edges.slice(1)],
    };
    const d = draftOf(plan);
    // GroupAggregate, not Local/Global: the planner kept one phase.
    expect(d.spec.sql).toEqual({
      miniBatch: { allowLatencyMs: 5000, size: 1000 },
      aggPhaseStrategy: 'ONE_PHASE',
    });
    expect(d.notes.find((n) => n.path === 'sql.miniBatch')?.text).toBe(
      'MiniBatchAssigner(interval 5000 ms) → mini-batch on: group aggregations and deduplication touch state once per key and batch of at most 1000 records; no LocalGroupAggregate → one phase.',
    );
  });

  it('EXPLAIN JSON_EXECUTION_PLAN pasted whole: its JSON section is read, not the trees', () => {
    const text = `${EXPLAIN_TEXT.split('== Optimized Execution Plan ==')[0]}== Physical Execution Plan ==\n${JSON.stringify(STREAM_GRAPH, null, 2)}\n`;
    expect(draftOf(text).spec).toEqual(draftOf(STREAM_GRAPH).spec);
    expect(analyzePlan('== Optimized Physical Plan ==\n')).toEqual({
      error: expect.stringContaining('no source and no sink'),
    });
  });

  it('not a plan: a message saying what to paste', () => {
    expect(analyzePlan([1, 2])).toEqual({
      error: 'A plan is a JSON object (Flink’s stream graph, job graph or compiled plan).',
    });
    expect(analyzePlan({ jid: 'x' })).toEqual({
      error: 'The plan has no "nodes": paste the whole JSON document Flink printed.',
    });
  });

  it('part of a plan: the missing end is named, with the operators that were read', () => {
    // A job graph copied without its sink vertex: the source and the aggregate only.
    const partial = analyzePlan(
      keyedJobGraph(
        'TableSourceScan(table=[[default_catalog, default_database, t]])',
        'GroupAggregate(groupBy=[k])',
      ),
    );
    expect(partial).toEqual({
      error:
        'The plan has no sink this reader recognises (a source is an operator without inputs, such as TableSourceScan or "Source: …"; a sink is Sink or "Sink: …"). It read 2 operators: GroupAggregate, TableSourceScan. Paste the whole document Flink printed.',
    });
  });
});
