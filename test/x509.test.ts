import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { certificateLabel, chainsTo, decodeBase64Text, issuedBy, pemText, readCertificates, readPemBundle, sameCertificate, shareCertificate } from '../src/base/x509.js';

const pem = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'trust-certs', `${name}.pem`), 'utf8');
const one = (name: string) => readCertificates(pem(name))[0];

describe('readPemBundle', () => {
  it('reads every certificate of a bundle, in order, with subject, CA flag and fingerprints', () => {
    const bundle = readPemBundle(pem('int-east') + pem('root-a'));
    expect(bundle).toMatchObject({ blocks: 2, invalid: 0 });
    expect(bundle.certificates.map((c) => [c.index, c.subjectCN, c.ca])).toEqual([
      [0, 'Test Intermediate east', true],
      [1, 'Test Root CA A', true],
    ]);
    expect(bundle.certificates[1].fingerprint256).toBe('CB:B9:D3:F8:6A:A5:12:37:E9:E0:C8:DC:EC:2C:F7:22:E3:A3:F2:71:70:71:E8:91:23:05:03:9F:93:E2:4B:E5');
    expect(bundle.certificates[1].publicKeySha256).toMatch(/^[0-9a-f]{64}$/);
    expect(bundle.certificates[0].issuer).toBe('O=mclint test only\nCN=Test Root CA A');
  });

  it.each([
    ['empty text', '', { blocks: 0, invalid: 0 }],
    ['text that is not PEM', 'not a certificate', { blocks: 0, invalid: 0 }],
    ['a block whose body is garbage', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', { blocks: 1, invalid: 1 }],
    ['a private key block alone (never decoded)', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', { blocks: 0, invalid: 0 }],
  ])('never throws: %s', (_name, text, counts) => {
    const bundle = readPemBundle(text);
    expect(bundle).toMatchObject(counts);
    expect(bundle.certificates).toEqual([]);
  });

  it('keeps the good certificates of a bundle with a broken block', () => {
    const bundle = readPemBundle(`-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n${pem('root-b')}`);
    expect(bundle).toMatchObject({ blocks: 2, invalid: 1 });
    expect(bundle.certificates.map((c) => [c.index, c.subjectCN])).toEqual([[1, 'Test Root CA B']]);
  });
});

describe('comparing certificates', () => {
  it('same certificate by fingerprint, or by public key and subject (a renewed root)', () => {
    expect(sameCertificate(one('root-a'), one('root-a'))).toBe(true);
    expect(one('root-a').fingerprint256).not.toBe(one('root-a-renewed').fingerprint256);
    expect(sameCertificate(one('root-a'), one('root-a-renewed'))).toBe(true);
    expect(sameCertificate(one('root-a'), one('root-b'))).toBe(false);
    expect(shareCertificate([one('root-b'), one('root-a')], [one('root-a-renewed')])).toBe(true);
    expect(shareCertificate([one('root-b')], [one('root-a')])).toBe(false);
  });

  it('issuedBy checks names and signature; chainsTo follows intermediates', () => {
    expect(issuedBy(one('int-east'), one('root-a'))).toBe(true);
    expect(issuedBy(one('int-east'), one('root-a-renewed'))).toBe(true);
    expect(issuedBy(one('int-east'), one('root-b'))).toBe(false);
    expect(issuedBy(one('int-b'), one('root-a'))).toBe(false);
    expect(chainsTo(one('int-east'), [], [one('root-a')])).toBe(true);
    expect(chainsTo(one('int-b'), [one('int-east')], [one('root-a')])).toBe(false);
    expect(chainsTo(one('root-b'), [], [one('root-b')])).toBe(true);
  });

  it('labels a certificate by CN and a fingerprint prefix only', () => {
    expect(certificateLabel(one('root-a'))).toBe('"Test Root CA A" (SHA-256 CB:B9:D3:F8:6A:A5:12:37)');
  });
});

describe('decoding', () => {
  it('base64 values decode; PEM passes as is; anything else is undefined', () => {
    const text = pem('root-a');
    expect(decodeBase64Text(Buffer.from(text).toString('base64'))).toBe(text);
    expect(pemText(Buffer.from(text).toString('base64'), true)).toBe(text);
    expect(pemText(text, true)).toBe(text);
    expect(pemText(Buffer.from(text).toString('base64'), false)).toBeUndefined();
    expect(decodeBase64Text('not base64!')).toBeUndefined();
    expect(decodeBase64Text('')).toBeUndefined();
  });
});
