import { defineRule, type ClusterModel, type ClusterSetModel } from './kit.js';

/**
 * Options of `naming-convention`.
 * - `pattern`: a JavaScript regular expression every cluster name must match.
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

/** What is wrong with `name` under the preset, or undefined when it follows it. */
function presetProblem(name: string): string | undefined {
  const parts = name.split('-');
  if (parts.length !== PRESET_PARTS.length) {
    return `it has ${parts.length} dash-separated part${parts.length === 1 ? '' : 's'}, the convention has 4: <environment>-<region code>-<purpose>-<number>`;
  }
  const bad = PRESET_PARTS.findIndex((p, i) => !p.test.test(parts[i]));
  return bad < 0 ? undefined : `its ${PRESET_PARTS[bad].name} "${parts[bad]}" should be ${PRESET_PARTS[bad].expect}`;
}

/** The objects that carry a cluster's labels: its ClusterProperties and Karmada Clusters named after it. */
function labelCarriers(set: ClusterSetModel, cluster: ClusterModel): ClusterModel['identity']['clusterPropertyObjects'] {
  const karmada = set.clusters.flatMap((c) => c.identity.karmadaClusters).filter((k) => k.name.value === cluster.name);
  return [...cluster.identity.clusterPropertyObjects, ...karmada];
}

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
  },
  check({ set, options, report }) {
    const pattern = options.pattern !== undefined ? new RegExp(options.pattern) : undefined;
    const preset = options.preset ?? (pattern ? undefined : 'env-region-purpose-nn');
    for (const cluster of set.clusters) {
      const { name, nameSource } = cluster;
      const problem = pattern ? (pattern.test(name) ? undefined : `it does not match the pattern ${pattern.source}`) : preset ? presetProblem(name) : undefined;
      if (problem) {
        report({
          message: `Cluster name "${name}" (${nameSource.source.origin}) breaks the naming convention${preset && !pattern ? ` ${preset}` : ''}: ${problem}.`,
          at: nameSource.source,
          cluster: name,
        });
      }
      const required = options.requiredLabels ?? [];
      if (required.length === 0) continue;
      const carriers = labelCarriers(set, cluster);
      if (carriers.length === 0) {
        report({
          message: `Cluster "${name}" needs the labels ${required.join(', ')}, but no ClusterProperty or Karmada Cluster object describes it. Add a ClusterProperty cluster.clusterset.k8s.io with those labels.`,
          at: nameSource.source,
          cluster: name,
        });
        continue;
      }
      for (const label of required) {
        if (carriers.some((c) => c.labels[label] !== undefined)) continue;
        const first = carriers[0].object;
        report({
          message: `Cluster "${name}" lacks the required label ${label}: none of its ClusterProperty or Karmada Cluster objects carries it. Add it to ${first.kind} "${first.name ?? ''}".`,
          at: { file: first.file, doc: first.doc, path: [...first.base, 'metadata'] },
          cluster: name,
        });
      }
    }
  },
});
