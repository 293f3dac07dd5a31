/**
 * The same plan priced on managed Flink services (docs/exports.md, "Managed platforms").
 *
 * AWS Managed Service for Apache Flink bills Kinesis Processing Units: a KPU is 1 vCPU, 4 GB of
 * memory and 50 GB of running application storage; an application runs on
 * ⌈Parallelism ÷ ParallelismPerKPU⌉ KPUs (ParallelismPerKPU 1–8, above 1 for I/O-bound work) and
 * is charged one more KPU for orchestration (the service's pricing page and its "Application
 * scaling" guide). So the KPUs are the largest of what the plan's CPU, memory, local state and
 * parallelism need, plus one.
 *
 * Confluent Cloud for Apache Flink bills CFUs per minute, but publishes no CFUs per core or per
 * record, so its figure here is a labelled heuristic: from one CFU per core busy at the peak rate
 * to one CFU per core the plan provisions. It runs Flink SQL statements only, so DataStream jobs
 * get no figure, with the reason.
 */
import { z } from 'zod';

const Source = z.string().min(1).describe('Where the price comes from');
const AsOf = z.string().min(1).describe('When the price was taken from the source');

export const PlatformPricingSchema = z
  .strictObject({
    awsManagedFlink: z.strictObject({
      perKpuHour: z.number().min(0),
      storagePerGbMonth: z.number().min(0).describe('Running application storage, per GB-month'),
      source: Source,
      asOf: AsOf,
    }),
    confluentCloud: z.strictObject({
      perCfuHour: z.number().min(0),
      source: Source,
      asOf: AsOf,
    }),
  })
  .describe(
    'Prices of the managed platforms `cost.platforms` compares with (us-east-1 list prices by default)',
  );

export type PlatformPricing = z.output<typeof PlatformPricingSchema>;

/**
 * List prices in us-east-1 (USD); a deployment sets its own through configuration. Checked on
 * 2026-12-02 against the service's billing guide,
 * https://docs.aws.amazon.com/managed-flink/latest/java/how-pricing.html: a KPU is 1 vCPU and
 * 4 GB, one extra KPU per application for orchestration, running application storage per
 * GB-month; its pricing examples state "The price in the US East (N. Virginia) Region is $0.11
 * per KPU-hour" and "50 GB of running application storage per KPU and charges $0.10 per
 * GB/month", storage counted on the application's KPUs without the orchestration one (20 KPUs →
 * 1,000 GB-month). Its first example's usage report bills 15,120 KPU-hours for 20 + 1 KPUs over
 * 720 hours, as here; the dollar line beside it ($1,584) is 720 × 20 × $0.11, the orchestration
 * KPU left out, so the tests follow the KPU-hours. Confluent's $0.21 per CFU-hour was checked
 * the same day against its billing page, which adds "Prices vary by cloud region".
 */
export const defaultPlatformPricing: PlatformPricing = {
  awsManagedFlink: {
    perKpuHour: 0.11,
    storagePerGbMonth: 0.1,
    source: 'https://docs.aws.amazon.com/managed-flink/latest/java/how-pricing.html (US East, N. Virginia)',
    asOf: '2026-12-02',
  },
  confluentCloud: {
    perCfuHour: 0.21,
    source: 'https://docs.confluent.io/cloud/current/flink/operate-and-deploy/flink-billing.html',
    asOf: '2026-12-02',
  },
};

/** A KPU's resources (AWS: "1 vCPU and 4 GB of memory", "50 GB of running application storage"). */
export const KPU = { cpu: 1, memoryBytes: 4 * 2 ** 30, storageBytes: 50 * 2 ** 30 } as const;
/** The service allows 1–8 parallel tasks per KPU. */
const MAX_PARALLELISM_PER_KPU = 8;

const Money = z.number().min(0);

export const AwsManagedFlinkSchema = z
  .strictObject({
    kpus: z.number().int().min(2).describe('KPUs billed: the largest need below, plus one for orchestration'),
    monthly: Money.describe('KPU-hours plus running application storage, per month'),
    parallelismPerKpu: z
      .number()
      .int()
      .min(1)
      .max(8)
      .describe('ParallelismPerKPU: the plan’s slots per core, 1–8'),
    needs: z
      .strictObject({
        cpu: z.number().int().min(0),
        memory: z.number().int().min(0),
        localState: z.number().int().min(0),
        parallelism: z.number().int().min(0),
      })
      .describe('KPUs each resource needs on its own'),
    decidedBy: z.enum(['cpu', 'memory', 'localState', 'parallelism']),
    orchestrationKpus: z.literal(1),
    perKpuHour: Money,
    source: Source,
    asOf: AsOf,
  })
  .describe('AWS Managed Service for Apache Flink');

export const ConfluentCloudSchema = z
  .strictObject({
    cfuLow: z.number().int().min(1),
    cfuHigh: z.number().int().min(1),
    monthlyLow: Money,
    monthlyHigh: Money,
    heuristic: z
      .literal(true)
      .describe('A heuristic range, not a quote: Confluent publishes no CFUs per core'),
    basis: z.string(),
    perCfuHour: Money,
    source: Source,
    asOf: AsOf,
  })
  .describe('Confluent Cloud for Apache Flink (heuristic range)');

export const PlatformCostsSchema = z
  .strictObject({
    'aws-managed-flink': AwsManagedFlinkSchema,
    'confluent-cloud': ConfluentCloudSchema.nullable(),
    reasons: z
      .record(z.string(), z.string())
      .describe('Why a platform has no figure (null above), by platform')
      .optional(),
  })
  .describe('The same job priced on managed Flink services');

export type PlatformCosts = z.output<typeof PlatformCostsSchema>;

/** What the platform prices read from a plan. */
export interface PlatformPlan {
  api: 'sql' | 'datastream';
  parallelism: number;
  taskManagers: { count: number; cpu: number; slotsPerTaskManager: number; processMemoryBytes: number };
  stateBytes: number;
  requiredCores: number;
  hoursPerMonth: number;
}

const cents = (x: number) => Math.round(x * 100) / 100;

/** Prices the plan on the managed platforms. */
export function platformCosts(
  plan: PlatformPlan,
  pricing: PlatformPricing = defaultPlatformPricing,
): PlatformCosts {
  const tm = plan.taskManagers;
  const cores = tm.count * tm.cpu;
  const parallelismPerKpu = Math.min(
    MAX_PARALLELISM_PER_KPU,
    Math.max(1, Math.floor(tm.slotsPerTaskManager / tm.cpu)),
  );
  const needs = {
    cpu: Math.ceil(cores / KPU.cpu),
    memory: Math.ceil((tm.count * tm.processMemoryBytes) / KPU.memoryBytes),
    localState: Math.ceil(plan.stateBytes / KPU.storageBytes),
    parallelism: Math.ceil(plan.parallelism / parallelismPerKpu),
  };
  const decidedBy = (Object.keys(needs) as (keyof typeof needs)[]).reduce((a, b) =>
    needs[b] > needs[a] ? b : a,
  );
  const kpus = needs[decidedBy] + 1;
  const aws = pricing.awsManagedFlink;
  const storageGb = (kpus - 1) * (KPU.storageBytes / 2 ** 30);
  const awsCost = {
    kpus,
    monthly: cents(kpus * aws.perKpuHour * plan.hoursPerMonth + storageGb * aws.storagePerGbMonth),
    parallelismPerKpu,
    needs,
    decidedBy,
    orchestrationKpus: 1 as const,
    perKpuHour: aws.perKpuHour,
    source: aws.source,
    asOf: aws.asOf,
  };
  if (plan.api === 'datastream')
    return {
      'aws-managed-flink': awsCost,
      'confluent-cloud': null,
      reasons: {
        'confluent-cloud':
          'Confluent Cloud for Apache Flink runs Flink SQL statements (and the Table API) only, not DataStream programs',
      },
    };
  const cf = pricing.confluentCloud;
  const cfuLow = Math.max(1, Math.ceil(plan.requiredCores));
  const cfuHigh = Math.max(cfuLow, Math.ceil(cores));
  const monthly = (cfu: number) => cents(cfu * cf.perCfuHour * plan.hoursPerMonth);
  return {
    'aws-managed-flink': awsCost,
    'confluent-cloud': {
      cfuLow,
      cfuHigh,
      monthlyLow: monthly(cfuLow),
      monthlyHigh: monthly(cfuHigh),
      heuristic: true,
      basis: `heuristic: one CFU per core busy at the peak rate (${cfuLow}) to one per core the plan provisions (${cfuHigh}); Confluent publishes no CFUs per core, and autoscales statements within a compute pool's maximum`,
      perCfuHour: cf.perCfuHour,
      source: cf.source,
      asOf: cf.asOf,
    },
  };
}
