/**
 * Multi-cluster DNS wiring of a ClusterSet's clusters: whether each cluster's DNS sends the
 * ClusterSet domain to Lighthouse, and plugins the cluster's stock DNS cannot load.
 *
 * Upstream behaviour mirrored:
 * - submariner-io/submariner-operator `controllers/servicediscovery/servicediscovery_controller.go`
 *   (`updateDNSConfigMap`): with service discovery, the operator prepends to the `coredns`
 *   ConfigMap's Corefile, between `#lighthouse-start` and `#lighthouse-end`, one server block per
 *   domain (`clusterset.local` plus `spec.customDomains`) on CoreDNS's port: `forward . <ClusterIP
 *   of the submariner-lighthouse-coredns Service>` (namespace `submariner-operator`). A repository
 *   that manages the ConfigMap without that block removes it on every sync (lighthouse #954).
 * - NodeLocal DNSCache (kubernetes/dns `cmd/node-cache`, the `node-local-dns` ConfigMap): only
 *   the zones it has server blocks for go to the cluster DNS; everything else (the `.` block) is
 *   forwarded to the node's upstream resolvers, so `clusterset.local` never reaches CoreDNS or
 *   Lighthouse without its own block (submariner #1549).
 * - CoreDNS (`core/plugin/zplugin.go`, `plugin.cfg`): only compiled-in plugins load; a Corefile
 *   naming another fails at start-up ("Unknown directive"). `lighthouse` is an external plugin
 *   built only into Lighthouse's own CoreDNS image (submariner-io/lighthouse `coredns/plugin`);
 *   `federation` left CoreDNS in 1.7.0 (coredns 1.6.3 release notes; coredns/federation).
 */
import type { Corefile, CorefileServerBlock } from '../corefile.js';
import { fqdn, zoneCovers } from '../corefile.js';
import type { ClusterModel, ClusterSetModel, CorednsConfigFacts, Fact } from '../types.js';
import { viewKey, viewOf } from './cache.js';

/** The Lighthouse DNS Service the operator creates (submariner-operator `names.LighthouseCoreDNSComponent`). */
export const LIGHTHOUSE_DNS_SERVICE = { name: 'submariner-lighthouse-coredns', namespace: 'submariner-operator' } as const;

/** Plugins stock CoreDNS (and NodeLocal DNSCache) does not contain, with where they exist. */
export const EXTERNAL_PLUGINS: Readonly<Record<string, string>> = {
  lighthouse: "Lighthouse's own CoreDNS image (submariner-lighthouse-coredns)",
  federation: 'no CoreDNS release since 1.7.0 (moved to coredns/federation)',
};

/** A problem with one Corefile of one cluster. */
export type DnsProblem =
  | { readonly kind: 'missingForward'; readonly cluster: ClusterModel; readonly config: CorednsConfigFacts; readonly domain: string }
  | {
      readonly kind: 'forwardElsewhere';
      readonly cluster: ClusterModel;
      readonly config: CorednsConfigFacts;
      readonly domain: string;
      readonly line: number;
      readonly targets: string;
      readonly clusterIP: Fact<string>;
    }
  | { readonly kind: 'unknownPlugin'; readonly cluster: ClusterModel; readonly config: CorednsConfigFacts; readonly plugin: string; readonly line: number; readonly where: string };

/** A `forward FROM TO...` that handles `domain` within `block`, with its targets. */
interface Route {
  readonly line: number;
  readonly targets: readonly string[];
}

/** The host of a forward target (`dns://10.0.0.10:53`, `10.0.0.10`, `[fd00::a]:53`), lower-cased. */
function targetHost(to: string): string {
  let t = to.replace(/^[a-z]+:\/\//i, '');
  const v6 = /^\[([^\]]+)\]/.exec(t);
  if (v6) return v6[1].toLowerCase();
  if ((t.match(/:/g) ?? []).length === 1) t = t.slice(0, t.indexOf(':'));
  return t.toLowerCase();
}

/**
 * The `forward` directives that send `domain` somewhere: in a block of its own (a zone that is
 * `domain` or a parent other than the root), a `forward` whose FROM covers it; in any block whose
 * zones cover it (the root block included), a `forward` whose FROM is `domain` or a parent other
 * than the root. CoreDNS gives a query to the block of the most specific zone.
 */
function routes(blocks: readonly CorefileServerBlock[], domain: string): Route[] {
  const out: Route[] = [];
  for (const block of blocks) {
    const own = block.keys.some((k) => k.zone !== '.' && zoneCovers(k.zone, domain));
    const covers = own || block.keys.some((k) => k.zone === '.');
    for (const d of block.directives) {
      if (d.name !== 'forward' || d.args.length < 2) continue;
      const from = fqdn(d.args[0]);
      if ((own && zoneCovers(from, domain)) || (covers && from !== '.' && zoneCovers(from, domain))) out.push({ line: d.line, targets: d.args.slice(1) });
    }
  }
  return out;
}

/** True when the Corefile imports files (top level, or an `import` of a path rather than a snippet inside a block). */
function importsFiles(corefile: Corefile): boolean {
  if (corefile.imports.length > 0) return true;
  const snippets = new Set(corefile.snippets.flatMap((s) => (s.name === undefined ? [] : [s.name])));
  return corefile.blocks.some((b) => b.directives.some((d) => d.name === 'import' && d.args.some((a) => !snippets.has(a))));
}

function compute(set: ClusterSetModel, domain: string): DnsProblem[] {
  const problems: DnsProblem[] = [];
  for (const cluster of set.clusters) {
    for (const config of cluster.corednsConfigs) {
      const { blocks } = config.corefile.value;
      for (const block of blocks) {
        for (const d of block.directives) {
          const where = EXTERNAL_PLUGINS[d.name];
          if (where) problems.push({ kind: 'unknownPlugin', cluster, config, plugin: d.name, line: d.line, where });
        }
      }
      if (cluster.lighthouse.length === 0) continue;
      // A root block's `forward . …` sends the domain to the upstream resolvers (NXDOMAIN): only a forward naming it counts.
      const found = routes(blocks, domain);
      if (found.length === 0) {
        // Server blocks or directives imported from files mclint cannot see may forward the domain.
        if (!importsFiles(config.corefile.value)) problems.push({ kind: 'missingForward', cluster, config, domain });
        continue;
      }
      if (config.flavour !== 'coredns') continue;
      const service = cluster.servicesByName.get(LIGHTHOUSE_DNS_SERVICE.name)?.find((s) => s.namespace === undefined || s.namespace === LIGHTHOUSE_DNS_SERVICE.namespace);
      const clusterIP = service?.clusterIP;
      if (!clusterIP || !/^[0-9a-f.:]+$/i.test(clusterIP.value)) continue;
      const ip = clusterIP.value.toLowerCase();
      // Words node-cache or a template fills in later are unknown: no finding.
      if (found.some((r) => r.targets.some((t) => targetHost(t) === ip || /__PILLAR__/.test(t)))) continue;
      const route = found[0];
      problems.push({ kind: 'forwardElsewhere', cluster, config, domain, line: route.line, targets: route.targets.join(' '), clusterIP });
    }
  }
  return problems;
}

const KEY = viewKey<Map<string, DnsProblem[]>>('lighthouse-dns');

/**
 * The DNS wiring problems of `set` for the ClusterSet `domain` (`clusterset.local` unless
 * configured): external plugins in a cluster's stock DNS (any cluster), and, in clusters that
 * run Lighthouse, Corefiles that do not forward the domain, or forward it elsewhere than the
 * Lighthouse DNS Service's ClusterIP when the repository holds that Service with one.
 */
export function lighthouseDnsProblems(set: ClusterSetModel, domain: string): readonly DnsProblem[] {
  const byDomain = viewOf(set, KEY, () => new Map<string, DnsProblem[]>());
  let found = byDomain.get(domain);
  if (!found) byDomain.set(domain, (found = compute(set, domain)));
  return found;
}
