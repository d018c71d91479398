import { describe, expect, it } from 'vitest';
import { perClusterAlternatives } from '../../src/model/alternatives.js';
import type { Source } from '../../src/model/types.js';
import type { ManifestObject } from '../../src/load/types.js';

const object = (group: string, kind: string) => ({ group, kind }) as ManifestObject;
const at = (file: string, o?: ManifestObject): Source => ({ file, doc: 0, path: [], cluster: 'c', origin: 'x', ...(o && { object: o }) });
const KIND = object('kind.x-k8s.io', 'Cluster');
const KUBEADM = object('kubeadm.k8s.io', 'ClusterConfiguration');

describe('perClusterAlternatives', () => {
  it.each([
    ['/r/kind/c1.yaml', KIND, '/r/kind/c2.yaml', KIND, 'kind Cluster configs'],
    ['/r/k/a.yaml', KUBEADM, '/r/k/b.yaml', KUBEADM, 'kubeadm ClusterConfigurations'],
    ['/r/i/values-a.yaml', undefined, '/r/i/values-b.yaml', undefined, 'Helm values files'],
    ['/r/i/values.a.yaml', undefined, '/r/i/values.b.yml', undefined, 'Helm values files'],
    ['/r/i/a-values.yaml', undefined, '/r/i/b-values.yaml', undefined, 'Helm values files'],
  ])('%s and %s are alternatives', (a, oa, b, ob, kind) => {
    expect(perClusterAlternatives(at(a, oa), at(b, ob))).toBe(kind);
  });

  it.each([
    ['the same file', '/r/kind/c1.yaml', KIND, '/r/kind/c1.yaml', KIND],
    ['different folders', '/r/a/c1.yaml', KIND, '/r/b/c2.yaml', KIND],
    ['a kind config and kubeadm', '/r/k/a.yaml', KIND, '/r/k/b.yaml', KUBEADM],
    ['a base values.yaml and an overlay', '/r/i/values.yaml', undefined, '/r/i/values-prod.yaml', undefined],
    ['values files of different forms', '/r/i/values-a.yaml', undefined, '/r/i/b-values.yaml', undefined],
    ['a values file and an object', '/r/i/values-a.yaml', undefined, '/r/i/values-b.yaml', object('helm.toolkit.fluxcd.io', 'HelmRelease')],
    ['the config file and a values file', '/r/i/mclint.config.yaml', undefined, '/r/i/values-b.yaml', undefined],
  ])('%s are not alternatives', (_, a, oa, b, ob) => {
    expect(perClusterAlternatives(at(a, oa), at(b, ob))).toBeUndefined();
  });
});
