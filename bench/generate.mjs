// Writes a synthetic ClusterSet: CLUSTERS clusters × FILES files × 5 documents (Deployment,
// Service, ServiceExport, DestinationRule, VirtualService) plus one Submariner CR per cluster.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function appFile(c, i) {
  const name = `app-${i}`;
  const ns = `team-${i % 20}`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
  labels: {app: ${name}, version: v1}
spec:
  replicas: 2
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}, version: v1}
    spec:
      containers:
        - name: main
          image: registry.example.com/${name}:1.${i % 10}.0
          ports: [{containerPort: 8080, name: http}]
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector: {app: ${name}}
  ports:
    - {name: http, port: 80, targetPort: 8080, protocol: TCP}
---
apiVersion: multicluster.x-k8s.io/v1alpha1
kind: ServiceExport
metadata:
  name: ${name}
  namespace: ${ns}
---
apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  host: ${name}.${ns}.svc.cluster.local
  subsets:
    - {name: v1, labels: {version: v1}}
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  hosts: [${name}]
  http:
    - route:
        - destination: {host: ${name}, subset: v1}
`;
}

function submariner(c) {
  return `apiVersion: submariner.io/v1alpha1
kind: Submariner
metadata:
  name: submariner
  namespace: submariner-operator
spec:
  clusterID: cluster-${c}
  clusterCIDR: 10.${c}.0.0/16
  serviceCIDR: 172.${16 + (c >> 4)}.${(c & 15) * 16}.0/20
  broker: k8s
  brokerK8sApiServer: https://broker.example.com:6443
  brokerK8sRemoteNamespace: submariner-k8s-broker
  ceIPSecDebug: false
  debug: false
  namespace: submariner-operator
  natEnabled: true
  serviceDiscoveryEnabled: true
`;
}

/**
 * @returns the number of documents written
 */
export function generate(dir, { clusters, files }) {
  rmSync(dir, { recursive: true, force: true });
  let docs = 0;
  for (let c = 0; c < clusters; c++) {
    const root = join(dir, 'clusters', `cluster-${String(c).padStart(2, '0')}`);
    mkdirSync(join(root, 'apps'), { recursive: true });
    writeFileSync(join(root, 'submariner.yaml'), submariner(c));
    docs++;
    for (let i = 0; i < files; i++) {
      writeFileSync(join(root, 'apps', `app-${String(i).padStart(3, '0')}.yaml`), appFile(c, i));
      docs += 5;
    }
  }
  return docs;
}

/**
 * Writes a kustomize fleet: `base/` with FILES files × 5 documents (the same apps as `generate`,
 * 80 files = 400 objects by default) and `clusters/cluster-NN/` overlays, each a kustomization of
 * the base with a namespace-free label patch and its own Submariner CR (so each render differs).
 * @returns the number of documents one render of an overlay yields, times the clusters
 */
export function generateFleet(dir, { clusters, files }) {
  rmSync(dir, { recursive: true, force: true });
  const base = join(dir, 'base');
  mkdirSync(base, { recursive: true });
  const resources = [];
  for (let i = 0; i < files; i++) {
    const name = `app-${String(i).padStart(3, '0')}.yaml`;
    writeFileSync(join(base, name), appFile(0, i));
    resources.push(name);
  }
  writeFileSync(join(base, 'kustomization.yaml'), `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources.map((r) => `- ${r}\n`).join('')}`);
  for (let c = 0; c < clusters; c++) {
    const overlay = join(dir, 'clusters', `cluster-${String(c).padStart(2, '0')}`);
    mkdirSync(overlay, { recursive: true });
    writeFileSync(join(overlay, 'submariner.yaml'), submariner(c));
    writeFileSync(
      join(overlay, 'kustomization.yaml'),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ../../base\n- submariner.yaml\nlabels:\n- pairs: {fleet.example.com/cluster: cluster-${c}}\n`,
    );
  }
  return clusters * (files * 5 + 1);
}
