import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fp from 'fastify-plugin';

/**
 * Signed cookies (sessions, CSRF secret, flash). Without COOKIE_SECRET a random secret is drawn
 * per process: cookies then do not survive a restart, which is fine for a laptop.
 */
export default fp<{ secret: string | undefined }>(
  async (app, { secret }) => {
    await app.register(fastifyCookie, { secret: secret ?? randomUUID() + randomUUID() });
  },
  { name: 'cookie' },
);
