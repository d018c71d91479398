/**
 * Unrendered placeholders: values decided at apply time, left in manifests by templating tools and
 * tutorials. A field holding one is unknown, not malformed: no stage may treat it as a value, a
 * schema violation, a default or a duplicate.
 *
 * This module is the bottom layer (it imports nothing), so the schema, load, model and rendering
 * stages can all share one definition of the syntax without import cycles.
 *
 * Recognised forms (anywhere in a string):
 * - `${VAR}`, `${VAR:=default}`, `${VAR:-default}`: envsubst, shell and Flux post-build variables
 *   (fluxcd/pkg `envsubst`; `${var:=default}` is Flux's default syntax). Resolving the ones Flux
 *   would substitute is the Flux stage's work; whatever reaches the model unresolved is unknown;
 * - `$(VAR)`: Kubernetes' own dependent-variable syntax and Makefile-style tutorials;
 * - `$VAR` (upper-case names only): shell variables in tutorials (`$CLUSTER_ID`);
 * - `{{ … }}`: Go templates (Helm, helmfile, Argo CD ApplicationSet);
 * - `<…>`: documentation placeholders (`<cluster-cidr>`);
 * - `[YOUR-…]`-style upper-case brackets (`[YOUR-CLUSTER]`, `[CLUSTER_NAME]`);
 * - `x.x.x.x`: an address to fill in.
 */

const PLACEHOLDER = /\$\{[^}]*\}|\$\([^)]*\)|\$[A-Z_][A-Z0-9_]*|\[[A-Z][A-Z0-9_ -]*\]|<[^<>]+>|\{\{[^}]*\}\}|\bx\.x\.x\.x\b/;

/**
 * True when `value` is a string containing an unrendered placeholder (see the module comment for
 * the forms). Anything else (numbers, booleans, mappings, undefined) is false: only text can be a
 * placeholder.
 */
export function isPlaceholder(value: unknown): value is string {
  return typeof value === 'string' && PLACEHOLDER.test(value);
}

/**
 * The first placeholder written in `text` (`"${CLUSTER_ID}"` of `"prefix-${CLUSTER_ID}"`), or
 * undefined when `text` holds none. For messages and for stages that substitute variables and want
 * to say which one stayed unresolved.
 */
export function findPlaceholder(text: string): string | undefined {
  return PLACEHOLDER.exec(text)?.[0];
}
