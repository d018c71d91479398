/**
 * Calico pod address pools: `IPPool` (`projectcalico.org/v3`, and its CRD form
 * `crd.projectcalico.org/v1`) `spec.cidr` unless `spec.disabled: true`; the Tigera operator's
 * `Installation` (`operator.tigera.io/v1`) `spec.calicoNetwork.ipPools[].cidr`.
 */
import { cidrFacts } from './facts.js';
import type { FactSource } from './types.js';

/** Reads Calico IPPools and the operator's Installation. */
export const calicoSource: FactSource = {
  id: 'calico',
  handles: ['projectcalico.org/IPPool', 'crd.projectcalico.org/IPPool', 'operator.tigera.io/Installation'],
  extract(ctx) {
    const { network } = ctx.cluster;
    if (ctx.object.kind === 'IPPool') {
      if (ctx.get(['spec', 'disabled']) === true) return;
      network.podCIDRs.push(...cidrFacts(ctx, ['spec', 'cidr'], 'Calico IPPool spec.cidr'));
      return;
    }
    const pools = ctx.get(['spec', 'calicoNetwork', 'ipPools']);
    if (!Array.isArray(pools)) return;
    pools.forEach((_, i) => {
      if (ctx.get(['spec', 'calicoNetwork', 'ipPools', i, 'disabled']) === true) return;
      network.podCIDRs.push(...cidrFacts(ctx, ['spec', 'calicoNetwork', 'ipPools', i, 'cidr'], `Installation calicoNetwork.ipPools[${i}].cidr`));
    });
  },
};
