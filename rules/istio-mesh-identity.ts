import { DEFAULT_TRUST_DOMAIN, configNetworks, defineRule, istioView, type ClusterModel, type Fact, type RelatedPlace, type Report, type Source } from './kit.js';

/** Options: `federation` declares sets whose clusters are separate meshes (all sets, or the named ones). */
interface Options {
  readonly federation?: boolean | readonly string[];
}

/** The port east-west gateways expose for mTLS passthrough between networks (istio gen-eastwest-gateway.sh). */
const EAST_WEST_PORT = 15443;

const rel = (f: Fact<unknown>, message: string): RelatedPlace => ({ file: f.source.file, doc: f.source.doc, path: f.source.path, cluster: f.source.cluster, message });
const place = (s: Source) => ({ file: s.file, doc: s.doc, path: s.path });
const byName = (a: ClusterModel, b: ClusterModel) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Clusters grouped by a fact value; each cluster's first fact is its value. */
function groups(clusters: readonly ClusterModel[], pick: (c: ClusterModel) => Fact<string> | undefined): Map<string, { c: ClusterModel; f: Fact<string> }[]> {
  const out = new Map<string, { c: ClusterModel; f: Fact<string> }[]>();
  for (const c of clusters) {
    const f = pick(c);
    if (!f) continue;
    if (!out.has(f.value)) out.set(f.value, []);
    out.get(f.value)!.push({ c, f });
  }
  return out;
}

/** The largest group (ties: the one holding the first cluster by name): the reference value. */
function majority<T extends { c: ClusterModel }>(g: Map<string, T[]>): string {
  return [...g].sort(([, a], [, b]) => b.length - a.length || byName(a[0].c, b[0].c))[0][0];
}

/** Reports facts of one cluster that disagree with its first fact of the same kind. */
function withinCluster(c: ClusterModel, facts: readonly Fact<string>[], what: string, consequence: string, report: (r: Report) => void): void {
  const first = facts[0];
  for (const f of facts.slice(1)) {
    if (f.value === first.value) continue;
    report({
      message: `${f.source.origin} says ${what} "${f.value}" but ${first.source.origin} says "${first.value}" in cluster "${c.name}": ${consequence}`,
      at: place(f.source),
      cluster: c.name,
      related: [rel(first, `${first.source.origin}: "${first.value}"`)],
    });
  }
}

/**
 * `istio-mesh-identity`: the Istio install settings of the clusters of a set describe one mesh:
 * equal `meshID` (unless the set is declared a federation), unique `clusterName`s that match the
 * cluster's identity, consistent network names with an east-west gateway per network, equal
 * trust domains.
 *
 * Upstream: istio.io "Install Multicluster" (multi-primary / primary-remote, same or different
 * networks: `global.meshID`, `global.multiCluster.clusterName`, `global.network`, the istio-system
 * label `topology.istio.io/network`, `samples/multicluster/gen-eastwest-gateway.sh` and
 * `expose-services.yaml` with `AUTO_PASSTHROUGH` on port 15443); MeshConfig `trustDomain`.
 */
export default defineRule<Options>({
  meta: {
    id: 'istio-mesh-identity',
    description: 'Istio meshID, clusterName, network and trustDomain must describe one consistent mesh across the ClusterSet',
    severity: 'error',
    docs: 'docs/rules/istio-mesh-identity.md',
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        federation: {
          description: 'The set is a federation of separate meshes (true: every set; a list: the named sets): meshIDs may differ.',
          anyOf: [{ type: 'boolean' }, { type: 'array', items: { type: 'string' } }],
        },
      },
    },
    defaultOptions: { federation: false },
  },
  check({ set, run, report, options }) {
    const view = istioView(set, configNetworks(run.config));
    const installed = set.clusters.filter((c) => c.istio.length > 0);
    const federation = options.federation === true || (Array.isArray(options.federation) && options.federation.includes(set.name));
    const meshIDs = (c: ClusterModel) => c.istio.flatMap((i) => i.meshID ?? []);
    const clusterNames = (c: ClusterModel) => c.istio.flatMap((i) => i.clusterName ?? []);

    // meshID
    for (const c of installed) withinCluster(c, meshIDs(c), 'meshID', 'istiod uses one meshID; keep the install settings of a cluster in agreement.', report);
    const meshGroups = groups(installed, (c) => meshIDs(c)[0]);
    if (meshGroups.size > 1 && !federation) {
      if ([...meshGroups.values()].every((g) => g.length === 1)) {
        const all = [...meshGroups.values()].map((g) => g[0]).sort((a, b) => byName(a.c, b.c));
        report({
          message:
            `Every cluster of the ClusterSet declares its own meshID (${all.map((x) => `"${x.f.value}" in "${x.c.name}"`).join(', ')}): clusters of one multi-cluster mesh must share the meshID, ` +
            `or Istio treats them as separate meshes and their workloads' identities and endpoints are not shared. If these are separate meshes federated through gateways, ` +
            `declare it with the rule option { federation: true }; otherwise set the same global.meshID everywhere.`,
          at: place(all[0].f.source),
          cluster: all[0].c.name,
          severity: 'warn',
          related: all.slice(1).map((x) => rel(x.f, `meshID "${x.f.value}" in cluster "${x.c.name}"`)),
        });
      } else {
        const ref = majority(meshGroups);
        const refFact = meshGroups.get(ref)![0];
        for (const [value, g] of meshGroups) {
          if (value === ref) continue;
          for (const { c, f } of g) {
            report({
              message:
                `Cluster "${c.name}" declares meshID "${value}" but ${meshGroups.get(ref)!.length} cluster(s) of the ClusterSet declare "${ref}" (e.g. "${refFact.c.name}"): ` +
                `Istio treats the clusters as separate meshes, so this cluster's workloads do not join the others' mesh. Set global.meshID to "${ref}" ` +
                `(or declare the set a federation with the rule option { federation: true }).`,
              at: place(f.source),
              cluster: c.name,
              related: [rel(refFact.f, `meshID "${ref}" in cluster "${refFact.c.name}"`)],
            });
          }
        }
      }
    }

    // clusterName: consistent per cluster, unique in the set, equal to the cluster's identity.
    const firstByName = new Map<string, { c: ClusterModel; f: Fact<string> }>();
    for (const c of [...installed].sort(byName)) {
      const names = clusterNames(c);
      withinCluster(c, names, 'clusterName', 'istiod has one cluster ID; endpoints would be labelled inconsistently.', report);
      const f = names[0];
      if (!f) continue;
      const earlier = firstByName.get(f.value);
      if (earlier) {
        report({
          message:
            `Cluster "${c.name}" uses Istio clusterName "${f.value}", like cluster "${earlier.c.name}": Istio identifies clusters by this name (remote secrets, topology.istio.io/cluster), ` +
            `so istiod confuses their endpoints and one cluster's remote secret replaces the other's. Give every cluster its own clusterName.`,
          at: place(f.source),
          cluster: c.name,
          related: [rel(earlier.f, `clusterName "${f.value}" in cluster "${earlier.c.name}"`)],
        });
      } else firstByName.set(f.value, { c, f });
      // Directory names are repository layout, not identities: only declared names count.
      const identities: Fact<string>[] = [...(c.nameSource.source.origin !== 'directory name' ? [c.nameSource] : []), ...c.identity.clusterIDs];
      const other = identities.find((i) => i.value !== f.value);
      if (other && !identities.some((i) => i.value === f.value)) {
        report({
          message:
            `Istio clusterName "${f.value}" of cluster "${c.name}" differs from its ${other.source.origin} "${other.value}": the cluster's endpoints are labelled topology.istio.io/cluster=${f.value} ` +
            `and its remote secret is named after it, while other tools know the cluster as "${other.value}". Use one name.`,
          at: place(f.source),
          cluster: c.name,
          severity: 'warn',
          related: [rel(other, `${other.source.origin} "${other.value}"`)],
        });
      }
    }

    // Networks: one per cluster; several networks in a mesh need east-west gateways.
    for (const c of set.clusters) {
      withinCluster(
        c,
        view.networksOf.get(c) ?? [],
        'network',
        'Istio labels the cluster\'s endpoints with one network (topology.istio.io/network); gateways and endpoints on different networks are routed through east-west gateways that do not exist. Use one network name per cluster.',
        report,
      );
    }
    for (const mesh of view.meshes) {
      const networked = mesh.clusters.flatMap((c) => {
        const f = view.networksOf.get(c)?.[0];
        return f ? [{ c, f }] : [];
      });
      const names = new Set(networked.map((x) => x.f.value));
      if (names.size < 2) continue;
      for (const { c, f } of networked) {
        const gateway = c.istioConfig.gateways.some((g) => g.servers.some((s) => s.port === EAST_WEST_PORT && s.tlsMode === 'AUTO_PASSTHROUGH'));
        if (gateway) continue;
        const deployed =
          c.istioConfig.gatewayInstalls.some((g) => g.ports.includes(EAST_WEST_PORT)) ||
          [...c.servicesByName.values()].some((l) => l.some((s) => s.ports.some((p) => p.port === EAST_WEST_PORT)));
        const others = [...names].filter((n) => n !== f.value).map((n) => `"${n}"`).join(', ');
        report({
          message:
            `Cluster "${c.name}" is on network "${f.value}" while other clusters of the mesh are on ${others}, but it has no Gateway exposing port ${EAST_WEST_PORT} with tls.mode AUTO_PASSTHROUGH` +
            `${deployed ? ` (an east-west gateway Service with port ${EAST_WEST_PORT} is deployed, but no Gateway exposes the services through it)` : ''}: ` +
            `cross-network traffic reaches a cluster only through its east-west gateway, so this cluster's services are unreachable from the other networks. ` +
            `Install the east-west gateway and apply samples/multicluster/expose-services.yaml.`,
          at: place(f.source),
          cluster: c.name,
          severity: 'warn',
          // The other side: the first cluster on each other network.
          related: [...new Map(networked.filter((x) => x.f.value !== f.value).map((x) => [x.f.value, x] as const)).values()].map((x) =>
            rel(x.f, `network "${x.f.value}" of cluster "${x.c.name}"`),
          ),
        });
      }
    }

    // Trust domain: equal across each mesh (default cluster.local).
    for (const mesh of view.meshes) {
      const withInstall = mesh.clusters.filter((c) => c.istio.length > 0);
      const trust = (c: ClusterModel): Fact<string> =>
        c.istio.find((i) => i.trustDomain)?.trustDomain ?? { value: DEFAULT_TRUST_DOMAIN, source: c.istio[0].at, isDefault: true };
      const g = groups(withInstall, trust);
      if (g.size < 2) continue;
      const ref = majority(g);
      const refFact = g.get(ref)![0];
      for (const [value, list] of g) {
        if (value === ref) continue;
        for (const { c, f } of list) {
          report({
            message:
              `Cluster "${c.name}" uses trust domain "${value}"${f.isDefault ? ' (the default: meshConfig.trustDomain is not set)' : ''} but cluster "${refFact.c.name}" uses "${ref}": ` +
              `workload identities (spiffe://<trustDomain>/ns/…/sa/…) of one cluster are then rejected by authorization policies and mTLS peers of the other. ` +
              `Set the same meshConfig.trustDomain in every cluster of the mesh (or trustDomainAliases).`,
            at: place(f.source),
            cluster: c.name,
            related: [rel(refFact.f, `trust domain "${ref}" in cluster "${refFact.c.name}"`)],
          });
        }
      }
    }
  },
});
