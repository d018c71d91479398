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

/**
 * The forms whose regular-expression search is linear as written: each body excludes the
 * character that opens the form, so a failed attempt never rescans text a later attempt reads.
 */
const LINEAR_FORMS = /\$[A-Z_][A-Z0-9_]*|\[[A-Z][A-Z0-9_ -]*\]|<[^<>]+>|\bx\.x\.x\.x\b/;

/** One placeholder found in a text: where it starts and what it is. */
interface Found {
  readonly index: number;
  readonly text: string;
}

/**
 * The leftmost `open…close` (`${…}`, `$(…)`: no `close` inside), in one pass: every attempt
 * after the first shares the first's closing character, so only the first opener counts.
 */
function delimited(text: string, open: string, close: string): Found | undefined {
  const start = text.indexOf(open);
  if (start < 0) return undefined;
  const end = text.indexOf(close, start + open.length);
  return end < 0 ? undefined : { index: start, text: text.slice(start, end + 1) };
}

/**
 * The leftmost `{{…}}` whose body holds no `}`, in one pass: the openers before a `}` all fail
 * or succeed together, so after a `}` that does not close an action the search resumes past it.
 */
function action(text: string): Found | undefined {
  for (let from = 0; ;) {
    const start = text.indexOf('{{', from);
    if (start < 0) return undefined;
    const brace = text.indexOf('}', start + 2);
    if (brace < 0) return undefined;
    if (text.charCodeAt(brace + 1) === 125 /* } */) return { index: start, text: text.slice(start, brace + 2) };
    from = brace + 1;
  }
}

/**
 * The leftmost placeholder of `text`, in time linear in its length (a hostile value such as
 * 100,000 × `${` with no `}` must not take quadratic time, as the single regular expression
 * `\$\{[^}]*\}|…` did): the forms start with different characters, so the leftmost of the forms'
 * own leftmost matches is the one a single alternation would find.
 */
function firstPlaceholder(text: string): Found | undefined {
  let best: Found | undefined;
  const keep = (f: Found | undefined) => {
    if (f && (best === undefined || f.index < best.index)) best = f;
  };
  if (text.includes('$')) {
    keep(delimited(text, '${', '}'));
    keep(delimited(text, '$(', ')'));
  }
  keep(action(text));
  const m = LINEAR_FORMS.exec(text);
  if (m) keep({ index: m.index, text: m[0] });
  return best;
}

/**
 * True when `value` is a string containing an unrendered placeholder (see the module comment for
 * the forms). Anything else (numbers, booleans, mappings, undefined) is false: only text can be a
 * placeholder. Linear in the string's length.
 */
export function isPlaceholder(value: unknown): value is string {
  return typeof value === 'string' && firstPlaceholder(value) !== undefined;
}

/**
 * The first placeholder written in `text` (`"${CLUSTER_ID}"` of `"prefix-${CLUSTER_ID}"`), or
 * undefined when `text` holds none. For messages and for stages that substitute variables and want
 * to say which one stayed unresolved. Linear in the text's length.
 */
export function findPlaceholder(text: string): string | undefined {
  return firstPlaceholder(text)?.text;
}
