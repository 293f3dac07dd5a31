import type { Database } from 'better-sqlite3';
import fp from 'fastify-plugin';
import { CalibrationStore } from '../../store/calibrations.js';
import { openDatabase } from '../../store/database.js';
import { EstimationStore } from '../../store/estimations.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
    store: EstimationStore;
    calibrations: CalibrationStore;
  }
}

/** Opens the SQLite file once, publishes the repository, and closes the file when the app closes. */
export default fp<{ path: string }>(
  async (app, { path }) => {
    const db = openDatabase(path);
    app.decorate('db', db);
    app.decorate('store', new EstimationStore(db));
    app.decorate('calibrations', new CalibrationStore(db));
    app.addHook('onClose', async () => {
      db.close();
    });
  },
  { name: 'db' },
);
