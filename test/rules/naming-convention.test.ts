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
        {
          ...nameAt(0),
          severity: 2,
          cluster: 'production-usw1-gen-01',
          messageId: 'presetPart',
          data: {
            name: 'production-usw1-gen-01',
            origin: 'config clusters[].name',
            preset: 'env-region-purpose-nn',
            part: 'environment',
            value: 'production',
            expected: 'one of prod, stag, dev, test',
          },
        },
        {
          ...nameAt(1),
          cluster: 'prod-uswest-gen-01',
          messageId: 'presetPart',
          data: { name: 'prod-uswest-gen-01', part: 'region code', value: 'uswest', expected: 'letters then a digit, like usw1 or euc1' },
        },
        { ...nameAt(2), cluster: 'prod-usw1-gen-1', messageId: 'presetPart', data: { name: 'prod-usw1-gen-1', part: 'number', value: '1', expected: 'two digits, like 01' } },
        { ...nameAt(3), cluster: 'east', messageId: 'presetShape', data: { name: 'east', origin: 'config clusters[].name', preset: 'env-region-purpose-nn', parts: 1 } },
      ],
    },
    {
      name: 'a directory name not matching a custom pattern',
      files: { 'mclint.config.yaml': "rules:\n  naming-convention: [warn, { pattern: '^[a-z]+-[0-9]+$' }]\n", ...dirs('east-1', 'West') },
      findings: [
        { file: 'West', line: 1, column: 1, severity: 1, cluster: 'West', messageId: 'pattern', data: { name: 'West', origin: 'directory name', pattern: '^[a-z]+-[0-9]+$' } },
      ],
    },
    {
      name: 'required labels missing, or no object to carry them',
      files: {
        'mclint.config.yaml': config('{ requiredLabels: [topology.kubernetes.io/region, env] }', ['prod-usw1-gen-01', 'prod-usw1-gen-02']),
        'prod-usw1-gen-01/id.yaml': property('{ env: prod }'),
        ...dirs('prod-usw1-gen-02'),
      },
      findings: [
        {
          file: 'prod-usw1-gen-01/id.yaml',
          line: 3,
          column: 1,
          cluster: 'prod-usw1-gen-01',
          messageId: 'missingLabel',
          data: { name: 'prod-usw1-gen-01', label: 'topology.kubernetes.io/region', kind: 'ClusterProperty', object: 'cluster.clusterset.k8s.io' },
        },
        { ...nameAt(1), cluster: 'prod-usw1-gen-02', messageId: 'noLabelCarrier', data: { name: 'prod-usw1-gen-02', labels: 'topology.kubernetes.io/region, env' } },
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
