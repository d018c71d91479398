/**
 * Submariner facts (submariner-io/submariner-operator `api/v1alpha1`):
 * - `Submariner`: the cluster joined a Broker; `clusterID`; pod (`clusterCIDR`), service
 *   (`serviceCIDR`) and GlobalNet (`globalCIDR`) CIDRs, each a comma-separated list that the
 *   gateway and route agent split; `serviceDiscoveryEnabled` deploys Lighthouse.
 * - `ServiceDiscovery`: Lighthouse with its own `clusterID`.
 * - `Broker`: GlobalNet settings for the whole set, with the operator's defaults
 *   (`globalnetCIDRRange` 242.0.0.0/8, `defaultGlobalnetClusterSize` 65536) for absent fields.
 *   A field holding an unrendered placeholder is unknown: no default is assumed for it (the range
 *   is recorded as unrendered), and a placeholder `globalnetEnabled` counts as on, so the
 *   GlobalNet settings are checked as they apply once it is rendered true (see `BrokerFacts`).
 */
import { parseCidr } from '../../base/cidr.js';
import { cidrFacts, identityFact, placeholderAt, unrendered } from './facts.js';
import type { ExtractContext, FactSource } from './types.js';
import { GLOBALNET_DEFAULTS } from '../globalnet.js';

const specCidrs = (ctx: ExtractContext, field: string) => cidrFacts(ctx, ['spec', field], `${ctx.object.kind} spec.${field}`);

function clusterID(ctx: ExtractContext): void {
  const { identity } = ctx.cluster;
  const id = identityFact(ctx, ['spec', 'clusterID'], `${ctx.object.kind} spec.clusterID`);
  if (id) identity.clusterIDs.push(id);
}

/** Reads Submariner, ServiceDiscovery and Broker CRs (see the file comment for the facts). */
export const submarinerSource: FactSource = {
  id: 'submariner',
  handles: ['submariner.io/Submariner', 'submariner.io/ServiceDiscovery', 'submariner.io/Broker'],
  extract(ctx) {
    const { cluster, object } = ctx;
    switch (object.kind) {
      case 'Submariner':
        cluster.submariner.push({ object });
        clusterID(ctx);
        cluster.network.podCIDRs.push(...specCidrs(ctx, 'clusterCIDR'));
        cluster.network.serviceCIDRs.push(...specCidrs(ctx, 'serviceCIDR'));
        cluster.network.globalCIDRs.push(...specCidrs(ctx, 'globalCIDR'));
        if (ctx.get(['spec', 'serviceDiscoveryEnabled']) === true) cluster.lighthouse.push(object);
        break;
      case 'ServiceDiscovery':
        cluster.lighthouse.push(object);
        clusterID(ctx);
        break;
      case 'Broker': {
        const enabled = ctx.get(['spec', 'globalnetEnabled']);
        const enabledUnknown = placeholderAt(ctx, ['spec', 'globalnetEnabled']) !== undefined;
        const range = ctx.get(['spec', 'globalnetCIDRRange']);
        const rangeUnknown = unrendered(ctx, ['spec', 'globalnetCIDRRange'], 'Broker spec.globalnetCIDRRange', 'cidr') !== undefined;
        const size = ctx.get(['spec', 'defaultGlobalnetClusterSize']);
        const sizeUnknown = placeholderAt(ctx, ['spec', 'defaultGlobalnetClusterSize']) !== undefined;
        const rangeCidr = rangeUnknown ? undefined : parseCidr(typeof range === 'string' ? range : GLOBALNET_DEFAULTS.cidrRange);
        cluster.brokers.push({
          object,
          cluster: cluster.name,
          globalnetEnabled: {
            value: enabled === true || enabledUnknown,
            source: ctx.source(['spec', 'globalnetEnabled'], 'Broker spec.globalnetEnabled'),
            isDefault: typeof enabled !== 'boolean' && !enabledUnknown,
          },
          globalnetCIDRRange: rangeCidr && {
            value: rangeCidr,
            source: ctx.source(['spec', 'globalnetCIDRRange'], 'Broker spec.globalnetCIDRRange'),
            isDefault: typeof range !== 'string',
          },
          defaultGlobalnetClusterSize: sizeUnknown
            ? undefined
            : {
                value: typeof size === 'number' && size > 0 ? size : GLOBALNET_DEFAULTS.clusterSize,
                source: ctx.source(['spec', 'defaultGlobalnetClusterSize'], 'Broker spec.defaultGlobalnetClusterSize'),
                isDefault: !(typeof size === 'number' && size > 0),
              },
        });
        break;
      }
    }
  },
};
