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
      name: 'garbage selector and ports never crash',
      files: { ...two(), 'east/gateway.yaml': gateway('${SELECTOR}'), 'east/svc.yaml': service([15443], '[1, 2]') },
    },
  ],
  invalid: [
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
