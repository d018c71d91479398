/**
 * kind cluster configuration (`kind.x-k8s.io/v1alpha4` `Cluster`; sigs.k8s.io/kind
 * `pkg/apis/config/v1alpha4/default.go`): `name` (default `kind`), `networking.podSubnet` and
 * `serviceSubnet` with kind's defaults by `ipFamily` (ipv4: `10.244.0.0/16`, `10.96.0.0/16`;
 * ipv6: `fd00:10:244::/56`, `fd00:10:96::/112`; dual: both), and node labels
 * (`topology.kubernetes.io/region|zone`) as the cluster's topology. kind's defaults apply to
 * absent fields only: a field, or a parent such as `networking: ${NET}`, holding an unrendered
 * placeholder is unknown, and so is a default subnet whose `ipFamily` is a placeholder.
 */
import { cidrFactsOrDefault, identityFact, placeholderAt } from './facts.js';
import { addLocality } from './topology.js';
import type { FactSource } from './types.js';

/** kind's default subnets by family. */
export const KIND_DEFAULTS = {
  ipv4: { pod: ['10.244.0.0/16'], service: ['10.96.0.0/16'] },
  ipv6: { pod: ['fd00:10:244::/56'], service: ['fd00:10:96::/112'] },
  dual: { pod: ['10.244.0.0/16', 'fd00:10:244::/56'], service: ['10.96.0.0/16', 'fd00:10:96::/112'] },
} as const;

/** Reads kind Cluster configs. */
export const kindSource: FactSource = {
  id: 'kind',
  handles: ['kind.x-k8s.io/Cluster'],
  extract(ctx) {
    const { network, identity } = ctx.cluster;
    const name = identityFact(ctx, ['name'], 'kind Cluster name');
    if (name && name.value !== '') identity.kind.push(name);
    else if (!name && ctx.placeholder(['name']) === undefined) {
      identity.kind.push({ value: 'kind', source: ctx.source(['kind'], 'kind default name'), isDefault: true });
    }
    const family = ctx.get(['networking', 'ipFamily']);
    const familyKnown = placeholderAt(ctx, ['networking', 'ipFamily']) === undefined;
    const defaults = KIND_DEFAULTS[family === 'ipv6' || family === 'dual' ? family : 'ipv4'];
    const networking = ctx.get(['networking']) === undefined ? ['kind'] : ['networking'];
    for (const [field, role, list] of [
      ['podSubnet', 'pod', network.podCIDRs],
      ['serviceSubnet', 'service', network.serviceCIDRs],
    ] as const) {
      const fallback = familyKnown ? { at: networking, origin: `kind default ${field}`, texts: defaults[role] } : undefined;
      list.push(...cidrFactsOrDefault(ctx, ['networking', field], `kind networking.${field}`, fallback));
    }
    const nodes = ctx.get(['nodes']);
    if (Array.isArray(nodes)) {
      nodes.forEach((_, i) => addLocality(ctx, ['nodes', i, 'labels'], `kind nodes[${i}].labels`));
    }
  },
};
