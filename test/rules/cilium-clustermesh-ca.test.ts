import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import rule from '../../rules/cilium-clustermesh-ca.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { lintScenario } from '../helpers/scenario.js';

/** A test-only CA certificate of fixtures/trust-certs (public data; no key is checked in). */
const pem = (name: string) => readFileSync(join(__dirname, '..', '..', 'fixtures', 'trust-certs', `${name}.pem`), 'utf8');
const b64 = (name: string) => Buffer.from(pem(name)).toString('base64');
const ROOT_A = '"Test Root CA A" (SHA-256 CB:B9:D3:F8:6A:A5:12:37)';
const ROOT_B = '"Test Root CA B" (SHA-256 6C:10:E4:C2:82:61:0C:07)';

/**
 * Cilium Helm values: `cluster` (lines 1-3), `clustermesh` (line 4), then, when given, the auto
 * method on line 8 (value at column 17) and `tls.ca.cert` on line 9 or 12 (value at column 11).
 */
function values(name: string, id: number, opts: { method?: string; cert?: string } = {}): string {
  const lines = ['cluster:', `  name: ${name}`, `  id: ${id}`, 'clustermesh:', '  useAPIServer: true'];
  if (opts.method) lines.push('  apiserver:', '    tls:', '      auto:', `        method: ${opts.method}`);
  if (opts.cert !== undefined) lines.push('tls:', '  ca:', `    cert: ${opts.cert}`);
  return lines.join('\n') + '\n';
}
const METHOD = { line: 9, column: 17 };
const certAt = (method: boolean) => ({ line: method ? 12 : 8, column: 11 });

/** The `cilium-ca` Secret with `ca.crt` on line 7 (`data`: base64, value at column 11) or as `stringData` (a block scalar). */
function secret(cert: string, stringData = false): string {
  const head = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: cilium-ca\n  namespace: kube-system\n';
  if (stringData) return `${head}stringData:\n  ca.crt: |\n${cert.replace(/^/gm, '    ').trimEnd()}\n`;
  return `${head}data:\n  ca.crt: ${cert}\n`;
}

ruleTester(rule, {
  valid: [
    {
      name: 'the same tls.ca.cert in both clusters',
      files: { 'east/cilium.yaml': values('east', 1, { cert: b64('root-a') }), 'west/cilium.yaml': values('west', 2, { cert: b64('root-a') }) },
    },
    {
      name: 'a CA re-issued with the same key and subject is the same CA',
      files: { 'east/cilium.yaml': values('east', 1, { cert: b64('root-a') }), 'west/cilium.yaml': values('west', 2, { cert: b64('root-a-renewed') }) },
    },
    {
      name: 'a cilium-ca Secret (stringData) holding the CA the other cluster gives in its values',
      files: {
        'east/cilium.yaml': values('east', 1, { cert: b64('root-a') }),
        'west/cilium.yaml': values('west', 2, { method: 'helm' }),
        'west/ca.yaml': secret(pem('root-a'), true),
      },
    },
    {
      name: 'the auto method left to the chart default: the CA may be shared out of band (cilium install --inherit-ca), not reported',
      files: { 'east/cilium.yaml': values('east', 1), 'west/cilium.yaml': values('west', 2) },
    },
    { name: 'a single Cluster Mesh cluster may generate its CA', files: { 'east/cilium.yaml': values('east', 1, { method: 'helm' }) } },
    {
      name: 'certmanager: the issuers are not in the repository, not reported',
      files: { 'east/cilium.yaml': values('east', 1, { method: 'certmanager' }), 'west/cilium.yaml': values('west', 2, { method: 'certmanager' }) },
    },
    {
      name: 'a placeholder CA is left to apply time',
      files: { 'east/cilium.yaml': values('east', 1, { cert: '${CILIUM_CA}' }), 'west/cilium.yaml': values('west', 2, { cert: b64('root-b') }) },
    },
    {
      name: 'bad input of every shape is ignored, never a crash',
      files: {
        'east/cilium.yaml': 'cluster:\n  name: east\nclustermesh:\n  apiserver:\n    tls: yes\ntls: [1, 2]\n',
        'west/cilium.yaml': 'cluster:\n  name: west\nclustermesh:\n  apiserver:\n    tls:\n      auto:\n        method: 7\n      ca: {cert: {a: 1}}\n',
        'west/ca.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: cilium-ca\ndata: [ca.crt]\n',
        'north/ca.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: cacerts\nstringData:\n  root-cert.pem: 12\n',
      },
    },
  ],
  invalid: [
    {
      name: 'different CAs: reported at the later cluster, with the first cluster as related',
      files: { 'east/cilium.yaml': values('east', 1, { cert: b64('root-a') }), 'west/cilium.yaml': values('west', 2, { cert: b64('root-b') }) },
      findings: [
        {
          file: 'west/cilium.yaml',
          ...certAt(false),
          severity: 2,
          cluster: 'west',
          messageId: 'caDiffers',
          data: { cluster: 'west', ca: ROOT_B, field: 'Cilium values tls.ca.cert', reference: 'east', referenceCA: ROOT_A },
          related: [{ file: 'east/cilium.yaml', ...certAt(false) }],
        },
      ],
    },
    {
      name: 'a cilium-ca Secret (base64 data) with another CA than the other cluster',
      files: { 'east/ca.yaml': secret(b64('root-a')), 'east/cilium.yaml': values('east', 1), 'west/cilium.yaml': values('west', 2, { cert: b64('root-b') }) },
      findings: [
        {
          file: 'west/cilium.yaml',
          ...certAt(false),
          messageId: 'caDiffers',
          data: { cluster: 'west', ca: ROOT_B, reference: 'east', referenceCA: ROOT_A },
          related: [{ file: 'east/ca.yaml', line: 7, column: 11 }],
        },
      ],
    },
    {
      name: 'helm generates a CA in east while west gives one',
      files: { 'east/cilium.yaml': values('east', 1, { method: 'helm' }), 'west/cilium.yaml': values('west', 2, { cert: b64('root-a') }) },
      findings: [
        {
          file: 'east/cilium.yaml',
          ...METHOD,
          severity: 2,
          cluster: 'east',
          messageId: 'caGenerated',
          data: { cluster: 'east', field: 'Cilium values clustermesh.apiserver.tls.auto.method', method: 'helm', others: '"west"' },
          related: [{ file: 'west/cilium.yaml', ...certAt(false), cluster: 'west' }],
        },
      ],
    },
    {
      name: 'cronJob in both clusters: each generates its own CA',
      files: { 'east/cilium.yaml': values('east', 1, { method: 'cronJob' }), 'west/cilium.yaml': values('west', 2, { method: 'cronJob' }) },
      findings: [
        {
          file: 'east/cilium.yaml',
          ...METHOD,
          messageId: 'caGenerated',
          data: { cluster: 'east', method: 'cronJob', others: '"west"' },
          related: [{ file: 'west/cilium.yaml', ...METHOD }],
        },
        {
          file: 'west/cilium.yaml',
          ...METHOD,
          messageId: 'caGenerated',
          data: { cluster: 'west', method: 'cronJob', others: '"east"' },
          related: [{ file: 'east/cilium.yaml', ...METHOD }],
        },
      ],
    },
    {
      name: 'CA fields that hold no certificate: not base64, base64 of no PEM, a broken PEM block',
      files: {
        'east/cilium.yaml': values('east', 1, { cert: 'not*base64' }),
        'west/cilium.yaml': values('west', 2, { cert: Buffer.from('hello').toString('base64') }),
        'north/ca.yaml': secret(Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n').toString('base64')),
      },
      findings: [
        { file: 'east/cilium.yaml', ...certAt(false), messageId: 'caUnreadable', data: { field: 'Cilium values tls.ca.cert', cluster: 'east', problem: 'is not base64' } },
        { file: 'west/cilium.yaml', ...certAt(false), messageId: 'caUnreadable', data: { cluster: 'west', problem: 'holds no PEM certificate' } },
        {
          file: 'north/ca.yaml',
          line: 7,
          column: 11,
          messageId: 'caUnreadable',
          data: { field: 'Secret cilium-ca data.ca.crt', cluster: 'north', problem: 'holds 1 unreadable certificate(s)' },
        },
      ],
    },
  ],
});

describe('cilium-clustermesh-ca hints', () => {
  it('point to safe ways of sharing the CA and never advise committing its key (real repository: helm method in both clusters)', async () => {
    const { findings } = await lintScenario(
      {
        'east/cilium.yaml': values('east', 1, { method: 'helm' }),
        'west/cilium.yaml': values('west', 2, { method: 'helm' }),
        'north/cilium.yaml': values('north', 3, { cert: b64('root-a') }),
        'south/cilium.yaml': values('south', 4, { cert: b64('root-b') }),
      },
      { rules: [rule] },
    );
    expect(findings.map((f) => f.messageId).sort()).toEqual(['caDiffers', 'caGenerated', 'caGenerated']);
    for (const f of findings) {
      expect(f.hint).toContain('without putting its private key in the repository: supply tls.ca.cert and tls.ca.key at install time from a secret store');
      expect(f.hint).toContain('cilium install --inherit-ca <first cluster>');
      expect(f.hint).toContain('Never commit tls.ca.key or an unencrypted cilium-ca Secret.');
      expect(f.hint).not.toMatch(/check(ed)? it in|commit (it|the Secret)/i);
    }
  });
});
