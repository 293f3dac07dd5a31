import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config.js';
import { requireUser } from '../../plugins/app/auth.js';
import forms from '../../plugins/external/forms.js';
import calibratePages from './calibrate.js';
import estimatePages from './estimate.js';
import home from './home.js';
import intakePage from './intake.js';
import login from './login.js';
import memoryPage from './memory.js';
import resultsExport from './results-export.js';

/**
 * Server-rendered pages. Form bodies are parsed only here (the API accepts JSON alone), and
 * every state-changing form is CSRF-checked in a preHandler (the body is parsed by then). Every
 * page needs a user when authentication is on, except the login form (`config.public`).
 */
const pages: FastifyPluginAsync<{ config: Config }> = async (app, { config }) => {
  requireUser(app);
  await app.register(forms, { bodyLimit: config.BODY_LIMIT_BYTES });
  await app.register(home);
  await app.register(estimatePages);
  await app.register(intakePage);
  await app.register(resultsExport);
  await app.register(login);
  await app.register(memoryPage);
  await app.register(calibratePages);
  await app.register(import('./saved.js'));
};

export default pages;
