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
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { LoadedFile, Place } from '../load/types.js';

/** Types (as `LoadOptions.retainTypes` names them) whose bodies fleet references are read from. */
export const FLEET_TYPES: readonly string[] = ['kustomize.toolkit.fluxcd.io/Kustomization', 'argoproj.io/Application', 'core/ConfigMap', 'core/Secret'];

/** One Flux Kustomization or Argo CD Application path, as found in a cluster's manifests. */
export interface FleetReference {
  readonly tool: 'flux' | 'argocd';
  /** `Kustomization flux-system/apps`, `Application argocd/east-web`. */
  readonly label: string;
  /** The cluster whose manifests hold the object. */
  readonly holder: string;
  /** The path field (`spec.path`, `spec.source.path`, `spec.sources[i].path`). */
  readonly at: Place;
  /** The path as written (relative to the repository root); undefined for a chart from a Helm repository. */
  readonly path?: string;
  /** Argo CD `spec.source.chart`: a chart from a Helm repository (not in this repository, not rendered). */
  readonly chart?: string;
  /** Flux `spec.postBuild` (unvalidated). */
  readonly postBuild?: unknown;
  /** Flux `spec.kubeConfig` is set: the objects go to a remote cluster mclint cannot name. */
  readonly remoteCluster?: boolean;
  /** Argo CD `spec.destination`. */
  readonly destination?: { readonly name?: string; readonly server?: string };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** The in-cluster destination of Argo CD. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/**
 * Reads the fleet references and the small ConfigMaps/Secrets (for `substituteFrom`) of a loaded
 * file. Call before the model builder releases the bodies.
 * @param variables receives `Kind/name` → data of ConfigMaps and Secrets (`stringData`, and `data`
 *   base64-decoded for Secrets) whose values are all strings
 */
export function collectFleet(file: LoadedFile, holder: string, variables: Map<string, Record<string, string>>): FleetReference[] {
  const refs: FleetReference[] = [];
  for (const o of file.objects) {
    const body = o.body;
    if (!body || o.name === undefined) continue;
    const spec = isRecord(body.spec) ? body.spec : undefined;
    const place = (...path: (string | number)[]): Place => ({ file: o.file, doc: o.doc, path: [...o.base, ...path] });
    const label = `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
    if (o.group === 'kustomize.toolkit.fluxcd.io' && o.kind === 'Kustomization' && spec) {
      refs.push({ tool: 'flux', label, holder, at: place('spec', 'path'), path: str(spec.path) ?? './', postBuild: spec.postBuild, remoteCluster: spec.kubeConfig !== undefined });
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
        else if (isRecord(source) && str(source.chart) !== undefined) refs.push({ tool: 'argocd', label, holder, at: place(...at, 'chart'), chart: str(source.chart), destination });
      }
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
  return { dir: target.endsWith(sep) ? target.slice(0, -1) : target };
}

/**
 * The cluster an Argo CD destination names: `name` (`in-cluster` is the holder), or the holder for
 * the in-cluster server; another server URL is named after its host.
 */
export function argoDestinationCluster(ref: FleetReference): string {
  const { name, server } = ref.destination ?? {};
  if (name !== undefined) return name === 'in-cluster' ? ref.holder : name;
  if (server === undefined || server.replace(/\/+$/, '') === IN_CLUSTER_SERVER) return ref.holder;
  try {
    return new URL(server).hostname || ref.holder;
  } catch {
    return ref.holder;
  }
}
