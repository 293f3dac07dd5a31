import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import calibrations from './calibrations.js';
import estimates from './estimates.js';
import estimations from './estimations.js';
import intake from './intake.js';
import manifests from './manifests.js';
import memory from './memory.js';
import model from './model.js';

/** Version 1 of the JSON API, mounted at /api/v1. */
const v1: FastifyPluginAsyncZod = async (app) => {
  await app.register(estimates);
  await app.register(estimations);
  await app.register(model);
  await app.register(memory);
  await app.register(manifests);
  await app.register(calibrations);
  await app.register(intake);
};

export default v1;
