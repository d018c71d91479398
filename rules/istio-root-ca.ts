import { certificateLabel, defineRule, istioRootProblems, type RelatedPlace, type TrustRootProblem } from './kit.js';

const MTLS =
  "istiod signs its cluster's workload certificates with the intermediate in cacerts and proxies accept only peers whose chain ends at a root in their own root-cert.pem, so mTLS between these clusters fails.";

/** The related place of the other side of a problem. */
function related(p: TrustRootProblem): RelatedPlace[] {
  if (p.kind === 'differs' || p.kind === 'missing') {
    return [{ ...p.reference.cert.source, cluster: p.reference.cluster.name, otherSide: true, message: `cacerts root of cluster "${p.reference.cluster.name}"` }];
  }
  if (p.kind === 'chainBroken') return [{ ...p.root.source, message: 'root-cert.pem of the same Secret' }];
  return [];
}

/**
 * `istio-root-ca`: Istio's plug-in CA across the clusters of a mesh (`istioView` meshes). The
 * `cacerts` Secrets' roots (`root-cert.pem`, or `ca.crt`) are compared by fingerprint and by
 * public key (not the intermediates, which differ per cluster by design); a mesh cluster without
 * `cacerts` while another has one runs istiod's self-signed root (warning); a `ca-cert.pem` that
 * does not chain to its own root, and fields holding no readable certificate, are reported in any
 * cluster. Facts: `src/model/sources/trust.ts`; comparison: `src/model/views/trust.ts`.
 *
 * Upstream: istio.io "Plug in CA Certificates" and "Install Multicluster" (a common root, one
 * intermediate per cluster); istio/istio `security/pkg/pki/ca/ca.go` (`NewPluggedCertIstioCAOptions`:
 * `ca-cert.pem`, `ca-key.pem`, `cert-chain.pem`, `root-cert.pem`, else a self-signed root in
 * `istio-ca-secret`) and `security/pkg/pki/util/keycertbundle.go` (`Verify`: the chain must verify
 * to the root).
 */
export default defineRule({
  meta: {
    id: 'istio-root-ca',
    description: 'Istio plug-in CA: the clusters of a mesh with cacerts Secrets share one root, and each ca-cert.pem chains to it',
    severity: 'error',
    docs: 'docs/rules/istio-root-ca.md',
    messages: {
      rootDiffers: {
        text: 'Cluster "{{cluster}}" plugs in root {{root}}, but cluster "{{reference}}" of the same mesh plugs in {{referenceRoot}}.',
        hint: `${MTLS} Sign every cluster's intermediate with one shared root (during a root rotation, put both roots in every root-cert.pem).`,
      },
      noCacerts: {
        text: 'Cluster "{{cluster}}" has no cacerts Secret, while cluster "{{reference}}" of the same mesh plugs in root {{referenceRoot}}.',
        hint: `Without cacerts istiod generates its own self-signed root, which the other clusters do not trust: ${MTLS} Add a cacerts Secret in istio-system with an intermediate of the shared root (or check in how it is provided).`,
      },
      chainBroken: {
        text: 'The ca-cert.pem {{signing}} of cacerts in cluster "{{cluster}}" does not chain to its root-cert.pem {{root}}.',
        hint: 'istiod verifies the plugged-in chain against the root when it starts and exits ("failed to create CA KeyCertBundle (cannot verify the cert with the provided root chain and cert pool)"). Put an intermediate signed by the root in ca-cert.pem, and the chain up to the root in cert-chain.pem.',
      },
      unreadable: {
        text: '{{field}} in cluster "{{cluster}}" {{problem}}.',
        hint: 'istiod cannot load the plugged-in CA from it and does not start with it. Write the PEM certificates (base64-encoded under data, as text under stringData).',
      },
    },
  },
  check({ set, report }) {
    for (const p of istioRootProblems(set)) {
      const cluster = p.cluster.name;
      if (p.kind === 'unreadable') {
        report({ messageId: 'unreadable', data: { field: p.cert.source.origin, cluster, problem: p.cert.problem ?? 'holds no certificate' }, at: p.cert.source, cluster });
      } else if (p.kind === 'differs') {
        const data = {
          cluster,
          root: certificateLabel(p.cert.certificates[0]),
          reference: p.reference.cluster.name,
          referenceRoot: certificateLabel(p.reference.cert.certificates[0]),
        };
        // The text names both clusters: it reads the same at the reference cluster's root.
        report({ messageId: 'rootDiffers', data, at: p.cert.source, cluster, related: related(p), mirror: { relatedMessage: `cacerts root of cluster "${cluster}"` } });
      } else if (p.kind === 'missing') {
        const data = { cluster, reference: p.reference.cluster.name, referenceRoot: certificateLabel(p.reference.cert.certificates[0]) };
        const mirror = { relatedMessage: `cluster "${cluster}", without a cacerts Secret` };
        report({ messageId: 'noCacerts', data, at: p.at, cluster, severity: 'warn', related: related(p), mirror });
      } else if (p.kind === 'chainBroken') {
        const data = { cluster, signing: certificateLabel(p.signing.certificates[0]), root: certificateLabel(p.root.certificates[0]) };
        report({ messageId: 'chainBroken', data, at: p.signing.source, cluster, related: related(p) });
      }
    }
  },
});
