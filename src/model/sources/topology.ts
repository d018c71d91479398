/**
 * Nodes and topology: the regions and zones a cluster runs in, from Node labels
 * (`topology.kubernetes.io/region|zone`, the deprecated `failure-domain.beta.kubernetes.io/*`,
 * and Istio's `topology.istio.io/subzone`). Config `region`/`zones` are added by the config source.
 */
import { parseCidr } from '../../base/cidr.js';
import type { Locality } from '../types.js';
import { cidrFacts } from './facts.js';
import type { ExtractContext, FactSource } from './types.js';

/** Node label keys for region, zone and subzone, current first, then deprecated. */
export const TOPOLOGY_LABELS = {
  region: ['topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/region'],
  zone: ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone'],
  subzone: ['topology.istio.io/subzone'],
} as const;

/**
 * The locality a label map describes, with the path of the label that gave the region, or
 * undefined when no region label is present (a zone without a region is not a locality).
 * @param labels a Node's (or kind node's) labels
 */
export function localityOf(labels: Readonly<Record<string, unknown>>): { locality: Locality; regionKey: string } | undefined {
  const pick = (keys: readonly string[]) => {
    for (const k of keys) if (typeof labels[k] === 'string' && labels[k] !== '') return { key: k, value: labels[k] };
    return undefined;
  };
  const region = pick(TOPOLOGY_LABELS.region);
  if (!region) return undefined;
  const zone = pick(TOPOLOGY_LABELS.zone)?.value;
  const subzone = pick(TOPOLOGY_LABELS.subzone)?.value;
  return { locality: { region: region.value, ...(zone && { zone }), ...(zone && subzone && { subzone }) }, regionKey: region.key };
}

/**
 * Adds the locality of a label map at `labelsPath` to the cluster's topology.
 * @param origin describes the object for messages, e.g. `Node "worker-1" labels`
 */
export function addLocality(ctx: ExtractContext, labelsPath: readonly (string | number)[], origin: string): void {
  const labels = ctx.get(labelsPath);
  if (typeof labels !== 'object' || labels === null) return;
  const found = localityOf(labels as Record<string, unknown>);
  if (!found) return;
  ctx.cluster.topology.localities.push({ value: found.locality, source: ctx.source([...labelsPath, found.regionKey], origin) });
}

/**
 * Reads Nodes: labels into the cluster's topology, `spec.podCIDR`/`podCIDRs` (the node's slice of
 * the pod network) and `status.addresses` (as single-address ranges) into its network.
 */
export const nodeSource: FactSource = {
  id: 'node',
  handles: ['core/Node'],
  extract(ctx) {
    const node = `Node ${JSON.stringify(ctx.object.name ?? '')}`;
    addLocality(ctx, ['metadata', 'labels'], `${node} labels`);
    const { network } = ctx.cluster;
    const podCIDRs = cidrFacts(ctx, ['spec', 'podCIDRs'], `${node} spec.podCIDRs`);
    const seen = new Set(podCIDRs.map((f) => f.value.network));
    network.nodePodCIDRs.push(...podCIDRs, ...cidrFacts(ctx, ['spec', 'podCIDR'], `${node} spec.podCIDR`).filter((f) => !seen.has(f.value.network)));
    const addresses = ctx.get(['status', 'addresses']);
    if (!Array.isArray(addresses)) return;
    addresses.forEach((_, i) => {
      const address = ctx.get(['status', 'addresses', i, 'address']);
      const type = ctx.get(['status', 'addresses', i, 'type']);
      if (typeof address !== 'string' || (type !== 'InternalIP' && type !== 'ExternalIP')) return;
      const cidr = parseCidr(address.includes(':') ? `${address}/128` : `${address}/32`);
      if (cidr) network.nodeAddresses.push({ value: cidr, source: ctx.source(['status', 'addresses', i, 'address'], `${node} ${type}`) });
    });
  },
};
