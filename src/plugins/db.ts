import type { Database } from 'better-sqlite3';
import fp from 'fastify-plugin';
import { openDatabase } from '../store/database.js';
import { EstimationStore } from '../store/estimations.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
    store: EstimationStore;
  }
}

/** Opens the SQLite file once, publishes the repository, and closes the file when the app closes. */
export default fp<{ path: string }>(
  async (app, { path }) => {
    const db = openDatabase(path);
    app.decorate('db', db);
    app.decorate('store', new EstimationStore(db));
    app.addHook('onClose', async () => {
      db.close();
    });
  },
  { name: 'db' },
);
