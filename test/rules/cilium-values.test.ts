import { relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import meshRule from '../../rules/cilium-clustermesh-config.js';
import policyRule from '../../rules/cilium-policy-cluster.js';
import rule from '../../rules/cilium-values.js';
import { lint } from '../../src/lint.js';
import { ruleTester } from '../helpers/rule-tester.js';

// Cilium values: `cluster` on lines 1-3, then `extra` lines from line 4.
const values = (name: string, ...extra: string[]) => ['cluster:', `  name: ${name}`, '  id: 1', 'ipam:', '  mode: cluster-pool', ...extra, ''].join('\n');
const TUNNEL_FAILURE = 'tunnel was deprecated in v1.14 and has been removed in v1.15. For details please refer to https://docs.cilium.io/en/v1.15/operations/upgrade/#helm-options';
const helmRelease = (version: string, valuesFrom = '') =>
  [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata: {name: cilium, namespace: kube-system}',
    'spec:',
    '  chart:',
    '    spec:',
    '      chart: cilium',
    `      version: "${version}"`,
    '      sourceRef: {kind: HelmRepository, name: cilium}',
    ...(valuesFrom ? ['  valuesFrom:', `  - {kind: ConfigMap, name: ${valuesFrom}}`] : []),
    '',
  ].join('\n');
const wrapped = (name: string) =>
  [
    'apiVersion: v1',
    'kind: ConfigMap',
    `metadata: {name: ${name}, namespace: kube-system}`,
    'data:',
    '  values.yaml: |',
    '    cluster: {name: east, id: 1}',
    '    ipam: {mode: kubernetes}',
    '',
  ].join('\n');

ruleTester(rule, {
  valid: [
    {
      name: 'current keys (routingMode, tunnelProtocol, clusterPoolIPv4PodCIDRList)',
      files: { 'east/cilium-values.yaml': values('east', 'routingMode: tunnel', 'tunnelProtocol: vxlan', 'hubble: {enabled: true}', 'MTU: 1450') },
    },
    {
      name: 'tunnel with a chart older than 1.15',
      files: { 'east/cilium-values.yaml': values('east', 'tunnel: vxlan'), 'east/release.yaml': helmRelease('1.14.5') },
    },
    {
      name: 'tunnel: "" is not acted on by the chart',
      files: { 'east/cilium-values.yaml': values('east', 'tunnel: ""') },
    },
    {
      name: 'a values ConfigMap read through valuesFrom',
      files: { 'east/values-cm.yaml': wrapped('cilium-values'), 'east/release.yaml': helmRelease('1.16.0', 'cilium-values') },
    },
    {
      name: 'values of another chart are not compared with Cilium keys',
      files: { 'east/values.yaml': 'replicaCount: 2\nimage: {tag: v1}\nclustermessh: 1\n' },
    },
    {
      name: 'bad input never crashes',
      files: { 'east/cilium-values.yaml': values('east', 'tunnel: [1]', 'clustermesh: 7', 'ipam: {operator: null}') },
    },
  ],
  invalid: [
    {
      name: 'tunnel with chart 1.16: the chart fails the install',
      files: { 'east/cilium-values.yaml': values('east', 'tunnel: vxlan'), 'east/release.yaml': helmRelease('1.16.3') },
      findings: [
        {
          file: 'east/cilium-values.yaml',
          line: 6,
          column: 1,
          severity: 2,
          cluster: 'east',
          messageId: 'removed',
          data: { key: 'tunnel', cluster: 'east', version: '1.16.3', since: '1.15', failure: TUNNEL_FAILURE },
          related: [{ file: 'east/release.yaml', line: 8, column: 16 }],
        },
      ],
    },
    {
      name: 'tunnel without a chart version: a warning for chart ≥ 1.15',
      files: { 'east/cilium-values.yaml': values('east', 'tunnel: disabled') },
      findings: [
        {
          file: 'east/cilium-values.yaml',
          line: 6,
          column: 1,
          severity: 1,
          messageId: 'removedUnknownVersion',
          data: { key: 'tunnel', cluster: 'east', since: '1.15', failure: TUNNEL_FAILURE },
          message: ['chart ≥ 1.15'],
        },
      ],
    },
    {
      name: 'the removed Cluster Mesh CA keys',
      files: {
        'east/cilium-values.yaml': values('east', 'clustermesh:', '  apiserver:', '    tls:', '      ca:', '        cert: Zm9v', '        key: YmFy'),
        'east/release.yaml': helmRelease('~1.15.0'),
      },
      findings: [
        {
          file: 'east/cilium-values.yaml',
          line: 10,
          column: 9,
          messageId: 'removed',
          data: { key: 'clustermesh.apiserver.tls.ca.cert', version: '~1.15.0', replacement: 'tls.ca.cert' },
        },
        { file: 'east/cilium-values.yaml', line: 11, column: 9, messageId: 'removed', data: { key: 'clustermesh.apiserver.tls.ca.key', replacement: 'tls.ca.key' } },
      ],
    },
    {
      name: 'the singular clusterPoolIPv4PodCIDR is ignored',
      files: { 'east/cilium-values.yaml': values('east', '  operator:', '    clusterPoolIPv4PodCIDR: 10.42.0.0/16') },
      findings: [
        {
          file: 'east/cilium-values.yaml',
          line: 7,
          column: 5,
          severity: 1,
          messageId: 'ignored',
          data: { key: 'ipam.operator.clusterPoolIPv4PodCIDR', replacement: 'ipam.operator.clusterPoolIPv4PodCIDRList' },
        },
      ],
    },
    {
      name: 'misspelt top-level keys',
      files: { 'east/cilium-values.yaml': values('east', 'clustermessh:', '  useAPIServer: true', 'mtu: 1450', 'kubeProxyReplacment: true') },
      findings: [
        { file: 'east/cilium-values.yaml', line: 6, column: 1, severity: 1, messageId: 'misspelt', data: { key: 'clustermessh', suggestion: 'clustermesh' } },
        { file: 'east/cilium-values.yaml', line: 8, column: 1, severity: 1, messageId: 'misspelt', data: { key: 'mtu', suggestion: 'MTU' } },
        { file: 'east/cilium-values.yaml', line: 9, column: 1, severity: 1, messageId: 'misspelt', data: { key: 'kubeProxyReplacment', suggestion: 'kubeProxyReplacement' } },
      ],
    },
    {
      name: 'values without cluster.name are recognised by Cilium-only keys',
      files: { 'east/values.yaml': 'kubeProxyReplacement: true\nroutingMode: native\nnativeRoutingCIDR: 10.0.0.0/8\n' },
      findings: [{ file: 'east/values.yaml', line: 3, column: 1, severity: 1, messageId: 'ignored', data: { key: 'nativeRoutingCIDR', replacement: 'ipv4NativeRoutingCIDR' } }],
    },
    {
      name: 'a values ConfigMap no HelmRelease reads',
      files: { 'east/values-cm.yaml': wrapped('cilium-values'), 'east/release.yaml': helmRelease('1.16.0', 'other-values') },
      findings: [{ file: 'east/values-cm.yaml', line: 5, column: 3, severity: 1, messageId: 'wrapped', data: { configMap: 'cilium-values', cluster: 'east', key: 'values.yaml' } }],
    },
  ],
});

describe('fixtures/cilium-values-mesh (a Cluster Mesh written from a tutorial)', () => {
  it('reports values, mesh wiring and policy problems, each at its line', async () => {
    const root = resolve(import.meta.dirname, '..', '..', 'fixtures', 'cilium-values-mesh');
    const result = await lint({ dirs: [root], rules: [rule, meshRule, policyRule] });
    const rel = (f: string) => relative(root, f).split('\\').join('/');
    const found = result.findings.map(
      (f) => `${rel(f.file)}:${f.line}:${f.column} ${f.ruleId} ${f.messageId} ${f.related.map((r) => `${rel(r.file)}:${r.line}:${r.column}`).join(' ')}`,
    );
    expect(found.sort()).toEqual(
      [
        'cluster-a/cilium-values-configmap.yaml:9:3 cilium-values wrapped ',
        'cluster-a/cilium-values.yaml:12:5 cilium-clustermesh-config missingPeer cluster-b/cilium-values.yaml:2:9',
        'cluster-a/cilium-values.yaml:16:15 cilium-clustermesh-config unknownPeer ',
        'cluster-a/cilium-values.yaml:22:5 cilium-values ignored ',
        'cluster-a/cilium-values.yaml:24:1 cilium-values removed cluster-a/release.yaml:11:16',
        'cluster-a/policies.yaml:14:43 cilium-policy-cluster unknownCluster ',
        'cluster-b/cilium-values.yaml:18:1 cilium-values misspelt ',
        'cluster-b/clustermesh-secret.yaml:2:1 cilium-clustermesh-config missingPeer cluster-a/cilium-values.yaml:2:9',
        'cluster-b/clustermesh-secret.yaml:8:3 cilium-clustermesh-config unknownSecretPeer ',
        'cluster-b/clustermesh-secret.yaml:8:3 cilium-clustermesh-config missingFile ',
      ].sort(),
    );
    expect(result.notes.map((n) => `${rel(n.file)}:${n.line}:${n.column} ${n.messageId}`)).toEqual(['cluster-b/cilium-values.yaml:8:13 nodePort']);
  });
});
