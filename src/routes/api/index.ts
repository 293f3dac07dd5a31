import type { FastifyError, FastifyPluginAsync } from 'fastify';
import { requireUser } from '../../plugins/app/auth.js';
import { notFoundProblem, problemForError } from '../../plugins/app/errors.js';
import rateLimit from '../../plugins/external/rate-limit.js';
import problems from './problems.js';
import { replyProblem } from './responses.js';
import v1 from './v1/index.js';

/**
 * The JSON API. Only `application/json` bodies are parsed here (the app removes the text/plain
 * parser and only the pages scope parses forms), so a cross-site "simple request" never reaches
 * a handler: anything else is a 415 problem document.
 */
const api: FastifyPluginAsync<{ rateLimitMax: number }> = async (app, { rateLimitMax }) => {
  await app.register(
    async (scope) => {
      // Errors and unknown URLs under /api are answered as problem documents whatever the client
      // accepts, and the rate limit covers these routes and nothing else.
      scope.setErrorHandler(async (error: FastifyError, request, reply) =>
        replyProblem(reply, problemForError(error, request, reply)),
      );
      scope.setNotFoundHandler(async (request, reply) => replyProblem(reply, notFoundProblem(request)));
      requireUser(scope);
      await scope.register(rateLimit, { max: rateLimitMax });
      await scope.register(v1, { prefix: '/v1' });
    },
    { prefix: '/api' },
  );
  // The pages that problem documents' `type` URIs point to.
  await app.register(problems);
};

export default api;
