/**
 * What intake hands back: a pipeline draft (plain data, validated against the JobSpec schema by the
 * caller), the questions whose answers SQL or a plan cannot give, and notes explaining each
 * interpretation. No zod here: the SQL half runs in a worker thread from a self-contained bundle.
 */

export interface IntakeQuestion {
  /** Dotted JobSpec path of the field, e.g. `pipeline.sources.0.recordsPerSecond`. */
  path: string;
  message: string;
  /** The value the draft carries until the user answers. */
  assumed: unknown;
}

export interface IntakeNote {
  text: string;
  /** 1-based position in the script (SQL only). */
  line?: number;
  column?: number;
  /** The SQL construct or Flink node the note is about, e.g. "ROW_NUMBER() … WHERE rn <= 3". */
  construct?: string;
  /** Dotted JobSpec path of the node the note explains. */
  path?: string;
}

export interface IntakeSyntaxError {
  path: string;
  message: string;
  line: number;
  column: number;
  /** What was being parsed: the statement, or the known grammar gap it hit. */
  construct: string;
}

type Json = Record<string, unknown>;

export interface DraftPipeline {
  sources: Json[];
  operators: Json[];
  sinks: Json[];
}

export interface IntakeDraft {
  spec: {
    flinkVersion?: string;
    api?: string;
    pipeline: DraftPipeline;
    state?: Json;
    [key: string]: unknown;
  };
  questions: IntakeQuestion[];
  notes: IntakeNote[];
}

export type SqlIntakeOutcome =
  | { ok: true; draft: IntakeDraft; redactedSql: string; parseMs: number }
  | { ok: false; errors: IntakeSyntaxError[]; redactedSql: string; parseMs: number };
