/**
 * `flink-estimator snapshot --rest URL [--job ID] [--window SECONDS] [--token-file FILE]`: collects
 * the Flink REST responses a calibration needs into a snapshot (JSON on standard output), for teams
 * whose estimator may not reach the cluster. The same collector as the server's flink-rest source.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { collectSnapshot } from './flink-rest.js';
import { MAX_WINDOW_SECONDS } from './request.js';
import { checkUrl, defaultFetchPolicy, Limiter, SafeClient, SourceError } from './safety.js';

export const SNAPSHOT_USAGE = `Usage: flink-estimator snapshot --rest <JobManager URL> [--job <job id>] [--window <seconds>] [--token-file <file>] > snapshot.json

Collects what POST /api/v1/calibrations needs from a JobManager's REST API (Flink 1.18–1.20).
  --rest        the JobManager, e.g. http://flink-jobmanager:8081
  --job         the job id (default: the only RUNNING job)
  --window      poll the counters over this many seconds (default 0: one read of the gauges; at most ${MAX_WINDOW_SECONDS})
  --token-file  a file holding a bearer token for the JobManager (sent there only, never written out)`;

export interface SnapshotCliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function snapshotCommand(argv: string[]): Promise<SnapshotCliResult> {
  let values: { rest?: string; job?: string; window?: string; 'token-file'?: string };
  try {
    values = parseArgs({
      args: argv,
      options: {
        rest: { type: 'string' },
        job: { type: 'string' },
        window: { type: 'string' },
        'token-file': { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (error) {
    return { code: 2, stdout: '', stderr: `${(error as Error).message}\n${SNAPSHOT_USAGE}\n` };
  }
  const window = values.window === undefined ? 0 : Number(values.window);
  if (!values.rest || !Number.isInteger(window) || window < 0 || window > MAX_WINDOW_SECONDS)
    return { code: 2, stdout: '', stderr: `${SNAPSHOT_USAGE}\n` };
  try {
    const base = new URL(values.rest);
    const hosts = [base.host.toLowerCase()];
    const token = values['token-file'] ? readFileSync(values['token-file'], 'utf8').trim() : undefined;
    const client = new SafeClient(
      checkUrl(values.rest, hosts, '--rest'),
      { ...defaultFetchPolicy, allowedHosts: hosts },
      new Limiter(4),
      token,
    );
    const snapshot = await collectSnapshot(client, {
      ...(values.job ? { jobId: values.job } : {}),
      windowSeconds: window,
    });
    return { code: 0, stdout: `${JSON.stringify(snapshot, null, 2)}\n`, stderr: '' };
  } catch (error) {
    if (error instanceof SourceError || error instanceof TypeError)
      return { code: 1, stdout: '', stderr: `flink-estimator snapshot: ${error.message}\n` };
    throw error;
  }
}
