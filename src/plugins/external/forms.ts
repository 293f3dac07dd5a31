import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fp from 'fastify-plugin';

/**
 * HTML form posts for the scope that registers it (the pages, routes/pages/index.ts; the API
 * accepts JSON alone): form bodies parsed with the same BODY_LIMIT_BYTES as JSON bodies, and
 * `app.csrfProtection` for the preHandler of every state-changing form (the body is parsed by then).
 * Needs the cookie plugin (the CSRF secret is a signed cookie).
 */
export default fp<{ bodyLimit: number }>(
  async (app, { bodyLimit }) => {
    await app.register(fastifyFormbody, { bodyLimit });
    await app.register(fastifyCsrf, {
      cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/' },
    });
  },
  { name: 'forms', dependencies: ['cookie'] },
);
