/**
 * Discover stage: paths → ClusterSets → clusters → files (DESIGN.md §2).
 *
 * `mclint DIR`: the config file's `clusters` decide when present; else the subdirectories of every
 * `clusters/` (or `cluster/`) directory at the shallowest depth where one exists below DIR
 * (`clusters/<name>`, `k8s/clusters/<name>`, `deploy/clusters/<name>`; directories beside them such
 * as `docs/`, `base/`, `apps/` are not clusters, nor are `clusters/base` and `clusters/bases`,
 * kustomize's name for what overlays share); else DIR's own subdirectories; a DIR without
 * subdirectories is one cluster. `--cluster NAME=PATH` names clusters explicitly (a directory, a
 * file, or `-` for standard input). Files are `*.yaml`, `*.yml`, `*.json`, found recursively by the
 * walk of `walk.ts` (symbolic links followed only inside the repository and the paths named on the
 * command line, loops found by real path, only regular files taken, every file system error a listed
 * skip); `.gitignore`d paths, `node_modules` and config `ignore` globs are skipped (all but
 * `node_modules` can be turned off with `noIgnore`). A config `path` leading outside the repository
 * is a config error: the GitHub Action lints pull requests, and a pull request can change the config. Each cluster also lists its kustomization
 * directories (`kustomizations`), which the render stage renders in place of the files below them.
 *
 * Flux Kustomizations and Argo CD Applications that pull other folders into a cluster are read from
 * the manifests, so they are resolved after loading (`src/render/pulls.ts`), not here.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { GitignoreFinder, gitignoreMatcher, MAX_GITIGNORE_BYTES, type IgnoredFn } from './gitignore.js';
import { Containment, realOrSelf, Walk, workTreeRoot, type WalkSkip } from './walk.js';
import { readRegularFile } from '../base/regular-file.js';
import { compileGlobs, ConfigError, type ClusterConfig, type FileConfig } from '../config/index.js';
import type { Place } from '../base/types.js';
import { byName, sortStrings } from '../base/order.js';

/**
 * How a cluster got its name: a cluster directory, the config file, a `--cluster` flag, an Argo CD
 * Application's `spec.destination` or a helmfile release's `kubeContext` (a cluster no folder holds;
 * see `src/render/pulls.ts`).
 */
export type NameOrigin = 'directory' | 'config' | 'flag' | 'argocd' | 'helmfile';

/** The file names that make a directory a kustomization (kustomize's `konfig.RecognizedKustomizationFileNames`). */
export const KUSTOMIZATION_FILE_NAMES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Standard input as a `--cluster NAME=-` path, and as the file name findings in it carry. */
export const STDIN = '-';
export const STDIN_FILE = '<stdin>';

/** One cluster to lint: its name, where the name comes from, and its files. */
export interface ClusterPlan {
  readonly name: string;
  readonly origin: NameOrigin;
  /** Where the name is written (config entry) or the directory that gives it. */
  readonly namePlace: Place;
  /** Absolute directory (or single file) holding the cluster's manifests; none for config-only clusters. */
  readonly root?: string;
  /** Absolute paths of the cluster's files, sorted (`<stdin>` for `--cluster NAME=-`). */
  readonly files: string[];
  /**
   * Absolute directories holding a kustomization file among the cluster's files, outermost only
   * (a kustomization below another one is the outer one's business), sorted. The render stage
   * renders each in place of the files below it.
   */
  readonly kustomizations: string[];
  /**
   * Absolute Helm chart folders among the cluster's files (`Chart.yaml` beside `templates/`),
   * outermost only (subcharts are the chart's business), sorted. Rendered with `helm template` when
   * helm is installed.
   */
  readonly charts: string[];
  readonly config?: ClusterConfig;
}

/** A ClusterSet to lint: cross-cluster rules compare its clusters with each other only. */
export interface ClusterSetPlan {
  readonly name: string;
  /** Where findings about the set as a whole are reported. */
  readonly anchor: Place;
  /** Sorted by name. */
  readonly clusters: ClusterPlan[];
}

/** What discovery found: the sets, and the files it saw but gave to no cluster. */
export interface Discovery {
  readonly sets: ClusterSetPlan[];
  /** Manifest files directly in the root while its subdirectories are the clusters: not linted. */
  readonly outside: string[];
  /**
   * Files, directories and symbolic links the walk did not read, and why (links outside the
   * repository, loops, FIFOs and devices, unreadable directories, names not valid UTF-8), sorted;
   * absent: none.
   */
  readonly skipped?: readonly WalkSkip[];
  /**
   * Where the run may read through symbolic links (real paths): the repository root, DIR and paths
   * named on the command line. Later stages (renders, fleet pulls) keep to it too.
   */
  readonly trusted?: Containment;
}

/** What discovery starts from: the linted directory, its config, and any `--cluster` flags. */
export interface DiscoverInput {
  /** Absolute directory being linted (the DIR argument, or the current directory). */
  readonly root: string;
  readonly config: FileConfig;
  /** `--cluster NAME=PATH` flags, paths absolute. */
  readonly explicit?: readonly { name: string; path: string }[];
  /**
   * Called once the directory walk is done, with the number of files it found (before ignore
   * rules and cluster assignment, so at least as many as will be linted): the caller can start
   * work that depends on the repository's size while the files are assigned.
   */
  readonly onWalked?: (files: number) => void;
  /** `--no-ignore`: `.gitignore` files and config `ignore` globs are not applied (node_modules still is). */
  readonly noIgnore?: boolean;
  /** true: DIR was named by the user, so a DIR that yields no file is a usage error saying why. */
  readonly explicitRoot?: boolean;
}

function kindOf(path: string): 'dir' | 'file' | undefined {
  try {
    const st = statSync(path);
    return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the walk may read: `walk` records files and skips, `trusted` tells where symbolic links and
 * configured paths may lead, `repository` is the root named in messages.
 */
interface Scope {
  readonly walk: Walk;
  readonly trusted: Containment;
  readonly repository: string;
}

/**
 * The trusted roots of a run: the repository root (the git work tree holding DIR, else DIR), DIR, the
 * `--cluster` paths, and the config file's directory when it lies outside the repository (given with
 * `--config`, or found above DIR outside any work tree: placed by the user, not by the repository).
 */
function scopeOf(input: DiscoverInput): Scope {
  const repository = workTreeRoot(input.root, existsSync) ?? input.root;
  const roots = [repository, input.root];
  for (const c of input.explicit ?? []) if (c.path !== STDIN) roots.push(c.path);
  const configDir = input.config.file !== undefined ? input.config.dir : undefined;
  if (configDir !== undefined && !new Containment([repository]).contains(realOrSelf(configDir))) roots.push(configDir);
  const trusted = new Containment(roots);
  return { walk: new Walk(trusted), trusted, repository };
}

/**
 * Visible subdirectories (symlinks to directories inside the repository included) other than
 * `node_modules`, sorted; git-ignored ones are dropped later.
 */
function subdirectories(scope: Scope, dir: string): string[] {
  return scope.walk.subdirectories(dir).map((d) => d.name);
}

interface Candidate {
  name: string;
  origin: NameOrigin;
  namePlace: Place;
  root?: string;
  config?: ClusterConfig;
}

/** Directory names that hold one subdirectory per cluster. */
const CLUSTER_CONTAINERS = new Set(['clusters', 'cluster']);
/**
 * Subdirectories of a cluster container that are what the clusters share, not clusters: kustomize's
 * `base`, and the `common`/`shared` folders GitOps layouts keep beside the cluster folders
 * (`clusters/common/pki`, `clusters/shared/…`), which the clusters pull or render in.
 */
const SHARED_BASES = new Set(['base', 'bases', 'common', '_common', 'shared', '_shared']);
/** Directories never searched for cluster containers. */
const isSkippedDir = (name: string) => name.startsWith('.') || name === 'node_modules';

/**
 * The `clusters/` (or `cluster/`) directories below `root` (itself included) at the shallowest
 * depth where any exists, sorted, skipping hidden directories, `node_modules` and git-ignored
 * directories (`ignoredDir`, given a path with a trailing separator). Breadth first, so a repository
 * with `DIR/clusters` reads one directory; a found container is not searched further.
 */
function clusterContainers(scope: Scope, root: string, ignoredDir: (dir: string) => boolean): string[] {
  let found: string[] = [];
  searchLevels(scope, root, ignoredDir, 12, (level, depth) => {
    found = level.filter((d) => depth > 0 && CLUSTER_CONTAINERS.has(basename(d)));
    return found.length > 0;
  });
  return found.sort();
}

/**
 * Searches the directories below `root` level by level (breadth first), skipping hidden,
 * `node_modules` and git-ignored directories (`ignoredDir`, given a path with a trailing
 * separator); each real directory once, so symbolic links cannot make the levels grow without end.
 * @param atLevel called with each level (`root` alone at depth 0); returning true ends the search
 * @param descend whether to search below a directory (default: always)
 */
function searchLevels(
  scope: Scope,
  root: string,
  ignoredDir: (dir: string) => boolean,
  maxDepth: number,
  atLevel: (level: readonly string[], depth: number) => boolean,
  descend: (dir: string, parent: string) => boolean = () => true,
): void {
  let level = [root];
  const visited = new Set([realOrSelf(root)]);
  for (let depth = 0; level.length > 0 && depth < maxDepth; depth++) {
    if (atLevel(level, depth)) return;
    const next: string[] = [];
    for (const dir of level) {
      for (const { name, real } of scope.walk.subdirectories(dir, false)) {
        const sub = join(dir, name);
        if (isSkippedDir(name) || visited.has(real) || ignoredDir(sub + sep)) continue;
        visited.add(real);
        if (descend(sub, dir)) next.push(sub);
      }
    }
    level = next;
  }
}

/**
 * The cluster candidates and the directories their layout hangs off (`bases`: DIR, or the
 * `clusters/` directories): files directly in them belong to no cluster.
 */
function candidates(input: DiscoverInput, scope: Scope, ignoredDir: (dir: string) => boolean): { bases: string[]; list: Candidate[] } {
  const { root, config, explicit } = input;
  const configFor = (name: string) => config.clusters?.find((c) => c.name === name);
  if (explicit && explicit.length > 0) {
    const paths = new Map<string, string>();
    const list = explicit.map(({ name, path }): Candidate => {
      if (path !== STDIN && !kindOf(path)) throw new ConfigError(`--cluster ${name}=${path}: no such file or directory`);
      const other = paths.get(path);
      if (other !== undefined) {
        throw new ConfigError(
          path === STDIN
            ? `--cluster ${other}=- and --cluster ${name}=- both read standard input; one cluster can read it`
            : `--cluster ${other}=… and --cluster ${name}=… name the same path ${path}; a directory is one cluster`,
        );
      }
      paths.set(path, name);
      const file = path === STDIN ? STDIN_FILE : path;
      return { name, origin: 'flag', namePlace: { file, doc: -1, path: [] }, root: path === STDIN ? undefined : path, config: configFor(name) };
    });
    return { bases: [root], list };
  }
  if (config.clusters && config.clusters.length > 0) {
    const conventional = kindOf(join(root, 'clusters')) === 'dir' ? join(root, 'clusters') : root;
    const list = config.clusters.map((c): Candidate => {
      const namePlace: Place = { file: config.file!, doc: 0, path: ['clusters', c.index, 'name'] };
      if (c.path !== undefined) {
        // A pull request can change the config the Action runs with: a path never leads outside.
        if (!scope.trusted.contains(realOrSelf(c.path))) {
          throw new ConfigError(
            `${config.file}: cluster "${c.name}": path ${c.path} is outside the repository (${scope.repository}); ` +
              `mclint reads only files inside the repository it lints (lint that directory with --cluster ${c.name}=PATH)`,
          );
        }
        if (!kindOf(c.path)) throw new ConfigError(`${config.file}: cluster "${c.name}": path ${c.path} does not exist`);
        return { name: c.name, origin: 'config', namePlace, root: c.path, config: c };
      }
      const dir = [join(conventional, c.name), join(root, c.name)].find((d) => kindOf(d) === 'dir' && scope.trusted.contains(realOrSelf(d)));
      const facts = c.podCIDRs.length + c.serviceCIDRs.length + c.zones.length > 0 || c.region !== undefined || c.network !== undefined;
      if (!dir && !facts) {
        throw new ConfigError(
          `${config.file}: cluster "${c.name}" has no directory (looked for ${relative(root, join(conventional, c.name)) || '.'}` +
            `${conventional === root ? '' : ` and ${c.name}`}) and declares no facts: is the name misspelt? Give it a path, or facts such as podCIDRs.`,
        );
      }
      return { name: c.name, origin: 'config', namePlace, root: dir, config: c };
    });
    return { bases: [root], list };
  }
  const containers = clusterContainers(scope, root, ignoredDir);
  const list: Candidate[] = [];
  const seen = new Map<string, string>();
  for (const container of containers) {
    for (const d of subdirectories(scope, container)) {
      if (isSkippedDir(d) || SHARED_BASES.has(d)) continue;
      const dir = join(container, d);
      const other = seen.get(d);
      if (other !== undefined) {
        throw new ConfigError(
          `two cluster directories are named "${d}" (${relative(root, other) || '.'} and ${relative(root, dir)}); ` +
            `name the clusters in ${CONFIG_NAME_HINT} (clusters: [{name, path}]) or lint one directory at a time`,
        );
      }
      seen.set(d, dir);
      list.push({ name: d, origin: 'directory', namePlace: { file: dir, doc: -1, path: [] }, root: dir, config: configFor(d) });
    }
  }
  if (list.length > 0) return { bases: containers, list };
  const flux = fluxBootstrapClusters(scope, root, ignoredDir);
  if (flux.length >= 2) {
    for (const { name, dir } of flux) list.push({ name, origin: 'directory', namePlace: { file: dir, doc: -1, path: [] }, root: dir, config: configFor(name) });
    return { bases: [root], list };
  }
  // kustomize's shared base beside the overlays is not a cluster either (when there are others).
  let dirs = subdirectories(scope, root).filter((d) => !isSkippedDir(d));
  if (dirs.some((d) => !SHARED_BASES.has(d))) dirs = dirs.filter((d) => !SHARED_BASES.has(d));
  if (dirs.length === 0) {
    const name = basename(root);
    return { bases: [root], list: [{ name, origin: 'directory', namePlace: { file: root, doc: -1, path: [] }, root, config: configFor(name) }] };
  }
  // One folder of cluster folders that each hold their own Flux configuration (`kubernetes/main/flux`,
  // `kubernetes/utility/flux`): those are the clusters, not the folder.
  const fleets = dirs.map((d) => ({ d, clusters: fluxConfiguredFolders(scope, join(root, d)) })).filter((f) => f.clusters.length >= 2);
  if (fleets.length === 1) {
    const base = join(root, fleets[0].d);
    for (const name of fleets[0].clusters) {
      const dir = join(base, name);
      list.push({ name, origin: 'directory', namePlace: { file: dir, doc: -1, path: [] }, root: dir, config: configFor(name) });
    }
    return { bases: [root, base], list };
  }
  for (const d of dirs) {
    const dir = join(root, d);
    list.push({ name: d, origin: 'directory', namePlace: { file: dir, doc: -1, path: [] }, root: dir, config: configFor(d) });
  }
  return { bases: [root], list };
}

const CONFIG_NAME_HINT = 'mclint.config.yaml';

/** The folders Flux configuration of one cluster sits in (`flux bootstrap`'s `flux-system`, home-ops' `flux`). */
const FLUX_FOLDERS = new Set(['flux', 'flux-system']);

/**
 * The subdirectories of `dir` that hold a Flux configuration folder of their own (`flux/` or
 * `flux-system/`), sorted: in a home-ops style repository (`kubernetes/main/{flux,apps}`,
 * `kubernetes/utility/{flux,apps}`) each is one cluster, while a single cluster's folder
 * (`kubernetes/{flux,apps,bootstrap}`) has none such. Shared bases and hidden folders never count.
 */
function fluxConfiguredFolders(scope: Scope, dir: string): string[] {
  // Listed without recording skips: the walk proper records them once, where it reads.
  const names = (d: string) => scope.walk.subdirectories(d, false).map((e) => e.name);
  return names(dir).filter((d) => !isSkippedDir(d) && !SHARED_BASES.has(d) && !FLUX_FOLDERS.has(d) && names(join(dir, d)).some((s) => FLUX_FOLDERS.has(s)));
}

/** The file `flux bootstrap` writes into `<path>/flux-system/`: its GitRepository and the `flux-system` Kustomization of `<path>`. */
const FLUX_SYNC_FILE = 'gotk-sync.yaml';
/** How deep below `DIR` Flux bootstrap folders are looked for. */
const MAX_FLUX_DEPTH = 8;

/**
 * The clusters of a repository laid out by `flux bootstrap --path=<path>` outside a `clusters/`
 * folder (`gitops/<cluster>/flux-resources`, `fleet/<env>/<cluster>`): each `<path>/flux-system/gotk-sync.yaml`
 * below `root` marks one cluster (fluxcd/flux2 `pkg/manifestgen/sync`: bootstrap writes the sync
 * manifests to `<path>/flux-system`). The clusters are named by the segments in which their paths
 * differ (common leading and trailing segments dropped, the rest joined with `-`), and each
 * cluster's folder is its path up to its last differing segment, so `gitops/istio/flux-resources`
 * and `gitops/apps/flux-resources` are the clusters `istio` and `apps` in `gitops/istio` and
 * `gitops/apps`. Breadth first, skipping hidden, `node_modules` and git-ignored directories;
 * a bootstrap folder inside another cluster's is not another cluster. Empty below two bootstraps.
 */
function fluxBootstrapClusters(scope: Scope, root: string, ignoredDir: (dir: string) => boolean): { name: string; dir: string }[] {
  const paths: string[][] = [];
  const bootstrap = (sub: string, parent: string) => {
    if (basename(sub) !== 'flux-system' || !existsSync(join(sub, FLUX_SYNC_FILE))) return true;
    if (parent !== root) paths.push(relative(root, parent).split(sep));
    return false;
  };
  searchLevels(scope, root, ignoredDir, MAX_FLUX_DEPTH, () => false, bootstrap);
  const outer = paths.filter((p) => !paths.some((o) => o !== p && o.length < p.length && o.every((seg, i) => seg === p[i])));
  if (outer.length < 2) return [];
  let lead = 0;
  while (outer.every((p) => p.length > lead + 1 && p[lead] === outer[0][lead])) lead++;
  let trail = 0;
  while (outer.every((p) => p.length > lead + trail + 1 && p[p.length - 1 - trail] === outer[0][outer[0].length - 1 - trail])) trail++;
  const clusters = outer.map((p) => ({ name: p.slice(lead, p.length - trail).join('-'), dir: join(root, ...p.slice(0, p.length - trail)) }));
  return new Set(clusters.map((c) => c.name)).size === clusters.length ? clusters.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) : [];
}

// Config `ignore` globs, relative to the config file. A pattern that starts with `**/` also
// matches inside clusters that live outside the config file's directory (`../gitops/east/…`),
// where `**` cannot reach through `..`.
function configIgnoreMatcher(config: FileConfig): ((file: string, clusterRoot: string) => boolean) | undefined {
  if (config.ignore.length === 0) return undefined;
  const configName = config.file ?? 'mclint.config.yaml';
  const place = config.file !== undefined ? { file: config.file, path: ['ignore'] } : undefined;
  const all = compileGlobs(config.ignore, 'ignore', configName, place);
  const anywhere = config.ignore.filter((p) => p.startsWith('**/'));
  const inCluster = anywhere.length > 0 ? compileGlobs(anywhere, 'ignore', configName, place) : undefined;
  const posix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));
  return (file, clusterRoot) => all(posix(relative(config.dir, file))) || (inCluster?.(posix(relative(clusterRoot, file))) ?? false);
}

/**
 * Walks what the candidates need: when subdirectories are the clusters (`looseDirs` given), the
 * manifest files directly in DIR and the bases, and each visible subdirectory of each base as a tree
 * of its own; else each candidate's root (a tree, or a single file). Each tree detects symbolic-link
 * loops on its own, so a directory two clusters link to is read for both.
 */
function walkCandidates(input: DiscoverInput, scope: Scope, bases: readonly string[], list: readonly Candidate[], looseDirs: readonly string[]): void {
  const { walk } = scope;
  const walked: string[] = [];
  const tree = (dir: string) => {
    walk.tree(dir);
    walked.push(realOrSelf(dir));
  };
  if (looseDirs.length > 0) {
    for (const dir of looseDirs) walk.shallow(dir);
    for (const base of bases) for (const name of subdirectories(scope, base)) tree(join(base, name));
  } else {
    for (const c of list) {
      if (!c.root) continue;
      if (kindOf(c.root) === 'file') walk.file(c.root);
      else tree(c.root);
    }
  }
  // The rest of DIR (siblings of a clusters/ folder, folders beside the configured paths): their
  // files are no cluster's, so they come back as outside (unless a render or a pull reads them),
  // never skipped silently. Not with --cluster paths: then the user named what to read.
  if ((input.explicit ?? []).length === 0) walk.tree(input.root, walked);
}

/**
 * Reads `.gitignore` files for the matchers: each file once, only inside the trusted roots (a link
 * elsewhere is a `symlink-outside` skip) and only when it is a regular file (a FIFO or a link to
 * `/dev/zero` is a `not-regular` skip, never a blocking or endless read).
 */
function gitignoreReader(scope: Scope): (file: string) => string | undefined {
  const texts = new Map<string, string | undefined>();
  return (file) => {
    if (texts.has(file)) return texts.get(file);
    let text: string | undefined;
    if (!scope.trusted.contains(realOrSelf(file))) scope.walk.skip(file, 'symlink-outside');
    else {
      const read = readRegularFile(file, MAX_GITIGNORE_BYTES);
      // One that vanished since it was seen has nothing to say.
      if (read.reason !== undefined && read.code !== 'ENOENT') scope.walk.skip(file, read.reason);
      text = read.text;
    }
    texts.set(file, text);
    return text;
  };
}

/**
 * Lists the manifest files of every candidate, drops git-ignored files, config `ignore` matches
 * and the config file itself, and gives each file to its nearest cluster root. When
 * subdirectories are the clusters, files directly in DIR (or DIR/clusters) belong to none: they
 * come back as `outside`, so nothing is skipped silently.
 */
function assignFiles(
  input: DiscoverInput,
  scope: Scope,
  read: (file: string) => string | undefined,
  bases: readonly string[],
  list: Candidate[],
): { files: Map<Candidate, string[]>; outside: string[]; ignored?: IgnoredFn; ignoredFiles: Map<Candidate | undefined, number> } {
  const { root, config } = input;
  const splitIntoDirs = list.length > 0 && list.every((c) => c.origin === 'directory' && c.root !== root);
  const looseDirs = splitIntoDirs ? [...new Set([root, ...bases])] : [];
  walkCandidates(input, scope, bases, list, looseDirs);
  const walked = scope.walk.result();
  input.onWalked?.(walked.files.length);
  // .gitignore files inside the cluster trees come from the walk; those at and above each
  // cluster root (up to the work tree root, or up to DIR outside a work tree) are looked up.
  const gitignores = new Set(walked.gitignores);
  const finder = new GitignoreFinder();
  const dirs = [...looseDirs, ...list.flatMap((c) => (c.root ? [kindOf(c.root) === 'file' ? dirname(c.root) : c.root] : []))];
  for (const dir of dirs) for (const g of finder.find(dir, root)) gitignores.add(g);
  const ignored = input.noIgnore ? undefined : gitignoreMatcher([...gitignores], read);
  const configIgnored = input.noIgnore ? undefined : configIgnoreMatcher(config);
  // Files each cluster lost to .gitignore or config `ignore`: said when a named path yields none.
  const ignoredFiles = new Map<Candidate | undefined, number>();

  // Each file belongs to the nearest enclosing cluster root (nested roots win over parents).
  const byRoot = new Map(list.filter((c) => c.root).map((c) => [c.root!, c]));
  const files = new Map<Candidate, string[]>(list.map((c) => [c, []]));
  const outside: string[] = [];
  // Files of one directory share their owner: looked up once per directory.
  const ownerOfDir = new Map<string, Candidate | undefined>();
  for (const f of walked.files) {
    if (f === config.file) continue;
    let owner = byRoot.get(f);
    if (!owner) {
      const dir = dirname(f);
      if (ownerOfDir.has(dir)) owner = ownerOfDir.get(dir);
      else {
        for (let d = dir; !owner; d = dirname(d)) {
          owner = byRoot.get(d);
          if (dirname(d) === d) break;
        }
        ownerOfDir.set(dir, owner);
      }
    }
    if ((ignored && ignored(f)) || configIgnored?.(f, owner?.root ?? root)) {
      ignoredFiles.set(owner, (ignoredFiles.get(owner) ?? 0) + 1);
      continue;
    }
    if (owner) files.get(owner)!.push(f);
    else outside.push(f);
  }
  for (const arr of files.values()) sortStrings(arr);
  return { files, outside: sortStrings(outside), ignored, ignoredFiles };
}

function groupIntoSets(input: DiscoverInput, clusters: ClusterPlan[]): ClusterSetPlan[] {
  const { config, root } = input;
  const rootAnchor: Place = config.file ? { file: config.file, doc: 0, path: [] } : { file: root, doc: -1, path: [] };
  if (!config.clusterSets || config.clusterSets.length === 0) {
    return [{ name: 'default', anchor: rootAnchor, clusters }];
  }
  const byClusterName = new Map(clusters.map((c) => [c.name, c]));
  const placed = new Map<string, string>();
  const sets: ClusterSetPlan[] = config.clusterSets.map((s) => {
    const members = s.clusters.map((name) => {
      const c = byClusterName.get(name);
      if (!c) throw new ConfigError(`${config.file}: ClusterSet "${s.name}" lists unknown cluster "${name}" (clusters: ${[...byClusterName.keys()].join(', ')})`);
      const other = placed.get(name);
      if (other !== undefined) throw new ConfigError(`${config.file}: cluster "${name}" is in ClusterSets "${other}" and "${s.name}"; a cluster belongs to one ClusterSet`);
      placed.set(name, s.name);
      return c;
    });
    return { name: s.name, anchor: { file: config.file!, doc: 0, path: ['clusterSets', s.index] }, clusters: members.sort(byName) };
  });
  // Clusters in no declared set are still linted, each in a set of its own.
  for (const c of clusters) {
    if (!placed.has(c.name)) sets.push({ name: c.name, anchor: rootAnchor, clusters: [c] });
  }
  return sets;
}

/**
 * A predicate telling whether a directory (absolute, trailing separator) below `root` is
 * git-ignored, reading the `.gitignore` files above `root` and, lazily, those of the directories a
 * top-down search passes through (parents are always asked about before their children).
 */
function ignoredDirectories(root: string, noIgnore: boolean | undefined, read: (file: string) => string | undefined): (dir: string) => boolean {
  if (noIgnore) return () => false;
  const files = new Set(new GitignoreFinder().find(root, root));
  let matcher = gitignoreMatcher([...files], read);
  return (dir) => {
    const g = join(dirname(dir.slice(0, -1)), '.gitignore');
    if (!files.has(g) && existsSync(g)) {
      files.add(g);
      matcher = gitignoreMatcher([...files], read);
    }
    return matcher?.(dir) ?? false;
  };
}

/** The outermost of `dirs` (sorted): those below another one are left out. */
export function outermost(dirs: readonly string[]): string[] {
  const sorted = [...new Set(dirs)].sort();
  // Sorted, a directory comes before everything below it.
  return sorted.filter((d, i) => !sorted.slice(0, i).some((o) => d.startsWith(o.endsWith(sep) ? o : o + sep)));
}

/** The outermost directories holding a kustomization file among `files` (sorted). */
export function outermostKustomizations(files: readonly string[]): string[] {
  return outermost(files.filter((f) => KUSTOMIZATION_FILE_NAMES.includes(basename(f))).map((f) => dirname(f)));
}

/** The outermost Helm chart folders among `files`: `Chart.yaml` beside a `templates/` folder (sorted). */
export function outermostCharts(files: readonly string[]): string[] {
  const withTemplates = new Set(files.filter((f) => basename(dirname(f)) === 'templates').map((f) => dirname(dirname(f))));
  return outermost(files.filter((f) => basename(f) === 'Chart.yaml' && withTemplates.has(dirname(f))).map((f) => dirname(f)));
}

/**
 * Why a path the user named yields no file, for the usage error (ESLint: "All files matched by …
 * are ignored").
 */
function emptyReason(absolute: string, ignoredCount: number, ignoredDir: boolean): string {
  // As the user typed it, near enough: relative to the working directory when below it.
  const rel = relative(process.cwd(), absolute);
  const path = rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? absolute : rel;
  if (ignoredDir) return `${path}: the directory is ignored by .gitignore, so mclint reads nothing in it (lint it with --no-ignore)`;
  if (ignoredCount > 0) {
    return `${path}: all ${ignoredCount} YAML/JSON file${ignoredCount === 1 ? ' is' : 's are'} ignored (.gitignore or the config's ignore globs); lint them with --no-ignore`;
  }
  return `${path}: no YAML or JSON files (*.yaml, *.yml, *.json) found`;
}

/**
 * Finds the ClusterSets, clusters and files to lint.
 * @throws ConfigError when a configured or flagged path does not exist, a configured path leads
 *   outside the repository (its real path, so also through a symbolic link), `clusterSets` names
 *   unknown clusters, two cluster directories share a name, or a path the user named (`--cluster`,
 *   an explicit DIR) yields no file — with the reason (empty, ignored, no YAML)
 */
// eslint-disable-next-line @typescript-eslint/require-await -- a promise by contract: lint() awaits it, and its ConfigErrors reach callers as rejections
export async function discover(input: DiscoverInput): Promise<Discovery> {
  const scope = scopeOf(input);
  const read = gitignoreReader(scope);
  const ignoredDir = ignoredDirectories(input.root, input.noIgnore, read);
  const planned = candidates(input, scope, ignoredDir);
  let list = planned.list;
  const seen = new Set<string>();
  for (const c of list) {
    if (seen.has(c.name)) throw new ConfigError(`two clusters are named "${c.name}"; cluster names must be unique`);
    seen.add(c.name);
  }
  const { files, outside, ignored, ignoredFiles } = assignFiles(input, scope, read, planned.bases, list);
  // Directory clusters that git ignores (build output, vendored trees) are not clusters.
  if (ignored) list = list.filter((c) => c.origin !== 'directory' || !c.root || planned.bases.includes(c.root) || !ignored(c.root + sep));
  for (const c of list) {
    if (c.origin !== 'flag' || c.root === undefined || (files.get(c)?.length ?? 0) > 0) continue;
    const dirIgnored = ignored !== undefined && ignored(kindOf(c.root) === 'dir' ? c.root + sep : c.root);
    throw new ConfigError(`--cluster ${c.name}=${emptyReason(c.root, ignoredFiles.get(c) ?? 0, dirIgnored)}`);
  }
  const clusters: ClusterPlan[] = list
    .map((c): ClusterPlan => {
      const own = c.root === undefined && c.origin === 'flag' ? [STDIN_FILE] : (files.get(c) ?? []);
      return {
        name: c.name,
        origin: c.origin,
        namePlace: c.namePlace,
        root: c.root,
        config: c.config,
        files: own,
        kustomizations: outermostKustomizations(own),
        charts: outermostCharts(own),
      };
    })
    .sort(byName);
  if (input.explicitRoot && clusters.every((c) => c.files.length === 0) && !clusters.some((c) => c.config)) {
    const lost = [...ignoredFiles.values()].reduce((a, b) => a + b, 0);
    throw new ConfigError(emptyReason(input.root, lost, ignored !== undefined && ignored(input.root + sep)));
  }
  return { sets: groupIntoSets(input, clusters), outside, skipped: scope.walk.result().skipped, trusted: scope.trusted };
}
