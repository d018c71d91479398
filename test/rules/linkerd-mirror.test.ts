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
