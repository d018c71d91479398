import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import rule from '../../rules/istio-root-ca.js';
import { ruleTester } from '../helpers/rule-tester.js';

/** A test-only certificate of fixtures/trust-certs (public data; no key is checked in). */
const pem = (name: string) => readFileSync(join(__dirname, '..', '..', 'fixtures', 'trust-certs', `${name}.pem`), 'utf8');
const b64 = (...names: string[]) => Buffer.from(names.map(pem).join('')).toString('base64');
const ROOT_A = '"Test Root CA A" (SHA-256 CB:B9:D3:F8:6A:A5:12:37)';
const ROOT_B = '"Test Root CA B" (SHA-256 6C:10:E4:C2:82:61:0C:07)';
const INT_B = '"Test Intermediate B" (SHA-256 54:D1:24:D9:D5:5E:17:2B)';

/** An IstioOperator of mesh `mesh1` naming the cluster (the install object starts on line 1, column 1). */
const install = (cluster: string) =>
  `apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata:\n  name: istio\n  namespace: istio-system\nspec:\n  values:\n    global:\n      meshID: mesh1\n      multiCluster:\n        clusterName: ${cluster}\n      network: ${cluster}-net\n`;

/**
 * The `cacerts` Secret (`data`, base64): line 7 `root-cert.pem` (value at column 18), line 8
 * `ca-cert.pem` (column 16), line 9 `cert-chain.pem` (column 19) when given; `ca-key.pem` is a
 * dummy (never read).
 */
function cacerts(root: string, signing: string, chain?: string): string {
  const lines = ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: cacerts', '  namespace: istio-system', 'data:', `  root-cert.pem: ${root}`, `  ca-cert.pem: ${signing}`];
  if (chain) lines.push(`  cert-chain.pem: ${chain}`);
  lines.push('  ca-key.pem: dGVzdC1vbmx5');
  return lines.join('\n') + '\n';
}
const ROOT = { line: 7, column: 18 };
const SIGNING = { line: 8, column: 16 };

ruleTester(rule, {
  valid: [
    {
      name: 'one root, an intermediate per cluster (intermediates differ by design)',
      files: {
        'east/istio.yaml': install('east'),
        'east/cacerts.yaml': cacerts(b64('root-a'), b64('int-east'), b64('int-east', 'root-a')),
        'west/istio.yaml': install('west'),
        'west/cacerts.yaml': cacerts(b64('root-a'), b64('int-west'), b64('int-west', 'root-a')),
      },
    },
    {
      name: 'a root rotation: both roots in one cluster, the old one in the other',
      files: {
        'east/istio.yaml': install('east'),
        'east/cacerts.yaml': cacerts(b64('root-b', 'root-a'), b64('int-east')),
        'west/istio.yaml': install('west'),
        'west/cacerts.yaml': cacerts(b64('root-a-renewed'), b64('int-west')),
      },
    },
    {
      name: 'a remote-profile cluster runs no istiod and needs no cacerts',
      files: {
        'east/istio.yaml': install('east'),
        'east/cacerts.yaml': cacerts(b64('root-a'), b64('int-east')),
        'west/istio.yaml': install('west').replace('spec:\n', 'spec:\n  profile: remote\n'),
      },
    },
    { name: 'no cluster plugs in a CA: istiod roots are not in the repository', files: { 'east/istio.yaml': install('east'), 'west/istio.yaml': install('west') } },
    {
      name: 'a cluster outside the Istio mesh needs no cacerts',
      files: {
        'east/istio.yaml': install('east'),
        'east/cacerts.yaml': cacerts(b64('root-a'), b64('int-east')),
        'west/svc.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n',
      },
    },
  ],
  invalid: [
    {
      name: 'different roots: reported at the later cluster, with the first cluster as related',
      files: {
        'east/istio.yaml': install('east'),
        'east/cacerts.yaml': cacerts(b64('root-a'), b64('int-east')),
        'west/istio.yaml': install('west'),
        'west/cacerts.yaml': cacerts(b64('root-b'), b64('int-b')),
      },
      findings: [
        {
          file: 'west/cacerts.yaml',
          ...ROOT,
          severity: 2,
          cluster: 'west',
          messageId: 'rootDiffers',
          data: { cluster: 'west', root: ROOT_B, reference: 'east', referenceRoot: ROOT_A },
          related: [{ file: 'east/cacerts.yaml', ...ROOT }],
        },
      ],
    },
    {
      name: 'a mesh cluster without cacerts runs a self-signed root (warning at its install)',
      files: { 'east/istio.yaml': install('east'), 'east/cacerts.yaml': cacerts(b64('root-a'), b64('int-east')), 'west/istio.yaml': install('west') },
      findings: [
        {
          file: 'west/istio.yaml',
          line: 1,
          column: 1,
          severity: 1,
          cluster: 'west',
          messageId: 'noCacerts',
          data: { cluster: 'west', reference: 'east', referenceRoot: ROOT_A },
          related: [{ file: 'east/cacerts.yaml', ...ROOT }],
        },
      ],
    },
    {
      name: 'an intermediate of another root does not chain to the Secret root-cert.pem',
      files: { 'east/istio.yaml': install('east'), 'east/cacerts.yaml': cacerts(b64('root-a'), b64('int-b'), b64('int-b', 'root-b')) },
      findings: [
        {
          file: 'east/cacerts.yaml',
          ...SIGNING,
          severity: 2,
          messageId: 'chainBroken',
          data: { cluster: 'east', signing: INT_B, root: ROOT_A },
          related: [{ file: 'east/cacerts.yaml', ...ROOT }],
        },
      ],
    },
    {
      name: 'stringData and garbage: a root that is no PEM and an intermediate that is no certificate',
      files: {
        'east/istio.yaml': install('east'),
        'east/cacerts.yaml':
          'apiVersion: v1\nkind: Secret\nmetadata:\n  name: cacerts\n  namespace: istio-system\nstringData:\n  root-cert.pem: not a certificate\n  ca-cert.pem: |\n    -----BEGIN CERTIFICATE-----\n    AAAA\n    -----END CERTIFICATE-----\n',
      },
      findings: [
        {
          file: 'east/cacerts.yaml',
          ...ROOT,
          messageId: 'unreadable',
          data: { field: 'Secret cacerts stringData.root-cert.pem', cluster: 'east', problem: 'holds no PEM certificate' },
        },
        {
          file: 'east/cacerts.yaml',
          line: 8,
          column: 16,
          messageId: 'unreadable',
          data: { field: 'Secret cacerts stringData.ca-cert.pem', problem: 'holds 1 unreadable certificate(s)' },
        },
      ],
    },
  ],
});
