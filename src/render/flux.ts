/**
 * Flux post-build variable substitution, as kustomize-controller applies it to the objects a Flux
 * `Kustomization` builds (fluxcd/kustomize-controller `docs/spec/v1/kustomizations.md`, "Post build
 * variable substitution"; the substitution itself is fluxcd/pkg `envsubst`):
 * - variables come from `spec.postBuild.substituteFrom` (ConfigMaps and Secrets, in order, later ones
 *   overwriting earlier ones) and `spec.postBuild.substitute`, which wins over them;
 * - substitution happens only when at least one variable or one `substituteFrom` entry is given;
 * - `${var}`, `${var:=default}`, `${var:-default}`, `${var=default}`, `${var-default}`; `$${var}`
 *   stands for a literal `${var}`; a bare `$var` is never substituted; names match
 *   `^[_[:alpha:]][_[:alpha:][:digit:]]*$`;
 * - objects labelled or annotated `kustomize.toolkit.fluxcd.io/substitute: disabled` are left alone.
 *
 * One deliberate difference: Flux replaces an undefined variable without default by an empty string
 * (unless `StrictPostBuildSubstitutions` is on). mclint keeps it as written, a placeholder the model
 * treats as unknown, since the value may come from a Secret the repository does not hold.
 * Substitution works on parsed values (each string on its own) rather than on the serialized YAML,
 * so every value keeps its place in the source file.
 */

/** The opt-out label/annotation and its value. */
export const SUBSTITUTE_OPT_OUT = 'kustomize.toolkit.fluxcd.io/substitute';

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;
/** `$${…}` (escaped), or `${name}` with an optional `:=` `:-` `=` `-` default; other operators are left alone. */
const REFERENCE = /\$(\$)?\{([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?[=-])([^}]*))?\}/g;

/**
 * `text` with its variable references replaced (see the file comment); references to unknown
 * variables without default stay as written.
 * @param vars variable name → value
 */
export function substituteText(text: string, vars: ReadonlyMap<string, string>): string {
  if (!text.includes('${')) return text;
  return text.replace(REFERENCE, (whole, escaped: string | undefined, name: string, op: string | undefined, fallback: string | undefined) => {
    if (escaped) return whole.slice(1);
    const value = vars.get(name);
    if (op === undefined) return value ?? whole;
    // `:=`/`:-` also replace an empty value; `=`/`-` only an unset one.
    if (value !== undefined && (value !== '' || !op.startsWith(':'))) return value;
    return fallback ?? '';
  });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when the object opts out of substitution by label or annotation. */
function optedOut(doc: Record<string, unknown>): boolean {
  const metadata = doc.metadata;
  if (!isRecord(metadata)) return false;
  return [metadata.labels, metadata.annotations].some((m) => isRecord(m) && m[SUBSTITUTE_OPT_OUT] === 'disabled');
}

/** `value` with every string substituted, copying only what changes. */
function substituteValue(value: unknown, vars: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return substituteText(value, vars);
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = substituteValue(item, vars);
      if (next !== item) (out ??= value.slice())[i] = next;
    });
    return out ?? value;
  }
  if (isRecord(value)) {
    let out: Record<string, unknown> | undefined;
    for (const key of Object.keys(value)) {
      const next = substituteValue(value[key], vars);
      if (next !== value[key]) (out ??= { ...value })[key] = next;
    }
    return out ?? value;
  }
  return value;
}

/**
 * One parsed document after Flux's substitution: the document itself when nothing changes or it
 * opts out; `kind: List` items are judged one by one.
 */
export function substituteDocument(doc: unknown, vars: ReadonlyMap<string, string>): unknown {
  if (!isRecord(doc)) return doc;
  if (doc.kind === 'List' && Array.isArray(doc.items)) {
    const items = (doc.items as unknown[]).map((item) => (isRecord(item) && !optedOut(item) ? substituteValue(item, vars) : item));
    return items.some((item, i) => item !== (doc.items as unknown[])[i]) ? { ...doc, items } : doc;
  }
  return optedOut(doc) ? doc : substituteValue(doc, vars);
}

/** A `substituteFrom` reference that could not be resolved from the repository. */
export interface MissingSubstitution {
  readonly kind: string;
  readonly name: string;
  readonly optional: boolean;
}

/** Data of a ConfigMap or Secret (`stringData`, or base64 `data` decoded) by kind and name. */
export type VariableSourceLookup = (kind: 'ConfigMap' | 'Secret', name: string) => Readonly<Record<string, string>> | undefined;

/**
 * The variables of a Flux Kustomization's `spec.postBuild`, resolved as kustomize-controller does.
 * @param postBuild the `spec.postBuild` value (anything; malformed parts are ignored)
 * @param lookup finds the ConfigMaps and Secrets of the repository
 * @returns `vars` (undefined when Flux does not substitute at all: nothing configured) and the
 *   references not found in the repository
 */
export function postBuildVariables(postBuild: unknown, lookup: VariableSourceLookup): { vars?: Map<string, string>; missing: MissingSubstitution[] } {
  const vars = new Map<string, string>();
  const missing: MissingSubstitution[] = [];
  if (!isRecord(postBuild)) return { missing };
  const from = Array.isArray(postBuild.substituteFrom) ? postBuild.substituteFrom : [];
  for (const ref of from) {
    if (!isRecord(ref) || typeof ref.name !== 'string' || (ref.kind !== 'ConfigMap' && ref.kind !== 'Secret')) continue;
    const data = lookup(ref.kind, ref.name);
    if (!data) {
      missing.push({ kind: ref.kind, name: ref.name, optional: ref.optional === true });
      continue;
    }
    for (const [k, v] of Object.entries(data)) if (NAME.test(k)) vars.set(k, v);
  }
  if (isRecord(postBuild.substitute)) {
    for (const [k, v] of Object.entries(postBuild.substitute)) {
      if (NAME.test(k) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) vars.set(k, String(v));
    }
  }
  // Flux substitutes only when something is configured (then defaults apply even with no variable).
  const configured = from.length > 0 || (isRecord(postBuild.substitute) && Object.keys(postBuild.substitute).length > 0);
  return configured ? { vars, missing } : { missing };
}
