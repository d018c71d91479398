/**
 * kubeadm `ClusterConfiguration` (kubeadm.k8s.io v1beta3/v1beta4; kubernetes
 * `cmd/kubeadm/app/apis/kubeadm/v1beta4/types.go` and `defaults.go`): `clusterName`,
 * `networking.podSubnet` (no default: the CNI decides) and `networking.serviceSubnet` (default
 * `10.96.0.0/12`), both comma-separated for dual-stack. The default applies to an absent
 * `serviceSubnet` only, not to one (or a `networking` parent) holding an unrendered placeholder.
 */
import { cidrFacts, cidrFactsOrDefault, identityFact } from './facts.js';
import type { FactSource } from './types.js';

/** kubeadm's `DefaultServicesSubnet`. */
export const KUBEADM_DEFAULT_SERVICE_SUBNET = '10.96.0.0/12';

/** Reads kubeadm ClusterConfiguration documents. */
export const kubeadmSource: FactSource = {
  id: 'kubeadm',
  handles: ['kubeadm.k8s.io/ClusterConfiguration'],
  extract(ctx) {
    const { network, identity } = ctx.cluster;
    const name = identityFact(ctx, ['clusterName'], 'kubeadm ClusterConfiguration clusterName');
    // `kubernetes` is kubeadm's default name, shared by every kubeadm cluster: not an identity.
    if (name && name.value !== '' && name.value !== 'kubernetes') identity.kubeadm.push(name);
    network.podCIDRs.push(...cidrFacts(ctx, ['networking', 'podSubnet'], 'kubeadm networking.podSubnet'));
    network.serviceCIDRs.push(
      ...cidrFactsOrDefault(ctx, ['networking', 'serviceSubnet'], 'kubeadm networking.serviceSubnet', {
        at: ['networking'],
        origin: 'kubeadm default serviceSubnet',
        texts: [KUBEADM_DEFAULT_SERVICE_SUBNET],
      }),
    );
  },
};
