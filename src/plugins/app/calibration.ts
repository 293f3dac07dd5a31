import fp from 'fastify-plugin';
import { calibratedModel, type Evidence, fitModel, type ModelFit } from '../../calibration/fit.js';
import { type FetchPolicy, Limiter, parseAllowedHosts } from '../../calibration/safety.js';
import type { Config } from '../../config.js';
import type { Model } from '../../estimator/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    calibration: {
      policy: FetchPolicy;
      /** Bounds the calls to calibration sources in flight across all requests. */
      limiter: Limiter;
      /**
       * The model fitted to one owner's calibrations (authentication on) or to everyone's (off),
       * over the model in force; the model in force itself never changes.
       */
      learned: (owner: string | null) => { model: Model; fit: ModelFit };
    };
  }
}

/** Publishes the calibration settings (CALIBRATION_*) and the learned model. */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    const policy: FetchPolicy = {
      allowedHosts: parseAllowedHosts(config.CALIBRATION_ALLOWED_HOSTS),
      timeoutMs: config.CALIBRATION_TIMEOUT_MS,
      maxResponseBytes: config.CALIBRATION_MAX_RESPONSE_BYTES,
    };
    const learned = (owner: string | null) => {
      const base = app.estimator.model;
      const evidence = app.calibrations
        .evidence(config.AUTH_MODE === 'none' ? undefined : owner)
        .map((e) => e.result as Evidence);
      const fit = fitModel(evidence, base);
      return { model: calibratedModel(base, fit), fit };
    };
    app.decorate('calibration', { policy, limiter: new Limiter(config.CALIBRATION_MAX_IN_FLIGHT), learned });
  },
  { name: 'calibration', dependencies: ['db', 'estimator'] },
);
