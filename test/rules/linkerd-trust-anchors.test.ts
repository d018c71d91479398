import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import rule from '../../rules/linkerd-trust-anchors.js';
import { ruleTester } from '../helpers/rule-tester.js';

const pem = (name: string) => readFileSync(join(__dirname, '../../fixtures/trust-certs', `${name}.pem`), 'utf8').trim();
const block = (text: string) =>
  text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
/** Linkerd Helm values: `identityTrustAnchorsPEM: |` on line 1 (value at column 26); with an issuer, `crtPEM: |` after the anchors. */
function values(anchors: string[], issuer?: string[]): string {
  let out = `identityTrustAnchorsPEM: |\n${block(anchors.map(pem).join('\n'))}\n`;
  if (issuer)
    out += `identity:\n  issuer:\n    tls:\n      crtPEM: |\n${block(issuer.map(pem).join('\n'))
      .split('\n')
      .map((l) => `      ${l}`)
      .join('\n')}\n`;
  return out;
}
const lines = (text: string) => text.split('\n').length - 1;
/** The `crtPEM` value of `values(anchors, issuer)`. */
const issuerAt = (anchors: string[]) => ({ line: lines(values(anchors)) + 4, column: 15 });
const ANCHORS = { line: 1, column: 26 };
/** A ConfigMap linkerd-identity-trust-roots: `ca-bundle.crt` on line 6, value at column 18. */
const roots = (anchors: string[]) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: linkerd-identity-trust-roots\ndata:\n  ca-bundle.crt: |\n${block(anchors.map(pem).join('\n'))
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}\n`;
const link = (target: string) =>
  `apiVersion: multicluster.linkerd.io/v1alpha3\nkind: Link\nmetadata:\n  name: ${target}\n  namespace: linkerd-multicluster\nspec:\n  targetClusterName: ${target}\n`;
const exported = `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: emojivoto\n  labels:\n    mirror.linkerd.io/exported: "true"\n`;
/** `linkerd install` output: the linkerd-config ConfigMap (`values` on line 7, column 11) and the issuer Secret (`crt.pem` on line 8, column 12). */
const config = (anchors: string[]) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: linkerd-config\n  namespace: linkerd\ndata:\n  values: |\n    identityTrustAnchorsPEM: |\n${block(
    anchors.map(pem).join('\n'),
  )
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}\n`;
const issuerSecret = (cert: string) =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: linkerd-identity-issuer\n  namespace: linkerd\ndata:\n  key.pem: bm90IHJlYWQ=\n  crt.pem: ${Buffer.from(pem(cert)).toString('base64')}\n`;
const A = '"Test Root CA A" (SHA-256 ';
const B = '"Test Root CA B" (SHA-256 ';

ruleTester(rule, {
  valid: [
    {
      name: 'linked clusters with the same anchor, issuers signed by it',
      files: { 'west/link.yaml': link('east'), 'west/values.yaml': values(['root-a'], ['int-west']), 'east/values.yaml': values(['root-a'], ['int-east']) },
    },
    {
      name: 'a rotation bundle shares one anchor; a renewed root (same key and subject) counts as the same',
      files: { 'west/link.yaml': link('east'), 'west/values.yaml': values(['root-b', 'root-a']), 'east/roots.yaml': roots(['root-a-renewed']) },
    },
    {
      name: 'garbage and placeholders: no PEM, a broken certificate, a template, wrong types',
      files: {
        'west/link.yaml': link('east'),
        'west/values.yaml': 'identityTrustAnchorsPEM: not a certificate\nidentity:\n  issuer:\n    tls:\n      crtPEM: 42\n',
        'east/values.yaml': 'identityTrustAnchorsPEM: "-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----"\nclusterDomain: [1, 2]\n',
        'east/roots.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: linkerd-identity-trust-roots\ndata:\n  ca-bundle.crt: "{{ .Values.anchors }}"\n',
        'east/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: linkerd-config\ndata:\n  values: "a: [unclosed"\n',
      },
    },
    {
      name: 'different anchors in clusters that are not linked and export nothing',
      files: { 'west/values.yaml': values(['root-a']), 'east/values.yaml': values(['root-b']) },
    },
  ],
  invalid: [
    {
      name: 'a Link between clusters with different anchors',
      files: { 'west/link.yaml': link('east'), 'west/values.yaml': values(['root-a']), 'east/roots.yaml': roots(['root-b']) },
      findings: [
        {
          file: 'west/values.yaml',
          ...ANCHORS,
          severity: 2,
          cluster: 'west',
          messageId: 'anchorsDiffer',
          data: { cluster: 'west', target: 'east' },
          message: [A, B],
          related: [
            { file: 'east/roots.yaml', line: 6, column: 18, cluster: 'east' },
            { file: 'west/link.yaml', line: 7, column: 22, cluster: 'west' },
          ],
        },
      ],
    },
    {
      name: 'no Link, but a Service exported between clusters with different anchors',
      files: { 'west/values.yaml': values(['root-a']), 'east/values.yaml': values(['root-b']), 'east/web.yaml': exported },
      findings: [
        { file: 'east/values.yaml', ...ANCHORS, messageId: 'anchorsDifferAssumed', data: { cluster: 'east', target: 'west' }, related: [{ file: 'west/values.yaml', ...ANCHORS }] },
      ],
    },
    {
      name: 'linkerd install output: linkerd-config values and the issuer Secret',
      files: { 'west/link.yaml': link('east'), 'west/values.yaml': values(['root-a']), 'east/config.yaml': config(['root-b']), 'east/issuer.yaml': issuerSecret('int-east') },
      findings: [
        {
          file: 'west/values.yaml',
          ...ANCHORS,
          messageId: 'anchorsDiffer',
          related: [
            { file: 'east/config.yaml', line: 7, column: 11 },
            { file: 'west/link.yaml', line: 7, column: 22 },
          ],
        },
        {
          file: 'east/issuer.yaml',
          line: 8,
          column: 12,
          messageId: 'issuerNotSigned',
          message: ['"Test Intermediate east"', B],
          related: [{ file: 'east/config.yaml', line: 7, column: 11 }],
        },
      ],
    },
    {
      name: 'an issuer signed by another root',
      files: { 'east/values.yaml': values(['root-a'], ['int-b']) },
      findings: [
        {
          file: 'east/values.yaml',
          ...issuerAt(['root-a']),
          messageId: 'issuerNotSigned',
          message: ['"Test Intermediate B"', A],
          related: [{ file: 'east/values.yaml', ...ANCHORS }],
        },
      ],
    },
  ],
});
