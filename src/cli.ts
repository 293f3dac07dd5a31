import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { snapshotCommand } from './calibration/snapshot-cli.js';
import { estimate } from './estimator/index.js';
import {
  MANIFEST_FORMATS,
  type ManifestFormat,
  ManifestOptionsSchema,
  REMOVED_FORMATS,
  renderManifest,
} from './exports/index.js';
import {
  formatBytes,
  formatCompact,
  formatDuration,
  formatMoney,
  formatNumber,
  formatRate,
} from './format.js';
import { JobSpecSchema } from './jobspec/index.js';
import type { Estimate } from './schemas/estimate.js';

const FORMATS = ['json', 'table', ...MANIFEST_FORMATS] as const;

/** A manifest option's flag: the API's query parameter in kebab case (checkpointDir → --checkpoint-dir). */
const flagOf = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const OPTION_KEYS = Object.keys(ManifestOptionsSchema.shape) as (keyof typeof ManifestOptionsSchema.shape)[];

export const USAGE = `Usage: flink-estimator estimate <spec.json | -> [options]

Estimates the resources of the Flink job described by a JobSpec (JSON, as sent to
POST /api/v1/estimates; "-" reads it from standard input) and prints the plan or a
deployable file.

Options:
  --format <format>                        ${FORMATS.join(' | ')} (default json)
  --name <text>                            name to derive the resource, cluster or application name from
${OPTION_KEYS.map((key) => `  ${`--${flagOf(key)} <value>`.padEnd(40)} ${(ManifestOptionsSchema.shape[key].description ?? '').split(/[:(]/)[0]?.trim()}`).join('\n')}
  -h, --help                               show this text

The deployment options are the query parameters of POST /api/v1/manifests/{format}, in
kebab case; a stateful job needs --checkpoint-dir to keep its state (a warning on standard
error says so otherwise).

Exit codes: 0 done, 2 invalid input, 1 unexpected error.`;

/** Bad input from the user: exit code 2 with a message, never a stack trace. */
class InputError extends Error {}

/** Columns padded to their widest cell. */
function columns(rows: string[][], rightAligned: readonly number[] = []): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, i) =>
        rightAligned.includes(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd(),
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The managed-platform prices, one row each. */
function platformRows(e: Estimate): string[][] {
  const p = e.cost.platforms;
  if (!p) return [];
  const aws = p['aws-managed-flink'];
  const cc = p['confluent-cloud'];
  return [
    [
      'AWS Managed Flink',
      `${aws.kpus} KPUs, ${formatMoney(aws.monthly, 'USD')} per month (decided by ${aws.decidedBy})`,
    ],
    [
      'Confluent Cloud',
      cc
        ? `${cc.cfuLow}–${cc.cfuHigh} CFUs, ${formatMoney(cc.monthlyLow, 'USD')}–${formatMoney(cc.monthlyHigh, 'USD')} per month (heuristic)`
        : (p.reasons?.['confluent-cloud'] ?? 'no figure'),
    ],
  ];
}

/** A human summary for terminals and CI logs: headline numbers, operators, memory, warnings. */
export function table(e: Estimate): string {
  const tm = e.taskManagers;
  const jm = e.jobManager;
  const memory = (m: Record<string, number>) =>
    columns(
      Object.entries(m).map(([k, v]) => [`  ${k}`, formatBytes(v), `${v} bytes`]),
      [1, 2],
    );
  const lines = [
    `Flink ${e.flinkVersion} plan (model ${e.modelVersion})`,
    '',
    ...columns([
      [
        'TaskManagers',
        `${tm.count} × ${tm.cpu} CPU × ${formatBytes(tm.memory.totalProcessMemory)} (${plural(tm.slotsPerTaskManager, 'slot')} each, ${tm.containerMemoryMiB} MiB containers)`,
      ],
      ['JobManager', `${jm.cpu} CPU × ${formatBytes(jm.memory.totalProcessMemory)}`],
      [
        'Parallelism',
        `${e.parallelism.default} (max ${e.parallelism.max}); ${plural(e.slots.required, 'slot')} needed, ${e.slots.available} available`,
      ],
      [
        'CPU',
        `${formatNumber(e.cpu.totalCores)} cores in total; ${formatNumber(e.cpu.requiredCores)} busy at the peak rate`,
      ],
      ['State', `${formatBytes(e.state.totalBytes)} in ${e.state.backend}`],
      [
        'Checkpoints',
        `every ${formatDuration(e.state.checkpoint.intervalSeconds)}, ${formatBytes(e.state.checkpoint.sizeBytes)} each${e.state.checkpoint.incremental ? ' (incremental)' : ''}, about ${formatDuration(e.state.checkpoint.estimatedDurationSeconds)}`,
      ],
      ['Cost', `${formatMoney(e.cost.monthly, e.cost.currency)} per month`],
      ...platformRows(e),
      ...(e.nodes
        ? [
            [
              'Nodes',
              `${plural(e.nodes.count, 'node')}, ${plural(e.nodes.taskManagersPerNode, 'TaskManager')} per node${e.nodes.fits ? '' : ' (a TaskManager does not fit on one node)'}`,
            ],
          ]
        : []),
    ]),
    '',
    'Operators',
    ...columns(
      [
        ['  NODE', 'KIND', 'IN', 'OUT', 'PARALLELISM', 'CORES', 'STATE'],
        ...e.operators.map((o) => [
          `  ${o.id}`,
          o.kind,
          formatRate(o.inputRecordsPerSecond),
          formatCompact(o.outputRecordsPerSecond),
          String(o.parallelism),
          formatNumber(o.requiredCores),
          o.stateBytes > 0 ? formatBytes(o.stateBytes) : '-',
        ]),
      ],
      [4, 5],
    ),
    '',
    `TaskManager memory (each of ${tm.count})`,
    ...memory(tm.memory),
    '',
    'JobManager memory',
    ...memory(jm.memory),
  ];
  if (e.warnings.length > 0) {
    lines.push('', 'Warnings');
    for (const w of e.warnings) lines.push(`  [${w.severity}] ${w.code}: ${w.message}`);
  }
  return `${lines.join('\n')}\n`;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', default: 'json' },
        name: { type: 'string' },
        ...Object.fromEntries(OPTION_KEYS.map((key) => [flagOf(key), { type: 'string' as const }])),
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new InputError(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
}

function readSpec(file: string, stdin: () => string) {
  let text: string;
  try {
    text = file === '-' ? stdin() : readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      `${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const result = JobSpecSchema.safeParse(raw);
  if (!result.success) {
    // One "path: message" line per problem, the paths as the API reports them.
    const lines = result.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    throw new InputError(`${file === '-' ? 'The job description' : file} is invalid:\n${lines.join('\n')}`);
  }
  return result.data;
}

function execute(argv: string[], stdin: () => string): CliResult {
  const { values, positionals } = parse(argv);
  if (values.help) return { code: 0, stdout: `${USAGE}\n`, stderr: '' };
  const [command, file, ...extra] = positionals;
  if (command !== 'estimate' || file === undefined || extra.length > 0) throw new InputError(USAGE);
  const format = values.format ?? 'json';
  const removed = REMOVED_FORMATS[format];
  if (removed) throw new InputError(`--format ${format}: ${removed}`);
  if (!(FORMATS as readonly string[]).includes(format))
    throw new InputError(`--format: one of ${FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  const flags = values as Record<string, unknown>;
  const given = Object.fromEntries(
    OPTION_KEYS.flatMap((key) => (flags[flagOf(key)] === undefined ? [] : [[key, flags[flagOf(key)]]])),
  );
  const parsed = ManifestOptionsSchema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `--${flagOf(String(i.path[0]))}: ${i.message}, got ${JSON.stringify(given[String(i.path[0])])}`,
    );
    throw new InputError(lines.join('\n'));
  }
  const options = parsed.data;
  const spec = readSpec(file, stdin);
  const plan = estimate(spec);
  if (format === 'json') return { code: 0, stdout: `${JSON.stringify(plan, null, 2)}\n`, stderr: '' };
  if (format === 'table') return { code: 0, stdout: table(plan), stderr: '' };
  const out = renderManifest(format as ManifestFormat, { spec, estimate: plan, name: values.name, options });
  return { code: 0, stdout: out.yaml, stderr: out.warnings.map((w) => `warning: ${w}\n`).join('') };
}

/** The CLI as a function: exit code and output, no process side effects (tests call this). */
export function run(argv: string[], stdin: () => string): CliResult {
  try {
    return execute(argv, stdin);
  } catch (error) {
    if (error instanceof InputError) return { code: 2, stdout: '', stderr: `${error.message}\n` };
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { code: 1, stdout: '', stderr: `flink-estimator: unexpected error\n${detail}\n` };
  }
}

/** Runs the CLI on this process: arguments, standard input and output, exit code. */
export function main(argv: string[] = process.argv.slice(2)): void {
  if (argv[0] === 'snapshot') {
    // The one command that talks to the network, hence asynchronous (see calibration/snapshot-cli.ts).
    void snapshotCommand(argv.slice(1)).then((result) => {
      process.stdout.write(result.stdout);
      process.stderr.write(result.stderr);
      process.exitCode = result.code;
    });
    return;
  }
  const result = run(argv, () => readFileSync(0, 'utf8'));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
}

/** Whether this module is the program (node dist/cli.js, node --import tsx src/cli.ts), not an import. */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) main();
