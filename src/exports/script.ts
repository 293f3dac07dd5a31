/**
 * Shell scripts for the command-line targets (YARN, native Kubernetes, standalone). Options go
 * in a bash array, one element per option with its comment above it — a comment cannot sit
 * between the lines of a backslash-continued command, but it can between array elements.
 */

/** A word the shell reads back as exactly `value`: single-quoted unless it is plainly safe. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** One `# …` line per line of text, never letting a line break escape the comment. */
export const shellComment = (text: string, indent = ''): string[] =>
  text.split(/[\r\n\u2028\u2029]+/).map((line) => `${indent}# ${line}`.trimEnd());

/** An array of `-D<key>=<value>` flags, each under its comment. */
export function dynamicOptions(
  name: string,
  options: Record<string, string>,
  comment: (key: string) => string | undefined,
): string[] {
  const lines = [`${name}=(`];
  for (const [key, value] of Object.entries(options)) {
    const why = comment(key);
    if (why !== undefined) lines.push(...shellComment(why, '  '));
    lines.push(`  ${shellWord(`-D${key}=${value}`)}`);
  }
  lines.push(')');
  return lines;
}

/**
 * A file written by the script itself: `cat > target <<'EOF'` keeps the body verbatim (a quoted
 * marker expands nothing). `target` is shell text, e.g. "$FLINK_HOME/conf/workers" in quotes.
 */
export function hereDocument(target: string, body: string): string[] {
  const marker = 'FLINK_ESTIMATOR_EOF';
  return [`cat > ${target} <<'${marker}'`, body.replace(/\n$/, ''), marker];
}

/**
 * Keeps a file the script is about to replace (or that must go) as `<path>.replaced`, saying so on
 * standard error, so a user's own configuration is never lost. `path` is shell text in quotes'
 * reach, e.g. "$FLINK_HOME/conf/workers".
 */
export function setAside(path: string, why: string): string[] {
  return [
    `if [ -e "${path}" ]; then`,
    `  mv "${path}" "${path}.replaced"`,
    `  echo ${shellWord(`kept the previous ${path.replace(/^.*\//, '')} as ${path.replace(/^.*\//, '')}.replaced: ${why}`)} >&2`,
    'fi',
  ];
}

/** A bash script: shebang, strict mode, header comment, body. */
export function script(header: readonly string[], body: readonly string[]): string {
  return `${[
    '#!/usr/bin/env bash',
    ...header.flatMap((line) => shellComment(line)),
    'set -euo pipefail',
    '',
    ...body,
  ].join('\n')}\n`;
}

/** Where the Flink distribution is: the caller's FLINK_HOME, else the official image's path. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template.
export const FLINK_HOME_LINE = 'FLINK_HOME="${FLINK_HOME:-/opt/flink}"';

/**
 * The submit command of application mode: `flink run-application -t <target>` up to 1.20;
 * Flink 2.0 removed the run-application action (FLINK-36310, after FLINK-35625 made `flink run`
 * deploy application clusters in 1.20), so 2.x uses `flink run -t <target>`.
 */
export function submitApplication(
  version: string,
  target: 'yarn-application' | 'kubernetes-application',
  entryClass: string | undefined,
  jar: string,
): string[] {
  const action = version.startsWith('1.') ? 'run-application' : 'run';
  return [
    ...(action === 'run'
      ? [
          `# Flink ${version}: application mode is "flink run -t ${target}" (run-application was removed in 2.0).`,
        ]
      : []),
    `exec "$FLINK_HOME/bin/flink" ${action} -t ${target} "\${options[@]}"${entryClass ? ` -c ${shellWord(entryClass)}` : ''} ${shellWord(jar)}`,
  ];
}
