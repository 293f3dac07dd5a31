/**
 * External programs the tests drive (a browser, Prometheus, promtool), found the same way for
 * each, so that `npm test` passes on a fresh machine and a missing program fails instead of skips:
 *
 *   1. the program's environment variable (CHROMIUM_PATH, PROMETHEUS_PATH, PROMTOOL_PATH), which
 *      must then name an executable file;
 *   2. the usual install locations (Debian's, Google Chrome's), then every directory on PATH;
 *   3. when none is found and the tests run as root on a machine with apt-get, Debian's package
 *      (`chromium`, or `prometheus` for both Prometheus and promtool) is installed, once per machine
 *      at a time (a lock file in the temporary directory keeps parallel test files from racing apt);
 *   4. otherwise an Error whose message is one line saying how to get the program.
 *
 * Usage, in a test file's beforeAll (or a vitest globalSetup):
 *
 *   const prometheus = await requireProgram('prometheus');   // absolute path to the executable
 *
 * `findProgram` does steps 1–2 only and returns undefined when nothing is found.
 */
import { spawn } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export type ProgramName = 'chromium' | 'prometheus' | 'promtool';

interface ProgramSpec {
  /** Environment variable that names the executable, checked first. */
  env: string;
  /** Absolute paths tried next, in order. */
  paths: string[];
  /** Names looked up on PATH after that. */
  names: string[];
  /** Debian package that provides the program. */
  debianPackage: string;
  /** What to tell a person who has none of the above. */
  hint: string;
}

const PROGRAMS: Record<ProgramName, ProgramSpec> = {
  chromium: {
    env: 'CHROMIUM_PATH',
    paths: [
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome',
      '/usr/bin/google-chrome-stable',
      '/opt/google/chrome/chrome',
      '/snap/bin/chromium',
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
    ],
    names: ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'],
    debianPackage: 'chromium',
    hint: 'install it (Debian/Ubuntu: `sudo apt-get install chromium`) or set CHROMIUM_PATH to a Chromium or Chrome executable',
  },
  prometheus: {
    env: 'PROMETHEUS_PATH',
    paths: ['/usr/bin/prometheus', '/usr/local/bin/prometheus'],
    names: ['prometheus'],
    debianPackage: 'prometheus',
    hint: 'install it (Debian/Ubuntu: `sudo apt-get install --no-install-recommends prometheus`) or set PROMETHEUS_PATH to the prometheus executable',
  },
  promtool: {
    env: 'PROMTOOL_PATH',
    paths: ['/usr/bin/promtool', '/usr/local/bin/promtool'],
    names: ['promtool'],
    debianPackage: 'prometheus',
    hint: 'install it (Debian/Ubuntu: `sudo apt-get install --no-install-recommends prometheus`) or set PROMTOOL_PATH to the promtool executable',
  },
};

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Thrown when a program cannot be found or installed; the message is one line. */
export class MissingProgramError extends Error {
  override name = 'MissingProgramError';
}

/**
 * The program's executable from its environment variable, the usual paths or PATH; undefined
 * when there is none. An environment variable that names no executable is an error, not a miss:
 * the person who set it meant that file.
 */
export function findProgram(program: ProgramName, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const spec = PROGRAMS[program];
  const chosen = env[spec.env];
  if (chosen) {
    if (isExecutable(chosen)) return chosen;
    throw new MissingProgramError(`${spec.env}=${chosen} is not an executable file; ${spec.hint}.`);
  }
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .flatMap((dir) => spec.names.map((name) => join(dir, name)));
  return [...spec.paths, ...onPath].find(isExecutable);
}

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', (error) => resolve({ code: null, output: `${output}${error.message}` }));
    child.on('close', (code) => resolve({ code, output }));
  });
}

const canInstall = (): boolean => process.getuid?.() === 0 && isExecutable('/usr/bin/apt-get');

const LOCK = join(tmpdir(), 'flink-estimator-apt.lock');
/** A lock older than this was left by a killed run (an install takes about a minute). */
const STALE_LOCK_MS = 15 * 60_000;

/** Runs `fn` holding a machine-wide lock file, so that only one test process drives apt at a time. */
async function withAptLock<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      closeSync(openSync(LOCK, 'wx'));
      break;
    } catch {
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { force: true });
      } catch {
        // The holder removed it between our two calls; try again.
      }
      // Polling a lock another process holds; not synchronisation inside a test.
      await delay(500);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { force: true });
  }
}

/** Written after a successful `apt-get update`, so a run installing two packages updates once. */
const APT_UPDATED = join(tmpdir(), 'flink-estimator-apt-updated');
const APT_UPDATE_FRESH_MS = 6 * 3600_000;

function aptListsFresh(): boolean {
  try {
    return Date.now() - statSync(APT_UPDATED).mtimeMs < APT_UPDATE_FRESH_MS;
  } catch {
    return false;
  }
}

async function aptInstall(program: ProgramName): Promise<void> {
  const spec = PROGRAMS[program];
  if (!aptListsFresh()) {
    const update = await run('apt-get', ['update', '-qq']);
    if (update.code !== 0) {
      throw new MissingProgramError(
        `${program} not found and \`apt-get update\` failed (${lastLine(update.output)}); ${spec.hint}.`,
      );
    }
    closeSync(openSync(APT_UPDATED, 'w'));
  }
  const install = await run('apt-get', [
    'install',
    '-y',
    '-qq',
    '--no-install-recommends',
    spec.debianPackage,
  ]);
  if (install.code !== 0) {
    throw new MissingProgramError(
      `${program} not found and \`apt-get install ${spec.debianPackage}\` failed (${lastLine(install.output)}); ${spec.hint}.`,
    );
  }
}

const lastLine = (text: string): string =>
  text.trim().split('\n').filter(Boolean).at(-1)?.trim() ?? 'no output';

const resolved = new Map<ProgramName, Promise<string>>();

/**
 * The absolute path of a program a test needs, installing Debian's package when that is possible
 * (root with apt-get); otherwise rejects with a one-line MissingProgramError. Memoised per process.
 */
export function requireProgram(program: ProgramName): Promise<string> {
  let pending = resolved.get(program);
  if (!pending) {
    pending = locate(program);
    resolved.set(program, pending);
  }
  return pending;
}

async function locate(program: ProgramName): Promise<string> {
  const spec = PROGRAMS[program];
  const found = findProgram(program);
  if (found) return found;
  if (!canInstall()) {
    throw new MissingProgramError(
      `${program} not found (${spec.env} unset, none in ${spec.paths[0]} or on PATH); ${spec.hint}.`,
    );
  }
  return withAptLock(async () => {
    // Another test process may have installed it while this one waited for the lock.
    const meanwhile = findProgram(program);
    if (meanwhile) return meanwhile;
    process.stderr.write(`${program} not found; installing Debian's ${spec.debianPackage} (apt-get)\n`);
    await aptInstall(program);
    const installed = findProgram(program);
    if (!installed) {
      throw new MissingProgramError(
        `${program} still not found after installing Debian's ${spec.debianPackage}; ${spec.hint}.`,
      );
    }
    return installed;
  });
}
