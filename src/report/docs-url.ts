/**
 * Where a rule's documentation page lives on the web, pinned to the installed version: every
 * reporter that links a rule's page (SARIF `helpUri`, `json-with-metadata`'s rules metadata,
 * stylish's footer, `--list-rules`) builds the link here, so a user of version 1.2.0 reads the
 * page as it was when 1.2.0 was tagged, not the `main` branch's newer (or renamed) rules.
 *
 * The link is `<repository web URL>/blob/v<version>/<docs path>`: the repository from package.json
 * `repository` (npm's field: a string or `{ type, url }`, for example
 * `git+https://github.com/o/r.git`), the tag `v<version>` from package.json `version`, and the
 * rule's `meta.docs` path (`docs/rules/<id>.md`, relative to the package root). GitHub serves a
 * file at a tag as `https://github.com/<owner>/<repo>/blob/<tag>/<path>`.
 */
import pkg from '../../package.json' with { type: 'json' };

/** The two package.json fields a docs URL is made of. */
export interface PackageInfo {
  /** npm's `repository`: a URL string or `{ url }`; undefined when the package names none. */
  readonly repository?: string | { readonly url?: string };
  /** The package version (semver, without a leading `v`), for example `0.1.0`. */
  readonly version: string;
}

/** package.json of the running mclint (bundled into dist/ at build time). */
const INSTALLED: PackageInfo = pkg;

/**
 * The web page of a repository: `git+https://github.com/o/r.git` → `https://github.com/o/r`.
 * @returns undefined when `repository` is missing or not an http(s) URL (`git@…`, `github:o/r`)
 */
export function repositoryWebUrl(repository: PackageInfo['repository']): string | undefined {
  const url = typeof repository === 'string' ? repository : repository?.url;
  if (!url) return undefined;
  const m = /^(?:git\+)?(https?:\/\/[^\s]+?)(?:\.git)?\/?$/.exec(url);
  return m ? m[1] : undefined;
}

/**
 * The base that documentation paths are appended to: `<repository>/blob/v<version>/`, ending in `/`.
 * @returns undefined when package.json names no http(s) repository
 */
export function docsBaseUrl(info: PackageInfo = INSTALLED): string | undefined {
  const web = repositoryWebUrl(info.repository);
  return web ? `${web}/blob/v${encodeURIComponent(info.version)}/` : undefined;
}

/**
 * The web URL of a rule's documentation page: `meta.docs` (a path relative to the package root,
 * `docs/rules/<id>.md`, or a section such as `README.md#suppressions`) under `docsBaseUrl`, each
 * path segment percent-encoded and a `#fragment` kept.
 * @param meta the rule's metadata (only `docs` is read)
 * @param info package.json's `repository` and `version`; default: the installed mclint's
 * @returns undefined when package.json names no http(s) repository (callers fall back to `meta.docs`)
 */
export function ruleDocsUrl(meta: { readonly docs: string }, info: PackageInfo = INSTALLED): string | undefined {
  const base = docsBaseUrl(info);
  return base && `${base}${meta.docs.split('/').map(encodeURIComponent).join('/').replace(/%23/g, '#')}`;
}
