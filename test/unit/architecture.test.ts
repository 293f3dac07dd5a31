/**
 * The layers of docs/architecture.md, held by the imports themselves: every relative import in
 * src/ points to a lower layer (or within its own directory), the store is reached only through
 * the services, route plugins are registered only by their scope's index, and the environment is
 * parsed only in config.ts. A change that breaks the picture fails here, naming the import.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '..', '..', 'src');

/**
 * Each part of src/ with its height in the picture (docs/architecture.md, "Layers"): an import
 * goes to a part of lower height. Parts of equal height do not import one another.
 */
const HEIGHT: Record<string, number> = {
  'estimator/memory': 0,
  format: 0,
  config: 0,
  store: 0,
  jobspec: 1,
  estimator: 2,
  schemas: 3,
  intake: 4,
  exports: 4,
  calibration: 5,
  estimations: 6,
  calibrations: 6,
  web: 7,
  forms: 8,
  presenters: 8,
  browser: 9,
  plugins: 10,
  routes: 11,
  app: 12,
  server: 13,
  cli: 13,
  backup: 13,
};

/**
 * Imports against the heights, each for a reason. The engine returns an Estimate, whose type is
 * the output of the API's schema (schemas/estimate.ts, built on the engine's own parts): a type
 * only, erased at run time.
 */
const TYPE_ONLY_EXCEPTIONS = [{ from: 'estimator', to: 'schemas' }];

/** Who may import the store: the services, the plugin that opens the database, the backup command. */
const STORE_IMPORTERS = new Set(['estimations', 'calibrations', 'plugins', 'backup']);

interface Import {
  file: string;
  target: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The part of src/ a file belongs to: its top directory (estimator/memory apart), or its own name. */
function partOf(file: string): string {
  const [top = '', second] = relative(SRC, file).split('/');
  if (top === 'estimator' && second === 'memory') return 'estimator/memory';
  return second === undefined ? top.replace(/\.ts$/, '') : top;
}

// `import … from './x.js'`, `export … from './x.js'`, `import './x.js'` and `import('./x.js')`.
const STATIC_IMPORT = /^(?:import|export)\s+(type\s+)?(?:[^;'"]*?\sfrom\s+)?'(\.[^']+)'/gm;
const DYNAMIC_IMPORT = /\bimport\('(\.[^']+)'\)/g;

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const target = (specifier: string) => resolve(dirname(file), specifier).replace(/\.js$/, '.ts');
  return [
    ...[...text.matchAll(STATIC_IMPORT)].map((m) => ({
      file,
      target: target(m[2] ?? ''),
      typeOnly: m[1] !== undefined,
    })),
    ...[...text.matchAll(DYNAMIC_IMPORT)].map((m) => ({ file, target: target(m[1] ?? ''), typeOnly: false })),
  ];
}

const files = sourceFiles(SRC);
const imports = files.flatMap(importsOf);
const show = (i: Import) => `${relative(SRC, i.file)} imports ${relative(SRC, i.target)}`;

describe('the layers of docs/architecture.md', () => {
  it('reads the imports of every source file', () => {
    // A guard on the reader itself: the app's entry and the engine are where they are.
    expect(files.length).toBeGreaterThan(150);
    expect(imports.some((i) => show(i) === 'app.ts imports routes/api/index.ts')).toBe(true);
    expect(imports.some((i) => show(i) === 'routes/pages/index.ts imports routes/pages/saved.ts')).toBe(true);
  });

  it('gives every part of src/ a height', () => {
    expect([...new Set(files.map(partOf))].filter((part) => HEIGHT[part] === undefined)).toEqual([]);
  });

  it('points every import down the picture', () => {
    const upward = imports.filter((i) => {
      const from = partOf(i.file);
      const to = partOf(i.target);
      if (from === to) return false;
      if (i.typeOnly && TYPE_ONLY_EXCEPTIONS.some((e) => e.from === from && e.to === to)) return false;
      return (HEIGHT[to] ?? Number.POSITIVE_INFINITY) >= (HEIGHT[from] ?? Number.NEGATIVE_INFINITY);
    });
    expect(upward.map(show)).toEqual([]);
  });

  it('keeps the memory model a leaf', () => {
    const out = imports.filter(
      (i) => partOf(i.file) === 'estimator/memory' && partOf(i.target) !== 'estimator/memory',
    );
    expect(out.map(show)).toEqual([]);
  });

  it('reaches the store only through the services', () => {
    const direct = imports.filter((i) => partOf(i.target) === 'store' && partOf(i.file) !== 'store');
    expect(direct.filter((i) => !STORE_IMPORTERS.has(partOf(i.file))).map(show)).toEqual([]);
  });

  it('registers a route plugin only from the index of its scope (app.ts for the root)', () => {
    const routePlugins = new Set(
      files.filter(
        (f) =>
          partOf(f) === 'routes' &&
          !f.endsWith('/index.ts') &&
          /^export default /m.test(readFileSync(f, 'utf8')),
      ),
    );
    const misplaced = imports.filter(
      (i) =>
        routePlugins.has(i.target) &&
        !(i.file.endsWith('/index.ts') && dirname(i.file) === dirname(i.target)) &&
        !(relative(SRC, i.file) === 'app.ts' && dirname(i.target) === join(SRC, 'routes')),
    );
    expect(routePlugins.size).toBeGreaterThan(10);
    expect(misplaced.map(show)).toEqual([]);
  });

  it('parses the environment only in config.ts; the entry points hand it over', () => {
    const readers = files.filter((f) => readFileSync(f, 'utf8').includes('process.env'));
    expect(readers.map((f) => relative(SRC, f)).sort()).toEqual(['backup.ts', 'config.ts', 'server.ts']);
    for (const entry of ['backup.ts', 'server.ts']) {
      const uses = readFileSync(join(SRC, entry), 'utf8').match(/.*process\.env.*/g) ?? [];
      expect(uses.every((line) => line.includes('loadConfig(process.env)'))).toBe(true);
    }
  });
});
