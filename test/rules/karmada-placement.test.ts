import rule from '../../rules/karmada-placement.js';
import { ruleTester } from '../helpers/rule-tester.js';

/** Karmada `Cluster` objects, one document each: document i's name on line 4 + 7i, column 9. */
const clusters = (...names: string[]) =>
  names.map((n) => `apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: ${n}\nspec:\n  syncMode: Push\n`).join('---\n');
const clusterAt = (i: number) => ({ line: 4 + 7 * i, column: 9 });

/**
 * A PropagationPolicy in `default` selecting Deployment `selected` (item on line 8, column 5),
 * `clusterNames` item i on line 14 + i, column 9; `placement` lines follow at two-space indent.
 */
const policy = (selected: string, names: string[], placement: string[] = [], kind = 'PropagationPolicy') =>
  [
    'apiVersion: policy.karmada.io/v1alpha1',
    `kind: ${kind}`,
    'metadata:',
    '  name: web',
    ...(kind === 'PropagationPolicy' ? ['  namespace: default'] : ['  labels: {}']),
    'spec:',
    '  resourceSelectors:',
    '  - apiVersion: apps/v1',
    '    kind: Deployment',
    `    name: ${selected}`,
    '  placement:',
    '    clusterAffinity:',
    '      clusterNames:',
    ...names.map((n) => `      - ${n}`),
    ...placement.map((l) => `    ${l}`),
  ].join('\n') + '\n';
const nameAt = (i: number) => ({ line: 14 + i, column: 9 });

/** A Deployment `name` in `namespace`. */
const deployment = (name: string, namespace = 'default') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  template:\n    metadata:\n      labels:\n        app: ${name}\n`;

/** An OverridePolicy whose overrideRules[0].targetCluster.clusterNames[0] is on line 11, column 11. */
const override = (target: string) =>
  [
    'apiVersion: policy.karmada.io/v1alpha1',
    'kind: OverridePolicy',
    'metadata:',
    '  name: web-east',
    '  namespace: default',
    'spec:',
    '  overrideRules:',
    '  - targetCluster:',
    '      clusterNames:',
    '      - member1',
    `      - ${target}`,
    '    overriders:',
    '      imageOverrider:',
    '      - component: Registry',
    '        operator: replace',
    '        value: registry.example.com',
  ].join('\n') + '\n';

const member = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
const WEBHOOK = 'webhook';

ruleTester(rule, {
  valid: [
    {
      name: 'names registered members, weights name members, selects a Deployment of the repository',
      files: {
        'hub/clusters.yaml': clusters('member1', 'member2'),
        'hub/web.yaml': deployment('web'),
        'hub/policy.yaml': policy(
          'web',
          ['member1', 'member2'],
          [
            'replicaScheduling:',
            '  replicaSchedulingType: Divided',
            '  replicaDivisionPreference: Weighted',
            '  weightPreference:',
            '    staticWeightList:',
            '    - targetCluster:',
            '        clusterNames: [member2]',
            '      weight: 1',
            'spreadConstraints:',
            '- spreadByField: cluster',
            '  maxGroups: 2',
            '  minGroups: 1',
            '- spreadByField: region',
            '  maxGroups: 1',
          ],
        ),
        'hub/override.yaml': override('member2'),
      },
    },
    {
      name: "without Cluster objects the members are the set's clusters (folder names)",
      files: { 'hub/policy.yaml': policy('web', ['member1', 'member2']), 'member1/ns.yaml': member, 'member2/ns.yaml': member },
    },
    {
      name: 'a member in Pull mode registers its own Cluster object: its folder counts beside the Cluster objects kept in the repository',
      files: {
        'hub/clusters.yaml': clusters('member1'),
        'hub/web.yaml': deployment('web'),
        'hub/policy.yaml': policy('web', ['member1', 'member3']),
        'member3/ns.yaml': member,
      },
    },
    {
      name: 'staticWeightList target field selectors are not validated by the webhook (only cluster affinities are)',
      files: {
        'hub/clusters.yaml': clusters('member1', 'member2'),
        'hub/web.yaml': deployment('web'),
        'hub/policy.yaml': policy(
          'web',
          ['member1', 'member2'],
          [
            'replicaScheduling:',
            '  replicaSchedulingType: Divided',
            '  replicaDivisionPreference: Weighted',
            '  weightPreference:',
            '    staticWeightList:',
            '    - targetCluster:',
            '        fieldSelector:',
            '          matchExpressions:',
            '          - {key: provider, operator: Exists}',
            '      weight: 1',
          ],
        ),
      },
    },
    {
      name: 'one cluster and no Cluster objects: members unknown, nothing judged',
      files: { 'karmada/policy.yaml': policy('web', ['anything']) },
    },
    {
      name: 'a selector for a kind the repository has no object of (rendered elsewhere) is not judged',
      files: { 'hub/clusters.yaml': clusters('member1'), 'hub/policy.yaml': policy('web', ['member1']) },
    },
    {
      name: 'a PropagationPolicy without metadata.namespace matches a template of the name in any namespace (it may be applied there)',
      files: {
        'hub/clusters.yaml': clusters('member1'),
        'hub/api.yaml': deployment('api').replace('  namespace: default\n', ''),
        'hub/echo.yaml': deployment('echo', 'demo'),
        'hub/policy.yaml': policy('echo', ['member1']).replace('  namespace: default\n', ''),
      },
    },
    {
      name: 'a ClusterPropagationPolicy finds the Deployment in any namespace; placeholders and wrong types never count',
      files: {
        'hub/clusters.yaml': clusters('member1'),
        'hub/web.yaml': deployment('web', 'shop'),
        'hub/policy.yaml': policy('web', ['member1', '${MEMBER}', '42', '{a: b}'], [], 'ClusterPropagationPolicy'),
        'hub/garbage.yaml':
          'apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata:\n  name: g\nspec:\n  resourceSelectors: 7\n  placement:\n    clusterAffinity: [1]\n    clusterAffinities: {a: 1}\n    spreadConstraints: "x"\n',
      },
    },
    {
      name: 'the selected Deployment lives in another folder of the set: found there',
      files: { 'hub/clusters.yaml': clusters('member1'), 'hub/api.yaml': deployment('api'), 'apps/web.yaml': deployment('web'), 'hub/policy.yaml': policy('web', ['member1']) },
    },
    {
      name: "the policy's cluster has no object of the selected kind (templates kept elsewhere): not judged",
      files: { 'hub/clusters.yaml': clusters('member1'), 'apps/api.yaml': deployment('api'), 'hub/policy.yaml': policy('web', ['member1']) },
    },
    {
      name: "the policy's namespace holds no template of the kind (only other namespaces do): not judged",
      files: { 'hub/clusters.yaml': clusters('member1'), 'hub/api.yaml': deployment('api', 'monitoring'), 'hub/policy.yaml': policy('web', ['member1']) },
    },
  ],
  invalid: [
    {
      name: 'a typo of a registered member: error at the item, related the nearest Cluster',
      files: { 'hub/clusters.yaml': clusters('member1', 'member2'), 'hub/policy.yaml': policy('web', ['member1', 'membr2']) },
      findings: [
        {
          file: 'hub/policy.yaml',
          ...nameAt(1),
          severity: 2,
          cluster: 'hub',
          messageId: 'unknownCluster',
          data: {
            name: 'membr2',
            field: 'placement.clusterAffinity.clusterNames',
            object: 'PropagationPolicy "web"',
            suggestion: ' (did you mean "member2"?)',
            members: 'member1, member2',
          },
          related: [{ file: 'hub/clusters.yaml', ...clusterAt(1), cluster: 'hub' }],
        },
      ],
    },
    {
      name: 'a name far from every member: related are the Cluster objects; override targets count too',
      files: { 'hub/clusters.yaml': clusters('member1', 'member2'), 'hub/policy.yaml': policy('web', ['member1']), 'hub/override.yaml': override('eu-central') },
      findings: [
        {
          file: 'hub/override.yaml',
          line: 11,
          column: 9,
          messageId: 'unknownCluster',
          data: { name: 'eu-central', field: 'overrideRules.targetCluster.clusterNames', object: 'OverridePolicy "web-east"', suggestion: '' },
          related: [
            { file: 'hub/clusters.yaml', ...clusterAt(0) },
            { file: 'hub/clusters.yaml', ...clusterAt(1) },
          ],
        },
      ],
    },
    {
      name: 'without Cluster objects, a name that is no cluster of the set is a warning',
      files: { 'hub/policy.yaml': policy('web', ['member1', 'member3']), 'member1/ns.yaml': member, 'member2/ns.yaml': member },
      findings: [
        {
          file: 'hub/policy.yaml',
          ...nameAt(1),
          severity: 1,
          messageId: 'notInSet',
          data: { name: 'member3', suggestion: ' (did you mean "member1"?)', members: 'hub, member1, member2' },
        },
      ],
    },
    {
      name: "the webhook's validations, in its words, at the offending field",
      files: {
        'hub/clusters.yaml': clusters('member1'),
        'hub/policy.yaml': policy(
          'web',
          ['member1'],
          [
            'clusterAffinities:',
            '- affinityName: primary',
            '  clusterNames: [member1]',
            '- affinityName: primary',
            '- affinityName: -bad-',
            '  fieldSelector:',
            '    matchExpressions:',
            '    - key: country',
            '      operator: Exists',
            'spreadConstraints:',
            '- spreadByField: region',
            '  spreadByLabel: tier',
            '  maxGroups: 1',
            '  minGroups: 2',
            '- spreadByField: region',
            '  minGroups: -1',
          ],
        ),
      },
      findings: [
        { file: 'hub/policy.yaml', line: 11, column: 3, messageId: WEBHOOK, data: { reason: 'clusterAffinities cannot co-exist with clusterAffinity' } },
        { file: 'hub/policy.yaml', line: 18, column: 21, messageId: WEBHOOK, data: { reason: 'each affinity term in a policy must have a unique name' } },
        { file: 'hub/policy.yaml', line: 19, column: 21, messageId: WEBHOOK, data: { reason: 'affinityName "-bad-" is not a qualified name' } },
        { file: 'hub/policy.yaml', line: 22, column: 16, messageId: WEBHOOK, data: { reason: 'unsupported key "country", must be provider, region, or zone' } },
        { file: 'hub/policy.yaml', line: 23, column: 21, messageId: WEBHOOK, data: { reason: 'unsupported operator "Exists", must be In or NotIn' } },
        { file: 'hub/policy.yaml', line: 25, column: 7, messageId: WEBHOOK, data: { reason: 'maxGroups lower than minGroups is not allowed' } },
        { file: 'hub/policy.yaml', line: 25, column: 7, messageId: WEBHOOK, data: { reason: 'spreadByLabel should not co-exist with spreadByField' } },
        {
          file: 'hub/policy.yaml',
          line: 25,
          column: 7,
          messageId: WEBHOOK,
          data: { reason: 'the cluster spread constraint must be enabled in one of the constraints in case of SpreadByField is enabled' },
        },
        { file: 'hub/policy.yaml', line: 29, column: 7, messageId: WEBHOOK, data: { reason: 'minGroups lower than 0 is not allowed' } },
        { file: 'hub/policy.yaml', line: 29, column: 7, messageId: WEBHOOK, data: { reason: 'multiple region spread constraints are not allowed' } },
      ],
    },
    {
      name: 'preemption Always with a selector without name',
      files: {
        'hub/clusters.yaml': clusters('member1'),
        'hub/policy.yaml':
          'apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata:\n  name: all\n  namespace: default\nspec:\n  preemption: Always\n  resourceSelectors:\n  - apiVersion: apps/v1\n    kind: Deployment\n  placement:\n    clusterAffinity:\n      clusterNames: [member1]\n',
      },
      findings: [
        {
          file: 'hub/policy.yaml',
          line: 9,
          column: 5,
          messageId: WEBHOOK,
          data: { object: 'PropagationPolicy "all"', reason: 'name cannot be empty if preemption is Always, the empty name may cause unexpected resources preemption' },
        },
      ],
    },
    {
      name: 'a selector naming a Deployment the repository lacks while its namespace holds others (one of that name in another namespace does not count): warning at the selector',
      files: {
        'hub/clusters.yaml': clusters('member1'),
        'hub/web.yaml': deployment('web', 'shop'),
        'hub/api.yaml': deployment('api'),
        'apps/api.yaml': deployment('api'),
        'hub/policy.yaml': policy('web', ['member1']),
      },
      findings: [
        {
          file: 'hub/policy.yaml',
          line: 8,
          column: 5,
          severity: 1,
          cluster: 'hub',
          messageId: 'selectsNothing',
          data: { object: 'PropagationPolicy "web"', kind: 'Deployment', name: 'web', namespace: 'namespace default', ofKind: 1 },
        },
      ],
    },
    {
      // karmada-samples samples/echo: the policy and its Deployment are applied with `kubectl -n`.
      name: 'a PropagationPolicy without metadata.namespace selects in the namespace it is applied to: counted against the templates applied with it',
      files: {
        'hub/clusters.yaml': clusters('member1'),
        'hub/api.yaml': deployment('api').replace('  namespace: default\n', ''),
        'hub/other.yaml': deployment('other', 'shop'),
        'hub/policy.yaml': policy('echo', ['member1']).replace('  namespace: default\n', ''),
      },
      findings: [
        {
          file: 'hub/policy.yaml',
          line: 7,
          column: 5,
          severity: 1,
          cluster: 'hub',
          messageId: 'selectsNothing',
          data: { object: 'PropagationPolicy "web"', kind: 'Deployment', name: 'echo', namespace: 'its namespace (chosen at apply time)', ofKind: 1 },
        },
      ],
    },
    {
      name: 'a ClusterPropagationPolicy selector without namespace looks in any namespace',
      files: {
        'hub/clusters.yaml': clusters('member1'),
        'hub/api.yaml': deployment('api', 'shop'),
        'hub/policy.yaml': policy('echo', ['member1'], [], 'ClusterPropagationPolicy'),
      },
      findings: [
        {
          file: 'hub/policy.yaml',
          line: 8,
          column: 5,
          severity: 1,
          messageId: 'selectsNothing',
          data: { object: 'ClusterPropagationPolicy "web"', name: 'echo', namespace: 'any namespace', ofKind: 1 },
        },
      ],
    },
  ],
});
