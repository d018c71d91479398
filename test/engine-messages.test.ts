/**
 * Messages as data (src/engine/messages.ts): a rule reports a message id and values; the engine
 * words the finding from the rule's `meta.messages`, and reporters carry the hint.
 */
import { describe, expect, it } from 'vitest';
import { defineRule } from '../rules/kit.js';
import { fillTemplate, wording } from '../src/engine/messages.js';
import { formatJson } from '../src/report/json.js';
import { lintScenario } from './helpers/scenario.js';

const meta = {
  id: 'demo',
  description: 'demo',
  severity: 'error' as const,
  docs: 'docs/rules/demo.md',
  messages: { clash: { text: 'Cluster "{{a}}" clashes with "{{ b }}".', hint: 'Rename {{a}}.' }, bare: { text: 'Plain {{n}}.' } },
};

describe('wording', () => {
  it.each([
    [
      { messageId: 'clash', data: { a: 'east', b: 'west' } },
      { message: 'Cluster "east" clashes with "west".', messageId: 'clash', hint: 'Rename east.', data: { a: 'east', b: 'west' } },
    ],
    [
      { messageId: 'bare', data: { n: 3 } },
      { message: 'Plain 3.', messageId: 'bare', data: { n: 3 } },
    ],
    [{ message: 'Finished text.' }, { message: 'Finished text.' }],
  ])('%j', (report, expected) => {
    expect(wording(meta, report)).toEqual(expected);
  });

  it('an undeclared message id or a missing value is the rule’s bug, said precisely', () => {
    expect(() => wording(meta, { messageId: 'nope' })).toThrow('rule "demo" reports message "nope", which its meta.messages does not declare');
    expect(() => wording(meta, { messageId: 'clash', data: { a: 'east' } })).toThrow('message "clash" of rule "demo" needs a value for {{b}}');
    expect(fillTemplate('{{x}} and {{x}}', { x: 1 }, 'here')).toBe('1 and 1');
  });
});

describe('end to end', () => {
  const rule = defineRule({
    meta,
    check({ set, report }) {
      const [a, b] = set.clusters;
      if (a && b) report({ messageId: 'clash', data: { a: a.name, b: b.name }, at: { file: set.anchor.file, doc: -1, path: [] }, cluster: a.name });
    },
  });
  const broken = defineRule({ meta: { ...meta, id: 'broken' }, check: ({ set, report }) => report({ messageId: 'nope', at: set.anchor }) });

  it('findings carry messageId, data and hint; JSON has messageId and hint', async () => {
    const r = await lintScenario(
      { 'east/a.yaml': 'kind: Namespace\napiVersion: v1\nmetadata:\n  name: a\n', 'west/a.yaml': 'kind: Namespace\napiVersion: v1\nmetadata:\n  name: a\n' },
      { rules: [rule] },
    );
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({
      ruleId: 'demo',
      messageId: 'clash',
      data: { a: 'east', b: 'west' },
      message: 'Cluster "east" clashes with "west".',
      hint: 'Rename east.',
    });
    const json = JSON.parse(formatJson({ findings: r.findings, files: r.files, stats: r.stats, colorLevel: 0, verbose: false })) as { messages: Record<string, unknown>[] }[];
    expect(json.flatMap((f) => f.messages)).toEqual([expect.objectContaining({ messageId: 'clash', hint: 'Rename east.', message: 'Cluster "east" clashes with "west".' })]);
  });

  it('a rule reporting an undeclared message id is an internal error of that rule, not a crash', async () => {
    const r = await lintScenario({ 'east/a.yaml': 'kind: Namespace\napiVersion: v1\nmetadata:\n  name: a\n' }, { rules: [broken] });
    expect(r.internalErrors.map((e) => [e.ruleId, e.message])).toEqual([['broken', 'rule "broken" reports message "nope", which its meta.messages does not declare']]);
  });
});
