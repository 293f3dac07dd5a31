/**
 * Monthly cost from the cores and memory the plan requests (TaskManagers + JobManager).
 *
 * Default prices: AWS Fargate on-demand, Linux/x86, us-east-1 — $0.04048 per vCPU-hour and
 * $0.004445 per GB-hour (aws.amazon.com/fargate/pricing; Fargate bills pods by the vCPU and memory
 * they request, the same two numbers a Flink plan sets). 730 hours per month is the AWS Pricing
 * Calculator's convention (24 × 365 ÷ 12). A deployment sets its own prices in configuration.
 */
import { z } from 'zod';
import { defaultPlatformPricing, PlatformPricingSchema } from './platforms.js';

export const PricingSchema = z
  .strictObject({
    currency: z.string().min(1).max(8),
    perCoreHour: z.number().min(0),
    perGiBHour: z.number().min(0),
    hoursPerMonth: z.number().positive(),
    platforms: PlatformPricingSchema,
  })
  .describe('Prices used for the cost estimate');

export type Pricing = z.output<typeof PricingSchema>;

export const defaultPricing: Pricing = {
  currency: 'USD',
  perCoreHour: 0.04048,
  perGiBHour: 0.004445,
  hoursPerMonth: 730,
  platforms: defaultPlatformPricing,
};

export interface CostPlan {
  cores: number;
  memoryGiB: number;
  hourly: number;
  monthly: number;
}

const cents = (x: number) => Math.round(x * 100) / 100;

/** `containerMiB` values are the Kubernetes memory requests (⌊process / MiB⌋). */
export function monthlyCost(
  taskManagers: { count: number; cpu: number; containerMiB: number },
  jobManager: { cpu: number; containerMiB: number },
  pricing: Pricing,
): CostPlan {
  const cores = taskManagers.count * taskManagers.cpu + jobManager.cpu;
  const memoryGiB = (taskManagers.count * taskManagers.containerMiB + jobManager.containerMiB) / 1024;
  const hourly = cores * pricing.perCoreHour + memoryGiB * pricing.perGiBHour;
  return {
    cores,
    memoryGiB: Math.round(memoryGiB * 1000) / 1000,
    hourly: Math.round(hourly * 10000) / 10000,
    monthly: cents(hourly * pricing.hoursPerMonth),
  };
}
