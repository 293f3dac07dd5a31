import fastifyRateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import helmet from 'helmet';
import { problem } from '../schemas/problem.js';

export interface SecurityOptions {
  /** Requests per minute per client on /api; 0 turns rate limiting off. */
  rateLimitMax: number;
}

/**
 * Security headers with a CSP that allows no inline script and no framing, and a per-client
 * rate limit on the API (429 with Retry-After, as a problem document).
 */
export default fp<SecurityOptions>(
  async (app, { rateLimitMax }) => {
    // Built once: @fastify/helmet builds a new helmet (re-parsing the CSP) on every request, which
    // was a sixth of the cost of a trivial request. helmet itself sets the same headers.
    const securityHeaders = helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
      // Pages are served over plain HTTP on a laptop; HSTS belongs to the ingress that terminates TLS.
      strictTransportSecurity: false,
    });
    app.addHook('onRequest', (request, reply, done) => {
      securityHeaders(request.raw, reply.raw, (error?: unknown) =>
        done(error instanceof Error ? error : undefined),
      );
    });

    if (rateLimitMax > 0) {
      await app.register(fastifyRateLimit, {
        max: rateLimitMax,
        timeWindow: '1 minute',
        // Limit only the API: pages and health probes stay reachable under load.
        allowList: (request) => !request.url.startsWith('/api/'),
        errorResponseBuilder: (_request, context) => {
          const body = problem(
            429,
            `Rate limit of ${context.max} requests per minute exceeded; retry in ${Math.ceil(context.ttl / 1000)} s.`,
          );
          return Object.assign(new Error(body.detail), { statusCode: 429 });
        },
      });
    }
  },
  { name: 'security' },
);
