import { EAST_WEST_PORT, defineRule, istioMeshIdentity, namespacedName, type ClusterFact, type Fact, type RelatedPlace, type Source, PER_CLUSTER_ALTERNATIVES } from './kit.js';

/** Options: `federation` declares sets whose clusters are separate meshes (all sets, or the named ones). */
interface Options {
  readonly federation?: boolean | readonly string[];
}

const rel = (f: Fact<unknown>, message: string): RelatedPlace => ({ file: f.source.file, doc: f.source.doc, path: f.source.path, cluster: f.source.cluster, message });
const place = (s: Source) => ({ file: s.file, doc: s.doc, path: s.path });
const CONFLICT = 'Cluster "{{cluster}}" sets {{setting}} to both "{{value}}" and "{{first}}".';
/** Where the two values of a `CONFLICT` come from, first in its hints. */
const ORIGINS = '"{{value}}" comes from {{origin}}, "{{first}}" from {{firstOrigin}}.';
const FEDERATION = 'the rule option { federation: true }';
const EAST_WEST = "Cross-network traffic reaches a cluster only through its east-west gateway, so this cluster's services are unreachable from the other networks.";
/** Why a remote cluster's Gateway lives in its primary (istio.io "Install Primary-Remote on different networks"). */
const REMOTE_GATEWAYS =
  "A remote cluster's gateways get their configuration from its primary's istiod, which reads Gateways from its config cluster (the primary itself, or the remote config cluster of an external control plane), so a Gateway applied there exposes services on the east-west gateways of every cluster that istiod controls.";
/** Why an ambient cluster needs an `istio-east-west` Gateway (istio.io "Install ambient multi-primary on different networks"). */
const AMBIENT =
  "In an ambient mesh, ztunnel reaches another network's workloads only through that network's east-west gateway: istiod in the other clusters takes a Gateway of class istio-east-west labelled topology.istio.io/network with an HBONE listener (tls.mode Terminate) as the network's gateway, so without one this cluster's services are unreachable from the other networks. Apply the Gateway of samples/multicluster/gen-eastwest-gateway.sh --network {{network}} --ambient (listener port 15008, protocol HBONE) and label the Services to share istio.io/global=\"true\"; ambient meshes use no expose-services.yaml.";
const TRUST =
  'Workload identities (spiffe://<trustDomain>/ns/…/sa/…) of one cluster are then rejected by authorization policies and mTLS peers of the other. Set the same meshConfig.trustDomain in every cluster of the mesh (or trustDomainAliases).';

/**
 * `istio-mesh-identity`: the Istio install settings of the clusters of a set describe one mesh:
 * equal `meshID` (unless the set is declared a federation), unique `clusterName`s that match the
 * cluster's identity, consistent network names with an east-west gateway per network, equal
 * trust domains. A remote cluster's cluster ID and network also come from its injection path
 * (`/inject/cluster/<id>/net/<network>`), and a cross-network Gateway in its primary (the cluster
 * whose istiod configures its gateways) counts as its own. The comparisons are the model's view
 * `istioMeshIdentity` (`src/model/views/istio-mesh.ts`); the rule words them.
 *
 * Upstream: istio.io "Install Multicluster" (multi-primary / primary-remote, same or different
 * networks: `global.meshID`, `global.multiCluster.clusterName`, `global.network`, the istio-system
 * label `topology.istio.io/network`, `samples/multicluster/gen-eastwest-gateway.sh` and
 * `expose-services.yaml` with `AUTO_PASSTHROUGH` on port 15443; primary-remote: "exposing services
 * on the primary cluster will expose them on the east-west gateways of both clusters"); istio/istio
 * `pkg/kube/inject/webhook.go` `parseInjectEnvs` (the injection path's `cluster` and `net`);
 * `manifests/charts/gateway` (`networkGateway` gives the Service port 15443); MeshConfig `trustDomain`.
 * Ambient multi-network (istio.io "Install ambient multi-primary on different networks",
 * `gen-eastwest-gateway.sh --ambient`): the east-west gateway is a Gateway API Gateway of class
 * `istio-east-west` labelled `topology.istio.io/network` with an HBONE listener on 15008, which
 * istiod in the other clusters reads as the network's gateway (istio/istio
 * `pilot/pkg/serviceregistry/kube/controller/ambient/networks.go`); an ambient cluster without one
 * is worded for ambient (`noEastWestGatewayAmbient`). Settings that disagree only between per-cluster
 * alternatives (`values-<a>.yaml` siblings: the model's `perClusterAlternatives`) give one
 * `perClusterAlternatives` note per cluster instead. An external istiod's `clusterName` and
 * `network` are the served cluster's, not its own cluster's (`EXTERNAL_ISTIOD=true`).
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
    messages: {
      meshIDConflict: { text: CONFLICT, hint: `${ORIGINS} istiod uses one meshID; keep the install settings of a cluster in agreement.` },
      clusterNameConflict: {
        text: CONFLICT,
        hint: `${ORIGINS} istiod has one cluster ID; endpoints would be labelled inconsistently. Keep the install settings of a cluster in agreement.`,
      },
      networkConflict: {
        text: CONFLICT,
        hint: `${ORIGINS} Istio labels the cluster's endpoints with one network (topology.istio.io/network); gateways and endpoints on different networks are routed through east-west gateways that do not exist. Use one network name per cluster.`,
      },
      meshIDSeparate: {
        text: 'Every cluster of the ClusterSet declares its own meshID: {{meshIDs}}.',
        hint: `Clusters of one multi-cluster mesh must share the meshID, or Istio treats them as separate meshes and their workloads' identities and endpoints are not shared. If these are separate meshes federated through gateways, declare it with ${FEDERATION}; otherwise set the same global.meshID everywhere.`,
      },
      meshIDDiffers: {
        text: 'Cluster "{{cluster}}" declares meshID "{{meshID}}" but {{count}} cluster(s) of the ClusterSet declare "{{reference}}" (e.g. "{{referenceCluster}}").',
        hint: `Istio treats the clusters as separate meshes, so this cluster's workloads do not join the others' mesh. Set global.meshID to "{{reference}}" (or declare the set a federation with ${FEDERATION}).`,
      },
      clusterNameDuplicate: {
        text: 'Cluster "{{cluster}}" uses Istio clusterName "{{clusterName}}", like cluster "{{other}}".',
        hint: "Istio identifies clusters by this name (remote secrets, topology.istio.io/cluster), so istiod confuses their endpoints and one cluster's remote secret replaces the other's. Give every cluster its own clusterName.",
      },
      clusterNameMismatch: {
        text: 'Istio clusterName "{{clusterName}}" of cluster "{{cluster}}" differs from its {{origin}} "{{identity}}".',
        hint: 'The cluster\'s endpoints are labelled topology.istio.io/cluster={{clusterName}} and its remote secret is named after it, while other tools know the cluster as "{{identity}}". Use one name.',
      },
      noEastWestGateway: {
        text: 'Cluster "{{cluster}}" on network "{{network}}" has no Gateway on port {{port}} with tls.mode AUTO_PASSTHROUGH, though the mesh also spans {{others}}.',
        hint: `${EAST_WEST} Install the east-west gateway and apply samples/multicluster/expose-services.yaml.`,
      },
      eastWestNotExposed: {
        text: 'Cluster "{{cluster}}" on network "{{network}}" deploys an east-west gateway Service on port {{port}}, but no Gateway exposes services through it.',
        hint: `The mesh also spans {{others}}. ${EAST_WEST} Apply samples/multicluster/expose-services.yaml (a Gateway on port {{port}} with tls.mode AUTO_PASSTHROUGH).`,
      },
      noEastWestGatewayRemote: {
        text: 'Remote cluster "{{cluster}}" on network "{{network}}" has no Gateway on port {{port}} with tls.mode AUTO_PASSTHROUGH, nor has its config cluster {{primaries}}, though the mesh also spans {{others}}.',
        hint: `${EAST_WEST} ${REMOTE_GATEWAYS} Install the east-west gateway in this cluster and apply samples/multicluster/expose-services.yaml in {{primaries}}.`,
      },
      eastWestNotExposedRemote: {
        text: 'Remote cluster "{{cluster}}" on network "{{network}}" deploys an east-west gateway Service on port {{port}}, but neither it nor its config cluster {{primaries}} has a Gateway exposing services through it.',
        hint: `The mesh also spans {{others}}. ${EAST_WEST} ${REMOTE_GATEWAYS} Apply samples/multicluster/expose-services.yaml (a Gateway on port {{port}} with tls.mode AUTO_PASSTHROUGH) in {{primaries}}.`,
      },
      noEastWestGatewayAmbient: {
        text: 'Ambient cluster "{{cluster}}" on network "{{network}}" has no east-west Gateway of class istio-east-west with an HBONE listener, though the mesh also spans {{others}}.',
        hint: AMBIENT,
      },
      trustDomain: { text: 'Cluster "{{cluster}}" uses trust domain "{{trustDomain}}" but cluster "{{referenceCluster}}" uses "{{reference}}".', hint: TRUST },
      perClusterAlternatives: PER_CLUSTER_ALTERNATIVES,
      trustDomainDefault: {
        text: 'Cluster "{{cluster}}" uses the default trust domain "{{trustDomain}}" (meshConfig.trustDomain is not set) but cluster "{{referenceCluster}}" uses "{{reference}}".',
        hint: TRUST,
      },
    },
  },
  check({ set, report, options }) {
    const found = istioMeshIdentity(set);
    const federation = options.federation === true || (Array.isArray(options.federation) && options.federation.includes(set.name));
    const at = ({ cluster, fact }: ClusterFact) => ({ at: place(fact.source), cluster: cluster.name });

    for (const x of found.conflicts) {
      const data = { origin: x.fact.source.origin, setting: x.setting, value: x.fact.value, firstOrigin: x.first.source.origin, first: x.first.value, cluster: x.cluster.name };
      report({ messageId: `${x.setting}Conflict`, data, ...at(x), related: [rel(x.first, `${x.first.source.origin}: "${x.first.value}"`)] });
    }
    for (const x of found.alternatives) {
      const data = { cluster: x.cluster.name, kind: x.kind, files: [...x.names].sort().join(' and ') };
      report({
        messageId: 'perClusterAlternatives',
        data,
        at: place(x.at),
        cluster: x.cluster.name,
        severity: 'info',
        related: [{ ...place(x.other), cluster: x.other.cluster, message: `${x.other.origin} in ${x.names[1]}` }],
      });
    }
    const split = federation ? undefined : found.meshIDSplit;
    if (split?.kind === 'separate') {
      const [first, ...rest] = split.clusters;
      const meshIDs = split.clusters.map((x) => `"${x.fact.value}" in "${x.cluster.name}"`).join(', ');
      report({
        messageId: 'meshIDSeparate',
        data: { meshIDs },
        ...at(first),
        severity: 'warn',
        related: rest.map((x) => rel(x.fact, `meshID "${x.fact.value}" in cluster "${x.cluster.name}"`)),
      });
    } else if (split?.kind === 'minority') {
      const { reference: ref, referenceCount: count } = split;
      const related = [{ ...rel(ref.fact, `meshID "${ref.fact.value}" in cluster "${ref.cluster.name}"`), otherSide: true as const }];
      for (const x of split.odd) {
        const data = { cluster: x.cluster.name, meshID: x.fact.value, count, reference: ref.fact.value, referenceCluster: ref.cluster.name };
        // The text names both clusters: it reads the same at the reference cluster's meshID.
        report({ messageId: 'meshIDDiffers', data, ...at(x), related, mirror: { relatedMessage: `meshID "${x.fact.value}" in cluster "${x.cluster.name}"` } });
      }
    }
    for (const x of found.duplicateClusterNames) {
      const data = { cluster: x.cluster.name, clusterName: x.fact.value, other: x.earlier.cluster.name };
      const related = [{ ...rel(x.earlier.fact, `clusterName "${x.fact.value}" in cluster "${x.earlier.cluster.name}"`), otherSide: true as const }];
      const mirror = { data: { ...data, cluster: x.earlier.cluster.name, other: x.cluster.name }, relatedMessage: `clusterName "${x.fact.value}" in cluster "${x.cluster.name}"` };
      report({ messageId: 'clusterNameDuplicate', data, ...at(x), related, mirror });
    }
    for (const x of found.clusterNameMismatches) {
      const { origin } = x.identity.source;
      const data = { clusterName: x.fact.value, cluster: x.cluster.name, origin, identity: x.identity.value };
      report({ messageId: 'clusterNameMismatch', data, ...at(x), severity: 'warn', related: [rel(x.identity, `${origin} "${x.identity.value}"`)] });
    }
    for (const x of found.eastWestGaps) {
      const others = x.otherNetworks.map((n) => `"${n}"`).join(', ');
      const primaries = x.configClusters.map((c) => `"${c.name}"`).join(', ');
      const data = { cluster: x.cluster.name, network: x.fact.value, port: EAST_WEST_PORT, others, ...(primaries && { primaries }) };
      const related = [
        ...x.peers.map((p) => rel(p.fact, `network "${p.fact.value}" of cluster "${p.cluster.name}"`)),
        // An istio-east-west Gateway istiod does not take as the network's gateway: say why.
        ...x.candidates.map((g) => ({
          ...place(g.at),
          cluster: x.cluster.name,
          message: `Gateway "${namespacedName(g.namespace, g.name ?? '')}" of class istio-east-west ${g.network ? 'has no HBONE listener with tls.mode Terminate' : 'has no label topology.istio.io/network'}`,
        })),
      ];
      const messageId = x.ambient ? 'noEastWestGatewayAmbient' : (x.deployed ? 'eastWestNotExposed' : 'noEastWestGateway') + (primaries ? 'Remote' : '');
      report({ messageId, data, ...at(x), severity: 'warn', related });
    }
    for (const x of found.trustDomainSplits) {
      const { cluster, fact } = x.reference;
      const data = { cluster: x.cluster.name, trustDomain: x.fact.value, referenceCluster: cluster.name, reference: fact.value };
      report({
        messageId: x.fact.isDefault ? 'trustDomainDefault' : 'trustDomain',
        data,
        ...at(x),
        related: [rel(fact, `trust domain "${fact.value}" in cluster "${cluster.name}"`)],
      });
    }
  },
});
