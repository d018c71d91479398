/**
 * Explicit limits on the shape of a parsed YAML document, checked without recursion so that the
 * call stack (whose size differs between the main thread and parse workers, and with what V8 has
 * compiled) never decides the outcome: the same document gives the same finding on every run,
 * thread and file order. See docs/limits.md for every limit of a run and the finding each gives.
 *
 * js-yaml's own `maxDepth` (read.ts: 1000, counting a block sequence entry as two levels) bounds
 * the nesting written in the text first; `treeTooDeep` and `shapeProblem` apply `MAX_NESTING` to the
 * parsed values, and `nestingCrossing` finds where the text crosses it. Aliases can nest further (`b: &b [*a]`, `c: &c [*b]`, …) and make a document far larger
 * than its text ("billion laughs"), which kubectl's decoder (sigs.k8s.io/yaml over go-yaml v2,
 * `decode.go`: "document contains excessive aliasing") rejects.
 */
import type { Path } from '../base/types.js';
import type { LoadProblem } from './types.js';
import { loadYamlPackage, withoutStacks } from './yaml-package.js';

/**
 * Deepest collection nesting accepted, aliases expanded. Kubernetes manifests nest a few dozen
 * levels (CRD schemas are the deepest); the `yaml` package, which finds positions (`locate.ts`)
 * and syntax-error ranges (`syntax.ts`), composes recursively and runs out of call stack from about
 * 800 levels in a fresh process, at a depth that varies with what V8 has compiled, so documents
 * must stay well below that for positions to be the same on every run.
 */
export const MAX_NESTING = 256;
/** A document expanding to more nodes than this through aliases is rejected (billion laughs). */
export const MAX_EXPANDED_NODES = 200_000;
/** Most entries one sequence or mapping may hold (a `kind: List` of 100,000 objects passes). */
export const MAX_COLLECTION_ENTRIES = 100_000;
/**
 * Texts shorter than this cannot hold a collection over `MAX_COLLECTION_ENTRIES` entries (each
 * entry takes at least two characters, `1,`), so only longer ones are measured for it.
 */
export const MIN_CHARS_FOR_LONG_COLLECTION = 2 * MAX_COLLECTION_ENTRIES;

/** What is wrong with a document's shape, and where (`path`: to the node where the limit is crossed). */
export type ShapeProblem =
  | { readonly kind: 'recursive'; readonly path: Path }
  | { readonly kind: 'expanded'; readonly path: Path }
  | { readonly kind: 'nested'; readonly path: Path }
  | { readonly kind: 'entries'; readonly path: Path; readonly key: boolean };

interface Frame {
  readonly node: object;
  /** Mapping keys, or undefined for a sequence. */
  readonly keys: readonly string[] | undefined;
  readonly children: readonly unknown[];
  next: number;
  size: number;
  height: number;
}

/**
 * Measures one parsed document (`value`, plain js-yaml values whose shared nodes are aliases) in
 * time linear in its distinct nodes: an explicit stack, and each shared node's size and height
 * memoised by identity. Returns the first limit crossed in depth-first order, or undefined.
 * @param entries whether to check `MAX_COLLECTION_ENTRIES` (see `MIN_CHARS_FOR_LONG_COLLECTION`)
 */
export function shapeProblem(value: unknown, entries: boolean): ShapeProblem | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const memo = new Map<object, { size: number; height: number }>();
  const onStack = new Set<object>();
  const stack: Frame[] = [];
  // The key or index of the child a frame is visiting; the path to that child is every frame's.
  const key = (f: Frame): string | number => (f.keys ? f.keys[f.next - 1] : f.next - 1);
  const open = (node: object): ShapeProblem | undefined => {
    const keys = Array.isArray(node) ? undefined : Object.keys(node);
    const children = keys ? keys.map((k) => (node as Record<string, unknown>)[k]) : (node as unknown[]);
    if (entries && children.length > MAX_COLLECTION_ENTRIES) {
      return { kind: 'entries', path: [...stack.map(key), keys ? keys[MAX_COLLECTION_ENTRIES] : MAX_COLLECTION_ENTRIES], key: keys !== undefined };
    }
    onStack.add(node);
    stack.push({ node, keys, children, next: 0, size: 1, height: 1 });
    return stack.length > MAX_NESTING ? { kind: 'nested', path: stack.slice(0, -1).map(key) } : undefined;
  };
  const first = open(value);
  if (first) return first;
  for (;;) {
    const top = stack[stack.length - 1];
    if (top.next < top.children.length) {
      const child = top.children[top.next++];
      if (typeof child !== 'object' || child === null) {
        top.size++;
      } else {
        const known = memo.get(child);
        if (known) {
          if (stack.length + known.height > MAX_NESTING) return { kind: 'nested', path: stack.map(key) };
          top.size += known.size;
          top.height = Math.max(top.height, known.height + 1);
        } else if (onStack.has(child)) {
          return { kind: 'recursive', path: stack.map(key) };
        } else {
          const problem = open(child);
          if (problem) return problem;
          continue;
        }
      }
      if (top.size > MAX_EXPANDED_NODES) return { kind: 'expanded', path: [] };
      continue;
    }
    stack.pop();
    onStack.delete(top.node);
    memo.set(top.node, { size: top.size, height: top.height });
    const parent = stack[stack.length - 1];
    if (!parent) return undefined;
    parent.size += top.size;
    parent.height = Math.max(parent.height, top.height + 1);
    if (parent.size > MAX_EXPANDED_NODES) return { kind: 'expanded', path: [] };
  }
}

/**
 * False when no document of `text` can nest collections more than `MAX_NESTING` levels deep, so
 * `treeTooDeep` need not walk them: along any path, block collections sit at least one column
 * further right every second level (a block sequence may share its key's column), so they nest at
 * most 2 × (longest line + 1) deep, and each flow level needs a `[` or `{` of its own. Scans the
 * text with `indexOf`, stopping as soon as the bound could exceed the limit.
 */
export function mayNestTooDeep(text: string): boolean {
  let longest = 0;
  for (let start = 0; start < text.length;) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start > longest) longest = end - start;
    if (2 * (longest + 1) > MAX_NESTING) return true;
    start = end + 1;
  }
  let openers = 2 * (longest + 1);
  for (const opener of ['[', '{']) {
    for (let i = text.indexOf(opener); i >= 0; i = text.indexOf(opener, i + 1)) if (++openers > MAX_NESTING) return true;
  }
  return false;
}

/**
 * True when a parsed document without shared nodes (no aliases: a tree) nests collections more
 * than `MAX_NESTING` levels deep. An explicit stack of (node, depth); linear in the nodes.
 */
export function treeTooDeep(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const nodes: object[] = [value];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > MAX_NESTING) return true;
    if (Array.isArray(node)) {
      for (const child of node as unknown[]) {
        if (typeof child === 'object' && child !== null) {
          nodes.push(child);
          depths.push(depth + 1);
        }
      }
    } else {
      for (const k in node) {
        const child = (node as Record<string, unknown>)[k];
        if (typeof child === 'object' && child !== null) {
          nodes.push(child);
          depths.push(depth + 1);
        }
      }
    }
  }
  return false;
}

/** The collection tokens of the `yaml` package's CST (`parse/cst.ts`). */
const COLLECTION_TOKENS = new Set(['block-map', 'block-seq', 'flow-collection']);

/**
 * The offset (UTF-16 units from the start of `text`) of the token at which collections written
 * in `text` first nest more than `MAX_NESTING` levels deep, or undefined when they never do. Uses
 * the `yaml` package's CST parser, which keeps open collections on an explicit stack (`Parser.stack`)
 * instead of the call stack, and stops at the crossing: the same answer on every run and thread,
 * and never slower than parsing the text up to that point.
 */
export async function nestingCrossing(text: string): Promise<number | undefined> {
  const { Lexer, Parser } = await loadYamlPackage();
  return withoutStacks(() => {
    const parser = new Parser();
    for (const lexeme of new Lexer().lex(text)) {
      const at = parser.offset;
      // Complete documents are not needed, only the collections still open.
      for (const _token of parser.next(lexeme));
      if (parser.stack.length <= MAX_NESTING) continue;
      let open = 0;
      for (const token of parser.stack) if (COLLECTION_TOKENS.has(token.type)) open++;
      if (open > MAX_NESTING) return at;
    }
    return undefined;
  });
}

/** What a document nested deeper than `MAX_NESTING` is told (the same from every detection path). */
export const NESTING_MESSAGE = `collections nested more than ${MAX_NESTING} levels deep: mclint reads no document nested this deeply (Kubernetes manifests nest a few dozen levels)`;

/**
 * The `parse-error` problem for collections nested too deeply, at the token where the text
 * crosses `MAX_NESTING` (`nestingCrossing`), or undefined when the text itself never does (the
 * depth comes from aliases).
 */
export async function nestingProblem(file: string, text: string): Promise<LoadProblem | undefined> {
  const at = await nestingCrossing(text);
  if (at === undefined) return undefined;
  let line = 1;
  let lineStart = 0;
  for (let nl = text.indexOf('\n'); nl >= 0 && nl < at; nl = text.indexOf('\n', nl + 1)) {
    line++;
    lineStart = nl + 1;
  }
  const column = at - lineStart + 1;
  return { rule: 'parse-error', message: NESTING_MESSAGE, file, span: { line, column, endLine: line, endColumn: column + 1 } };
}
