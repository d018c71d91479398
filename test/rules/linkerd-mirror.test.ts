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
        { file: 'target/web.yaml', ...value(0, EXPORTED), message: ['mirror.linkerd.io/exported: "yes"', 'never mirrored'] },
        { file: 'target/web.yaml', ...value(1, FEDERATED), message: ['mirror.linkerd.io/federated: "true"', 'Use "member"'] },
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
          message: ['mirrored into cluster "source" as "emojivoto/web-svc-target"', 'mclint assumes "source" links to it with --cluster-name target', 'already has a Service of that name'],
          related: [{ file: 'source/web.yaml', line: 4, column: 9, cluster: 'source' }],
        },
      ],
    },
    {
      name: 'a Link\'s targetClusterName makes the mirror name longer than 63 characters',
      files: {
        'west/link.yaml': link('east'.padEnd(40, 'x')),
        [`${'east'.padEnd(40, 'x')}/svc.yaml`]: labelled('web-svc-for-the-long-cluster', { [EXPORTED]: 'remote-discovery' }),
      },
      findings: [
        {
          file: `${'east'.padEnd(40, 'x')}/svc.yaml`,
          ...value(0, EXPORTED),
          message: [`as "web-svc-for-the-long-cluster-${'east'.padEnd(40, 'x')}"`, 'which is 69 characters', 'Link in cluster "west"'],
          related: [{ file: 'west/link.yaml', line: 7, column: 22 }],
        },
      ],
    },
    {
      name: 'a federated service name that collides',
      files: { 'east/web.yaml': labelled('web', { [FEDERATED]: 'member' }), 'west/web.yaml': labelled('web', { [FEDERATED]: 'member' }), 'west/fed.yaml': labelled('web-federated', {}) },
      findings: [{ file: 'east/web.yaml', ...value(0, FEDERATED), message: ['joins the federated service "emojivoto/web-federated", but cluster "west" already has a Service of that name'] }],
    },
  ],
});
