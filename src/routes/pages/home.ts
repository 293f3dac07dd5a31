import type { FastifyPluginAsync } from 'fastify';
import { renderPage } from './render.js';

/** The landing page: what the tool does, for whom, and where to start. */
const home: FastifyPluginAsync = async (app) => {
  app.get('/', { schema: { hide: true } }, async (request, reply) =>
    renderPage(request, reply, 'home', { title: 'Size your Flink jobs' }),
  );
};

export default home;
