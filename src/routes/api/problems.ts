import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { sendProblem } from '../../plugins/app/errors.js';
import { problem } from '../../schemas/problem.js';
import { PROBLEM_TYPES, type ProblemType } from '../../schemas/problem-types.js';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** The catalogue's only markup is `code` spans in backticks. */
const inline = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

function page(type: ProblemType): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(`${type.status} ${type.title}`)} · Flink Estimator API</title>
  <link rel="stylesheet" href="/static/css/app.css">
</head>
<body>
  <main id="main" class="container">
    <p><a href="/docs">API reference</a></p>
    <h1>Problem type: ${escapeHtml(type.slug)}</h1>
    <dl class="kv">
      <dt>Status</dt><dd>${type.status} ${escapeHtml(type.title)}</dd>
      <dt>Type URI</dt><dd><code>/docs/problems/${escapeHtml(type.slug)}</code></dd>
      <dt>When</dt><dd>${inline(type.when)}</dd>
      <dt>What to do</dt><dd>${inline(type.fix)}</dd>
    </dl>
    <p>Every error from the API is an RFC 9457 problem document (<code>application/problem+json</code>) with
    <code>type</code>, <code>title</code>, <code>status</code>, <code>detail</code> and, for invalid fields,
    <code>errors</code>: a list of <code>{ "path", "message" }</code>.</p>
  </main>
</body>
</html>
`;
}

/** GET /docs/problems/{slug}: the human-readable page a problem document's `type` points to. */
const problems: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/docs/problems/:slug',
    { schema: { hide: true, params: z.object({ slug: z.string() }) } },
    async (request, reply) => {
      const type = PROBLEM_TYPES.find((t) => t.slug === request.params.slug);
      if (!type) return sendProblem(request, reply, problem(404, 'There is no problem type by that name.'));
      return reply.type('text/html; charset=utf-8').send(page(type));
    },
  );
};

export default problems;
