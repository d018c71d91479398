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

/**
 * An mcs-api v1alpha2 ServiceImport: no spec, `type` on line 6 (value at column 7) and `ports` on
 * line 7 (column 8), both at the root of the object (mcs-api pkg/apis/v1alpha2/serviceimport.go).
 */
const v1alpha2Import = (name: string, namespace: string, type = 'ClusterSetIP', ports = '[{name: http, port: 80, protocol: TCP}]') => yaml`
  apiVersion: multicluster.x-k8s.io/v1alpha2
  kind: ServiceImport
  metadata:
    name: ${name}
    namespace: ${namespace}
  type: ${type}
  ports: ${ports}
`;

const FLEET = 'networking.fleet.azure.com/v1alpha1';
/** An Azure fleet MultiClusterService `work/app` importing `name`: the name is on line 6, column 11. */
const fleetMcs = (name: string) => `apiVersion: ${FLEET}\nkind: MultiClusterService\nmetadata: {name: app, namespace: work}\nspec:\n  serviceImport:\n    name: ${name}\n`;

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

/**
 * A Karmada propagation policy selecting `kind` (`multicluster.x-k8s.io`) `name`, placed on
 * `member2`: with a namespace its selector item is on line 8, column 5 (line 7 without).
 */
const propagate = (kind: string, name: string | undefined, namespace?: string, policyKind = 'PropagationPolicy') =>
  [
    'apiVersion: policy.karmada.io/v1alpha1',
    `kind: ${policyKind}`,
    'metadata:',
    `  name: ${name ?? 'all'}-${kind.toLowerCase()}`,
    ...(namespace === undefined ? [] : [`  namespace: ${namespace}`]),
    'spec:',
    '  resourceSelectors:',
    '  - apiVersion: multicluster.x-k8s.io/v1alpha1',
    `    kind: ${kind}`,
    ...(name === undefined ? [] : [`    name: ${name}`]),
    '  placement:',
    '    clusterAffinity:',
    '      clusterNames: [member2]',
    '',
  ].join('\n');

/** karmada docs/multi-cluster-service.md (samples/service_discovery): templates on the control plane, propagated to the members. */
const KARMADA_IMPORT = serviceImport('serve', 'discovery', 'ClusterSetIP', '[{port: 80, protocol: TCP}]');

ruleTester(rule, {
  valid: [
    {
      name: 'Azure fleet MultiClusterService naming a Service the members export with Fleet ServiceExports',
      files: {
        'member-1/mcs.yaml': fleetMcs('app'),
        'member-2/app.yaml': `${svc({ name: 'app', namespace: 'work', ports: HTTP })}---\n${svcExport({ name: 'app', namespace: 'work', apiVersion: FLEET })}`,
      },
    },
    {
      name: 'Karmada templates (samples/service_discovery): the ServiceImport and the ServiceExport propagated, Service ports matched by name',
      files: {
        'karmada/import.yaml': `${KARMADA_IMPORT}---\n${propagate('ServiceImport', 'serve', 'discovery')}`,
        'karmada/export.yaml': `${svcExport({ name: 'serve', namespace: 'discovery' })}---\n${propagate('ServiceExport', 'serve', 'discovery')}`,
        'karmada/service.yaml': svc({ name: 'serve', namespace: 'discovery', ports: ['port: 80, targetPort: 8080'] }),
      },
    },
    {
      name: 'a Karmada template ServiceImport port may differ in number: derived-<name> maps it to the endpoints by name',
      files: {
        'karmada/import.yaml': `${serviceImport('web', 'shop', 'Headless', '[{name: http, port: 8080}]')}---\n${propagate('ServiceImport', 'web', 'shop')}`,
        'karmada/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP }),
      },
    },
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
        'member-1/mcs.yaml':
          'apiVersion: networking.fleet.azure.com/v1alpha1\nkind: MultiClusterService\nmetadata: {name: app, namespace: work}\nspec:\n  serviceImport:\n    name: app\n',
        'member-2/app.yaml': exported({ name: 'app', namespace: 'work', ports: HTTP }),
      },
    },
    {
      name: 'Lighthouse before 0.15: a reference to the per-cluster ServiceImport <name>-<namespace>-<clusterID> in submariner-operator',
      files: {
        'cluster1/route.yaml': httpRoute('backend-default-cluster2', 'submariner-operator'),
        'cluster2/app.yaml': exported({ name: 'backend', namespace: 'default', ports: HTTP }),
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
          messageId: 'refNoExport',
          data: { referrer: 'HTTPRoute "store/store"', cluster: 'east', import: '"store/store-v3"', via: 'rules[0].backendRefs[0]' },
          related: [],
        },
      ],
    },
    {
      name: 'a legacy Lighthouse name for a cluster that does not export the service',
      files: {
        'cluster1/route.yaml': httpRoute('backend-default-cluster3', 'submariner-operator'),
        'cluster2/app.yaml': exported({ name: 'backend', namespace: 'default', ports: HTTP }),
      },
      findings: [{ file: 'cluster1/route.yaml', line: 13, column: 17, messageId: 'refNoExport', data: { import: '"submariner-operator/backend-default-cluster3"' } }],
    },
    {
      name: "a backendRef namespace other than the route's",
      files: {
        'east/route.yaml': httpRoute('store-v2', 'shop'),
        'west/store.yaml': exported({ name: 'store-v2', namespace: 'store', ports: HTTP }),
      },
      findings: [{ file: 'east/route.yaml', line: 13, column: 17, messageId: 'refNoExport', data: { import: '"shop/store-v2"' } }],
    },
    {
      name: 'v1alpha1 forwardTo and requestMirror references',
      files: { 'east/route.yaml': v1alpha1Route('blue', 'green'), 'east/blue.yaml': exported({ name: 'blue', namespace: 'store', ports: HTTP }) },
      findings: [{ file: 'east/route.yaml', line: 20, column: 17, messageId: 'refNoExport', data: { import: '"store/green"', via: 'requestMirror backendRef' } }],
    },
    {
      name: 'an export its controller rejects does not count, and is pointed at',
      files: {
        'east/route.yaml': httpRoute('store-v2'),
        'west/export.yaml': svcExport({ name: 'store-v2', namespace: 'store' }),
      },
      findings: [
        {
          file: 'east/route.yaml',
          line: 13,
          column: 17,
          messageId: 'refNoExportRejected',
          data: { import: '"store/store-v2"' },
          related: [{ file: 'west/export.yaml', line: 4, column: 9, cluster: 'west' }],
        },
      ],
    },
    {
      name: 'a hand-written ServiceImport with no export',
      files: { 'east/import.yaml': serviceImport('serve', 'demo') },
      findings: [
        {
          file: 'east/import.yaml',
          line: 4,
          column: 9,
          messageId: 'importNoExport',
          data: { import: '"demo/serve"', cluster: 'east', dnsName: 'serve.demo.svc.clusterset.local' },
          related: [],
        },
      ],
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
          messageId: 'importNoExportUnexported',
          data: { import: '"demo/serve"', cluster: 'cluster1', clusters: '"cluster1", "cluster2"' },
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
        {
          file: 'east/import.yaml',
          line: 7,
          column: 9,
          messageId: 'typeMismatch',
          data: { import: '"shop/web"', cluster: 'east', type: 'Headless', expected: 'ClusterSetIP', exporters: '"east"', winner: 'east' },
          related: [{ file: 'east/web.yaml', line: 4, column: 9, cluster: 'east' }],
        },
        { file: 'east/import.yaml', line: 8, column: 11, messageId: 'portsDiffer', data: { extra: 'http 8080/TCP', missing: 'http 80/TCP' } },
      ],
    },
    {
      name: 'a hand-written ServiceImport whose only export is rejected (no Service)',
      files: { 'east/import.yaml': serviceImport('serve', 'demo'), 'west/export.yaml': svcExport({ name: 'serve', namespace: 'demo' }) },
      findings: [
        {
          file: 'east/import.yaml',
          line: 4,
          column: 9,
          messageId: 'importNoExportRejected',
          data: { import: '"demo/serve"', cluster: 'east' },
          related: [{ file: 'west/export.yaml', line: 4, column: 9, cluster: 'west' }],
        },
      ],
    },
    {
      name: 'a route to a Service that exists, unexported, in another cluster',
      files: { 'east/route.yaml': httpRoute('store-v2'), 'west/store.yaml': svc({ name: 'store-v2', namespace: 'store', ports: HTTP }) },
      findings: [
        {
          file: 'east/route.yaml',
          line: 13,
          column: 17,
          messageId: 'refNoExportUnexported',
          data: { import: '"store/store-v2"', clusters: '"west"' },
          related: [{ file: 'west/store.yaml', line: 4, column: 9, cluster: 'west' }],
        },
      ],
    },
    {
      name: 'a checked-in ServiceImport with a port no cluster exports, at that port',
      files: {
        'east/import.yaml': serviceImport('web', 'shop', 'ClusterSetIP', '[{name: http, port: 80}, {name: metrics, port: 9100}]'),
        'east/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP }),
      },
      findings: [
        { file: 'east/import.yaml', line: 8, column: 35, messageId: 'portsExtra', data: { import: '"shop/web"', cluster: 'east', extra: 'metrics 9100/TCP', missing: '' } },
      ],
    },
    {
      name: 'a checked-in ServiceImport without the exported ports, at spec.ports',
      files: { 'east/import.yaml': serviceImport('web', 'shop', 'ClusterSetIP', '[]'), 'east/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP }) },
      findings: [{ file: 'east/import.yaml', line: 8, column: 10, messageId: 'portsMissing', data: { import: '"shop/web"', cluster: 'east', missing: 'http 80/TCP' } }],
    },
    {
      name: 'a Karmada template ServiceImport for a Service the repository deploys unexported: a warning, worded for Karmada',
      files: {
        'karmada/import.yaml': `${KARMADA_IMPORT}---\n${propagate('ServiceImport', 'serve', 'discovery')}`,
        'karmada/service.yaml': svc({ name: 'serve', namespace: 'discovery', ports: ['port: 80'] }),
      },
      findings: [
        {
          file: 'karmada/import.yaml',
          line: 4,
          column: 9,
          severity: 1,
          cluster: 'karmada',
          messageId: 'templateNoExportUnexported',
          data: { import: '"discovery/serve"', cluster: 'karmada', policy: 'PropagationPolicy "discovery/serve-serviceimport"', name: 'serve', clusters: '"karmada"' },
          related: [
            { file: 'karmada/import.yaml', line: 17, column: 5, cluster: 'karmada' },
            { file: 'karmada/service.yaml', line: 4, column: 9, cluster: 'karmada' },
          ],
        },
      ],
    },
    {
      name: 'a Karmada template ServiceImport naming a port the exported Service lacks (ClusterPropagationPolicy, any name): a warning',
      files: {
        'karmada/import.yaml': serviceImport('web', 'shop', 'ClusterSetIP', '[{name: http, port: 80}, {name: grpc, port: 9090}]'),
        'karmada/policy.yaml': propagate('ServiceImport', undefined, undefined, 'ClusterPropagationPolicy'),
        'karmada/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP }),
      },
      findings: [
        {
          file: 'karmada/import.yaml',
          line: 8,
          column: 35,
          severity: 1,
          messageId: 'templatePortsExtra',
          data: { import: '"shop/web"', extra: 'grpc 9090/TCP', policy: 'ClusterPropagationPolicy "all-serviceimport"', name: 'web', exporters: '"karmada"' },
          related: [
            { file: 'karmada/web.yaml', line: 4, column: 9, cluster: 'karmada' },
            { file: 'karmada/policy.yaml', line: 7, column: 5, cluster: 'karmada' },
          ],
        },
      ],
    },
    {
      name: 'a policy of another namespace, or one selecting ServiceExports, does not make a ServiceImport a template (KEP-1645 applies)',
      files: {
        'karmada/import.yaml': serviceImport('serve', 'demo'),
        'karmada/policies.yaml': `${propagate('ServiceImport', 'serve', 'other')}---\n${propagate('ServiceExport', 'serve', 'demo')}`,
      },
      findings: [{ file: 'karmada/import.yaml', line: 4, column: 9, severity: 2, messageId: 'importNoExport', data: { import: '"demo/serve"' } }],
    },
    {
      name: 'a v1alpha2 ServiceImport (fields at the root) with a port no cluster exports, at that root-level port (real repository: mcs-api v1alpha2 variant)',
      files: {
        'central/import.yaml': v1alpha2Import('checkout', 'shop', 'ClusterSetIP', '[{name: http, port: 8081, protocol: TCP}]'),
        'east/checkout.yaml': exported({ name: 'checkout', namespace: 'shop', ports: ['name: http, port: 8080'] }),
      },
      findings: [
        {
          file: 'central/import.yaml',
          line: 7,
          column: 9,
          severity: 2,
          cluster: 'central',
          messageId: 'portsDiffer',
          data: { import: '"shop/checkout"', cluster: 'central', extra: 'http 8081/TCP', missing: 'http 8080/TCP', exporters: '"east"' },
          related: [{ file: 'east/checkout.yaml', line: 4, column: 9, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'a v1alpha2 ServiceImport lacking the exported ports and of the wrong type: at the root-level ports and type',
      files: {
        'central/import.yaml': v1alpha2Import('web', 'shop', 'Headless', '[]'),
        'east/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP }),
      },
      findings: [
        { file: 'central/import.yaml', line: 6, column: 7, messageId: 'typeMismatch', data: { type: 'Headless', expected: 'ClusterSetIP' } },
        { file: 'central/import.yaml', line: 7, column: 8, messageId: 'portsMissing', data: { missing: 'http 80/TCP' } },
      ],
    },
    {
      name: 'Azure fleet MultiClusterService for a ServiceImport nobody exports: its own wording (refNoExportFleet)',
      files: { 'member-1/mcs.yaml': fleetMcs('app') },
      findings: [
        {
          file: 'member-1/mcs.yaml',
          line: 6,
          column: 11,
          severity: 2,
          cluster: 'member-1',
          messageId: 'refNoExportFleet',
          data: { referrer: 'MultiClusterService "work/app"', cluster: 'member-1', import: '"work/app"', via: 'spec.serviceImport' },
        },
      ],
    },
    {
      name: 'Azure fleet MultiClusterService naming app-svc while the members export app (real repository: azure-fleet variant)',
      files: {
        'member-1/mcs.yaml': fleetMcs('app-svc'),
        'member-1/app.yaml': `${svc({ name: 'app', namespace: 'work', ports: HTTP })}---\n${svcExport({ name: 'app', namespace: 'work', apiVersion: FLEET })}`,
        'member-2/app.yaml': `${svc({ name: 'app', namespace: 'work', ports: HTTP })}---\n${svcExport({ name: 'app', namespace: 'work', apiVersion: FLEET })}`,
      },
      findings: [{ file: 'member-1/mcs.yaml', line: 6, column: 11, messageId: 'refNoExportFleet', data: { import: '"work/app-svc"', via: 'spec.serviceImport' } }],
    },
    {
      name: 'Azure fleet MultiClusterService for a Service a member runs without a Fleet ServiceExport',
      files: { 'member-1/mcs.yaml': fleetMcs('app'), 'member-2/app.yaml': svc({ name: 'app', namespace: 'work', ports: HTTP }) },
      findings: [
        {
          file: 'member-1/mcs.yaml',
          line: 6,
          column: 11,
          messageId: 'refNoExportFleetUnexported',
          data: { import: '"work/app"', clusters: '"member-2"' },
          related: [{ file: 'member-2/app.yaml', line: 4, column: 9, cluster: 'member-2' }],
        },
      ],
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
    expect(notes[0].messageId).toBe('checkedIn');
    expect(notes[0].data).toEqual({ import: '"shop/web"', cluster: 'east', exporters: '"east", "west"' });
  });

  it('a v1alpha2 ServiceImport whose root-level type and ports match the exports is the checked-in note', async () => {
    const { notes, findings } = await lintScenario(
      {
        'central/import.yaml': v1alpha2Import('web', 'shop'),
        'east/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP }),
      },
      { rules: [rule] },
    );
    expect(findings).toEqual([]);
    expect(notes.map((n) => [n.messageId, n.cluster, n.line, n.column])).toEqual([['checkedIn', 'central', 4, 9]]);
  });

  it('a Karmada template ServiceImport matching the exports is no note: the user writes it, not an MCS controller', async () => {
    const { notes, findings } = await lintScenario(
      {
        'karmada/import.yaml': `${serviceImport('web', 'shop')}---\n${propagate('ServiceImport', 'web', 'shop')}`,
        'karmada/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP }),
      },
      { rules: [rule] },
    );
    expect([...findings, ...notes]).toEqual([]);
  });

  it('a Karmada template ServiceImport with no export anywhere in the repository (probe-karmada-si) is a note, not an error', async () => {
    const { notes, findings } = await lintScenario({ 'karmada/import.yaml': `${KARMADA_IMPORT}---\n${propagate('ServiceImport', 'serve', 'discovery')}` }, { rules: [rule] });
    expect(findings).toEqual([]);
    expect(notes.map((n) => [n.messageId, n.line, n.column, n.message])).toEqual([
      ['templateNoExport', 4, 9, 'ServiceImport "discovery/serve" in cluster "karmada" is a Karmada resource template with no accepted ServiceExport of it in the repository.'],
    ]);
    expect(notes[0].related.map((r) => [r.line, r.column])).toEqual([[17, 5]]);
  });
});

describe('serviceimport-dangling hints', () => {
  it('a Fleet MultiClusterService gets what fleet-networking does, not the Gateway API wording; a route keeps the Gateway API wording', async () => {
    const { findings } = await lintScenario({ 'member-1/mcs.yaml': fleetMcs('app-svc'), 'member-1/route.yaml': httpRoute('store-v2') }, { rules: [rule] });
    const hints = new Map(findings.map((f) => [f.messageId ?? '', f.hint ?? '']));
    expect([...hints.keys()].sort()).toEqual(['refNoExport', 'refNoExportFleet']);
    expect(hints.get('refNoExportFleet')).toBe(
      'Azure fleet-networking\'s MultiClusterService controller creates ServiceImport "work/app-svc" itself, but while no member cluster exports that Service the import lists no cluster: ' +
        'the controller creates no derived LoadBalancer Service in fleet-system (and deletes one it made), and the MultiClusterService stays Is-Valid Unknown (UnknownServiceImport) with no External-IP, so nothing is reachable through it. ' +
        'Export the Service (a networking.fleet.azure.com ServiceExport next to it) in the member clusters that run it, or name an exported Service in spec.serviceImport.name.',
    );
    expect(hints.get('refNoExportFleet')).not.toMatch(/Gateway API|ResolvedRefs|BackendNotFound/);
    expect(hints.get('refNoExport')).toContain('ResolvedRefs=False, BackendNotFound');
  });
});
