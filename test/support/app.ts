import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';

export interface TestApp {
  app: FastifyInstance;
  dir: string;
  databasePath: string;
  close: () => Promise<void>;
}

/** A fresh app on a temporary SQLite file; `env` overrides settings (as environment strings). */
export async function buildTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'flink-estimator-test-'));
  const databasePath = join(dir, 'test.db');
  const config: Config = loadConfig({
    DATABASE_PATH: databasePath,
    COOKIE_SECRET: 'test-cookie-secret-0123456789abcdef',
    RATE_LIMIT_MAX: '0',
    ...env,
  });
  const app = await buildApp({ config, logger: false });
  await app.ready();
  return {
    app,
    dir,
    databasePath,
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
