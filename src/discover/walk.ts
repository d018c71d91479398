/**
 * The directory walk of discovery, written for repositories that may be hostile (the GitHub Action
 * lints pull requests from strangers, and git stores symbolic links):
 *
 * - a symbolic link is followed only when its real path stays inside a trusted root (the repository
 *   root, or a path the user named on the command line); a link leading elsewhere is a listed skip
 *   (`symlink-outside`), never read — not even stat'ed beyond what tells a directory from a file;
 * - loops are found by real path: every real directory is walked once per walk (`Walk.tree`), and a
 *   link to a directory holding the link itself (`ln -s . self`, `ln -s .. up`) or a chain of links
 *   with no end (ELOOP) is a listed `symlink-loop`. Plain directories are walked before linked ones,
 *   so a file reachable both ways keeps its plain path;
 * - only regular files are taken: a FIFO, socket or device named like a manifest is a listed
 *   `not-regular` skip (FIFOs would block a read, `/dev/zero` never ends);
 * - an error of one directory or link (EACCES, ENAMETOOLONG, ENOENT when it vanished, EIO) is a
 *   listed skip of that entry while the rest is walked; nothing here throws for file system errors;
 * - a name that is not valid UTF-8 cannot be named as a JavaScript string and opened again: it is a
 *   listed `bad-name` skip (shown with U+FFFD), never silently dropped; names with newlines are
 *   ordinary names.
 *
 * What is taken, as fast-glob's `**\/*.{yaml,yml,json}` with `dot: false` took it before: files ending
 * in `.yaml`, `.yml` or `.json` (case-sensitive) whose name does not start with a dot, in directories
 * whose name does not start with a dot, never inside `node_modules`; plus every `.gitignore` file.
 */
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { dirname, join, sep } from 'node:path';
import { sortStrings } from '../base/order.js';

/**
 * Why the walk did not read a file, directory or symbolic link: `not-regular` (a FIFO, socket or
 * device), `symlink-outside` (a link leading outside the trusted roots), `symlink-loop` (a link to a
 * directory holding it, or a chain of links with no end: ELOOP), `unreadable` (a dangling link, or a
 * file that cannot be stat'ed), `unreadable-dir` (a directory that cannot be listed: EACCES,
 * ENAMETOOLONG, vanished), `bad-name` (a name that is not valid UTF-8), `too-large` (a `.gitignore`
 * over its limit).
 */
export type WalkSkipReason = 'not-regular' | 'symlink-outside' | 'symlink-loop' | 'unreadable' | 'unreadable-dir' | 'bad-name' | 'too-large';

/** A file, directory or link of the walk that is not linted, and why. */
export interface WalkSkip {
  /** Absolute path as found in the repository (a link's own path, never its target). */
  readonly path: string;
  readonly reason: WalkSkipReason;
}

/** Manifest file names: what the walk takes. */
const MANIFEST_NAME = /\.(?:yaml|yml|json)$/;
const GITIGNORE = '.gitignore';

/** True for a visible file name ending in `.yaml`, `.yml` or `.json`. */
export const isManifestName = (name: string): boolean => !name.startsWith('.') && MANIFEST_NAME.test(name);
/** True for directory names the walk never enters: hidden ones and `node_modules`. */
export const isSkippedDirName = (name: string): boolean => name.startsWith('.') || name === 'node_modules';

/** `path` with a trailing separator. */
const slash = (path: string) => (path.endsWith(sep) ? path : path + sep);

/** True when `child` is `parent` or lies below it (both absolute, normalised). */
export function isWithin(child: string, parent: string): boolean {
  return child === parent || child.startsWith(slash(parent));
}

/** The real path of `path`, or `path` itself when it cannot be resolved. */
export function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * The directories symbolic links and configured paths may lead into: real paths, so a link inside a
 * trusted root to outside it is outside.
 */
export class Containment {
  private readonly roots: string[];

  /** @param roots absolute paths (resolved to real paths here; duplicates and nested roots are fine) */
  constructor(roots: readonly string[]) {
    this.roots = [...new Set(roots.map(realOrSelf))];
  }

  /** True when the real path `real` lies inside one of the roots. */
  contains(real: string): boolean {
    return this.roots.some((r) => isWithin(real, r));
  }
}

/** What one directory entry is, after following a link when it may be followed. */
type Kind = 'file' | 'dir' | 'other';

/** A directory's entries; `bad` holds those whose name is not valid UTF-8 (their `name` has U+FFFD). */
interface Entries {
  readonly dirents: Dirent[];
  readonly bad?: ReadonlySet<Dirent>;
}

/** The error code of a file system error (`EACCES`, `ELOOP`, …), or undefined. */
const codeOf = (err: unknown) => (err as { code?: string }).code;

/** Code-unit order of names (no locale: the same on every machine). */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Lists a directory. Names are read as UTF-8 strings; only when one holds U+FFFD is the directory
 * listed again as bytes, to tell a real U+FFFD from bytes that are not UTF-8.
 * @throws the file system error of the directory (the caller lists it as a skip)
 */
function entriesOf(dir: string): Entries {
  const dirents = readdirSync(dir, { withFileTypes: true });
  if (!dirents.some((d) => d.name.includes('\uFFFD'))) return { dirents };
  const raw = readdirSync(dir, { withFileTypes: true, encoding: 'buffer' }) as unknown as { name: Buffer | string }[];
  const bad = new Set<Dirent>();
  for (const d of raw) {
    const bytes = d.name as Buffer;
    // Node's Dirent keeps the name as given: the string form replaces the bytes here.
    d.name = bytes.toString('utf8');
    if (!isUtf8(bytes)) bad.add(d as Dirent);
  }
  return { dirents: raw as Dirent[], bad };
}

/** A symbolic link to a directory, walked after the plain tree. */
interface PendingLink {
  readonly path: string;
  readonly real: string;
  /** Real path of the directory holding the link. */
  readonly parentReal: string;
}

/**
 * One discovery walk: collects manifest files, `.gitignore` files and skips over any number of
 * `tree`, `shallow` and `file` calls. Results are in walk order; `result()` sorts and de-duplicates.
 */
export class Walk {
  private readonly files: string[] = [];
  private readonly gitignores: string[] = [];
  private readonly skips: WalkSkip[] = [];

  /** @param trusted where symbolic links may lead */
  constructor(private readonly trusted: Containment) {}

  /** Records a skip. */
  skip(path: string, reason: WalkSkipReason): void {
    this.skips.push({ path, reason });
  }

  /**
   * What a link at `path` leads to, when it may be followed: its real path and kind; undefined after
   * recording why not (outside, loop, dangling) — dangling and unreadable links only when `named`
   * (a manifest name), since a link named otherwise may be anything.
   */
  private follow(path: string, named: boolean): { real: string; kind: Kind } | undefined {
    let real: string;
    let kind: Kind;
    try {
      real = realpathSync(path);
      const st = statSync(real);
      kind = st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
    } catch (err) {
      if (codeOf(err) === 'ELOOP') this.skip(path, 'symlink-loop');
      else if (named) this.skip(path, 'unreadable');
      return undefined;
    }
    if (!this.trusted.contains(real)) {
      if (named || kind === 'dir') this.skip(path, 'symlink-outside');
      return undefined;
    }
    return { real, kind };
  }

  /**
   * Takes the file entries of one directory, and returns its subdirectories to walk: plain ones
   * (with their real paths) and links to directories.
   */
  private list(dir: string, real: string, links: PendingLink[]): { path: string; real: string }[] {
    let entries: Entries;
    try {
      entries = entriesOf(dir);
    } catch {
      this.skip(dir, 'unreadable-dir');
      return [];
    }
    const { dirents, bad } = entries;
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    const subdirs: { path: string; real: string }[] = [];
    const found: PendingLink[] = [];
    for (const dirent of dirents) {
      const name = dirent.name;
      const link = dirent.isSymbolicLink();
      const isGitignore = name === GITIGNORE;
      const named = isGitignore || isManifestName(name);
      if (dirent.isDirectory()) {
        if (isSkippedDirName(name)) continue;
        if (bad?.has(dirent)) this.skip(prefix + name, 'bad-name');
        else subdirs.push({ path: prefix + name, real: join(real, name) });
        continue;
      }
      // A hidden link or one named node_modules is not entered, as such directories are not.
      if (!named && (!link || isSkippedDirName(name))) continue;
      const path = prefix + name;
      if (bad?.has(dirent)) {
        if (named) this.skip(path, 'bad-name');
        continue;
      }
      let kind: Kind = dirent.isFile() ? 'file' : 'other';
      if (link) {
        const target = this.follow(path, named);
        if (!target) continue;
        if (target.kind === 'dir') {
          if (!isSkippedDirName(name)) found.push({ path, real: target.real, parentReal: real });
          continue;
        }
        kind = target.kind;
      }
      if (!named) continue;
      if (kind !== 'file') this.skip(path, 'not-regular');
      else if (isGitignore) this.gitignores.push(path);
      else this.files.push(path);
    }
    // Directory order is the file system's: sorted here, so which of two names of one directory
    // is walked never depends on it. Files are sorted once, at the end.
    for (const l of found.sort((a, b) => byCodeUnits(a.path, b.path))) links.push(l);
    return subdirs.sort((a, b) => byCodeUnits(a.path, b.path));
  }

  /**
   * Walks `start` (a directory) recursively: its plain tree first, then the links to directories
   * found on the way (sorted by where they were found), each real directory once.
   * @param exclude real paths of directories not to enter (walked already)
   */
  tree(start: string, exclude: Iterable<string> = []): void {
    let real: string;
    try {
      real = realpathSync(start);
    } catch (err) {
      this.skip(start, codeOf(err) === 'ELOOP' ? 'symlink-loop' : 'unreadable-dir');
      return;
    }
    const visited = new Set<string>(exclude);
    const links: PendingLink[] = [];
    const walkFrom = (path: string, realPath: string) => {
      // An explicit stack: a hostile repository nests directories as deep as PATH_MAX allows.
      const stack = [{ path, real: realPath }];
      while (stack.length > 0) {
        const d = stack.pop()!;
        if (visited.has(d.real)) continue;
        visited.add(d.real);
        const subdirs = this.list(d.path, d.real, links);
        for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]);
      }
    };
    walkFrom(start, real);
    for (let i = 0; i < links.length; i++) {
      const link = links[i];
      // A link to a directory holding it is a loop; to a directory walked already, a second name.
      if (isWithin(link.parentReal, link.real)) this.skip(link.path, 'symlink-loop');
      else if (!visited.has(link.real)) walkFrom(link.path, link.real);
    }
  }

  /** Takes the manifest files directly in `dir` (no subdirectory). */
  shallow(dir: string): void {
    this.list(dir, realOrSelf(dir), []);
  }

  /** Takes one file named as a cluster root (any name), when it is a regular file. */
  file(path: string): void {
    let st;
    try {
      st = statSync(path);
    } catch (err) {
      this.skip(path, codeOf(err) === 'ELOOP' ? 'symlink-loop' : 'unreadable');
      return;
    }
    if (st.isFile()) this.files.push(path);
    else this.skip(path, 'not-regular');
  }

  /**
   * The visible subdirectories of `dir` (links to directories inside the trusted roots included)
   * other than `node_modules`, sorted by name; with `record`, links leading outside, looping or with
   * bad names are recorded as skips (without: a search that reads nothing). Nothing is recorded for a
   * directory that cannot be listed: the walk that follows says so.
   */
  subdirectories(dir: string, record = true): { name: string; real: string }[] {
    const walk = record ? this : new Walk(this.trusted);
    let entries: Entries;
    try {
      entries = entriesOf(dir);
    } catch {
      return [];
    }
    const real = realOrSelf(dir);
    const out: { name: string; real: string }[] = [];
    for (const dirent of entries.dirents) {
      const name = dirent.name;
      if (isSkippedDirName(name)) continue;
      const path = join(dir, name);
      const badName = entries.bad?.has(dirent) ?? false;
      if (dirent.isDirectory()) {
        if (badName) walk.skip(path, 'bad-name');
        else out.push({ name, real: join(real, name) });
      } else if (dirent.isSymbolicLink() && !badName) {
        const target = walk.follow(path, false);
        if (target?.kind !== 'dir') continue;
        if (isWithin(real, target.real)) walk.skip(path, 'symlink-loop');
        else out.push({ name, real: target.real });
      }
    }
    return out.sort((a, b) => byCodeUnits(a.name, b.name));
  }

  /** The files, `.gitignore` files and skips found so far: sorted, each once. */
  result(): { files: string[]; gitignores: string[]; skipped: WalkSkip[] } {
    const unique = (list: string[]) => sortStrings([...new Set(list)]);
    const seen = new Set<string>();
    const skipped = this.skips
      .filter((s) => {
        const key = `${s.reason}\0${s.path}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .sort((a, b) => byCodeUnits(a.path, b.path) || byCodeUnits(a.reason, b.reason));
    return { files: unique(this.files), gitignores: unique(this.gitignores), skipped };
  }
}

/** The directory holding `path`'s nearest `.git` (file or directory), or undefined outside a work tree. */
export function workTreeRoot(start: string, has: (path: string) => boolean): string | undefined {
  for (let d = start; ; d = dirname(d)) {
    if (has(join(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
}
