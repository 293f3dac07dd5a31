/** The quick form: the numbers a data engineer knows offhand, expanded by the estimator into a chain. */
import { z } from 'zod';
import {
  COMPLEXITIES,
  DistinctKeysSchema,
  MAX_PIPELINE_NODES,
  PeakFactorSchema,
  RecordBytesSchema,
  RecordsPerSecondSchema,
  StateBytesPerKeySchema,
} from './fields.js';

export const WorkloadSchema = z
  .strictObject({
    sources: z
      .number()
      .int('Number of sources is a whole number')
      .min(1, 'At least 1 source')
      .max(100, 'At most 100 sources')
      .describe('Number of sources (e.g. Kafka topics read)'),
    operators: z
      .number()
      .int('Number of operators is a whole number')
      .min(0, 'At least 0 operators')
      .max(400, 'At most 400 operators')
      .describe('Number of operators between sources and sinks'),
    sinks: z
      .number()
      .int('Number of sinks is a whole number')
      .min(1, 'At least 1 sink')
      .max(100, 'At most 100 sinks')
      .describe('Number of sinks'),
    recordsPerSecond: RecordsPerSecondSchema.describe('Average input rate over all sources, records/s'),
    avgRecordBytes: RecordBytesSchema,
    peakFactor: PeakFactorSchema.default(1).describe('Peak rate ÷ average rate (≥ 1). Default 1'),
    statefulOperators: z
      .number()
      .int('Number of stateful operators is a whole number')
      .min(0)
      .max(400)
      .optional()
      .describe('How many of the operators keep keyed state (GROUP BY, windows, joins). Default 0'),
    distinctKeys: DistinctKeysSchema.optional().describe('Distinct keys in the stateful operators'),
    stateBytesPerKey: StateBytesPerKeySchema.optional(),
    complexity: z
      .enum(COMPLEXITIES)
      .default('medium')
      .describe('How heavy the per-record work is: simple, medium or complex. Default medium'),
    partitions: z
      .number()
      .int()
      .min(1)
      .max(100000)
      .optional()
      .describe('Kafka partitions per source topic (optional); caps source parallelism'),
  })
  .superRefine((w, ctx) => {
    if (w.statefulOperators !== undefined && w.statefulOperators > w.operators) {
      ctx.addIssue({
        code: 'custom',
        path: ['statefulOperators'],
        message: `statefulOperators (${w.statefulOperators}) cannot exceed operators (${w.operators})`,
      });
    }
    const total = w.sources + w.operators + w.sinks;
    if (total > MAX_PIPELINE_NODES) {
      ctx.addIssue({
        code: 'custom',
        path: ['operators'],
        message: `Sources + operators + sinks is at most ${MAX_PIPELINE_NODES}; this is ${total}`,
      });
    }
  })
  .describe('The quick form: the numbers a data engineer knows offhand')
  .meta({
    examples: [
      {
        sources: 2,
        operators: 4,
        sinks: 1,
        recordsPerSecond: 50000,
        avgRecordBytes: 512,
        peakFactor: 1.5,
        statefulOperators: 1,
        distinctKeys: 1000000,
        stateBytesPerKey: 200,
        complexity: 'medium',
      },
    ],
  });

export type Workload = z.output<typeof WorkloadSchema>;
