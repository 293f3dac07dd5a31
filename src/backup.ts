import { ConfigError, loadConfig } from './config.js';
import { backupDatabase } from './store/backup.js';

/** `npm run backup -- <file>`: copies the configured database (DATABASE_PATH) while the service runs. */
const target = process.argv[2];
if (!target || target === '--help' || target === '-h') {
  process.stderr.write(
    'Usage: npm run backup -- <backup-file>\nCopies DATABASE_PATH online into a new file.\n',
  );
  process.exit(target ? 0 : 2);
}
try {
  const config = loadConfig(process.env);
  const pages = await backupDatabase(config.DATABASE_PATH, target);
  process.stdout.write(`Backed up ${config.DATABASE_PATH} to ${target} (${pages} pages)\n`);
} catch (error) {
  process.stderr.write(
    `backup failed: ${error instanceof ConfigError ? error.message : (error as Error).message}\n`,
  );
  process.exit(1);
}
