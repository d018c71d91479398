import rule from '../../rules/istio-gateway-workload.js';
import { ruleTester } from '../helpers/rule-tester.js';

/** An IstioOperator putting its cluster in mesh `mesh1` on `network`. */
const install = (cluster: string, network: string) =>
  [
    'apiVersion: install.istio.io/v1alpha1',
    'kind: IstioOperator',
    'spec:',
    '  values:',
    '    global:',
    `      meshID: mesh1`,
    `      multiCluster: {clusterName: ${cluster}}`,
    `      network: ${network}`,
    '',
  ].join('\n');

/**
 * The cross-network Gateway of istio `samples/multicluster/expose-services.yaml`.
 * Layout: line 7 `selector:` (value column 13), line 9 the server `port:` (`number` value column 22).
 */
const gateway = (selector = '{istio: eastwestgateway}', port = 15443) =>
  [
    'apiVersion: networking.istio.io/v1',
    'kind: Gateway',
    'metadata:',
    '  name: cross-network-gateway',
    '  namespace: istio-system',
    'spec:',
    `  selector: ${selector}`,
    '  servers:',
    `    - port: {number: ${port}, name: tls, protocol: TLS}`,
    '      tls: {mode: AUTO_PASSTHROUGH}',
    "      hosts: ['*.local']",
    '',
  ].join('\n');
const selectorAt = { line: 7, column: 13 };
const portAt = { line: 9, column: 22 };

/** A gateway Deployment in istio-system whose pods carry `labels`. Line 4 `name` (column 9). */
const deployment = (labels = '{istio: eastwestgateway, app: istio-eastwestgateway}') =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: istio-eastwestgateway',
    '  namespace: istio-system',
    'spec:',
    '  template:',
    `    metadata: {labels: ${labels}}`,
    '',
  ].join('\n');

/** The gateway's Service with `ports`. Line 4 `name` (column 9). */
const service = (ports: number[], selector = '{istio: eastwestgateway}') =>
  [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: istio-eastwestgateway',
    '  namespace: istio-system',
    'spec:',
    `  selector: ${selector}`,
    `  ports: [${ports.map((p) => `{name: p${p}, port: ${p}}`).join(', ')}]`,
    '',
  ].join('\n');

/** An IstioOperator gateway component (gen-eastwest-gateway.sh style). Line 7 the component item (column 9). */
const operatorGateway = (network: string, ports: number[]) =>
  [
    'apiVersion: install.istio.io/v1alpha1',
    'kind: IstioOperator',
    'spec:',
    '  profile: empty',
    '  components:',
    '    ingressGateways:',
    '      - name: istio-eastwestgateway',
    `        label: {istio: eastwestgateway, app: istio-eastwestgateway, topology.istio.io/network: ${network}}`,
    '        enabled: true',
    `        k8s: {service: {ports: [${ports.map((p) => `{name: p${p}, port: ${p}}`).join(', ')}]}}`,
    '',
  ].join('\n');

/**
 * A remote installed as istio.io's primary-remote multi-network guide installs it: profile remote,
 * its cluster ID and network only in the injection path (line 7, the path at column 35);
 * `configCluster` makes it the config cluster of an external istiod (istio.io external control plane).
 */
const remoteInstall = (cluster: string, network: string, configCluster = false) =>
  [
    'apiVersion: install.istio.io/v1alpha1',
    'kind: IstioOperator',
    'metadata: {name: remote, namespace: istio-system}',
    'spec:',
    '  profile: remote',
    '  values:',
    `    istiodRemote: {injectionPath: /inject/cluster/${cluster}/net/${network}}`,
    `    global: {remotePilotAddress: 203.0.113.10${configCluster ? ', configCluster: true' : ''}}`,
    '',
  ].join('\n');
const remoteNetworkAt = { line: 7, column: 35 };

/** The external istiod of istio.io "Install Istio with an External Control Plane" (profile empty, pilot enabled, no network). */
const externalIstiod =
  'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata: {namespace: external-istiod}\nspec:\n  profile: empty\n  components:\n    pilot: {enabled: true}\n  values:\n    global: {meshID: mesh1, istioNamespace: external-istiod}\n';

/** istio.io primary-remote on different networks: cluster1 (primary, network1) holds expose-services.yaml, cluster2 is a remote on network2. */
const primaryRemote = {
  'cluster1/istio.yaml': install('cluster1', 'network1'),
  'cluster1/gateway.yaml': gateway(),
  'cluster2/istio.yaml': remoteInstall('cluster2', 'network2'),
};

/**
 * A Kubernetes Gateway API Gateway istiod deploys (`gatewayClassName`, named `eastwest` in
 * istio-system, labelled with `network`), with a listener on each of `ports`. Its pods carry
 * `gateway.networking.k8s.io/gateway-name: eastwest` and its labels; its Service 15021 and the listener ports.
 */
const gatewayAPI = (className: string, network: string, ports: number[], protocol = 'TLS') =>
  [
    'apiVersion: gateway.networking.k8s.io/v1',
    'kind: Gateway',
    'metadata:',
    '  name: eastwest',
    '  namespace: istio-system',
    `  labels: {topology.istio.io/network: ${network}}`,
    'spec:',
    `  gatewayClassName: ${className}`,
    '  listeners:',
    ...ports.map((p) => `  - {name: l${p}, port: ${p}, protocol: ${protocol}, tls: {mode: ${protocol === 'HBONE' ? 'Terminate' : 'Passthrough'}}}`),
    '',
  ].join('\n');

const two = (eastNet = 'network1', westNet = 'network2') => ({
  'east/istio.yaml': install('east', eastNet),
  'west/istio.yaml': install('west', westNet),
  'west/gateway.yaml': gateway(),
  'west/gw-deploy.yaml': deployment(),
  'west/gw-svc.yaml': service([15021, 15443]),
});

ruleTester(rule, {
  valid: [
    {
      name: 'each network runs the gateway workload with a Service exposing 15443',
      files: { ...two(), 'east/gateway.yaml': gateway(), 'east/gw-deploy.yaml': deployment(), 'east/gw-svc.yaml': service([15021, 15443, 15012]) },
    },
    {
      name: 'the gateway runs in another cluster of the same network (primary-remote)',
      files: { ...two('network2'), 'east/gateway.yaml': gateway() },
    },
    {
      name: 'an IstioOperator gateway component with port 15443',
      files: { ...two(), 'east/gateway.yaml': gateway(), 'east/eastwest.yaml': operatorGateway('network1', [15021, 15443]) },
    },
    {
      name: 'gateway chart values with networkGateway (the chart adds 15443; its release name is unknown)',
      files: { ...two(), 'east/gateway.yaml': gateway(), 'east/values.yaml': 'networkGateway: network1\n' },
    },
    {
      name: 'an Argo CD Application of the gateway chart (not rendered: its release name decides the labels)',
      files: {
        ...two(),
        'east/gateway.yaml': gateway(),
        'east/app.yaml': [
          'apiVersion: argoproj.io/v1alpha1',
          'kind: Application',
          'metadata: {name: eastwest, namespace: argocd}',
          'spec:',
          '  destination: {server: https://kubernetes.default.svc, namespace: istio-system}',
          '  source:',
          '    repoURL: https://istio-release.storage.googleapis.com/charts',
          '    chart: gateway',
          "    targetRevision: '1.24.0'",
          '    helm: {valuesObject: {service: {type: LoadBalancer}}}',
          '',
        ].join('\n'),
      },
    },
    {
      name: 'a Gateway that is not cross-network (port 443) is not checked',
      files: { ...two(), 'east/gateway.yaml': gateway('{istio: ingressgateway}', 443) },
    },
    {
      name: "istio.io primary-remote on different networks: the primary's Gateway configures the east-west gateways of both clusters, each running in its own network",
      files: {
        ...primaryRemote,
        'cluster1/eastwest.yaml': operatorGateway('network1', [15021, 15443, 15012, 15017]),
        'cluster2/gw-deploy.yaml': deployment(),
        'cluster2/gw-svc.yaml': service([15021, 15443]),
      },
    },
    {
      name: 'istio.io external control plane: the Gateway of the remote config cluster configures the second remote, whose east-west gateway runs there',
      files: {
        'external/istio.yaml': externalIstiod,
        'cluster1/istio.yaml': remoteInstall('cluster1', 'network1', true),
        'cluster1/gateway.yaml': gateway(),
        'cluster1/eastwest.yaml': operatorGateway('network1', [15021, 15443]),
        'cluster2/istio.yaml': remoteInstall('cluster2', 'network2'),
        'cluster2/eastwest.yaml': operatorGateway('network2', [15021, 15443]),
      },
    },
    {
      name: "a remote on the primary's network is searched with it: one east-west gateway serves both",
      files: { ...primaryRemote, 'cluster2/istio.yaml': remoteInstall('cluster2', 'network1'), 'cluster2/gw-deploy.yaml': deployment(), 'cluster2/gw-svc.yaml': service([15443]) },
    },
    {
      name: 'garbage selector and ports never crash',
      files: { ...two(), 'east/gateway.yaml': gateway('${SELECTOR}'), 'east/svc.yaml': service([15443], '[1, 2]') },
    },
    {
      name: 'a cross-network Gateway selecting the pods istiod deploys for a Gateway API Gateway (gateway.networking.k8s.io/gateway-name), whose listeners include 15443',
      files: {
        ...two(),
        'east/gateway.yaml': gateway('{gateway.networking.k8s.io/gateway-name: eastwest}'),
        'east/gw-api.yaml': gatewayAPI('istio', 'network1', [15443, 15012]),
      },
    },
  ],
  invalid: [
    {
      name: "an ambient istio-east-west Gateway's pods are not the sidecar east-west gateway: a Gateway selecting istio=eastwestgateway still has no workload",
      files: { ...two(), 'east/gateway.yaml': gateway(), 'east/gw-api.yaml': gatewayAPI('istio-east-west', 'network1', [15008], 'HBONE') },
      findings: [
        {
          file: 'east/gateway.yaml',
          ...selectorAt,
          severity: 1,
          cluster: 'east',
          messageId: 'noWorkload',
          data: { gateway: 'istio-system/cross-network-gateway', cluster: 'east', selector: 'istio=eastwestgateway', searched: '"east"', network: 'network "network1"' },
          related: [],
        },
      ],
    },
    {
      name: 'a cross-network Gateway selecting the pods of a Gateway API Gateway whose listeners leave out 15443: the Service istiod gives it has only 15021 and 15012',
      files: {
        ...two(),
        'east/gateway.yaml': gateway('{gateway.networking.k8s.io/gateway-name: eastwest}'),
        'east/gw-api.yaml': gatewayAPI('istio', 'network1', [15012]),
      },
      findings: [
        {
          file: 'east/gateway.yaml',
          ...portAt,
          severity: 2,
          cluster: 'east',
          messageId: 'portNotOnInstall',
          data: { gateway: 'istio-system/cross-network-gateway', cluster: 'east', ports: '15021, 15012' },
          related: [{ file: 'east/gw-api.yaml', line: 1, column: 1, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'a Gateway alone: no workload in its network (advisory)',
      files: { ...two(), 'east/gateway.yaml': gateway() },
      findings: [
        {
          file: 'east/gateway.yaml',
          ...selectorAt,
          severity: 1,
          cluster: 'east',
          messageId: 'noWorkload',
          data: { gateway: 'istio-system/cross-network-gateway', cluster: 'east', selector: 'istio=eastwestgateway', searched: '"east"', network: 'network "network1"' },
          related: [],
        },
      ],
    },
    {
      name: 'a workload in a cluster of another network does not count',
      files: { ...two(), 'east/gateway.yaml': gateway('{istio: eastwestgateway, topology.istio.io/network: network1}') },
      findings: [
        {
          file: 'east/gateway.yaml',
          ...selectorAt,
          severity: 1,
          messageId: 'noWorkload',
          data: { searched: '"east"', selector: 'istio=eastwestgateway, topology.istio.io/network=network1' },
        },
      ],
    },
    {
      name: "primary-remote on different networks, the east-west gateway only in the remote: the primary's network has none (the remote's counts for network2 only)",
      files: { ...primaryRemote, 'cluster2/gw-deploy.yaml': deployment(), 'cluster2/gw-svc.yaml': service([15021, 15443]) },
      findings: [
        {
          file: 'cluster1/gateway.yaml',
          ...selectorAt,
          severity: 1,
          cluster: 'cluster1',
          messageId: 'noWorkload',
          data: { gateway: 'istio-system/cross-network-gateway', cluster: 'cluster1', searched: '"cluster1"', network: 'network "network1"' },
          related: [],
        },
      ],
    },
    {
      name: "primary-remote on different networks, the east-west gateway only in the primary: the Gateway configures the remote's, which does not run",
      files: { ...primaryRemote, 'cluster1/eastwest.yaml': operatorGateway('network1', [15021, 15443]) },
      findings: [
        {
          file: 'cluster1/gateway.yaml',
          ...selectorAt,
          severity: 1,
          cluster: 'cluster1',
          messageId: 'noWorkloadRemote',
          data: { gateway: 'istio-system/cross-network-gateway', cluster: 'cluster1', selector: 'istio=eastwestgateway', searched: '"cluster2"', network: 'network "network2"' },
          related: [{ file: 'cluster2/istio.yaml', ...remoteNetworkAt, cluster: 'cluster2' }],
        },
      ],
    },
    {
      name: "the remote's east-west gateway pods have a Service without 15443: reported at the primary's Gateway, the remote's Service related",
      files: {
        ...primaryRemote,
        'cluster1/eastwest.yaml': operatorGateway('network1', [15021, 15443]),
        'cluster2/gw-deploy.yaml': deployment(),
        'cluster2/gw-svc.yaml': service([15021, 15012]),
      },
      findings: [
        {
          file: 'cluster1/gateway.yaml',
          ...portAt,
          severity: 2,
          cluster: 'cluster1',
          messageId: 'portNotOnService',
          data: { searched: '"cluster2"', network: 'network "network2"', services: '"istio-system/istio-eastwestgateway"', ports: '15021, 15012' },
          related: [{ file: 'cluster2/gw-svc.yaml', line: 4, column: 9, cluster: 'cluster2' }],
        },
      ],
    },
    {
      name: "external control plane: the config cluster's Gateway configures the second remote, which runs no east-west gateway (the external istiod's cluster has no network)",
      files: {
        'external/istio.yaml': externalIstiod,
        'cluster1/istio.yaml': remoteInstall('cluster1', 'network1', true),
        'cluster1/gateway.yaml': gateway(),
        'cluster1/eastwest.yaml': operatorGateway('network1', [15021, 15443]),
        'cluster2/istio.yaml': remoteInstall('cluster2', 'network2'),
      },
      findings: [
        {
          file: 'cluster1/gateway.yaml',
          ...selectorAt,
          severity: 1,
          cluster: 'cluster1',
          messageId: 'noWorkloadRemote',
          data: { cluster: 'cluster1', searched: '"cluster2"', network: 'network "network2"' },
          related: [{ file: 'cluster2/istio.yaml', ...remoteNetworkAt, cluster: 'cluster2' }],
        },
      ],
    },
    {
      name: 'a remote holding a cross-network Gateway of its own (older guides applied it to every cluster) is checked at that Gateway, once',
      files: { ...primaryRemote, 'cluster1/eastwest.yaml': operatorGateway('network1', [15021, 15443]), 'cluster2/gateway.yaml': gateway() },
      findings: [
        {
          file: 'cluster2/gateway.yaml',
          ...selectorAt,
          severity: 1,
          cluster: 'cluster2',
          messageId: 'noWorkload',
          data: { cluster: 'cluster2', searched: '"cluster2"', network: 'network "network2"' },
          related: [],
        },
      ],
    },
    {
      name: 'pods match but no Service selects them',
      files: { ...two(), 'east/gateway.yaml': gateway(), 'east/gw-deploy.yaml': deployment() },
      findings: [
        {
          file: 'east/gateway.yaml',
          ...portAt,
          severity: 2,
          cluster: 'east',
          messageId: 'noService',
          data: { workloads: '"istio-system/istio-eastwestgateway"' },
          related: [{ file: 'east/gw-deploy.yaml', line: 4, column: 9, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'the Service of the pods leaves out 15443 (IST0162)',
      files: { ...two(), 'east/gateway.yaml': gateway(), 'east/gw-deploy.yaml': deployment(), 'east/gw-svc.yaml': service([15021, 443]) },
      findings: [
        {
          file: 'east/gateway.yaml',
          ...portAt,
          severity: 2,
          messageId: 'portNotOnService',
          data: { services: '"istio-system/istio-eastwestgateway"', ports: '15021, 443' },
          related: [{ file: 'east/gw-svc.yaml', line: 4, column: 9, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'an IstioOperator gateway component whose Service ports leave out 15443',
      files: { ...two(), 'east/gateway.yaml': gateway(), 'east/eastwest.yaml': operatorGateway('network1', [15021, 80]) },
      findings: [
        {
          file: 'east/gateway.yaml',
          ...portAt,
          severity: 2,
          messageId: 'portNotOnInstall',
          data: { ports: '15021, 80' },
          related: [{ file: 'east/eastwest.yaml', line: 7, column: 9, cluster: 'east' }],
        },
      ],
    },
  ],
});
