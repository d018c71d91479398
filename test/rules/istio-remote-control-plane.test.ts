import { relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import rule from '../../rules/istio-remote-control-plane.js';
import secretRule from '../../rules/istio-remote-secret.js';
import { lint } from '../../src/lint.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { docs } from '../helpers/manifests.js';
import { operator, secret } from '../helpers/istio-remote.js';

/** `samples/multicluster/expose-istiod.yaml`'s Gateway: servers[0] (15012) on line 8, servers[1] (15017) on line 11. */
const exposeIstiod = (webhook = true) =>
  [
    'apiVersion: networking.istio.io/v1',
    'kind: Gateway',
    'metadata: {name: istiod-gateway, namespace: istio-system}',
    'spec:',
    '  selector:',
    '    istio: eastwestgateway',
    '  servers:',
    '    - port: {name: tls-istiod, number: 15012, protocol: tls}',
    '      tls: {mode: PASSTHROUGH}',
    '      hosts: ["*"]',
    ...(webhook ? ['    - port: {name: tls-istiodwebhook, number: 15017, protocol: tls}', '      tls: {mode: PASSTHROUGH}', '      hosts: ["*"]'] : []),
    '',
  ].join('\n');

/** The remote's IstioOperator: `profile` on line 5 (column 12), `remotePilotAddress` on line 12 (column 27) when given. */
const remote = (o: { address?: string; meshID?: string; clusterName?: string } = {}) =>
  o.clusterName === undefined && o.address === undefined
    ? 'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata: {name: remote}\nspec:\n  profile: remote\n'
    : operator({ clusterName: o.clusterName ?? 'remote', profile: 'remote', meshID: o.meshID, extra: o.address ? [`      remotePilotAddress: ${o.address}`] : [] });

/** `global.meshNetworks` lines for an IstioOperator's `extra` (below `global:`): `network1` (its key on the 2nd line, column 9) with `fromRegistry` IDs. */
const meshNetworks = (...registries: string[]) => [
  '      meshNetworks:',
  '        network1:',
  '          endpoints:',
  ...registries.map((r) => `            - fromRegistry: ${r}`),
  '          gateways:',
  '            - {address: 203.0.113.1, port: 15443}',
];

/** A remote on `network`: `clusterName` on line 10 (column 22), `network` on line 11 (column 16). */
const remoteOn = (network: string) => operator({ clusterName: 'remote', profile: 'remote', network, extra: ['      remotePilotAddress: 203.0.113.10'] });

/**
 * A remote installed as istio.io's primary-remote guides install it: no clusterName nor network,
 * the cluster ID and network in the injection webhook's path. Layout: line 5 `profile` (column 12),
 * line 8 the `field` (`injectionPath`: value column 22, `injectionURL`: 21), line 10
 * `remotePilotAddress` (column 27) unless `address` is false.
 */
const injected = (path: string, o: { field?: 'injectionPath' | 'injectionURL'; address?: boolean } = {}) =>
  [
    'apiVersion: install.istio.io/v1alpha1',
    'kind: IstioOperator',
    'metadata: {name: remote, namespace: istio-system}',
    'spec:',
    '  profile: remote',
    '  values:',
    '    istiodRemote:',
    `      ${o.field ?? 'injectionPath'}: ${path}`,
    '    global:',
    ...(o.address === false ? [] : ['      remotePilotAddress: 203.0.113.10']),
    '',
  ].join('\n');

/**
 * The external cluster of istio.io "Install Istio with an External Control Plane": the external
 * istiod (EXTERNAL_ISTIOD, CLUSTER_ID naming the config cluster; its object on line 1, column 1)
 * and the `create-remote-secret --type config` Secret `istio-kubeconfig` it mounts.
 */
const externalCluster = (served: string) =>
  docs(
    'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata: {namespace: external-istiod}\nspec:\n  profile: empty\n  components:\n    pilot:\n      enabled: true\n      k8s:\n        env:\n        - {name: EXTERNAL_ISTIOD, value: "true"}\n        - {name: CLUSTER_ID, value: ' +
      served +
      '}\n  values:\n    global: {caAddress: "172.18.255.200:15012", istioNamespace: external-istiod, meshID: mesh1}\n',
    `apiVersion: v1\nkind: Secret\nmetadata:\n  annotations: {networking.istio.io/cluster: ${served}}\n  labels: {istio/multiCluster: "true"}\n  name: istio-kubeconfig\n  namespace: external-istiod\nstringData:\n  config: |\n    apiVersion: v1\n    clusters: [{cluster: {server: "https://172.18.0.3:6443"}, name: ${served}}]\n`,
  );

/** The remote config cluster (profile external, `configCluster`), reaching istiod through its injectionURL: `profile` on line 5 (column 12). */
const configCluster = (cluster: string) =>
  `apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata: {namespace: external-istiod}\nspec:\n  profile: external\n  values:\n    global: {istioNamespace: external-istiod, configCluster: true}\n    istiodRemote: {injectionURL: "https://172.18.255.200:15017/inject/:ENV:cluster=${cluster}:ENV:net=network1"}\n`;

/** The ingress gateway install of the external cluster (istio.io's controlplane-gateway.yaml): Service ports 15021, 15012, 15017; its component on line 7 (column 9). */
const controlPlaneGateway =
  'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata: {namespace: istio-system}\nspec:\n  components:\n    ingressGateways:\n      - name: istio-ingressgateway\n        enabled: true\n        k8s: {service: {ports: [{port: 15021, name: status-port}, {port: 15012, name: tls-xds}, {port: 15017, name: tls-webhook}]}}\n';

/** The guide's external-istiod-gw.yaml Gateway (IP-address variant: PASSTHROUGH on 15012 and 15017). */
const externalIstiodGateway =
  'apiVersion: networking.istio.io/v1beta1\nkind: Gateway\nmetadata: {name: external-istiod-gw, namespace: external-istiod}\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n    - port: {number: 15012, protocol: tls, name: tls-XDS}\n      tls: {mode: PASSTHROUGH}\n      hosts: ["*"]\n    - port: {number: 15017, protocol: tls, name: tls-WEBHOOK}\n      tls: {mode: PASSTHROUGH}\n      hosts: ["*"]\n';

ruleTester(rule, {
  valid: [
    {
      name: 'istio.io external control plane: the external cluster publishes istiod through its ingress gateway (a Gateway on 15012 and 15017)',
      files: {
        'cluster1/istio.yaml': docs(externalCluster('cluster2'), controlPlaneGateway, externalIstiodGateway),
        'cluster2/istio.yaml': configCluster('cluster2'),
      },
    },
    {
      name: 'an external istiod published by a LoadBalancer Service selecting the istiod pods with 15012 and 15017',
      files: {
        'cluster1/istio.yaml': docs(
          externalCluster('cluster2'),
          'apiVersion: v1\nkind: Service\nmetadata: {name: istio-endpoint-service, namespace: external-istiod}\nspec:\n  type: LoadBalancer\n  selector: {istio: pilot, app: istiod}\n  ports: [{name: tls-istiod, port: 15012}, {name: tls-webhook, port: 15017}]\n',
        ),
        'cluster2/istio.yaml': configCluster('cluster2'),
      },
    },
    {
      name: 'istio.io primary-remote on different networks: the remote names its cluster ID and network only in injectionPath (/inject/cluster/remote/net/network1)',
      files: {
        'primary/istio.yaml': docs(operator({ clusterName: 'primary', extra: meshNetworks('primary', 'remote') }), secret({ cluster: 'remote' }), exposeIstiod()),
        'remote/istio.yaml': injected('/inject/cluster/remote/net/network1'),
      },
    },
    {
      name: 'the external control plane guide: an injectionURL to the primary, with the older :ENV: form of the path, and no remotePilotAddress',
      files: {
        'primary/istio.yaml': docs(operator({ clusterName: 'primary', extra: meshNetworks('primary', 'remote') }), secret({ cluster: 'remote' }), exposeIstiod()),
        'remote/istio.yaml': injected('https://203.0.113.10:15017/inject/:ENV:cluster=remote:ENV:net=network1', { field: 'injectionURL', address: false }),
      },
    },
    {
      name: "a cluster ID left to apply time in the injection path is unrendered-placeholder's",
      files: {
        'primary/istio.yaml': docs(operator({ clusterName: 'primary' }), secret({ cluster: 'remote' }), exposeIstiod()),
        'remote/istio.yaml': injected('/inject/cluster/${CLUSTER_NAME}/net/network1'),
      },
    },
    {
      name: 'an injectionURL whose path is left to apply time (as istio.io writes it, ${SECOND_CLUSTER_NAME}): the cluster ID is unknown, not missing, and an injectionPath beside it is unused',
      files: {
        'primary/istio.yaml': docs(operator({ clusterName: 'primary', extra: meshNetworks('primary') }), secret({ cluster: 'remote' }), exposeIstiod()),
        'remote/istio.yaml': injected('https://${EXTERNAL_ISTIOD_ADDR}:15017/inject/:ENV:cluster=${SECOND_CLUSTER_NAME}:ENV:net=network2', {
          field: 'injectionURL',
          address: false,
        }).replace('    global:', '      injectionPath: /inject/cluster/remote/net/network2\n    global:'),
      },
    },
    {
      name: "the remote's network and cluster ID are in the primary's meshNetworks",
      files: {
        'primary/istio.yaml': docs(operator({ clusterName: 'primary', extra: meshNetworks('primary', 'remote') }), secret({ cluster: 'remote' }), exposeIstiod()),
        'remote/istio.yaml': remoteOn('network1'),
      },
    },
    {
      name: 'primary-remote as istio.io installs it: secret in the primary, istiod exposed on 15012 and 15017, remotePilotAddress set',
      files: {
        'primary/istio.yaml': docs(operator({ clusterName: 'primary' }), secret({ cluster: 'remote' }), exposeIstiod()),
        'remote/istio.yaml': remote({ address: '203.0.113.10' }),
      },
    },
    {
      name: "a remotePilotAddress left to apply time is unrendered-placeholder's; an istiod LoadBalancer Service exposes istiod directly",
      files: {
        'primary/istio.yaml': docs(
          operator({ clusterName: 'primary' }),
          'apiVersion: v1\nkind: Service\nmetadata: {name: istiod, namespace: istio-system}\nspec:\n  type: LoadBalancer\n  selector: {app: istiod}\n  ports:\n    - {name: grpc-xds, port: 15012}\n',
        ),
        'remote/istio.yaml': remote({ address: '${PILOT_ADDRESS}' }),
      },
    },
  ],
  invalid: [
    {
      name: 'external control plane (--type config kubeconfig, EXTERNAL_ISTIOD) published by nothing in the repository: worded for the external cluster, not an east-west gateway',
      files: {
        'cluster1/istio.yaml': externalCluster('cluster2'),
        'cluster2/istio.yaml': configCluster('cluster2'),
      },
      findings: [
        {
          file: 'cluster2/istio.yaml',
          line: 5,
          column: 12,
          severity: 1,
          cluster: 'cluster2',
          messageId: 'externalIstiodNotExposed',
          data: { cluster: 'cluster2', primaries: '"cluster1"', port: 15012 },
          related: [{ file: 'cluster1/istio.yaml', line: 1, column: 1, cluster: 'cluster1' }],
        },
      ],
    },
    {
      name: 'external control plane whose ingress gateway has port 15012 but no Gateway routes it to istiod',
      files: {
        'cluster1/istio.yaml': docs(externalCluster('cluster2'), controlPlaneGateway),
        'cluster2/istio.yaml': configCluster('cluster2'),
      },
      findings: [
        {
          file: 'cluster2/istio.yaml',
          line: 5,
          column: 12,
          severity: 1,
          cluster: 'cluster2',
          messageId: 'externalIstiodNotExposed',
          data: { cluster: 'cluster2', primaries: '"cluster1"', port: 15012 },
          related: [
            { file: 'cluster1/istio.yaml', line: 34, column: 9, cluster: 'cluster1' },
            { file: 'cluster1/istio.yaml', line: 1, column: 1, cluster: 'cluster1' },
          ],
        },
      ],
    },
    {
      name: 'injection paths that name no cluster: the default /inject, and a path with the network only',
      files: {
        'primary/istio.yaml': docs(operator({ clusterName: 'primary' }), secret({ cluster: 'remote' }), secret({ cluster: 'other' }), exposeIstiod()),
        'remote/istio.yaml': injected('/inject'),
        'other/istio.yaml': injected('/inject/net/network1/cluster'),
      },
      findings: [
        { file: 'remote/istio.yaml', line: 5, column: 12, severity: 2, cluster: 'remote', messageId: 'noClusterName', data: { cluster: 'remote' } },
        { file: 'other/istio.yaml', line: 5, column: 12, severity: 2, cluster: 'other', messageId: 'noClusterName', data: { cluster: 'other' } },
      ],
    },
    {
      name: "an injectionURL whose host only is a placeholder still passes its path's cluster ID and network (the URL's path, not the unused injectionPath)",
      files: {
        'primary/istio.yaml': docs(operator({ clusterName: 'primary', extra: meshNetworks('primary') }), secret({ cluster: 'remote' }), exposeIstiod()),
        'remote/istio.yaml': injected('https://${EXTERNAL_ISTIOD_ADDR}:15017/inject/:ENV:cluster=remote:ENV:net=network2', { field: 'injectionURL', address: false }).replace(
          '    global:',
          '      injectionPath: /inject/cluster/remote/net/network1\n    global:',
        ),
      },
      findings: [
        {
          file: 'remote/istio.yaml',
          line: 8,
          column: 21,
          severity: 2,
          cluster: 'remote',
          messageId: 'networkNotInMeshNetworks',
          data: { cluster: 'remote', network: 'network2', primary: 'primary', networks: '"network1"' },
          related: [{ file: 'primary/istio.yaml', line: 12, column: 9, cluster: 'primary' }],
        },
      ],
    },
    {
      name: "the injection path's network is not in the primary's meshNetworks, and its cluster ID is not among the network's registries",
      files: {
        'primary/istio.yaml': docs(
          operator({ clusterName: 'primary', extra: meshNetworks('primary') }),
          secret({ cluster: 'remote' }),
          secret({ cluster: 'other' }),
          exposeIstiod(),
        ),
        'remote/istio.yaml': injected('/inject/cluster/remote/net/network2'),
        'other/istio.yaml': injected('/inject/net/network1/cluster/other'),
      },
      findings: [
        {
          file: 'remote/istio.yaml',
          line: 8,
          column: 22,
          severity: 2,
          cluster: 'remote',
          messageId: 'networkNotInMeshNetworks',
          data: { cluster: 'remote', network: 'network2', primary: 'primary', networks: '"network1"' },
          related: [{ file: 'primary/istio.yaml', line: 12, column: 9, cluster: 'primary' }],
        },
        {
          file: 'other/istio.yaml',
          line: 8,
          column: 22,
          severity: 2,
          cluster: 'other',
          messageId: 'registryNotInMeshNetworks',
          data: { cluster: 'other', clusterID: 'other', network: 'network1', primary: 'primary', registries: '"primary"' },
          related: [{ file: 'primary/istio.yaml', line: 12, column: 9, cluster: 'primary' }],
        },
      ],
    },
    {
      name: 'Helm values of the istiod chart with profile remote and no address, and values with istiodRemote.enabled but no clusterName; no primary in the repository',
      files: {
        'remote/values.yaml': 'profile: remote\nglobal:\n  meshID: mesh1\n  multiCluster:\n    clusterName: remote\n',
        'other/values.yaml': 'global:\n  meshID: mesh1\n  remotePilotAddress: istiod.example.com\nistiodRemote:\n  enabled: true\n',
      },
      findings: [
        { file: 'remote/values.yaml', line: 1, column: 10, severity: 2, cluster: 'remote', messageId: 'noAddress', data: { cluster: 'remote' } },
        { file: 'other/values.yaml', line: 5, column: 12, severity: 2, cluster: 'other', messageId: 'noClusterName', data: { cluster: 'other' } },
      ],
    },
    {
      name: 'a remote with neither address nor clusterName, its primary without east-west gateway',
      files: {
        'primary/istio.yaml': operator({ clusterName: 'primary' }),
        'remote/istio.yaml': remote(),
      },
      findings: [
        { file: 'remote/istio.yaml', line: 5, column: 12, severity: 2, cluster: 'remote', messageId: 'noAddress', data: { cluster: 'remote' } },
        { file: 'remote/istio.yaml', line: 5, column: 12, severity: 2, cluster: 'remote', messageId: 'noClusterName', data: { cluster: 'remote' } },
        {
          file: 'remote/istio.yaml',
          line: 5,
          column: 12,
          severity: 1,
          cluster: 'remote',
          messageId: 'istiodNotExposed',
          data: { cluster: 'remote', primaries: '"primary"', port: 15012 },
          related: [{ file: 'primary/istio.yaml', line: 1, column: 1, cluster: 'primary' }],
        },
      ],
    },
    {
      name: 'a cluster-local remotePilotAddress (istio/istio#23487); the primary exposes 15012 but not the webhook port',
      files: {
        'primary/istio.yaml': docs(operator({ clusterName: 'primary' }), exposeIstiod(false)),
        'remote/istio.yaml': remote({ address: 'istiod.istio-system.svc' }),
      },
      findings: [
        {
          file: 'remote/istio.yaml',
          line: 12,
          column: 27,
          severity: 2,
          cluster: 'remote',
          messageId: 'localAddress',
          data: { cluster: 'remote', address: 'istiod.istio-system.svc', reason: 'a cluster-local' },
        },
        {
          file: 'primary/istio.yaml',
          line: 19,
          column: 7,
          severity: 1,
          cluster: 'primary',
          messageId: 'webhookNotExposed',
          data: { cluster: 'remote', primary: 'primary', port: 15017 },
          related: [{ file: 'remote/istio.yaml', line: 5, column: 12, cluster: 'remote' }],
        },
      ],
    },
    {
      name: 'the remote declares another meshID than the primary holding its secret; the primary deploys a gateway with 15012 but no Gateway routes it',
      files: {
        'primary/istio.yaml': docs(
          operator({
            clusterName: 'primary',
            extra: [
              '  components:',
              '    ingressGateways:',
              '      - name: istio-eastwestgateway',
              '        enabled: true',
              '        k8s:',
              '          service:',
              '            ports:',
              '              - {name: tls-istiod, port: 15012}',
            ],
          }),
          secret({ cluster: 'remote' }),
        ),
        'remote/istio.yaml': remote({ address: 'eastwest.example.com', meshID: 'mesh2' }),
      },
      findings: [
        {
          file: 'remote/istio.yaml',
          line: 8,
          column: 15,
          severity: 2,
          cluster: 'remote',
          messageId: 'meshID',
          data: { cluster: 'remote', meshID: 'mesh2', primary: 'primary', primaryMeshID: 'mesh1' },
          related: [{ file: 'primary/istio.yaml', line: 7, column: 15, cluster: 'primary' }],
        },
        {
          file: 'remote/istio.yaml',
          line: 12,
          column: 27,
          severity: 1,
          cluster: 'remote',
          messageId: 'istiodNotRouted',
          data: { cluster: 'remote', primaries: '"primary"', port: 15012 },
          related: [
            { file: 'primary/istio.yaml', line: 13, column: 9, cluster: 'primary' },
            { file: 'primary/istio.yaml', line: 1, column: 1, cluster: 'primary' },
          ],
        },
      ],
    },
    {
      name: "the remote's network is not in the primary's meshNetworks",
      files: {
        'primary/istio.yaml': docs(operator({ clusterName: 'primary', extra: meshNetworks('primary') }), secret({ cluster: 'remote' }), exposeIstiod()),
        'remote/istio.yaml': remoteOn('network2'),
      },
      findings: [
        {
          file: 'remote/istio.yaml',
          line: 11,
          column: 16,
          severity: 2,
          messageId: 'networkNotInMeshNetworks',
          data: { cluster: 'remote', network: 'network2', primary: 'primary', networks: '"network1"' },
          related: [{ file: 'primary/istio.yaml', line: 12, column: 9, cluster: 'primary' }],
        },
      ],
    },
    {
      name: "the remote's network lists other fromRegistry cluster IDs",
      files: {
        'primary/istio.yaml': docs(operator({ clusterName: 'primary', extra: meshNetworks('primary') }), secret({ cluster: 'remote' }), exposeIstiod()),
        'remote/istio.yaml': remoteOn('network1'),
      },
      findings: [
        {
          file: 'remote/istio.yaml',
          line: 10,
          column: 22,
          messageId: 'registryNotInMeshNetworks',
          data: { cluster: 'remote', clusterID: 'remote', network: 'network1', registries: '"primary"' },
          related: [{ file: 'primary/istio.yaml', line: 12, column: 9, cluster: 'primary' }],
        },
      ],
    },
  ],
});

describe('fixtures/istio-remote-primary-remote (a primary-remote mesh wired the wrong way round)', () => {
  it('reports the reversed secret, the cluster-local address and the missing webhook port, each at its line', async () => {
    const root = resolve(import.meta.dirname, '..', '..', 'fixtures', 'istio-remote-primary-remote');
    const result = await lint({ dirs: [root], rules: [secretRule, rule] });
    const rel = (f: string) => relative(root, f).split('\\').join('/');
    const found = result.findings.map(
      (f) => `${rel(f.file)}:${f.line}:${f.column} ${f.ruleId} ${f.messageId} ${f.related.map((r) => `${rel(r.file)}:${r.line}:${r.column}`).join(' ')}`,
    );
    expect(found.sort()).toEqual(
      [
        'primary/expose-istiod.yaml:10:7 istio-remote-control-plane webhookNotExposed remote/istio.yaml:7:12',
        'primary/istio.yaml:11:22 istio-remote-secret missing remote/istio.yaml:12:22 remote/remote-secret.yaml:12:3',
        'remote/istio.yaml:14:27 istio-remote-control-plane localAddress ',
        'remote/remote-secret.yaml:9:9 istio-remote-secret remoteHolds remote/istio.yaml:7:12',
      ].sort(),
    );
  });
});
