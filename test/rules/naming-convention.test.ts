import { describe, expect, it } from 'vitest';
import rule from '../../rules/naming-convention.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { lintScenario, yaml } from '../helpers/scenario.js';

const config = (options: string, clusters: string[]) =>
  `rules:\n  naming-convention: [error, ${options}]\nclusters:\n${clusters.map((c) => `  - name: ${c}\n    path: ${c}\n`).join('')}`;
// config(): cluster i's name value at line 4 + 2i, column 11.
const nameAt = (i: number) => ({ file: 'mclint.config.yaml', line: 4 + 2 * i, column: 11 });

const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n';
const dirs = (...names: string[]) => Object.fromEntries(names.map((n) => [`${n}/ns.yaml`, namespace]));
const property = (labels: string) => yaml`
  apiVersion: about.k8s.io/v1alpha1
  kind: ClusterProperty
  metadata:
    name: cluster.clusterset.k8s.io
    labels: ${labels}
  spec:
    value: prod-usw1-gen-01
`;

ruleTester(rule, {
  valid: [
    {
      name: 'names following the env-region-purpose-nn preset',
      files: { 'mclint.config.yaml': config('{ preset: env-region-purpose-nn }', ['prod-usw1-gen-01', 'dev-euc1-ml-12']), ...dirs('prod-usw1-gen-01', 'dev-euc1-ml-12') },
    },
    {
      name: 'names matching a custom pattern',
      files: { 'mclint.config.yaml': config("{ pattern: '^(east|west)-[0-9]+$' }", ['east-1', 'west-2']), ...dirs('east-1', 'west-2') },
    },
    {
      name: 'required labels present on the ClusterProperty',
      files: {
        'mclint.config.yaml': config('{ preset: env-region-purpose-nn, requiredLabels: [topology.kubernetes.io/region] }', ['prod-usw1-gen-01']),
        'prod-usw1-gen-01/id.yaml': property('{ topology.kubernetes.io/region: us-west-1 }'),
      },
    },
  ],
  invalid: [
    {
      name: 'names breaking the preset, each part explained',
      files: {
        'mclint.config.yaml': config('{ preset: env-region-purpose-nn }', ['production-usw1-gen-01', 'prod-uswest-gen-01', 'prod-usw1-gen-1', 'east']),
        ...dirs('production-usw1-gen-01', 'prod-uswest-gen-01', 'prod-usw1-gen-1', 'east'),
      },
      findings: [
        { ...nameAt(0), cluster: 'production-usw1-gen-01', message: ['Cluster name "production-usw1-gen-01" (config clusters[].name)', 'its environment "production" should be one of prod, stag, dev, test'] },
        { ...nameAt(1), message: ['its region code "uswest" should be letters then a digit'] },
        { ...nameAt(2), message: ['its number "1" should be two digits'] },
        { ...nameAt(3), message: ['it has 1 dash-separated part, the convention has 4'] },
      ],
    },
    {
      name: 'a directory name not matching a custom pattern',
      files: { 'mclint.config.yaml': "rules:\n  naming-convention: [warn, { pattern: '^[a-z]+-[0-9]+$' }]\n", ...dirs('east-1', 'West') },
      findings: [{ file: 'West', line: 1, column: 1, severity: 1, message: ['Cluster name "West" (directory name) breaks the naming convention: it does not match the pattern ^[a-z]+-[0-9]+$'] }],
    },
    {
      name: 'required labels missing, or no object to carry them',
      files: {
        'mclint.config.yaml': config('{ requiredLabels: [topology.kubernetes.io/region, env] }', ['prod-usw1-gen-01', 'prod-usw1-gen-02']),
        'prod-usw1-gen-01/id.yaml': property('{ env: prod }'),
        ...dirs('prod-usw1-gen-02'),
      },
      findings: [
        { file: 'prod-usw1-gen-01/id.yaml', line: 3, column: 1, message: ['Cluster "prod-usw1-gen-01" lacks the required label topology.kubernetes.io/region'] },
        { ...nameAt(1), message: ['Cluster "prod-usw1-gen-02" needs the labels topology.kubernetes.io/region, env, but no ClusterProperty or Karmada Cluster object describes it'] },
      ],
    },
  ],
});

describe('naming-convention options', () => {
  it('is off unless configured', async () => {
    const { findings } = await lintScenario({ ...dirs('East_1') }, { rules: [rule] });
    expect(findings).toEqual([]);
  });
  it('rejects a pattern that is not a regular expression (config error)', async () => {
    await expect(lintScenario({ 'mclint.config.yaml': "rules:\n  naming-convention: [error, { pattern: '(' }]\n", ...dirs('a') }, { rules: [rule] })).rejects.toThrow(
      /invalid options for rule "naming-convention"/,
    );
  });
});
