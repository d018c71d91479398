/**
 * Trust roots of a cluster (`ClusterFacts.trust`), read for the trust-root rules:
 * - Cilium Cluster Mesh CA (cilium/cilium `install/kubernetes/cilium/values.yaml` and
 *   `templates/clustermesh-apiserver/tls-helm/_helpers.tpl`,
 *   `clustermesh-apiserver-generate-certs.helm.setup-ca`): Helm values
 *   `clustermesh.apiserver.tls.ca.cert` (older) else `tls.ca.cert` (base64 PEM),
 *   `clustermesh.apiserver.tls.auto.{enabled,method,certManagerIssuerRef}`; the `cilium-ca`
 *   Secret (`ca.crt`) the chart and the cilium CLI create.
 * - Istio plug-in CA (istio.io "Plug in CA Certificates"; istio/istio
 *   `security/pkg/pki/ca/ca.go`): the `cacerts` Secret, `root-cert.pem`, `ca-cert.pem`,
 *   `cert-chain.pem`, or the `kubernetes.io/tls` form `ca.crt`, `tls.crt`.
 * - SPIRE (spiffe/spire `doc/spire_server.md`; spiffe/helm-charts-hardened `charts/spire`;
 *   spiffe/spire-controller-manager `docs/clusterfederatedtrustdomain-crd.md`): `server.conf` in
 *   JSON form in a ConfigMap (`server.trust_domain`, `server.federation.federates_with`), the
 *   chart's `global.spire.trustDomain` and
 *   `spire-server.controllerManager.identities.clusterFederatedTrustDomains`, and
 *   `ClusterFederatedTrustDomain` objects. SPIRE reads `server.conf` with HashiCorp HCL v1
 *   (spiffe/spire `cmd/spire-server/cli/run/run.go`, `hcl.Decode`); no maintained HCL v1 parser
 *   exists for Node (the maintained HCL v2 ones are asynchronous WebAssembly), so an HCL
 *   `server.conf` is recorded as a SPIRE server whose trust domain is unknown, as is a trust
 *   domain holding a placeholder.
 * Secret `data` is base64, `stringData` text (the API server merges `stringData` over `data`).
 * Private keys (`ca-key.pem`, `tls.key`, `tls.ca.key`) are never read.
 */
import type { Path } from '../../base/types.js';
import { pemText, readPemBundle } from '../../base/x509.js';
import { isPlaceholder } from '../../base/placeholder.js';
import type { CertificateBundleFact, Fact, SpireServerFacts } from '../types.js';
import type { FieldReader } from './facts.js';
import type { FactSource, ValuesSource } from './types.js';
import { chartProject, isRecord } from '../values.js';

/** The name of the Secret holding Cilium's CA (`ca.crt`, `ca.key`). */
export const CILIUM_CA_SECRET = 'cilium-ca';
/** The name of Istio's plug-in CA Secret. */
export const ISTIO_CACERTS_SECRET = 'cacerts';

/**
 * The certificates of a PEM field: `base64` for Secret `data` and Cilium values (PEM written
 * as is is accepted too). Undefined when the field is absent, empty or a placeholder.
 */
export function certificateField(reader: FieldReader, path: Path, origin: string, base64: boolean): CertificateBundleFact | undefined {
  const v = reader.get(path);
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const source = reader.source(path, origin);
  const text = pemText(v, base64);
  if (text === undefined) return { certificates: [], problem: base64 ? 'is not base64' : 'holds no PEM certificate', source };
  const bundle = readPemBundle(text);
  if (bundle.blocks === 0) return { certificates: [], problem: 'holds no PEM certificate', source };
  if (bundle.invalid > 0) return { certificates: bundle.certificates, problem: `holds ${bundle.invalid} unreadable certificate(s)`, source };
  return { certificates: bundle.certificates, source };
}

/** A Secret key: `stringData` first (it wins when both are set), then base64 `data`. */
function secretKey(reader: FieldReader, key: string, origin: string): CertificateBundleFact | undefined {
  return certificateField(reader, ['stringData', key], `${origin} stringData.${key}`, false) ?? certificateField(reader, ['data', key], `${origin} data.${key}`, true);
}

/** A non-empty string field as a fact. */
function text(reader: FieldReader, path: Path, origin: string): Fact<string> | undefined {
  const v = reader.get(path);
  return typeof v === 'string' && v.trim() !== '' ? { value: v.trim(), source: reader.source(path, origin) } : undefined;
}

/** A trust domain as SPIRE names it: `spiffe://example.org` and `example.org` are the same domain. */
export function trustDomainName(value: string): string {
  return value
    .replace(/^spiffe:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

/** Where SPIRE's configuration names the server's trust domain (`server.conf`, HCL or JSON). */
const TRUST_DOMAIN_KEY = /\btrust_domain\b/;

/**
 * Reads `server.conf` from a ConfigMap key. SPIRE parses it with HashiCorp HCL (v1), which also
 * reads JSON: the JSON form is read here (`server.trust_domain`, `server.federation.federates_with`).
 * Any other text naming a `trust_domain` (HCL, JSON that does not parse) is still a SPIRE server,
 * recorded without a trust domain: its domain is unknown, not absent. So is a trust domain that
 * holds a placeholder (SPIRE's `-expandEnv` expands `${VAR}` in the file).
 */
function spireServerConf(reader: FieldReader, key: string, cluster: { trust: { spireServers: SpireServerFacts[] } }): void {
  const path: Path = ['data', key];
  const raw = reader.get(path) ?? reader.placeholder(path);
  if (typeof raw !== 'string') return;
  const at = reader.source(path, 'server.conf');
  let conf: unknown;
  try {
    conf = raw.trim().startsWith('{') ? JSON.parse(raw) : undefined;
  } catch {
    conf = undefined;
  }
  if (!isRecord(conf) || !isRecord(conf.server)) {
    if (TRUST_DOMAIN_KEY.test(raw)) cluster.trust.spireServers.push({ at, federatesWith: [] });
    return;
  }
  const server = conf.server;
  const written = typeof server.trust_domain === 'string' ? server.trust_domain.trim() : '';
  const td = written !== '' && !isPlaceholder(written) ? { value: written, source: at } : undefined;
  const federation = isRecord(server.federation) ? server.federation.federates_with : undefined;
  const names = isRecord(federation) ? Object.keys(federation) : [];
  const federates = names.map((name) => {
    const entry = federation && isRecord(federation) ? federation[name] : undefined;
    const url = isRecord(entry) && typeof entry.bundle_endpoint_url === 'string' ? entry.bundle_endpoint_url : undefined;
    return { trustDomain: { value: name, source: at }, ...(url && { bundleEndpointURL: { value: url, source: at } }) };
  });
  cluster.trust.spireServers.push({ at, ...(td && { trustDomain: td }), federatesWith: federates });
}

/** Reads the `cilium-ca` and `cacerts` Secrets, SPIRE `server.conf` ConfigMaps and ClusterFederatedTrustDomains. */
export const trustSource: FactSource = {
  id: 'trust',
  handles: ['core/Secret', 'core/ConfigMap', 'spire.spiffe.io/ClusterFederatedTrustDomain'],
  extract(ctx) {
    const { object, cluster } = ctx;
    if (object.kind === 'Secret' && object.name === CILIUM_CA_SECRET) {
      const cert = secretKey(ctx, 'ca.crt', 'Secret cilium-ca');
      if (cert) cluster.trust.ciliumCAs.push({ at: ctx.source([], 'Secret cilium-ca'), via: 'secret', cert });
    } else if (object.kind === 'Secret' && object.name === ISTIO_CACERTS_SECRET) {
      const root = secretKey(ctx, 'root-cert.pem', 'Secret cacerts') ?? secretKey(ctx, 'ca.crt', 'Secret cacerts');
      const signing = secretKey(ctx, 'ca-cert.pem', 'Secret cacerts') ?? secretKey(ctx, 'tls.crt', 'Secret cacerts');
      const chain = secretKey(ctx, 'cert-chain.pem', 'Secret cacerts');
      cluster.trust.istioCACerts.push({ object, cluster: cluster.name, root, signing, chain });
    } else if (object.kind === 'ConfigMap') {
      const data = ctx.get(['data']);
      if (isRecord(data) && 'server.conf' in data) spireServerConf(ctx, 'server.conf', cluster);
    } else if (object.kind === 'ClusterFederatedTrustDomain') {
      const trustDomain = text(ctx, ['spec', 'trustDomain'], 'ClusterFederatedTrustDomain spec.trustDomain');
      if (!trustDomain) return;
      const bundleEndpointURL = text(ctx, ['spec', 'bundleEndpointURL'], 'ClusterFederatedTrustDomain spec.bundleEndpointURL');
      cluster.trust.federatedTrustDomains.push({ object, cluster: cluster.name, federation: { trustDomain, bundleEndpointURL } });
    }
  },
};

/** Cilium values that configure Cluster Mesh TLS: the cilium chart's, or values with a `clustermesh` and a `cluster` or `tls` section. */
function isCiliumValues(root: Record<string, unknown>, chart: string | undefined): boolean {
  const project = chartProject(chart);
  if (project === 'istio') return false;
  return project === 'cilium' || (isRecord(root.clustermesh) && (isRecord(root.cluster) || isRecord(root.tls)));
}

/** Reads the Cluster Mesh CA settings of Cilium values, and the spire chart's trust domain and federations. */
export const trustValuesSource: ValuesSource = {
  id: 'trust-values',
  extract(ctx) {
    const root = ctx.get([]);
    if (!isRecord(root)) return;
    if (isCiliumValues(root, ctx.chart)) {
      const TLS = ['clustermesh', 'apiserver', 'tls'];
      const cert =
        certificateField(ctx, [...TLS, 'ca', 'cert'], 'Cilium values clustermesh.apiserver.tls.ca.cert', true) ??
        certificateField(ctx, ['tls', 'ca', 'cert'], 'Cilium values tls.ca.cert', true);
      const autoMethod = text(ctx, [...TLS, 'auto', 'method'], 'Cilium values clustermesh.apiserver.tls.auto.method');
      const autoDisabled = ctx.get([...TLS, 'auto', 'enabled']) === false;
      const issuerRef = text(ctx, [...TLS, 'auto', 'certManagerIssuerRef', 'name'], 'Cilium values clustermesh.apiserver.tls.auto.certManagerIssuerRef.name');
      if (cert || autoMethod || autoDisabled) {
        ctx.cluster.trust.ciliumCAs.push({ at: ctx.source([], 'Cilium values'), via: 'values', cert, autoMethod, autoDisabled, issuerRef });
      }
    }
    const trustDomain = text(ctx, ['global', 'spire', 'trustDomain'], 'spire values global.spire.trustDomain');
    // A trust domain left to apply time: a SPIRE server all the same, its domain unknown.
    const unknown = !trustDomain && ctx.placeholder(['global', 'spire', 'trustDomain']) !== undefined;
    if (!trustDomain && !unknown) return;
    const FEDERATIONS = ['spire-server', 'controllerManager', 'identities', 'clusterFederatedTrustDomains'];
    const named = ctx.get(FEDERATIONS);
    const federations = isRecord(named)
      ? Object.keys(named).flatMap((name) => {
          const td = text(ctx, [...FEDERATIONS, name, 'trustDomain'], 'spire values clusterFederatedTrustDomains trustDomain');
          return td ? [{ trustDomain: td, bundleEndpointURL: text(ctx, [...FEDERATIONS, name, 'bundleEndpointURL'], 'spire values bundleEndpointURL') }] : [];
        })
      : [];
    ctx.cluster.trust.spireServers.push({ at: ctx.source([], 'spire values'), ...(trustDomain && { trustDomain }), federatesWith: federations });
  },
};
