import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifySwagger, { type SwaggerTransform, type SwaggerTransformObject } from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from '@fastify/type-provider-zod';
import fp from 'fastify-plugin';
import { problemTypesMarkdown } from '../../schemas/problem-types.js';
import { publicDir } from './views.js';

const VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">';

/** Only the versioned JSON API is documented; pages, probes, metrics and assets stay out. */
const DOCUMENTED_PREFIX = '/api/v1/';

const DESCRIPTION = `[Flink Estimator](/) · [OpenAPI document](/api/openapi.json)

Sizes Apache Flink jobs: describe the job (a quick \`workload\` or a detailed \`pipeline\`), get parallelism, CPU, slots, TaskManagers and Flink-exact memory, save estimations, and export deployable Flink configuration, FlinkDeployment and CMF FlinkApplication manifests.

**Requests.** Bodies are JSON and need \`Content-Type: application/json\` (anything else is a 415). Byte amounts are integers (bytes); rates are records per second; durations carry their unit in the field name.

**Errors** are RFC 9457 problem documents (\`application/problem+json\`): \`type\`, \`title\`, \`status\`, \`detail\`, and for invalid input \`errors\`, one \`{ "path", "message" }\` per field with its dotted JSON path (\`pipeline.operators.0.inputs.0\`; \`query.\` and \`params.\` for the URL).

Problem types, each documented at its \`type\` URI: ${problemTypesMarkdown()}.

**Versions and concurrent edits.** \`GET /api/v1/estimations/{id}\` returns an \`ETag\`. Send it in \`If-None-Match\` to get 304 while nothing changed, and in \`If-Match\` on PATCH or DELETE so that a change someone else made in between is reported (412) rather than overwritten.

**Pages of results.** Lists use keyset pagination: pass \`nextCursor\` from one page as \`cursor\` for the next; it is null on the last page.

**Authentication** is off by default. A shared deployment may run with AUTH_MODE=token (send \`Authorization: Bearer <token>\`) or AUTH_MODE=proxy (an authenticating ingress sets the user); saved estimations then record their owner.`;

/** Hides every route outside /api/v1, then lets the zod provider turn schemas into JSON Schema. */
const transform: SwaggerTransform = (document) => {
  if (!document.url.startsWith(DOCUMENTED_PREFIX)) return { schema: { hide: true }, url: document.url };
  return jsonSchemaTransform(document as Parameters<typeof jsonSchemaTransform>[0]);
};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Errors are served as application/problem+json (plugins/errors.ts), but @fastify/swagger
 * labels every schema-described response application/json: relabel the 4xx/5xx ones.
 */
function problemMediaTypes(document: Json): Json {
  const paths = isObject(document.paths) ? document.paths : {};
  for (const item of Object.values(paths)) {
    if (!isObject(item)) continue;
    for (const operation of Object.values(item)) {
      if (!isObject(operation) || !isObject(operation.responses)) continue;
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400 || !isObject(response) || !isObject(response.content)) continue;
        const media = response.content['application/json'];
        if (media !== undefined) response.content = { 'application/problem+json': media };
      }
    }
  }
  return document;
}

/** Tags no documented operation uses (e.g. a route group not mounted in this build) are left out. */
function usedTagsOnly(document: Json): Json {
  const used = new Set<unknown>();
  for (const item of Object.values(isObject(document.paths) ? document.paths : {})) {
    for (const operation of Object.values(isObject(item) ? item : {})) {
      if (isObject(operation) && Array.isArray(operation.tags))
        for (const tag of operation.tags) used.add(tag);
    }
  }
  if (Array.isArray(document.tags)) {
    document.tags = document.tags.filter((tag) => isObject(tag) && used.has(tag.name));
  }
  return document;
}

const transformObject: SwaggerTransformObject = (document) =>
  usedTagsOnly(problemMediaTypes(jsonSchemaTransformObject(document) as Json));

/**
 * The OpenAPI 3.1 document of the /api/v1 routes, generated from the same zod schemas that
 * validate requests, at GET /api/openapi.json; and the interactive reference at /docs, served
 * from the @fastify/swagger-ui package (no CDN). Swagger UI's start-up script is a file
 * (/docs/static/swagger-initializer.js), so it runs under the app's CSP, which allows no inline script.
 * Registered before the routes: @fastify/swagger collects them with an onRoute hook.
 */
export default fp(
  async (app) => {
    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Flink Estimator API',
          version: '1.0.0',
          description: DESCRIPTION,
          license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
        },
        tags: [
          { name: 'Estimates', description: 'Size a job from its description' },
          { name: 'Saved estimations', description: 'Keep, list, search, rename and delete estimations' },
          {
            name: 'Manifests',
            description: 'Flink configuration, FlinkDeployment and CMF FlinkApplication files for a plan',
          },
          {
            name: 'Memory',
            description: 'Flink’s own TaskManager and JobManager memory derivation, byte for byte',
          },
          { name: 'Model', description: 'The coefficients and prices behind every estimate' },
          {
            name: 'Calibrations',
            description:
              'Measure a running job (Flink REST, Prometheus or a snapshot): the autoscaler’s recommendation and a calibrated plan',
          },
          { name: 'Intake', description: 'A pipeline draft from Flink SQL or one of Flink’s plans' },
        ],
        components: {
          securitySchemes: {
            bearerAuth: {
              type: 'http',
              scheme: 'bearer',
              description: 'Only when the server runs with AUTH_MODE=token',
            },
          },
        },
        // Optional: no credentials at all (AUTH_MODE=none, the default), or a bearer token.
        security: [{}, { bearerAuth: [] }],
      },
      transform,
      transformObject,
    });

    // Its own scope, so the hook below touches only Swagger UI's responses.
    await app.register(async (docs) => {
      // Swagger UI's index page has no viewport meta, so a phone would lay it out 980 px wide.
      docs.addHook('onSend', async (_request, reply, payload) => {
        const type = String(reply.getHeader('content-type') ?? '');
        if (!type.startsWith('text/html') || typeof payload !== 'string') return payload;
        return payload.replace('<head>', `<head>\n      ${VIEWPORT}`);
      });
      await docs.register(fastifySwaggerUi, {
        routePrefix: '/docs',
        theme: {
          title: 'Flink Estimator API reference',
          css: [{ filename: 'docs.css', content: readFileSync(join(publicDir, 'css', 'docs.css'), 'utf8') }],
          js: [{ filename: 'docs.js', content: readFileSync(join(publicDir, 'js', 'docs.js'), 'utf8') }],
        },
        uiConfig: {
          // BaseLayout leaves out the standalone top bar, whose Swagger logo is an SVG with an inline
          // <style> element that the app's CSP (style-src 'self') blocks; the description links home.
          layout: 'BaseLayout',
          // Deep links put an <a> inside each operation's toggle button (nested interactive
          // controls, which screen readers and keyboards handle badly).
          deepLinking: false,
          // Its colours are inline styles below 4.5:1 on the dark code background; plain text reads well.
          syntaxHighlight: false,
          docExpansion: 'list',
          defaultModelsExpandDepth: 0,
          displayRequestDuration: true,
        },
      });
    });

    app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'openapi' },
);
