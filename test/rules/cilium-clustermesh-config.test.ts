import rule from '../../rules/cilium-clustermesh-config.js';
import { describe, expect, it } from 'vitest';
import { ruleTester } from '../helpers/rule-tester.js';
import { lintScenario } from '../helpers/scenario.js';

// Cilium values of cluster `name`: lines 1-3 `cluster`, 4 `clustermesh:`, then `extra` (indented under clustermesh) from line 5.
const values = (name: string, id: number, ...extra: string[]) => ['cluster:', `  name: ${name}`, `  id: ${id}`, 'clustermesh:', ...extra.map((l) => `  ${l}`), ''].join('\n');
// clustermesh.config with one entry per name: `config:` on line 5, `clusters:` on line 7, entry k's name on line 8 + 2k, column 13.
const config = (...names: string[]) => ['config:', '  enabled: true', '  clusters:', ...names.flatMap((n, k) => [`  - name: ${n}`, `    address: ${n}.mesh.example:${2379 + k}`])];
const b64 = (text: string) => Buffer.from(text).toString('base64');
const etcd = (name: string) =>
  `endpoints:\n- https://${name}.mesh.example:2379\ntrusted-ca-file: /var/lib/cilium/clustermesh/${name}.etcd-client-ca.crt\nkey-file: /var/lib/cilium/clustermesh/${name}.etcd-client.key\ncert-file: /var/lib/cilium/clustermesh/${name}.etcd-client.crt\n`;
// The Secret: `data:` on line 4, key k on line 5 + k.
const secret = (data: Record<string, string>) =>
  ['apiVersion: v1', 'kind: Secret', 'metadata: {name: cilium-clustermesh, namespace: kube-system}', 'data:', ...Object.entries(data).map(([k, v]) => `  ${k}: ${v}`), ''].join(
    '\n',
  );
const files = (name: string) => ({ [`${name}.etcd-client-ca.crt`]: b64('x'), [`${name}.etcd-client.key`]: b64('x'), [`${name}.etcd-client.crt`]: b64('x') });

ruleTester(rule, {
  valid: [
    {
      name: 'each cluster lists the other (and itself, which the agent skips)',
      files: {
        'east/cilium-values.yaml': values('east', 1, ...config('east', 'west'), 'apiserver: {service: {type: LoadBalancer}}', 'useAPIServer: true'),
        'west/cilium-values.yaml': values('west', 2, ...config('east')),
      },
    },
    {
      name: 'a Secret with one config per peer and its files',
      files: {
        'east/cilium-values.yaml': values('east', 1),
        'west/cilium-values.yaml': values('west', 2),
        'east/secret.yaml': secret({ west: b64(etcd('west')), ...files('west') }),
      },
    },
    {
      name: 'clustermesh.config not enabled renders no Secret',
      files: { 'east/cilium-values.yaml': values('east', 1, 'config:', '  clusters: [{name: north, address: x}]') },
    },
    {
      name: 'bad input never crashes',
      files: {
        'east/cilium-values.yaml': values('east', 1, 'config: {enabled: true, clusters: [7, {name: 3}, null]}', 'apiserver: {service: {type: [1]}}', 'useAPIServer: true'),
        'east/secret.yaml': secret({ west: '"%%%not base64"', other: '[1, 2]' }),
      },
    },
  ],
  invalid: [
    {
      name: 'an entry naming no cluster, and a peer with no entry',
      files: { 'east/cilium-values.yaml': values('east', 1, ...config('wset')), 'west/cilium-values.yaml': values('west', 2) },
      findings: [
        {
          file: 'east/cilium-values.yaml',
          line: 8,
          column: 13,
          severity: 2,
          cluster: 'east',
          messageId: 'unknownPeer',
          data: { cluster: 'east', name: 'wset', where: 'clustermesh.config.clusters' },
        },
        {
          file: 'east/cilium-values.yaml',
          line: 7,
          column: 5,
          severity: 1,
          messageId: 'missingPeer',
          data: { cluster: 'east', peer: 'west', where: 'clustermesh.config.clusters' },
          related: [{ file: 'west/cilium-values.yaml', line: 2, column: 9, cluster: 'west' }],
        },
      ],
    },
    {
      name: 'a Secret config for no cluster, and a config whose files are missing',
      files: {
        'east/cilium-values.yaml': values('east', 1),
        'west/cilium-values.yaml': values('west', 2),
        'north/cilium-values.yaml': values('north', 3),
        'east/secret.yaml': secret({ west: b64(etcd('west')), ...files('west'), south: b64(etcd('south')), north: b64(etcd('north')) }),
      },
      findings: [
        { file: 'east/secret.yaml', line: 9, column: 3, messageId: 'unknownSecretPeer', data: { name: 'south', where: 'Secret cilium-clustermesh' } },
        {
          file: 'east/secret.yaml',
          line: 9,
          column: 3,
          messageId: 'missingFile',
          data: { name: 'south', files: 'south.etcd-client-ca.crt, south.etcd-client.key, south.etcd-client.crt' },
        },
        {
          file: 'east/secret.yaml',
          line: 10,
          column: 3,
          messageId: 'missingFile',
          data: { name: 'north', files: 'north.etcd-client-ca.crt, north.etcd-client.key, north.etcd-client.crt' },
        },
      ],
    },
  ],
});

describe('cilium-clustermesh-config notes', () => {
  it('clustermesh-apiserver Service type NodePort, written or the chart default, is a note with the cilium-cli warning', async () => {
    const { notes, findings } = await lintScenario(
      {
        'east/cilium-values.yaml': values('east', 1, 'useAPIServer: true', 'apiserver:', '  service:', '    type: NodePort'),
        'west/cilium-values.yaml': values('west', 2, 'useAPIServer: true'),
        'north/cilium-values.yaml': values('north', 3, 'useAPIServer: true', 'apiserver: {service: {type: LoadBalancer}}'),
      },
      { rules: [rule] },
    );
    expect(findings).toEqual([]);
    expect(notes.map((n) => [n.cluster, n.line, n.column, n.messageId, n.data])).toEqual([
      ['east', 8, 13, 'nodePort', { cluster: 'east', type: 'NodePort' }],
      ['west', 5, 17, 'nodePort', { cluster: 'west', type: 'NodePort (the chart default)' }],
    ]);
    expect(notes[0].hint).toContain('Service type NodePort detected! Service may fail when nodes are removed from the cluster!');
  });
});
