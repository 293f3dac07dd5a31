import fp from 'fastify-plugin';
import { EstimationService } from '../../estimations/service.js';

declare module 'fastify' {
  interface FastifyInstance {
    estimations: EstimationService;
  }
}

/**
 * Publishes the saved-estimation service: the store (plugins/db.ts) and the estimator
 * (plugins/estimator.ts) put together once, so routes never assemble it.
 */
export default fp(
  async (app) => {
    app.decorate('estimations', new EstimationService(app.store, (spec) => app.estimator.estimate(spec)));
  },
  { name: 'estimations', dependencies: ['db', 'estimator'] },
);
