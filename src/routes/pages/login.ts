import type { FastifyPluginAsync } from 'fastify';
import { endSession, startSession } from '../../plugins/app/auth.js';
import { renderPage, setFlash } from './render.js';

/** Only local paths may follow a login, so the form can't be used to bounce users elsewhere. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) ? next : '/';
}

/** The login form for AUTH_MODE=token: a valid token starts a signed session cookie. */
const login: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: { next?: string } }>(
    '/login',
    { schema: { hide: true }, config: { public: true } },
    async (request, reply) => {
      if (app.auth.mode !== 'token') return reply.redirect('/', 303);
      return renderPage(request, reply, 'login', { title: 'Sign in', next: safeNext(request.query.next) });
    },
  );

  app.post<{ Body: { token?: string; next?: string } }>(
    '/login',
    { schema: { hide: true }, config: { public: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      if (app.auth.mode !== 'token') return reply.redirect('/', 303);
      const next = safeNext(request.body?.next);
      const token = typeof request.body?.token === 'string' ? request.body.token.trim() : '';
      const owner = token === '' ? undefined : app.auth.ownerForToken(token);
      if (owner === undefined) {
        return renderPage(
          request,
          reply,
          'login',
          {
            title: 'Sign in',
            next,
            error: token === '' ? 'Enter your access token' : 'That token is not valid',
          },
          401,
        );
      }
      startSession(reply, owner);
      setFlash(reply, { kind: 'success', text: `Signed in as ${owner}.` });
      return reply.redirect(next, 303);
    },
  );

  app.post(
    '/logout',
    { schema: { hide: true }, config: { public: true }, preHandler: app.csrfProtection },
    async (_request, reply) => {
      endSession(reply);
      return reply.redirect('/', 303);
    },
  );
};

export default login;
