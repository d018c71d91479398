import rule from '../../rules/istio-service-consistency.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { docs } from '../helpers/manifests.js';
import { yaml } from '../helpers/scenario.js';
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
          message: [
            'The service helloworld in namespace "sample" is inconsistent across clusters ["cluster1" "cluster2"], which can lead to undefined behaviors. The inconsistent behaviors are: service ports are inconsistent (http 5001/TCP only here, http 5000/TCP only in the other cluster)',
            'IST0170',
          ],
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
          message: ['service type is inconsistent (NodePort here, ClusterIP in the other cluster); service is not headless here and headless in the other cluster'],
          related: [
            { file: 'cluster1/app.yaml', line: 10, column: 9, cluster: 'cluster1' },
            { file: 'cluster1/app.yaml', line: 15, column: 14, cluster: 'cluster1' },
          ],
        },
      ],
    },
  ],
});
