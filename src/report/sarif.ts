/**
 * `sarif`: a SARIF 2.1.0 log (OASIS Static Analysis Results Interchange Format), as GitHub code
 * scanning (`github/codeql-action/upload-sarif`) and other SARIF viewers read it. Built with
 * `node-sarif-builder` (loaded on first use) and typed with `@types/sarif`.
 *
 * - `tool.driver.rules`: every rule with `shortDescription` (the rule's one-line description),
 *   `fullDescription` (the first paragraph of its documentation page), `help` (`text` and `markdown`:
 *   the page itself, or the description and a link to the page when the package does not ship it),
 *   `helpUri` (the page in the repository named by package.json `repository`, at the installed
 *   version's tag: `docs-url.ts`) and `defaultConfiguration.level`. GitHub code scanning requires
 *   `shortDescription`, `fullDescription` and `help.text` on every rule (the SARIF multitool's GitHub
 *   rule GH2012 `ProvideRequiredReportingDescriptorProperties`, `microsoft/sarif-sdk`).
 * - `results`: one per finding (info-level notes as level `note`), suppressed ones included with `suppressions` (`inSource` for
 *   comments and annotations, `external` for config overrides and the baseline file, with the justification). Every
 *   result has a region: 1-based `startLine`/`startColumn`/`endLine`/`endColumn` (end column
 *   exclusive, UTF-16 code units), in an artifact relative to `%SRCROOT%` (the `cwd`, i.e. the
 *   repository root in CI) so code scanning maps it onto the repository. The other side of a
 *   cross-cluster finding is in `relatedLocations` (ids 1, 2, …), and the message links each one with
 *   SARIF's embedded link syntax `[text](id)` (SARIF 2.1.0 §3.11.6, literal brackets escaped `\[`
 *   `\]`): code scanning shows related locations only when the message links them ("Code scanning
 *   will link to related locations when they are embedded in the result message", GitHub's "SARIF
 *   support for code scanning"). The object reported on is a logical location
 *   (`cluster/namespace/Kind/name`, with the parts in `properties`).
 * - `partialFingerprints`: `mclintFindingHash/v1`, the finding's fingerprint (`fingerprint.ts`: rule,
 *   file, cluster, object, message and related files, no line numbers), so an alert survives lines
 *   inserted above it. GitHub computes its own `primaryLocationLineHash` from the file when the log
 *   lacks one (`github/codeql-action` `src/fingerprints.ts`) and warns when a supplied one differs
 *   from its own, so mclint leaves that key to GitHub.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Artifact, Location, Log, LogicalLocation, Notification, ReportingDescriptor, Result, Suppression as SarifSuppression } from 'sarif';
import pkg from '../../package.json' with { type: 'json' };
import { cjsExports } from '../base/cjs.js';
import type { Finding, RuleMeta, SuppressedFinding, Suppression } from '../engine/types.js';
import type { Span } from '../base/types.js';
import type { ReportInput } from './types.js';
import { ruleDocsUrl } from './docs-url.js';
import { fingerprints } from './fingerprint.js';
import { inertJson } from './inert.js';

/** The `$schema` written into every log. */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The base id artifact URIs are relative to; resolved through `run.originalUriBaseIds`. */
export const SRCROOT = '%SRCROOT%';

export { repositoryWebUrl } from './docs-url.js';

/** The key of mclint's fingerprint in `result.partialFingerprints`. */
export const FINGERPRINT_KEY = 'mclintFindingHash/v1';

/**
 * The help URL of a rule's documentation page (`meta.docs`, relative to the package root), at the
 * installed version's tag (`docs-url.ts`); undefined when package.json names no http(s) repository.
 */
export function helpUri(meta: RuleMeta): string | undefined {
  return ruleDocsUrl(meta);
}

/** The package root (holding package.json): two levels up from src/report, one from dist/chunks. */
function packageRoot(): string | undefined {
  for (let d = dirname(fileURLToPath(import.meta.url)); ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

/** The markdown of a rule's documentation page, or undefined when the package does not ship it. */
function readDocs(root: string | undefined, meta: RuleMeta): string | undefined {
  // Only whole pages: a section of a larger document (`README.md#suppressions`) is linked, not inlined.
  if (!root || meta.docs.includes('#') || !meta.docs.endsWith('.md')) return undefined;
  const path = meta.docs;
  try {
    return readFileSync(join(root, path), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The first prose paragraph of a documentation page: after the `# title` and the `**Default
 * severity:**` line, as plain text (code spans unquoted, links reduced to their text).
 */
export function firstParagraph(markdown: string): string | undefined {
  const paragraphs = markdown.split(/\r?\n\s*\r?\n/).map((p) => p.trim());
  const prose = paragraphs.find((p) => p !== '' && !/^(#|\*\*|\||```|<)/.test(p));
  if (!prose) return undefined;
  return prose
    .replace(/\s*\r?\n\s*/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1');
}

const LEVEL = { error: 'error', warn: 'warning', off: 'none' } as const;

function ruleDescriptor(meta: RuleMeta, root: string | undefined): ReportingDescriptor {
  const docs = readDocs(root, meta);
  const full = (docs && firstParagraph(docs)) ?? meta.description;
  const uri = helpUri(meta);
  return {
    id: meta.id,
    shortDescription: { text: meta.description },
    fullDescription: { text: full },
    ...(uri ? { helpUri: uri } : {}),
    // Every rule has help (GitHub's GH2012): the page when shipped, else the description and the page's link.
    help: {
      text: uri ? `${meta.description}. Documentation: ${uri}` : `${meta.description}. Documentation: ${meta.docs} in the mclint package.`,
      markdown: docs ?? (uri ? `${meta.description}.\n\n[Documentation](${uri})` : `${meta.description}.\n\nDocumentation: \`${meta.docs}\` in the mclint package.`),
    },
    defaultConfiguration: { level: LEVEL[meta.severity], enabled: meta.severity !== 'off' },
    properties: { tags: ['kubernetes', 'multi-cluster'] },
  };
}

/** URI of `file` relative to `cwd` (percent-encoded segments), or an absolute file URI outside it. */
function artifactUri(cwd: string, file: string): { uri: string; uriBaseId?: string } {
  const rel = relative(cwd, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return { uri: pathToFileURL(file).href };
  return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

const region = (s: Span) => ({ startLine: s.line, startColumn: s.column, endLine: s.endLine, endColumn: s.endColumn });

function physical(cwd: string, file: string, span: Span): Location['physicalLocation'] {
  return { artifactLocation: artifactUri(cwd, file), region: region(span) };
}

/** The object a finding is about (or its cluster alone) as a SARIF logical location. */
function logicalLocation(f: Finding): LogicalLocation | undefined {
  const o = f.object;
  if (!o) return f.cluster === undefined ? undefined : { name: f.cluster, fullyQualifiedName: f.cluster, kind: 'module', properties: { cluster: f.cluster } };
  const parts = [f.cluster, o.namespace, o.kind, o.name].filter((p): p is string => p !== undefined);
  return {
    name: o.name ?? o.kind,
    fullyQualifiedName: parts.join('/'),
    kind: 'resource',
    properties: {
      ...(f.cluster !== undefined ? { cluster: f.cluster } : {}),
      ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
      apiVersion: o.apiVersion,
      kind: o.kind,
      ...(o.name !== undefined ? { name: o.name } : {}),
    },
  };
}

function suppression(cwd: string, s: Suppression): SarifSuppression {
  return {
    kind: s.kind === 'config' || s.kind === 'file' ? 'external' : 'inSource',
    status: 'accepted',
    justification: s.justification,
    ...(s.at ? { location: { physicalLocation: physical(cwd, s.at.file, s.at) } } : {}),
    properties: { mclintKind: s.kind },
  };
}

/**
 * Text for a SARIF message that may hold embedded links (§3.11.6): literal `[` and `]` escaped with a
 * backslash, so that only mclint's own `[text](id)` links are links.
 */
export function escapeLinkText(text: string): string {
  return text.replace(/[[\]]/g, '\\$&');
}

/** What a related location's message says: `cluster "b": Service "payments/ledger"`. */
const relatedText = (r: Finding['related'][number]) => [r.cluster !== undefined ? `cluster "${r.cluster}"` : undefined, r.message].filter(Boolean).join(': ') || 'related';

function result(cwd: string, f: Finding, suppressions: readonly Suppression[] | undefined, note: boolean, fingerprint: string): Result {
  const logical = logicalLocation(f);
  // The other cluster's places, linked from the message to relatedLocations by id (code scanning shows the links).
  const links = f.related.length > 0 ? ` See ${f.related.map((r, i) => `[${escapeLinkText(relatedText(r))}](${i + 1})`).join(', ')}.` : '';
  const text = `${escapeLinkText(f.message)}${links}`;
  return {
    ruleId: f.ruleId,
    level: note ? 'note' : f.severity === 2 ? 'error' : 'warning',
    // The hint (what the controller does, how to fix it) goes with the message as Markdown.
    message: f.hint !== undefined ? { text, markdown: `${text}\n\n${escapeLinkText(f.hint)}` } : { text },
    locations: [{ physicalLocation: physical(cwd, f.file, f), ...(logical ? { logicalLocations: [logical] } : {}) }],
    ...(f.related.length > 0
      ? {
          relatedLocations: f.related.map((r, i) => ({
            id: i + 1,
            physicalLocation: physical(cwd, r.file, r),
            message: { text: relatedText(r) },
          })),
        }
      : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
    ...(suppressions ? { suppressions: suppressions.map((s) => suppression(cwd, s)) } : {}),
    ...(f.cluster !== undefined ? { properties: { cluster: f.cluster } } : {}),
  };
}

const compare = (a: Finding, b: Finding) =>
  a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);

/** Formats a run as a SARIF 2.1.0 log with one run (JSON text, newline-terminated). */
export async function formatSarif(input: ReportInput): Promise<string> {
  const { SarifBuilder, SarifRunBuilder, SarifRuleBuilder, SarifResultBuilder } = cjsExports(await import('node-sarif-builder'));
  const cwd = input.cwd ?? process.cwd();
  const root = packageRoot();
  const homepage = (pkg as { homepage?: string }).homepage;

  // Info-level notes become results of level `note` (SARIF's own level for them).
  const all: [Finding, readonly Suppression[] | undefined, boolean][] = [
    ...input.findings.map((f): [Finding, undefined, boolean] => [f, undefined, false]),
    ...(input.notes ?? []).map((n): [Finding, undefined, boolean] => [{ ...n, severity: 1 }, undefined, true]),
    ...(input.suppressed ?? []).map((f: SuppressedFinding): [Finding, readonly Suppression[], boolean] => [f, f.suppressions, false]),
  ].sort((a, b) => compare(a[0], b[0]));

  // Artifacts are declared with their base id; the builder then fills every result's index.
  const artifacts = new Map<string, Artifact>();
  for (const [f] of all) {
    const location = artifactUri(cwd, f.file);
    if (!artifacts.has(location.uri))
      artifacts.set(location.uri, { location, ...(/\.ya?ml$/i.test(f.file) ? { sourceLanguage: 'yaml' } : /\.json$/i.test(f.file) ? { sourceLanguage: 'json' } : {}) });
  }

  const run = new SarifRunBuilder({
    tool: {
      driver: {
        // The tool's name (its command), not the npm package's (kube-mclint): code scanning keys alerts by it.
        name: 'mclint',
        version: pkg.version,
        semanticVersion: pkg.version,
        ...(homepage ? { informationUri: homepage } : {}),
        rules: [],
      },
    },
    originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(cwd.endsWith(sep) ? cwd : cwd + sep).href } },
    columnKind: 'utf16CodeUnits',
    artifacts: [...artifacts.values()],
    results: [],
    invocations: [
      {
        executionSuccessful: (input.internalErrors ?? []).length === 0,
        ...((input.internalErrors ?? []).length > 0
          ? {
              toolExecutionNotifications: (input.internalErrors ?? []).map((e): Notification => ({
                level: 'error',
                message: { text: `internal error in rule "${e.ruleId}" (ClusterSet "${e.set}"): ${e.message}` },
                associatedRule: { id: e.ruleId },
              })),
            }
          : {}),
      },
    ],
  });
  const metas = [...(input.rules ?? [])];
  // A finding of a rule the input does not describe still gets a descriptor (SARIF needs none, but viewers do better with one).
  const described = new Set(metas.map((m) => m.id));
  for (const [f] of all) {
    if (!described.has(f.ruleId)) {
      described.add(f.ruleId);
      metas.push({ id: f.ruleId, description: f.ruleId, severity: 'error', docs: `docs/rules/${f.ruleId}.md` });
    }
  }
  for (const meta of metas) run.addRule(new SarifRuleBuilder(ruleDescriptor(meta, root)));
  const prints = fingerprints(
    cwd,
    all.map(([f]) => f),
  );
  all.forEach(([f, suppressions, note], i) => run.addResult(new SarifResultBuilder(result(cwd, f, suppressions, note, prints[i]))));

  const log = new SarifBuilder({ $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [] });
  log.addRun(run);
  // inertJson: DEL, C1 and bidirectional controls from the repository written as \u escapes (same values).
  return `${inertJson(JSON.stringify(log.buildSarifOutput() satisfies Log, null, 2))}\n`;
}
