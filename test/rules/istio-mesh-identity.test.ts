import rule from '../../rules/istio-mesh-identity.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { docs } from '../helpers/manifests.js';
import { lintScenario, yaml } from '../helpers/scenario.js';
import { secret } from '../helpers/istio-remote.js';
import { describe, expect, it } from 'vitest';

/**
 * An IstioOperator. Layout: line 6 `meshID` (value column 15), line 8 `clusterName` (column 22),
 * line 9 `network` (column 16), line 11 `trustDomain` (column 18) when given.
 */
const operator = (o: { meshID: string; clusterName: string; network: string; trustDomain?: string }) =>
  [
    'apiVersion: install.istio.io/v1alpha1',
    'kind: IstioOperator',
    'spec:',
    '  values:',
    '    global:',
    `      meshID: ${o.meshID}`,
    '      multiCluster:',
    `        clusterName: ${o.clusterName}`,
    `      network: ${o.network}`,
    ...(o.trustDomain ? ['  meshConfig:', `    trustDomain: ${o.trustDomain}`] : []),
    '',
  ].join('\n');

/** The cross-network Gateway of samples/multicluster/expose-services.yaml. */
const eastWest = yaml`
  apiVersion: networking.istio.io/v1
  kind: Gateway
  metadata: {name: cross-network-gateway, namespace: istio-system}
  spec:
    selector: {istio: eastwestgateway}
    servers:
      - port: {number: 15443, name: tls, protocol: TLS}
        tls: {mode: AUTO_PASSTHROUGH}
        hosts: ["*.local"]
`;

/**
 * A remote installed as istio.io's primary-remote multi-network guide installs it: profile remote,
 * the cluster ID and network only in the injection path (line 7, the path at column 35), unless
 * `clusterName` is given (line 8, value column 76).
 */
const remote = (clusterID: string, network: string, clusterName?: string) =>
  [
    'apiVersion: install.istio.io/v1alpha1',
    'kind: IstioOperator',
    'metadata: {name: remote, namespace: istio-system}',
    'spec:',
    '  profile: remote',
    '  values:',
    `    istiodRemote: {injectionPath: /inject/cluster/${clusterID}/net/${network}}`,
    `    global: {remotePilotAddress: 203.0.113.10${clusterName ? `, multiCluster: {clusterName: ${clusterName}}` : ''}}`,
    '',
  ].join('\n');

/** A namespace labelled for sidecar injection (a remote's install alone makes it an Istio cluster too, `isIstioCluster`). */
const injectedNamespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: sample\n  labels: {istio-injection: enabled}\n';

/**
 * The east-west gateway IstioOperator of `samples/multicluster/gen-eastwest-gateway.sh --network`:
 * its `global.network` on line 17 (value column 16).
 */
const eastWestInstall = (network: string) =>
  [
    'apiVersion: install.istio.io/v1alpha1',
    'kind: IstioOperator',
    'metadata: {name: eastwest}',
    'spec:',
    '  profile: empty',
    '  components:',
    '    ingressGateways:',
    '      - name: istio-eastwestgateway',
    `        label: {istio: eastwestgateway, app: istio-eastwestgateway, topology.istio.io/network: ${network}}`,
    '        enabled: true',
    '        k8s:',
    `          env: [{name: ISTIO_META_REQUESTED_NETWORK_VIEW, value: ${network}}]`,
    '          service:',
    '            ports: [{name: status-port, port: 15021}, {name: tls, port: 15443}, {name: tls-istiod, port: 15012}, {name: tls-webhook, port: 15017}]',
    '  values:',
    '    global:',
    `      network: ${network}`,
    '',
  ].join('\n');

/** A Flux HelmRelease of `chart` with `values` lines (indented under `values:`); `values:` on line 12, its first line on 13. */
const helmRelease = (name: string, chart: string, values: string[]) =>
  [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    `  name: ${name}`,
    '  namespace: istio-system',
    'spec:',
    '  interval: 1h',
    '  chart:',
    '    spec:',
    `      chart: ${chart}`,
    '      sourceRef: {kind: HelmRepository, name: istio}',
    '  values:',
    ...values.map((l) => `    ${l}`),
    '',
  ].join('\n');

/**
 * An ambient primary as istio.io "Install ambient multi-primary on different networks" installs it
 * (IstioOperator `profile: ambient`, AMBIENT_ENABLE_MULTI_NETWORK). Layout: `global.network` on
 * line 16 (value column 16).
 */
const ambientOperator = (cluster: string, network: string, apiVersion = 'install.istio.io/v1alpha1') =>
  [
    `apiVersion: ${apiVersion}`,
    'kind: IstioOperator',
    'spec:',
    '  profile: ambient',
    '  components:',
    '    pilot:',
    '      k8s:',
    '        env:',
    '          - name: AMBIENT_ENABLE_MULTI_NETWORK',
    '            value: "true"',
    '  values:',
    '    global:',
    '      meshID: mesh1',
    '      multiCluster:',
    `        clusterName: ${cluster}`,
    `      network: ${network}`,
    '',
  ].join('\n');

/**
 * The ambient east-west gateway of `gen-eastwest-gateway.sh --network <network> --ambient` (a
 * Gateway API Gateway of class istio-east-west). Layout: line 1 the object (column 1), line 6 the
 * labels (the network label's value at column 40 when `network` is given, else another label),
 * line 12 the listener's `protocol` (value column 15).
 */
const ambientGateway = (network: string | undefined, protocol = 'HBONE') =>
  [
    'kind: Gateway',
    'apiVersion: gateway.networking.k8s.io/v1',
    'metadata:',
    '  name: istio-eastwestgateway',
    '  namespace: istio-system',
    network ? `  labels: {topology.istio.io/network: "${network}"}` : '  labels: {app: eastwest}',
    'spec:',
    '  gatewayClassName: istio-east-west',
    '  listeners:',
    '  - name: mesh',
    '    port: 15008',
    `    protocol: ${protocol}`,
    '    tls:',
    '      mode: Terminate # represents double-HBONE',
    '      options:',
    '        gateway.istio.io/tls-terminate-mode: ISTIO_MUTUAL',
    '',
  ].join('\n');

/** A Service shared across the ambient mesh (`istio.io/global: "true"`) and an ambient namespace. */
const ambientApp = docs(
  'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: sample\n  labels: {istio.io/dataplane-mode: ambient}\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: helloworld\n  namespace: sample\n  labels: {app: helloworld, istio.io/global: "true"}\nspec:\n  ports: [{port: 5000, name: http}]\n  selector: {app: helloworld}\n',
);

/**
 * The external istiod of istio.io "Install Istio with an External Control Plane" (current guide):
 * EXTERNAL_ISTIOD and CLUSTER_ID in its environment, `global.multiCluster.clusterName` and
 * `global.network` set to the remote config cluster's.
 */
const externalIstiod = (served: string, network: string) =>
  [
    'apiVersion: install.istio.io/v1alpha1',
    'kind: IstioOperator',
    'metadata: {namespace: external-istiod}',
    'spec:',
    '  profile: empty',
    '  components:',
    '    pilot:',
    '      enabled: true',
    '      k8s:',
    '        env:',
    '        - {name: EXTERNAL_ISTIOD, value: "true"}',
    `        - {name: CLUSTER_ID, value: ${served}}`,
    '  values:',
    '    global:',
    '      istioNamespace: external-istiod',
    '      meshID: mesh1',
    `      multiCluster: {clusterName: ${served}}`,
    `      network: ${network}`,
    '',
  ].join('\n');

const networkNamespace = (network: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: istio-system\n  labels:\n    topology.istio.io/network: ${network}\n`;

ruleTester(rule, {
  valid: [
    {
      name: 'multi-primary on two networks with east-west gateways (Istio multi-network install)',
      files: {
        'cluster1/istio.yaml': operator({ meshID: 'mesh1', clusterName: 'cluster1', network: 'network1' }),
        'cluster1/gw.yaml': docs(eastWest, networkNamespace('network1')),
        'cluster2/istio.yaml': operator({ meshID: 'mesh1', clusterName: 'cluster2', network: 'network2' }),
        'cluster2/gw.yaml': eastWest,
      },
    },
    {
      name: "istio.io primary-remote on different networks: the remote's east-west gateway is configured by the cross-network Gateway of its primary",
      files: {
        'cluster1/istio.yaml': docs(operator({ meshID: 'mesh1', clusterName: 'cluster1', network: 'network1' }), secret({ cluster: 'cluster2' })),
        'cluster1/gw.yaml': docs(eastWestInstall('network1'), eastWest),
        'cluster2/istio.yaml': docs(remote('cluster2', 'network2'), networkNamespace('network2')),
        'cluster2/gw.yaml': eastWestInstall('network2'),
      },
    },
    {
      name: 'istio.io external control plane on two networks: expose-services.yaml applied to the remote config cluster (global.configCluster) configures the second remote too',
      files: {
        'external/istio.yaml':
          'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata: {namespace: external-istiod}\nspec:\n  profile: empty\n  components:\n    pilot: {enabled: true}\n  values:\n    global: {meshID: mesh1, istioNamespace: external-istiod}\n',
        'cluster1/istio.yaml': docs(
          'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata: {namespace: external-istiod}\nspec:\n  profile: remote\n  values:\n    global: {istioNamespace: external-istiod, remotePilotAddress: 203.0.113.20, configCluster: true}\n    istiodRemote: {injectionPath: /inject/cluster/cluster1/net/network1}\n',
          eastWestInstall('network1'),
          eastWest,
        ),
        'cluster2/istio.yaml': docs(remote('cluster2', 'network2'), eastWestInstall('network2')),
      },
    },
    {
      name: 'the same with Helm (Flux HelmReleases): the istiod-remote chart and the gateway chart with networkGateway',
      files: {
        'cluster1/istio.yaml': docs(
          helmRelease('istiod', 'istiod', ['global:', '  meshID: mesh1', '  multiCluster: {clusterName: cluster1}', '  network: network1']),
          helmRelease('istio-eastwestgateway', 'gateway', ['name: istio-eastwestgateway', 'networkGateway: network1']),
          secret({ cluster: 'cluster2' }),
          eastWest,
        ),
        'cluster2/istio.yaml': docs(
          helmRelease('istiod-remote', 'istiod-remote', [
            'global:',
            '  multiCluster: {clusterName: cluster2}',
            '  network: network2',
            '  remotePilotAddress: 203.0.113.10',
            'istiodRemote: {injectionPath: /inject/cluster/cluster2/net/network2}',
          ]),
          helmRelease('istio-eastwestgateway', 'gateway', ['name: istio-eastwestgateway', 'networkGateway: network2']),
        ),
      },
    },
    {
      name: 'istio.io ambient multi-primary on different networks: the istio-east-west Gateways (HBONE, network label) are the east-west gateways; no expose-services.yaml',
      files: {
        'cluster1/istio.yaml': docs(ambientOperator('cluster1', 'network1'), networkNamespace('network1'), secret({ cluster: 'cluster2' })),
        'cluster1/ewgateway.yaml': ambientGateway('network1'),
        'cluster1/app.yaml': ambientApp,
        'cluster2/istio.yaml': docs(ambientOperator('cluster2', 'network2'), networkNamespace('network2'), secret({ cluster: 'cluster1' })),
        'cluster2/ewgateway.yaml': ambientGateway('network2'),
        'cluster2/app.yaml': ambientApp,
      },
    },
    {
      name: "the same copied verbatim with the guide's apiVersion typo (insall.istio.io): the clusters' networks come from the istio-system labels",
      files: {
        'cluster1/istio.yaml': docs(ambientOperator('cluster1', 'network1', 'insall.istio.io/v1alpha1'), networkNamespace('network1')),
        'cluster1/ewgateway.yaml': ambientGateway('network1'),
        'cluster1/app.yaml': ambientApp,
        'cluster2/istio.yaml': docs(ambientOperator('cluster2', 'network2', 'insall.istio.io/v1alpha1'), networkNamespace('network2')),
        'cluster2/ewgateway.yaml': ambientGateway('network2'),
        'cluster2/app.yaml': ambientApp,
      },
    },
    {
      name: "a Gateway API Gateway of class istio with the network label and a TLS Passthrough listener on 15443 (istiod's auto-passthrough) exposes a sidecar cluster",
      files: {
        'a/istio.yaml': docs(
          operator({ meshID: 'mesh1', clusterName: 'a', network: 'net-a' }),
          'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: eastwestgateway\n  namespace: istio-system\n  labels: {topology.istio.io/network: net-a}\nspec:\n  gatewayClassName: istio\n  listeners:\n  - {name: cross-network, hostname: "*.local", port: 15443, protocol: TLS, tls: {mode: Passthrough}}\n',
        ),
        'b/istio.yaml': docs(operator({ meshID: 'mesh1', clusterName: 'b', network: 'net-b' }), eastWest),
      },
    },
    {
      name: "istio.io external control plane (current guide): the external istiod's clusterName and network are its config cluster's, not a second cluster1 on network1 without gateway",
      files: {
        'external/istio.yaml': externalIstiod('cluster1', 'network1'),
        'cluster1/istio.yaml': docs(
          'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata: {namespace: external-istiod}\nspec:\n  profile: remote\n  values:\n    global: {istioNamespace: external-istiod, configCluster: true}\n    istiodRemote: {injectionURL: "https://203.0.113.20:15017/inject/cluster/cluster1/net/network1"}\n',
          eastWestInstall('network1'),
          eastWest,
        ),
        'cluster2/istio.yaml': docs(remote('cluster2', 'network2'), eastWestInstall('network2')),
      },
    },
    {
      name: 'Helm values and a Sail Istio CR on one network need no gateway',
      files: {
        'a/values.yaml': 'global:\n  meshID: mesh1\n  multiCluster:\n    clusterName: a\n  network: net1\n',
        'b/istio.yaml':
          'apiVersion: sailoperator.io/v1\nkind: Istio\nmetadata: {name: default}\nspec:\n  values:\n    global: {meshID: mesh1, network: net1, multiCluster: {clusterName: b}}\n',
      },
    },
  ],
  invalid: [
    {
      name: "ambient multi-network: cluster2's istio-east-west Gateway lacks the network label, which istiod in cluster1 requires; worded for ambient",
      files: {
        'cluster1/istio.yaml': docs(ambientOperator('cluster1', 'network1'), networkNamespace('network1')),
        'cluster1/ewgateway.yaml': ambientGateway('network1'),
        'cluster2/istio.yaml': docs(ambientOperator('cluster2', 'network2'), networkNamespace('network2')),
        'cluster2/ewgateway.yaml': ambientGateway(undefined),
      },
      findings: [
        {
          file: 'cluster2/istio.yaml',
          line: 16,
          column: 16,
          severity: 1,
          cluster: 'cluster2',
          messageId: 'noEastWestGatewayAmbient',
          data: { cluster: 'cluster2', network: 'network2', others: '"network1"' },
          related: [
            { file: 'cluster1/istio.yaml', line: 16, column: 16, cluster: 'cluster1' },
            { file: 'cluster2/ewgateway.yaml', line: 1, column: 1, cluster: 'cluster2' },
          ],
        },
      ],
    },
    {
      name: 'ambient known from a namespace label only (install not read): an istio-east-west Gateway with a TLS listener instead of HBONE, and a cluster with none',
      files: {
        'cluster1/ns.yaml': docs(networkNamespace('network1'), ambientApp),
        'cluster1/ewgateway.yaml': ambientGateway('network1', 'TLS'),
        'cluster2/ns.yaml': docs(networkNamespace('network2'), ambientApp),
      },
      findings: [
        {
          file: 'cluster1/ns.yaml',
          line: 6,
          column: 32,
          severity: 1,
          cluster: 'cluster1',
          messageId: 'noEastWestGatewayAmbient',
          data: { cluster: 'cluster1', network: 'network1', others: '"network2"' },
          related: [
            { file: 'cluster2/ns.yaml', line: 6, column: 32, cluster: 'cluster2' },
            { file: 'cluster1/ewgateway.yaml', line: 1, column: 1, cluster: 'cluster1' },
          ],
        },
        {
          file: 'cluster2/ns.yaml',
          line: 6,
          column: 32,
          severity: 1,
          cluster: 'cluster2',
          messageId: 'noEastWestGatewayAmbient',
          data: { cluster: 'cluster2', network: 'network2', others: '"network1"' },
          related: [{ file: 'cluster1/ns.yaml', line: 6, column: 32, cluster: 'cluster1' }],
        },
      ],
    },
    {
      name: 'primary-remote on different networks without the cross-network Gateway: the remote deploys its east-west gateway, the primary exposes nothing',
      files: {
        'cluster1/istio.yaml': docs(operator({ meshID: 'mesh1', clusterName: 'cluster1', network: 'network1' }), secret({ cluster: 'cluster2' })),
        'cluster2/istio.yaml': remote('cluster2', 'network2'),
        'cluster2/gw.yaml': eastWestInstall('network2'),
      },
      findings: [
        {
          file: 'cluster1/istio.yaml',
          line: 9,
          column: 16,
          severity: 1,
          cluster: 'cluster1',
          messageId: 'noEastWestGateway',
          data: { cluster: 'cluster1', network: 'network1', port: 15443, others: '"network2"' },
          related: [{ file: 'cluster2/gw.yaml', line: 17, column: 16, cluster: 'cluster2' }],
        },
        {
          file: 'cluster2/gw.yaml',
          line: 17,
          column: 16,
          severity: 1,
          cluster: 'cluster2',
          messageId: 'eastWestNotExposedRemote',
          data: { cluster: 'cluster2', network: 'network2', port: 15443, others: '"network1"', primaries: '"cluster1"' },
          related: [{ file: 'cluster1/istio.yaml', line: 9, column: 16, cluster: 'cluster1' }],
        },
      ],
    },
    {
      name: 'a remote on its own network (from its injection path) with no east-west gateway, in a mesh whose primary has no cross-network Gateway',
      files: {
        'cluster1/istio.yaml': docs(operator({ meshID: 'mesh1', clusterName: 'cluster1', network: 'network1' }), eastWest),
        'cluster2/istio.yaml': docs(remote('cluster2', 'network2'), injectedNamespace),
        'cluster3/istio.yaml': docs(operator({ meshID: 'mesh1', clusterName: 'cluster3', network: 'network3' }), secret({ cluster: 'cluster4' })),
        'cluster4/istio.yaml': docs(remote('cluster4', 'network4'), injectedNamespace),
      },
      findings: [
        {
          file: 'cluster3/istio.yaml',
          line: 9,
          column: 16,
          severity: 1,
          cluster: 'cluster3',
          messageId: 'noEastWestGateway',
          data: { cluster: 'cluster3', network: 'network3', port: 15443, others: '"network1", "network2", "network4"' },
        },
        {
          file: 'cluster4/istio.yaml',
          line: 7,
          column: 35,
          severity: 1,
          cluster: 'cluster4',
          messageId: 'noEastWestGatewayRemote',
          data: { cluster: 'cluster4', network: 'network4', port: 15443, others: '"network1", "network2", "network3"', primaries: '"cluster3"' },
          related: [
            { file: 'cluster1/istio.yaml', line: 9, column: 16, cluster: 'cluster1' },
            { file: 'cluster2/istio.yaml', line: 7, column: 35, cluster: 'cluster2' },
            { file: 'cluster3/istio.yaml', line: 9, column: 16, cluster: 'cluster3' },
          ],
        },
      ],
    },
    {
      name: "istio.io external control plane's second remote, whose only Istio sign is its install (remote profile, injection path on network2), is a cluster of the mesh",
      files: {
        'external/istio.yaml':
          'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata: {namespace: external-istiod}\nspec:\n  profile: empty\n  components:\n    pilot: {enabled: true}\n  values:\n    global: {meshID: mesh1, istioNamespace: external-istiod}\n',
        'cluster1/istio.yaml': docs(remote('cluster1', 'network1'), injectedNamespace),
        'cluster2/istio.yaml': remote('cluster2', 'network2'),
      },
      findings: [
        {
          file: 'cluster1/istio.yaml',
          line: 7,
          column: 35,
          severity: 1,
          cluster: 'cluster1',
          messageId: 'noEastWestGatewayRemote',
          data: { cluster: 'cluster1', network: 'network1', others: '"network2"', primaries: '"external"' },
          related: [{ file: 'cluster2/istio.yaml', line: 7, column: 35, cluster: 'cluster2' }],
        },
        {
          file: 'cluster2/istio.yaml',
          line: 7,
          column: 35,
          severity: 1,
          cluster: 'cluster2',
          messageId: 'noEastWestGatewayRemote',
          data: { cluster: 'cluster2', network: 'network2', others: '"network1"', primaries: '"external"' },
          related: [{ file: 'cluster1/istio.yaml', line: 7, column: 35, cluster: 'cluster1' }],
        },
      ],
    },
    {
      name: "external control plane with EXTERNAL_ISTIOD: that istiod reads Gateways from its config cluster cluster1, not from its own cluster, so only cluster1 can configure cluster2's gateway",
      files: {
        'external/istio.yaml': externalIstiod('cluster1', 'network1'),
        'cluster1/istio.yaml':
          'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata: {namespace: external-istiod}\nspec:\n  profile: remote\n  values:\n    global: {istioNamespace: external-istiod, configCluster: true}\n    istiodRemote: {injectionPath: /inject/cluster/cluster1/net/network1}\n',
        'cluster2/istio.yaml': docs(remote('cluster2', 'network2'), injectedNamespace),
      },
      findings: [
        {
          file: 'cluster1/istio.yaml',
          line: 8,
          column: 35,
          severity: 1,
          cluster: 'cluster1',
          messageId: 'noEastWestGateway',
          data: { cluster: 'cluster1', network: 'network1', others: '"network2"' },
          related: [{ file: 'cluster2/istio.yaml', line: 7, column: 35, cluster: 'cluster2' }],
        },
        {
          file: 'cluster2/istio.yaml',
          line: 7,
          column: 35,
          severity: 1,
          cluster: 'cluster2',
          messageId: 'noEastWestGatewayRemote',
          data: { cluster: 'cluster2', network: 'network2', others: '"network1"', primaries: '"cluster1"' },
          related: [{ file: 'cluster1/istio.yaml', line: 8, column: 35, cluster: 'cluster1' }],
        },
      ],
    },
    {
      name: 'a gateway-chart release with networkGateway deploys the east-west gateway (its Service gets 15443): only the Gateway is missing, in the remote and its primary',
      files: {
        'cluster1/istio.yaml': docs(operator({ meshID: 'mesh1', clusterName: 'cluster1', network: 'network1' }), secret({ cluster: 'cluster2' })),
        'cluster1/gw.yaml': helmRelease('istio-eastwestgateway', 'gateway', ['name: istio-eastwestgateway', 'networkGateway: network1']),
        'cluster2/istio.yaml': remote('cluster2', 'network2'),
        'cluster2/gw.yaml': helmRelease('istio-eastwestgateway', 'gateway', ['name: istio-eastwestgateway', 'networkGateway: network2']),
        'cluster2/sample.yaml': injectedNamespace,
      },
      findings: [
        {
          file: 'cluster1/istio.yaml',
          line: 9,
          column: 16,
          severity: 1,
          cluster: 'cluster1',
          messageId: 'eastWestNotExposed',
          data: { cluster: 'cluster1', network: 'network1', port: 15443, others: '"network2"' },
          related: [{ file: 'cluster2/istio.yaml', line: 7, column: 35, cluster: 'cluster2' }],
        },
        {
          file: 'cluster2/istio.yaml',
          line: 7,
          column: 35,
          severity: 1,
          cluster: 'cluster2',
          messageId: 'eastWestNotExposedRemote',
          data: { cluster: 'cluster2', network: 'network2', port: 15443, others: '"network1"', primaries: '"cluster1"' },
          related: [{ file: 'cluster1/istio.yaml', line: 9, column: 16, cluster: 'cluster1' }],
        },
      ],
    },
    {
      name: "the injection path's cluster ID counts as the remote's clusterName: another remote copied it, a third disagrees with its global.multiCluster.clusterName",
      files: {
        'cluster1/istio.yaml': docs(operator({ meshID: 'mesh1', clusterName: 'cluster1', network: 'network1' }), injectedNamespace),
        'cluster2/istio.yaml': docs(remote('cluster2', 'network1'), injectedNamespace),
        'cluster3/istio.yaml': docs(remote('cluster2', 'network1'), injectedNamespace),
        'cluster4/istio.yaml': docs(remote('cluster3', 'network1', 'cluster4'), injectedNamespace),
      },
      findings: [
        {
          file: 'cluster3/istio.yaml',
          line: 7,
          column: 35,
          severity: 2,
          cluster: 'cluster3',
          messageId: 'clusterNameDuplicate',
          data: { cluster: 'cluster3', clusterName: 'cluster2', other: 'cluster2' },
          related: [{ file: 'cluster2/istio.yaml', line: 7, column: 35, cluster: 'cluster2' }],
        },
        {
          file: 'cluster4/istio.yaml',
          line: 7,
          column: 35,
          severity: 2,
          cluster: 'cluster4',
          messageId: 'clusterNameConflict',
          data: { setting: 'clusterName', value: 'cluster3', first: 'cluster4', cluster: 'cluster4', origin: 'IstioOperator spec istiodRemote.injectionPath (cluster)' },
          related: [{ file: 'cluster4/istio.yaml', line: 8, column: 76 }],
        },
      ],
    },
    {
      name: 'one cluster with another meshID (error at the odd one, related to the majority)',
      files: {
        'a/istio.yaml': docs(operator({ meshID: 'mesh1', clusterName: 'a', network: 'n1' }), eastWest),
        'b/istio.yaml': docs(operator({ meshID: 'mesh1', clusterName: 'b', network: 'n1' }), eastWest),
        'c/istio.yaml': docs(operator({ meshID: 'mesh-1', clusterName: 'c', network: 'n1' }), eastWest),
      },
      findings: [
        {
          file: 'c/istio.yaml',
          line: 6,
          column: 15,
          severity: 2,
          cluster: 'c',
          messageId: 'meshIDDiffers',
          data: { cluster: 'c', meshID: 'mesh-1', count: 2, reference: 'mesh1', referenceCluster: 'a' },
          related: [{ file: 'a/istio.yaml', line: 6, column: 15, cluster: 'a' }],
        },
      ],
    },
    {
      name: 'every cluster its own meshID: one warning suggesting a federation',
      files: {
        'east/istio.yaml': operator({ meshID: 'east-mesh', clusterName: 'east', network: 'n1' }),
        'west/istio.yaml': operator({ meshID: 'west-mesh', clusterName: 'west', network: 'n1' }),
      },
      findings: [
        {
          file: 'east/istio.yaml',
          line: 6,
          column: 15,
          severity: 1,
          messageId: 'meshIDSeparate',
          data: { meshIDs: '"east-mesh" in "east", "west-mesh" in "west"' },
          related: [{ file: 'west/istio.yaml', line: 6, column: 15 }],
        },
      ],
    },
    {
      name: 'a duplicate clusterName and one differing from the Submariner clusterID (directory names are layout, not identities)',
      files: {
        'a/istio.yaml': operator({ meshID: 'm', clusterName: 'prod', network: 'n1' }),
        'b/istio.yaml': operator({ meshID: 'm', clusterName: 'prod', network: 'n1' }),
        'b/submariner.yaml':
          'apiVersion: submariner.io/v1alpha1\nkind: Submariner\nmetadata: {name: submariner, namespace: submariner-operator}\nspec:\n  clusterID: cluster-b\n  clusterCIDR: 10.1.0.0/16\n  serviceCIDR: 10.96.0.0/16\n  broker: k8s\n  brokerK8sApiServer: https://b:6443\n  brokerK8sRemoteNamespace: x\n  ceIPSecDebug: false\n  debug: false\n  namespace: submariner-operator\n  natEnabled: false\n',
      },
      findings: [
        {
          file: 'b/istio.yaml',
          line: 8,
          column: 22,
          severity: 2,
          messageId: 'clusterNameDuplicate',
          data: { cluster: 'b', clusterName: 'prod', other: 'a' },
          related: [{ file: 'a/istio.yaml', line: 8, column: 22, cluster: 'a' }],
        },
        {
          file: 'b/istio.yaml',
          line: 8,
          column: 22,
          severity: 1,
          messageId: 'clusterNameMismatch',
          data: { clusterName: 'prod', cluster: 'b', origin: 'Submariner spec.clusterID', identity: 'cluster-b' },
          related: [{ file: 'b/submariner.yaml', line: 5, column: 14 }],
        },
      ],
    },
    {
      name: 'the istio-system network label disagrees with global.network; a network without east-west gateway',
      files: {
        'a/istio.yaml': docs(operator({ meshID: 'm', clusterName: 'a', network: 'net-a' }), networkNamespace('net-b')),
        'b/istio.yaml': docs(operator({ meshID: 'm', clusterName: 'b', network: 'net-b' }), eastWest),
      },
      findings: [
        {
          file: 'a/istio.yaml',
          line: 16,
          column: 32,
          severity: 2,
          messageId: 'networkConflict',
          data: {
            origin: 'Namespace "istio-system" label topology.istio.io/network',
            setting: 'network',
            value: 'net-b',
            firstOrigin: 'IstioOperator spec.values global.network',
            first: 'net-a',
            cluster: 'a',
          },
          related: [{ file: 'a/istio.yaml', line: 9, column: 16 }],
        },
        {
          file: 'a/istio.yaml',
          line: 9,
          column: 16,
          severity: 1,
          messageId: 'noEastWestGateway',
          data: { cluster: 'a', network: 'net-a', port: 15443, others: '"net-b"' },
          related: [{ file: 'b/istio.yaml', line: 9, column: 16, cluster: 'b' }],
        },
      ],
    },
    {
      name: 'trust domains differ (absent = cluster.local)',
      files: {
        'a/istio.yaml': operator({ meshID: 'm', clusterName: 'a', network: 'n', trustDomain: 'corp.example' }),
        'b/istio.yaml': operator({ meshID: 'm', clusterName: 'b', network: 'n', trustDomain: 'corp.example' }),
        'c/istio.yaml': operator({ meshID: 'm', clusterName: 'c', network: 'n' }),
      },
      findings: [
        {
          file: 'c/istio.yaml',
          line: 1,
          column: 1,
          messageId: 'trustDomainDefault',
          data: { cluster: 'c', trustDomain: 'cluster.local', referenceCluster: 'a', reference: 'corp.example' },
          related: [{ file: 'a/istio.yaml', line: 11, column: 18 }],
        },
      ],
    },
    {
      name: 'one cluster whose two install documents disagree on meshID and clusterName (errors at the second, related to the first)',
      files: {
        'a/istio.yaml': docs(operator({ meshID: 'm', clusterName: 'a', network: 'n' }), operator({ meshID: 'm2', clusterName: 'a2', network: 'n' })),
        'b/istio.yaml': operator({ meshID: 'm', clusterName: 'b', network: 'n' }),
      },
      findings: [
        {
          file: 'a/istio.yaml',
          line: 16,
          column: 15,
          severity: 2,
          cluster: 'a',
          messageId: 'meshIDConflict',
          data: { origin: 'IstioOperator spec.values global.meshID', setting: 'meshID', value: 'm2', first: 'm', cluster: 'a' },
          related: [{ file: 'a/istio.yaml', line: 6, column: 15 }],
        },
        {
          file: 'a/istio.yaml',
          line: 18,
          column: 22,
          severity: 2,
          cluster: 'a',
          messageId: 'clusterNameConflict',
          data: { setting: 'clusterName', value: 'a2', first: 'a', cluster: 'a' },
          related: [{ file: 'a/istio.yaml', line: 8, column: 22 }],
        },
      ],
    },
    {
      name: 'an east-west gateway Service on port 15443 without a Gateway exposing services through it',
      files: {
        'a/istio.yaml': operator({ meshID: 'm', clusterName: 'a', network: 'net-a' }),
        'a/eastwest-svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: istio-eastwestgateway, namespace: istio-system}\nspec:\n  ports:\n    - {name: tls, port: 15443}\n',
        'b/istio.yaml': docs(operator({ meshID: 'm', clusterName: 'b', network: 'net-b' }), eastWest),
      },
      findings: [
        {
          file: 'a/istio.yaml',
          line: 9,
          column: 16,
          severity: 1,
          cluster: 'a',
          messageId: 'eastWestNotExposed',
          data: { cluster: 'a', network: 'net-a', port: 15443, others: '"net-b"' },
          related: [{ file: 'b/istio.yaml', line: 9, column: 16, cluster: 'b' }],
        },
      ],
    },
    {
      name: 'an explicit trust domain that differs from the mesh majority',
      files: {
        'a/istio.yaml': operator({ meshID: 'm', clusterName: 'a', network: 'n', trustDomain: 'corp.example' }),
        'b/istio.yaml': operator({ meshID: 'm', clusterName: 'b', network: 'n', trustDomain: 'corp.example' }),
        'c/istio.yaml': operator({ meshID: 'm', clusterName: 'c', network: 'n', trustDomain: 'other.example' }),
      },
      findings: [
        {
          file: 'c/istio.yaml',
          line: 11,
          column: 18,
          severity: 2,
          cluster: 'c',
          messageId: 'trustDomain',
          data: { cluster: 'c', trustDomain: 'other.example', referenceCluster: 'a', reference: 'corp.example' },
          related: [{ file: 'a/istio.yaml', line: 11, column: 18, cluster: 'a' }],
        },
      ],
    },
  ],
});

describe('istio-mesh-identity ambient east-west gateways', () => {
  it('names why an istio-east-west Gateway is not the network gateway, at that Gateway', async () => {
    const files = {
      'cluster1/istio.yaml': docs(ambientOperator('cluster1', 'network1'), networkNamespace('network1')),
      'cluster1/ewgateway.yaml': ambientGateway('network1', 'TLS'),
      'cluster2/istio.yaml': docs(ambientOperator('cluster2', 'network2'), networkNamespace('network2')),
      'cluster2/ewgateway.yaml': ambientGateway(undefined),
    };
    const { findings } = await lintScenario(files, { rules: [rule] });
    expect(findings.map((f) => f.related.map((r) => r.message))).toEqual([
      ['network "network2" of cluster "cluster2"', 'Gateway "istio-system/istio-eastwestgateway" of class istio-east-west has no HBONE listener with tls.mode Terminate'],
      ['network "network1" of cluster "cluster1"', 'Gateway "istio-system/istio-eastwestgateway" of class istio-east-west has no label topology.istio.io/network'],
    ]);
    expect(findings[0].message).toBe(
      'Ambient cluster "cluster1" on network "network1" has no east-west Gateway of class istio-east-west with an HBONE listener, though the mesh also spans "network2".',
    );
    expect(findings[0].hint).toContain('gen-eastwest-gateway.sh --network network1 --ambient');
  });
});

describe('istio-mesh-identity options', () => {
  it('a declared federation accepts different meshIDs', async () => {
    const files = {
      'mclint.config.yaml': 'rules:\n  istio-mesh-identity: [error, { federation: [default] }]\n',
      'east/istio.yaml': operator({ meshID: 'east-mesh', clusterName: 'east', network: 'n1' }),
      'west/istio.yaml': operator({ meshID: 'west-mesh', clusterName: 'west', network: 'n1' }),
    };
    const { relFindings } = await lintScenario(files, { rules: [rule] });
    expect(relFindings).toEqual([]);
  });
});
