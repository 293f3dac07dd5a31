import { readFileSync } from 'node:fs';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';
import {
  defaultModel,
  defaultPricing,
  estimate,
  type LoadPlan,
  type Model,
  ModelSchema,
  type Pricing,
  planAtLoad,
} from '../../estimator/index.js';
import type { JobSpec } from '../../jobspec/index.js';
import type { Estimate } from '../../schemas/estimate.js';

declare module 'fastify' {
  interface FastifyInstance {
    estimator: {
      /**
       * The whole plan for a validated spec, with the prices in force and the model in force
       * (or `model`, e.g. one fitted to calibrations). Each call counts in the estimates metric.
       */
      estimate: (spec: JobSpec, model?: Model) => Estimate;
      /**
       * The plan's size and price alone (for the load chart), with the same model and prices. Not
       * counted in the estimates metric: it is a step of a page's one estimate, not an estimate.
       */
      planAtLoad: (spec: JobSpec) => LoadPlan;
      model: Model;
      pricing: Pricing;
    };
  }
}

export class ModelFileError extends Error {}

/** Merges a partial override into the default model, object by object (arrays and scalars replace). */
function deepMerge(base: unknown, override: unknown): unknown {
  if (
    base === null ||
    override === null ||
    typeof base !== 'object' ||
    typeof override !== 'object' ||
    Array.isArray(base) ||
    Array.isArray(override)
  ) {
    return override === undefined ? base : override;
  }
  const merged: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = deepMerge(merged[key], value);
  }
  return merged;
}

/** The coefficients in force: the defaults, with MODEL_FILE's overrides applied and validated. */
export function loadModel(path: string | undefined): Model {
  if (!path) return defaultModel;
  let override: unknown;
  try {
    override = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ModelFileError(`MODEL_FILE ${path}: ${(error as Error).message}`);
  }
  const result = ModelSchema.safeParse(deepMerge(defaultModel, override));
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ModelFileError(`MODEL_FILE ${path} is not a valid model: ${issues}`);
  }
  return result.data;
}

/** Prices from configuration over the documented defaults. */
export function loadPricing(config: Config): Pricing {
  return {
    ...defaultPricing,
    ...(config.PRICE_PER_CORE_HOUR !== undefined ? { perCoreHour: config.PRICE_PER_CORE_HOUR } : {}),
    ...(config.PRICE_PER_GIB_HOUR !== undefined ? { perGiBHour: config.PRICE_PER_GIB_HOUR } : {}),
    ...(config.PRICE_CURRENCY !== undefined ? { currency: config.PRICE_CURRENCY } : {}),
    platforms: platformPricing(config),
  };
}

/** Platform prices set in configuration replace the defaults' price and name the configuration as their source. */
function platformPricing(config: Config): Pricing['platforms'] {
  const { awsManagedFlink, confluentCloud } = defaultPricing.platforms;
  const configured = (name: string) => ({ source: `configuration (${name})`, asOf: 'as configured' });
  return {
    awsManagedFlink:
      config.PRICE_AWS_KPU_HOUR !== undefined
        ? { ...awsManagedFlink, perKpuHour: config.PRICE_AWS_KPU_HOUR, ...configured('PRICE_AWS_KPU_HOUR') }
        : awsManagedFlink,
    confluentCloud:
      config.PRICE_CONFLUENT_CFU_HOUR !== undefined
        ? {
            ...confluentCloud,
            perCfuHour: config.PRICE_CONFLUENT_CFU_HOUR,
            ...configured('PRICE_CONFLUENT_CFU_HOUR'),
          }
        : confluentCloud,
  };
}

/** Publishes the estimator with the model and prices in force, so routes never assemble it. */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    const model = loadModel(config.MODEL_FILE);
    const pricing = loadPricing(config);
    const compute = (spec: JobSpec, fitted: Model = model): Estimate => {
      app.metrics.estimates.inc();
      return estimate(spec, { model: fitted, pricing });
    };
    app.decorate('estimator', {
      estimate: compute,
      planAtLoad: (spec) => planAtLoad(spec, { model, pricing }),
      model,
      pricing,
    });
  },
  { name: 'estimator', dependencies: ['db', 'metrics'] },
);
