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
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { KUSTOMIZATION_FILE_NAMES } from '../discover/index.js';
import type { LoadedFile, LoadOptions, LoadProblem, Place } from '../load/types.js';
import { findKustomizeTool, kustomizationInputs, loadRendered, renderKustomization, type KustomizationInputs, type KustomizeRender, type KustomizeTool } from './kustomize.js';
import { kustomizationFile, nonResourceFiles } from './kustomize-inputs.js';
import { offlineEnv } from './process.js';

export { substituteDocument, postBuildVariables } from './flux.js';

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
function kustomizeVersion(tool: KustomizeTool): [number, number, number] | undefined {
  const args = tool.name === 'kubectl' ? ['version', '--client', '-o', 'json'] : ['version'];
  const r = spawnSync(tool.command, args, { encoding: 'utf8', timeout: 20_000, env: offlineEnv(process.env) });
  let text = r.stdout ?? '';
  if (tool.name === 'kubectl') {
    try {
      text = String((JSON.parse(text) as { kustomizeVersion?: unknown }).kustomizeVersion ?? '');
    } catch {
      return undefined;
    }
  }
  const m = /v(\d+)\.(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
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
        ? `${render.message}: mclint does not fetch remote bases, so this kustomization is not linted`
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
  readonly stats: RenderStats = emptyRenderStats();
  private readonly renders = new Map<string, Promise<KustomizeRender>>();
  private readonly inputs = new Map<string, KustomizationInputs>();
  private readonly limiter = new Limiter(Math.max(1, availableParallelism()));

  /** @param enabled false: never render (`--no-render`); kustomizations are linted file by file */
  constructor(enabled = true, env: NodeJS.ProcessEnv = process.env) {
    this.found = enabled ? findKustomizeTool(env) : undefined;
    if (!enabled) this.stats.off = true;
  }

  /**
   * The binary to render with, or undefined when none is installed, rendering is off, or the one
   * found embeds a kustomize older than 4.5 (no `buildMetadata`: findings could not point at their
   * source). Asks the binary its version once, on first use: runs without kustomizations never do.
   */
  get tool(): KustomizeTool | undefined {
    if (!this.checked && this.found) {
      this.checked = true;
      const version = kustomizeVersion(this.found);
      if (version && (version[0] < 4 || (version[0] === 4 && version[1] < 5))) {
        this.stats.tooOld = `${this.found.name === 'kubectl' ? 'kubectl embeds ' : ''}kustomize v${version.join('.')}`;
        this.found = undefined;
      }
      if (this.found) this.stats.tool = this.found.name;
    }
    return this.found;
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
    const tool = this.tool;
    if (!tool) throw new Error('no kustomize binary');
    let pending = this.renders.get(dir);
    if (!pending) {
      pending = this.limiter.run(() => renderKustomization(dir, tool));
      this.renders.set(dir, pending);
      void pending.then((r) => (r.ok ? this.stats.rendered : this.stats.failed).push(dir));
    }
    const render = await pending;
    const key = Renderer.fileOf(dir);
    let inputs = this.inputs.get(dir);
    if (!inputs) this.inputs.set(dir, (inputs = kustomizationInputs(dir)));
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
