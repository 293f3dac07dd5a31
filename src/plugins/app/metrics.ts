import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: { registry: Registry; estimates: Counter };
  }
}

/**
 * Prometheus metrics on GET /metrics: process defaults, request duration by route pattern
 * (not raw URL, so ids don't explode cardinality) and a count of whole estimates computed.
 */
export default fp(
  async (app) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'flink_estimator_' });
    const duration = new Histogram({
      name: 'flink_estimator_http_request_duration_seconds',
      help: 'HTTP request duration by method, route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    const estimates = new Counter({
      name: 'flink_estimator_estimates_total',
      // What docs/api.md (Operations) says it counts: whole plans, not the load chart's points.
      help: 'Whole estimates computed: the API (either model), pages, saved estimations; not the load chart points',
      registers: [registry],
    });
    app.decorate('metrics', { registry, estimates });

    app.addHook('onResponse', async (request, reply) => {
      duration
        .labels(request.method, request.routeOptions.url ?? 'unmatched', String(reply.statusCode))
        .observe(reply.elapsedTime / 1000);
    });

    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'metrics' },
);
