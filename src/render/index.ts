/**
 * Render stage (DESIGN.md §1): kustomizations → rendered objects at their source places, with the
 * real `kustomize` (or `kubectl kustomize`) when installed; Flux post-build substitution on top.
 *
 * `Renderer` is what the pipeline calls: it finds the binary once, renders each kustomization
 * directory at most once per run (the same overlay pulled into two clusters is built once; only the
 * substitution differs), runs at most one render per CPU at a time, and counts what it rendered,
 * what failed and what it could not render for the run summary. A failed render is a `render-error`
 * problem of the load stage's shape, never a crash; a remote base is reported as not fetched.
 */
import type { Containment } from '../discover/walk.js';
import { spawnSync } from 'node:child_process';
import fg from 'fast-glob';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { KUSTOMIZATION_FILE_NAMES, outermostCharts, outermostKustomizations } from '../discover/index.js';
import { isWithin } from './pulls.js';
import type { LoadedFile, LoadOptions, LoadProblem } from '../load/types.js';
import type { Place } from '../base/types.js';
import {
  findKustomizeTool,
  kustomizationRefusal,
  loadRendered,
  renderKustomization,
  readKustomizationTree,
  type KustomizationTree,
  type KustomizeRender,
  type KustomizeTool,
} from './kustomize.js';
import { kustomizationFile, nonResourceFiles } from './kustomize-inputs.js';
import { rendererEnv } from './process.js';
import { findHelm, renderChart } from './helm.js';
import { RenderCache } from './cache.js';
import { DocumentCache } from './kustomize-origin.js';

export { substituteDocument, postBuildVariables } from './flux.js';

/** How a set of files is read (`Renderer.plan`): absolute paths, sorted. */
export interface InputPlan {
  /** Files read as they are. */
  readonly raw: string[];
  /** Kustomization folders to render. */
  readonly kustomizations: string[];
  /** Helm chart folders to render. */
  readonly charts: string[];
}

/** What rendering did in a run, for the summary and `--print-clusterset`. */
export interface RenderStats {
  /** The binary used, when one was found. */
  tool?: KustomizeTool['name'];
  /** Kustomization directories rendered (each once, however many clusters received it). */
  rendered: string[];
  /** Kustomization directories linted file by file because no kustomize binary was found (or `--no-render`). */
  unrendered: string[];
  /** Rendering was turned off (`--no-render`). */
  off?: boolean;
  /** The binary found is too old to say where rendered objects come from: its version. */
  tooOld?: string;
  /** Patches and other non-resource files of unrendered kustomizations, not linted as objects. */
  patches?: string[];
  /** Helm chart folders rendered with `helm template`. */
  charts?: string[];
  /** Helm chart folders not rendered (no helm binary): their templates are skipped and counted. */
  chartsUnrendered?: string[];
  /** Kustomization directories whose render failed (reported as `render-error`). */
  failed: string[];
}

/** Creates an empty `RenderStats`. */
export function emptyRenderStats(): RenderStats {
  return { rendered: [], unrendered: [], failed: [] };
}

/**
 * The kustomize version a binary embeds (`kubectl version --client -o json` → `kustomizeVersion`,
 * `kustomize version` → `v5.4.3` or `{Version:kustomize/v4.5.7 …}`), or undefined when it cannot
 * tell (then rendering is tried, and a failure is a render-error).
 */
function kustomizeVersion(tool: KustomizeTool, cache: RenderCache): { version?: [number, number, number]; text: string } {
  const args = tool.name === 'kubectl' ? ['version', '--client', '-o', 'json'] : ['version'];
  const out = cache.toolOutput(tool.command, args, () => spawnSync(tool.command, args, { encoding: 'utf8', timeout: 20_000, env: rendererEnv(process.env) }).stdout ?? '');
  let text = out;
  if (tool.name === 'kubectl') {
    try {
      const version = (JSON.parse(text) as { kustomizeVersion?: unknown }).kustomizeVersion;
      text = typeof version === 'string' ? version : '';
    } catch {
      return { text: out };
    }
  }
  const m = /v(\d+)\.(\d+)\.(\d+)/.exec(text);
  return { ...(m ? { version: [Number(m[1]), Number(m[2]), Number(m[3])] as [number, number, number] } : {}), text: out };
}

/** The files of a chart folder (its templates, values, Chart.yaml), sorted. */
function chartFiles(dir: string): string[] {
  try {
    return fg
      .sync('**/*', { cwd: dir, dot: false, onlyFiles: true })
      .map((p) => join(dir, p))
      .sort();
  } catch {
    return [join(dir, 'Chart.yaml')];
  }
}

/** A small semaphore: at most `limit` tasks run at once. */
class Limiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((go) => this.waiting.push(go));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

/** The failure of a render as the load stage reports a file that cannot be read. */
function failedFile(key: string, render: Extract<KustomizeRender, { ok: false }>): LoadedFile {
  const problem: LoadProblem = {
    rule: 'render-error',
    message:
      render.reason === 'remote'
        ? `${render.message}, so this kustomization is not linted`
        : render.reason === 'timeout'
          ? `kustomize did not finish rendering this kustomization in time: ${render.message}`
          : `kustomize cannot render this kustomization: ${render.message}`,
    file: render.place.file,
    place: render.place,
    ...(render.reason === 'remote' ? { warning: true } : {}),
  };
  return { path: key, documents: 0, objectCount: 0, objects: [], others: [], problems: [problem] };
}

/** Renders kustomizations for one run (see the file comment). */
export class Renderer {
  private found: KustomizeTool | undefined;
  private checked = false;
  /** Kustomizations refused before anything is run (remote, outside, …): never spawn a binary for them. */
  private readonly refusals = new Map<string, KustomizeRender | undefined>();
  private readonly helmFound: string | undefined;
  readonly stats: RenderStats = emptyRenderStats();
  private readonly renders = new Map<string, Promise<KustomizeRender>>();
  /** Kustomization directories counted in `stats` (rendered or failed). */
  private readonly counted = new Set<string>();
  /** Each kustomization's tree, read once per run (for the refusal, the render and the inputs). */
  private readonly trees = new Map<string, KustomizationTree>();
  private readonly limiter = new Limiter(Math.max(1, availableParallelism()));
  /** Where renders may read (see `RenderOptions.trusted`); set from discovery before rendering. */
  trusted: Containment | undefined;
  /** The kustomize binary's version output, once asked (`tool`). */
  private toolVersion = '';
  /** Parsed origin files shared by every render of the run (a base under fifty overlays is parsed once). */
  private readonly documents = new DocumentCache();

  /**
   * @param enabled false: never render (`--no-render`); kustomizations are linted file by file
   * @param cache the render cache (`cache.ts`); a cache without folder keeps nothing
   * @param version mclint's version, part of every render cache key
   */
  constructor(
    enabled = true,
    env: NodeJS.ProcessEnv = process.env,
    private readonly cache: RenderCache = new RenderCache(undefined),
    private readonly version = '',
  ) {
    this.found = enabled ? findKustomizeTool(env) : undefined;
    this.helmFound = enabled ? findHelm(env) : undefined;
    if (!enabled) this.stats.off = true;
  }

  /** The helm binary, or undefined when none is installed or rendering is off. */
  get helm(): string | undefined {
    return this.helmFound;
  }

  /**
   * How a set of files (a cluster's own, or a pulled folder's) is read: the outermost
   * kustomizations and Helm charts among them rendered when a binary is installed, the rest file by
   * file — without the patches of kustomizations that cannot be rendered (they are not objects).
   * Records what is read unrendered.
   */
  plan(files: readonly string[]): InputPlan {
    const found = outermostKustomizations(files);
    // The binary is asked its version only when one of them will really be rendered: a run whose
    // kustomizations are all refused (remote bases, …) runs no program at all.
    const render = found.length > 0 && this.found !== undefined && (found.every((d) => this.refusal(d) !== undefined) || this.tool !== undefined);
    const kustomizations = render ? found : [];
    const patches = new Set(render ? [] : found.flatMap((k) => this.unrendered(k)));
    const allCharts = outermostCharts(files).filter((c) => !kustomizations.some((k) => isWithin(c, k)));
    const charts = allCharts.length > 0 && this.helm !== undefined ? allCharts : [];
    if (charts.length === 0) for (const c of allCharts) this.chartUnrendered(c);
    const below = [...kustomizations, ...charts];
    const raw = below.length === 0 && patches.size === 0 ? [...files] : files.filter((f) => !patches.has(f) && !below.some((d) => isWithin(f, d)));
    return { raw, kustomizations, charts };
  }

  /**
   * Starts rendering `dir` ahead of `load` (which then finds it running or done): renders of
   * folders the fleet will pull run concurrently, one per CPU, instead of one after another. Does
   * nothing when `dir` is refused or no binary is available; never throws.
   */
  prefetch(dir: string): void {
    if (this.refusal(dir) !== undefined) return;
    const tool = this.tool;
    if (tool) void this.render(dir, tool, undefined);
  }

  /** The render of `dir` (started once per run; a refusal when `tool` is undefined). */
  private render(dir: string, tool: KustomizeTool | undefined, refusal: KustomizeRender | undefined): Promise<KustomizeRender> {
    let pending = this.renders.get(dir);
    if (!pending) {
      const cache = { store: this.cache, parts: [this.version, tool?.name ?? '', tool?.command ?? '', this.toolVersion] };
      const options = { trusted: this.trusted, tree: this.tree(dir), documents: this.documents, cache };
      pending = tool ? this.limiter.run(() => renderKustomization(dir, tool, options)) : Promise.resolve(refusal as KustomizeRender);
      this.renders.set(dir, pending);
    }
    return pending;
  }

  /** Records a chart whose templates are skipped because no helm binary renders them. */
  chartUnrendered(dir: string): void {
    if (!(this.stats.chartsUnrendered ??= []).includes(dir)) this.stats.chartsUnrendered.push(dir);
  }

  /**
   * Renders the Helm chart in `dir` with its own values (once per run) and loads the result as one
   * input keyed by its `Chart.yaml`; a failure is a `render-error` there.
   * @throws Error when no helm binary is available (check `helm` first)
   */
  async loadChart(dir: string, options: LoadOptions): Promise<LoadedFile> {
    const helm = this.helmFound;
    if (!helm) throw new Error('no helm binary');
    let pending = this.renders.get(`helm\0${dir}`);
    if (!pending) {
      pending = this.limiter.run(() => renderChart(dir, helm));
      this.renders.set(`helm\0${dir}`, pending);
      void pending.then((r) => (r.ok ? (this.stats.charts ??= []) : this.stats.failed).push(dir));
    }
    const render = await pending;
    const key = join(dir, 'Chart.yaml');
    const file = render.ok ? await loadRendered(key, render.documents, options) : failedFile(key, render);
    return { ...file, sources: chartFiles(dir) };
  }

  /**
   * The binary to render with, or undefined when none is installed, rendering is off, or the one
   * found embeds a kustomize older than 4.5 (no `buildMetadata`: findings could not point at their
   * source). Asks the binary its version once, on first use: runs without kustomizations never do.
   */
  get tool(): KustomizeTool | undefined {
    if (!this.checked && this.found) {
      this.checked = true;
      const { version, text } = kustomizeVersion(this.found, this.cache);
      // What the binary says of itself (all of it): part of every render cache key.
      this.toolVersion = text;
      if (version && (version[0] < 4 || (version[0] === 4 && version[1] < 5))) {
        this.stats.tooOld = `${this.found.name === 'kubectl' ? 'kubectl embeds ' : ''}kustomize v${version.join('.')}`;
        this.found = undefined;
      }
      if (this.found) this.stats.tool = this.found.name;
    }
    return this.found;
  }

  /** The kustomization tree of `dir`, read once per run. */
  private tree(dir: string): KustomizationTree {
    let tree = this.trees.get(dir);
    if (!tree) this.trees.set(dir, (tree = readKustomizationTree(dir)));
    return tree;
  }

  /** Why `dir` is not rendered at all (see `kustomizationRefusal`), read once per run. */
  private refusal(dir: string): KustomizeRender | undefined {
    if (!this.refusals.has(dir)) this.refusals.set(dir, kustomizationRefusal(dir, { trusted: this.trusted, tree: this.tree(dir) }));
    return this.refusals.get(dir);
  }

  /** The kustomization file of a directory (for keys and places). */
  static fileOf(dir: string): string {
    return kustomizationFile(dir) ?? join(dir, KUSTOMIZATION_FILE_NAMES[0]);
  }

  /**
   * Records a kustomization linted file by file (no binary, or rendering off).
   * @returns its patches and other files that are not resources: not to be linted as objects
   */
  unrendered(dir: string): string[] {
    if (!this.stats.unrendered.includes(dir)) this.stats.unrendered.push(dir);
    const patches = nonResourceFiles(dir);
    for (const p of patches) if (!(this.stats.patches ??= []).includes(p)) this.stats.patches.push(p);
    return patches;
  }

  /**
   * Renders `dir` (once per run) and loads the result as one input, keyed by its kustomization
   * file: objects at their source places; a failure as a `render-error` problem.
   * @param options load options (`transform`: Flux substitution for this cluster)
   * @throws Error when no binary is available (check `tool` first)
   */
  async load(dir: string, options: LoadOptions): Promise<LoadedFile> {
    const refusal = this.refusal(dir);
    const tool = refusal ? undefined : this.tool;
    if (!refusal && !tool) throw new Error('no kustomize binary');
    const render = await this.render(dir, tool, refusal);
    // Counted when loaded, in the order loaded (a render started ahead and never used is not).
    if (!this.counted.has(dir)) {
      this.counted.add(dir);
      (render.ok ? this.stats.rendered : this.stats.failed).push(dir);
    }
    const key = Renderer.fileOf(dir);
    const { inputs } = this.tree(dir);
    // A failure our own reading explains (a missing resource, an unreadable kustomization) is said
    // in those words, at that entry; kustomize's message otherwise.
    const problem = inputs.problems[0];
    const failure = !render.ok && render.reason === 'failed' && problem ? { ...render, message: problem.message, place: problem.place } : render;
    const file = failure.ok ? await loadRendered(key, failure.documents, options) : failedFile(key, failure);
    return { ...file, sources: inputs.files };
  }
}

/** A place at the start of a directory's kustomization file (for set-level messages). */
export function kustomizationPlace(dir: string): Place {
  return { file: Renderer.fileOf(dir), doc: 0, path: [] };
}
