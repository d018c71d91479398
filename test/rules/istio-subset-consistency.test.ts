import { describe, expect, it } from 'vitest';
import rule from '../../rules/istio-subset-consistency.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { docs } from '../helpers/manifests.js';
import { lintScenario, yaml } from '../helpers/scenario.js';
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
          messageId: 'subsetUndefined',
          data: { virtualService: 'shop/reviews', verb: 'routes to', subset: 'v3', host: 'reviews', cluster: 'east', defined: 'subsets "v1", "v2"' },
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
          cluster: 'east',
          messageId: 'subsetElsewhere',
          data: { virtualService: 'shop/reviews', verb: 'mirrors to', subset: 'v2', host: 'reviews', cluster: 'east', clusters: '"west"' },
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
      findings: [
        {
          file: 'east/vs.yaml',
          line: 10,
          column: 71,
          messageId: 'subsetHidden',
          data: {
            virtualService: 'front/reviews',
            subset: 'v1',
            host: 'reviews.shop.svc.cluster.local',
            rule: 'DestinationRule "shop/reviews"',
            exportTo: '.',
            namespace: 'front',
          },
          related: [{ file: 'east/dr.yaml', line: 4, column: 9, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'a workloadSelector limits the DestinationRule to its workloads',
      files: {
        'east/dr.yaml': reviewsDR.replace('spec:\n', 'spec:\n  workloadSelector: {matchLabels: {app: productpage}}\n'),
        'east/vs.yaml': virtualService('reviews', 'shop', 'reviews', ['reviews/v1:100']),
      },
      findings: [
        {
          file: 'east/vs.yaml',
          line: 10,
          column: 48,
          messageId: 'subsetHiddenSelector',
          data: { subset: 'v1', rule: 'DestinationRule "shop/reviews"', exportTo: 'workloadSelector', namespace: 'shop' },
          related: [{ file: 'east/dr.yaml', line: 4, column: 9, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'no DestinationRule for the host in any cluster',
      files: { 'east/vs.yaml': virtualService('ratings', 'shop', 'ratings', ['ratings/v1:100']) },
      findings: [
        {
          file: 'east/vs.yaml',
          line: 10,
          column: 48,
          severity: 2,
          cluster: 'east',
          messageId: 'subsetNoRule',
          data: { virtualService: 'shop/ratings', verb: 'routes to', subset: 'v1', host: 'ratings', fqdn: 'ratings.shop.svc.cluster.local', cluster: 'east' },
          related: [],
        },
      ],
    },
    {
      name: 'several destinations whose weights total 0',
      files: { 'east/dr.yaml': reviewsDR, 'east/vs.yaml': virtualService('reviews', 'shop', 'reviews', ['reviews/v1', 'reviews/v2']) },
      findings: [
        {
          file: 'east/vs.yaml',
          line: 9,
          column: 7,
          severity: 2,
          cluster: 'east',
          messageId: 'zeroWeight',
          data: { virtualService: 'shop/reviews', route: 'http[0]', count: 2 },
          related: [],
        },
      ],
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
          cluster: 'east',
          messageId: 'noWorkload',
          data: {
            rule: 'DestinationRule "shop/reviews"',
            subset: 'v3',
            labels: 'version=v3',
            host: 'reviews.shop.svc.cluster.local',
            workloads: 2,
            present: 'version=v1; version=v2',
            variants: 2,
          },
          related: [
            // The two Deployments the Service selects, then the alternative DestinationRule.
            { file: 'east/app.yaml', line: 4, column: 9, cluster: 'east' },
            { file: 'east/app.yaml', line: 15, column: 9, cluster: 'east' },
            { file: 'east/dr.yaml', line: 4, column: 9, cluster: 'east' },
          ],
        },
      ],
    },
    {
      name: 'one DestinationRule file two clusters read (a folder both pull): its set-wide subset problems are reported once, at the first cluster',
      files: {
        ...Object.fromEntries(
          ['east', 'west'].map((c) => [
            `clusters/${c}/apps.yaml`,
            yaml`
              apiVersion: kustomize.toolkit.fluxcd.io/v1
              kind: Kustomization
              metadata: {name: apps, namespace: flux-system}
              spec: {interval: 10m, path: ./apps, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
            `,
          ]),
        ),
        'apps/app.yaml': reviewsApp,
        'apps/dr.yaml': destinationRule('reviews', 'shop', 'reviews', { v1: { version: 'v1' }, v3: { version: 'v3' } }),
      },
      findings: [{ file: 'apps/dr.yaml', line: 12, column: 15, severity: 1, cluster: 'east', messageId: 'noWorkload', data: { subset: 'v3' } }],
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
        {
          file: 'east/dr.yaml',
          line: 10,
          column: 44,
          severity: 2,
          cluster: 'east',
          messageId: 'unknownCluster',
          data: { rule: 'DestinationRule "shop/reviews"', subset: 'a', label: 'topology.istio.io/cluster', value: 'north', known: '"east"', variants: 1, variantsNote: '' },
          related: [],
        },
        {
          file: 'east/dr.yaml',
          line: 12,
          column: 44,
          messageId: 'unknownNetwork',
          data: { subset: 'b', label: 'topology.istio.io/network', value: 'net-west', known: '"net-east"' },
        },
      ],
    },
    {
      name: 'a cluster whose Istio clusterName differs from its directory is known to Istio by the clusterName only',
      files: {
        'b/app.yaml': reviewsApp,
        'b/istio.yaml': 'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  values:\n    global: {meshID: mesh1, multiCluster: {clusterName: zz}}\n',
        'b/dr.yaml': destinationRule('reviews', 'shop', 'reviews', { a: { 'topology.istio.io/cluster': 'b' } }),
      },
      findings: [{ file: 'b/dr.yaml', line: 10, column: 44, messageId: 'unknownCluster', data: { label: 'topology.istio.io/cluster', value: 'b', known: '"zz"' } }],
    },
    {
      name: 'a network label when no cluster declares a network',
      files: { 'east/app.yaml': reviewsApp, 'east/dr.yaml': destinationRule('reviews', 'shop', 'reviews', { a: { 'topology.istio.io/network': 'net-1' } }) },
      findings: [
        { file: 'east/dr.yaml', line: 10, column: 44, severity: 2, messageId: 'noNetworks', data: { subset: 'a', label: 'topology.istio.io/network', value: 'net-1', known: '' } },
      ],
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
          messageId: 'disagreement',
          data: {
            host: 'reviews.shop.svc.cluster.local',
            cluster: 'west',
            refCluster: 'east',
            subsets: 'subsets "v1" (version=v1)',
            refSubsets: 'subsets "v1" (version=v1), "v2" (version=v2)',
          },
          related: [{ file: 'east/dr.yaml', line: 4, column: 9, cluster: 'east' }],
        },
      ],
    },
  ],
});

describe('istio-subset-consistency wording', () => {
  it("one sentence naming the VirtualService, subset, host and cluster; the hint keeps Istio's IST0101 wording and the fix", async () => {
    const { relFindings } = await lintScenario(
      { 'east/app.yaml': reviewsApp, 'east/dr.yaml': reviewsDR, 'east/vs.yaml': virtualService('reviews', 'shop', 'reviews', ['reviews/v3:100']) },
      { rules: [rule] },
    );
    expect(relFindings.map((f) => f.message)).toEqual([
      'VirtualService "shop/reviews" routes to subset "v3" of host "reviews", which no DestinationRule visible to it defines in cluster "east".',
    ]);
    expect(relFindings[0].hint).toBe(
      'Istio IST0101: "Referenced host+subset in destinationrule not found: "reviews+v3""; Envoy has no cluster for it and answers 503. The DestinationRules for this host define subsets "v1", "v2": add subset "v3" or fix the name.',
    );
  });

  it('names the alternative DestinationRules reported once in the hint', async () => {
    const dr = destinationRule('reviews', 'shop', 'reviews', { v3: { version: 'v3' } });
    const { relFindings } = await lintScenario({ 'east/app.yaml': reviewsApp, 'east/dr.yaml': dr, 'east/dr-mtls.yaml': dr }, { rules: [rule] });
    expect(relFindings.map((f) => f.hint)).toEqual([
      expect.stringMatching(
        /; reported once for the 2 alternative DestinationRules of this host that define the same subset \(.*east\/dr-mtls\.yaml, .*east\/dr\.yaml\)\. Fix the labels/,
      ),
    ]);
  });
});
