import rule from '../../rules/linkerd-mirror.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { svc } from '../helpers/mcs.js';

// svc() with a namespace and `meta` lines: line 6 `labels:`, label k on line 7+k, value after `    <key>: `.
const labelled = (name: string, labels: Record<string, string>, namespace = 'emojivoto') =>
  svc({ name, namespace, ports: ['name: http, port: 80'], meta: ['labels:', ...Object.entries(labels).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`)] });
const value = (k: number, key: string) => ({ line: 7 + k, column: 5 + key.length + 2 });
const EXPORTED = 'mirror.linkerd.io/exported';
const FEDERATED = 'mirror.linkerd.io/federated';
const MIRRORED = 'mirror.linkerd.io/mirrored-service';
const WEB = 'Service "emojivoto/web-svc"';
const LONG = 'east'.padEnd(40, 'x');
const LONG_NAME = 'a'.repeat(55);
const link = (target: string) =>
  `apiVersion: multicluster.linkerd.io/v1alpha3\nkind: Link\nmetadata:\n  name: ${target}\n  namespace: linkerd-multicluster\nspec:\n  targetClusterName: ${target}\n  gatewayAddress: 172.18.0.3\n`;
/**
 * A Link with selector fields (`linkerd multicluster link --selector …`): `link(target)` then each
 * field's key on its own line from line 9 (column 3), its lines below it indented by four.
 */
const linkWith = (target: string, fields: Record<string, string[]>) =>
  link(target) +
  Object.entries(fields)
    .flatMap(([k, lines]) => [`  ${k}:`, ...lines.map((l) => `    ${l}`)])
    .map((l) => `${l}\n`)
    .join('');
const CUSTOM = { selector: ['matchLabels:', `  ${EXPORTED}: east-to-west`] };

ruleTester(rule, {
  valid: [
    {
      name: 'exported Services, gateway and remote-discovery, with short mirror names',
      files: {
        'target/web.yaml': labelled('web-svc', { [EXPORTED]: 'true' }),
        'target/voting.yaml': labelled('voting-svc', { [EXPORTED]: 'remote-discovery' }),
        'source/web.yaml': labelled('web-svc', {}),
      },
    },
    {
      name: 'a mirror checked into the source cluster is not a collision',
      files: {
        'target/web.yaml': labelled('web-svc', { [EXPORTED]: 'true' }),
        'source/mirror.yaml': labelled('web-svc-target', { [MIRRORED]: 'true' }),
      },
    },
    {
      name: "a Link's own selectors (linkerd multicluster link --selector, --federated-service-selector) select custom values",
      files: {
        'west/link.yaml': linkWith('east', { ...CUSTOM, federatedServiceSelector: ['matchLabels:', `  ${FEDERATED}: east-members`] }),
        'east/web.yaml': labelled('web-svc', { [EXPORTED]: 'east-to-west', [FEDERATED]: 'east-members' }),
        // Not stated: the default remoteDiscoverySelector still applies.
        'east/voting.yaml': labelled('voting-svc', { [EXPORTED]: 'remote-discovery' }),
      },
    },
    {
      name: 'matchExpressions (In, NotIn, Exists) select the Service',
      files: {
        'west/link.yaml': linkWith('east', {
          selector: [
            'matchExpressions:',
            `- {key: ${EXPORTED}, operator: In, values: [east, all]}`,
            '- {key: tier, operator: NotIn, values: [internal]}',
            '- {key: app, operator: Exists}',
          ],
        }),
        'east/web.yaml': labelled('web-svc', { [EXPORTED]: 'all', app: 'web' }),
      },
    },
    {
      name: 'one of two Links to the cluster selects the Service',
      files: {
        'west/link.yaml': linkWith('east', CUSTOM),
        'north/link.yaml': link('east'),
        'east/web.yaml': labelled('web-svc', { [EXPORTED]: 'east-to-west' }),
      },
    },
    {
      name: 'selectors left to apply time, malformed or empty, and a label value left to apply time: unknown',
      files: {
        'west/east.yaml': linkWith('east', { selector: ['matchLabels:', `  ${EXPORTED}: \${EXPORT_VALUE}`] }),
        'west/north.yaml': linkWith('north', { selector: ['{}'], remoteDiscoverySelector: ['matchExpressions: [{key: x, operator: Matches}]'] }),
        'west/south.yaml': link('south').replace('  gatewayAddress', '  selector: ${SELECTOR}\n  remoteDiscoverySelector: null\n  gatewayAddress'),
        'east/web.yaml': labelled('web-svc', { [EXPORTED]: 'east-to-west' }),
        'north/web.yaml': labelled('web-svc', { [EXPORTED]: 'north' }),
        'south/web.yaml': labelled('web-svc', { [EXPORTED]: 'south' }),
        'target/web.yaml': labelled('web-svc', { [EXPORTED]: '${EXPORT}' }),
      },
    },
    {
      name: 'a Link to a cluster outside the set mirrors nothing mclint can see',
      files: { 'west/link.yaml': link('north'), 'east/web.yaml': labelled('web-svc', { [EXPORTED]: 'true' }), 'west/clash.yaml': labelled('web-svc-east', {}) },
    },
  ],
  invalid: [
    {
      name: 'export label values the default selectors do not match',
      files: { 'target/web.yaml': labelled('web-svc', { [EXPORTED]: 'yes', [FEDERATED]: 'true' }) },
      findings: [
        { file: 'target/web.yaml', ...value(0, EXPORTED), messageId: 'exportedValue', data: { service: WEB, cluster: 'target', label: EXPORTED, value: '"yes"' } },
        { file: 'target/web.yaml', ...value(1, FEDERATED), messageId: 'federatedValue', data: { service: WEB, cluster: 'target', label: FEDERATED, value: '"true"' } },
      ],
    },
    {
      name: "an export value no Link's selector selects (the Link states its own: linkerd multicluster link --selector)",
      files: { 'west/link.yaml': linkWith('east', CUSTOM), 'east/web.yaml': labelled('web-svc', { [EXPORTED]: 'true' }) },
      findings: [
        {
          file: 'east/web.yaml',
          ...value(0, EXPORTED),
          cluster: 'east',
          messageId: 'exportedValueLink',
          data: {
            service: WEB,
            cluster: 'east',
            label: EXPORTED,
            value: '"true"',
            selector: `selectors ${EXPORTED}=east-to-west, ${EXPORTED}=remote-discovery (default) of Link "linkerd-multicluster/east" in cluster "west"`,
          },
          related: [{ file: 'west/link.yaml', line: 9, column: 3, cluster: 'west' }],
        },
      ],
    },
    {
      name: 'two Links to the cluster, neither selects the Service (matchExpressions in the message)',
      files: {
        'west/link.yaml': linkWith('east', CUSTOM),
        'north/link.yaml': linkWith('east', {
          remoteDiscoverySelector: ['matchExpressions:', `- {key: ${EXPORTED}, operator: In, values: [flat, mesh]}`, '- {key: tier, operator: DoesNotExist}'],
        }),
        'east/web.yaml': labelled('web-svc', { [EXPORTED]: 'flat', tier: 'internal' }),
      },
      findings: [
        {
          file: 'east/web.yaml',
          ...value(0, EXPORTED),
          messageId: 'exportedValueLink',
          data: {
            selector:
              `selectors ${EXPORTED}=true (default), ${EXPORTED} in (flat,mesh),!tier of Link "linkerd-multicluster/east" in cluster "north"` +
              ` and selectors ${EXPORTED}=east-to-west, ${EXPORTED}=remote-discovery (default) of Link "linkerd-multicluster/east" in cluster "west"`,
          },
          related: [
            { file: 'north/link.yaml', line: 9, column: 3, cluster: 'north' },
            { file: 'west/link.yaml', line: 9, column: 3, cluster: 'west' },
          ],
        },
      ],
    },
    {
      name: "a federation value neither the default nor the Link's federatedServiceSelector matches",
      files: {
        'west/link.yaml': linkWith('east', { federatedServiceSelector: ['matchLabels:', `  ${FEDERATED}: east-members`] }),
        'east/web.yaml': labelled('web-svc', { [FEDERATED]: 'yes' }),
      },
      findings: [
        {
          file: 'east/web.yaml',
          ...value(0, FEDERATED),
          messageId: 'federatedValueLink',
          data: { value: '"yes"', selector: `default selector ${FEDERATED}=member and selector ${FEDERATED}=east-members of Link "linkerd-multicluster/east" in cluster "west"` },
          related: [{ file: 'west/link.yaml', line: 9, column: 3, cluster: 'west' }],
        },
      ],
    },
    {
      name: 'only the Link that selects the Service mirrors it: a collision in the other source cluster is no problem',
      files: {
        'west/link.yaml': linkWith('east', CUSTOM),
        'north/link.yaml': link('east'),
        'east/web.yaml': labelled('web-svc', { [EXPORTED]: 'east-to-west' }),
        'west/clash.yaml': labelled('web-svc-east', {}),
        'north/clash.yaml': labelled('web-svc-east', {}),
      },
      findings: [
        {
          file: 'east/web.yaml',
          ...value(0, EXPORTED),
          messageId: 'mirrorExists',
          data: { source: 'west', mirror: 'emojivoto/web-svc-east' },
          related: [
            { file: 'west/link.yaml', line: 7, column: 22 },
            { file: 'west/clash.yaml', line: 4, column: 9, cluster: 'west' },
          ],
        },
      ],
    },
    {
      name: 'the mirror name collides with an existing Service (no Link: clusters link by directory name)',
      files: { 'target/web.yaml': labelled('web-svc', { [EXPORTED]: 'true' }), 'source/web.yaml': labelled('web-svc-target', {}) },
      findings: [
        {
          file: 'target/web.yaml',
          ...value(0, EXPORTED),
          cluster: 'target',
          messageId: 'mirrorExistsAssumed',
          data: { service: WEB, cluster: 'target', source: 'source', mirror: 'emojivoto/web-svc-target', targetClusterName: 'target' },
          related: [{ file: 'source/web.yaml', line: 4, column: 9, cluster: 'source' }],
        },
      ],
    },
    {
      name: 'the mirror name collides with an existing Service in the cluster whose Link names the target',
      files: { 'west/link.yaml': link('east'), 'east/web.yaml': labelled('web-svc', { [EXPORTED]: 'true' }), 'west/clash.yaml': labelled('web-svc-east', {}) },
      findings: [
        {
          file: 'east/web.yaml',
          ...value(0, EXPORTED),
          cluster: 'east',
          messageId: 'mirrorExists',
          data: { service: WEB, cluster: 'east', source: 'west', mirror: 'emojivoto/web-svc-east', targetClusterName: 'east' },
          related: [
            { file: 'west/link.yaml', line: 7, column: 22 },
            { file: 'west/clash.yaml', line: 4, column: 9, cluster: 'west' },
          ],
        },
      ],
    },
    {
      name: "a Link's targetClusterName makes the mirror name longer than 63 characters",
      files: {
        'west/link.yaml': link(LONG),
        [`${LONG}/svc.yaml`]: labelled('web-svc-for-the-long-cluster', { [EXPORTED]: 'remote-discovery' }),
      },
      findings: [
        {
          file: `${LONG}/svc.yaml`,
          ...value(0, EXPORTED),
          messageId: 'mirrorTooLong',
          data: {
            service: 'Service "emojivoto/web-svc-for-the-long-cluster"',
            cluster: LONG,
            source: 'west',
            mirror: `web-svc-for-the-long-cluster-${LONG}`,
            length: 69,
            targetClusterName: LONG,
          },
          related: [{ file: 'west/link.yaml', line: 7, column: 22 }],
        },
      ],
    },
    {
      name: 'with no Link, the target cluster name makes the mirror name too long',
      files: { [`${LONG}/svc.yaml`]: labelled('web-svc-for-the-long-cluster', { [EXPORTED]: 'true' }), 'west/web.yaml': labelled('web-svc', {}) },
      findings: [
        {
          file: `${LONG}/svc.yaml`,
          ...value(0, EXPORTED),
          messageId: 'mirrorTooLongAssumed',
          data: { cluster: LONG, source: 'west', mirror: `web-svc-for-the-long-cluster-${LONG}`, length: 69, targetClusterName: LONG },
          related: [],
        },
      ],
    },
    {
      name: 'a federated service name that collides',
      files: {
        'east/web.yaml': labelled('web', { [FEDERATED]: 'member' }),
        'west/web.yaml': labelled('web', { [FEDERATED]: 'member' }),
        'west/fed.yaml': labelled('web-federated', {}),
      },
      findings: [
        {
          file: 'east/web.yaml',
          ...value(0, FEDERATED),
          messageId: 'federatedExists',
          data: { service: 'Service "emojivoto/web"', cluster: 'east', mirror: 'emojivoto/web-federated', existing: 'west' },
          related: [{ file: 'west/fed.yaml', line: 4, column: 9, cluster: 'west' }],
        },
      ],
    },
    {
      name: 'a federated service name longer than 63 characters',
      files: { 'east/web.yaml': labelled(LONG_NAME, { [FEDERATED]: 'member' }), 'west/web.yaml': labelled('web', {}) },
      findings: [
        {
          file: 'east/web.yaml',
          ...value(0, FEDERATED),
          messageId: 'federatedTooLong',
          data: { service: `Service "emojivoto/${LONG_NAME}"`, cluster: 'east', mirror: `${LONG_NAME}-federated`, length: 65 },
        },
      ],
    },
  ],
});
