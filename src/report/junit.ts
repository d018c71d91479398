/**
 * `junit`: JUnit XML for the test tabs of CI systems — GitLab (`artifacts:reports:junit`), Jenkins
 * (the JUnit plugin's `junit` step) and Azure DevOps (`PublishTestResults@2`, `testResultsFormat:
 * JUnit`).
 *
 * Layout (the one ESLint's `junit` formatter used before ESLint 9 moved it out of the core): a
 * `<testsuites>` root, one `<testsuite>` per linted file, one `<testcase>` per finding with a
 * `<failure>` (errors and warnings alike: a warning is a check that did not pass; the `type` attribute
 * says which), a passing `<testcase>` for a file without findings, and a suppressed finding as a
 * `<testcase>` with `<skipped>` carrying the justification. One suite per file, not per rule: all
 * three consumers list failures under their suite, so a suite per file tells the reader which manifest
 * to open; clean files can appear as passing tests (with a suite per rule they would have no place);
 * and Jenkins builds its package/class tree from the testcase `classname`, the file's path without its
 * extension, as ESLint's formatter wrote it.
 *
 * A testcase's `name` is `rule-id: message`, so the test list reads as the problem list and GitLab's
 * comparison with the target branch (by suite, class and name) sees a finding that moved lines as the
 * same test. The failure body is the finding's compact line (`path:line:col: severity message
 * [rule]`), then the other cluster's places (`↳ cluster: path:line:col`) and the hint.
 *
 * The output validates against the Jenkins xUnit plugin's `junit-10.xsd` (vendored in
 * `test/schemas/`). It is deterministic: `time` is always `0` and there is no `timestamp` or
 * `hostname`. Paths are relative to `cwd`. Text from the repository is escaped for XML, and characters
 * XML 1.0 cannot carry (C0 controls other than tab and line breaks) or that would hide text (C1,
 * bidirectional controls) are written as visible escapes (`inert.ts`).
 */
import { compareFindings } from '../engine/run.js';
import type { Finding, SuppressedFinding } from '../engine/types.js';
import { compactLine } from './compact.js';
import { groupByFile } from './common.js';
import { repoPath } from './fingerprint.js';
import { inert } from './inert.js';
import type { ReportInput } from './types.js';

/** Text made safe for XML character data or a double-quoted attribute (`attr`: line breaks as `&#10;`). */
export function xmlEscape(text: string, attr = false): string {
  const s = inert(text, true)
    // Noncharacters and lone surrogates are not XML 1.0 characters either.
    .replace(/[\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
  return attr ? s.replace(/\r/g, '&#13;').replace(/\n/g, '&#10;') : s;
}

const attrs = (pairs: [string, string | number][]) => pairs.map(([k, v]) => ` ${k}="${xmlEscape(String(v), true)}"`).join('');

/** The failure body: the compact line, the related places, the hint. */
function details(cwd: string, f: Finding): string {
  const lines = [compactLine(cwd, f)];
  if (f.cluster !== undefined) lines.push(`cluster: ${f.cluster}${f.via !== undefined ? ` (via ${f.via})` : ''}`);
  for (const r of f.related)
    lines.push(`↳ ${r.cluster !== undefined ? `${r.cluster}: ` : ''}${repoPath(cwd, r.file)}:${r.line}:${r.column}${r.message !== undefined ? `  ${r.message}` : ''}`);
  if (f.hint !== undefined) lines.push(`hint: ${f.hint}`);
  return lines.join('\n');
}

/** Formats a run as JUnit XML: one suite per file, one failing testcase per finding (newline-terminated). */
export function formatJunit(input: ReportInput): string {
  const cwd = input.cwd ?? process.cwd();
  const byFile = groupByFile<Finding>(input.findings, input.files);
  const suppressedByFile = groupByFile<SuppressedFinding>(input.suppressed ?? []);
  for (const file of suppressedByFile.keys()) if (!byFile.has(file)) byFile.set(file, []);
  const paths = [...byFile.keys()].sort();

  let tests = 0;
  let failures = 0;
  const suites = paths.map((file) => {
    const findings = [...byFile.get(file)!].sort(compareFindings);
    const suppressed = [...(suppressedByFile.get(file) ?? [])].sort(compareFindings);
    const path = repoPath(cwd, file);
    const classname = path.replace(/\.[^./]*$/, '');
    const cases: string[] = [];
    const testcase = (f: Finding | SuppressedFinding, result: string) =>
      `    <testcase${attrs([
        ['name', `${f.ruleId}: ${f.message}`],
        ['classname', classname],
        ['time', 0],
      ])}>\n      ${result}\n    </testcase>\n`;
    for (const f of findings) {
      const type = f.severity === 2 ? 'error' : 'warning';
      cases.push(
        testcase(
          f,
          `<failure${attrs([
            ['message', f.message],
            ['type', type],
          ])}>${xmlEscape(details(cwd, f))}</failure>`,
        ),
      );
    }
    for (const f of suppressed) {
      const why = f.suppressions.map((s) => `${s.kind}${s.justification ? `: ${s.justification}` : ''}`).join('; ');
      cases.push(testcase(f, `<skipped${attrs([['message', `suppressed (${why})`]])}>${xmlEscape(details(cwd, f))}</skipped>`));
    }
    if (findings.length === 0 && suppressed.length === 0)
      cases.push(
        `    <testcase${attrs([
          ['name', path],
          ['classname', classname],
          ['time', 0],
        ])}/>\n`,
      );
    tests += cases.length;
    failures += findings.length;
    const head = attrs([
      ['name', path],
      ['tests', cases.length],
      ['failures', findings.length],
      ['errors', 0],
      ['skipped', suppressed.length],
      ['time', 0],
      ['file', path],
    ]);
    return `  <testsuite${head}>\n${cases.join('')}  </testsuite>\n`;
  });
  const root = attrs([
    ['name', 'mclint'],
    ['tests', tests],
    ['failures', failures],
    ['errors', 0],
    ['time', 0],
  ]);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${root}>\n${suites.join('')}</testsuites>\n`;
}
