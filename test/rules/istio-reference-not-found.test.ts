import rule from '../../rules/istio-reference-not-found.js';
import { ruleTester } from '../helpers/rule-tester.js';

/** An IstioOperator putting its cluster in mesh `mesh1`. */
const install = (cluster: string) =>
  [
    'apiVersion: install.istio.io/v1alpha1',
    'kind: IstioOperator',
    'spec:',
    '  values:',
    '    global:',
    '      meshID: mesh1',
    `      multiCluster: {clusterName: ${cluster}}`,
    '',
  ].join('\n');

/** A Service (annotations as a flow map). Line 4 `name` (column 9). */
const service = (name: string, ns: string, annotations = '{}') =>
  [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${ns}`,
    `  annotations: ${annotations}`,
    'spec:',
    '  selector: {app: x}',
    '  ports: [{name: http, port: 9080}]',
    '',
  ].join('\n');

/**
 * A VirtualService. Layout: line 8 `gateways:` (items from column 14, `, `-separated), line 11 the
 * route destination (host value column 31), line 12 the mirror (host value column 22) when given.
 */
const virtualService = (ns: string, dest: string, { gateways = 'mesh', mirror }: { gateways?: string; mirror?: string } = {}) =>
  [
    'apiVersion: networking.istio.io/v1',
    'kind: VirtualService',
    'metadata:',
    '  name: web',
    `  namespace: ${ns}`,
    'spec:',
    '  hosts: [web.example.com]',
    `  gateways: [${gateways}]`,
    '  http:',
    '    - route:',
    `        - destination: {host: ${dest}}`,
    ...(mirror ? [`      mirror: {host: ${mirror}}`] : []),
    '',
  ].join('\n');
const destAt = { line: 11, column: 31 };

/** A DestinationRule; line 7 `host` (column 9). */
const destinationRule = (ns: string, host: string) =>
  ['apiVersion: networking.istio.io/v1', 'kind: DestinationRule', 'metadata:', '  name: web', `  namespace: ${ns}`, 'spec:', `  host: ${host}`, ''].join('\n');

/** A ServiceEntry; line 4 `name` (column 9). */
const serviceEntry = (name: string, ns: string, hosts: string, exportTo = '["*"]') =>
  [
    'apiVersion: networking.istio.io/v1',
    'kind: ServiceEntry',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${ns}`,
    'spec:',
    `  hosts: ${hosts}`,
    `  exportTo: ${exportTo}`,
    '  ports: [{number: 443, name: https, protocol: HTTPS}]',
    '',
  ].join('\n');

/** A Gateway. */
const gateway = (name: string, ns: string) =>
  [
    'apiVersion: networking.istio.io/v1',
    'kind: Gateway',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${ns}`,
    'spec:',
    '  selector: {istio: ingressgateway}',
    '  servers: []',
    '',
  ].join('\n');

const serviceExport = (name: string, ns: string) =>
  ['apiVersion: multicluster.x-k8s.io/v1alpha1', 'kind: ServiceExport', 'metadata:', `  name: ${name}`, `  namespace: ${ns}`, ''].join('\n');

/** Two clusters of mesh1: east holds the routes, west the Services. */
const mesh = {
  'east/istio.yaml': install('east'),
  'west/istio.yaml': install('west'),
  'east/reviews.yaml': service('reviews', 'shop'),
  'west/ratings.yaml': service('ratings', 'shop'),
};

ruleTester(rule, {
  valid: [
    {
      name: 'a Service of another cluster of the mesh (Istio merges Services across the mesh)',
      files: { ...mesh, 'east/vs.yaml': virtualService('shop', 'ratings.shop.svc.cluster.local') },
    },
    { name: 'a short name in the resource namespace', files: { ...mesh, 'east/vs.yaml': virtualService('shop', 'reviews', { mirror: 'ratings' }) } },
    {
      name: 'an external host covered by a wildcard ServiceEntry of the mesh',
      files: { ...mesh, 'west/se.yaml': serviceEntry('ext', 'shop', '["*.example.com"]'), 'east/vs.yaml': virtualService('shop', 'api.example.com') },
    },
    {
      name: 'an MCS clusterset.local name exported by some cluster',
      files: { ...mesh, 'west/export.yaml': serviceExport('ratings', 'shop'), 'east/vs.yaml': virtualService('shop', 'ratings.shop.svc.clusterset.local') },
    },
    {
      name: 'a namespace where the repository declares no Services (cert-manager solver, out-of-band charts)',
      files: { ...mesh, 'east/vs.yaml': virtualService('istio-system', 'cert-manager-resolver'), 'east/dr.yaml': destinationRule('payments', 'ledger.payments.svc.cluster.local') },
    },
    {
      name: 'gateways: mesh, a Gateway of the same cluster, one in a namespace without Gateways in the repository',
      files: { ...mesh, 'east/gw.yaml': gateway('public', 'edge'), 'east/vs.yaml': virtualService('shop', 'reviews', { gateways: 'mesh, edge/public, istio-system/ingress' }) },
    },
    {
      name: "a namespace holding only Istio's gateway Services (label istio) is not a managed namespace",
      files: {
        ...mesh,
        'west/gw-svc.yaml': service('istio-eastwestgateway', 'istio-system').replace('metadata:', 'metadata:\n  labels: {istio: eastwestgateway}'),
        'east/vs.yaml': virtualService('istio-system', 'cert-manager-resolver'),
      },
    },
    { name: 'an external host when the mesh has no ServiceEntry at all', files: { ...mesh, 'east/vs.yaml': virtualService('shop', 'api.example.com') } },
    {
      name: 'placeholders and wildcards are left alone',
      files: { ...mesh, 'east/vs.yaml': virtualService('shop', '"${HOST}"', { gateways: '"${GW}"' }), 'east/dr.yaml': destinationRule('shop', '"*.shop.svc.cluster.local"') },
    },
  ],
  invalid: [
    {
      name: 'a destination host no cluster of the mesh declares',
      files: { ...mesh, 'east/vs.yaml': virtualService('shop', 'details') },
      findings: [
        {
          file: 'east/vs.yaml',
          ...destAt,
          severity: 2,
          cluster: 'east',
          messageId: 'service',
          data: {
            owner: 'VirtualService "shop/web"',
            field: 'host',
            value: 'details',
            target: 'details.shop.svc.cluster.local',
            searched: '"east", "west"',
            istio: 'Istio IST0101 ReferencedResourceNotFound (host): ',
          },
          related: [],
        },
      ],
    },
    {
      name: 'one VirtualService naming a missing host in several routes: one finding, at the first',
      files: { ...mesh, 'east/vs.yaml': virtualService('shop', 'details', { mirror: 'details' }).replace('  http:\n', '  http:\n    - route: [{destination: {host: details}}]\n') },
      findings: [
        { file: 'east/vs.yaml', line: 10, column: 36, messageId: 'service', data: { field: 'host', value: 'details', times: ' (named 2 times)' } },
        { file: 'east/vs.yaml', line: 13, column: 22, messageId: 'service', data: { field: 'mirror host', value: 'details', times: '' } },
      ],
    },
    {
      name: 'a mirror host no cluster declares',
      files: { ...mesh, 'east/vs.yaml': virtualService('shop', 'reviews', { mirror: 'reviews-shadow' }) },
      findings: [{ file: 'east/vs.yaml', line: 12, column: 22, messageId: 'service', data: { field: 'mirror host', value: 'reviews-shadow' } }],
    },
    {
      name: 'the Service exists only in a cluster outside the mesh',
      files: { ...mesh, 'other/details.yaml': service('details', 'shop'), 'east/vs.yaml': virtualService('shop', 'details') },
      findings: [
        {
          file: 'east/vs.yaml',
          ...destAt,
          messageId: 'outsideMesh',
          data: { outside: '"other"' },
          related: [{ file: 'other/details.yaml', line: 4, column: 9, cluster: 'other' }],
        },
      ],
    },
    {
      name: 'the Service exportTo hides it from the route namespace',
      files: {
        ...mesh,
        'west/details.yaml': service('details', 'shop', '{networking.istio.io/exportTo: "."}'),
        'east/front.yaml': service('front', 'web'),
        'east/vs.yaml': virtualService('web', 'details.shop'),
      },
      findings: [
        {
          file: 'east/vs.yaml',
          ...destAt,
          messageId: 'hidden',
          data: { target: 'details.shop.svc.cluster.local', namespace: 'web', hiddenBy: 'Service "shop/details" in cluster "west"' },
          related: [{ file: 'west/details.yaml', line: 4, column: 9, cluster: 'west' }],
        },
      ],
    },
    {
      name: 'an MCS name no cluster exports: every cluster of the set searched',
      files: { ...mesh, 'east/vs.yaml': virtualService('shop', 'ratings.shop.svc.clusterset.local') },
      findings: [{ file: 'east/vs.yaml', ...destAt, messageId: 'clusterset', data: { searched: '"east", "west"' } }],
    },
    {
      name: 'an external host no ServiceEntry of the mesh declares',
      files: { ...mesh, 'west/se.yaml': serviceEntry('ext', 'shop', '["api.example.com"]'), 'east/vs.yaml': virtualService('shop', 'www.example.org') },
      findings: [{ file: 'east/vs.yaml', ...destAt, messageId: 'external', data: { target: 'www.example.org' } }],
    },
    {
      name: 'a *.global host without its ServiceEntry',
      files: { ...mesh, 'west/se.yaml': serviceEntry('ratings-global', 'shop', '["ratings.shop.global"]'), 'east/vs.yaml': virtualService('shop', 'details.shop.global') },
      findings: [{ file: 'east/vs.yaml', ...destAt, messageId: 'global' }],
    },
    {
      name: 'a gateway the mesh does not declare, in a namespace with Gateways',
      files: { ...mesh, 'west/gw.yaml': gateway('public', 'edge'), 'east/vs.yaml': virtualService('shop', 'reviews', { gateways: 'mesh, edge/private' }) },
      findings: [{ file: 'east/vs.yaml', line: 8, column: 20, messageId: 'gateway', data: { field: 'gateway', target: 'edge/private', searched: '"east"' } }],
    },
    {
      name: "a Gateway of another primary: each istiod reads its own cluster's Gateways",
      files: { ...mesh, 'west/gw.yaml': gateway('public', 'edge'), 'east/vs.yaml': virtualService('shop', 'reviews', { gateways: 'mesh, edge/public' }) },
      findings: [{ file: 'east/vs.yaml', line: 8, column: 20, messageId: 'gateway', data: { field: 'gateway', target: 'edge/public', searched: '"east"' } }],
    },
    {
      name: 'a DestinationRule host no cluster declares: a warning, as istioctl analyze gives IST0174',
      files: { ...mesh, 'east/dr.yaml': destinationRule('shop', 'details') },
      findings: [
        {
          file: 'east/dr.yaml',
          line: 7,
          column: 9,
          severity: 1,
          messageId: 'service',
          data: {
            owner: 'DestinationRule "shop/web"',
            field: 'host',
            target: 'details.shop.svc.cluster.local',
            istio: 'Istio IST0174 (DestinationRule host matches no service in the mesh): ',
          },
        },
      ],
    },
  ],
});
