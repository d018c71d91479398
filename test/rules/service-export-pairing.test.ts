import rule from '../../rules/service-export-pairing.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { yaml } from '../helpers/scenario.js';
import { service, serviceExport, submariner } from '../helpers/manifests.js';

// Positions in the builders: metadata.name value at 4:9, metadata.namespace value at 5:14,
// a Service's spec.type value at 7:9.
const NAME = { line: 4, column: 9 };
const NAMESPACE = { line: 5, column: 14 };
const lighthouse = (clusterID: string) =>
  submariner({ clusterID, clusterCIDR: '10.0.0.0/16', serviceCIDR: '172.16.0.0/16', serviceDiscovery: true });

ruleTester(rule, {
  valid: [
    {
      name: 'a ServiceExport with its Service in the same namespace and cluster',
      files: { 'east/svc.yaml': service('web', 'shop'), 'east/export.yaml': serviceExport('web', 'shop') },
    },
    {
      name: 'namespaces left to apply time match (kubectl -n)',
      files: { 'east/svc.yaml': service('web'), 'east/export.yaml': serviceExport('web') },
    },
    {
      name: 'an export with a namespace and a Service without one',
      files: { 'east/svc.yaml': service('web'), 'east/export.yaml': serviceExport('web', 'shop') },
    },
    {
      name: 'placeholder namespaces are chosen at apply time, like missing ones',
      files: { 'east/svc.yaml': service('web', '${APP_NS}'), 'east/export.yaml': serviceExport('web', '<your-namespace>') },
    },
    {
      name: 'GKE and Azure fleet ServiceExports pair like MCS ones',
      files: {
        'gke/svc.yaml': service('store', 'store'),
        'gke/export.yaml': serviceExport('store', 'store', 'net.gke.io/v1'),
        'azure/svc.yaml': service('app', 'work', 'LoadBalancer'),
        'azure/export.yaml': serviceExport('app', 'work', 'networking.fleet.azure.com/v1alpha1'),
      },
    },
    {
      name: 'a headless Service exported through Lighthouse',
      files: {
        'east/submariner.yaml': lighthouse('east'),
        'east/svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata:
            name: db
            namespace: data
          spec:
            clusterIP: None
            ports: [{name: tcp, port: 5432}]
        `,
        'east/export.yaml': serviceExport('db', 'data'),
      },
    },
    {
      name: 'a LoadBalancer export is fine without Lighthouse (KEP, Cilium)',
      files: { 'east/svc.yaml': service('web', 'shop', 'LoadBalancer'), 'east/export.yaml': serviceExport('web', 'shop') },
    },
  ],
  invalid: [
    {
      name: 'no Service anywhere',
      files: { 'east/export.yaml': serviceExport('web', 'shop') },
      findings: [
        {
          file: 'east/export.yaml',
          ...NAME,
          endColumn: 12,
          cluster: 'east',
          severity: 2,
          message: ['ServiceExport "shop/web" has no Service "web" in namespace "shop" in cluster "east"', 'Valid=False (reason NoService)', 'Create the Service'],
          related: [],
        },
      ],
    },
    {
      name: 'the Service lives in another namespace of the same cluster',
      files: { 'east/svc.yaml': service('ledger', 'payment'), 'east/export.yaml': serviceExport('ledger', 'payments') },
      findings: [
        {
          file: 'east/export.yaml',
          ...NAME,
          message: ['A Service "ledger" exists in namespace "payment" of this cluster', 'namespace sameness'],
          related: [{ file: 'east/svc.yaml', ...NAME, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'the Service exists only in another cluster',
      files: { 'east/svc.yaml': service('web', 'shop'), 'west/export.yaml': serviceExport('web', 'shop') },
      findings: [
        {
          file: 'west/export.yaml',
          ...NAME,
          cluster: 'west',
          message: ['The Service exists only in cluster "east"', 'exports are per cluster'],
          related: [{ file: 'east/svc.yaml', ...NAME, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'Lighthouse reports a missing Service in its own words',
      files: { 'east/submariner.yaml': lighthouse('east'), 'east/export.yaml': serviceExport('web', 'shop') },
      findings: [{ file: 'east/export.yaml', ...NAME, message: [`reason ServiceUnavailable: "Service to be exported doesn't exist"`] }],
    },
    {
      name: 'an ExternalName Service cannot be exported',
      files: { 'east/svc.yaml': service('legacy', 'billing', 'ExternalName'), 'east/export.yaml': serviceExport('legacy', 'billing') },
      findings: [
        {
          file: 'east/export.yaml',
          ...NAME,
          message: ['exports a Service of type ExternalName', 'InvalidServiceType', 'Export a ClusterIP or headless Service'],
          related: [{ file: 'east/svc.yaml', line: 7, column: 9 }],
        },
      ],
    },
    {
      name: 'Lighthouse rejects ExternalName with its own reason',
      files: {
        'east/submariner.yaml': lighthouse('east'),
        'east/svc.yaml': service('legacy', 'billing', 'ExternalName'),
        'east/export.yaml': serviceExport('legacy', 'billing'),
      },
      findings: [{ file: 'east/export.yaml', ...NAME, message: ['UnsupportedServiceType: "Service of type ExternalName not supported"'] }],
    },
    {
      name: 'Lighthouse does not export LoadBalancer or NodePort Services',
      files: {
        'east/submariner.yaml': lighthouse('east'),
        'east/lb.yaml': service('web', 'shop', 'LoadBalancer'),
        'east/lb-export.yaml': serviceExport('web', 'shop'),
        'east/np.yaml': service('api', 'shop', 'NodePort'),
        'east/np-export.yaml': serviceExport('api', 'shop'),
      },
      findings: [
        { file: 'east/lb-export.yaml', ...NAME, message: ['"Service of type LoadBalancer not supported"'], related: [{ file: 'east/lb.yaml', line: 7, column: 9 }] },
        { file: 'east/np-export.yaml', ...NAME, message: ['"Service of type NodePort not supported"'] },
      ],
    },
    {
      name: 'exports from default and kube-system are warnings',
      files: {
        'east/svc.yaml': service('status', 'default'),
        'east/export.yaml': serviceExport('status', 'default'),
        'east/dns.yaml': service('kube-dns', 'kube-system'),
        'east/dns-export.yaml': serviceExport('kube-dns', 'kube-system'),
      },
      findings: [
        { file: 'east/export.yaml', ...NAMESPACE, severity: 1, message: ['exports from namespace "default"', 'KEP-1645'] },
        { file: 'east/dns-export.yaml', ...NAMESPACE, severity: 1, message: ['exports from namespace "kube-system"'] },
      ],
    },
    {
      name: 'an export inside a kind: List points into the list item',
      files: {
        'east/list.yaml': yaml`
          apiVersion: v1
          kind: List
          items:
            - apiVersion: v1
              kind: ConfigMap
              metadata:
                name: settings
            - apiVersion: multicluster.x-k8s.io/v1beta1
              kind: ServiceExport
              metadata:
                name: orders
                namespace: shop
        `,
      },
      findings: [{ file: 'east/list.yaml', line: 11, column: 13, message: ['ServiceExport "shop/orders" has no Service'] }],
    },
  ],
});

// Implementation-aware checks added for Multi-Cluster Services.
const ciliumValues = ['cluster:', '  name: east', '  id: 1', 'clustermesh:', '  useAPIServer: true', ''].join('\n');
ruleTester(rule, {
  valid: [
    {
      name: 'Lighthouse: an application namespace is not on the import deny-list',
      files: { 'east/submariner.yaml': lighthouse('east'), 'east/svc.yaml': service('web', 'kubernetes-apps'), 'east/export.yaml': serviceExport('web', 'kubernetes-apps') },
    },
    {
      name: 'config mcsImplementation: generic overrides the Lighthouse deployment found in the manifests',
      files: {
        'mclint.config.yaml': 'clusters:\n  - name: east\n    mcsImplementation: generic\n',
        'east/submariner.yaml': lighthouse('east'),
        'east/svc.yaml': service('web', 'shop', 'LoadBalancer'),
        'east/export.yaml': serviceExport('web', 'shop'),
      },
    },
    {
      name: 'a headless export whose per-pod names fit 253 characters',
      files: {
        'east/svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata:
            name: db
            namespace: data
          spec:
            clusterIP: None
            ports: [{name: tcp, port: 5432}]
        `,
        'east/export.yaml': serviceExport('db', 'data'),
        'east/sts.yaml': 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: data}\nspec: {serviceName: db, replicas: 3}\n',
      },
    },
  ],
  invalid: [
    {
      name: 'Lighthouse: kube-* and openshift namespaces are on the default import deny-list (error instead of the KEP warning)',
      files: {
        'east/submariner.yaml': lighthouse('east'),
        'east/dns.yaml': service('kube-dns', 'kube-system'),
        'east/dns-export.yaml': serviceExport('kube-dns', 'kube-system'),
        'east/os.yaml': service('console', 'openshift'),
        'east/os-export.yaml': serviceExport('console', 'openshift'),
      },
      findings: [
        { file: 'east/dns-export.yaml', ...NAMESPACE, severity: 2, message: ['matches "kube-" in Submariner Lighthouse\'s default import deny-list', 'no other cluster can reach the Service'] },
        { file: 'east/os-export.yaml', ...NAMESPACE, severity: 2, message: ['matches "openshift" in Submariner Lighthouse\'s default import deny-list'] },
      ],
    },
    {
      name: 'config mcsImplementation: lighthouse makes LoadBalancer unexportable',
      files: {
        'mclint.config.yaml': 'clusters:\n  - name: east\n    mcsImplementation: lighthouse\n',
        'east/svc.yaml': service('web', 'shop', 'LoadBalancer'),
        'east/export.yaml': serviceExport('web', 'shop'),
      },
      findings: [{ file: 'east/export.yaml', ...NAME, message: ['"Service of type LoadBalancer not supported"'] }],
    },
    {
      name: 'Cilium: an export from a Namespace annotated clustermesh.cilium.io/global: "false" is NamespaceNotGlobal',
      files: {
        'mclint.config.yaml': 'clusters:\n  - name: east\n    mcsImplementation: cilium\n',
        'east/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  annotations:\n    clustermesh.cilium.io/global: "false"\n',
        'east/svc.yaml': service('web', 'shop'),
        'east/export.yaml': serviceExport('web', 'shop'),
        'east/values.yaml': ciliumValues,
      },
      findings: [
        {
          file: 'east/export.yaml',
          ...NAME,
          message: ['which Cilium Cluster Mesh in cluster "east" does not treat as global', 'reason NamespaceNotGlobal'],
          related: [{ file: 'east/ns.yaml', line: 6, column: 35 }],
        },
      ],
    },
    {
      name: 'a headless export whose per-pod DNS names exceed 253 characters',
      files: {
        'east/svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata:
            name: ${'s'.repeat(60)}
            namespace: ${'n'.repeat(60)}
          spec:
            clusterIP: None
            ports: [{name: tcp, port: 5432}]
        `,
        'east/export.yaml': serviceExport('s'.repeat(60), 'n'.repeat(60)),
        'east/submariner.yaml': submariner({ clusterID: 'c'.repeat(60), clusterCIDR: '10.0.0.0/16', serviceCIDR: '172.16.0.0/16' }),
        'east/sts.yaml': `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: ${'p'.repeat(50)}, namespace: ${'n'.repeat(60)}}\nspec: {serviceName: ${'s'.repeat(60)}, replicas: 12}\n`,
      },
      findings: [
        {
          file: 'east/export.yaml',
          ...NAME,
          message: [`gets no usable ClusterSet DNS name: the per-pod name "${'p'.repeat(50)}-11.${'c'.repeat(60)}.`, 'over the 253 of a DNS name'],
          related: [
            { file: 'east/submariner.yaml', line: 7, column: 14 },
            { file: 'east/sts.yaml', line: 3, column: 18 },
          ],
        },
      ],
    },
  ],
});
