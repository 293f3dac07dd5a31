import { randomUUID } from 'node:crypto';
import { serializerCompiler, validatorCompiler } from '@fastify/type-provider-zod';
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import type { Config } from './config.js';
import authPlugin from './plugins/app/auth.js';
import calibrationPlugin from './plugins/app/calibration.js';
import dbPlugin from './plugins/app/db.js';
import errorsPlugin from './plugins/app/errors.js';
import estimationsPlugin from './plugins/app/estimations.js';
import estimatorPlugin from './plugins/app/estimator.js';
import intakePlugin from './plugins/app/intake.js';
import metricsPlugin from './plugins/app/metrics.js';
import cookiePlugin from './plugins/external/cookie.js';
import helmetPlugin from './plugins/external/helmet.js';
import swaggerPlugin from './plugins/external/swagger.js';
import viewsPlugin from './plugins/external/views.js';
import api from './routes/api/index.js';
import health from './routes/health.js';
import pages from './routes/pages/index.js';

export interface AppOptions {
  config: Config;
  /** Pino options, or false for silence in tests. */
  logger?: FastifyServerOptions['logger'];
}

const MAX_REQUEST_ID_LENGTH = 128;

/**
 * Builds the whole application without listening, so tests drive it with app.inject
 * on a temporary database and server.ts only adds listen and shutdown.
 */
export async function buildApp({ config, logger }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ?? { level: config.LOG_LEVEL },
    bodyLimit: config.BODY_LIMIT_BYTES,
    // One log line per request (onResponse below), never a request body.
    logController: new LogController({ disableRequestLogging: true }),
    // genReqId validates an incoming x-request-id itself instead of trusting it blindly.
    requestIdHeader: false,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w.:-]{1,128}$/.test(incoming)
        ? incoming.slice(0, MAX_REQUEST_ID_LENGTH)
        : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    trustProxy: true,
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Only JSON reaches the API: a text/plain body is a classic cross-site "simple request".
  app.removeContentTypeParser('text/plain');
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        url: request.url.split('?')[0],
        route: request.routeOptions.url,
        statusCode: reply.statusCode,
        responseTimeMs: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request',
    );
  });

  // Third-party plugins (plugins/external: one file each, configured for this app). Form parsing,
  // CSRF and the rate limit are registered by the route scopes they serve (pages, API).
  await app.register(helmetPlugin);
  await app.register(cookiePlugin, { secret: config.COOKIE_SECRET });
  await app.register(viewsPlugin);
  // Before any route: @fastify/swagger collects routes as they are added.
  await app.register(swaggerPlugin);

  // The app's own decorators and handlers (plugins/app), in dependency order.
  await app.register(errorsPlugin);
  await app.register(dbPlugin, { path: config.DATABASE_PATH });
  await app.register(metricsPlugin);
  await app.register(estimatorPlugin, { config });
  await app.register(estimationsPlugin);
  await app.register(calibrationPlugin, { config });
  await app.register(intakePlugin);
  await app.register(authPlugin, { config });

  // Routes: each scope registers the hooks and plugins it needs.
  await app.register(health);
  await app.register(api, { rateLimitMax: config.RATE_LIMIT_MAX });
  await app.register(pages, { config });

  return app;
}
