import { certificateLabel, ciliumCAProblems, defineRule, type RelatedPlace, type TrustRootProblem } from './kit.js';

const HANDSHAKE =
  "Each cluster's clustermesh-apiserver and agents present certificates of their own cluster's CA and verify remote clusters against it, so the TLS handshakes between these clusters fail (certificate signed by unknown authority) and they never connect.";
/** How to share one CA without committing its private key (tls.ca.key, the cilium-ca Secret's ca.key). */
const SHARE =
  'Share one CA without putting its private key in the repository: supply tls.ca.cert and tls.ca.key at install time from a secret store ' +
  '(helm --set-file from a vault, or Flux valuesFrom a Secret kept as a SealedSecret, an ExternalSecret or SOPS-encrypted), ' +
  "or copy the first cluster's cilium-ca Secret into the others out of band before installing (cilium install --inherit-ca <first cluster> does this; the chart and cilium clustermesh enable then reuse it). " +
  'Never commit tls.ca.key or an unencrypted cilium-ca Secret.';

/** The related place of the other side of a problem. */
function related(p: TrustRootProblem): RelatedPlace[] {
  if (p.kind === 'differs') {
    return [{ ...p.reference.cert.source, cluster: p.reference.cluster.name, otherSide: true, message: `Cluster Mesh CA of cluster "${p.reference.cluster.name}"` }];
  }
  if (p.kind === 'generated') return p.others.map((o) => ({ ...o.at, cluster: o.cluster.name, message: `Cluster Mesh CA setting of cluster "${o.cluster.name}"` }));
  return [];
}

/**
 * `cilium-clustermesh-ca`: the clusters of a Cilium Cluster Mesh (Helm values with a
 * `clustermesh` section, or a Cluster Mesh CA setting) share one CA. Reports a CA certificate
 * (`tls.ca.cert`, `clustermesh.apiserver.tls.ca.cert`, the `cilium-ca` Secret's `ca.crt`) that
 * differs from the first cluster's by fingerprint and by public key, a cluster that generates its
 * own CA (`clustermesh.apiserver.tls.auto.method: helm` or `cronJob` written, no CA given), and CA
 * fields that hold no readable certificate. Facts: `src/model/sources/trust.ts`; comparison:
 * `src/model/views/trust.ts` (`ciliumCAProblems`).
 *
 * The hints never advise committing key material: the shared CA's key comes from a secret store at
 * install time (Helm `tls.ca.cert`/`tls.ca.key`), or the CA Secret is propagated between clusters
 * out of band (`cilium install --inherit-ca`, a copied `cilium-ca` Secret).
 *
 * Upstream: cilium/cilium `install/kubernetes/cilium/templates/clustermesh-apiserver/tls-helm/_helpers.tpl`
 * (`clustermesh-apiserver-generate-certs.helm.setup-ca`: the given `tls.ca` or a new `genCA`),
 * the certgen CronJob (`tls-cronjob`), Cilium docs "Setting up Cluster Mesh"
 * (`Documentation/network/clustermesh/clustermesh.rst`, "Shared Certificate Authority":
 * `cilium install --inherit-ca`, else propagate the CA Secret; `cilium clustermesh enable` reuses
 * the existing `cilium-ca`), cilium/cilium #22872, #32076, #36307.
 */
export default defineRule({
  meta: {
    id: 'cilium-clustermesh-ca',
    description: 'Cilium Cluster Mesh: the clusters share one CA (tls.ca, the cilium-ca Secret); no cluster generates its own',
    severity: 'error',
    docs: 'docs/rules/cilium-clustermesh-ca.md',
    messages: {
      caDiffers: {
        text: 'Cluster "{{cluster}}" has Cluster Mesh CA {{ca}}, but cluster "{{reference}}" has {{referenceCA}}.',
        hint: `Its CA is set by {{field}}. ${HANDSHAKE} ${SHARE}`,
      },
      caGenerated: {
        text: 'Cluster "{{cluster}}" generates its own Cluster Mesh CA, so it shares no CA with {{others}}.',
        hint: `It sets {{field}}: {{method}} without tls.ca.cert or a cilium-ca Secret. The chart's helm and cronJob methods create a new CA in each cluster unless tls.ca.cert/tls.ca.key are given or a cilium-ca Secret exists at install. ${HANDSHAKE} ${SHARE}`,
      },
      caUnreadable: {
        text: '{{field}} in cluster "{{cluster}}" {{problem}}.',
        hint: 'Helm cannot build the CA from it (buildCustomCert) and the Cluster Mesh certificates cannot be issued or verified. Write the base64-encoded PEM CA certificate.',
      },
    },
  },
  check({ set, report }) {
    for (const p of ciliumCAProblems(set)) {
      const cluster = p.cluster.name;
      if (p.kind === 'unreadable') {
        report({ messageId: 'caUnreadable', data: { field: p.cert.source.origin, cluster, problem: p.cert.problem ?? 'holds no certificate' }, at: p.cert.source, cluster });
      } else if (p.kind === 'differs') {
        const data = {
          cluster,
          ca: certificateLabel(p.cert.certificates[0]),
          field: p.cert.source.origin,
          reference: p.reference.cluster.name,
          referenceCA: certificateLabel(p.reference.cert.certificates[0]),
        };
        // The text names both clusters: it reads the same at the reference cluster's CA.
        report({ messageId: 'caDiffers', data, at: p.cert.source, cluster, related: related(p), mirror: { relatedMessage: `Cluster Mesh CA of cluster "${cluster}"` } });
      } else if (p.kind === 'generated') {
        const others = p.others.length === 0 ? 'the other clusters' : p.others.map((o) => `"${o.cluster.name}"`).join(', ');
        report({ messageId: 'caGenerated', data: { cluster, field: p.method.source.origin, method: p.method.value, others }, at: p.method.source, cluster, related: related(p) });
      }
    }
  },
});
