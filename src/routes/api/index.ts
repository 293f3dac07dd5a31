import type { FastifyPluginAsync } from 'fastify';
import problems from './problems.js';
import v1 from './v1/index.js';

/**
 * The JSON API. Only `application/json` bodies are parsed here (the app removes the text/plain
 * parser and only the pages scope parses forms), so a cross-site "simple request" never reaches
 * a handler: anything else is a 415 problem document.
 */
const api: FastifyPluginAsync = async (app) => {
  await app.register(v1, { prefix: '/api/v1' });
  // The pages that problem documents' `type` URIs point to.
  await app.register(problems);
};

export default api;
