/**
 * The render cache: kustomize's output for a kustomization, kept on disk and reused by a later run
 * when nothing it was made from changed. Content-addressed: an entry's key is a SHA-256 over
 * everything the output depends on — this cache format, mclint's version, the renderer (its path,
 * the version it reports, the arguments mclint passes), the kustomization's real path, and the
 * path and bytes of every local file kustomize reads for it (`KustomizationInputs.files`) — so a
 * stale entry is never found, and nothing has to be invalidated.
 *
 * Where: `$XDG_CACHE_HOME/mclint` (default `~/.cache/mclint`), below it `render/<repository>/`, one
 * folder per repository (a hash of its real path), so repositories never share entries. Never in
 * the linted repository itself (not in its `node_modules/.cache`, ESLint's and Prettier's place for
 * a project's own tools): an entry there could come from the repository — a pull request could ship
 * entries that make mclint lint objects kustomize would never render. Every entry is
 * written to a temporary file and renamed into place (a reader sees a whole entry or none), and the
 * folder is safe to delete at any time. The cache is best effort: an entry that cannot be read,
 * parsed or written is a miss, never an error. Only successful renders are kept.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { readRegularFile } from '../base/regular-file.js';

/** Bumped whenever what an entry holds, or how it is read, changes. */
const FORMAT = 'mclint-render-cache-1';
/** Inputs larger than this are not hashed: such a render is not cached. */
const MAX_INPUT_BYTES = 64 * 1024 * 1024;
/** Entries kept per repository; beyond it the least recently used are removed. */
export const MAX_ENTRIES = 512;

/** What an entry holds: the rendered documents as kustomize printed them, and where it was run. */
export interface CachedRender {
  /**
   * The temporary folder the render ran in (real path): kustomize writes its origin annotations
   * relative to it, so mapping the documents back to their sources needs it, though it is gone.
   */
  readonly wrapper: string;
  /** The documents of kustomize's output, parsed. */
  readonly documents: unknown[];
}

/**
 * The cache folder for `repoRoot` (see the file comment), or undefined when no home folder is
 * known. Nothing is created.
 * @param repoRoot absolute path of the repository (its real path names the folder)
 */
export function renderCacheDir(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  let base = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : undefined;
  if (!base) {
    try {
      base = join(homedir(), '.cache');
    } catch {
      return undefined;
    }
  }
  let real = repoRoot;
  try {
    real = realpathSync.native(repoRoot);
  } catch {
    // keep the path as given
  }
  return join(base, 'mclint', 'render', createHash('sha256').update(real).digest('hex').slice(0, 16));
}

/**
 * One run's view of the render cache folder `dir` (undefined: caching off). File digests are
 * computed once per run, so a base shared by fifty overlays is read once.
 */
export class RenderCache {
  /** SHA-256 of each input file read this run (undefined: unreadable or too large). */
  readonly #digests = new Map<string, string | undefined>();
  #written = false;

  constructor(readonly dir: string | undefined) {}

  /**
   * The key of a render, or undefined when it cannot be cached (caching off, or an input that
   * cannot be read).
   * @param parts what else the output depends on (renderer, version, arguments, real path)
   * @param files absolute paths of every file the renderer reads, sorted
   */
  key(parts: readonly string[], files: readonly string[]): string | undefined {
    if (!this.dir) return undefined;
    const hash = createHash('sha256').update(FORMAT);
    for (const p of parts) hash.update(`\0${p}`);
    for (const file of files) {
      const digest = this.#digest(file);
      if (digest === undefined) return undefined;
      hash.update(`\0${file}\0${digest}`);
    }
    return hash.digest('hex');
  }

  #digest(file: string): string | undefined {
    if (this.#digests.has(file)) return this.#digests.get(file);
    let digest: string | undefined;
    try {
      const read = readRegularFile(file, MAX_INPUT_BYTES);
      // Invalid UTF-8 decodes lossily (different bytes, one text): such an input is not cached.
      digest = read.text === undefined || read.invalidUtf8 ? undefined : createHash('sha256').update(read.text).digest('hex');
    } catch {
      digest = undefined;
    }
    this.#digests.set(file, digest);
    return digest;
  }

  /**
   * What `command args` prints (its version), from the cache when the same binary (path, size,
   * modification time, inode) printed it before; else `run()`'s output, stored when not empty.
   * Spares every run a process start of the renderer (kubectl takes tens of milliseconds).
   */
  toolOutput(command: string, args: readonly string[], run: () => string): string {
    let key: string | undefined;
    try {
      const st = statSync(command);
      key = this.dir
        ? createHash('sha256')
            .update(`${FORMAT}\0${command}\0${st.size}\0${st.mtimeMs}\0${st.ino}\0${args.join('\0')}`)
            .digest('hex')
        : undefined;
    } catch {
      key = undefined;
    }
    const file = key === undefined ? undefined : join(this.dir!, `tool-${key}.txt`);
    if (file) {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        // not cached yet
      }
    }
    const out = run();
    if (file && out !== '') this.#writeAtomically(file, out);
    return out;
  }

  /** The entry stored under `key`, or undefined (none, unreadable, or not an entry). */
  get(key: string | undefined): CachedRender | undefined {
    if (!this.dir || key === undefined) return undefined;
    const file = join(this.dir, `${key}.json`);
    try {
      const entry = JSON.parse(readFileSync(file, 'utf8')) as Partial<CachedRender>;
      if (typeof entry.wrapper !== 'string' || !Array.isArray(entry.documents)) return undefined;
      // Used now: the least recently used entries are the ones pruned.
      const now = new Date();
      utimesSync(file, now, now);
      return { wrapper: entry.wrapper, documents: entry.documents };
    } catch {
      return undefined;
    }
  }

  /**
   * Stores `render` under `key`, atomically (a temporary file renamed into place). Failures are
   * ignored: the next run renders again.
   */
  set(key: string | undefined, render: CachedRender): void {
    if (!this.dir || key === undefined) return;
    if (this.#writeAtomically(join(this.dir, `${key}.json`), JSON.stringify(render))) this.#written = true;
  }

  /** Writes `text` to a temporary file beside `file` and renames it into place; false when that fails. */
  #writeAtomically(file: string, text: string): boolean {
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      mkdirSync(this.dir!, { recursive: true });
      writeFileSync(temporary, text);
      renameSync(temporary, file);
      return true;
    } catch {
      rmSync(temporary, { force: true });
      return false;
    }
  }

  /** Removes the least recently used entries beyond `MAX_ENTRIES`, once a run has written any. */
  prune(): void {
    if (!this.dir || !this.#written) return;
    try {
      const entries = readdirSync(this.dir)
        .filter((name) => name.endsWith('.json'))
        .map((name) => ({ name, used: statSync(join(this.dir!, name)).mtimeMs }));
      if (entries.length <= MAX_ENTRIES) return;
      entries.sort((a, b) => a.used - b.used || (a.name < b.name ? -1 : 1));
      for (const { name } of entries.slice(0, entries.length - MAX_ENTRIES)) rmSync(join(this.dir, name), { force: true });
    } catch {
      // another run may be pruning too: nothing to do
    }
  }
}
