import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ScriptRun {
  /** The arguments the script passed to bin/flink, one per element (none when it ran no flink). */
  flinkArgs: string[];
  /** Reads a file the script wrote, relative to its working directory. */
  read: (path: string) => string;
  /** The `-D` options among the arguments, as a key → value map. */
  dynamic: Record<string, string>;
}

/**
 * Runs a generated bash script as a user would, with FLINK_HOME pointing at a stand-in whose
 * bin/flink prints its arguments one per line; conf/ exists for scripts that write it, holding
 * `existing` (paths relative to FLINK_HOME) beforehand. The script's working directory is a
 * fresh temporary directory, removed afterwards.
 */
export function runScript(text: string, existing: Record<string, string> = {}): ScriptRun {
  const dir = mkdtempSync(join(tmpdir(), 'flink-estimator-script-'));
  try {
    const home = join(dir, 'flink');
    mkdirSync(join(home, 'bin'), { recursive: true });
    mkdirSync(join(home, 'conf'));
    const flink = join(home, 'bin', 'flink');
    writeFileSync(flink, '#!/bin/sh\nfor a in "$@"; do printf "%s\\0" "$a"; done\n');
    chmodSync(flink, 0o755);
    for (const [path, content] of Object.entries(existing)) writeFileSync(join(home, path), content);
    writeFileSync(join(dir, 'run.sh'), text);
    const out = execFileSync('bash', ['run.sh'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', FLINK_HOME: home },
      encoding: 'utf8',
    });
    const flinkArgs = out === '' ? [] : out.replace(/\0$/, '').split('\0');
    const files = new Map<string, string>();
    const read = (path: string) => {
      const cached = files.get(path);
      if (cached !== undefined) return cached;
      const content = readFileSync(
        join(path.startsWith('$FLINK_HOME/') ? home : dir, path.replace(/^\$FLINK_HOME\//, '')),
        'utf8',
      );
      files.set(path, content);
      return content;
    };
    // Read every file now, before the directory goes.
    for (const path of [
      '$FLINK_HOME/conf/config.yaml',
      '$FLINK_HOME/conf/flink-conf.yaml',
      '$FLINK_HOME/conf/flink-conf.yaml.replaced',
      '$FLINK_HOME/conf/config.yaml.replaced',
      '$FLINK_HOME/conf/workers.replaced',
      '$FLINK_HOME/conf/masters.replaced',
      '$FLINK_HOME/conf/workers',
      '$FLINK_HOME/conf/masters',
      'taskmanager-pod-template.yaml',
    ])
      try {
        read(path);
      } catch {
        // not written by this script
      }
    const dynamic = Object.fromEntries(
      flinkArgs
        .filter((a) => a.startsWith('-D'))
        .map((a) => {
          const at = a.indexOf('=');
          return [a.slice(2, at), a.slice(at + 1)];
        }),
    );
    return {
      flinkArgs,
      dynamic,
      read: (path) => {
        const content = files.get(path);
        if (content === undefined) throw new Error(`the script wrote no ${path}`);
        return content;
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
