import rule from '../../rules/spire-federation.js';
import { ruleTester } from '../helpers/rule-tester.js';

/** A ConfigMap `spire-server` whose `server.conf` (line 7, value at column 16) is JSON. */
function serverConf(trustDomain: string, federatesWith: Record<string, { bundle_endpoint_url?: string }> = {}): string {
  const conf = { server: { trust_domain: trustDomain, federation: { bundle_endpoint: { port: 8443 }, federates_with: federatesWith } } };
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: spire-server\n  namespace: spire\ndata:\n  server.conf: '${JSON.stringify(conf)}'\n`;
}
const CONF = { line: 7, column: 16 };

/** A ClusterFederatedTrustDomain: `trustDomain` on line 6 (value at column 16), `bundleEndpointURL` on line 7 when given. */
function federated(trustDomain: string, url?: string): string {
  const lines = ['apiVersion: spire.spiffe.io/v1alpha1', 'kind: ClusterFederatedTrustDomain', 'metadata:', '  name: peer', 'spec:', `  trustDomain: ${trustDomain}`];
  if (url) lines.push(`  bundleEndpointURL: ${url}`);
  lines.push('  bundleEndpointProfile:', '    type: https_spiffe', `    endpointSPIFFEID: spiffe://${trustDomain}/spire/server`);
  return lines.join('\n') + '\n';
}
const CFTD = { line: 6, column: 16 };

/** spire chart values: `global.spire.trustDomain` on line 3 (column 18), one clusterFederatedTrustDomains entry (trustDomain on line 9, column 24). */
function chartValues(trustDomain: string, peer: string, url?: string): string {
  const lines = [
    'global:',
    '  spire:',
    `    trustDomain: ${trustDomain}`,
    'spire-server:',
    '  controllerManager:',
    '    identities:',
    '      clusterFederatedTrustDomains:',
    '        peer:',
    `          trustDomain: ${peer}`,
  ];
  if (url) lines.push(`          bundleEndpointURL: ${url}`);
  return lines.join('\n') + '\n';
}

/** A ConfigMap `spire-server` whose `server.conf` is HCL, as SPIRE's own examples write it (line 7 the key). */
const hclServerConf = (trustDomain: string) =>
  [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: spire-server',
    '  namespace: spire-system',
    'data:',
    '  server.conf: |',
    '    server {',
    '      bind_address = "0.0.0.0"',
    `      trust_domain = "${trustDomain}"`,
    '      federation {',
    '        bundle_endpoint {',
    '          port = 8443',
    '        }',
    '      }',
    '    }',
    '',
  ].join('\n');

ruleTester(rule, {
  valid: [
    {
      name: 'two trust domains federating with each other through their bundle endpoints',
      files: {
        'east/spire.yaml': serverConf('east.example.org', { 'west.example.org': { bundle_endpoint_url: 'https://spire.west.example.org:8443' } }),
        'west/spire.yaml': chartValues('west.example.org', 'east.example.org', 'https://spire.east.example.org:8443'),
      },
    },
    {
      name: 'a ClusterFederatedTrustDomain naming the other cluster',
      files: {
        'east/spire.yaml': serverConf('east.example.org'),
        'east/peer.yaml': federated('west.example.org', 'https://spire.west:8443'),
        'west/spire.yaml': serverConf('west.example.org'),
      },
    },
    {
      name: 'one SPIRE server in the set: a trust domain outside the repository is not questioned',
      files: { 'east/spire.yaml': serverConf('east.example.org'), 'east/peer.yaml': federated('partner.example.com', 'https://spire.partner.example.com') },
    },
    {
      name: 'server.conf in HCL is not parsed',
      files: { 'east/spire.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: spire-server\ndata:\n  server.conf: |\n    server {\n      trust_domain = "east"\n    }\n' },
    },
    {
      name: 'a SPIRE server whose trust domain is not read (HCL server.conf) may be the one federated with (spiffe/spire-controller-manager demo)',
      files: {
        'c1/spire-values.yaml': 'global:\n  spire:\n    clusterName: c1\n    trustDomain: cluster1.demo\n',
        'c1/cluster2-federated-trust-domain.yaml': federated('cluster2.demo', 'https://172.18.255.201:8443'),
        'c2/spire-server.yaml': hclServerConf('cluster2.demo'),
        'c3/spire-values.yaml': 'global:\n  spire:\n    clusterName: c3\n    trustDomain: cluster3.demo\n',
      },
    },
    {
      name: 'so may one whose trust domain is a placeholder (chart values, JSON server.conf)',
      files: {
        'a/spire.yaml': serverConf('a.example.org'),
        'a/peer.yaml': federated('b.example.org', 'https://spire.b.example.org:8443'),
        'b/values.yaml': 'global:\n  spire:\n    trustDomain: ${TRUST_DOMAIN}\n',
        'c/spire.yaml': serverConf('c.example.org', { 'd.example.org': { bundle_endpoint_url: 'https://spire.d.example.org:8443' } }),
        'd/spire.yaml': serverConf('${TRUST_DOMAIN}'),
      },
    },
    {
      name: 'bad input of every shape is ignored, never a crash',
      files: {
        'east/a.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: spire-server\ndata:\n  server.conf: \'{"server": {"trust_domain": 5, "federation": {"federates_with": [1, 2]}}}\'\n',
        'east/b.yaml': "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata:\n  server.conf: '{not json'\n",
        'east/c.yaml': 'apiVersion: spire.spiffe.io/v1alpha1\nkind: ClusterFederatedTrustDomain\nmetadata:\n  name: x\nspec: just a string\n',
        'west/d.yaml': 'apiVersion: spire.spiffe.io/v1alpha1\nkind: ClusterFederatedTrustDomain\nmetadata:\n  name: y\nspec:\n  trustDomain: [a, b]\n',
        'west/e.yaml': 'global:\n  spire:\n    trustDomain: "${TRUST_DOMAIN}"\n',
      },
    },
  ],
  invalid: [
    {
      name: 'federating with its own trust domain (spiffe:// form), and without a bundle endpoint',
      files: { 'east/spire.yaml': serverConf('east.example.org'), 'east/peer.yaml': federated('spiffe://east.example.org') },
      findings: [
        {
          file: 'east/peer.yaml',
          ...CFTD,
          severity: 2,
          cluster: 'east',
          messageId: 'selfFederation',
          data: { cluster: 'east', trustDomain: '"spiffe://east.example.org"' },
          related: [{ file: 'east/spire.yaml', ...CONF }],
        },
        { file: 'east/peer.yaml', ...CFTD, severity: 2, messageId: 'noBundleEndpoint', data: { cluster: 'east', trustDomain: '"spiffe://east.example.org"' } },
      ],
    },
    {
      name: 'a federated trust domain no SPIRE server of the set declares (warning), and a chart entry without bundleEndpointURL',
      files: {
        'east/spire.yaml': serverConf('east.example.org', { 'wets.example.org': { bundle_endpoint_url: 'https://x' } }),
        'west/values.yaml': chartValues('west.example.org', 'east.example.org'),
      },
      findings: [
        {
          file: 'east/spire.yaml',
          ...CONF,
          severity: 1,
          messageId: 'unknownTrustDomain',
          data: { cluster: 'east', trustDomain: '"wets.example.org"', declared: '"east.example.org", "west.example.org"' },
        },
        {
          file: 'west/values.yaml',
          line: 9,
          column: 24,
          severity: 2,
          cluster: 'west',
          messageId: 'noBundleEndpoint',
          data: { cluster: 'west', trustDomain: '"east.example.org"' },
        },
      ],
    },
    {
      name: 'a server whose trust domain is not read silences only the unknown-trust-domain warning: a missing bundle endpoint is still reported',
      files: {
        'c1/spire-values.yaml': 'global:\n  spire:\n    trustDomain: cluster1.demo\n',
        'c1/peer.yaml': federated('cluster2.demo'),
        'c2/spire-server.yaml': hclServerConf('cluster2.demo'),
        'c3/spire-values.yaml': 'global:\n  spire:\n    trustDomain: cluster3.demo\n',
      },
      findings: [{ file: 'c1/peer.yaml', ...CFTD, severity: 2, cluster: 'c1', messageId: 'noBundleEndpoint', data: { cluster: 'c1', trustDomain: '"cluster2.demo"' } }],
    },
    {
      name: "a server.conf that names no trust_domain (another program's) is no SPIRE server: the unknown trust domain is reported",
      files: {
        'east/spire.yaml': serverConf('east.example.org'),
        'east/peer.yaml': federated('wets.example.org', 'https://spire.west.example.org:8443'),
        'west/spire.yaml': serverConf('west.example.org'),
        'west/openvpn.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: openvpn\ndata:\n  server.conf: |\n    port 1194\n    proto udp\n',
      },
      findings: [
        {
          file: 'east/peer.yaml',
          ...CFTD,
          severity: 1,
          cluster: 'east',
          messageId: 'unknownTrustDomain',
          data: { cluster: 'east', trustDomain: '"wets.example.org"', declared: '"east.example.org", "west.example.org"' },
        },
      ],
    },
  ],
});
