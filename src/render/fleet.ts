/**
 * A cluster's inputs beyond its plain files: the kustomizations in its folder, rendered, and the
 * folders its Flux Kustomizations and Argo CD Applications pull in (`pulls.ts`), loaded for the
 * cluster that receives them — with Flux's post-build substitution — and followed transitively
 * (a pulled folder may hold more Kustomizations). Each folder is read once per receiving cluster;
 * a reference cycle ends there.
 *
 * Where a pulled folder has no kustomization file, Flux generates one from every manifest below it,
 * taking a subdirectory that holds a kustomization file as one resource (fluxcd/pkg `kustomize`
 * generator); mclint reads the folder the same way: plain files, and the outermost kustomizations
 * rendered.
 */
import { statSync } from 'node:fs';
import { relative, sep } from 'node:path';
import type { ClusterPlan, Discovery, NameOrigin } from '../discover/index.js';
import { Containment, Walk } from '../discover/walk.js';
import { loadFile } from '../load/index.js';
import type { LoadedFile, LoadOptions } from '../load/types.js';
import type { Place } from '../base/types.js';
import { postBuildVariables, substituteDocument } from './flux.js';
import { Renderer, type InputPlan } from './index.js';
import { argoDestinationCluster, collectFleet, foreignSource, isWithin, resolveReference, type FleetReference, type FleetTool, type GitSource } from './pulls.js';

/** What the fleet inputs hand their loaded inputs to (the model builder). */
export interface InputSink {
  addTo(clusters: readonly string[], file: LoadedFile): void;
  hasCluster(name: string): boolean;
  addCluster(plan: ClusterPlan, beside: string): void;
}

/** One folder a Flux Kustomization or Argo CD Application pulled (or did not pull) into a cluster. */
export interface Pull {
  /** The receiving cluster. */
  readonly cluster: string;
  readonly tool: FleetTool;
  /** `Kustomization flux-system/apps`, `Application argocd/web`. */
  readonly via: string;
  /** The path field of the reference. */
  readonly at: Place;
  /** The path as written. */
  readonly path: string;
  /** The folder read (absolute), when followed. */
  readonly dir?: string;
  /** Inputs loaded from it (files and rendered kustomizations). */
  readonly inputs: number;
  /** Why it was not followed. */
  readonly skipped?: string;
}

/** One input of a pulled folder: a file read as it is, or a kustomization or Helm chart folder to render. */
interface FolderInput {
  readonly path: string;
  readonly render?: 'kustomize' | 'helm';
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Reads kustomizations and pulled folders for the clusters of one discovery (see the file comment). */
export class FleetInputs {
  /** Every pull, in the order followed. */
  readonly pulls: Pull[] = [];
  /** Every input loaded here (rendered kustomizations and pulled files), for the run's statistics. */
  readonly loaded: LoadedFile[] = [];
  private readonly pending: FleetReference[] = [];
  private readonly variables = new Map<string, Map<string, Record<string, string>>>();
  /** Each cluster's Flux GitRepositories, by `<namespace>/<name>` (`collectFleet`). */
  private readonly gitSources = new Map<string, Map<string, GitSource>>();
  private readonly seen = new Set<string>();
  private readonly vias = new Map<string, string>();
  private readonly roots = new Map<string, string | undefined>();
  /** References whose renders were started ahead (`prefetch`). */
  private readonly prefetched = new Set<FleetReference>();
  /** The inputs of each pulled folder, read once per run (`inputsOf`). */
  private readonly folders = new Map<string, FolderInput[]>();
  /** Clusters this stage added (destinations no folder holds), with how they were named. */
  readonly created = new Map<string, NameOrigin>();
  private readonly trusted: Containment | undefined;

  /**
   * @param repoRoot the repository root fleet paths are relative to
   * @param options load options for every input (retained types)
   */
  /**
   * Folders inside a cluster's own folder that a Flux Kustomization of that cluster reads with
   * post-build substitution, by cluster, found while following (see `carved`): the run loads again
   * with them carved out of the clusters' own files.
   */
  readonly carving = new Map<string, string[]>();

  /**
   * @param carved folders inside a cluster's own folder whose files were left out of its own, by
   *   cluster: a Flux Kustomization naming one is followed (and its substitution applied), not
   *   skipped as already read
   */
  constructor(
    private readonly repoRoot: string,
    discovery: Discovery,
    private readonly renderer: Renderer,
    private readonly sink: InputSink,
    private readonly options: LoadOptions,
    private readonly carved: ReadonlyMap<string, readonly string[]> = new Map(),
  ) {
    for (const set of discovery.sets) for (const c of set.clusters) this.roots.set(c.name, c.root);
    this.trusted = discovery.trusted;
  }

  /** Reads the fleet references and substitution sources of an input of `cluster` (before its bodies are released). */
  collect(file: LoadedFile, cluster: string): void {
    let vars = this.variables.get(cluster);
    if (!vars) this.variables.set(cluster, (vars = new Map<string, Record<string, string>>()));
    let sources = this.gitSources.get(cluster);
    if (!sources) this.gitSources.set(cluster, (sources = new Map<string, GitSource>()));
    for (const ref of collectFleet(file, cluster, vars, sources)) this.pending.push(ref);
  }

  /** The Kustomization or Application through which `file` reached `cluster`, if it was pulled. */
  via(cluster: string, file: string): string | undefined {
    return this.vias.get(`${cluster}\0${file}`);
  }

  /**
   * Starts rendering the clusters' own kustomizations (`Renderer.prefetch`), so that kustomize runs
   * while the plain files are loaded; `renderOwn` then collects them.
   */
  prefetchOwn(plans: ReadonlyMap<string, InputPlan>): void {
    for (const plan of plans.values()) for (const dir of plan.kustomizations) this.renderer.prefetch(dir);
  }

  /**
   * Renders the kustomizations and Helm charts of the clusters' own folders that `plan` chose to
   * render (the rest of their files were read as they are): every render starts at once (the
   * renderer runs one per CPU), and the results join their clusters in plan order.
   */
  async renderOwn(plans: ReadonlyMap<string, InputPlan>): Promise<void> {
    const started = [...plans].map(([cluster, plan]) => ({
      cluster,
      files: [...plan.kustomizations.map((d) => this.renderer.load(d, this.options)), ...plan.charts.map((d) => this.renderer.loadChart(d, this.options))],
    }));
    for (const { cluster, files } of started) for (const file of files) this.add(cluster, await file);
  }

  /**
   * Follows every pending reference, and those the pulled inputs add, until none is left, in
   * order. The kustomizations of every pending reference's folder start rendering first
   * (`Renderer.prefetch`), so their renders run side by side while the references are followed
   * one by one.
   */
  async follow(): Promise<void> {
    for (let ref = this.pending.shift(); ref; ref = this.pending.shift()) {
      this.prefetch([ref, ...this.pending]);
      await this.followOne(ref);
    }
  }

  /** Starts the renders the folders of `refs` will need (each reference once). */
  private prefetch(refs: readonly FleetReference[]): void {
    for (const ref of refs) {
      if (this.prefetched.has(ref)) continue;
      this.prefetched.add(ref);
      if (ref.remoteCluster || ref.notFollowed !== undefined || (ref.tool === 'flux' && foreignSource(ref, this.gitSources.get(ref.holder)) !== undefined)) continue;
      const resolved = resolveReference(ref, this.repoRoot);
      if ('unresolved' in resolved) continue;
      for (const input of this.inputsOf(resolved.dir)) if (input.render === 'kustomize') this.renderer.prefetch(input.path);
    }
  }

  private add(cluster: string, file: LoadedFile, via?: string): void {
    this.collect(file, cluster);
    if (via !== undefined) {
      this.vias.set(`${cluster}\0${file.path}`, via);
      for (const o of file.objects) this.vias.set(`${cluster}\0${o.file}`, via);
      for (const source of file.sources ?? []) this.vias.set(`${cluster}\0${source}`, via);
    }
    this.sink.addTo([cluster], file);
    this.loaded.push(file);
  }

  private async followOne(ref: FleetReference): Promise<void> {
    const base = { tool: ref.tool, via: ref.label, at: ref.at, path: ref.path ?? `chart ${ref.chart ?? '?'}`, inputs: 0 };
    if (ref.notFollowed !== undefined) {
      this.pulls.push({ ...base, cluster: ref.holder, skipped: ref.notFollowed });
      return;
    }
    const cluster = argoDestinationCluster(ref);
    if (ref.remoteCluster) {
      this.pulls.push({ ...base, cluster, skipped: 'spec.kubeConfig applies it to a remote cluster mclint cannot name' });
      return;
    }
    // An Argo CD or helmfile destination no folder holds is a cluster of its own, whatever its source.
    if (!this.sink.hasCluster(cluster)) {
      const origin = ref.tool === 'helmfile' ? 'helmfile' : 'argocd';
      this.sink.addCluster({ name: cluster, origin, namePlace: ref.at, files: [], kustomizations: [], charts: [] }, ref.holder);
      this.created.set(cluster, origin);
      this.roots.set(cluster, undefined);
    }
    const resolved = resolveReference(ref, this.repoRoot);
    if ('unresolved' in resolved) {
      this.pulls.push({ ...base, cluster, skipped: resolved.unresolved });
      return;
    }
    const foreign = ref.tool === 'flux' ? foreignSource(ref, this.gitSources.get(ref.holder)) : undefined;
    if (foreign !== undefined) {
      this.pulls.push({ ...base, cluster, skipped: foreign });
      return;
    }
    const { vars, missing } =
      ref.tool === 'flux' ? postBuildVariables(ref.postBuild, (kind, name) => this.variables.get(ref.holder)?.get(`${kind}/${name}`)) : { vars: undefined, missing: [] };
    const own = this.roots.get(cluster);
    if (own !== undefined && isWithin(resolved.dir, own) && !(this.carved.get(cluster) ?? []).includes(resolved.dir)) {
      // Read as written; with variables to substitute, it must be read through this Kustomization.
      // Not a folder holding the Kustomization itself: carved out, it would never be read again.
      if (vars && vars.size > 0 && resolved.dir !== own && !isWithin(ref.at.file, resolved.dir)) {
        const list = this.carving.get(cluster) ?? [];
        if (!list.includes(resolved.dir)) list.push(resolved.dir);
        this.carving.set(cluster, list);
      }
      this.pulls.push({ ...base, cluster, dir: resolved.dir, skipped: "inside the cluster's own folder, already read" });
      return;
    }
    const key = `${cluster}\0${resolved.dir}\0${vars ? JSON.stringify([...vars]) : ''}`;
    if (this.seen.has(key)) {
      this.pulls.push({ ...base, cluster, dir: resolved.dir, skipped: 'already read for this cluster' });
      return;
    }
    this.seen.add(key);
    const options: LoadOptions = vars ? { ...this.options, transform: (doc) => substituteDocument(doc, vars) } : this.options;
    const via = `${ref.label}${missing.length > 0 ? ` (substituteFrom ${missing.map((m) => `${m.kind} ${m.name}`).join(', ')} not in the repository)` : ''}`;
    let inputs = 0;
    for (const input of this.inputsOf(resolved.dir)) {
      const file =
        input.render === 'kustomize'
          ? await this.renderer.load(input.path, options)
          : input.render === 'helm'
            ? await this.renderer.loadChart(input.path, options)
            : await loadFile(input.path, options);
      this.add(cluster, file, via);
      inputs++;
    }
    this.pulls.push({ ...base, cluster, dir: resolved.dir, inputs });
  }

  /**
   * The inputs of a pulled folder (or file): its manifest files, with the outermost kustomizations
   * and Helm charts below it rendered when a binary is installed (`Renderer.plan`; see the file
   * comment). Sorted by path.
   */
  private inputsOf(target: string): readonly FolderInput[] {
    let inputs = this.folders.get(target);
    if (!inputs) this.folders.set(target, (inputs = this.readInputs(target)));
    return inputs;
  }

  private readInputs(target: string): FolderInput[] {
    if (!isDirectory(target)) return /\.(ya?ml|json)$/.test(target) ? [{ path: target }] : [];
    // The discovery walk's rules: symbolic links only to inside the repository, loops once, regular files only.
    const walk = new Walk(this.trusted ?? new Containment([this.repoRoot]));
    walk.tree(target);
    const { files } = walk.result();
    const plan = this.renderer.plan(files);
    const inputs = [
      ...plan.raw.map((path) => ({ path })),
      ...plan.kustomizations.map((path) => ({ path, render: 'kustomize' as const })),
      ...plan.charts.map((path) => ({ path, render: 'helm' as const })),
    ];
    return inputs.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

/** A path relative to the repository root, for messages (`apps/prod`). */
export function repoRelative(repoRoot: string, path: string): string {
  return relative(repoRoot, path).split(sep).join('/') || '.';
}
