/**
 * Unrendered placeholders left in manifests by tutorials and templating tools: `${CLUSTER_ID}`,
 * `$(VERSION)`, `[YOUR-CLUSTER]`, `<cluster-cidr>`, `x.x.x.x`, `{{ .Values.x }}`. They are not
 * facts: rules must neither trust them nor report them as malformed values.
 */
const PLACEHOLDER = /\$\{[^}]*\}|\$\([^)]*\)|\$[A-Z_][A-Z0-9_]*|\[[A-Z][A-Z0-9_ -]*\]|<[^<>]+>|\{\{[^}]*\}\}|\bx\.x\.x\.x\b/;

/** True when `value` contains an unrendered placeholder. */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}
