import rule from '../../rules/service-export-pairing.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { yaml } from '../helpers/scenario.js';
import { service, serviceExport, submariner } from '../helpers/manifests.js';

// Positions in the builders: metadata.name value at 4:9, metadata.namespace value at 5:14,
// a Service's spec.type value at 7:9.
const NAME = { line: 4, column: 9 };
const NAMESPACE = { line: 5, column: 14 };
const lighthouse = (clusterID: string) => submariner({ clusterID, clusterCIDR: '10.0.0.0/16', serviceCIDR: '172.16.0.0/16', serviceDiscovery: true });

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
          messageId: 'noService',
          data: { export: '"shop/web"', name: 'web', cluster: 'east' },
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
          messageId: 'noServiceOtherNamespace',
          data: { export: '"payments/ledger"', name: 'ledger', cluster: 'east', serviceNamespace: 'payment' },
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
          messageId: 'noServiceOtherClusters',
          data: { export: '"shop/web"', cluster: 'west', clusters: '"east"' },
          related: [{ file: 'east/svc.yaml', ...NAME, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'Lighthouse reports a missing Service in its own words',
      files: { 'east/submariner.yaml': lighthouse('east'), 'east/export.yaml': serviceExport('web', 'shop') },
      findings: [{ file: 'east/export.yaml', ...NAME, messageId: 'noServiceLighthouse', data: { export: '"shop/web"', cluster: 'east' } }],
    },
    {
      name: 'an ExternalName Service cannot be exported',
      files: { 'east/svc.yaml': service('legacy', 'billing', 'ExternalName'), 'east/export.yaml': serviceExport('legacy', 'billing') },
      findings: [
        {
          file: 'east/export.yaml',
          ...NAME,
          messageId: 'externalName',
          data: { export: '"billing/legacy"', cluster: 'east' },
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
      findings: [{ file: 'east/export.yaml', ...NAME, messageId: 'externalNameLighthouse', data: { export: '"billing/legacy"' } }],
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
        {
          file: 'east/lb-export.yaml',
          ...NAME,
          messageId: 'unsupportedType',
          data: { export: '"shop/web"', type: 'LoadBalancer', cluster: 'east' },
          related: [{ file: 'east/lb.yaml', line: 7, column: 9 }],
        },
        { file: 'east/np-export.yaml', ...NAME, messageId: 'unsupportedType', data: { type: 'NodePort' } },
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
        { file: 'east/export.yaml', ...NAMESPACE, severity: 1, messageId: 'sensitiveNamespace', data: { export: '"default/status"', namespace: 'default', cluster: 'east' } },
        { file: 'east/dns-export.yaml', ...NAMESPACE, severity: 1, messageId: 'sensitiveNamespace', data: { namespace: 'kube-system' } },
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
      findings: [{ file: 'east/list.yaml', line: 11, column: 13, messageId: 'noService', data: { export: '"shop/orders"', name: 'orders' } }],
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
        {
          file: 'east/dns-export.yaml',
          ...NAMESPACE,
          severity: 2,
          messageId: 'lighthouseDenied',
          data: { export: '"kube-system/kube-dns"', namespace: 'kube-system', entry: 'kube-' },
        },
        { file: 'east/os-export.yaml', ...NAMESPACE, severity: 2, messageId: 'lighthouseDenied', data: { namespace: 'openshift', entry: 'openshift' } },
      ],
    },
    {
      name: 'config mcsImplementation: lighthouse makes LoadBalancer unexportable',
      files: {
        'mclint.config.yaml': 'clusters:\n  - name: east\n    mcsImplementation: lighthouse\n',
        'east/svc.yaml': service('web', 'shop', 'LoadBalancer'),
        'east/export.yaml': serviceExport('web', 'shop'),
      },
      findings: [{ file: 'east/export.yaml', ...NAME, messageId: 'unsupportedType', data: { type: 'LoadBalancer' } }],
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
          messageId: 'namespaceNotGlobal',
          data: { export: '"shop/web"', namespace: 'shop', cluster: 'east' },
          related: [{ file: 'east/ns.yaml', line: 6, column: 35 }],
        },
      ],
    },
    {
      name: 'Lighthouse words a Service in another namespace or another cluster with its own reason',
      files: {
        'east/submariner.yaml': lighthouse('east'),
        'east/svc.yaml': service('ledger', 'payment'),
        'east/export.yaml': serviceExport('ledger', 'payments'),
        'west/submariner.yaml': lighthouse('west'),
        'west/export.yaml': serviceExport('ledger', 'payment'),
      },
      findings: [
        {
          file: 'east/export.yaml',
          ...NAME,
          cluster: 'east',
          messageId: 'noServiceOtherNamespaceLighthouse',
          data: { serviceNamespace: 'payment' },
          related: [{ file: 'east/svc.yaml', ...NAME, cluster: 'east' }],
        },
        {
          file: 'west/export.yaml',
          ...NAME,
          cluster: 'west',
          messageId: 'noServiceOtherClustersLighthouse',
          data: { export: '"payment/ledger"', clusters: '"east"' },
          related: [{ file: 'east/svc.yaml', ...NAME, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'a Service name over 63 characters breaks its ClusterSet DNS name',
      files: { 'east/svc.yaml': service('s'.repeat(64), 'shop'), 'east/export.yaml': serviceExport('s'.repeat(64), 'shop') },
      findings: [
        {
          file: 'east/export.yaml',
          ...NAME,
          messageId: 'dnsLabel',
          data: { what: 'Service name', label: 's'.repeat(64), length: 64, name: `${'s'.repeat(64)}.shop.svc.clusterset.local` },
          related: [],
        },
      ],
    },
    {
      name: 'a headless export from a cluster whose ID is over 63 characters, pointing at the ID',
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
        'east/submariner.yaml': submariner({ clusterID: 'c'.repeat(64), clusterCIDR: '10.0.0.0/16', serviceCIDR: '172.16.0.0/16' }),
      },
      findings: [
        {
          file: 'east/export.yaml',
          ...NAME,
          messageId: 'dnsLabel',
          data: { what: 'cluster ID', label: 'c'.repeat(64), length: 64, name: `<hostname>.${'c'.repeat(64)}.db.data.svc.clusterset.local` },
          related: [{ file: 'east/submariner.yaml', line: 7, column: 14 }],
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
          messageId: 'dnsPodName',
          data: { name: `${'p'.repeat(50)}-11.${'c'.repeat(60)}.${'s'.repeat(60)}.${'n'.repeat(60)}.svc.clusterset.local`, length: 257 },
          related: [
            { file: 'east/submariner.yaml', line: 7, column: 14 },
            { file: 'east/sts.yaml', line: 3, column: 18 },
          ],
        },
      ],
    },
  ],
});
