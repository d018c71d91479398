/**
 * Placeholders as the model sees them: an unrendered placeholder (`${CLUSTER_ID}`, `$(VERSION)`,
 * `[YOUR-CLUSTER]`, `<cluster-cidr>`, `x.x.x.x`, `{{ .Values.x }}`; the syntax lives in
 * `src/base/placeholder.ts`) is not a fact: rules must neither trust it nor report it as a malformed
 * value. Also how fact sources keep the values they read: as the shared string copies of the
 * speed box (`kept`, `src/base/memory.ts`).
 */
import { kept } from '../base/memory.js';
import { isPlaceholder } from '../base/placeholder.js';

/**
 * A value read from a parsed body as facts may keep it: an unrendered placeholder string becomes
 * undefined, and strings (also directly inside lists) become the shared copy `kept` returns,
 * detached from the file text (which would otherwise stay alive through them after the body is
 * released).
 */
export function factValue(v: unknown): unknown {
  if (typeof v === 'string') return isPlaceholder(v) ? undefined : kept(v);
  if (Array.isArray(v) && v.some((x) => typeof x === 'string')) return (v as unknown[]).map((x) => (typeof x === 'string' ? kept(x) : x));
  return v;
}

/**
 * A string map (labels, annotations, selector) as facts keep it: the manifest's own object when
 * every value is a string (no copy: there are many), its values replaced in place by their shared
 * copies (`kept`); else a copy without the other values (the `schema` rule reports them).
 * @returns undefined when `v` is not a mapping
 */
export function stringRecord(v: unknown): Readonly<Record<string, string>> | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const map = v as Record<string, unknown>;
  for (const k in map) {
    const x = map[k];
    if (typeof x !== 'string') {
      // Keys are data (a label named `__proto__` is a label): defined, not assigned.
      const out: Record<string, string> = {};
      for (const j in map) if (typeof map[j] === 'string') Object.defineProperty(out, j, { value: kept(map[j]), writable: true, enumerable: true, configurable: true });
      return out;
    }
    map[k] = kept(x);
  }
  return map as Record<string, string>;
}
