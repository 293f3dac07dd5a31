import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import fp from 'fastify-plugin';
import nunjucks from 'nunjucks';
import {
  formatBytes,
  formatCompact,
  formatDuration,
  formatMoney,
  formatNumber,
  formatRate,
  formatTimestamp,
} from '../../format.js';

const root = join(import.meta.dirname, '..', '..', '..');
// Works from src/plugins (tsx, vitest) and dist/plugins (compiled): both are two levels below the root.
export const viewsDir = join(root, 'views');
export const publicDir = join(root, 'public');

/** Nunjucks pages with autoescaping on, formatting filters, and static assets under /static/. */
export default fp(
  async (app) => {
    await app.register(fastifyView, {
      engine: { nunjucks },
      root: viewsDir,
      viewExt: 'njk',
      options: {
        autoescape: true,
        throwOnUndefined: false,
        onConfigure: (env: nunjucks.Environment) => {
          env.addFilter('bytes', formatBytes);
          env.addFilter('number', formatNumber);
          env.addFilter('compact', formatCompact);
          env.addFilter('rate', formatRate);
          env.addFilter('duration', formatDuration);
          env.addFilter('money', formatMoney);
          env.addFilter('timestamp', formatTimestamp);
          env.addFilter('json', (value: unknown) => JSON.stringify(value, null, 2));
        },
      },
    });
    await app.register(fastifyStatic, {
      root: publicDir,
      prefix: '/static/',
      immutable: false,
      maxAge: '1h',
    });
  },
  { name: 'views' },
);
