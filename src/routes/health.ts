import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { problem } from '../schemas/problem.js';

const Status = z.object({ status: z.literal('ok') });

/** Liveness (no database) and readiness (database answers) for Kubernetes probes. */
const health: FastifyPluginAsyncZod = async (app) => {
  app.get('/healthz', { schema: { hide: true, response: { 200: Status } } }, async () => ({
    status: 'ok' as const,
  }));

  app.get('/readyz', { schema: { hide: true } }, async (request, reply) => {
    try {
      if (app.store.ping()) return { status: 'ok' };
    } catch (err) {
      request.log.error({ err }, 'readiness check failed');
    }
    return reply
      .code(503)
      .type('application/problem+json')
      .send(problem(503, 'The database is not reachable.'));
  });
};

export default health;
