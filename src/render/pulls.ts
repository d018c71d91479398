/**
 * Fleet references: the Flux `Kustomization`s and Argo CD `Application`s in a cluster's manifests
 * that pull other folders of the same repository into a cluster.
 *
 * - Flux (fluxcd/kustomize-controller `docs/spec/v1/kustomizations.md`): `spec.path` is relative to
 *   the root of the source artifact (`spec.sourceRef`, a GitRepository of this repository in a
 *   fleet repo); the objects built there are applied to the cluster running the Kustomization, or
 *   to the cluster of `spec.kubeConfig` (a remote cluster mclint cannot name: not pulled, said so).
 *   `spec.postBuild` variables are substituted (`flux.ts`).
 * - Argo CD (argo-cd `docs/user-guide/application-specification.md`): `spec.source.path` (and each
 *   `spec.sources[].path`) relative to the repository root; applied to `spec.destination.name`, or
 *   `spec.destination.server`, where `https://kubernetes.default.svc` (name `in-cluster`) is the
 *   cluster running Argo CD, i.e. the one whose manifests hold the Application. A destination no
 *   cluster folder holds becomes a cluster of its own.
 *
 * Sources are recognised only as far as the repository can tell: a path that does not exist in
 * this repository is reported as not followed (it is another repository's), never fetched.
 */
import { existsSync, statSync } from 'node:fs';
import { realOrSelf } from '../discover/walk.js';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { LoadedFile } from '../load/types.js';
import type { Place } from '../base/types.js';

/** Types (as `LoadOptions.retainTypes` names them) whose bodies fleet references are read from. */
export const FLEET_TYPES: readonly string[] = [
  'kustomize.toolkit.fluxcd.io/Kustomization',
  'argoproj.io/Application',
  'argoproj.io/ApplicationSet',
  'core/ConfigMap',
  'core/Secret',
  'source.toolkit.fluxcd.io/GitRepository',
];

/** A Flux GitRepository's checkout: its URL and `spec.ref` as JSON (`''` when absent). */
export interface GitSource {
  readonly url: string;
  readonly ref: string;
}

/** What pulled a folder (or values) into a cluster. */
export type FleetTool = 'flux' | 'argocd' | 'helmfile';

/** One Flux Kustomization or Argo CD Application path, as found in a cluster's manifests. */
export interface FleetReference {
  readonly tool: FleetTool;
  /** `Kustomization flux-system/apps`, `Application argocd/east-web`. */
  readonly label: string;
  /** The cluster whose manifests hold the object. */
  readonly holder: string;
  /** The path field (`spec.path`, `spec.source.path`, `spec.sources[i].path`). */
  readonly at: Place;
  /** The path as written (relative to the repository root); undefined for a chart from a Helm repository. */
  readonly path?: string;
  /** A chart from a Helm repository (Argo CD `spec.source.chart`, a helmfile release's `chart`): not in this repository, not rendered. */
  readonly chart?: string;
  /** Flux `spec.postBuild` (unvalidated). */
  readonly postBuild?: unknown;
  /** Flux `spec.sourceRef`: the source whose checkout `path` is read in (namespace defaulted to the Kustomization's). */
  readonly sourceRef?: { readonly kind: string; readonly name: string; readonly namespace?: string };
  /** Flux `spec.kubeConfig` is set: the objects go to a remote cluster mclint cannot name. */
  readonly remoteCluster?: boolean;
  /** Argo CD `spec.destination`; a helmfile release's cluster as `name` (from its `kubeContext`). */
  readonly destination?: { readonly name?: string; readonly server?: string };
  /**
   * Why the reference cannot be followed from the repository at all (an ApplicationSet generator
   * whose elements only a live Argo CD knows): listed as not followed, in the holder's cluster.
   */
  readonly notFollowed?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** The in-cluster destination of Argo CD. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/**
 * Reads the fleet references, the small ConfigMaps/Secrets (for `substituteFrom`) and the Flux
 * GitRepositories of a loaded file. Call before the model builder releases the bodies.
 * @param gitSources receives `<namespace>/<name>` → the Flux GitRepository's URL and reference
 * @param variables receives `Kind/name` → data of ConfigMaps and Secrets (`stringData`, and `data`
 *   base64-decoded for Secrets) whose values are all strings
 */
/** The kinds `collectFleet` reads: every other object is passed over at once. */
function isFleetKind(group: string, kind: string): boolean {
  if (group === '') return kind === 'ConfigMap' || kind === 'Secret';
  if (group === 'argoproj.io') return kind === 'Application' || kind === 'ApplicationSet';
  if (group === 'source.toolkit.fluxcd.io') return kind === 'GitRepository';
  return group === 'kustomize.toolkit.fluxcd.io' && kind === 'Kustomization';
}

export function collectFleet(file: LoadedFile, holder: string, variables: Map<string, Record<string, string>>, gitSources: Map<string, GitSource>): FleetReference[] {
  const refs: FleetReference[] = [];
  for (const o of file.objects) {
    const body = o.body;
    if (!body || o.name === undefined || !isFleetKind(o.group, o.kind)) continue;
    const spec = isRecord(body.spec) ? body.spec : undefined;
    const place = (...path: (string | number)[]): Place => ({ file: o.file, doc: o.doc, path: [...o.base, ...path] });
    const label = `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
    if (o.group === 'kustomize.toolkit.fluxcd.io' && o.kind === 'Kustomization' && spec) {
      const source = isRecord(spec.sourceRef) ? spec.sourceRef : undefined;
      const sourceRef =
        source && str(source.kind) && str(source.name) ? { kind: str(source.kind)!, name: str(source.name)!, namespace: str(source.namespace) ?? o.namespace } : undefined;
      refs.push({
        tool: 'flux',
        label,
        holder,
        at: place('spec', 'path'),
        path: str(spec.path) ?? './',
        postBuild: spec.postBuild,
        remoteCluster: spec.kubeConfig !== undefined,
        ...(sourceRef && { sourceRef }),
      });
    } else if (o.group === 'argoproj.io' && o.kind === 'Application' && spec) {
      const d = isRecord(spec.destination) ? spec.destination : {};
      const destination = { name: str(d.name), server: str(d.server) };
      const sources: [unknown, (string | number)[]][] = isRecord(spec.source) ? [[spec.source, ['spec', 'source']]] : [];
      if (Array.isArray(spec.sources)) spec.sources.forEach((s, i) => sources.push([s, ['spec', 'sources', i]]));
      for (const [source, at] of sources) {
        const path = isRecord(source) ? str(source.path) : undefined;
        if (path !== undefined) refs.push({ tool: 'argocd', label, holder, at: place(...at, 'path'), path, destination });
        // A chart from a Helm repository has no path, but still names the cluster it deploys to
        // (its values are the model's business).
        else if (isRecord(source) && str(source.chart) !== undefined)
          refs.push({ tool: 'argocd', label, holder, at: place(...at, 'chart'), chart: str(source.chart), destination });
      }
    } else if (o.group === 'argoproj.io' && o.kind === 'ApplicationSet' && spec) {
      refs.push(...applicationSetReferences(spec, label, holder, place));
    } else if (o.group === 'source.toolkit.fluxcd.io' && o.kind === 'GitRepository' && spec) {
      // What the checkout is: its URL and reference, to tell another branch or repository from the cluster's own.
      const url = str(spec.url);
      if (url) gitSources.set(`${o.namespace ?? ''}/${o.name}`, { url, ref: isRecord(spec.ref) ? JSON.stringify(spec.ref) : '' });
    } else if (o.group === '' && (o.kind === 'ConfigMap' || o.kind === 'Secret')) {
      const data: Record<string, string> = {};
      const plain = o.kind === 'ConfigMap' ? body.data : body.stringData;
      if (isRecord(plain)) for (const [k, v] of Object.entries(plain)) if (typeof v === 'string') data[k] = v;
      if (o.kind === 'Secret' && isRecord(body.data)) {
        for (const [k, v] of Object.entries(body.data)) if (typeof v === 'string' && !(k in data)) data[k] = Buffer.from(v, 'base64').toString('utf8');
      }
      variables.set(`${o.kind}/${o.name}`, data);
    }
  }
  for (const d of file.others) {
    if (!isHelmfilePath(d.file) || !isRecord(d.body) || !Array.isArray(d.body.releases)) continue;
    d.body.releases.forEach((release: unknown, i: number) => {
      const context = isRecord(release) ? str(release.kubeContext) : undefined;
      if (context === undefined || !isRecord(release) || release.installed === false) return;
      const label = `helmfile release ${str(release.name) ?? i}`;
      const at: Place = { file: d.file, doc: d.doc, path: ['releases', i, 'kubeContext'] };
      refs.push({ tool: 'helmfile', label, holder, at, chart: str(release.chart) ?? '?', destination: { name: contextCluster(context) } });
    });
  }
  return refs;
}

/**
 * The cluster a kube context names: its name without the `kind-` or `k3d-` prefix those tools give
 * their contexts (`kind-east` is kind's cluster `east`), so it meets the cluster's other names.
 */
export function contextCluster(context: string): string {
  return context.replace(/^(kind|k3d)-/, '');
}

/** A helmfile's path: `helmfile.yaml|yml`, or a YAML file of a `helmfile.d/` folder (helmfile's own lookup). */
export function isHelmfilePath(file: string): boolean {
  return /^helmfile\.ya?ml$/.test(basename(file)) || (basename(dirname(file)) === 'helmfile.d' && /\.ya?ml$/.test(file));
}

/** `{{key}}`, `{{ .key }}`, `{{.a.b}}` in an ApplicationSet template, filled from one generator element. */
function fillTemplate(text: string, element: Record<string, unknown>): string {
  return text.replace(/\{\{\s*\.?([\w.-]+)\s*\}\}/g, (whole, key: string) => {
    let v: unknown = element;
    for (const k of key.split('.')) v = isRecord(v) ? v[k] : undefined;
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : whole;
  });
}

/**
 * The references of an Argo CD ApplicationSet's `list` generators (argo-cd
 * `docs/operator-manual/applicationset/Generators-List.md`): one Application per element, its
 * template's `source.path` and `destination` filled from the element (`{{key}}`, or `{{.key}}` with
 * `goTemplate`). Other generators (clusters, git, matrix…) name clusters only a live Argo CD knows:
 * each is one reference marked `notFollowed`, so `--print-clusterset` lists it as not followed.
 */
function applicationSetReferences(spec: Record<string, unknown>, label: string, holder: string, place: (...path: (string | number)[]) => Place): FleetReference[] {
  const template = isRecord(spec.template) && isRecord(spec.template.spec) ? spec.template.spec : undefined;
  if (!template || !Array.isArray(spec.generators)) return [];
  const refs: FleetReference[] = [];
  spec.generators.forEach((generator: unknown, g: number) => {
    const kind = isRecord(generator) ? Object.keys(generator).find((k) => k !== 'list' && k !== 'selector' && k !== 'values') : undefined;
    if (kind !== undefined && !(isRecord(generator) && isRecord(generator.list))) {
      // clusters, git, matrix, merge, scmProvider, pullRequest, clusterDecisionResource, plugin:
      // their elements come from Argo CD's cluster secrets, other repositories or APIs.
      const source = isRecord(template.source) ? template.source : undefined;
      const path = source ? (str(source.path) ?? str(source.chart) ?? str(source.repoURL)) : undefined;
      const notFollowed = `its ${kind} generator's elements are known only to a running Argo CD`;
      refs.push({ tool: 'argocd', label: `${label} (${kind} generator)`, holder, at: place('spec', 'generators', g, kind), path: path ?? '(template)', notFollowed });
      return;
    }
    const elements = isRecord(generator) && isRecord(generator.list) && Array.isArray(generator.list.elements) ? generator.list.elements : [];
    elements.forEach((element: unknown, e: number) => {
      if (!isRecord(element)) return;
      const d = isRecord(template.destination) ? template.destination : {};
      const fill = (v: unknown) => (typeof v === 'string' && v !== '' ? fillTemplate(v, element) : undefined);
      const destination = { name: fill(d.name), server: fill(d.server) };
      const at = place('spec', 'generators', g, 'list', 'elements', e);
      const source = isRecord(template.source) ? template.source : undefined;
      const path = source ? fill(source.path) : undefined;
      const elementLabel = `${label} (element ${e})`;
      if (path !== undefined && !path.includes('{{')) refs.push({ tool: 'argocd', label: elementLabel, holder, at, path, destination });
      else if (source && typeof source.chart === 'string') refs.push({ tool: 'argocd', label: elementLabel, holder, at, chart: source.chart, destination });
    });
  });
  return refs;
}

/**
 * The repository root paths of fleet references are relative to: the git work tree holding
 * `dir` (the nearest ancestor with `.git`), else `dir` itself.
 */
export function repositoryRoot(dir: string): string {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return resolve(dir);
  }
}

/** `child` is `parent` or lies below it. */
export function isWithin(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Where a reference leads: an existing directory or file of the repository, or why not. */
export type ResolvedPath = { readonly dir: string } | { readonly unresolved: string };

/**
 * Resolves a reference's path against the repository root (`./apps/prod`, `apps/prod`, `/apps`).
 * Paths leaving the repository or not present in it are not followed.
 */
export function resolveReference(ref: FleetReference, repoRoot: string): ResolvedPath {
  if (ref.path === undefined) return { unresolved: `chart ${ref.chart ?? '?'} comes from a Helm repository: its values are read, the chart is not rendered` };
  const target = resolve(repoRoot, ref.path.replace(/^\/+/, ''));
  if (!isWithin(target, repoRoot)) return { unresolved: `${ref.path} leaves the repository` };
  try {
    statSync(target);
  } catch {
    return { unresolved: `${ref.path} is not in this repository (another source's path?)` };
  }
  // As written it is inside; through a symbolic link it may not be (never read outside the repository).
  if (!isWithin(realOrSelf(target), realOrSelf(repoRoot))) return { unresolved: `${ref.path} leads out of the repository through a symbolic link` };
  return { dir: target.endsWith(sep) ? target.slice(0, -1) : target };
}

/**
 * The cluster an Argo CD destination names (argo-cd `docs/user-guide/application-specification.md`):
 * `name` (`in-cluster` is the cluster running Argo CD, i.e. `holder`), else `server`, where
 * `https://kubernetes.default.svc` is `holder` and another URL is named after its host.
 */
export function destinationName(destination: { readonly name?: unknown; readonly server?: unknown } | undefined, holder: string): string {
  const name = typeof destination?.name === 'string' && destination.name !== '' ? destination.name : undefined;
  const server = typeof destination?.server === 'string' && destination.server !== '' ? destination.server : undefined;
  if (name !== undefined) return name === 'in-cluster' ? holder : name;
  if (server === undefined || server.replace(/\/+$/, '') === IN_CLUSTER_SERVER) return holder;
  try {
    return new URL(server).hostname || holder;
  } catch {
    return holder;
  }
}

/** The cluster a reference deploys to: Flux's own cluster; an Argo CD or helmfile destination. */
export function argoDestinationCluster(ref: FleetReference): string {
  return ref.tool === 'flux' ? ref.holder : destinationName(ref.destination, ref.holder);
}

/** A git URL without scheme, user, `.git` and trailing slash, lower-cased: `ssh://git@github.com/org/repo.git` and `https://github.com/org/repo` compare equal. */
export function gitLocation(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/^[a-z+]+:\/\//, '')
    .replace(/^[^@/]+@/, '')
    .replace(/^([^/:]+):(?!\d)/, '$1/')
    .replace(/\.git\/?$/, '')
    .replace(/\/+$/, '');
}

/**
 * Why a Flux Kustomization's path is not this repository's checkout, or undefined when it is (or
 * cannot be told): its `sourceRef` is a GitRepository of the cluster's manifests with another URL or
 * another reference (branch, tag, commit) than the cluster's own GitRepository `flux-system`, the one
 * `flux bootstrap` syncs the cluster from. A folder of that path in this checkout is another
 * branch's or repository's content as far as Flux is concerned.
 * @param sources the cluster's GitRepositories by `<namespace>/<name>` (`collectFleet`)
 */
export function foreignSource(ref: FleetReference, sources: ReadonlyMap<string, GitSource> | undefined): string | undefined {
  const src = ref.sourceRef;
  if (!src || src.kind !== 'GitRepository' || !sources) return undefined;
  const self = sources.get('flux-system/flux-system');
  if (!self || (src.name === 'flux-system' && (src.namespace ?? 'flux-system') === 'flux-system')) return undefined;
  const other = sources.get(`${src.namespace ?? ''}/${src.name}`);
  if (!other) return undefined;
  const location = gitLocation(other.url) !== gitLocation(self.url);
  const reference = other.ref !== '' && self.ref !== '' && other.ref !== self.ref;
  if (!location && !reference) return undefined;
  return `its source GitRepository ${src.namespace ?? ''}/${src.name} is ${location ? 'another repository' : 'another reference'} (${other.url}${other.ref ? ` ${other.ref}` : ''}) than the cluster's own flux-system`;
}
