/**
 * A RuleTester in ESLint's spirit: tables of valid and invalid multi-cluster scenarios per rule.
 * Each case is linted with that rule alone; an invalid case lists every expected finding, so an
 * extra or missing finding fails the test.
 */
import { describe, expect, it } from 'vitest';
import type { Rule } from '../../src/engine/types.js';
import { lintScenario, type Files } from './scenario.js';

export interface ExpectedFinding {
  /** Path relative to the scenario root. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  /** Substrings (or patterns) the message must contain. */
  readonly message?: (string | RegExp)[];
  /** The rule message (`meta.messages` id) the finding is worded from. */
  readonly messageId?: string;
  /** Values the message was filled from (a subset is enough). */
  readonly data?: Readonly<Record<string, string | number>>;
  readonly severity?: 1 | 2;
  readonly cluster?: string;
  readonly related?: { file: string; line: number; column: number; cluster?: string }[];
}

export interface ValidCase {
  readonly name: string;
  readonly files: Files;
}

export interface InvalidCase extends ValidCase {
  readonly findings: readonly ExpectedFinding[];
}

export function ruleTester(rule: Rule, cases: { valid: readonly ValidCase[]; invalid: readonly InvalidCase[] }): void {
  describe(rule.meta.id, () => {
    describe('valid', () => {
      for (const c of cases.valid) {
        it(c.name, async () => {
          const { relFindings, internalErrors } = await lintScenario(c.files, { rules: [rule] });
          expect(internalErrors).toEqual([]);
          expect(relFindings.map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`)).toEqual([]);
        });
      }
    });
    describe('invalid', () => {
      for (const c of cases.invalid) {
        it(c.name, async () => {
          const { relFindings, internalErrors } = await lintScenario(c.files, { rules: [rule] });
          expect(internalErrors).toEqual([]);
          const actual = relFindings.map((f) => `${f.file}:${f.line}:${f.column}`);
          const expected = [...c.findings].map((f) => `${f.file}:${f.line}:${f.column}`).sort();
          expect(actual.sort(), relFindings.map((f) => f.message).join('\n')).toEqual(expected);
          // Several findings may share a position: match each expectation to a distinct finding.
          const unused = [...relFindings];
          for (const want of c.findings) {
            const matches = (m: string | RegExp, text: string) => (typeof m === 'string' ? text.includes(m) : m.test(text));
            const index = unused.findIndex(
              (f) =>
                f.file === want.file &&
                f.line === want.line &&
                f.column === want.column &&
                (want.messageId === undefined || f.messageId === want.messageId) &&
                (want.message ?? []).every((m) => matches(m, f.message)),
            );
            const candidates = unused.filter((f) => f.file === want.file && f.line === want.line).map((f) => f.message);
            expect(index, `no finding at ${want.file}:${want.line}:${want.column} matching ${String(want.message)}; got:\n${candidates.join('\n')}`).toBeGreaterThanOrEqual(0);
            const [got] = unused.splice(index, 1);
            expect(got.ruleId).toBe(rule.meta.id);
            if (want.endLine !== undefined) expect(got.endLine).toBe(want.endLine);
            if (want.endColumn !== undefined) expect(got.endColumn).toBe(want.endColumn);
            if (want.severity !== undefined) expect(got.severity).toBe(want.severity);
            if (want.data !== undefined) expect(got.data).toMatchObject(want.data);
            if (want.cluster !== undefined) expect(got.cluster).toBe(want.cluster);
            if (want.related !== undefined) {
              expect(got.related).toHaveLength(want.related.length);
              want.related.forEach((r, k) => expect(got.related[k]).toMatchObject(r));
            }
          }
        });
      }
    });
  });
}
