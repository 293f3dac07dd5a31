import fastifyRateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { problem } from '../../schemas/problem.js';

export interface RateLimitOptions {
  /** Requests per minute per client; 0 turns rate limiting off. */
  max: number;
}

/**
 * A per-client rate limit (429 with Retry-After, as a problem document) on the routes of the scope
 * that registers it — the API (routes/api/index.ts), so pages and health probes stay reachable
 * under load without a list of URL prefixes to exempt.
 */
export default fp<RateLimitOptions>(
  async (app, { max }) => {
    if (max <= 0) return;
    await app.register(fastifyRateLimit, {
      max,
      timeWindow: '1 minute',
      errorResponseBuilder: (_request, context) => {
        const body = problem(
          429,
          `Rate limit of ${context.max} requests per minute exceeded; retry in ${Math.ceil(context.ttl / 1000)} s.`,
        );
        return Object.assign(new Error(body.detail), { statusCode: 429 });
      },
    });
  },
  { name: 'rate-limit' },
);
