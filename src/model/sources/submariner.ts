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
 * - submariner-operator Helm chart values (submariner-io/submariner-charts
 *   `submariner-operator/templates/submariner.yaml`, which renders the Submariner CR):
 *   `submariner.clusterId`, `clusterCidr`, `serviceCidr`, `globalCidr` (the CR's `clusterID`,
 *   `clusterCIDR`, `serviceCIDR`, `globalCIDR`) and `serviceDiscovery` (`serviceDiscoveryEnabled`).
 *   The chart reads these exact keys: one spelt like the CR's field (`clusterCIDR`) is not read, so
 *   the rendered CR lacks the value — reported as a `chart-key` value problem.
 */
import { parseCidr } from '../../base/cidr.js';
import { cidrFacts, identityFact, placeholderAt, unrendered } from './facts.js';
import type { ExtractContext, FactSource, ValuesContext, ValuesSource } from './types.js';
import { isRecord } from '../values.js';
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
        cluster.submariner.push({ object, at: ctx.source(['kind'], 'Submariner CR'), settings: ctx.source(['spec'], 'Submariner spec') });
        clusterID(ctx);
        cluster.network.podCIDRs.push(...specCidrs(ctx, 'clusterCIDR'));
        cluster.network.serviceCIDRs.push(...specCidrs(ctx, 'serviceCIDR'));
        cluster.network.globalCIDRs.push(...specCidrs(ctx, 'globalCIDR'));
        if (ctx.get(['spec', 'serviceDiscoveryEnabled']) === true) cluster.lighthouse.push({ what: 'Submariner', at: ctx.source([], 'Submariner CR') });
        break;
      case 'ServiceDiscovery':
        cluster.lighthouse.push({ what: 'ServiceDiscovery', at: ctx.source([], 'ServiceDiscovery CR') });
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

/** The chart whose values render the Submariner CR. */
const OPERATOR_CHART = 'submariner-operator';

/** The values keys the chart reads below `submariner`, with the CR field each becomes. */
const CHART_KEYS = {
  clusterId: 'clusterID',
  clusterCidr: 'clusterCIDR',
  serviceCidr: 'serviceCIDR',
  globalCidr: 'globalCIDR',
  serviceDiscovery: 'serviceDiscoveryEnabled',
} as const;

/**
 * Reads submariner-operator chart values (see the file comment). Values of another chart are
 * skipped; values whose chart is not known count when they have the chart's shape (a `broker`
 * mapping and a `submariner` mapping with a cluster key).
 */
export const submarinerValuesSource: ValuesSource = {
  id: 'submariner-values',
  extract(ctx) {
    if (ctx.chart !== undefined && ctx.chart !== OPERATOR_CHART) return;
    const values = ctx.get(['submariner']);
    if (!isRecord(values)) return;
    const keys = Object.keys(values);
    if (ctx.chart === undefined && !(isRecord(ctx.get(['broker'])) && keys.some((k) => k in CHART_KEYS || Object.values(CHART_KEYS).includes(k as never)))) return;
    const { cluster } = ctx;
    const at = ctx.source(['submariner'], 'submariner-operator chart values');
    cluster.submariner.push({ at, settings: at });
    const origin = (k: keyof typeof CHART_KEYS) => `submariner-operator values submariner.${k}`;
    const id = identityFact(ctx, ['submariner', 'clusterId'], origin('clusterId'));
    if (id) cluster.identity.clusterIDs.push(id);
    cluster.network.podCIDRs.push(...valuesCidrs(ctx, 'clusterCidr', origin('clusterCidr')));
    cluster.network.serviceCIDRs.push(...valuesCidrs(ctx, 'serviceCidr', origin('serviceCidr')));
    cluster.network.globalCIDRs.push(...valuesCidrs(ctx, 'globalCidr', origin('globalCidr')));
    if (ctx.get(['submariner', 'serviceDiscovery']) === true)
      cluster.lighthouse.push({ what: 'submariner-operator chart values', at: ctx.source(['submariner', 'serviceDiscovery'], origin('serviceDiscovery')) });
    for (const [key, field] of Object.entries(CHART_KEYS)) {
      if (key === field || !(field in values) || key in values) continue;
      const message = `submariner-operator chart values set "submariner.${field}", which the chart does not read (it reads "submariner.${key}"), so the Submariner CR it renders gets no ${field}`;
      cluster.valueProblems.push({ at: ctx.source(['submariner', field], `submariner-operator values submariner.${field}`), message, kind: 'chart-key' });
    }
  },
};

/** A CIDR key of the values: the chart writes it quoted (`"{{ .Values.submariner.clusterCidr }}"`), so an empty one is no range. */
function valuesCidrs(ctx: ValuesContext, key: string, origin: string) {
  const v = ctx.get(['submariner', key]);
  return v === '' || v === null ? [] : cidrFacts(ctx, ['submariner', key], origin);
}
