import fp from 'fastify-plugin';
import { ParserPool } from '../../intake/parser-pool.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The Flink SQL parser's worker thread (started on first use, stopped when idle). */
    sqlParser: ParserPool;
  }
}

/** Longest one script may keep the parser busy (queue included) before the worker is replaced: the
 * first parse of a process warms the grammar for 1–7 s of CPU on a busy 2-core machine. */
const PARSE_TIMEOUT_MS = 30_000;

/** A person pasting scripts edits and resubmits within minutes; after that the ~60 MiB goes back. */
const PARSER_IDLE_MS = 5 * 60_000;

export default fp(
  async (app) => {
    const pool = new ParserPool({
      timeoutMs: PARSE_TIMEOUT_MS,
      idleMs: PARSER_IDLE_MS,
      onError: (message) => app.log.error(message),
    });
    app.decorate('sqlParser', pool);
    app.addHook('onClose', async () => pool.close());
  },
  { name: 'intake' },
);
