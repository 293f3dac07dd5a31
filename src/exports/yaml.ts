import { type Document, isMap, isPair, isScalar, type Node, type Pair } from 'yaml';

/** The pair under `path` (keys from the document root), if the document has it. */
export function pairAt(doc: Document, path: readonly string[]): Pair | undefined {
  let node: unknown = doc.contents;
  let found: Pair | undefined;
  for (const key of path) {
    if (!isMap(node)) return undefined;
    found = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
    if (!found) return undefined;
    node = found.value;
  }
  return found;
}

/** Puts `# text` (one line per entry) above the key at `path`; YAML keeps comments out of the data. */
export function commentOn(doc: Document, path: readonly string[], text: string | undefined): void {
  const pair = pairAt(doc, path);
  if (!pair || text === undefined || !isScalar(pair.key)) return;
  (pair.key as Node).commentBefore = text
    .split('\n')
    .map((line) => ` ${line}`)
    .join('\n');
}

/** A header comment block at the top of the file. */
export function header(doc: Document, lines: readonly string[]): void {
  doc.commentBefore = lines.map((line) => ` ${line}`).join('\n');
}

/** Comments must never carry a line break into the YAML, whatever text they quote. */
export const oneLine = (text: string) => text.replace(/[\r\n\u2028\u2029]+/g, ' ');
