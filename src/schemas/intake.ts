import { z } from 'zod';
import { JobSpecSchema } from '../jobspec/index.js';

/** Longest script accepted, in characters: a large statement set is a few KB; warm, the grammar parses
 * about 30–60 KB a second on this project's 2-core test machine. */
export const MAX_SQL_CHARS = 64 * 1024;

/** A `== Section ==` header line of EXPLAIN's text output. */
export const EXPLAIN_SECTION = /^==\s*(.+?)\s*==\s*$/;

/** Whether a pasted text is EXPLAIN's output (it opens with a `== … ==` section header). */
export const isExplainOutput = (text: string) =>
  EXPLAIN_SECTION.test(text.trimStart().split(/\r?\n/, 1)[0] ?? '');

export const IntakeRequestSchema = z
  .strictObject({
    sql: z
      .string()
      .min(1, 'The script is empty: paste Flink SQL (CREATE TABLE … and INSERT INTO …)')
      .max(MAX_SQL_CHARS, `A script has at most ${MAX_SQL_CHARS} characters`)
      .optional()
      .describe('A Flink SQL script: CREATE TABLE/VIEW, SET, INSERT INTO, EXECUTE STATEMENT SET'),
    plan: z
      .unknown()
      .optional()
      .describe(
        'A Flink plan as JSON: EXPLAIN JSON_EXECUTION_PLAN (stream graph), GET /jobs/:id/plan (job graph) or a COMPILE PLAN document; or, as a string, the text EXPLAIN printed (also accepted as sql)',
      ),
  })
  .superRefine((body, ctx) => {
    const given = (body.sql !== undefined ? 1 : 0) + (body.plan !== undefined ? 1 : 0);
    if (given !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: given === 0 ? ['sql'] : ['plan'],
        message: 'Give exactly one of sql or plan',
      });
    }
  })
  .meta({
    id: 'IntakeRequest',
    examples: [
      {
        sql: "CREATE TABLE bids (auction BIGINT, price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'kafka', 'topic' = 'bids', 'format' = 'json');\nCREATE TABLE out (auction BIGINT, c BIGINT) WITH ('connector' = 'blackhole');\nINSERT INTO out SELECT auction, COUNT(*) FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY auction, window_start, window_end;",
      },
    ],
  });

export const IntakeQuestionSchema = z
  .object({
    path: z
      .string()
      .describe('JobSpec path of the field the question is about, e.g. pipeline.sources.0.recordsPerSecond'),
    message: z.string(),
    assumed: z.unknown().describe('The value the draft carries until you answer'),
  })
  .meta({ id: 'IntakeQuestion' });

export const IntakeNoteSchema = z
  .object({
    text: z.string().describe('How a statement or plan node was read'),
    line: z.number().int().optional(),
    column: z.number().int().optional(),
    construct: z.string().optional(),
    path: z.string().optional().describe('JobSpec path of the node it produced'),
  })
  .meta({ id: 'IntakeNote' });

export const IntakeAnswerSchema = z
  .object({
    spec: JobSpecSchema.describe('A pipeline-form JobSpec that estimates as it is'),
    questions: z
      .array(IntakeQuestionSchema)
      .describe('What SQL or the plan cannot say, with the value assumed'),
    notes: z.array(IntakeNoteSchema).describe('Each interpretation, in the order it was made'),
  })
  .meta({ id: 'IntakeAnswer' });

export type IntakeAnswer = z.output<typeof IntakeAnswerSchema>;
