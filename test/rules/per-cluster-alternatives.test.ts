/**
 * Per-cluster alternatives (`src/model/alternatives.ts`): a component-first folder holding one
 * file per cluster (two kind Cluster configs, two kubeadm ClusterConfigurations, `values-<a>.yaml`
 * and `values-<b>.yaml`) is one cluster to mclint, but its files are never applied together, so
 * `istio-mesh-identity`, `cluster-identity` and `cidr-source-mismatch` note the folder once
 * instead of reporting their disagreements; layers of one install keep their conflicts.
 */
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import cidrSourceMismatch from '../../rules/cidr-source-mismatch.js';
import clusterIdentity from '../../rules/cluster-identity.js';
import istioMeshIdentity from '../../rules/istio-mesh-identity.js';
import { lintScenario, yaml, type Files } from '../helpers/scenario.js';

/** istiod Helm values: `clusterName` value at 4:18, `network` at 5:12. */
const istio = (clusterName: string, network: string) => yaml`
  global:
    meshID: mesh1
    multiCluster:
      clusterName: ${clusterName}
    network: ${network}
`;
/** A kind Cluster config: `name` value at 3:7, `podSubnet` at 5:14, `serviceSubnet` at 6:18. */
const kind = (name: string, pod: string) => yaml`
  kind: Cluster
  apiVersion: kind.x-k8s.io/v1alpha4
  name: ${name}
  networking:
    podSubnet: ${pod}
    serviceSubnet: 10.96.0.0/16
`;
/** A kubeadm ClusterConfiguration: `clusterName` value at 3:14, `podSubnet` at 5:14. */
const kubeadm = (name: string, pod: string) => yaml`
  apiVersion: kubeadm.k8s.io/v1beta3
  kind: ClusterConfiguration
  clusterName: ${name}
  networking:
    podSubnet: ${pod}
`;

/** Findings and notes (severity 0) of one rule, with paths relative to the scenario. */
const findings = async (files: Files, rule: typeof istioMeshIdentity) => {
  const { findings: found, notes, internalErrors, root } = await lintScenario(files, { rules: [rule] });
  expect(internalErrors).toEqual([]);
  const rel = (file: string) => relative(root, file).split('\\').join('/');
  return [...found, ...notes.map((n) => ({ ...n, severity: 0 }))].map((f) => ({
    at: `${rel(f.file)}:${f.line}:${f.column}`,
    id: f.messageId,
    severity: f.severity,
    data: f.data,
    related: f.related.map((r) => `${rel(r.file)}:${r.line}:${r.column}`),
  }));
};

describe('per-cluster alternatives', () => {
  it('istio-mesh-identity: values-cluster1.yaml and values-cluster2.yaml of one folder give one note, no conflict', async () => {
    const got = await findings({ 'istiod/values-cluster1.yaml': istio('cluster1', 'network1'), 'istiod/values-cluster2.yaml': istio('cluster2', 'network2') }, istioMeshIdentity);
    expect(got).toEqual([
      {
        at: 'istiod/values-cluster2.yaml:4:18',
        id: 'perClusterAlternatives',
        severity: 0,
        data: { cluster: 'istiod', kind: 'Helm values files', files: 'values-cluster1.yaml and values-cluster2.yaml' },
        related: ['istiod/values-cluster1.yaml:4:18'],
      },
    ]);
  });

  it.each([
    ['values.<x>.yaml', 'values.east.yaml', 'values.west.yaml'],
    ['<x>-values.yaml', 'east-values.yaml', 'west-values.yml'],
  ])('istio-mesh-identity: %s siblings are alternatives', async (_, a, b) => {
    const got = await findings({ [`istiod/${a}`]: istio('east', 'n1'), [`istiod/${b}`]: istio('west', 'n2') }, istioMeshIdentity);
    expect(got.map((f) => [f.id, f.severity])).toEqual([['perClusterAlternatives', 0]]);
  });

  it.each([
    ['a base values.yaml under values-prod.yaml (layers of one install)', 'istiod/values.yaml', 'istiod/values-prod.yaml'],
    ['values-<x>.yaml siblings of different folders', 'istiod/a/values-east.yaml', 'istiod/b/values-west.yaml'],
    ['names in different forms', 'istiod/values-east.yaml', 'istiod/west-values.yaml'],
    ['files not named after a variant', 'istiod/istiod.yaml', 'istiod/istiod-override.yaml'],
  ])('istio-mesh-identity: %s still conflict', async (_, a, b) => {
    const got = await findings({ [a]: istio('east', 'n1'), [b]: istio('west', 'n2') }, istioMeshIdentity);
    expect(got.map((f) => [f.id, f.severity])).toEqual([
      ['clusterNameConflict', 2],
      ['networkConflict', 2],
    ]);
  });

  it('istio-mesh-identity: a value-<x>.yaml that disagrees with the base values.yaml too keeps its conflict', async () => {
    const files = { 'istiod/values.yaml': istio('east', 'n1'), 'istiod/values-east.yaml': istio('east', 'n1'), 'istiod/values-west.yaml': istio('west', 'n1') };
    const got = await findings(files, istioMeshIdentity);
    expect(got.map((f) => [f.at, f.id])).toEqual([['istiod/values-west.yaml:4:18', 'clusterNameConflict']]);
  });

  it('istio-mesh-identity: values files an Argo CD Application names together are one install, merged', async () => {
    const app = yaml`
      apiVersion: argoproj.io/v1alpha1
      kind: Application
      metadata: {name: istiod, namespace: argocd}
      spec:
        destination: {server: https://kubernetes.default.svc, namespace: istio-system}
        source:
          repoURL: https://example.com/repo.git
          path: istiod
          helm:
            valueFiles: [values-east.yaml, values-west.yaml]
    `;
    const files = { 'istiod/app.yaml': app, 'istiod/values-east.yaml': istio('east', 'n1'), 'istiod/values-west.yaml': istio('west', 'n2'), '.git/HEAD': 'ref: refs/heads/main\n' };
    expect(await findings(files, istioMeshIdentity)).toEqual([]);
  });

  it('cluster-identity and cidr-source-mismatch: two kind Cluster configs of one folder give one note each', async () => {
    const files = { 'kind/c1.yaml': kind('c1', '10.1.0.0/16'), 'kind/c2.yaml': kind('c2', '10.2.0.0/16') };
    const note = (at: string, related: string) => ({
      at,
      id: 'perClusterAlternatives',
      severity: 0,
      data: { cluster: 'kind', kind: 'kind Cluster configs', files: 'c1.yaml and c2.yaml' },
      related: [related],
    });
    expect(await findings(files, clusterIdentity)).toEqual([note('kind/c2.yaml:3:7', 'kind/c1.yaml:3:7')]);
    expect(await findings(files, cidrSourceMismatch)).toEqual([note('kind/c2.yaml:5:14', 'kind/c1.yaml:5:14')]);
  });

  it('cluster-identity and cidr-source-mismatch: two kubeadm ClusterConfigurations of one folder are alternatives', async () => {
    const files = { 'kubeadm/east.yaml': kubeadm('east', '10.1.0.0/16'), 'kubeadm/west.yaml': kubeadm('west', '10.2.0.0/16') };
    expect((await findings(files, clusterIdentity)).map((f) => [f.at, f.id, f.data?.kind])).toEqual([
      ['kubeadm/west.yaml:3:14', 'perClusterAlternatives', 'kubeadm ClusterConfigurations'],
    ]);
    expect((await findings(files, cidrSourceMismatch)).map((f) => [f.at, f.id])).toEqual([['kubeadm/west.yaml:5:14', 'perClusterAlternatives']]);
  });

  it('cluster-identity and cidr-source-mismatch: a kind config against kubeadm of the same folder still disagrees', async () => {
    const files = { 'east/kubeadm.yaml': kubeadm('east', '10.1.0.0/16'), 'east/kind.yaml': kind('west', '10.2.0.0/16') };
    expect((await findings(files, clusterIdentity)).map((f) => [f.id, f.severity])).toEqual([['twoIdentities', 1]]);
    expect((await findings(files, cidrSourceMismatch)).map((f) => [f.id, f.severity])).toEqual([['differs', 1]]);
  });

  it('cluster-identity: kind configs in different folders of one cluster still disagree', async () => {
    const files = {
      'east/a/kind.yaml': kind('c1', '10.1.0.0/16'),
      'east/b/kind.yaml': kind('c2', '10.1.0.0/16'),
      'mclint.config.yaml': 'clusters:\n  - name: east\n    path: east\n',
    };
    const ids = (await findings(files, clusterIdentity)).map((f) => f.id);
    expect(ids).toContain('twoIdentities');
    expect(ids).not.toContain('perClusterAlternatives');
  });
});

describe('per-cluster alternatives across component folders', () => {
  it('istio-mesh-identity: istiod/ and eastwest-gateway/ folders of per-cluster values files give one note', async () => {
    const gateway = (network: string) => `networkGateway: ${network}\nlabels:\n  topology.istio.io/network: ${network}\n`;
    const files = {
      'charts/istiod/values-cluster1.yaml': istio('cluster1', 'network1'),
      'charts/istiod/values-cluster2.yaml': istio('cluster2', 'network2'),
      'charts/eastwest-gateway/values-cluster1.yaml': gateway('network1'),
      'charts/eastwest-gateway/values-cluster2.yaml': gateway('network2'),
    };
    expect((await findings(files, istioMeshIdentity)).map((f) => [f.id, f.severity])).toEqual([['perClusterAlternatives', 0]]);
  });
});
