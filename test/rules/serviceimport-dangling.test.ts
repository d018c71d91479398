import rule from '../../rules/serviceimport-dangling.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { describe, expect, it } from 'vitest';
import { lintScenario, yaml } from '../helpers/scenario.js';
import { exported, svc, svcExport } from '../helpers/mcs.js';

const HTTP = ['name: http, port: 80'];

const serviceImport = (name: string, namespace: string, type = 'ClusterSetIP', ports = '[{name: http, port: 80, protocol: TCP}]') => yaml`
  apiVersion: multicluster.x-k8s.io/v1beta1
  kind: ServiceImport
  metadata:
    name: ${name}
    namespace: ${namespace}
  spec:
    type: ${type}
    ports: ${ports}
`;

/** A Gateway API v1 HTTPRoute; the backendRef name is on line 13, column 17. */
const httpRoute = (backend: string, namespace?: string) => yaml`
  apiVersion: gateway.networking.k8s.io/v1
  kind: HTTPRoute
  metadata:
    name: store
    namespace: store
  spec:
    parentRefs:
      - name: external-http
    rules:
      - backendRefs:
          - group: multicluster.x-k8s.io
            kind: ServiceImport
            name: ${backend}
            port: 8080
${namespace === undefined ? '' : `            namespace: ${namespace}\n`}`;

/** The old networking.x-k8s.io/v1alpha1 shape (GKE multi-cluster Gateways); names on lines 12 and 20. */
const v1alpha1Route = (primary: string, mirror: string) => yaml`
  kind: HTTPRoute
  apiVersion: networking.x-k8s.io/v1alpha1
  metadata:
    name: store-route
    namespace: store
  spec:
    rules:
    - forwardTo:
      - backendRef:
          group: net.gke.io
          kind: ServiceImport
          name: ${primary}
        port: 8080
      filters:
      - type: RequestMirror
        requestMirror:
          backendRef:
            group: net.gke.io
            kind: ServiceImport
            name: ${mirror}
          port: 8080
`;

ruleTester(rule, {
  valid: [
    {
      name: 'a route to a ServiceImport exported by another cluster',
      files: {
        'east/route.yaml': httpRoute('store-v2'),
        'west/store.yaml': exported({ name: 'store-v2', namespace: 'store', ports: ['name: http, port: 8080'] }),
      },
    },
    {
      name: 'the v1alpha1 forwardTo shape and requestMirror filters, GKE ServiceExports',
      files: {
        'east/route.yaml': v1alpha1Route('blue', 'green'),
        'east/blue.yaml': exported({ name: 'blue', namespace: 'store', ports: HTTP }),
        'west/green.yaml': exported({ name: 'green', namespace: 'store', ports: HTTP }),
      },
    },
    {
      name: 'a checked-in ServiceImport that matches the exports',
      files: {
        'east/import.yaml': serviceImport('web', 'shop'),
        'east/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP }),
        'west/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP }),
      },
    },
    {
      name: 'Azure fleet MultiClusterService for an exported service',
      files: {
        'member-1/mcs.yaml': 'apiVersion: networking.fleet.azure.com/v1alpha1\nkind: MultiClusterService\nmetadata: {name: app, namespace: work}\nspec:\n  serviceImport:\n    name: app\n',
        'member-2/app.yaml': exported({ name: 'app', namespace: 'work', ports: HTTP }),
      },
    },
    {
      name: 'backendRefs to Services are not ServiceImport references',
      files: { 'east/route.yaml': httpRoute('store-v2').replace('kind: ServiceImport', 'kind: Service') },
    },
  ],
  invalid: [
    {
      name: 'a route to a ServiceImport nobody exports',
      files: {
        'east/route.yaml': httpRoute('store-v3'),
        'west/store.yaml': exported({ name: 'store-v2', namespace: 'store', ports: HTTP }),
      },
      findings: [
        {
          file: 'east/route.yaml',
          line: 13,
          column: 17,
          cluster: 'east',
          message: ['HTTPRoute "store/store" in cluster "east" references ServiceImport "store/store-v3" (rules[0].backendRefs[0])', 'no cluster of the ClusterSet exports "store/store-v3"', 'BackendNotFound'],
          related: [],
        },
      ],
    },
    {
      name: 'a backendRef namespace other than the route\'s',
      files: {
        'east/route.yaml': httpRoute('store-v2', 'shop'),
        'west/store.yaml': exported({ name: 'store-v2', namespace: 'store', ports: HTTP }),
      },
      findings: [{ file: 'east/route.yaml', line: 13, column: 17, message: ['references ServiceImport "shop/store-v2"'] }],
    },
    {
      name: 'v1alpha1 forwardTo and requestMirror references',
      files: { 'east/route.yaml': v1alpha1Route('blue', 'green'), 'east/blue.yaml': exported({ name: 'blue', namespace: 'store', ports: HTTP }) },
      findings: [{ file: 'east/route.yaml', line: 20, column: 17, message: ['references ServiceImport "store/green" (requestMirror backendRef)'] }],
    },
    {
      name: 'an export its controller rejects does not count, and is pointed at',
      files: {
        'east/route.yaml': httpRoute('store-v2'),
        'west/export.yaml': svcExport({ name: 'store-v2', namespace: 'store' }),
      },
      findings: [{ file: 'east/route.yaml', line: 13, column: 17, related: [{ file: 'west/export.yaml', line: 4, column: 9, cluster: 'west' }] }],
    },
    {
      name: 'a hand-written ServiceImport with no export',
      files: { 'east/import.yaml': serviceImport('serve', 'demo') },
      findings: [{ file: 'east/import.yaml', line: 4, column: 9, message: ['ServiceImport "demo/serve" in cluster "east" has no ServiceExport', 'written by the MCS controller (KEP-1645)'], related: [] }],
    },
    {
      name: 'a ServiceImport for a Service that exists but nobody exports (mcs-api demo layout)',
      files: {
        'cluster1/import.yaml': serviceImport('serve', 'demo'),
        'cluster1/svc.yaml': svc({ name: 'serve', namespace: 'demo', ports: HTTP }),
        'cluster2/svc.yaml': svc({ name: 'serve', namespace: 'demo', ports: HTTP }),
      },
      findings: [
        {
          file: 'cluster1/import.yaml',
          line: 4,
          column: 9,
          message: ['The Service exists in cluster "cluster1", "cluster2" without a ServiceExport: add one next to it.'],
          related: [
            { file: 'cluster1/svc.yaml', line: 4, column: 9, cluster: 'cluster1' },
            { file: 'cluster2/svc.yaml', line: 4, column: 9, cluster: 'cluster2' },
          ],
        },
      ],
    },
    {
      name: 'a checked-in ServiceImport whose type and ports disagree with the exports',
      files: {
        'east/import.yaml': serviceImport('web', 'shop', 'Headless', '[{name: http, port: 8080}]'),
        'east/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP }),
      },
      findings: [
        { file: 'east/import.yaml', line: 7, column: 9, message: ['spec.type is Headless, but the exports produce ClusterSetIP'], related: [{ file: 'east/web.yaml', line: 4, column: 9, cluster: 'east' }] },
        { file: 'east/import.yaml', line: 8, column: 11, message: ['spec.ports disagree with the exports: http 8080/TCP is exported by no cluster; http 80/TCP is missing', 'Delete the ServiceImport'] },
      ],
    },
    {
      name: 'Azure fleet MultiClusterService for a ServiceImport nobody exports',
      files: { 'member-1/mcs.yaml': 'apiVersion: networking.fleet.azure.com/v1alpha1\nkind: MultiClusterService\nmetadata: {name: app, namespace: work}\nspec:\n  serviceImport:\n    name: app\n' },
      findings: [{ file: 'member-1/mcs.yaml', line: 6, column: 11, message: ['MultiClusterService "work/app" in cluster "member-1" references ServiceImport "work/app" (spec.serviceImport)'] }],
    },
  ],
});

describe('serviceimport-dangling notes', () => {
  it('a hand-written ServiceImport that matches the exports is an info note, not a problem', async () => {
    const { notes, findings } = await lintScenario(
      {
        'east/import.yaml': serviceImport('web', 'shop'),
        'east/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP }),
        'west/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP }),
      },
      { rules: [rule] },
    );
    expect(findings).toEqual([]);
    expect(notes.map((n) => [n.cluster, n.line, n.column])).toEqual([['east', 4, 9]]);
    expect(notes[0].message).toContain('ServiceImport "shop/web" in cluster "east" is checked in, but ServiceImports are written by the MCS controller (KEP-1645)');
  });
});
