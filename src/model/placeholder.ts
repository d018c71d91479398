/**
 * Unrendered placeholders left in manifests by tutorials and templating tools: `${CLUSTER_ID}`,
 * `$(VERSION)`, `[YOUR-CLUSTER]`, `<cluster-cidr>`, `x.x.x.x`, `{{ .Values.x }}`. They are not
 * facts: rules must neither trust them nor report them as malformed values.
 */
import { detached } from '../load/classify.js';

const PLACEHOLDER = /\$\{[^}]*\}|\$\([^)]*\)|\$[A-Z_][A-Z0-9_]*|\[[A-Z][A-Z0-9_ -]*\]|<[^<>]+>|\{\{[^}]*\}\}|\bx\.x\.x\.x\b/;

/** True when `value` contains an unrendered placeholder. */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}

/**
 * A value read from a parsed body as facts may keep it: an unrendered placeholder string becomes
 * undefined, and strings (also directly inside lists) are detached from the file text, which
 * would otherwise stay alive through them after the body is released.
 */
export function factValue(v: unknown): unknown {
  if (typeof v === 'string') return isPlaceholder(v) ? undefined : detached(v);
  if (Array.isArray(v) && v.some((x) => typeof x === 'string' && x.length >= 13)) return v.map((x) => (typeof x === 'string' ? detached(x) : x));
  return v;
}
