/**
 * Every Flink option the exports write is a key the targeted release reads, spelt as Flink
 * spells it, with a value in the format Flink parses. The list of keys is data read from Flink's
 * ConfigOption classes (test/fixtures/flink-option-keys.json says which and how).
 */
import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/estimator/index.js';
import type { FlinkVersion } from '../../../src/estimator/memory/types.js';
import { MANIFEST_FORMATS, renderManifest } from '../../../src/exports/index.js';
import { JobSpecSchema } from '../../../src/jobspec/index.js';
import known from '../../fixtures/flink-option-keys.json' with { type: 'json' };
import { hourlyWindowSpec, statelessEtlSpec, ttlJoinSpec } from '../../fixtures/stateful-specs.js';

const VERSIONS: FlinkVersion[] = ['1.18', '1.19', '1.20', '2.0', '2.1'];
const flat = (groups: Record<string, string[]>) => Object.values(groups).flat();

function keysRead(version: FlinkVersion): Set<string> {
  const keys = flat(known.allVersions);
  if (version.startsWith('1.')) keys.push(...flat(known.before2_0));
  if (version !== '1.18' && version !== '1.19') keys.push(...flat(known.since1_20));
  return new Set(keys);
}

/** The `key=value` pairs of a script's -D options and a config file's `key: "value"` lines. */
function optionsIn(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const m of text.matchAll(/-D([a-z][\w.-]*\.[\w.-]+)=([^'\n]*)/g)) pairs.push([m[1] ?? '', m[2] ?? '']);
  for (const m of text.matchAll(/^\s*([a-z][\w-]*(?:\.[\w-]+)+): "?([^"\n]*)"?$/gm))
    pairs.push([m[1] ?? '', m[2] ?? '']);
  return pairs;
}

// Flink's MemorySize.parse: digits, optional whitespace, an optional MemoryUnit name.
const MEMORY_SIZE = /^\d+\s*(b|bytes|k|kb|kibibytes|m|mb|mebibytes|g|gb|gibibytes|t|tb|tebibytes)?$/i;
// Flink's TimeUtils.parseDuration: digits, optional whitespace, an optional time unit label.
const DURATION =
  /^\d+\s*(ns|us|µs|ms|s|sec|secs|second|seconds|min|m|minute|minutes|h|hour|hours|d|day|days)?$/i;

const specs = { hourlyWindowSpec, statelessEtlSpec, ttlJoinSpec };

describe.each(VERSIONS)('Flink %s', (version) => {
  const read = keysRead(version);
  for (const [name, make] of Object.entries(specs)) {
    const spec = JobSpecSchema.parse(make(version));
    const plan = estimate(spec);
    it.each(MANIFEST_FORMATS)(
      `%s for ${name}: every key is one Flink reads, every value parses`,
      (format) => {
        const out = renderManifest(format, {
          spec,
          estimate: plan,
          options: { checkpointDir: 'gs://flink-state/job' },
        });
        const options = optionsIn(out.yaml);
        expect(options.length).toBeGreaterThan(5);
        expect(options.map(([key]) => key).filter((key) => !read.has(key))).toEqual([]);
        // A key that is a prefix of another cannot both survive standard YAML, which Flink 1.19+
        // writes nested (FLINK-29372 renamed such keys, e.g. kubernetes.jobmanager.cpu → .amount).
        const keys = options.map(([key]) => key);
        expect(keys.filter((key) => keys.some((other) => other.startsWith(`${key}.`)))).toEqual([]);
        for (const [key, value] of options) {
          if (/^(taskmanager|jobmanager)\.memory\./.test(key)) expect(value, key).toMatch(MEMORY_SIZE);
          if (known.durationKeys.includes(key)) expect(value, key).toMatch(DURATION);
          if (
            key.endsWith('.vcores') ||
            key === 'taskmanager.numberOfTaskSlots' ||
            key.endsWith('parallelism.default')
          )
            expect(value, key).toMatch(/^[1-9]\d*$/);
        }
      },
    );
  }
});

describe('the key check itself', () => {
  it('finds a misspelt key and a key the version does not read', () => {
    const pairs = optionsIn('-Dtaskmanager.numberOfTaskslots=2\nstate.checkpoints.dir: "s3://x"\n');
    const read = keysRead('2.0');
    expect(pairs.map(([key]) => key).filter((key) => !read.has(key))).toEqual([
      'taskmanager.numberOfTaskslots',
      'state.checkpoints.dir',
    ]);
  });
});
