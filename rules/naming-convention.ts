import { compileUserPattern, defineRule, labelCarriers, type MessageData } from './kit.js';

/**
 * Options of `naming-convention`.
 * - `pattern`: a regular expression every cluster name must match somewhere (anchor it with `^…$`), in
 *   RE2 syntax: it runs on a linear-time engine (`compileUserPattern`), since a config from a pull
 *   request must not stall a run with catastrophic backtracking.
 * - `preset`: a built-in convention; `env-region-purpose-nn` is
 *   `<prod|stag|dev|test>-<region code>-<purpose>-<two digits>`, e.g. `prod-usw1-gen-01`.
 * - `requiredLabels`: label keys each cluster's ClusterProperty or Karmada Cluster objects must carry.
 */
export interface NamingOptions {
  readonly pattern?: string;
  readonly preset?: 'env-region-purpose-nn';
  readonly requiredLabels?: readonly string[];
}

/** The parts of the `env-region-purpose-nn` preset, each with what it accepts. */
const PRESET_PARTS: readonly { name: string; test: RegExp; expect: string }[] = [
  { name: 'environment', test: /^(prod|stag|dev|test)$/, expect: 'one of prod, stag, dev, test' },
  { name: 'region code', test: /^[a-z]{2,5}[0-9]{1,2}$/, expect: 'letters then a digit, like usw1 or euc1' },
  { name: 'purpose', test: /^[a-z][a-z0-9]*$/, expect: 'a lower-case word, like gen, edge, ml or data' },
  { name: 'number', test: /^[0-9]{2}$/, expect: 'two digits, like 01' },
];

/**
 * What is wrong with `name` under the preset, as a message id of the rule and its data (besides
 * the cluster's name and the preset), or undefined when the name follows it.
 */
function presetProblem(name: string): { messageId: 'presetShape' | 'presetPart'; data: MessageData } | undefined {
  const parts = name.split('-');
  if (parts.length !== PRESET_PARTS.length) return { messageId: 'presetShape', data: { parts: parts.length } };
  const bad = PRESET_PARTS.findIndex((p, i) => !p.test.test(parts[i]));
  return bad < 0 ? undefined : { messageId: 'presetPart', data: { part: PRESET_PARTS[bad].name, value: parts[bad], expected: PRESET_PARTS[bad].expect } };
}

const WHY = 'No controller enforces cluster names, but dashboards, GitOps generators and on-call habits parse them.';
const RENAME = `The name comes from the {{origin}}. ${WHY} Rename the cluster, or change the rule's pattern or preset.`;

/**
 * `naming-convention` (off unless configured): cluster names follow the organisation's pattern,
 * and the objects describing a cluster carry the labels it requires. No controller enforces this;
 * it keeps names parseable for the tools (dashboards, GitOps generators) that rely on them.
 */
export default defineRule<NamingOptions>({
  meta: {
    id: 'naming-convention',
    description: 'Cluster names follow a configured pattern or preset; ClusterProperty/Karmada Cluster objects carry required labels',
    severity: 'off',
    docs: 'docs/rules/naming-convention.md',
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        pattern: { type: 'string', minLength: 1, format: 'regex' },
        preset: { enum: ['env-region-purpose-nn'] },
        requiredLabels: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
      },
    },
    messages: {
      pattern: { text: 'Cluster name "{{name}}" does not match the naming pattern {{pattern}}.', hint: RENAME },
      presetShape: {
        text: 'Cluster name "{{name}}" breaks the naming convention {{preset}}: it has {{parts}} dash-separated part(s), not 4.',
        hint: `The convention is <environment>-<region code>-<purpose>-<number>. ${RENAME}`,
      },
      presetPart: { text: 'Cluster name "{{name}}" breaks the naming convention {{preset}}: its {{part}} "{{value}}" should be {{expected}}.', hint: RENAME },
      noLabelCarrier: {
        text: 'Cluster "{{name}}" needs the labels {{labels}}, but no ClusterProperty or Karmada Cluster object describes it.',
        hint: 'Add a ClusterProperty cluster.clusterset.k8s.io with those labels.',
      },
      missingLabel: {
        text: 'Cluster "{{name}}" lacks the required label {{label}} on its ClusterProperty and Karmada Cluster objects.',
        hint: 'None of the objects describing the cluster carries it. Add it to {{kind}} "{{object}}".',
      },
    },
  },
  check({ set, options, report }) {
    const pattern = options.pattern !== undefined ? compileUserPattern(options.pattern) : undefined;
    const preset = options.preset ?? (pattern ? undefined : 'env-region-purpose-nn');
    for (const cluster of set.clusters) {
      const { name, nameSource } = cluster;
      const named = { name, origin: nameSource.source.origin };
      const at = nameSource.source;
      if (pattern) {
        if (!pattern.test(name)) report({ messageId: 'pattern', data: { ...named, pattern: pattern.source }, at, cluster: name });
      } else if (preset) {
        const problem = presetProblem(name);
        if (problem) report({ messageId: problem.messageId, data: { ...named, preset, ...problem.data }, at, cluster: name });
      }
      const required = options.requiredLabels ?? [];
      if (required.length === 0) continue;
      const carriers = labelCarriers(set, cluster);
      if (carriers.length === 0) {
        report({ messageId: 'noLabelCarrier', data: { name, labels: required.join(', ') }, at, cluster: name });
        continue;
      }
      for (const label of required) {
        if (carriers.some((c) => c.labels[label] !== undefined)) continue;
        const first = carriers[0].object;
        report({
          messageId: 'missingLabel',
          data: { name, label, kind: first.kind, object: first.name ?? '' },
          at: { file: first.file, doc: first.doc, path: [...first.base, 'metadata'] },
          cluster: name,
        });
      }
    }
  },
});
