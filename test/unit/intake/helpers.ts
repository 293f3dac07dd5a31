import { expect } from 'vitest';
import { analyzeSql } from '../../../src/intake/sql.js';
import type { IntakeDraft } from '../../../src/intake/types.js';

type Node = Record<string, unknown> & { id: string; kind: string; inputs?: string[] };

/** The draft of a script that must parse. */
export function draftOf(sql: string): IntakeDraft {
  const outcome = analyzeSql(sql);
  if (!outcome.ok) throw new Error(`did not parse: ${JSON.stringify(outcome.errors)}`);
  return outcome.draft;
}

/** Each operator as "kind(inputs)", in the order they were made. */
export function operatorsOf(draft: IntakeDraft): string[] {
  return (draft.spec.pipeline.operators as Node[]).map((o) => `${o.kind}(${(o.inputs ?? []).join(',')})`);
}

export function operator(draft: IntakeDraft, kind: string, index = 0): Node {
  const found = (draft.spec.pipeline.operators as Node[]).filter((o) => o.kind === kind)[index];
  expect(found, `no ${kind} operator #${index}`).toBeDefined();
  return found as Node;
}

export const sinksOf = (draft: IntakeDraft) =>
  (draft.spec.pipeline.sinks as Node[]).map((s) => `${s.kind}(${(s.inputs ?? []).join(',')})`);
