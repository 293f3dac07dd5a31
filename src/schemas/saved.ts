import { z } from 'zod';
import { JobSpecSchema } from '../jobspec/index.js';
import { EstimateSchema } from './estimate.js';
import { isExplainOutput, MAX_SQL_CHARS } from './intake.js';

/** A saved estimation's name: 1–200 characters after trimming, any Unicode but control characters. */
export const EstimationNameSchema = z
  .string()
  .trim()
  .min(1, 'A name is required')
  .max(200, 'A name has at most 200 characters')
  // biome-ignore lint/suspicious/noControlCharactersInRegex: names are shown in pages, YAML and headers.
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'A name must not contain control characters')
  .describe('Name shown in the saved list; 1–200 characters after trimming');

/** The key numbers shown in lists and comparisons without loading the whole estimate. */
export const EstimationSummarySchema = z
  .object({
    flinkVersion: z.string(),
    parallelism: z.number().int(),
    taskManagers: z.number().int(),
    slotsPerTaskManager: z.number().int(),
    taskManagerCpu: z.number(),
    taskManagerProcessBytes: z.number().int(),
    totalCores: z.number(),
    stateBytes: z.number().int(),
    monthlyCost: z.number(),
    currency: z.string(),
    warnings: z.number().int(),
  })
  .meta({ id: 'EstimationSummary' });

export const SavedEstimationSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    spec: JobSpecSchema,
    estimate: EstimateSchema,
    owner: z.string().nullable(),
    sql: z
      .string()
      .nullable()
      .describe('The Flink SQL script the spec was made from (intake), credentials masked; null when none'),
    plan: z
      .union([z.record(z.string(), z.unknown()), z.string()])
      .nullable()
      .describe(
        'The Flink plan the spec was made from (intake): a JSON document, or the text EXPLAIN printed; credential options masked; null when none',
      ),
    version: z.number().int().describe('Increments on every change; the ETag is derived from it'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'SavedEstimation' });

export const SavedEstimationListItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  owner: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  summary: EstimationSummarySchema,
});

export const SavedEstimationListSchema = z
  .object({
    items: z.array(SavedEstimationListItemSchema),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
  })
  .meta({ id: 'SavedEstimationList' });

/** What a saved list can be sorted by. */
export const SORT_FIELDS = ['createdAt', 'updatedAt', 'name'] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export type SortOrder = 'asc' | 'desc';

/** Dates read newest first, names alphabetically. */
export const defaultOrder = (sort: SortField): SortOrder => (sort === 'name' ? 'asc' : 'desc');

export const DEFAULT_PAGE_SIZE = 20;

/**
 * One query for a page of saved estimations, read by the API and the /saved page alike (the page
 * drops a field that fails it and uses the default; the API answers 400).
 */
export const ListQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(DEFAULT_PAGE_SIZE)
    .describe('Page size, 1–200 (default 20)'),
  cursor: z.string().max(500).optional().describe('nextCursor from the previous page'),
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .describe('Any part of the name, case-insensitively (one character or more)'),
  sort: z.enum(SORT_FIELDS).default('createdAt').describe('createdAt (default), updatedAt or name'),
  order: z.enum(['asc', 'desc']).optional().describe('Default desc for dates, asc for name'),
});

export type ListQuery = z.output<typeof ListQuerySchema>;

/** The script a spec was made from, kept with it; credentials are masked before it is stored. */
const SourceSqlSchema = z
  .string()
  .max(MAX_SQL_CHARS, `A script has at most ${MAX_SQL_CHARS} characters`)
  .describe(
    'The Flink SQL script the spec was made from (see POST /api/v1/intake); stored with credentials masked',
  );

/** Longest plan kept, as JSON text: Flink's plans of large jobs run to tens of KB. */
export const MAX_PLAN_CHARS = 256 * 1024;

/**
 * The plan a spec was made from, kept with it; credential options are masked before it is stored.
 * Either one of Flink's JSON plans or the text a plain EXPLAIN prints, as POST /api/v1/intake
 * reads them (`plan` there takes both).
 */
const SourcePlanSchema = z
  .union([
    z.record(z.string(), z.unknown()).refine((plan) => JSON.stringify(plan).length <= MAX_PLAN_CHARS, {
      message: `A plan has at most ${MAX_PLAN_CHARS} characters as JSON`,
    }),
    z
      .string()
      .max(MAX_SQL_CHARS, `EXPLAIN's text has at most ${MAX_SQL_CHARS} characters`)
      .refine(isExplainOutput, {
        message:
          'A plan given as text is what EXPLAIN printed, starting with a section header such as "== Abstract Syntax Tree =="; otherwise give the JSON document',
      }),
  ])
  .describe(
    "The Flink plan the spec was made from (EXPLAIN JSON_EXECUTION_PLAN, GET /jobs/:id/plan or COMPILE PLAN as JSON, or a plain EXPLAIN's text; see POST /api/v1/intake); stored with credential options masked",
  );

export const CreateEstimationSchema = z
  .strictObject({
    name: EstimationNameSchema,
    spec: JobSpecSchema,
    sql: SourceSqlSchema.optional(),
    plan: SourcePlanSchema.optional(),
  })
  .meta({ id: 'CreateEstimation' });

export const UpdateEstimationSchema = z
  .strictObject({
    name: EstimationNameSchema.optional(),
    spec: JobSpecSchema.optional(),
    sql: SourceSqlSchema.nullable().optional().describe('A new script; null removes the stored one'),
    plan: SourcePlanSchema.nullable().optional().describe('A new plan; null removes the stored one'),
  })
  .refine(
    (body) =>
      body.name !== undefined || body.spec !== undefined || body.sql !== undefined || body.plan !== undefined,
    'Give a name, a spec, a script or a plan',
  )
  .meta({ id: 'UpdateEstimation' });

export type EstimationSummary = z.output<typeof EstimationSummarySchema>;
export type SavedEstimation = z.output<typeof SavedEstimationSchema>;
export type SavedEstimationListItem = z.output<typeof SavedEstimationListItemSchema>;
