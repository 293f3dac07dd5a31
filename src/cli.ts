import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { estimate } from './estimator/index.js';
import { MANIFEST_FORMATS, type ManifestFormat, renderManifest } from './exports/index.js';
import { formatBytes, formatCompact, formatMoney, formatNumber } from './format.js';
import type { Estimate } from './schemas/estimate.js';
import { JobSpecSchema } from './schemas/jobspec.js';

const USAGE = `Usage: flink-estimator estimate <spec.json | -> [options]

Estimates the resources of the Flink job described by a JobSpec (JSON, as for
POST /api/v1/estimates) and prints the plan or a deployable file.

Options:
  --format <f>        json (default), table, ${MANIFEST_FORMATS.join(', ')}
  --name <name>       name for the Kubernetes resource and file
  --image <image>     container image (FlinkDeployment / FlinkApplication)
  --jar-uri <uri>     job jar, e.g. local:///opt/flink/usrlib/job.jar
  --namespace <ns>    Kubernetes namespace
  -h, --help          this text

Exit codes: 0 done, 2 invalid input, 1 unexpected error.`;

class UsageError extends Error {}

/** A human summary for terminals and CI logs. */
export function table(e: Estimate): string {
  const tm = e.taskManagers;
  const jm = e.jobManager;
  const pad = (s: string, n: number) => s.padEnd(n);
  const lines = [
    `Flink ${e.flinkVersion} plan (model ${e.modelVersion})`,
    '',
    `TaskManagers   ${tm.count} × ${tm.cpu} CPU × ${formatBytes(tm.memory.totalProcessMemory)} (${tm.slotsPerTaskManager} slots each)`,
    `JobManager     ${jm.cpu} CPU × ${formatBytes(jm.memory.totalProcessMemory)}`,
    `Parallelism    ${e.parallelism.default} (max ${e.parallelism.max}); slots ${e.slots.required} needed, ${e.slots.available} available`,
    `Cores          ${formatNumber(e.cpu.totalCores)} total, ${formatNumber(e.cpu.requiredCores)} busy at peak`,
    `State          ${formatBytes(e.state.totalBytes)} in ${e.state.backend}`,
    `Cost           ${formatMoney(e.cost.monthly, e.cost.currency)} per month`,
    '',
    `${pad('NODE', 24)}${pad('KIND', 18)}${pad('IN/S', 10)}${pad('PAR', 6)}${pad('CORES', 8)}STATE`,
    ...e.operators.map(
      (o) =>
        `${pad(o.id.slice(0, 23), 24)}${pad(o.kind, 18)}${pad(formatCompact(o.inputRecordsPerSecond), 10)}${pad(String(o.parallelism), 6)}${pad(formatNumber(o.requiredCores), 8)}${o.stateBytes > 0 ? formatBytes(o.stateBytes) : '-'}`,
    ),
    '',
    'TaskManager memory',
    ...Object.entries(tm.memory).map(([k, v]) => `  ${pad(k, 20)}${pad(formatBytes(v), 12)}${v} bytes`),
    'JobManager memory',
    ...Object.entries(jm.memory).map(([k, v]) => `  ${pad(k, 20)}${pad(formatBytes(v), 12)}${v} bytes`),
  ];
  if (e.warnings.length > 0) {
    lines.push('', 'Warnings');
    for (const w of e.warnings) lines.push(`  [${w.severity}] ${w.code}: ${w.message}`);
  }
  return `${lines.join('\n')}\n`;
}

export function run(argv: string[], stdin: () => string): { code: number; stdout: string; stderr: string } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'json' },
        name: { type: 'string' },
        image: { type: 'string' },
        'jar-uri': { type: 'string' },
        namespace: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return { code: 2, stdout: '', stderr: `${(error as Error).message}\n\n${USAGE}\n` };
  }
  const { values, positionals } = parsed;
  if (values.help) return { code: 0, stdout: `${USAGE}\n`, stderr: '' };
  try {
    const [command, file] = positionals;
    if (command !== 'estimate' || file === undefined) throw new UsageError(USAGE);
    const format = String(values.format);
    if (
      format !== 'json' &&
      format !== 'table' &&
      !(MANIFEST_FORMATS as readonly string[]).includes(format)
    ) {
      throw new UsageError(`Unknown --format "${format}".\n\n${USAGE}`);
    }
    let text: string;
    try {
      text = file === '-' ? stdin() : readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`Cannot read ${file}: ${(error as Error).message}`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
    }
    const result = JobSpecSchema.safeParse(raw);
    if (!result.success) {
      const lines = result.error.issues.map(
        (i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`,
      );
      throw new UsageError(`The job description is invalid:\n${lines.join('\n')}`);
    }
    const plan = estimate(result.data);
    if (format === 'json') return { code: 0, stdout: `${JSON.stringify(plan, null, 2)}\n`, stderr: '' };
    if (format === 'table') return { code: 0, stdout: table(plan), stderr: '' };
    const out = renderManifest(format as ManifestFormat, {
      spec: result.data,
      estimate: plan,
      name: typeof values.name === 'string' ? values.name : undefined,
      options: {
        image: typeof values.image === 'string' ? values.image : undefined,
        jarUri: typeof values['jar-uri'] === 'string' ? values['jar-uri'] : undefined,
        namespace: typeof values.namespace === 'string' ? values.namespace : undefined,
      },
    });
    return { code: 0, stdout: out.yaml, stderr: '' };
  } catch (error) {
    if (error instanceof UsageError) return { code: 2, stdout: '', stderr: `${error.message}\n` };
    return { code: 1, stdout: '', stderr: `flink-estimator: ${(error as Error).stack ?? String(error)}\n` };
  }
}

// Run only as a program, not when imported by tests.
if (process.argv[1] && /cli\.(ts|js)$/.test(process.argv[1])) {
  const result = run(process.argv.slice(2), () => readFileSync(0, 'utf8'));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
}
