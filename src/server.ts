import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`flink-estimator: ${error.message}\n`);
    process.exit(2);
  }
  throw error;
}

const app = await buildApp({ config });

// SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close the database, exit 0.
closeWithGrace({ delay: 25_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  else app.log.info({ signal }, 'shutting down');
  await app.close();
});

await app.listen({ port: config.PORT, host: config.HOST });
