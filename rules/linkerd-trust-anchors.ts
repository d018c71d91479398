import { certificateLabel, defineRule, linkerdLinkProblems, type LinkerdTrustProblem, type RelatedPlace } from './kit.js';

type Certs = Extract<LinkerdTrustProblem, { kind: 'anchorsDiffer' }>['anchors'];
const names = (c: Certs) => c.value.map(certificateLabel).join(', ');

/**
 * `linkerd-trust-anchors`: Linkerd clusters joined by a Link (or, with no Link in the repository,
 * clusters that export Services to each other) must share at least one identity trust anchor,
 * and each cluster's identity issuer certificate must chain to its own trust anchors. Anchors
 * come from `identityTrustAnchorsPEM` (Helm values, `linkerd-config`) or the
 * `linkerd-identity-trust-roots` ConfigMap; the issuer from `identity.issuer.tls.crtPEM` or the
 * `linkerd-identity-issuer` Secret. Certificates are compared by SHA-256 fingerprint or by public
 * key and subject (`src/base/x509.ts`, Node's `crypto.X509Certificate`); messages name a
 * certificate by its subject CN and fingerprint prefix, never by key material. The pairs are the
 * model's view (`src/model/views/linkerd-links.ts`).
 *
 * Upstream: linkerd/linkerd2 `multicluster/cmd/check.go` (the linked cluster's gateway must be
 * verifiable with the local trust anchors; "clusters share trust anchors" in `linkerd
 * multicluster check`), `pkg/healthcheck/healthcheck.go` ("issuer cert is issued by the trust
 * anchor"), and the multicluster install docs (linkerd.io "Multi-cluster communication": both
 * clusters need a common trust anchor).
 */
export default defineRule({
  meta: {
    id: 'linkerd-trust-anchors',
    description: "Linkerd-linked clusters that share no identity trust anchor; issuer certificates their cluster's anchors did not sign",
    severity: 'error',
    docs: 'docs/rules/linkerd-trust-anchors.md',
    messages: {
      anchorsDiffer: {
        text: 'Linkerd clusters "{{cluster}}" and "{{target}}" are linked but share no trust anchor ({{anchors}} vs {{targetAnchors}}).',
        hint: "Proxies verify the other cluster's gateway and clients against their own trust anchors, so every mTLS connection across the link is refused. Install both control planes with the same identityTrustAnchorsPEM (a bundle may hold the old and the new anchor during a rotation).",
      },
      anchorsDifferAssumed: {
        text: 'Clusters "{{cluster}}" and "{{target}}" exchange Services but share no Linkerd trust anchor ({{anchors}} vs {{targetAnchors}}).',
        hint: 'The repository has no Link, so mclint assumes the clusters that export Services are linked. Linked proxies verify each other against their own trust anchors, so cross-cluster mTLS would be refused. Install both control planes with the same identityTrustAnchorsPEM.',
      },
      issuerNotSigned: {
        text: 'Linkerd identity issuer {{issuer}} in cluster "{{cluster}}" is not signed by its trust anchors ({{anchors}}).',
        hint: 'linkerd check fails "issuer cert is issued by the trust anchor", and proxies reject the certificates the identity service issues with it, so meshed traffic fails. Issue the issuer certificate from the trust anchor (or put the issuer\'s root into identityTrustAnchorsPEM).',
      },
    },
  },
  check({ set, run, report }) {
    for (const p of linkerdLinkProblems(set, run).trust) {
      if (p.kind === 'issuerNotSigned') {
        const data = { cluster: p.cluster.name, issuer: certificateLabel(p.issuer.value[0]), anchors: names(p.anchors) };
        report({
          messageId: p.kind,
          data,
          at: p.issuer.source,
          cluster: p.cluster.name,
          related: [{ ...p.anchors.source, message: `${p.anchors.source.origin} in cluster "${p.cluster.name}"` }],
        });
        continue;
      }
      const data = { cluster: p.source.name, target: p.target.name, anchors: names(p.anchors), targetAnchors: names(p.targetAnchors) };
      const related: RelatedPlace[] = [
        { ...p.targetAnchors.source, cluster: p.target.name, otherSide: true, message: `${p.targetAnchors.source.origin} in cluster "${p.target.name}"` },
      ];
      if (p.link) related.push({ ...p.link.targetClusterName.source, message: `Link targetClusterName in cluster "${p.source.name}"` });
      // The text names both clusters: it reads the same at the target cluster's trust anchors.
      const mirror = { relatedMessage: `${p.anchors.source.origin} in cluster "${p.source.name}"` };
      report({ messageId: p.link ? 'anchorsDiffer' : 'anchorsDifferAssumed', data, at: p.anchors.source, cluster: p.source.name, related, mirror });
    }
  },
});
