import { relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import rule from '../../rules/linkerd-link.js';
import trustRule from '../../rules/linkerd-trust-anchors.js';
import { lint } from '../../src/lint.js';
import { ruleTester } from '../helpers/rule-tester.js';

const ID = 'linkerd-gateway.linkerd-multicluster.serviceaccount.identity.linkerd.cluster.local';
/** A Link: `targetClusterName` line 7 col 22, `targetClusterDomain` line 8 col 24, `gatewayIdentity` line 9 col 20. */
const link = (target: string, domain = 'cluster.local', identity = ID) =>
  [
    'apiVersion: multicluster.linkerd.io/v1alpha3',
    'kind: Link',
    'metadata:',
    `  name: ${target}`,
    '  namespace: linkerd-multicluster',
    'spec:',
    `  targetClusterName: ${target}`,
    `  targetClusterDomain: ${domain}`,
    `  gatewayIdentity: ${identity}`,
    '  gatewayAddress: 172.18.0.3',
  ].join('\n') + '\n';
const AT = { name: { line: 7, column: 22 }, domain: { line: 8, column: 24 }, identity: { line: 9, column: 20 } };
/** A Service in emojivoto with one label (line 7, value at column 5 + key length + 2); its name on line 4 column 9. */
const svc = (name: string, labels: Record<string, string> = {}) =>
  [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${name}`,
    '  namespace: emojivoto',
    '  labels:',
    ...Object.entries(labels).map(([k, v]) => `    ${k}: "${v}"`),
    'spec:',
    '  ports:',
    '  - port: 80',
  ].join('\n') + '\n';
const EXPORTED = { 'mirror.linkerd.io/exported': 'true' };
const MIRRORED = 'mirror.linkerd.io/mirrored-service';
/** A TrafficSplit: backend i's `service` value on line 9 + 2i, column 14. */
const split = (...backends: string[]) =>
  [
    'apiVersion: split.smi-spec.io/v1alpha1',
    'kind: TrafficSplit',
    'metadata:',
    '  name: web',
    '  namespace: emojivoto',
    'spec:',
    '  service: web-svc',
    '  backends:',
    ...backends.flatMap((b) => [`  - service: ${b}`, '    weight: 50']),
  ].join('\n') + '\n';
const backend = (i: number) => ({ line: 9 + 2 * i, column: 14 });
/** An HTTPRoute with one backendRef: its `name` value on line 10, column 13. */
const route = (backendName: string) =>
  `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\n  namespace: emojivoto\nspec:\n  rules:\n  - backendRefs:\n    - port: 80\n      name: ${backendName}\n`;
const values = (lines: string[]) => lines.join('\n') + '\n';
/** `link(target)` with selector fields after it, from line 11 (`linkerd multicluster link --selector …`). */
const linkWith = (target: string, fields: string[]) => link(target) + fields.map((l) => `${l}\n`).join('');
const CUSTOM = ['  selector:', '    matchLabels:', '      mirror.linkerd.io/exported: east-to-west'];
/** A headless Service in emojivoto (`clusterIP: None`), its name on line 4 column 9; labels from line 7. */
const headless = (name: string, labels: Record<string, string> = EXPORTED) => svc(name, labels).replace('spec:\n', 'spec:\n  clusterIP: None\n');
/** A StatefulSet in emojivoto: its name on line 4 column 9. */
const statefulSet = (name: string, serviceName: string, replicas?: number | string) =>
  [
    'apiVersion: apps/v1',
    'kind: StatefulSet',
    'metadata:',
    `  name: ${name}`,
    '  namespace: emojivoto',
    'spec:',
    `  serviceName: ${serviceName}`,
    ...(replicas !== undefined ? [`  replicas: ${replicas}`] : []),
  ].join('\n') + '\n';
const gateway = (namespace: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: linkerd-gateway\n  namespace: ${namespace}\nspec:\n  template:\n    metadata:\n      labels:\n        app: linkerd-gateway\n`;

ruleTester(rule, {
  valid: [
    {
      name: 'a Link matching its target, routes to exported mirrors, a checked-in mirror of its Link',
      files: {
        'west/link.yaml': link('east'),
        'west/split.yaml': split('web-svc', 'web-svc-east'),
        'west/route.yaml': route('web-svc-east'),
        'west/web.yaml': svc('web-svc'),
        'west/mirror.yaml': svc('voting-svc-east', { [MIRRORED]: 'true' }),
        'east/web.yaml': svc('web-svc', EXPORTED),
        'east/voting.yaml': svc('voting-svc', { 'mirror.linkerd.io/exported': 'remote-discovery' }),
        'east/values.yaml': values(['identityTrustDomain: cluster.local', 'clusterDomain: cluster.local']),
        'east/gateway.yaml': gateway('linkerd-multicluster'),
      },
    },
    {
      name: 'no Link in the repository: clusters link under their names',
      files: { 'west/split.yaml': split('web-svc-east'), 'east/web.yaml': svc('web-svc', EXPORTED) },
    },
    {
      name: 'garbage and placeholders in Links and backends',
      files: {
        'west/link.yaml': link('east', '${DOMAIN}', '{{ .Values.gatewayIdentity }}'),
        'west/bad.yaml': 'apiVersion: multicluster.linkerd.io/v1alpha3\nkind: Link\nmetadata:\n  name: x\nspec:\n  targetClusterName: [east]\n  gatewayIdentity: 42\n',
        'west/split.yaml': 'apiVersion: split.smi-spec.io/v1alpha1\nkind: TrafficSplit\nmetadata:\n  name: s\nspec:\n  backends: [1, {service: 2}, null]\n',
        'west/profile.yaml': 'apiVersion: linkerd.io/v1alpha2\nkind: ServiceProfile\nmetadata:\n  name: p\nspec:\n  dstOverrides:\n  - authority: ":::"\n  - weight: 1\n',
        'east/values.yaml': values(['clusterDomain: east.example', 'identityTrustDomain: east.example']),
      },
    },
    {
      name: 'a backend that is a real Service of the cluster, not a mirror',
      files: { 'west/link.yaml': link('east'), 'west/split.yaml': split('web-east'), 'west/web.yaml': svc('web-east'), 'east/web.yaml': svc('web') },
    },
    {
      name: "the Link's own selector (linkerd multicluster link --selector) selects the target Service",
      files: {
        'west/link.yaml': linkWith('east', CUSTOM),
        'west/split.yaml': split('web-svc', 'web-svc-east', 'nginx-0-east'),
        'west/route.yaml': route('voting-svc-east'),
        'west/web.yaml': svc('web-svc'),
        'east/web.yaml': svc('web-svc', { 'mirror.linkerd.io/exported': 'east-to-west' }),
        'east/nginx.yaml': headless('nginx-svc', { 'mirror.linkerd.io/exported': 'east-to-west' }),
        'east/sts.yaml': statefulSet('nginx', 'nginx-svc'),
        // The Link states no remoteDiscoverySelector: the default applies.
        'east/voting.yaml': svc('voting-svc', { 'mirror.linkerd.io/exported': 'remote-discovery' }),
      },
    },
    {
      name: 'a Link selector left to apply time or not evaluable: whether the target exports is unknown',
      files: {
        'west/link.yaml': linkWith('east', ['  selector: ${SELECTOR}']),
        'west/north.yaml': linkWith('north', ['  selector:', '    matchExpressions: [{key: tier, operator: In}]']),
        'west/split.yaml': split('web-svc-east', 'web-svc-north'),
        'east/web.yaml': svc('web-svc', { 'mirror.linkerd.io/exported': 'east-to-west' }),
        'north/web.yaml': svc('web-svc', { tier: 'front' }),
      },
    },
    {
      name: 'endpoint mirrors <pod>-<target> of the pods of a StatefulSet behind an exported headless Service',
      files: {
        'west/link.yaml': link('east'),
        'west/split.yaml': split('nginx-0-east', 'nginx-1-east', 'db-0-east'),
        'west/mirror.yaml': svc('nginx-1-east', { [MIRRORED]: 'true', 'mirror.linkerd.io/headless-mirror-svc-name': 'nginx-svc-east' }),
        'east/nginx.yaml': headless('nginx-svc'),
        'east/sts.yaml': statefulSet('nginx', 'nginx-svc', 2),
        // replicas not written: one pod, db-0.
        'east/db.yaml': headless('db-svc'),
        'east/db-sts.yaml': statefulSet('db', 'db-svc'),
      },
    },
    {
      name: 'endpoint mirrors of a StatefulSet whose replicas are decided at apply time, or whose ordinals start at 1',
      files: {
        'west/link.yaml': link('east'),
        'west/split.yaml': split('nginx-5-east', 'db-2-east'),
        'east/nginx.yaml': headless('nginx-svc'),
        'east/sts.yaml': statefulSet('nginx', 'nginx-svc', '${REPLICAS}'),
        'east/db.yaml': headless('db-svc'),
        'east/db-sts.yaml': statefulSet('db', 'db-svc', 2).replace('spec:\n', 'spec:\n  ordinals: {start: 1}\n'),
      },
    },
    {
      name: 'an exported headless Service no StatefulSet governs: its pod hostnames are not known',
      files: {
        'west/link.yaml': link('east'),
        'west/route.yaml': route('cache-a-east'),
        'east/cache.yaml': headless('cache-svc'),
      },
    },
    {
      name: 'the target states no Linkerd settings: its domain and trust domain are not known',
      files: { 'west/link.yaml': link('east', 'other.local', ID.replace('cluster.local', 'other.local')), 'east/web.yaml': svc('web-svc', EXPORTED) },
    },
  ],
  invalid: [
    {
      name: 'targetClusterDomain, gatewayIdentity trust domain and gateway namespace against the target',
      files: {
        'west/link.yaml': link('east', 'cluster.local', 'linkerd-gateway.multicluster.serviceaccount.identity.linkerd.cluster.local'),
        'east/values.yaml': values(['clusterDomain: east.example', 'identityTrustDomain: east.example']),
        'east/gateway.yaml': gateway('linkerd-multicluster'),
      },
      findings: [
        {
          file: 'west/link.yaml',
          ...AT.domain,
          severity: 2,
          cluster: 'west',
          messageId: 'clusterDomain',
          data: { link: 'linkerd-multicluster/east', cluster: 'west', target: 'east', actual: 'cluster.local', expected: 'east.example' },
          related: [{ file: 'east/values.yaml', line: 1, column: 16, cluster: 'east' }],
        },
        {
          file: 'west/link.yaml',
          ...AT.identity,
          messageId: 'trustDomain',
          data: { actual: 'cluster.local', expected: 'east.example', defaulted: '' },
          related: [{ file: 'east/values.yaml', line: 2, column: 22 }],
        },
        {
          file: 'west/link.yaml',
          ...AT.identity,
          messageId: 'gatewayNamespace',
          data: { actual: 'multicluster', expected: 'linkerd-multicluster' },
          related: [{ file: 'east/gateway.yaml', line: 5, column: 14 }],
        },
      ],
    },
    {
      name: "the target's trust domain is Linkerd's default",
      files: {
        'west/link.yaml': link('east', 'cluster.local', ID.replace('cluster.local', 'prod.example')),
        'east/values.yaml': values(['identityTrustAnchorsPEM: ""', 'linkerdVersion: stable-2.14.10']),
      },
      findings: [
        {
          file: 'west/link.yaml',
          ...AT.identity,
          messageId: 'trustDomain',
          data: { actual: 'prod.example', expected: 'cluster.local', defaulted: " (Linkerd's default)" },
          related: [],
        },
      ],
    },
    {
      name: 'a malformed gatewayIdentity, and a Link to no cluster of the repository',
      files: { 'west/link.yaml': link('east', 'cluster.local', 'linkerd-gateway.linkerd-multicluster'), 'west/north.yaml': link('north'), 'east/web.yaml': svc('web-svc') },
      findings: [
        { file: 'west/link.yaml', ...AT.identity, messageId: 'gatewayIdentityForm', data: { actual: 'linkerd-gateway.linkerd-multicluster' } },
        { file: 'west/north.yaml', ...AT.name, severity: 1, messageId: 'unknownTarget', data: { link: 'linkerd-multicluster/north', target: 'north' } },
      ],
    },
    {
      name: 'backends naming mirrors of a missing Link and of a Service the target does not export',
      files: {
        'west/link.yaml': link('east'),
        'west/split.yaml': split('web-svc-south', 'web-svc-east'),
        'west/route.yaml': route('emoji-svc-east'),
        'south/web.yaml': svc('web-svc', EXPORTED),
        'east/web.yaml': svc('web-svc'),
      },
      findings: [
        {
          file: 'west/split.yaml',
          ...backend(0),
          messageId: 'refNoLink',
          data: {
            object: 'TrafficSplit "emojivoto/web"',
            via: 'spec.backends[0].service',
            mirror: 'emojivoto/web-svc-south',
            target: 'south',
            basis: 'Cluster "west" has Links for east.',
          },
          related: [],
        },
        {
          file: 'west/split.yaml',
          ...backend(1),
          messageId: 'refNoExport',
          data: {
            mirror: 'emojivoto/web-svc-east',
            exported: 'emojivoto/web-svc',
            target: 'east',
            why: 'does not export Service "emojivoto/web-svc" (default selectors mirror.linkerd.io/exported=true, mirror.linkerd.io/exported=remote-discovery of Link "linkerd-multicluster/east")',
          },
          related: [{ file: 'east/web.yaml', line: 4, column: 9, cluster: 'east' }],
        },
        {
          file: 'west/route.yaml',
          line: 10,
          column: 13,
          messageId: 'refNoExport',
          data: { object: 'HTTPRoute "emojivoto/web"', via: 'rules[0].backendRefs[0]', why: 'has no Service "emojivoto/emoji-svc"' },
          related: [{ file: 'west/link.yaml', ...AT.name, cluster: 'west' }],
        },
      ],
    },
    {
      name: "a target Service the Link's own selectors do not select (matchLabels, matchExpressions NotIn)",
      files: {
        'west/link.yaml': linkWith('east', [
          ...CUSTOM,
          '  remoteDiscoverySelector:',
          '    matchExpressions:',
          '    - {key: tier, operator: NotIn, values: [internal]}',
          '    - {key: flat, operator: Exists}',
        ]),
        'west/split.yaml': split('web-svc-east', 'voting-svc-east', 'emoji-svc-east'),
        'east/web.yaml': svc('web-svc', EXPORTED),
        'east/voting.yaml': svc('voting-svc', { flat: 'yes', tier: 'internal' }),
        'east/emoji.yaml': svc('emoji-svc', { flat: 'yes', tier: 'front' }),
      },
      findings: [
        {
          file: 'west/split.yaml',
          ...backend(0),
          cluster: 'west',
          messageId: 'refNoExport',
          data: {
            mirror: 'emojivoto/web-svc-east',
            exported: 'emojivoto/web-svc',
            target: 'east',
            why: 'does not export Service "emojivoto/web-svc" (selectors mirror.linkerd.io/exported=east-to-west, tier notin (internal),flat of Link "linkerd-multicluster/east")',
            selector: 'selectors mirror.linkerd.io/exported=east-to-west, tier notin (internal),flat of Link "linkerd-multicluster/east"',
          },
          related: [{ file: 'east/web.yaml', line: 4, column: 9, cluster: 'east' }],
        },
        {
          file: 'west/split.yaml',
          ...backend(1),
          messageId: 'refNoExport',
          data: { mirror: 'emojivoto/voting-svc-east', exported: 'emojivoto/voting-svc' },
          related: [{ file: 'east/voting.yaml', line: 4, column: 9, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'endpoint mirrors of a pod the StatefulSet does not run, of an unexported headless Service, of no pod',
      files: {
        'west/link.yaml': link('east'),
        'west/split.yaml': split('nginx-2-east', 'db-0-east', 'nginx-x-east'),
        'east/nginx.yaml': headless('nginx-svc'),
        'east/sts.yaml': statefulSet('nginx', 'nginx-svc', 2),
        'east/db.yaml': headless('db-svc', {}),
        'east/db-sts.yaml': statefulSet('db', 'db-svc', 3),
      },
      findings: [
        {
          file: 'west/split.yaml',
          ...backend(0),
          cluster: 'west',
          messageId: 'refNoPod',
          data: {
            object: 'TrafficSplit "emojivoto/web"',
            mirror: 'emojivoto/nginx-2-east',
            target: 'east',
            why: 'has no pod "nginx-2" (StatefulSet "emojivoto/nginx" has 2 replicas)',
          },
          related: [{ file: 'east/sts.yaml', line: 4, column: 9, cluster: 'east' }],
        },
        {
          file: 'west/split.yaml',
          ...backend(1),
          messageId: 'refNoExport',
          data: {
            mirror: 'emojivoto/db-0-east',
            exported: 'emojivoto/db-svc',
            why: 'does not export Service "emojivoto/db-svc", the headless Service of pod "db-0" (default selectors mirror.linkerd.io/exported=true, mirror.linkerd.io/exported=remote-discovery of Link "linkerd-multicluster/east")',
          },
          related: [{ file: 'east/db.yaml', line: 4, column: 9, cluster: 'east' }],
        },
        {
          file: 'west/split.yaml',
          ...backend(2),
          messageId: 'refNoExport',
          data: { mirror: 'emojivoto/nginx-x-east', why: 'has no Service "emojivoto/nginx-x"' },
          related: [{ file: 'west/link.yaml', ...AT.name, cluster: 'west' }],
        },
      ],
    },
    {
      name: 'checked-in mirrors of no Link, and of a Service that is not exported',
      files: {
        'west/link.yaml': link('east'),
        'west/a.yaml': svc('web-svc-south', { [MIRRORED]: 'true', 'mirror.linkerd.io/cluster-name': 'south' }),
        'west/b.yaml': svc('voting-svc-east', { [MIRRORED]: 'true' }),
        'east/voting.yaml': svc('voting-svc'),
        'south/web.yaml': svc('web-svc', EXPORTED),
      },
      findings: [
        { file: 'west/a.yaml', line: 7, column: 5 + MIRRORED.length + 2, messageId: 'mirrorNoLink', data: { mirror: 'emojivoto/web-svc-south', target: 'south' } },
        { file: 'west/b.yaml', line: 7, column: 5 + MIRRORED.length + 2, messageId: 'mirrorNoExport', data: { exported: 'emojivoto/voting-svc', target: 'east' } },
      ],
    },
  ],
});

describe('fixtures/linkerd-links (a Link copied between environments)', () => {
  it('reports the Link fields, the mirrors and the trust anchors, each at its line', async () => {
    const root = resolve(import.meta.dirname, '..', '..', 'fixtures', 'linkerd-links');
    const result = await lint({ dirs: [root], rules: [rule, trustRule] });
    const rel = (f: string) => relative(root, f).split('\\').join('/');
    const found = result.findings.map(
      (f) => `${rel(f.file)}:${f.line}:${f.column} ${f.ruleId} ${f.messageId} ${f.related.map((r) => `${rel(r.file)}:${r.line}:${r.column}`).join(' ')}`,
    );
    expect(found.sort()).toEqual(
      [
        'west/link.yaml:8:24 linkerd-link clusterDomain east/linkerd-values.yaml:1:16',
        'west/link.yaml:10:20 linkerd-link trustDomain east/linkerd-values.yaml:2:22',
        'west/web-split.yaml:26:14 linkerd-link refNoLink ',
        'west/emoji-mirror.yaml:7:41 linkerd-link mirrorNoExport east/emojivoto.yaml:19:9',
        'west/linkerd-values.yaml:2:26 linkerd-trust-anchors anchorsDiffer east/linkerd-values.yaml:3:26 west/link.yaml:7:22',
        'east/linkerd-values.yaml:19:15 linkerd-trust-anchors issuerNotSigned east/linkerd-values.yaml:3:26',
      ].sort(),
    );
    const text = result.findings.map((f) => f.message).join('\n');
    expect(text).not.toMatch(/BEGIN|PRIVATE/);
  });
});
