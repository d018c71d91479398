/**
 * Layered Helm values: the merged view a chart sees when its values come from several places
 * (a values file, an umbrella chart's sub-chart key, a Flux HelmRelease's `valuesFrom` and
 * `spec.values`, an Argo CD Application's `valueFiles`/`values`/`valuesObject`/`parameters`,
 * a helmfile release's `values:` list), with the place of every merged leaf kept, so facts point
 * at the file and line of the layer that won.
 *
 * Merge semantics mirror Helm (helm/helm `pkg/chartutil/coalesce.go` `CoalesceTables`, and
 * `pkg/cli/values/options.go` `mergeMaps` for `-f`/`--set`): a later layer wins; mappings are
 * merged key by key, recursively; scalars and lists replace; a `null` in a later layer removes
 * the key. `--set`-style layers that address a list element (`a.b[1]=x`) replace only that
 * element, as Helm's `strvals.ParseInto` does on the values it is given.
 */
import type { Path } from '../base/types.js';
import type { ManifestObject } from '../load/types.js';
import { parseDocuments } from '../load/read.js';

/** One source of values: a body mounted somewhere in the merged view. */
export interface ValuesLayer {
  /** Absolute path of the file that holds the layer. */
  readonly file: string;
  /** 0-based index of the document among the file's non-empty documents. */
  readonly doc: number;
  /** Where the body is inside that document (`['spec', 'values']`, `['data', 'values.yaml']`). */
  readonly path: Path;
  /** Where the body sits in the merged values (`[]` for a values file, `['cluster', 'id']` for `--set cluster.id=1`). */
  readonly mount: Path;
  /** The layer's values (a mapping, or any value for a mounted `--set` layer). */
  readonly body: unknown;
  /**
   * The body was parsed from a string at `path` (a ConfigMap key, an Argo CD `values` string):
   * fields inside it have no place of their own, so they resolve to `path`, the key holding the
   * string.
   */
  readonly embedded?: boolean;
  /** The Kubernetes object holding the layer (HelmRelease, ConfigMap, Application), for suppressions. */
  readonly object?: ManifestObject;
}

/** A place a merged value comes from: a layer's file, document and path (plus its object, if any). */
export interface ValuesPlace {
  readonly file: string;
  readonly doc: number;
  readonly path: Path;
  readonly object?: ManifestObject;
}

const ABSENT: unique symbol = Symbol('absent');
/** A value found, or `ABSENT` (TypeScript folds `unknown | typeof ABSENT` into `unknown`). */
type Found = unknown;

/** Lists built by mounting a layer below an index: only their set elements replace. */
const PARTIAL = new WeakSet<unknown[]>();

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value at `path` below `root`, ABSENT when some segment does not exist (own properties only). */
function at(root: unknown, path: Path, from = 0): Found {
  let v = root;
  for (let i = from; i < path.length; i++) {
    if (typeof v !== 'object' || v === null) return ABSENT;
    const seg = path[i];
    if (Array.isArray(v)) {
      if (typeof seg !== 'number' || seg < 0 || seg >= v.length) return ABSENT;
      v = v[seg];
    } else {
      if (!Object.prototype.hasOwnProperty.call(v, seg)) return ABSENT;
      v = (v as Record<string, unknown>)[seg as string];
    }
  }
  return v;
}

/** `body` wrapped in the collections `segments` name (numbers make partial lists). */
function wrap(segments: Path, body: unknown): unknown {
  let v = body;
  for (let i = segments.length - 1; i >= 0; i--) {
    const seg = segments[i];
    if (typeof seg === 'number') {
      const list: unknown[] = new Array(seg + 1);
      list[seg] = v;
      PARTIAL.add(list);
      v = list;
    } else {
      v = { [seg]: v };
    }
  }
  return v;
}

const mergeable = (v: unknown) => isRecord(v) || (Array.isArray(v) && PARTIAL.has(v));

/** `upper` merged over `lower` (see the file comment); neither is modified. */
function merge(lower: unknown, upper: unknown): unknown {
  if (isRecord(upper) && isRecord(lower)) {
    // Keys are data: defined (not assigned), so a values key `__proto__` is a key like any other.
    const out: Record<string, unknown> = {};
    const put = (key: string, value: unknown) => Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
    for (const key of Object.keys(lower)) put(key, lower[key]);
    for (const key of Object.keys(upper)) {
      const u = upper[key];
      if (u === null) delete out[key];
      else put(key, Object.hasOwn(out, key) ? merge(out[key], u) : u);
    }
    return out;
  }
  if (Array.isArray(upper) && PARTIAL.has(upper)) {
    const base: unknown[] = Array.isArray(lower) ? lower.slice() : [];
    for (let i = 0; i < upper.length; i++) if (i in upper) base[i] = i < base.length ? merge(base[i], upper[i]) : upper[i];
    // Holes left by an index past the end are nulls, as strvals pads them.
    for (let i = 0; i < base.length; i++) if (!(i in base)) base[i] = null;
    return base;
  }
  return upper;
}

/** True when `prefix` is a prefix of `path` (segments compared by value). */
function startsWith(path: Path, prefix: Path): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}

/**
 * The merged view of layers, in the order the tool applies them (later wins).
 * Reads never throw and never modify the layers' bodies.
 */
export class LayeredValues {
  /**
   * @param layers in application order
   * @param anchor where the values as a whole are described (`[]` resolves here): the values
   *   document, the HelmRelease, the Application source, the helmfile release
   */
  constructor(
    readonly layers: readonly ValuesLayer[],
    readonly anchor: ValuesPlace,
  ) {}

  /** A view of one values document as it stands (one layer at the root). */
  static of(file: string, doc: number, body: unknown, path: Path = [], object?: ManifestObject): LayeredValues {
    return new LayeredValues([{ file, doc, path, mount: [], body, ...(object && { object }) }], { file, doc, path, ...(object && { object }) });
  }

  /** What `layer` holds at `path` of the merged view: ABSENT when it says nothing there. */
  private lookup(layer: ValuesLayer, path: Path): Found {
    const mount = layer.mount;
    if (mount.length === 0) return at(layer.body, path);
    if (path.length >= mount.length) return startsWith(path, mount) ? at(layer.body, path, mount.length) : ABSENT;
    return startsWith(mount, path) ? wrap(mount.slice(path.length), layer.body) : ABSENT;
  }

  /**
   * The merged value at `path`: the last layer's value when it is a scalar or a list; mappings
   * of every layer down to the first non-mapping merged. Undefined when no layer sets it or the
   * last one that does sets `null`.
   */
  get(path: Path): unknown {
    const layers = this.layers;
    if (layers.length === 1 && layers[0].mount.length === 0) {
      const v = at(layers[0].body, path);
      return v === ABSENT || v === null ? undefined : v;
    }
    const found: unknown[] = [];
    for (let i = layers.length - 1; i >= 0; i--) {
      const v = this.lookup(layers[i], path);
      if (v === ABSENT) continue;
      if (v === null) {
        if (found.length === 0) return undefined;
        break;
      }
      found.push(v);
      if (!mergeable(v)) break;
    }
    if (found.length === 0) return undefined;
    let value = found[found.length - 1];
    for (let j = found.length - 2; j >= 0; j--) value = merge(value, found[j]);
    return value;
  }

  /** The index of the last layer that sets `path` (not to `null`), or -1. */
  private winner(path: Path): number {
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const v = this.lookup(this.layers[i], path);
      if (v === ABSENT) continue;
      return v === null ? -1 : i;
    }
    return -1;
  }

  /**
   * Where the value at `path` is written: the last layer that sets it. A path no layer sets
   * resolves to its longest prefix that is set (so a default points at the mapping that would
   * hold the field); `[]` resolves to the anchor.
   */
  place(path: Path): ValuesPlace {
    for (let n = path.length; n > 0; n--) {
      const sub = n === path.length ? path : path.slice(0, n);
      const i = this.winner(sub);
      if (i < 0) continue;
      const layer = this.layers[i];
      const inside = layer.embedded || sub.length <= layer.mount.length ? layer.path : layer.path.concat(sub.slice(layer.mount.length));
      // A rendered object's field may have been written by a kustomize patch: point there.
      const written = !layer.embedded && layer.object?.fieldPlace?.(inside.slice(layer.object.base.length));
      if (written) return { file: written.file, doc: written.doc, path: written.path, ...(layer.object && { object: layer.object }) };
      return { file: layer.file, doc: layer.doc, path: inside, ...(layer.object && { object: layer.object }) };
    }
    return this.anchor;
  }

  /**
   * The view through `prefix`: each layer's part below `prefix`, mounted at `to` (default `[]`).
   * Layers that say nothing below `prefix` are left out.
   */
  private through(prefix: Path, to: Path = []): ValuesLayer[] {
    const out: ValuesLayer[] = [];
    for (const layer of this.layers) {
      if (startsWith(layer.mount, prefix)) {
        out.push({ ...layer, mount: to.concat(layer.mount.slice(prefix.length)) });
      } else if (startsWith(prefix, layer.mount)) {
        const rest = prefix.slice(layer.mount.length);
        const body = at(layer.body, rest);
        if (body === ABSENT) continue;
        out.push({ ...layer, body, mount: to, path: layer.embedded ? layer.path : layer.path.concat(rest) });
      }
    }
    return out;
  }

  /**
   * The values a sub-chart sees under its key in an umbrella chart's values, with Helm's
   * `global` propagation (helm/helm `pkg/chartutil/coalesce.go` `coalesceDeps` and
   * `coalesceGlobals`): the parent's top-level `global` is merged into the sub-chart's
   * `global`, the parent's keys winning.
   * @param key the sub-chart's name (or alias) in the parent's values
   */
  subchart(key: string): LayeredValues {
    const own = this.through([key]);
    const globals = this.through(['global'], ['global']);
    const anchor = this.place([key]);
    return new LayeredValues(own.concat(globals), anchor);
  }
}

/**
 * Top-level keys of umbrella charts' values that hold a Cilium or Istio sub-chart's values: the
 * charts' own names (`cilium`, `istiod`, `base`, `gateway`, `ztunnel`) and the aliases
 * umbrella charts give them (`istio-base`, `istio-cni`, `istio-ingressgateway`,
 * `eastwest-gateway`…), lower case as chart names are. Keys of the charts' own values do not
 * match (Cilium's `cni`, `gatewayAPI`, `egressGateway`; istiod's `gateways`, `istiodRemote`; the
 * gateway chart's `networkGateway`); and the values as a whole are read too, so a key taken for a
 * sub-chart by mistake loses nothing.
 */
export const SUBCHART_KEY = /^(?:cilium(?:-[a-z0-9-]+)?|istiod?(?:-[a-z0-9-]+)?|base|ztunnel|[a-z0-9-]*gateway)$/;

/** The sub-chart keys of a values view whose values are mappings, in document order. */
export function subchartKeys(values: LayeredValues): string[] {
  const root = values.get([]);
  if (!isRecord(root)) return [];
  return Object.keys(root).filter((k) => k !== 'global' && SUBCHART_KEY.test(k) && isRecord(root[k]));
}

/**
 * Parses a Helm `--set` key (`a.b[0].c`, `\.` for a literal dot) into a path, as Helm's
 * `pkg/strvals/parser.go` reads keys. Undefined for a malformed key (an unclosed or
 * non-numeric index, an empty segment).
 */
export function setPath(name: string): Path | undefined {
  const out: (string | number)[] = [];
  let current = '';
  let pendingKey = true;
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === '\\' && i + 1 < name.length) {
      current += name[++i];
      pendingKey = true;
    } else if (c === '.') {
      if (pendingKey) {
        if (current === '') return undefined;
        out.push(current);
      }
      current = '';
      pendingKey = true;
    } else if (c === '[') {
      if (pendingKey && current !== '') out.push(current);
      const end = name.indexOf(']', i);
      if (end < 0) return undefined;
      const index = name.slice(i + 1, end);
      if (!/^\d+$/.test(index)) return undefined;
      out.push(Number(index));
      i = end;
      current = '';
      pendingKey = false;
    } else {
      if (!pendingKey) return undefined;
      current += c;
    }
  }
  if (pendingKey) {
    if (current === '') return undefined;
    out.push(current);
  }
  return out.length > 0 ? out : undefined;
}

/**
 * A `--set` value as Helm types it (`pkg/strvals/parser.go` `typedVal`): `true`/`false`
 * (any case) are booleans, `null` removes the key, `0` and integers not starting with 0 are
 * numbers, anything else a string; `{a,b}` is a list of such values. With `forceString`
 * (`--set-string`, Argo CD `forceString: true`) the text is kept as is.
 */
export function setValue(text: string, forceString = false): unknown {
  if (forceString) return text;
  if (text.length >= 2 && text.startsWith('{') && text.endsWith('}')) {
    const inner = text.slice(1, -1);
    return inner === '' ? [] : inner.split(',').map((t) => setValue(t));
  }
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (text === '0') return 0;
  if (/^[+-]?[1-9]\d*$/.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return n;
  }
  return text;
}

/**
 * The chart's name from a chart reference as tools write it: `cilium/cilium` (repository/chart),
 * `oci://quay.io/cilium/charts/cilium`, `./charts/istiod` (a path): the last segment, without a
 * `.tgz` archive's version. Undefined for an empty or non-string reference.
 */
export function chartName(ref: unknown): string | undefined {
  if (typeof ref !== 'string') return undefined;
  const last =
    ref
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? '';
  const name = last.replace(/-\d+\.\d+\.\d+[^/]*\.tgz$/, '').replace(/\.tgz$/, '');
  return name === '' || name === '.' ? undefined : name;
}

/**
 * Values written as a YAML string (a ConfigMap's `values.yaml` key, an Argo CD `values` block),
 * parsed as the loader parses manifests. Helm's `chartutil.ReadValues` reads an empty string as
 * no values; anything but a mapping is not values (undefined).
 */
export function parseValuesText(file: string, text: string): Record<string, unknown> | undefined {
  let docs: unknown[];
  try {
    docs = parseDocuments(file, text);
  } catch {
    return undefined;
  }
  const first = docs.find((d) => d !== null && d !== undefined);
  if (first === undefined) return {};
  return isRecord(first) ? first : undefined;
}

/** Istio's charts (`base`, `istiod`, `gateway`, `cni`, `ztunnel`, the older `istio-*`) and gateway aliases. */
const ISTIO_CHART = /^(?:istio.*|base|cni|ztunnel|.*gateway)$/i;

/**
 * The project a chart belongs to, when its name tells (`cilium`; Istio's `base`, `istiod`,
 * `gateway`, `cni`, `ztunnel`, `istio-*`); undefined for other charts (an umbrella chart, an
 * unknown name), whose values every values source reads.
 */
export function chartProject(chart: string | undefined): 'cilium' | 'istio' | undefined {
  if (chart === undefined) return undefined;
  if (/^cilium$/i.test(chart)) return 'cilium';
  return ISTIO_CHART.test(chart) ? 'istio' : undefined;
}
