import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';
import { problem } from '../../schemas/problem.js';
import { sendProblem, wantsHtml } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking: the owner recorded on saves. Null when AUTH_MODE=none. */
    user: string | null;
  }
  interface FastifyInstance {
    auth: {
      mode: Config['AUTH_MODE'];
      /** The owner a token belongs to, or undefined when it is not one of ours. */
      ownerForToken: (token: string) => string | undefined;
      /**
       * The onRequest hook of the scopes that need a user (the API and the pages): it learns who
       * is asking and refuses the request when nobody is, unless the route says `config.public`.
       */
      identify: onRequestAsyncHookHandler;
    };
  }
  interface FastifyContextConfig {
    /** Reachable without signing in (the login form), inside a scope that otherwise needs a user. */
    public?: boolean;
  }
}

export const SESSION_COOKIE = 'session';
const SESSION_MAX_AGE_SECONDS = 12 * 3600;
const MAX_USER_LENGTH = 200;

const digest = (text: string) => createHash('sha256').update(text).digest();

interface TokenEntry {
  owner: string;
  digest: Buffer;
}

/** `AUTH_TOKENS` entries are `token` or `owner=token`; an unnamed token's owner is derived from its hash. */
export function parseTokens(spec: string | undefined): TokenEntry[] {
  return (spec ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const eq = entry.indexOf('=');
      const token = eq > 0 ? entry.slice(eq + 1) : entry;
      const owner = eq > 0 ? entry.slice(0, eq) : `token-${digest(token).toString('hex').slice(0, 8)}`;
      return { owner, digest: digest(token) };
    });
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

async function deny(request: FastifyRequest, reply: FastifyReply, detail: string) {
  if (wantsHtml(request) && request.method === 'GET' && request.server.auth.mode === 'token') {
    const next = encodeURIComponent(request.url);
    return reply.redirect(`/login?next=${next}`, 303);
  }
  reply.header('www-authenticate', 'Bearer realm="flink-estimator"');
  return sendProblem(request, reply, problem(401, detail));
}

/**
 * Optional authentication for shared deployments (AUTH_MODE): `token` — bearer tokens for the
 * API and a login form (signed session cookie) for pages; `proxy` — trust a header set by the
 * ingress (e.g. oauth2-proxy). Every request learns its `user`, recorded as the owner of saves.
 */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    const tokens = parseTokens(config.AUTH_TOKENS);
    const ownerForToken = (token: string) => {
      const candidate = digest(token);
      // Compare against every entry so timing does not reveal which one matched.
      let owner: string | undefined;
      for (const entry of tokens) {
        if (timingSafeEqual(entry.digest, candidate)) owner = owner ?? entry.owner;
      }
      return owner;
    };
    const proxyHeader = config.AUTH_PROXY_HEADER.toLowerCase();

    // Probes, metrics, assets and the API description are registered outside the scopes that add
    // this hook, so they stay reachable without a user; inside them a route opts out by `config.public`.
    const identify: onRequestAsyncHookHandler = async (request, reply) => {
      const isPublic = request.routeOptions.config?.public === true;

      if (config.AUTH_MODE === 'proxy') {
        const value = request.headers[proxyHeader];
        const user = typeof value === 'string' ? value.trim() : '';
        if (user !== '' && user.length <= MAX_USER_LENGTH) {
          request.user = user;
          return;
        }
        if (isPublic) return;
        return deny(
          request,
          reply,
          `Authentication required: the ${proxyHeader} header set by the proxy is missing.`,
        );
      }

      const token = bearer(request);
      if (token !== undefined) {
        const owner = ownerForToken(token);
        if (owner !== undefined) {
          request.user = owner;
          return;
        }
        if (!isPublic) return deny(request, reply, 'The bearer token is not valid.');
      }
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) {
        const session = request.unsignCookie(cookie);
        if (session.valid && session.value) {
          request.user = session.value;
          return;
        }
      }
      if (isPublic) return;
      return deny(request, reply, 'Authentication required: send "Authorization: Bearer <token>".');
    };

    app.decorate('auth', { mode: config.AUTH_MODE, ownerForToken, identify });
    app.decorateRequest('user', null);
  },
  { name: 'auth', dependencies: ['errors'] },
);

/** Makes a route scope need a user (nothing to do when AUTH_MODE=none). */
export function requireUser(scope: FastifyInstance): void {
  if (scope.auth.mode !== 'none') scope.addHook('onRequest', scope.auth.identify);
}

/** Starts a page session for an owner (after the login form checked their token). */
export function startSession(reply: FastifyReply, owner: string): void {
  reply.setCookie(SESSION_COOKIE, owner, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    signed: true,
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
}

export function endSession(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
