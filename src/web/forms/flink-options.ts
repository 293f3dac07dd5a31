/**
 * Reads Flink options pasted into the memory planner: Flink 1.19+'s standard YAML `config.yaml`
 * (nested maps or flat dotted keys), the legacy `flink-conf.yaml` (`key: value` lines) or
 * `key=value` lines. The memory API keeps Flink's flat keys, so the nesting is flattened here,
 * as Flink's GlobalConfiguration does when it loads config.yaml (nested keys joined with dots;
 * docs: "Flink Configuration File").
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';

export interface ParsedOptions {
  config: Record<string, string>;
  errors: string[];
}

const EQUALS_LINE = /^([A-Za-z0-9_.-]+)\s*=\s*(.*)$/;

/** `key=value` lines become `key: "value"` so one YAML reader serves every form. */
function equalsToYaml(line: string): string {
  const match = EQUALS_LINE.exec(line);
  if (!match || line.includes(': ')) return line;
  let value = (match[2] ?? '').replace(/\s+#.*$/, '').trim();
  if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
  return `${match[1]}: ${JSON.stringify(value)}`;
}

/** A scalar as Flink reads it (a list as Flink's legacy `a;b` form). */
function valueText(node: unknown): string {
  if (isScalar(node)) return node.value === null ? '' : String(node.value);
  if (isSeq(node)) return node.items.map(valueText).join(';');
  return '';
}

function flatten(node: Node, prefix: string, into: Record<string, string>): void {
  if (!isMap(node)) {
    into[prefix] = valueText(node);
    return;
  }
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (isMap(pair.value)) flatten(pair.value, path, into);
    else into[path] = valueText(pair.value);
  }
}

const expected = (line: number, text: string) =>
  `Line ${line}: expected "key: value", "key=value" or nested YAML, got "${text.trim().slice(0, 80)}"`;

export function parseConfigText(text: string): ParsedOptions {
  const lines = text.split(/\r?\n/);
  const source = lines.map(equalsToYaml).join('\n');
  const lineCounter = new LineCounter();
  // Flink keeps the last of repeated keys; so does this reader.
  const doc = parseDocument(source, { lineCounter, uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((error) => {
      const line = lineCounter.linePos(error.pos[0]).line;
      return expected(line, lines[line - 1] ?? '');
    });
    return { config: {}, errors: [...new Set(errors)] };
  }
  const config: Record<string, string> = {};
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { config, errors: [] };
  if (!isMap(root)) {
    const first = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    return { config, errors: [expected(first + 1, lines[first] ?? '')] };
  }
  flatten(root, '', config);
  return { config, errors: [] };
}
