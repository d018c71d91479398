import rule from '../../rules/schema.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { yaml } from '../helpers/scenario.js';
import { broker, service, serviceExport, submariner } from '../helpers/manifests.js';

const sub = (clusterCIDR: string, serviceCIDR = '172.16.0.0/16') => submariner({ clusterID: 'east', clusterCIDR, serviceCIDR });

ruleTester(rule, {
  valid: [
    {
      name: 'Istio objects with fields newer Istio versions added (mirrors, warmup) and open parts',
      files: {
        'east/istio.yaml': yaml`
          apiVersion: networking.istio.io/v1
          kind: DestinationRule
          metadata: {name: reviews, namespace: shop}
          spec:
            host: reviews
            trafficPolicy:
              loadBalancer:
                simple: ROUND_ROBIN
                warmup: {duration: 60s}
                localityLbSetting:
                  enabled: true
                  failoverPriority: [topology.istio.io/network]
              outlierDetection: {consecutive5xxErrors: 1}
            subsets:
              - name: v1
                labels: {version: v1}
          ---
          apiVersion: networking.istio.io/v1
          kind: VirtualService
          metadata: {name: reviews, namespace: shop}
          spec:
            hosts: [reviews]
            http:
              - route:
                  - destination: {host: reviews, subset: v1}
                mirrors:
                  - destination: {host: reviews, subset: v1}
                    percentage: {value: 10}
          ---
          apiVersion: install.istio.io/v1alpha1
          kind: IstioOperator
          spec:
            profile: default
            values:
              global: {meshID: mesh1, multiCluster: {clusterName: east}, network: net1}
        `,
      },
    },
    {
      name: 'enum values a later Istio added: Gateway tls.mode OPTIONAL_MUTUAL (1.19), ServiceEntry resolution DYNAMIC_DNS',
      files: {
        'east/istio.yaml': yaml`
          apiVersion: networking.istio.io/v1
          kind: Gateway
          metadata: {name: public, namespace: edge}
          spec:
            selector: {istio: ingressgateway}
            servers:
              - hosts: ["*"]
                port: {name: https, number: 443, protocol: HTTPS}
                tls: {mode: OPTIONAL_MUTUAL, credentialName: edge-cert}
          ---
          apiVersion: networking.istio.io/v1
          kind: ServiceEntry
          metadata: {name: api, namespace: edge}
          spec:
            hosts: [api.example.com]
            ports: [{name: https, number: 443, protocol: TLS}]
            resolution: DYNAMIC_DNS
        `,
      },
    },
    {
      name: 'fields written empty (YAML null) are absent: the API server drops them from a custom resource, built-in types and kind/kubeadm configs decode them as zero values',
      files: {
        'east/broker.yaml':
          'apiVersion: submariner.io/v1alpha1\nkind: Broker\nmetadata:\n  name: submariner-broker\n  namespace: submariner-k8s-broker\nspec:\n  # globalnetEnabled: true\n',
        'east/kind.yaml': 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  # podSubnet: 10.250.0.0/16\nnodes:\n  - role: control-plane\n    labels:\n',
        'east/svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata: {name: web, namespace: shop}
          spec:
            type: null
            selector: {app: web}
            ports: [{port: 80, protocol: null}]
        `,
      },
    },
    {
      name: 'well-formed Submariner, Broker, ServiceExport and Service',
      files: {
        'east/submariner.yaml': sub('10.0.0.0/16,fd00:10:244::/56'),
        'east/broker.yaml': broker(true, '  globalnetCIDRRange: 242.0.0.0/8\n  defaultGlobalnetClusterSize: 8192\n  components: [service-discovery, connectivity]\n'),
        'east/svc.yaml': service('web', 'shop', 'LoadBalancer'),
        'east/export.yaml': serviceExport('web', 'shop', 'multicluster.x-k8s.io/v1beta1'),
      },
    },
    {
      name: 'kinds without a schema of their own only need well-typed metadata',
      files: {
        'east/deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: web
            labels: {app: web, tier: "1"}
            creationTimestamp: null
          spec: {anything: [goes, here]}
        `,
      },
    },
    {
      name: 'unrendered placeholders in CIDR fields are not malformed values',
      files: { 'east/submariner.yaml': sub('$(CLUSTER_CIDR)', '${SERVICE_CIDR}') },
    },
    // A placeholder in a field of any type is a value still to be filled in, never a schema error.
    {
      name: 'placeholders in integer, boolean and object fields: a Service port, Broker settings, a kind networking section',
      files: {
        'east/svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata: {name: web, namespace: shop}
          spec:
            type: \${SERVICE_TYPE}
            ports:
              - port: \${PORT}
                targetPort: $(TARGET_PORT)
                protocol: TCP
        `,
        'east/broker.yaml': yaml`
          apiVersion: submariner.io/v1alpha1
          kind: Broker
          metadata: {name: submariner-broker, namespace: submariner-k8s-broker}
          spec:
            globalnetEnabled: \${GLOBALNET}
            globalnetCIDRRange: <globalnet-range>
            defaultGlobalnetClusterSize: "\${CLUSTER_SIZE:=8192}"
        `,
        'east/kind.yaml': 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: east\nnetworking: ${NET}\n',
        'east/submariner-flags.yaml': yaml`
          apiVersion: submariner.io/v1alpha1
          kind: Submariner
          metadata: {name: submariner, namespace: submariner-operator}
          spec:
            clusterID: east
            clusterCIDR: 10.0.0.0/16
            serviceCIDR: 10.96.0.0/16
            broker: k8s
            brokerK8sApiServer: \${BROKER_API_SERVER}
            brokerK8sRemoteNamespace: submariner-k8s-broker
            ceIPSecDebug: \${DEBUG}
            debug: \${DEBUG}
            namespace: submariner-operator
            natEnabled: \${NAT_ENABLED}
            serviceDiscoveryEnabled: "{{ service_discovery }}"
        `,
      },
    },
    {
      name: 'Cilium values and cilium-config with placeholder IDs, names, sizes and CIDRs',
      files: {
        'a/values.yaml': 'cluster:\n  name: ${CLUSTER_NAME}\n  id: ${CLUSTER_ID}\nclustermesh:\n  maxConnectedClusters: ${MAX}\nipv4NativeRoutingCIDR: ${NATIVE_CIDR}\n',
        'b/cilium-config.yaml': yaml`
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: cilium-config, namespace: kube-system}
          data:
            cluster-name: b
            cluster-id: $(CLUSTER_ID)
            cluster-pool-ipv4-cidr: "<pod-cidr>"
        `,
      },
    },
  ],
  invalid: [
    {
      name: 'a placeholder in one field hides no error in its siblings',
      files: {
        'east/svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata: {name: web}
          spec:
            ports:
              - port: \${PORT}
                protocol: 5
        `,
        'east/broker.yaml': yaml`
          apiVersion: submariner.io/v1alpha1
          kind: Broker
          metadata: {name: submariner-broker}
          spec:
            globalnetEnabled: \${GLOBALNET}
            defaultGlobalnetClusterSize: big
        `,
      },
      findings: [
        { file: 'east/svc.yaml', line: 7, column: 17, messageId: 'field', data: { object: 'Service "web"', problem: '"spec.ports[0].protocol" must be string, found number 5' } },
        {
          file: 'east/broker.yaml',
          line: 6,
          column: 32,
          messageId: 'field',
          data: { object: 'Broker "submariner-broker"', problem: '"spec.defaultGlobalnetClusterSize" must be integer, found string "big"' },
        },
      ],
    },
    {
      name: 'Node pod CIDRs that are not CIDRs, and an address entry without address',
      files: {
        'east/node.yaml': yaml`
          apiVersion: v1
          kind: Node
          metadata: {name: worker-1}
          spec:
            podCIDRs: ["10.0.0.300/33", banana, 5]
          status:
            addresses:
              - type: InternalIP
        `,
      },
      findings: [
        {
          file: 'east/node.yaml',
          line: 5,
          column: 14,
          messageId: 'field',
          data: { object: 'Node "worker-1"', problem: '"spec.podCIDRs[0]" must be a CIDR, found string "10.0.0.300/33"' },
        },
        {
          file: 'east/node.yaml',
          line: 5,
          column: 31,
          messageId: 'field',
          data: { object: 'Node "worker-1"', problem: '"spec.podCIDRs[1]" must be a CIDR, found string "banana"' },
        },
        { file: 'east/node.yaml', line: 5, column: 39, messageId: 'field', data: { object: 'Node "worker-1"', problem: '"spec.podCIDRs[2]" must be string, found number 5' } },
        { file: 'east/node.yaml', line: 8, column: 7, messageId: 'field', data: { object: 'Node "worker-1"', problem: 'missing required field "status.addresses[0].address"' } },
      ],
    },
    {
      name: 'Cilium values and cilium-config with malformed settings (no JSON Schema covers them)',
      files: {
        'a/values.yaml': 'cluster:\n  name: 5\n  id: abc\nclustermesh:\n  maxConnectedClusters: 300\nipv4NativeRoutingCIDR: 7\n',
        'b/cilium-config.yaml': yaml`
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: cilium-config, namespace: kube-system}
          data:
            cluster-name: b
            cluster-id: "[1]"
            cluster-pool-ipv4-cidr: "10.1.0.0/16 zzz"
        `,
      },
      findings: [
        { file: 'a/values.yaml', line: 2, column: 9, messageId: 'value', data: { problem: 'Cilium values cluster.name must be a string, found 5' } },
        {
          file: 'a/values.yaml',
          line: 3,
          column: 7,
          messageId: 'value',
          data: { problem: 'Cilium values cluster.id must be an integer (1 to 255, or to 511 with maxConnectedClusters 511), found "abc"' },
        },
        { file: 'a/values.yaml', line: 5, column: 25, messageId: 'value', data: { problem: 'Cilium values clustermesh.maxConnectedClusters must be 255 or 511, found 300' } },
        { file: 'a/values.yaml', line: 6, column: 24, messageId: 'value', data: { problem: 'Cilium values ipv4NativeRoutingCIDR must hold valid CIDRs, found 7' } },
        {
          file: 'b/cilium-config.yaml',
          line: 6,
          column: 15,
          messageId: 'value',
          data: { problem: 'cilium-config cluster-id must be an integer (1 to 255, or to 511 with maxConnectedClusters 511), found "[1]"' },
        },
        { file: 'b/cilium-config.yaml', line: 7, column: 27, messageId: 'value', data: { problem: 'cilium-config cluster-pool-ipv4-cidr must hold valid CIDRs, found "zzz"' } },
      ],
    },
    {
      name: 'a CIDR field listing more ranges than mclint reads: one finding at the field, the first 256 ranges used',
      files: {
        'a/submariner.yaml': yaml`
          apiVersion: submariner.io/v1alpha1
          kind: Submariner
          metadata: {name: submariner, namespace: submariner-operator}
          spec:
            broker: k8s
            brokerK8sApiServer: https://broker.example.com:6443
            brokerK8sRemoteNamespace: submariner-k8s-broker
            namespace: submariner-operator
            clusterID: a
            serviceCIDR: 100.64.0.0/16
            globalCIDR: "${Array.from({ length: 300 }, (_, i) => `242.${i >> 8}.${i & 255}.0/24`).join(',')}"
            clusterCIDR: 10.0.0.0/16
            ceIPSecDebug: false
            debug: false
            natEnabled: true
        `,
        'b/kubeadm.yaml': yaml`
          apiVersion: kubeadm.k8s.io/v1beta3
          kind: ClusterConfiguration
          networking:
            serviceSubnet: 10.96.0.0/16
            podSubnet: "${Array.from({ length: 256 }, (_, i) => `10.${i}.0.0/16`).join(',')}"
        `,
      },
      findings: [
        { file: 'a/submariner.yaml', line: 11, column: 15, messageId: 'tooManyCidrs', data: { problem: 'Submariner spec.globalCIDR lists 300 CIDRs: mclint reads the first 256' } },
      ],
    },
    {
      name: 'Istio: a misspelt localityLbSetting and subsets given as a mapping (@kubernetes-models/istio schemas)',
      files: {
        'east/dr.yaml': yaml`
          apiVersion: networking.istio.io/v1
          kind: DestinationRule
          metadata:
            name: reviews
          spec:
            host: reviews
            trafficPolicy:
              loadBalancer:
                localityLbSeting:
                  enabled: true
            subsets: {}
        `,
        'east/vs.yaml': yaml`
          apiVersion: networking.istio.io/v1alpha3
          kind: VirtualService
          metadata:
            name: reviews
          spec:
            hosts: [reviews]
            http:
              - route:
                  - destination: {host: reviews, subst: v1}
                    weight: "50"
        `,
      },
      findings: [
        {
          file: 'east/dr.yaml',
          line: 9,
          column: 7,
          messageId: 'field',
          data: {
            object: 'DestinationRule "reviews"',
            problem:
              'unknown field "spec.trafficPolicy.loadBalancer.localityLbSeting": kubectl apply rejects it (strict field validation) and the controller never sees it; did you mean "localityLbSetting"?',
          },
        },
        { file: 'east/dr.yaml', line: 11, column: 12, messageId: 'field', data: { object: 'DestinationRule "reviews"', problem: '"spec.subsets" must be array, found a mapping' } },
        {
          file: 'east/vs.yaml',
          line: 9,
          column: 40,
          messageId: 'field',
          data: {
            object: 'VirtualService "reviews"',
            problem:
              'unknown field "spec.http[0].route[0].destination.subst": kubectl apply rejects it (strict field validation) and the controller never sees it; did you mean "subset"?',
          },
        },
        {
          file: 'east/vs.yaml',
          line: 10,
          column: 19,
          messageId: 'field',
          data: { object: 'VirtualService "reviews"', problem: '"spec.http[0].route[0].weight" must be integer, found string "50"' },
        },
      ],
    },
    {
      name: 'Istio install settings: meshID must be a string',
      files: {
        'east/istio.yaml': yaml`
          apiVersion: sailoperator.io/v1
          kind: Istio
          metadata:
            name: default
          spec:
            values:
              global:
                meshID: 1
        `,
      },
      findings: [
        {
          file: 'east/istio.yaml',
          line: 8,
          column: 15,
          messageId: 'field',
          data: { object: 'Istio "default"', problem: '"spec.values.global.meshID" must be string, found number 1' },
        },
      ],
    },
    {
      name: 'an invalid CIDR is reported on its line, not a crash',
      files: { 'east/submariner.yaml': sub('10.0.0.300/33') },
      findings: [
        {
          file: 'east/submariner.yaml',
          line: 8,
          column: 16,
          endColumn: 31,
          cluster: 'east',
          messageId: 'field',
          data: {
            object: 'Submariner "submariner-operator/submariner"',
            problem: '"spec.clusterCIDR" must be a CIDR or comma-separated list of CIDRs, found string "10.0.0.300/33"',
          },
        },
      ],
    },
    {
      name: 'one bad item in a comma-separated list',
      files: { 'east/submariner.yaml': sub('10.0.0.0/16,10.1.0/16') },
      findings: [
        {
          file: 'east/submariner.yaml',
          line: 8,
          column: 16,
          messageId: 'field',
          data: {
            object: 'Submariner "submariner-operator/submariner"',
            problem: '"spec.clusterCIDR" must be a CIDR or comma-separated list of CIDRs, found string "10.0.0.0/16,10.1.0/16"',
          },
        },
      ],
    },
    {
      name: 'a misspelt field is unknown (with a suggestion) and the real one is missing',
      files: {
        'east/submariner.yaml': sub('10.0.0.0/16').replace('  clusterCIDR:', '  clusterCidr:'),
      },
      findings: [
        {
          file: 'east/submariner.yaml',
          line: 8,
          column: 3,
          messageId: 'field',
          data: {
            object: 'Submariner "submariner-operator/submariner"',
            problem: 'unknown field "spec.clusterCidr": kubectl apply rejects it (strict field validation) and the controller never sees it; did you mean "clusterCIDR"?',
          },
        },
        {
          file: 'east/submariner.yaml',
          line: 6,
          column: 1,
          messageId: 'field',
          data: { object: 'Submariner "submariner-operator/submariner"', problem: 'missing required field "spec.clusterCIDR"' },
        },
      ],
    },
    {
      name: 'kind and kubeadm configuration files: worded for the tool that reads them, not the API server',
      files: {
        'east/kind.yaml': 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  podSubnets: 10.250.0.0/16\n',
        'west/kubeadm.yaml':
          'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: 10.1.0.0/16\n  serviceSubnet: 10.96.0.0/12\n  dnsDomain: [cluster.local]\n',
      },
      findings: [
        {
          file: 'east/kind.yaml',
          line: 4,
          column: 3,
          messageId: 'toolField',
          data: {
            tool: '`kind create cluster`',
            problem: 'unknown field "networking.podSubnets": kind create cluster refuses the config (strict decoding); did you mean "podSubnet"?',
          },
        },
        { file: 'west/kubeadm.yaml', line: 6, column: 14, messageId: 'toolField', data: { tool: '`kubeadm init`/`join`' } },
      ],
    },
    {
      name: "submariner-operator chart values spelt like the CR's fields: the chart does not read them",
      files: {
        'east/values.yaml': 'broker:\n  server: broker.example.com:6443\nsubmariner:\n  clusterId: east\n  clusterCIDR: 10.0.0.0/16\n  serviceCidr: 100.96.0.0/16\n',
      },
      findings: [
        {
          file: 'east/values.yaml',
          line: 5,
          column: 16,
          messageId: 'chartKey',
          data: {
            problem:
              'submariner-operator chart values set "submariner.clusterCIDR", which the chart does not read (it reads "submariner.clusterCidr"), so the Submariner CR it renders gets no clusterCIDR',
          },
        },
      ],
    },
    {
      name: 'wrong scalar types: a quoted boolean and a number where a string belongs',
      files: {
        'east/submariner.yaml': sub('10.0.0.0/16').replace('natEnabled: true', 'natEnabled: "yes"').replace('  clusterID: east', '  clusterID: 12345'),
      },
      findings: [
        {
          file: 'east/submariner.yaml',
          line: 7,
          column: 14,
          messageId: 'field',
          data: { object: 'Submariner "submariner-operator/submariner"', problem: '"spec.clusterID" must be string, found number 12345' },
        },
        {
          file: 'east/submariner.yaml',
          line: 16,
          column: 15,
          messageId: 'field',
          data: { object: 'Submariner "submariner-operator/submariner"', problem: '"spec.natEnabled" must be boolean, found string "yes"' },
        },
      ],
    },
    {
      name: 'an unknown Broker component',
      files: { 'east/broker.yaml': broker(false, '  components: [service-discovery, gateway]\n') },
      findings: [
        {
          file: 'east/broker.yaml',
          line: 8,
          column: 35,
          messageId: 'field',
          data: {
            object: 'Broker "submariner-k8s-broker/submariner-broker"',
            problem: '"spec.components[1]" must be one of "service-discovery", "connectivity", found string "gateway"',
          },
        },
      ],
    },
    {
      name: 'an empty field does not hide its siblings: an unknown Gateway tls.mode beside a null credentialName',
      files: {
        'east/gw.yaml': yaml`
          apiVersion: networking.istio.io/v1
          kind: Gateway
          metadata: {name: public, namespace: edge}
          spec:
            selector: {istio: ingressgateway}
            servers:
              - hosts: ["*"]
                port: {name: https, number: 443, protocol: HTTPS}
                tls: {mode: OPTIONAL, credentialName: null}
        `,
      },
      findings: [{ file: 'east/gw.yaml', line: 9, column: 19, messageId: 'field' }],
    },
    {
      name: 'a Service port given as a string and an unknown Service type (kubernetes-models schema)',
      files: {
        'east/svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata:
            name: web
          spec:
            type: Cluster
            ports:
              - port: "80"
        `,
      },
      findings: [
        {
          file: 'east/svc.yaml',
          line: 6,
          column: 9,
          messageId: 'field',
          data: { object: 'Service "web"', problem: '"spec.type" must be one of "ClusterIP", "ExternalName", "LoadBalancer", "NodePort", found string "Cluster"' },
        },
        { file: 'east/svc.yaml', line: 8, column: 13, messageId: 'field', data: { object: 'Service "web"', problem: '"spec.ports[0].port" must be integer, found string "80"' } },
      ],
    },
    {
      name: 'wrong metadata types on any object',
      files: {
        'east/a.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: "x"
        `,
        'east/b.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: 12345
            labels:
              version: 1
        `,
      },
      findings: [
        { file: 'east/a.yaml', line: 3, column: 11, messageId: 'field', data: { object: 'Deployment', problem: '"metadata" must be object, found string "x"' } },
        { file: 'east/b.yaml', line: 4, column: 9, messageId: 'field', data: { object: 'Deployment', problem: '"metadata.name" must be string, found number 12345' } },
        {
          file: 'east/b.yaml',
          line: 6,
          column: 14,
          messageId: 'field',
          data: { object: 'Deployment', problem: '"metadata.labels.version" must be string or null, found number 1' },
        },
      ],
    },
    {
      name: 'a ServiceExport without a name',
      files: { 'east/export.yaml': 'apiVersion: multicluster.x-k8s.io/v1alpha1\nkind: ServiceExport\nmetadata:\n  namespace: shop\n' },
      findings: [{ file: 'east/export.yaml', line: 3, column: 1, messageId: 'field', data: { object: 'ServiceExport', problem: 'missing required field "metadata.name"' } }],
    },
    {
      name: 'documents that claim to be objects without apiVersion/kind, and List items that are not objects',
      files: {
        'east/a.yaml': 'kind: Service\nmetadata:\n  name: web\n',
        'east/list.yaml': 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: ok}\n  - just a string\n',
      },
      findings: [
        { file: 'east/a.yaml', line: 1, column: 1, messageId: 'document', data: { problem: '"apiVersion" is missing: kubectl cannot tell what kind of object this is' } },
        { file: 'east/list.yaml', line: 7, column: 5, messageId: 'document', data: { problem: 'List item 1 must be a Kubernetes object, found string "just a string"' } },
      ],
    },
  ],
});
