/**
 * `npm run bench`: starts the compiled server on loopback against a temporary database with
 * 100,000 saved estimations, drives it with autocannon, and reports requests/s and latency for
 * each scenario — also as a ratio to the trivial /healthz baseline measured in the same run —
 * plus estimate() in process (the 12-node bench spec and a 200-operator pipeline, a new spec each
 * call: bench/estimate.bench.ts), start-up time and resident memory.
 * It prints each target as met or not met and exits non-zero when one is missed.
 *
 * `--only saved` (or BENCH_ONLY=saved) runs the baseline and the saved-estimation scenarios alone,
 * with start-up and memory; `--only estimates` the baseline, the estimate and results-page
 * scenarios and estimate() in process (the database is still seeded: BENCH_ROWS=2000 keeps it quick). BENCH_DATABASE=<file> seeds that file once and reuses it on later runs
 * (seeding 100,000 rows writes about 3 GB), instead of a temporary database removed afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { openDatabase } from '../src/store/database.js';
import { EstimationStore } from '../src/store/estimations.js';
import { describeTiming, estimateTimings } from './estimate.bench.js';
import { savedScenarios, seedSavedEstimations } from './saved.js';
import { realisticPipelineSpec } from './specs.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = 64;
const ONLY = process.argv.includes('--only')
  ? process.argv[process.argv.indexOf('--only') + 1]
  : process.env.BENCH_ONLY;
if (ONLY !== undefined && ONLY !== 'saved' && ONLY !== 'estimates') {
  throw new Error(
    `--only takes "saved" (the saved-estimation scenarios) or "estimates" (the estimate and results-page scenarios), not ${JSON.stringify(ONLY)}`,
  );
}
const ESTIMATES = ONLY !== 'saved';
const SAVED = ONLY !== 'estimates';
const root = join(import.meta.dirname, '..');

interface Result {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  /** Responses the least and the most served connection got: far apart, p99 measures the queueing order. */
  perConnection: { min: number; max: number };
}

async function startServer(
  databasePath: string,
): Promise<{ child: ChildProcess; url: string; startupMs: number }> {
  // Started the way `npm start` and the Docker image start it.
  return spawnListening(
    [join(root, 'dist', 'server.js')],
    /Server listening at (http:\/\/127\.0\.0\.1:\d+)/,
    {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_PATH: databasePath,
      RATE_LIMIT_MAX: '0',
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
    },
  );
}

/** Spawns `node --max-semi-space-size=4 <args>` and resolves with the URL its output announces. */
async function spawnListening(
  args: string[],
  announcement: RegExp,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string; startupMs: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--max-semi-space-size=4', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      // Keep only what is needed to find the address; request logs are drained and dropped.
      if (output.length < 10_000) output += chunk.toString();
      const match = announcement.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${output}`)));
  });
  return { child, url, startupMs: performance.now() - started };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

async function load(name: string, opts: autocannon.Options): Promise<Result> {
  // A server busy on every core leaves a request waiting in each connection, and the order it reads
  // them in is not autocannon's: some connections get a handful of answers in a run while others
  // get hundreds (seen with a bare node:http server too), and p99 then measures that order.
  const answered = new Map<object, number>();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { connections: CONNECTIONS, duration: DURATION_SECONDS, ...opts },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (client) => answered.set(client, (answered.get(client) ?? 0) + 1));
  });
  const counts = [...answered.values()];
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    perConnection: {
      min: counts.length < CONNECTIONS ? 0 : Math.min(...counts),
      max: counts.length === 0 ? 0 : Math.max(...counts),
    },
  };
}

function residentMemoryMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

const loadNow = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function main() {
  const loadAtStart = loadNow();
  const dir = mkdtempSync(join(tmpdir(), 'fe-bench-'));
  const databasePath = process.env.BENCH_DATABASE ?? join(dir, 'bench.db');
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    if (process.env.BENCH_DATABASE !== undefined && existsSync(databasePath)) {
      process.stdout.write(`Reusing ${databasePath}\n`);
    } else {
      process.stdout.write(`Seeding ${ROWS.toLocaleString('en-US')} saved estimations… `);
      const seedStart = performance.now();
      seedSavedEstimations(databasePath, ROWS);
      process.stdout.write(`${((performance.now() - seedStart) / 1000).toFixed(1)} s\n`);
    }
    const rows = savedRowCount(databasePath);
    if (rows !== ROWS)
      throw new Error(`${databasePath} holds ${rows} saved estimations, not BENCH_ROWS=${ROWS}`);

    server = await startServer(databasePath);
    const { url } = server;
    // Find the shareable results URL the way a browser gets it: submit the estimate form. The page
    // scenarios then send the browser's cookie, as every page view after a visitor's first does.
    const { location: resultsUrl, cookie } = await discoverResultsUrl(url);

    const results: Result[] = [];
    results.push(await load('baseline GET /healthz', { url: `${url}/healthz` }));
    const estimates = ESTIMATES ? await estimateScenarios(url, resultsUrl, cookie, results) : undefined;
    const fresh = estimates?.fresh;
    const rowsText = ROWS.toLocaleString('en-US');
    const saved = SAVED ? await savedScenarios(url, rowsText, cookie) : [];
    const savedResults: Array<Result & { target: boolean }> = [];
    for (const scenario of saved) {
      savedResults.push({ ...(await load(scenario.name, scenario.options)), target: scenario.target });
    }
    const rssMiB = residentMemoryMiB(server.child.pid ?? 0);
    const timings = ESTIMATES ? estimateTimings(1000) : [];

    const baseline = results[0]?.requestsPerSecond ?? 1;
    const every = [...results, ...(estimates ? [estimates.fresh, estimates.floor] : []), ...savedResults];
    console.log(
      `\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average ${loadAtStart} at the start, ${loadNow()} now (other work on the machine slows every figure)`,
    );
    console.log(`autocannon: ${CONNECTIONS} connections, ${DURATION_SECONDS} s per scenario\n`);
    console.log(
      '| scenario | req/s | ratio to baseline | p50 ms | p99 ms | answers per connection (min–max) | non-2xx | errors |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of every) {
      console.log(
        `| ${r.name} | ${Math.round(r.requestsPerSecond).toLocaleString('en-US')} | ${(r.requestsPerSecond / baseline).toFixed(2)} | ${r.p50Ms} | ${r.p99Ms} | ${r.perConnection.min}–${r.perConnection.max} | ${r.non2xx} | ${r.errors} |`,
      );
    }
    console.log('');
    for (const timing of timings) console.log(describeTiming(timing));
    console.log(
      `Start-up (spawn to listening, ${ROWS.toLocaleString('en-US')} rows): ${server.startupMs.toFixed(0)} ms`,
    );
    console.log(`Resident memory after the benchmark: ${rssMiB.toFixed(0)} MiB`);

    const p99Of = (r: Result) => `${r.p99Ms} ms${over(r.p99Ms, 25)}`;
    const checks: Array<[string, boolean]> = [
      ...(fresh
        ? [
            [
              `new-spec estimate ≥ 0.3× baseline req/s (${(fresh.requestsPerSecond / baseline).toFixed(2)}×${over(0.3, fresh.requestsPerSecond / baseline, 'short')}) with p99 ≤ 25 ms (${p99Of(fresh)})`,
              fresh.requestsPerSecond >= 0.3 * baseline && fresh.p99Ms <= 25,
            ] satisfies [string, boolean],
          ]
        : []),
      ...savedResults
        .filter((r) => r.target)
        .map((r): [string, boolean] => [
          `p99 ≤ 50 ms (${r.p99Ms} ms${over(r.p99Ms, 50)}): ${r.name}`,
          r.p99Ms <= 50,
        ]),
      [
        `p99 ≤ 25 ms at 64 connections (every other scenario: ${results.map((r) => `${r.name} ${p99Of(r)}`).join('; ')})`,
        results.every((r) => r.p99Ms <= 25),
      ],
      ['no errors or non-2xx', every.every((r) => r.non2xx === 0 && r.errors === 0)],
      ...timings.map((t): [string, boolean] => [
        `estimate() ${t.name} p50 ≤ ${t.targetMs * 1000} µs (${(t.p50Ms * 1000).toFixed(0)} µs${over(t.p50Ms, t.targetMs)})`,
        t.met,
      ]),
      ['start-up < 1.5 s', server.startupMs < 1500],
      ['memory < 150 MiB after the benchmark', rssMiB < 150],
    ];
    console.log('\nTargets:');
    for (const [label, ok] of checks) console.log(`  ${ok ? 'met    ' : 'not met'}  ${label}`);
    if (estimates) console.log(`\n${queueingBound(estimates, baseline)}`);
    const listed = savedResults.filter((r) => r.target);
    if (listed.length > 0) console.log(`\n${listBound(listed)}`);
    process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
  } finally {
    if (server) await stop(server.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** ", 2.4× over" when `measured` exceeds `limit`, else nothing; for a floor, pass the floor first and "short". */
function over(measured: number, limit: number, word = 'over'): string {
  return measured > limit ? `, ${(measured / limit).toFixed(1)}× ${word}` : '';
}

/**
 * What bounds the new-spec p99, said plainly. 64 connections that each send again as soon as they
 * are answered keep 64 requests in the server, so the mean time one spends there is 64 ÷ req/s
 * (Little's law) whatever the route does: p99 ≤ 25 ms needs at least 64 ÷ 25 ms = 2,560 req/s.
 */
function queueingBound({ fresh, floor }: EstimateResults, baseline: number): string {
  const needed = CONNECTIONS / 0.025;
  const meanMs = (CONNECTIONS / fresh.requestsPerSecond) * 1000;
  const floorRatio = floor.requestsPerSecond / baseline;
  const floorMeets = floorRatio >= 0.3 && floor.p99Ms <= 25;
  const floorMicros = 1e6 / floor.requestsPerSecond;
  const routeMicros = 1e6 / fresh.requestsPerSecond;
  // Both halves of the target bound the time per request: the p99 (via Little's law) and the ratio.
  const budgetMicros = 1e6 / Math.max(needed, 0.3 * baseline);
  return [
    `Bound on the new-spec p99: ${CONNECTIONS} connections always waiting keep ${CONNECTIONS} requests in the server, so`,
    `  the mean time in it is ${CONNECTIONS} ÷ req/s (Little's law): ${meanMs.toFixed(0)} ms at the ${Math.round(fresh.requestsPerSecond).toLocaleString('en-US')} req/s measured.`,
    `  p99 ≤ 25 ms needs ≥ ${needed.toLocaleString('en-US')} req/s (${(needed / baseline).toFixed(2)}× this baseline; ${(needed / fresh.requestsPerSecond).toFixed(1)}× the rate measured),`,
    `  which leaves at most ${Math.round(1e6 / needed)} µs of the server's one JavaScript thread per request (autocannon runs on the same two cores).`,
    `  p99 also reflects the order autocannon's connections are served in (answers per connection: ${fresh.perConnection.min}–${fresh.perConnection.max}).`,
    `Floor (bench/floor-server.ts: a bare Fastify that only parses each new spec and writes one precomputed Estimate`,
    `  as the route writes it): ${Math.round(floor.requestsPerSecond).toLocaleString('en-US')} req/s = ${floorRatio.toFixed(2)}× this baseline, p99 ${floor.p99Ms} ms${floorMeets ? ', within the target' : ', itself outside the target'}.`,
    `  With the server's thread busy, 1 ÷ req/s is its time per request: reading and answering take ${Math.round(floorMicros)} µs, the route`,
    `  ${Math.round(routeMicros)} µs, so the route's own work (validation, estimate(), the app's hooks) is ${Math.round(routeMicros - floorMicros)} µs.`,
    `  The target (≥ ${Math.round(Math.max(needed, 0.3 * baseline)).toLocaleString('en-US')} req/s for both its ratio and its p99) allows ${Math.round(budgetMicros)} µs a request, which leaves that work ${Math.round(Math.max(0, budgetMicros - floorMicros))} µs.`,
  ].join('\n');
}

interface EstimateResults {
  /** A new spec each request: the target. */
  fresh: Result;
  /** The same requests against bench/floor-server.ts: what reading and answering alone cost. */
  floor: Result;
}

/**
 * What bounds the list and search p99s (target 50 ms), from the same law: the mean time a request
 * spends in the server is 64 ÷ req/s, and the p99 is some multiple of that mean, set by the order
 * connections are served in. The rate a scenario would need follows from the multiple it showed.
 */
function listBound(listed: Result[]): string {
  return [
    `Bound on the list and search p99s: the mean time in the server is ${CONNECTIONS} ÷ req/s, and p99 a multiple of it:`,
    ...listed.map((r) => {
      const meanMs = (CONNECTIONS / r.requestsPerSecond) * 1000;
      const multiple = r.p99Ms / meanMs;
      const needed = (CONNECTIONS * multiple) / 0.05;
      return `  ${r.name}: mean ${meanMs.toFixed(0)} ms at ${Math.round(r.requestsPerSecond).toLocaleString('en-US')} req/s, p99 ${r.p99Ms} ms = ${multiple.toFixed(1)}× it; ≤ 50 ms needs ≥ ${Math.round(needed).toLocaleString('en-US')} req/s (≤ ${Math.round(1e6 / needed)} µs of the server's thread per request).`;
    }),
  ].join('\n');
}

/**
 * The estimate scenarios: the same spec again and again, a new spec each time and the same against
 * the floor server (returned: the target and its floor) and the results page; the first and last
 * are pushed onto `results`.
 */
async function estimateScenarios(
  url: string,
  resultsUrl: string,
  cookie: string,
  results: Result[],
): Promise<EstimateResults> {
  // Every request a spec never seen before: the estimator's own cost, without its cache.
  let variant = 0;
  const freshSpec = () => {
    variant += 1;
    const [first, ...rest] = realisticPipelineSpec.pipeline.sources;
    const busiest = { ...first, recordsPerSecond: first.recordsPerSecond + variant };
    return JSON.stringify({
      ...realisticPipelineSpec,
      pipeline: {
        ...realisticPipelineSpec.pipeline,
        sources: [busiest, ...rest],
      },
    });
  };
  results.push(
    await load('POST /api/v1/estimates, one spec again and again (informational)', {
      url: `${url}/api/v1/estimates`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(realisticPipelineSpec),
    }),
  );
  const newSpecs = (base: string) => ({
    url: `${base}/api/v1/estimates`,
    requests: [
      {
        method: 'POST' as const,
        headers: { 'content-type': 'application/json' },
        setupRequest: <T extends object>(request: T) => ({ ...request, body: freshSpec() }),
      },
    ],
  });
  const fresh = await load('POST /api/v1/estimates, a new spec each time (8 operators)', newSpecs(url));
  results.push(
    await load('GET results page (8 operators)', { url: `${url}${resultsUrl}`, headers: { cookie } }),
  );
  const floorServer = await spawnListening(
    ['--import', 'tsx', join(root, 'bench', 'floor-server.ts')],
    /Floor listening at (http:\/\/127\.0\.0\.1:\d+)/,
  );
  try {
    const floor = await load(
      'floor: bare Fastify, same new specs, one precomputed Estimate written back (informational)',
      newSpecs(floorServer.url),
    );
    return { fresh, floor };
  } finally {
    await stop(floorServer.child);
  }
}

/** How many saved estimations a database file holds (its trigger-kept count). */
function savedRowCount(path: string): number {
  const db = openDatabase(path);
  try {
    return new EstimationStore(db).total();
  } finally {
    db.close();
  }
}

/**
 * Submits the estimate form like a browser and returns the results URL it redirects to, with the
 * cookie the browser then holds (its CSRF secret), which it sends with every later page.
 */
async function discoverResultsUrl(url: string): Promise<{ location: string; cookie: string }> {
  const form = await fetch(`${url}/estimate`);
  const html = await form.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const cookie = form.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const body = new URLSearchParams({
    _csrf: csrf,
    mode: 'pipeline',
    pipelineJson: JSON.stringify(realisticPipelineSpec.pipeline),
  });
  const submit = await fetch(`${url}/estimate`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body,
    redirect: 'manual',
  });
  const location = submit.headers.get('location');
  if (!location?.startsWith('/results'))
    throw new Error(`estimate form did not redirect to results (status ${submit.status})`);
  return { location, cookie };
}

await main();
