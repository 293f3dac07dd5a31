import { JobSpecSchema } from '../jobspec/index.js';
import { type IntakeAnswer, isExplainOutput } from '../schemas/intake.js';
import { type Problem, problem } from '../schemas/problem.js';
import { type ParserPool, ParseTimeout } from './parser-pool.js';
import { analyzePlan } from './plans.js';
import { redactJson } from './secrets.js';
import type { IntakeDraft } from './types.js';

/**
 * Intake: a Flink SQL script or plan in, a pipeline draft out. SQL is analysed in the parser's
 * worker thread; plans are plain JSON and read here. Either way the draft is held to the JobSpec
 * schema before it is answered — a draft that fails it is a bug in intake, not the user's input.
 */

export type IntakeOutcome =
  | { ok: true; answer: IntakeAnswer; redactedSql?: string }
  | { ok: false; problem: Problem };

export class InvalidDraftError extends Error {}

function checked(draft: IntakeDraft): IntakeAnswer {
  const parsed = JobSpecSchema.safeParse(draft.spec);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new InvalidDraftError(`Intake built an invalid JobSpec: ${issues}`);
  }
  return { spec: parsed.data, questions: draft.questions, notes: draft.notes };
}

export async function intakeSql(sql: string, pool: ParserPool): Promise<IntakeOutcome> {
  // What EXPLAIN printed (`== Abstract Syntax Tree ==` …) is a plan, not a script.
  if (isExplainOutput(sql)) return intakePlan(sql, 'sql');
  let outcome: Awaited<ReturnType<ParserPool['analyze']>>;
  try {
    outcome = await pool.analyze(sql);
  } catch (error) {
    if (error instanceof ParseTimeout) {
      return {
        ok: false,
        problem: problem(
          400,
          `${error.message} Split the script, or paste the plan Flink prints for it instead.`,
          [{ path: 'sql', message: error.message }],
        ),
      };
    }
    throw error;
  }
  if (!outcome.ok) {
    const first = outcome.errors[0];
    const detail = `The script does not parse: ${outcome.errors.length} error${outcome.errors.length === 1 ? '' : 's'}${first ? `, the first at line ${first.line}, column ${first.column} (${first.construct}): ${first.message.replace(/\.$/, '')}` : ''}.`;
    return {
      ok: false,
      problem: { ...problem(400, detail, undefined, 'validation'), errors: outcome.errors },
    };
  }
  return { ok: true, answer: checked(outcome.draft), redactedSql: outcome.redactedSql };
}

/**
 * `path` names the request field the plan came in (EXPLAIN's text output may come as `sql`).
 * The plan is read with its credentials masked — option values in JSON, and the option maps and
 * URLs Flink prints in descriptions and EXPLAIN's trees (an OPTIONS hint's password) — so no note,
 * node name or error can quote one.
 */
export function intakePlan(plan: unknown, path: 'plan' | 'sql' = 'plan'): IntakeOutcome {
  const result = analyzePlan(redactJson(plan));
  if ('error' in result)
    return {
      ok: false,
      problem: problem(400, result.error, [{ path, message: result.error }], 'validation'),
    };
  return { ok: true, answer: checked(result.draft) };
}
