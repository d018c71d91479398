import rule from '../../rules/istio-subset-consistency.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { docs } from '../helpers/manifests.js';
import { yaml } from '../helpers/scenario.js';
import { deployment, destinationRule, meshService, virtualService } from '../helpers/istio.js';

// Layouts (test/helpers/istio.ts): DestinationRule subset i labels at line 10+2i column 15;
// VirtualService destination i on line 10+2i, its subset value at column 41 + host length.
const reviewsApp = docs(
  deployment('reviews-v1', 'shop', { app: 'reviews', version: 'v1' }),
  deployment('reviews-v2', 'shop', { app: 'reviews', version: 'v2' }),
  meshService('reviews', 'shop', { app: 'reviews' }),
);
const reviewsDR = destinationRule('reviews', 'shop', 'reviews', { v1: { version: 'v1' }, v2: { version: 'v2' } });

ruleTester(rule, {
  valid: [
    {
      name: 'routes to subsets the DestinationRule defines, short and full host names',
      files: {
        'east/app.yaml': reviewsApp,
        'east/dr.yaml': reviewsDR,
        'east/vs.yaml': virtualService('reviews', 'shop', 'reviews', ['reviews/v1:90', 'reviews.shop.svc.cluster.local/v2:10']),
      },
    },
    {
      name: 'a subset selecting a workload of another cluster, or by a label Istio adds',
      files: {
        'east/app.yaml': docs(deployment('reviews-v1', 'shop', { app: 'reviews', version: 'v1' }), meshService('reviews', 'shop', { app: 'reviews' })),
        'west/app.yaml': docs(deployment('reviews-v2', 'shop', { app: 'reviews', version: 'v2' }), meshService('reviews', 'shop', { app: 'reviews' })),
        'east/dr.yaml': destinationRule('reviews', 'shop', 'reviews.shop', { v2: { version: 'v2' }, west: { 'topology.istio.io/cluster': 'west' } }),
        'west/dr.yaml': destinationRule('reviews', 'shop', 'reviews.shop', { v2: { version: 'v2' }, west: { 'topology.istio.io/cluster': 'west' } }),
      },
    },
    {
      name: 'subsets are not checked against workloads the repository does not show',
      files: { 'east/dr.yaml': destinationRule('ratings', 'shop', 'ratings', { v9: { version: 'v9' } }) },
    },
    {
      name: 'one destination without weight, and tcp routes',
      files: {
        'east/dr.yaml': reviewsDR,
        'east/vs.yaml': yaml`
          apiVersion: networking.istio.io/v1alpha3
          kind: VirtualService
          metadata: {name: reviews, namespace: shop}
          spec:
            hosts: [reviews]
            http:
              - route:
                  - destination: {host: reviews, subset: v1}
            tcp:
              - route:
                  - destination: {host: reviews, subset: v2}
                    weight: 50
                  - destination: {host: reviews, subset: v1}
                    weight: 50
        `,
      },
    },
  ],
  invalid: [
    {
      name: 'a route to an undefined subset (IST0101), with the defined subsets as related',
      files: { 'east/app.yaml': reviewsApp, 'east/dr.yaml': reviewsDR, 'east/vs.yaml': virtualService('reviews', 'shop', 'reviews', ['reviews/v3:100']) },
      findings: [
        {
          file: 'east/vs.yaml',
          line: 10,
          column: 48,
          severity: 2,
          cluster: 'east',
          message: ['VirtualService "shop/reviews" routes to subset "v3" of host "reviews"', 'IST0101: Referenced host+subset in destinationrule not found: "reviews+v3"', 'define subsets "v1", "v2"'],
          related: [{ file: 'east/dr.yaml', line: 4, column: 9, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'a mirror to an undefined subset, and the DestinationRule only in another cluster',
      files: {
        'west/dr.yaml': reviewsDR,
        'east/vs.yaml': yaml`
          apiVersion: networking.istio.io/v1
          kind: VirtualService
          metadata: {name: reviews, namespace: shop}
          spec:
            hosts: [reviews]
            http:
              - route:
                  - destination: {host: reviews}
                mirror: {host: reviews, subset: v2}
        `,
      },
      findings: [
        {
          file: 'east/vs.yaml',
          line: 9,
          column: 39,
          message: ['mirrors to subset "v2"', 'Only cluster "west" has a DestinationRule defining it'],
          related: [{ file: 'west/dr.yaml', line: 4, column: 9, cluster: 'west' }],
        },
      ],
    },
    {
      name: 'exportTo hides the DestinationRule from the VirtualService namespace',
      files: {
        'east/dr.yaml': reviewsDR.replace('spec:\n', 'spec:\n  exportTo: ["."]\n'),
        'east/vs.yaml': virtualService('reviews', 'front', 'reviews.shop.svc.cluster.local', ['reviews.shop.svc.cluster.local/v1:100']),
      },
      findings: [{ file: 'east/vs.yaml', line: 10, column: 71, message: ['its exportTo (.) hides it from namespace "front"'] }],
    },
    {
      name: 'several destinations whose weights total 0',
      files: { 'east/dr.yaml': reviewsDR, 'east/vs.yaml': virtualService('reviews', 'shop', 'reviews', ['reviews/v1', 'reviews/v2']) },
      findings: [{ file: 'east/vs.yaml', line: 9, column: 7, message: ['2 destinations whose weights total 0', '"total destination weight = 0"'] }],
    },
    {
      name: 'a subset selecting no workload in any cluster (warning), reported once for alternative DestinationRules',
      files: {
        'east/app.yaml': reviewsApp,
        'east/dr.yaml': destinationRule('reviews', 'shop', 'reviews', { v1: { version: 'v1' }, v3: { version: 'v3' } }),
        'east/dr-mtls.yaml': destinationRule('reviews', 'shop', 'reviews', { v1: { version: 'v1' }, v3: { version: 'v3' } }),
      },
      findings: [
        {
          file: 'east/dr-mtls.yaml',
          line: 12,
          column: 15,
          severity: 1,
          message: ['subset "v3" selects version=v3, which no workload of host "reviews.shop.svc.cluster.local" carries', '2 workloads carry version=v1; version=v2', 'reported once for the 2 alternative DestinationRules'],
        },
      ],
    },
    {
      name: 'topology labels naming no cluster or network of the set',
      files: {
        'east/app.yaml': reviewsApp,
        'east/istio.yaml': yaml`
          apiVersion: install.istio.io/v1alpha1
          kind: IstioOperator
          spec:
            values:
              global: {meshID: mesh1, network: net-east, multiCluster: {clusterName: east}}
        `,
        'east/dr.yaml': destinationRule('reviews', 'shop', 'reviews', { a: { 'topology.istio.io/cluster': 'north' }, b: { 'topology.istio.io/network': 'net-west' } }),
      },
      findings: [
        { file: 'east/dr.yaml', line: 10, column: 44, message: ['selects topology.istio.io/cluster=north', 'no cluster of the ClusterSet is called "north" (known: "east")'] },
        { file: 'east/dr.yaml', line: 12, column: 44, message: ['no network of the ClusterSet is called "net-west" (known: "net-east")'] },
      ],
    },
    {
      name: 'a cluster whose Istio clusterName differs from its directory is known to Istio by the clusterName only',
      files: {
        'b/app.yaml': reviewsApp,
        'b/istio.yaml': 'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  values:\n    global: {meshID: mesh1, multiCluster: {clusterName: zz}}\n',
        'b/dr.yaml': destinationRule('reviews', 'shop', 'reviews', { a: { 'topology.istio.io/cluster': 'b' } }),
      },
      findings: [{ file: 'b/dr.yaml', line: 10, column: 44, message: ['selects topology.istio.io/cluster=b', 'no cluster of the ClusterSet is called "b" (known: "zz")'] }],
    },
    {
      name: 'DestinationRules for one host disagree across clusters of a mesh (warning)',
      files: {
        'east/dr.yaml': reviewsDR,
        'west/dr.yaml': destinationRule('reviews', 'shop', 'reviews', { v1: { version: 'v1' } }),
      },
      findings: [
        {
          file: 'west/dr.yaml',
          line: 8,
          column: 3,
          severity: 1,
          cluster: 'west',
          message: ['in cluster "west" define subsets "v1" (version=v1), but in cluster "east" subsets "v1" (version=v1), "v2" (version=v2)'],
          related: [{ file: 'east/dr.yaml', line: 4, column: 9, cluster: 'east' }],
        },
      ],
    },
  ],
});
