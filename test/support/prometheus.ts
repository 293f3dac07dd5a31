/**
 * A real Prometheus for tests: fixtures backfilled with `promtool tsdb create-blocks-from
 * openmetrics` into a temporary data directory, the server started on a free loopback port with
 * no scrape targets, ready when it logs so, and stopped by its PID.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireProgram } from './programs.js';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  /** The same value at every step, or the value at each step's unix time. */
  value: number | ((t: number) => number);
}

export interface RunningPrometheus {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * OpenMetrics text of `samples` repeated every `stepSeconds` from `start` to `end` (unix seconds),
 * every family declared a gauge (as Flink's PrometheusReporter exports meters and counters).
 */
export function openMetrics(
  samples: readonly Sample[],
  start: number,
  end: number,
  stepSeconds: number,
): string {
  const families = new Map<string, Sample[]>();
  for (const s of samples) families.set(s.name, [...(families.get(s.name) ?? []), s]);
  const lines: string[] = [];
  for (const [name, series] of families) {
    lines.push(`# TYPE ${name} gauge`);
    for (const s of series) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(',');
      for (let t = start; t <= end; t += stepSeconds)
        lines.push(`${name}{${labels}} ${typeof s.value === 'number' ? s.value : s.value(t)} ${t}`);
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Backfills `metrics` (OpenMetrics text) and starts Prometheus on it. */
export async function startPrometheus(metrics: string): Promise<RunningPrometheus> {
  const [prometheus, promtool] = await Promise.all([
    requireProgram('prometheus'),
    requireProgram('promtool'),
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'flink-estimator-prometheus-'));
  writeFileSync(join(dir, 'metrics.om'), metrics);
  writeFileSync(join(dir, 'prometheus.yml'), 'global: { scrape_interval: 15s }\nscrape_configs: []\n');
  await promisify(execFile)(promtool, [
    'tsdb',
    'create-blocks-from',
    'openmetrics',
    join(dir, 'metrics.om'),
    join(dir, 'data'),
  ]);
  const port = await freePort();
  const child: ChildProcess = spawn(
    prometheus,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=30d',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Prometheus logs this line once its web API answers.
  await new Promise<void>((resolve, reject) => {
    let log = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Server is ready to receive web requests')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`prometheus exited (${code}): ${log.slice(-500)}`)));
  });
  const pid = child.pid as number;
  return {
    url: `http://127.0.0.1:${port}`,
    pid,
    stop: async () => {
      process.kill(pid, 'SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
