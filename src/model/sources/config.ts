/**
 * Facts the manifests do not carry, declared per cluster in `mclint.config.yaml`
 * (`clusters[].podCIDRs`, `serviceCIDRs`, `region`, `zones`).
 */
import { parseCidr, type Cidr } from '../../base/cidr.js';
import type { ClusterConfig, FileConfig } from '../../config/index.js';
import type { Fact } from '../types.js';
import type { ClusterDraft } from './types.js';

function configCidrs(config: FileConfig, cluster: ClusterConfig, field: 'podCIDRs' | 'serviceCIDRs', name: string): Fact<Cidr>[] {
  return cluster[field].flatMap((text, j) => {
    const cidr = parseCidr(text);
    if (!cidr) return [];
    // Config clusters exist only when a config file does.
    const source = { file: config.file!, doc: 0, path: ['clusters', cluster.index, field, j], cluster: name, origin: `config ${field}` };
    return [{ value: cidr, source }];
  });
}

/** Adds the config file's facts for one cluster. */
export function applyConfigFacts(config: FileConfig, cluster: ClusterConfig, draft: ClusterDraft): void {
  draft.network.podCIDRs.push(...configCidrs(config, cluster, 'podCIDRs', draft.name));
  draft.network.serviceCIDRs.push(...configCidrs(config, cluster, 'serviceCIDRs', draft.name));
  const at = (path: (string | number)[], origin: string) => ({ file: config.file!, doc: 0, path: ['clusters', cluster.index, ...path], cluster: draft.name, origin });
  if (cluster.network !== undefined) draft.topology.networks.push({ value: cluster.network, source: at(['network'], 'config network') });
  if (cluster.region !== undefined) {
    const region = cluster.region;
    draft.topology.localities.push({ value: { region }, source: at(['region'], 'config region') });
    cluster.zones.forEach((zone, j) => draft.topology.localities.push({ value: { region, zone }, source: at(['zones', j], 'config zones') }));
  }
}
