import { describe, expect, it } from 'vitest';
import rule from '../../rules/cilium-policy-cluster.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { lintScenario } from '../helpers/scenario.js';

const values = (name: string, id: number) => `cluster:\n  name: ${name}\n  id: ${id}\nclustermesh:\n  useAPIServer: false\n`;
/**
 * A CiliumNetworkPolicy for `name: x-wing` with one `section` rule (`ingress`, `egressDeny`...)
 * whose `peer` (`fromEndpoints`, `toEndpoints`) is the list `lines` (lines 9+ of the document).
 */
const policy = (lines: string[], section = 'ingress', peer = 'fromEndpoints') =>
  [
    'apiVersion: cilium.io/v2',
    'kind: CiliumNetworkPolicy',
    'metadata: {name: allow-cross-cluster, namespace: shop}',
    'spec:',
    '  endpointSelector:',
    '    matchLabels: {name: x-wing}',
    `  ${section}:`,
    `  - ${peer}:`,
    ...lines,
    '',
  ].join('\n');
const MESH = { 'east/cilium-values.yaml': values('cluster1', 1), 'west/cilium-values.yaml': values('cluster2', 2) };
const POLICY = 'CiliumNetworkPolicy "shop/allow-cross-cluster"';
const KNOWN = '"cluster1", "cluster2"';

/** The repro of a real repository (cilium-examples variant): a deny rule and a NotIn naming clusters outside the mesh. */
const DENY_AND_NOT_IN = [
  'apiVersion: cilium.io/v2',
  'kind: CiliumClusterwideNetworkPolicy',
  'metadata:',
  '  name: deny-from-legacy',
  'spec:',
  '  endpointSelector:',
  '    matchLabels:',
  '      name: rebel-base',
  '  ingressDeny:',
  '  - fromEndpoints:',
  '    - matchLabels:',
  '        io.cilium.k8s.policy.cluster: legacy-dc',
  '---',
  'apiVersion: cilium.io/v2',
  'kind: CiliumNetworkPolicy',
  'metadata:',
  '  name: not-from-staging',
  'spec:',
  '  endpointSelector:',
  '    matchLabels:',
  '      name: rebel-base',
  '  ingress:',
  '  - fromEndpoints:',
  '    - matchExpressions:',
  '      - key: io.cilium.k8s.policy.cluster',
  '        operator: NotIn',
  '        values: ["staging"]',
  '',
].join('\n');

ruleTester(rule, {
  valid: [
    {
      name: 'selectors naming clusters of the mesh (Cilium docs example), with a source prefix and in expressions',
      files: {
        ...MESH,
        'east/policy.yaml': policy([
          '    - matchLabels:',
          '        name: rebel-base',
          '        io.cilium.k8s.policy.cluster: cluster2',
          '    - matchLabels:',
          '        k8s:io.cilium.k8s.policy.cluster: cluster1',
          '    - matchExpressions:',
          '      - {key: io.cilium.k8s.policy.cluster, operator: In, values: [cluster1, cluster2]}',
        ]),
      },
    },
    {
      name: 'deny rules and the endpoint selector naming clusters of the mesh',
      files: {
        ...MESH,
        'east/policy.yaml': policy(['    - matchLabels: {io.cilium.k8s.policy.cluster: cluster2}'], 'egressDeny', 'toEndpoints'),
        'west/policy.yaml':
          'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: x, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {io.cilium.k8s.policy.cluster: cluster2}}\n',
      },
    },
    {
      name: 'NotIn a name outside the mesh excludes nothing: no problem (a note, see below)',
      files: {
        ...MESH,
        'east/policy.yaml': policy(['    - matchExpressions:', '      - {key: io.cilium.k8s.policy.cluster, operator: NotIn, values: [staging]}']),
      },
    },
    {
      name: 'Exists and DoesNotExist name no cluster',
      files: {
        ...MESH,
        'east/policy.yaml': policy([
          '    - matchExpressions:',
          '      - {key: io.cilium.k8s.policy.cluster, operator: Exists, values: [staging]}',
          '      - {key: io.cilium.k8s.policy.cluster, operator: DoesNotExist}',
        ]),
      },
    },
    {
      name: 'no cluster states its Cilium name: not checked',
      files: { 'east/policy.yaml': policy(['    - matchLabels:', '        io.cilium.k8s.policy.cluster: somewhere']) },
    },
    {
      name: 'placeholders and garbage are skipped',
      files: {
        ...MESH,
        'east/policy.yaml': policy([
          '    - matchLabels:',
          '        io.cilium.k8s.policy.cluster: ${REMOTE_CLUSTER}',
          '    - matchExpressions: [{key: io.cilium.k8s.policy.cluster, operator: Exists}, 7, {key: io.cilium.k8s.policy.cluster, operator: In, values: 3}]',
        ]),
      },
    },
  ],
  invalid: [
    {
      name: 'an allow rule naming a cluster no cluster of the mesh has: the traffic it allows is dropped',
      files: {
        ...MESH,
        'east/policy.yaml': policy([
          '    - matchLabels:',
          '        io.cilium.k8s.policy.cluster: west',
          '    - matchExpressions:',
          '      - key: any:io.cilium.k8s.policy.cluster',
          '        operator: In',
          '        values: [cluster2, cluster3]',
        ]),
      },
      findings: [
        {
          file: 'east/policy.yaml',
          line: 10,
          column: 39,
          severity: 2,
          cluster: 'east',
          messageId: 'unknownCluster',
          data: { policy: POLICY, cluster: 'east', key: 'io.cilium.k8s.policy.cluster', value: 'west', known: KNOWN },
        },
        { file: 'east/policy.yaml', line: 14, column: 28, messageId: 'unknownCluster', data: { key: 'any:io.cilium.k8s.policy.cluster', value: 'cluster3' } },
      ],
    },
    {
      name: 'CiliumClusterwideNetworkPolicy specs[] egress toEndpoints',
      files: {
        ...MESH,
        'west/ccnp.yaml':
          'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: to-db}\nspecs:\n- endpointSelector: {}\n  egress:\n  - toEndpoints:\n    - matchLabels: {io.cilium.k8s.policy.cluster: cluster-3}\n',
      },
      findings: [{ file: 'west/ccnp.yaml', line: 8, column: 51, messageId: 'unknownCluster', data: { policy: 'CiliumClusterwideNetworkPolicy "to-db"', value: 'cluster-3' } }],
    },
    {
      name: 'a deny rule naming an unknown cluster denies nothing (real repository: ingressDeny from legacy-dc; its NotIn is a note)',
      files: { ...MESH, 'west/ccnp.yaml': DENY_AND_NOT_IN },
      findings: [
        {
          file: 'west/ccnp.yaml',
          line: 12,
          column: 39,
          severity: 2,
          cluster: 'west',
          messageId: 'unknownClusterDeny',
          data: { policy: 'CiliumClusterwideNetworkPolicy "deny-from-legacy"', cluster: 'west', key: 'io.cilium.k8s.policy.cluster', value: 'legacy-dc', known: KNOWN },
        },
      ],
    },
    {
      name: 'egressDeny toEndpoints with an In expression: only the unknown value',
      files: {
        ...MESH,
        'east/policy.yaml': policy(
          ['    - matchExpressions:', '      - {key: k8s:io.cilium.k8s.policy.cluster, operator: In, values: [cluster2, cluster-2]}'],
          'egressDeny',
          'toEndpoints',
        ),
      },
      findings: [{ file: 'east/policy.yaml', line: 10, column: 82, messageId: 'unknownClusterDeny', data: { key: 'k8s:io.cilium.k8s.policy.cluster', value: 'cluster-2' } }],
    },
    {
      name: 'the endpoint selector naming an unknown cluster: the policy applies to no endpoint',
      files: {
        ...MESH,
        'east/policy.yaml': [
          'apiVersion: cilium.io/v2',
          'kind: CiliumNetworkPolicy',
          'metadata: {name: x-wing-egress, namespace: shop}',
          'spec:',
          '  endpointSelector:',
          '    matchLabels:',
          '      name: x-wing',
          '      io.cilium.k8s.policy.cluster: cluster-1',
          '  egress:',
          '  - toEndpoints:',
          '    - matchLabels: {io.cilium.k8s.policy.cluster: cluster2}',
          '',
        ].join('\n'),
      },
      findings: [
        {
          file: 'east/policy.yaml',
          line: 8,
          column: 37,
          severity: 2,
          cluster: 'east',
          messageId: 'unknownClusterSubject',
          data: { policy: 'CiliumNetworkPolicy "shop/x-wing-egress"', value: 'cluster-1', known: KNOWN },
        },
      ],
    },
  ],
});

describe('cilium-policy-cluster notes', () => {
  it('NotIn a name outside the mesh is a note: it excludes nothing and drops no traffic (real repository: not-from-staging)', async () => {
    const { findings, notes } = await lintScenario({ ...MESH, 'west/ccnp.yaml': DENY_AND_NOT_IN }, { rules: [rule] });
    expect(findings.map((f) => [f.messageId, f.line])).toEqual([['unknownClusterDeny', 12]]);
    expect(notes.map((n) => [n.cluster, n.line, n.column, n.messageId])).toEqual([['west', 27, 18, 'unknownClusterNotIn']]);
    expect(notes[0].data).toEqual({ policy: 'CiliumNetworkPolicy "not-from-staging"', cluster: 'west', key: 'io.cilium.k8s.policy.cluster', value: 'staging', known: KNOWN });
    expect(notes[0].message).toBe(
      'CiliumNetworkPolicy "not-from-staging" in cluster "west" excludes io.cilium.k8s.policy.cluster: "staging" (NotIn), which is no cluster of the mesh ("cluster1", "cluster2").',
    );
    expect(notes[0].hint).toContain('NotIn excludes nothing by it, and the selector still matches the endpoints of every cluster of the mesh; no traffic is dropped for this.');
  });

  it('NotIn in a deny rule and with a mesh name among the values: a note for the unknown value only', async () => {
    const { findings, notes } = await lintScenario(
      {
        ...MESH,
        'east/policy.yaml': policy(['    - matchExpressions:', '      - {key: io.cilium.k8s.policy.cluster, operator: NotIn, values: [cluster1, cluster-3]}'], 'ingressDeny'),
      },
      { rules: [rule] },
    );
    expect(findings).toEqual([]);
    expect(notes.map((n) => [n.line, n.column, n.messageId, n.data?.value])).toEqual([[10, 81, 'unknownClusterNotIn', 'cluster-3']]);
  });
});

describe('cilium-policy-cluster hints', () => {
  it('say what the unknown name does by the role of its selector: allow dropped, deny denies nothing, subject not applied', async () => {
    const { findings } = await lintScenario(
      {
        ...MESH,
        'west/ccnp.yaml': DENY_AND_NOT_IN,
        'east/allow.yaml': policy(['    - matchLabels: {io.cilium.k8s.policy.cluster: west}']),
        'east/subject.yaml':
          'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: x, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {io.cilium.k8s.policy.cluster: east}}\n',
      },
      { rules: [rule] },
    );
    const hints = new Map(findings.map((f) => [f.messageId ?? '', f.hint ?? '']));
    expect([...hints.keys()].sort()).toEqual(['unknownCluster', 'unknownClusterDeny', 'unknownClusterSubject']);
    expect(hints.get('unknownCluster')).toContain('the traffic it should allow with them is dropped');
    expect(hints.get('unknownClusterDeny')).toContain('denies nothing: the traffic it was written to deny is allowed');
    expect(hints.get('unknownClusterDeny')).not.toContain('dropped');
    expect(hints.get('unknownClusterSubject')).toContain('the policy applies to no endpoint by it');
  });
});
