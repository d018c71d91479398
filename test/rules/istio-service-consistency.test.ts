import { describe, expect, it } from 'vitest';
import rule from '../../rules/istio-service-consistency.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { docs } from '../helpers/manifests.js';
import { lintScenario, yaml } from '../helpers/scenario.js';
import { meshService } from '../helpers/istio.js';

const injected = yaml`
  apiVersion: v1
  kind: Namespace
  metadata:
    name: sample
    labels: {istio-injection: enabled}
`;
const exported = 'apiVersion: multicluster.x-k8s.io/v1alpha1\nkind: ServiceExport\nmetadata: {name: helloworld, namespace: sample}\n';
const svc = (ports: string, extra = '') => docs(injected, meshService('helloworld', 'sample', { app: 'helloworld' }, ports) + extra);

ruleTester(rule, {
  valid: [
    {
      name: 'the same Service in every cluster of the mesh',
      files: { 'cluster1/app.yaml': svc('[{name: http, port: 5000}]'), 'cluster2/app.yaml': svc('[{name: http, port: 5000, protocol: TCP}]') },
    },
    {
      name: 'clusters of different meshes (federation) do not merge Services',
      files: {
        'east/app.yaml': svc('[{name: http, port: 5000}]'),
        'east/istio.yaml': 'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec: {values: {global: {meshID: east-mesh}}}\n',
        'west/app.yaml': svc('[{name: http, port: 9080}]'),
        'west/istio.yaml': 'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec: {values: {global: {meshID: west-mesh}}}\n',
      },
    },
    {
      name: 'clusters without Istio are not part of the mesh',
      files: { 'cluster1/app.yaml': svc('[{name: http, port: 5000}]'), 'plain/app.yaml': meshService('helloworld', 'sample', { app: 'helloworld' }, '[{name: web, port: 80}]') },
    },
    {
      name: 'ports and headless mode of a Service exported from both clusters are left to the MCS rules (one finding per problem)',
      files: {
        'cluster1/app.yaml': docs(svc('[{name: http, port: 5000}]', '  clusterIP: None\n'), exported),
        'cluster2/app.yaml': docs(svc('[{name: http, port: 5001}]'), exported),
      },
    },
    {
      name: 'an alternative version of the Service matches',
      files: {
        'cluster1/app.yaml': svc('[{name: http, port: 5000}]'),
        'cluster2/app.yaml': svc('[{name: http, port: 5001}]'),
        'cluster2/app-v2.yaml': meshService('helloworld', 'sample', { app: 'helloworld' }, '[{name: http, port: 5000}]'),
      },
    },
  ],
  invalid: [
    {
      name: 'ports differ (IST0170 wording), pointing at the extra port with the other side related',
      files: { 'cluster1/app.yaml': svc('[{name: http, port: 5000}]'), 'cluster2/app.yaml': svc('[{name: http, port: 5001}]') },
      findings: [
        {
          file: 'cluster2/app.yaml',
          line: 14,
          column: 11,
          severity: 1,
          cluster: 'cluster2',
          messageId: 'inconsistent',
          data: {
            service: 'sample/helloworld',
            name: 'helloworld',
            namespace: 'sample',
            refCluster: 'cluster1',
            cluster: 'cluster2',
            behaviours: 'service ports are inconsistent (http 5001/TCP only here, http 5000/TCP only in the other cluster)',
          },
          related: [{ file: 'cluster1/app.yaml', line: 14, column: 11, cluster: 'cluster1' }],
        },
      ],
    },
    {
      name: 'type and headless mode differ',
      files: {
        'cluster1/app.yaml': svc('[{name: http, port: 5000}]', '  clusterIP: None\n'),
        'cluster2/app.yaml': svc('[{name: http, port: 5000}]', '  type: NodePort\n'),
      },
      findings: [
        {
          file: 'cluster2/app.yaml',
          line: 15,
          column: 9,
          messageId: 'inconsistent',
          data: {
            behaviours:
              'service type is inconsistent (NodePort here, ClusterIP in the other cluster); service is not headless here and headless in the other cluster (clusterIP: None)',
          },
          related: [
            { file: 'cluster1/app.yaml', line: 10, column: 9, cluster: 'cluster1' },
            { file: 'cluster1/app.yaml', line: 15, column: 14, cluster: 'cluster1' },
          ],
        },
      ],
    },
    {
      name: 'none of the alternative versions of the Service in a cluster matches (the first is reported)',
      files: {
        'cluster1/app.yaml': svc('[{name: http, port: 5000}]'),
        'cluster2/app.yaml': svc('[{name: http, port: 5001}]'),
        'cluster2/app-v2.yaml': meshService('helloworld', 'sample', { app: 'helloworld' }, '[{name: http, port: 5002}]'),
      },
      findings: [
        {
          // app-v2.yaml sorts before app.yaml: the first version of the cluster.
          file: 'cluster2/app-v2.yaml',
          line: 8,
          column: 11,
          cluster: 'cluster2',
          messageId: 'inconsistentVersions',
          data: {
            service: 'sample/helloworld',
            versions: 2,
            refCluster: 'cluster1',
            cluster: 'cluster2',
            behaviours: 'service ports are inconsistent (http 5002/TCP only here, http 5000/TCP only in the other cluster)',
          },
          related: [{ file: 'cluster1/app.yaml', line: 14, column: 11, cluster: 'cluster1' }],
        },
      ],
    },
  ],
});

describe('istio-service-consistency wording', () => {
  it("names the Service, the clusters and the differences in one sentence; the hint keeps Istio's IST0170 wording", async () => {
    const { relFindings } = await lintScenario(
      { 'cluster1/app.yaml': svc('[{name: http, port: 5000}]'), 'cluster2/app.yaml': svc('[{name: http, port: 5001}]') },
      { rules: [rule] },
    );
    expect(relFindings.map((f) => f.message)).toEqual([
      'Service "sample/helloworld" differs between clusters "cluster1" and "cluster2": service ports are inconsistent (http 5001/TCP only here, http 5000/TCP only in the other cluster).',
    ]);
    expect(relFindings[0].hint).toContain(
      'IST0170 (MultiClusterInconsistentService): "The service helloworld in namespace "sample" is inconsistent across clusters ["cluster1" "cluster2"], which can lead to undefined behaviors."',
    );
  });
});
