/**
 * The floor under the new-spec target: a bare Fastify (the app's version, no plugins, no hooks)
 * whose POST /api/v1/estimates parses the JSON body as Fastify does and answers one Estimate of
 * the bench spec, computed once at start, written as the app writes it (JSON.stringify, then the
 * app's UTF-8 slab: src/routes/api/send-json.ts). No validation, no estimate(), no security
 * headers: what any implementation of the route pays for reading a new spec and writing its
 * ~33 KB answer on this machine. When this alone misses the target, no estimator speed meets it.
 * Spawned by bench/run.ts (`node --import tsx bench/floor-server.ts`); prints its address.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import type { estimate as estimateFn } from '../src/estimator/index.js';
import { JobSpecSchema } from '../src/jobspec/index.js';
import type { sendJson as sendJsonFn } from '../src/routes/api/send-json.js';
import { realisticPipelineSpec } from './specs.js';

// The compiled modules the server runs (bench/run.ts builds dist/ first).
const dist = (path: string) => pathToFileURL(join(import.meta.dirname, '..', 'dist', path)).href;
const { estimate }: { estimate: typeof estimateFn } = await import(dist('estimator/index.js'));
const { sendJson }: { sendJson: typeof sendJsonFn } = await import(dist('routes/api/send-json.js'));

const answer = estimate(JobSpecSchema.parse(realisticPipelineSpec));
const app = Fastify({ logger: false });
app.post('/api/v1/estimates', async (_request, reply) => sendJson(reply, answer));
const address = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`Floor listening at ${address}`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
