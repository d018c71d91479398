/**
 * Trust-root views of a ClusterSet: whether the clusters that must trust each other (a Cilium
 * Cluster Mesh, an Istio mesh, federated SPIRE servers) share a root. Built once per set
 * (`viewOf`), from `ClusterFacts.trust` (`src/model/sources/trust.ts`); certificates are compared
 * with `src/base/x509.ts` (fingerprint, or public key and subject).
 *
 * Upstream behaviour mirrored:
 * - Cilium: every cluster's clustermesh-apiserver serves, and every agent presents, certificates
 *   of its own cluster's CA, and remote clusters verify them against their own CA (Cilium docs
 *   "Setting up Cluster Mesh", shared Certificate Authority; cilium/cilium #22872, #32076). The
 *   chart's `helm` and `cronJob` methods generate a new CA (`genCA`, certgen) unless `tls.ca` is
 *   given (`clustermesh-apiserver-generate-certs.helm.setup-ca`).
 * - Istio: istiod signs workload certificates with `ca-cert.pem` and distributes `root-cert.pem`;
 *   proxies of another cluster accept a peer only when its chain ends at their own root (istio.io
 *   "Plug in CA Certificates"; without `cacerts` istiod makes a self-signed root,
 *   `istio-ca-secret`). istiod refuses plugged-in certificates whose chain does not verify to the
 *   root (istio/istio `security/pkg/pki/util/keycertbundle.go`, `Verify`).
 * - SPIRE: federation joins distinct trust domains, each served by a bundle endpoint
 *   (spiffe/spiffe `standards/SPIFFE_Federation.md`; SPIRE `federates_with` needs
 *   `bundle_endpoint_url`, as the ClusterFederatedTrustDomain CRD's `bundleEndpointURL`). A
 *   federated trust domain is called unknown only when every SPIRE server's own domain is known.
 */
import { shareCertificate, chainsTo } from '../../base/x509.js';
import { istioView } from '../istio.js';
import { trustDomainName } from '../sources/trust.js';
import type { CertificateBundleFact, ClusterModel, ClusterSetModel, Fact, IstioCACertsFacts, Source, SpireFederationFacts } from '../types.js';
import { viewKey, viewOf } from './cache.js';

/** A cluster's CA certificate as one field holds it. */
export interface ClusterCertificate {
  readonly cluster: ClusterModel;
  readonly cert: CertificateBundleFact;
}

/**
 * A trust-root problem of a set.
 * - `unreadable`: a CA field whose certificates cannot all be read (`cert.problem`).
 * - `differs`: a cluster's CA (Cilium) or root (Istio) shares no certificate with `reference`'s.
 * - `generated`: a Cluster Mesh cluster that generates its own CA (`method`: `helm`/`cronJob`).
 * - `missing`: an Istio mesh cluster without `cacerts` while `reference` has one (`at`: its install).
 * - `chainBroken`: an Istio `cacerts` whose `ca-cert.pem` does not chain to its `root-cert.pem`.
 */
export type TrustRootProblem =
  | { readonly kind: 'unreadable'; readonly cluster: ClusterModel; readonly cert: CertificateBundleFact }
  | { readonly kind: 'differs'; readonly cluster: ClusterModel; readonly cert: CertificateBundleFact; readonly reference: ClusterCertificate }
  | { readonly kind: 'generated'; readonly cluster: ClusterModel; readonly method: Fact<string>; readonly others: readonly { cluster: ClusterModel; at: Source }[] }
  | { readonly kind: 'missing'; readonly cluster: ClusterModel; readonly at: Source; readonly reference: ClusterCertificate }
  | { readonly kind: 'chainBroken'; readonly cluster: ClusterModel; readonly signing: CertificateBundleFact; readonly root: CertificateBundleFact };

/** The helm chart methods that generate a new CA in each cluster (`clustermesh.apiserver.tls.auto.method`). */
const GENERATING_METHODS = ['helm', 'cronjob'];

const readable = (cert: CertificateBundleFact | undefined): cert is CertificateBundleFact => cert !== undefined && cert.certificates.length > 0;

/**
 * The clusters of `list` (each with its readable CA, if any) whose CA shares no certificate with
 * the first cluster's that has one.
 */
function differing(list: readonly { cluster: ClusterModel; cert?: CertificateBundleFact }[]): TrustRootProblem[] {
  const withCert = list.filter((x): x is ClusterCertificate => readable(x.cert));
  const reference = withCert[0];
  if (!reference) return [];
  return withCert
    .slice(1)
    .filter((x) => !shareCertificate(reference.cert.certificates, x.cert.certificates))
    .map((x) => ({ kind: 'differs' as const, cluster: x.cluster, cert: x.cert, reference }));
}

const CILIUM_CA = viewKey<TrustRootProblem[]>('cilium-ca');

/**
 * Cluster Mesh CA problems: clusters with Cluster Mesh values (`clustermesh` section) or a
 * Cluster Mesh CA setting; with two or more such clusters, CAs that differ, and clusters that
 * generate their own (an explicit `helm`/`cronJob` method without `tls.ca.cert` or a `cilium-ca`
 * Secret). Unreadable CA fields are reported in any case. Clusters in set order.
 */
export function ciliumCAProblems(set: ClusterSetModel): TrustRootProblem[] {
  return viewOf(set, CILIUM_CA, () => {
    const out: TrustRootProblem[] = [];
    const mesh = set.clusters.filter((c) => c.cilium.some((f) => f.clusterMesh) || c.trust.ciliumCAs.length > 0);
    for (const c of mesh) for (const ca of c.trust.ciliumCAs) if (ca.cert?.problem) out.push({ kind: 'unreadable', cluster: c, cert: ca.cert });
    if (mesh.length < 2) return out;
    const cas = mesh.map((cluster) => ({ cluster, cert: cluster.trust.ciliumCAs.map((ca) => ca.cert).find(readable) }));
    out.push(...differing(cas));
    const anchor = (c: ClusterModel): Source | undefined => {
      const cas = c.trust.ciliumCAs;
      return cas.map((ca) => ca.cert).find(readable)?.source ?? cas.find((ca) => ca.autoMethod)?.autoMethod?.source ?? c.cilium.find((f) => f.clusterMesh)?.at;
    };
    for (const { cluster, cert } of cas) {
      if (cert) continue;
      const setting = cluster.trust.ciliumCAs.find((ca) => ca.autoMethod && !ca.autoDisabled && GENERATING_METHODS.includes(ca.autoMethod.value.toLowerCase()));
      if (!setting?.autoMethod) continue;
      const others = mesh.filter((o) => o !== cluster).flatMap((o) => (anchor(o) ? [{ cluster: o, at: anchor(o)! }] : []));
      out.push({ kind: 'generated', cluster, method: setting.autoMethod, others });
    }
    return out;
  });
}

const ISTIO_ROOT = viewKey<TrustRootProblem[]>('istio-root');

/** The first `cacerts` of a cluster with a readable root, else its first. */
const cacertsOf = (c: ClusterModel): IstioCACertsFacts | undefined => c.trust.istioCACerts.find((s) => readable(s.root)) ?? c.trust.istioCACerts[0];

/**
 * Istio plug-in CA problems per mesh (`istioView` meshes), clusters in set order: unreadable
 * `cacerts` fields; a `ca-cert.pem` that does not chain to its own root; and, in a mesh of two or
 * more clusters where some cluster has `cacerts`, roots that differ and clusters without `cacerts`
 * (istiod then makes its own self-signed root; remote-profile clusters, which run no istiod, need
 * none).
 */
export function istioRootProblems(set: ClusterSetModel): TrustRootProblem[] {
  return viewOf(set, ISTIO_ROOT, () => {
    const out: TrustRootProblem[] = [];
    for (const c of set.clusters) {
      for (const s of c.trust.istioCACerts) {
        for (const f of [s.root, s.signing, s.chain]) if (f?.problem) out.push({ kind: 'unreadable', cluster: c, cert: f });
        if (
          readable(s.root) &&
          readable(s.signing) &&
          !chainsTo(s.signing.certificates[0], [...(s.chain?.certificates ?? []), ...s.signing.certificates.slice(1)], s.root.certificates)
        ) {
          out.push({ kind: 'chainBroken', cluster: c, signing: s.signing, root: s.root });
        }
      }
    }
    for (const mesh of istioView(set).meshes) {
      if (mesh.clusters.length < 2) continue;
      const roots = mesh.clusters.map((cluster) => ({ cluster, cert: cacertsOf(cluster)?.root }));
      out.push(...differing(roots));
      const reference = roots.find((x): x is ClusterCertificate => readable(x.cert));
      if (!reference) continue;
      for (const cluster of mesh.clusters) {
        // A remote cluster runs no istiod: its workloads get certificates from the primary's CA.
        if (cluster.trust.istioCACerts.length > 0 || cluster.istioControlPlanes.some((p) => p.role.value === 'remote')) continue;
        out.push({ kind: 'missing', cluster, at: cluster.istio[0]?.at ?? cluster.nameSource.source, reference });
      }
    }
    return out;
  });
}

/**
 * A SPIRE federation problem: `self` (a server federating with its own trust domain),
 * `noBundleEndpoint` (no bundle endpoint URL), `unknown` (a trust domain no SPIRE server of the set
 * declares, while the set has two or more and every SPIRE server's trust domain is known: one read
 * from an HCL `server.conf` or a placeholder might be the one federated with).
 */
export interface SpireFederationProblem {
  readonly kind: 'self' | 'noBundleEndpoint' | 'unknown';
  readonly cluster: ClusterModel;
  readonly federation: SpireFederationFacts;
  /** The cluster's own trust domain (`self`), or the trust domains the set declares (`unknown`). */
  readonly trustDomains: readonly Fact<string>[];
}

const SPIRE = viewKey<SpireFederationProblem[]>('spire-federation');

/** SPIRE federation problems of a set (server.conf, spire values, ClusterFederatedTrustDomains), clusters in set order. */
export function spireFederationProblems(set: ClusterSetModel): SpireFederationProblem[] {
  return viewOf(set, SPIRE, () => {
    const own = new Map(set.clusters.map((c) => [c, c.trust.spireServers.flatMap((s) => (s.trustDomain ? [s.trustDomain] : []))]));
    const declared = [...own.values()].flat();
    const spireClusters = set.clusters.filter((c) => own.get(c)!.length > 0).length;
    // A server whose trust domain mclint cannot read may declare any federated name.
    const allKnown = set.clusters.every((c) => c.trust.spireServers.every((s) => s.trustDomain !== undefined));
    const out: SpireFederationProblem[] = [];
    for (const c of set.clusters) {
      const federations = [...c.trust.spireServers.flatMap((s) => s.federatesWith), ...c.trust.federatedTrustDomains.map((f) => f.federation)];
      const mine = own.get(c)!;
      for (const federation of federations) {
        const name = trustDomainName(federation.trustDomain.value);
        const self = mine.filter((t) => trustDomainName(t.value) === name);
        if (self.length > 0) out.push({ kind: 'self', cluster: c, federation, trustDomains: self });
        else if (spireClusters >= 2 && allKnown && !declared.some((t) => trustDomainName(t.value) === name))
          out.push({ kind: 'unknown', cluster: c, federation, trustDomains: declared });
        if (!federation.bundleEndpointURL) out.push({ kind: 'noBundleEndpoint', cluster: c, federation, trustDomains: [] });
      }
    }
    return out;
  });
}
