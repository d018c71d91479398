/**
 * Helpers shared by fact sources: CIDR lists and strings read through a context, so every
 * source turns a field into facts the same way (comma-separated lists split as the controllers
 * split them, invalid items dropped — the `schema` rule reports them), and every source treats an
 * unrendered placeholder the same way: the field is unknown, so it gives no fact and no default,
 * and a field that decides cross-cluster behaviour is recorded in `ClusterIdentity.unrendered`.
 */
import { splitCidrList, type Cidr } from '../../base/cidr.js';
import type { ClusterIdentity, Fact, Source, UnrenderedField, ValueProblem } from '../types.js';
import type { Path } from '../../base/types.js';
import { dotted } from '../../schema/index.js';
import { isPlaceholder } from '../../base/placeholder.js';

/**
 * Anything that can read a field and describe where it is (objects and values documents), with
 * the cluster whose unrendered fields it records.
 */
export interface FieldReader {
  readonly cluster: { readonly identity: Pick<ClusterIdentity, 'unrendered'>; readonly valueProblems: ValueProblem[] };
  get(path: Path): unknown;
  placeholder(path: Path): string | undefined;
  source(path: Path, origin: string): Source;
}

/**
 * The placeholder that decides the field at `path`: the field's own value, or a parent's when a
 * whole mapping is left to apply time (`networking: ${NET}` decides `networking.podSubnet`).
 * @returns the placeholder text and the path (relative to the document or object) holding it;
 *   undefined when neither the field nor any parent is a placeholder
 */
export function placeholderAt(reader: Pick<FieldReader, 'placeholder'>, path: Path): { value: string; path: Path } | undefined {
  for (let i = 1; i <= path.length; i++) {
    const at = i === path.length ? path : path.slice(0, i);
    const value = reader.placeholder(at);
    if (value !== undefined) return { value, path: at };
  }
  return undefined;
}

const samePath = (a: Path, b: Path) => a === b || (a.length === b.length && a.every((s, i) => s === b[i]));

/**
 * Records the field at `path` as unrendered when it (or a parent) holds a placeholder: an entry
 * of `ClusterIdentity.unrendered` with the `field` kind and `origin` (the setting read, e.g.
 * `Submariner spec.clusterID`), pointing at the value holding the placeholder. A field already
 * recorded (two sources, or two settings under one placeholder parent) is not added again.
 * @returns the placeholder text, or undefined when the field is not decided by a placeholder
 */
export function unrendered(reader: FieldReader, path: Path, origin: string, field: UnrenderedField): string | undefined {
  const found = placeholderAt(reader, path);
  if (!found) return undefined;
  const source = reader.source(found.path, origin);
  const list = reader.cluster.identity.unrendered;
  const known = list.some((u) => u.source.file === source.file && u.source.doc === source.doc && samePath(u.source.path, source.path));
  if (!known) list.push({ value: found.value, source, field, ...(found.path.length < path.length && { parent: dotted(found.path) }) });
  return found.value;
}

/**
 * The most CIDRs mclint reads from one field (docs/limits.md). Kubernetes takes one pod and one
 * Service range per IP family; Submariner, Calico and Cilium lists hold a handful. A field with
 * more is hostile or generated input: its first ranges are used and the field is reported
 * (`schema`, `tooManyCidrs`), so that the overlap checks and their findings stay linear.
 */
export const MAX_FIELD_CIDRS = 256;

/**
 * CIDR facts from a field holding a comma-separated list (`"10.0.0.0/16,fd00::/48"`), or a YAML
 * list of such strings. `separator` splits further (cilium-config uses spaces). A field, parent
 * or list item holding an unrendered placeholder gives no fact and is recorded (`unrendered`).
 * A field with more than `MAX_FIELD_CIDRS` valid CIDRs gives the first of them and a value problem.
 * @returns one fact per valid CIDR, all pointing at the field (or at the list item)
 */
export function cidrFacts(reader: FieldReader, path: Path, origin: string, separator: RegExp = /,/): Fact<Cidr>[] {
  const facts = allCidrFacts(reader, path, origin, separator);
  if (facts.length <= MAX_FIELD_CIDRS) return facts;
  const message = `${origin} lists ${facts.length} CIDRs: mclint reads the first ${MAX_FIELD_CIDRS}`;
  reader.cluster.valueProblems.push({ at: reader.source(path, origin), message, kind: 'too-many-cidrs' });
  return facts.slice(0, MAX_FIELD_CIDRS);
}

function allCidrFacts(reader: FieldReader, path: Path, origin: string, separator: RegExp): Fact<Cidr>[] {
  const value = reader.get(path);
  if (value === undefined) {
    unrendered(reader, path, origin, 'cidr');
    return [];
  }
  const items: [string, Path][] = [];
  if (typeof value === 'string') items.push([value, path]);
  else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      if (typeof v !== 'string') return;
      if (isPlaceholder(v)) unrendered(reader, [...path, i], origin, 'cidr');
      else items.push([v, [...path, i]]);
    });
  }
  return items.flatMap(([text, at]) => {
    const source = reader.source(at, origin);
    return splitCidrList(text.split(separator).join(',')).flatMap(({ cidr }) => (cidr ? [{ value: cidr, source }] : []));
  });
}

/** Default CIDRs (a tool's built-in value) as facts marked `isDefault`, pointing at `path`'s place. */
export function defaultCidrFacts(reader: FieldReader, path: Path, origin: string, texts: readonly string[]): Fact<Cidr>[] {
  const source = reader.source(path, origin);
  return texts.flatMap((t) => {
    const [cidr] = splitCidrList(t);
    return cidr?.cidr ? [{ value: cidr.cidr, source, isDefault: true }] : [];
  });
}

/** A tool's default for an absent CIDR field: where the finding goes, how it is described, the CIDRs. */
export interface CidrDefault {
  readonly at: Path;
  readonly origin: string;
  readonly texts: readonly string[];
}

/**
 * CIDR facts of the field at `path` (see `cidrFacts`), or the tool's `fallback` defaults when the
 * field is absent. A field or parent holding an unrendered placeholder gives neither facts nor
 * defaults: its value is decided at apply time (it is recorded by `cidrFacts`).
 */
export function cidrFactsOrDefault(reader: FieldReader, path: Path, origin: string, fallback: CidrDefault | undefined, separator: RegExp = /,/): Fact<Cidr>[] {
  const facts = cidrFacts(reader, path, origin, separator);
  if (facts.length > 0 || fallback === undefined || reader.get(path) !== undefined || placeholderAt(reader, path)) return facts;
  return defaultCidrFacts(reader, fallback.at, fallback.origin, fallback.texts);
}

/** A non-empty string field as a fact, or undefined. */
export function stringFact(reader: FieldReader, path: Path, origin: string): Fact<string> | undefined {
  const v = reader.get(path);
  return typeof v === 'string' && v !== '' ? { value: v, source: reader.source(path, origin) } : undefined;
}

/**
 * An identity field (cluster ID, cluster name) as a fact, empty strings included (an empty ID is
 * a finding); an unrendered placeholder there (or in a parent) is recorded in
 * `ClusterIdentity.unrendered` instead, so rules neither compare it nor take it for absent.
 */
export function identityFact(reader: FieldReader, path: Path, origin: string): Fact<string> | undefined {
  const v = reader.get(path);
  if (v === undefined) {
    unrendered(reader, path, origin, 'identity');
    return undefined;
  }
  return typeof v === 'string' ? { value: v, source: reader.source(path, origin) } : undefined;
}
