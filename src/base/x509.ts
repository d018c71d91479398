/**
 * X.509 certificates as the trust-root rules compare them: PEM bundles split into their
 * `CERTIFICATE` blocks, each parsed by Node's `crypto.X509Certificate` (no hand-written DER or
 * ASN.1 parsing). Only public certificate data is kept: fingerprints, the public key's hash, the
 * subject and issuer. Private keys are never read; a bundle's other PEM blocks (`PRIVATE KEY`,
 * `EC PARAMETERS`) are skipped without being decoded.
 */
import { X509Certificate, createHash } from 'node:crypto';

/**
 * One certificate of a PEM bundle.
 * - `index`: its position among the bundle's `CERTIFICATE` blocks (0: the first).
 * - `fingerprint256`: SHA-256 over the DER certificate, as Node prints it (`AB:CD:…`, 32 bytes).
 * - `publicKeySha256`: SHA-256 over the DER SubjectPublicKeyInfo, lower-case hex: equal for a
 *   certificate re-issued with the same key (a renewed root).
 * - `subject`, `issuer`: distinguished names as Node prints them (one `K=V` per line);
 *   `subjectCN`: the subject's common name, when it has one.
 * - `ca`: the basicConstraints CA flag.
 * - `pem`: the certificate's own PEM block (public data), for `issuedBy`.
 */
export interface CertificateInfo {
  readonly index: number;
  readonly fingerprint256: string;
  readonly publicKeySha256: string;
  readonly subject: string;
  readonly subjectCN?: string;
  readonly issuer: string;
  readonly ca: boolean;
  readonly pem: string;
}

/**
 * A PEM bundle read: the certificates that parsed, in order, and how many `CERTIFICATE` blocks
 * did not (`invalid`). `blocks` counts every `CERTIFICATE` block found.
 */
export interface PemBundle {
  readonly certificates: readonly CertificateInfo[];
  readonly blocks: number;
  readonly invalid: number;
}

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** The `CN=` value of a distinguished name as Node prints it, if any. */
function commonName(dn: string): string | undefined {
  for (const line of dn.split('\n')) if (line.startsWith('CN=')) return line.slice(3);
  return undefined;
}

/** Reads one PEM `CERTIFICATE` block; undefined when Node cannot parse it. */
function readBlock(pem: string, index: number): CertificateInfo | undefined {
  try {
    const x = new X509Certificate(pem);
    const spki = x.publicKey.export({ type: 'spki', format: 'der' });
    const cn = commonName(x.subject);
    return {
      index,
      fingerprint256: x.fingerprint256,
      publicKeySha256: createHash('sha256').update(spki).digest('hex'),
      subject: x.subject,
      ...(cn !== undefined && { subjectCN: cn }),
      issuer: x.issuer,
      ca: x.ca,
      pem,
    };
  } catch {
    return undefined;
  }
}

/**
 * Splits `text` into its PEM `CERTIFICATE` blocks and parses each. Never throws: text that is not
 * PEM gives no block; a block that does not parse counts as `invalid`.
 */
export function readPemBundle(text: string): PemBundle {
  const certificates: CertificateInfo[] = [];
  let blocks = 0;
  for (const match of text.matchAll(CERTIFICATE_BLOCK)) {
    const info = readBlock(match[0], blocks++);
    if (info) certificates.push(info);
  }
  return { certificates, blocks, invalid: blocks - certificates.length };
}

/** The certificates of a PEM bundle that parse, in order (see `readPemBundle`). Never throws. */
export function readCertificates(pem: string): CertificateInfo[] {
  return [...readPemBundle(pem).certificates];
}

/**
 * The text of a base64 value (Kubernetes Secret `data`, Cilium's `tls.ca.cert`); undefined when
 * it is not base64 (other characters than the alphabet, padding and whitespace) or empty.
 */
export function decodeBase64Text(value: string): string | undefined {
  const compact = value.replace(/\s+/g, '');
  if (compact === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64').toString('utf8');
}

/**
 * The PEM text a field holds: `value` itself when it already is PEM, else its base64 decoding
 * when `base64` (Secret `data`), else undefined.
 */
export function pemText(value: string, base64: boolean): string | undefined {
  if (value.includes('-----BEGIN')) return value;
  return base64 ? decodeBase64Text(value) : undefined;
}

/**
 * True when two certificates stand for the same CA: the same certificate (SHA-256 fingerprint),
 * or the same public key and subject (a CA re-issued with its key, which still verifies what the
 * other signed).
 */
export function sameCertificate(a: CertificateInfo, b: CertificateInfo): boolean {
  return a.fingerprint256 === b.fingerprint256 || (a.publicKeySha256 === b.publicKeySha256 && a.subject === b.subject);
}

/** True when `a` and `b` share a certificate (`sameCertificate`). */
export function shareCertificate(a: readonly CertificateInfo[], b: readonly CertificateInfo[]): boolean {
  return a.some((x) => b.some((y) => sameCertificate(x, y)));
}

/**
 * True when `parent` issued `child`: the issuer and subject names match (`checkIssued`) and the
 * signature verifies with the parent's public key (`verify`). Never throws.
 */
export function issuedBy(child: CertificateInfo, parent: CertificateInfo): boolean {
  try {
    const c = new X509Certificate(child.pem);
    const p = new X509Certificate(parent.pem);
    return c.checkIssued(p) && c.verify(p.publicKey);
  } catch {
    return false;
  }
}

/**
 * True when `leaf` chains to one of `roots` through `intermediates` (each link `issuedBy` the
 * next), or is itself one of the roots. At most `intermediates.length + 1` links are followed.
 */
export function chainsTo(leaf: CertificateInfo, intermediates: readonly CertificateInfo[], roots: readonly CertificateInfo[]): boolean {
  let current = leaf;
  for (let hops = 0; hops <= intermediates.length; hops++) {
    if (roots.some((r) => sameCertificate(r, current) || issuedBy(current, r))) return true;
    const next = intermediates.find((i) => !sameCertificate(i, current) && issuedBy(current, i));
    if (!next) return false;
    current = next;
  }
  return false;
}

/**
 * How a certificate is named in messages: its subject CN (else its subject) and the first 8
 * bytes of its SHA-256 fingerprint, e.g. `"Root CA" (SHA-256 D2:23:BC:08:E3:BC:FF:F2)`. Public
 * data only.
 */
export function certificateLabel(c: CertificateInfo): string {
  return `"${c.subjectCN ?? c.subject.replace(/\n/g, ', ')}" (SHA-256 ${c.fingerprint256.slice(0, 23)})`;
}
