import { describe, expect, it } from 'vitest';
import { type GraphNode, graphProblems, sortGraph } from '../../../src/jobspec/graph.js';

const node = (id: string, group: GraphNode['group'], index: number, inputs: string[] = []): GraphNode => ({
  id,
  group,
  index,
  inputs,
});

describe('sortGraph', () => {
  it('puts every node after its inputs, ties in the given order, with producer and consumer positions', () => {
    // Given order: sink, b (reads a), a (reads s), s — sorted: s, a, b, sink.
    const sorted = sortGraph([
      { id: 'sink', inputs: ['b', 'a'] },
      { id: 'b', inputs: ['a'] },
      { id: 'a', inputs: ['s'] },
      { id: 's', inputs: [] },
    ]);
    expect(sorted.nodes.map((n) => n.id)).toEqual(['s', 'a', 'b', 'sink']);
    expect(sorted.producers).toEqual([[], [0], [1], [2, 1]]);
    expect(sorted.consumers).toEqual([[1], [2, 3], [3], []]);
  });

  it('among ready nodes takes the earliest given first', () => {
    const sorted = sortGraph([
      { id: 'x', inputs: ['s2'] },
      { id: 's1', inputs: [] },
      { id: 's2', inputs: [] },
      { id: 'y', inputs: ['s1'] },
    ]);
    expect(sorted.nodes.map((n) => n.id)).toEqual(['s1', 's2', 'x', 'y']);
  });

  it('throws on a cycle or an unknown input (the graph was not validated)', () => {
    expect(() =>
      sortGraph([
        { id: 'a', inputs: ['b'] },
        { id: 'b', inputs: ['a'] },
      ]),
    ).toThrow(/cycle/);
    expect(() => sortGraph([{ id: 'a', inputs: ['nope'] }])).toThrow(/Unknown input "nope"/);
  });
});

describe('graphProblems', () => {
  it('reports a cycle once, at its first node, and the nodes only it reaches', () => {
    const problems = graphProblems([
      node('s', 'sources', 0),
      node('x', 'operators', 0, ['y']),
      node('y', 'operators', 1, ['x']),
      node('k', 'sinks', 0, ['s']),
    ]);
    expect(problems.map((p) => [p.node.id, p.path, p.message])).toEqual([
      ['x', ['inputs'], 'Cycle: "x" → "y" → "x". A pipeline must be a DAG'],
    ]);
  });

  it('reports duplicate ids, unknown and repeated inputs, and outputs that go nowhere', () => {
    const problems = graphProblems([
      node('s', 'sources', 0),
      node('s', 'operators', 0, ['s']),
      node('m', 'operators', 1, ['s', 's', 'ghost']),
      node('k', 'sinks', 0, ['s']),
    ]);
    expect(problems.map((p) => `${p.node.group}.${p.node.index} ${p.path.join('.')}: ${p.message}`)).toEqual([
      'operators.0 id: Duplicate id "s": already used by pipeline.sources.0',
      'operators.1 inputs.1: Input "s" is listed twice',
      'operators.1 inputs.2: Unknown input "ghost": no source or operator has this id',
      'operators.1 : The output of "m" goes nowhere: no operator or sink lists it in its inputs',
    ]);
  });
});

describe('graphProblems with a mistyped input', () => {
  it('reports the typo once, at that input, and nothing it caused downstream or upstream', () => {
    // s → a → b → k, with b's input mistyped as "aa": b, k unreached and a's output unread
    // are all consequences of the typo.
    const problems = graphProblems([
      node('s', 'sources', 0),
      node('a', 'operators', 0, ['s']),
      node('b', 'operators', 1, ['aa']),
      node('c', 'operators', 2, ['b']),
      node('k', 'sinks', 0, ['c']),
    ]);
    expect(problems.map((p) => `${p.node.group}.${p.node.index} ${p.path.join('.')}: ${p.message}`)).toEqual([
      'operators.1 inputs.0: Unknown input "aa": no source or operator has this id',
    ]);
  });

  it('still reports an unread output the typo cannot have meant (below the broken node)', () => {
    // b is mistyped; c reads b and nothing reads c: naming c from b would be a cycle.
    const problems = graphProblems([
      node('s', 'sources', 0),
      node('b', 'operators', 0, ['nope']),
      node('c', 'operators', 1, ['b']),
      node('k', 'sinks', 0, ['s']),
    ]);
    expect(problems.map((p) => `${p.node.id} ${p.path.join('.')}: ${p.message}`)).toEqual([
      'b inputs.0: Unknown input "nope": no source or operator has this id',
      'c : The output of "c" goes nowhere: no operator or sink lists it in its inputs',
    ]);
  });

  it('treats a sink named as an input like a typo', () => {
    const problems = graphProblems([
      node('s', 'sources', 0),
      node('a', 'operators', 0, ['s']),
      node('k1', 'sinks', 0, ['a']),
      node('b', 'operators', 1, ['k1']),
      node('k2', 'sinks', 1, ['b']),
    ]);
    expect(problems.map((p) => `${p.node.id} ${p.path.join('.')}: ${p.message}`)).toEqual([
      'b inputs.0: Input "k1" is a sink; sinks have no output to read',
    ]);
  });
});
