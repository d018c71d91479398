/**
 * Discover stage: paths → ClusterSets → clusters → files (DESIGN.md §2).
 *
 * `mclint DIR`: the config file's `clusters` decide when present; else `DIR/clusters/*` are the
 * clusters; else DIR's own subdirectories; a DIR without subdirectories is one cluster.
 * `--cluster NAME=PATH` names clusters explicitly. Files are `*.yaml`, `*.yml`, `*.json`, found
 * recursively with globby; `.gitignore`d paths, `node_modules` and config `ignore` globs are skipped.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { globby, convertPathToPattern } from 'globby';
import { ancestorGitignores, gitignoreMatcher, type IgnoredFn } from './gitignore.js';
import { ConfigError, type ClusterConfig, type FileConfig } from '../config/index.js';
import type { Place } from '../load/types.js';

/** How a cluster got its name. */
export type NameOrigin = 'directory' | 'config' | 'flag';

export interface ClusterPlan {
  readonly name: string;
  readonly origin: NameOrigin;
  /** Where the name is written (config entry) or the directory that gives it. */
  readonly namePlace: Place;
  /** Absolute directory (or single file) holding the cluster's manifests; none for config-only clusters. */
  readonly root?: string;
  /** Absolute paths of the cluster's files, sorted. */
  readonly files: string[];
  readonly config?: ClusterConfig;
}

export interface ClusterSetPlan {
  readonly name: string;
  /** Where findings about the set as a whole are reported. */
  readonly anchor: Place;
  /** Sorted by name. */
  readonly clusters: ClusterPlan[];
}

export interface Discovery {
  readonly sets: ClusterSetPlan[];
  /** Manifest files directly in the root while its subdirectories are the clusters: not linted. */
  readonly outside: string[];
}

export interface DiscoverInput {
  /** Absolute directory being linted (the DIR argument, or the current directory). */
  readonly root: string;
  readonly config: FileConfig;
  /** `--cluster NAME=PATH` flags, paths absolute. */
  readonly explicit?: readonly { name: string; path: string }[];
}

const MANIFEST_GLOB = '**/*.{yaml,yml,json}';
const GITIGNORE_GLOB = '**/.gitignore';
const ALWAYS_IGNORED = ['**/node_modules/**'];
const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function kindOf(path: string): 'dir' | 'file' | undefined {
  try {
    const st = statSync(path);
    return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

/** Visible subdirectories other than `node_modules`, sorted (git-ignored ones are dropped later). */
function subdirectories(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
    .map((e) => e.name)
    .sort();
}

interface Candidate {
  name: string;
  origin: NameOrigin;
  namePlace: Place;
  root?: string;
  config?: ClusterConfig;
}

function candidates(input: DiscoverInput): Candidate[] {
  const { root, config, explicit } = input;
  const configFor = (name: string) => config.clusters?.find((c) => c.name === name);
  if (explicit && explicit.length > 0) {
    return explicit.map(({ name, path }) => {
      if (!kindOf(path)) throw new ConfigError(`--cluster ${name}=${path}: no such file or directory`);
      return { name, origin: 'flag', namePlace: { file: path, doc: -1, path: [] }, root: path, config: configFor(name) };
    });
  }
  if (config.clusters && config.clusters.length > 0) {
    const conventional = kindOf(join(root, 'clusters')) === 'dir' ? join(root, 'clusters') : root;
    return config.clusters.map((c) => {
      const namePlace: Place = { file: config.file!, doc: 0, path: ['clusters', c.index, 'name'] };
      if (c.path !== undefined) {
        if (!kindOf(c.path)) throw new ConfigError(`${config.file}: cluster "${c.name}": path ${c.path} does not exist`);
        return { name: c.name, origin: 'config', namePlace, root: c.path, config: c };
      }
      const guess = join(conventional, c.name);
      return { name: c.name, origin: 'config', namePlace, root: kindOf(guess) === 'dir' ? guess : undefined, config: c };
    });
  }
  const base = kindOf(join(root, 'clusters')) === 'dir' ? join(root, 'clusters') : root;
  const dirs = subdirectories(base);
  if (dirs.length === 0) {
    return [{ name: basename(root), origin: 'directory', namePlace: { file: root, doc: -1, path: [] }, root, config: configFor(basename(root)) }];
  }
  return dirs.map((d) => {
    const dir = join(base, d);
    return { name: d, origin: 'directory', namePlace: { file: dir, doc: -1, path: [] }, root: dir, config: configFor(d) };
  });
}

/**
 * Lists the manifest files of every candidate in one globby walk (which also finds the
 * `.gitignore` files), drops git-ignored files, and gives each file to its nearest cluster root.
 */
async function assignFiles(input: DiscoverInput, list: Candidate[]): Promise<{ files: Map<Candidate, string[]>; outside: string[]; ignored?: IgnoredFn }> {
  const cwd = input.config.file ? input.config.dir : input.root;
  const patterns: string[] = [];
  const roots: { candidate: Candidate; root: string }[] = [];
  for (const c of list) {
    if (!c.root) continue;
    const rel = relative(cwd, c.root);
    const single = kindOf(c.root) === 'file';
    const pattern = rel === '' ? '' : convertPathToPattern(rel.split(sep).join('/'));
    patterns.push(single ? pattern : pattern === '' ? MANIFEST_GLOB : `${pattern}/${MANIFEST_GLOB}`);
    roots.push({ candidate: c, root: c.root });
  }
  const splitByDirs = list.length > 0 && list.every((c) => c.origin === 'directory' && c.root !== input.root);
  if (splitByDirs) patterns.push('*.{yaml,yml,json}');
  // An explicit `.gitignore` segment matches even with `dot: false`, so one walk finds both.
  const walked = (
    patterns.length === 0
      ? []
      : await globby([...patterns, GITIGNORE_GLOB], {
          cwd,
          absolute: true,
          dot: false,
          ignore: [...ALWAYS_IGNORED, ...input.config.ignore],
          followSymbolicLinks: false,
        })
  ).map((p) => (sep === '/' ? p : p.split('/').join(sep)));
  const isGitignore = (p: string) => basename(p) === '.gitignore';
  const ignored = gitignoreMatcher([...ancestorGitignores(cwd), ...walked.filter(isGitignore)]);
  const found = walked.filter((p) => !isGitignore(p) && !(ignored && ignored(p)));
  // Each file belongs to the nearest enclosing cluster root (nested roots win over parents).
  const byRoot = new Map(roots.map((r) => [r.root, r.candidate]));
  const files = new Map<Candidate, string[]>(list.map((c) => [c, []]));
  const outside: string[] = [];
  for (const f of found) {
    let owner = byRoot.get(f);
    for (let d = dirname(f); !owner; d = dirname(d)) {
      owner = byRoot.get(d);
      if (dirname(d) === d) break;
    }
    if (owner) files.get(owner)!.push(f);
    else outside.push(f);
  }
  for (const arr of files.values()) arr.sort();
  return { files, outside: outside.sort(), ignored };
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
 * Finds the ClusterSets, clusters and files to lint.
 * @throws ConfigError when a configured or flagged path does not exist, or `clusterSets` names
 *   unknown clusters
 */
export async function discover(input: DiscoverInput): Promise<Discovery> {
  let list = candidates(input);
  const seen = new Set<string>();
  for (const c of list) {
    if (seen.has(c.name)) throw new ConfigError(`two clusters are named "${c.name}"; cluster names must be unique`);
    seen.add(c.name);
  }
  const { files, outside, ignored } = await assignFiles(input, list);
  // Directory clusters that git ignores (build output, vendored trees) are not clusters.
  if (ignored) list = list.filter((c) => c.origin !== 'directory' || !c.root || c.root === input.root || !ignored(c.root + sep));
  const clusters: ClusterPlan[] = list
    .map((c) => ({ name: c.name, origin: c.origin, namePlace: c.namePlace, root: c.root, config: c.config, files: files.get(c) ?? [] }))
    .sort(byName);
  return { sets: groupIntoSets(input, clusters), outside };
}
