import { z } from 'zod';

/**
 * Every setting the service reads, validated once at start. This is the only module that
 * reads process.env: everything else receives a Config.
 */
const numberFromEnv = (schema: z.ZodNumber) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value), schema);

const ConfigSchema = z.object({
  PORT: numberFromEnv(z.number().int().min(0).max(65535)).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_PATH: z.string().min(1).default('./data/flink-estimator.db'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest accepted request body, bytes. */
  BODY_LIMIT_BYTES: numberFromEnv(
    z
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024),
  ).default(1024 * 1024),
  /** Requests per minute per client on /api; 0 turns rate limiting off. */
  RATE_LIMIT_MAX: numberFromEnv(z.number().int().min(0)).default(600),
  /** Signs the CSRF cookie. Generated per process when unset (forms then break across restarts). */
  COOKIE_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  AUTH_MODE: z.enum(['none', 'token', 'proxy']).default('none'),
  /** Comma-separated bearer tokens accepted when AUTH_MODE=token. */
  AUTH_TOKENS: z.string().optional(),
  /** Header carrying the authenticated user when AUTH_MODE=proxy (set by the ingress, e.g. oauth2-proxy). */
  AUTH_PROXY_HEADER: z.string().min(1).default('x-forwarded-user'),
  /** Optional JSON file overriding the estimator's model coefficients. */
  MODEL_FILE: z.string().min(1).optional(),
  /**
   * Hosts (name or name:port, comma-separated) that POST /api/v1/calibrations may fetch from — a
   * JobManager or a Prometheus. Empty: URL sources are off; uploaded snapshots still work.
   */
  CALIBRATION_ALLOWED_HOSTS: z.string().default(''),
  /** Timeout of each call to a calibration source, milliseconds. */
  CALIBRATION_TIMEOUT_MS: numberFromEnv(z.number().int().min(100).max(120_000)).default(10_000),
  /** Largest response accepted from a calibration source, bytes. */
  CALIBRATION_MAX_RESPONSE_BYTES: numberFromEnv(
    z
      .number()
      .int()
      .min(1024)
      .max(256 * 1024 * 1024),
  ).default(8 * 1024 * 1024),
  /** Calls to calibration sources in flight at once, across all requests. */
  CALIBRATION_MAX_IN_FLIGHT: numberFromEnv(z.number().int().min(1).max(256)).default(8),
  PRICE_PER_CORE_HOUR: numberFromEnv(z.number().min(0)).optional(),
  PRICE_PER_GIB_HOUR: numberFromEnv(z.number().min(0)).optional(),
  /** AWS Managed Service for Apache Flink, per KPU-hour (cost.platforms). */
  PRICE_AWS_KPU_HOUR: numberFromEnv(z.number().min(0)).optional(),
  /** Confluent Cloud for Apache Flink, per CFU-hour (cost.platforms). */
  PRICE_CONFLUENT_CFU_HOUR: numberFromEnv(z.number().min(0)).optional(),
  PRICE_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code such as USD')
    .optional(),
});

export type Config = z.output<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Parses the environment; throws a ConfigError whose message names each bad variable and what is allowed. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  const config = result.data;
  if (config.AUTH_MODE === 'token' && !config.AUTH_TOKENS?.split(',').some((t) => t.trim() !== '')) {
    throw new ConfigError('Invalid configuration: AUTH_TOKENS: required when AUTH_MODE=token');
  }
  return config;
}
