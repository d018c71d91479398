import { ISTIOD_PORTS, defineRule, istioRemote, type ClusterPlane, type RelatedPlace, type RemoteControlPlaneProblem, type Report, type Source } from './kit.js';

const rel = (s: Source, message: string): RelatedPlace => ({ file: s.file, doc: s.doc, path: s.path, cluster: s.cluster, message });
const place = (s: Source) => ({ file: s.file, doc: s.doc, path: s.path });
const REASON = { loopback: 'a loopback', unspecified: 'an unspecified (0.0.0.0)', 'cluster-local': 'a cluster-local' } as const;
const names = (l: readonly ClusterPlane[]) => l.map((p) => `"${p.cluster.name}"`).join(', ');
const EXPOSE = 'Install the east-west gateway in the primary and apply samples/multicluster/expose-istiod.yaml (a Gateway with PASSTHROUGH servers on ports 15012 and 15017).';

/** The finding for one problem of the view. */
function finding(x: RemoteControlPlaneProblem): Report {
  const { cluster, plane } = x.remote;
  const c = cluster.name;
  switch (x.kind) {
    case 'noAddress':
      return { messageId: 'noAddress', data: { cluster: c }, at: place(plane.role.source), cluster: c };
    case 'localAddress':
      return { messageId: 'localAddress', data: { cluster: c, address: x.address.value, reason: REASON[x.reason] }, at: place(x.address.source), cluster: c };
    case 'noClusterName':
      return { messageId: 'noClusterName', data: { cluster: c }, at: place(plane.role.source), cluster: c };
    case 'meshID': {
      const data = { cluster: c, meshID: x.meshID.value, primary: x.primary.cluster.name, primaryMeshID: x.primaryMeshID.value };
      return { messageId: 'meshID', data, at: place(x.meshID.source), cluster: c, related: [rel(x.primaryMeshID.source, `meshID of primary "${x.primary.cluster.name}"`)] };
    }
    case 'istiodNotExposed': {
      const role = x.external ? 'external istiod in cluster' : 'primary';
      const related = [...(x.deployed ? [rel(x.deployed, 'gateway with port 15012')] : []), ...x.primaries.map((p) => rel(p.plane.at, `${role} "${p.cluster.name}"`))];
      const data = { cluster: c, primaries: names(x.primaries), port: ISTIOD_PORTS.xds };
      const at = place(plane.remotePilotAddress?.source ?? plane.role.source);
      const messageId = x.external ? 'externalIstiodNotExposed' : x.deployed ? 'istiodNotRouted' : 'istiodNotExposed';
      return { messageId, data, at, cluster: c, severity: 'warn', related };
    }
    case 'networkNotInMeshNetworks': {
      const data = { cluster: c, network: x.network.value, primary: x.primary.cluster.name, networks: x.networks.map((n) => `"${n.name.value}"`).join(', ') };
      return {
        messageId: 'networkNotInMeshNetworks',
        data,
        at: place(x.network.source),
        cluster: c,
        related: [rel(x.networks[0].name.source, `meshNetworks of primary "${x.primary.cluster.name}"`)],
      };
    }
    case 'registryNotInMeshNetworks': {
      const data = {
        cluster: c,
        clusterID: x.clusterID,
        network: x.entry.name.value,
        primary: x.primary.cluster.name,
        registries: x.entry.registries.map((r) => `"${r.value}"`).join(', '),
      };
      return {
        messageId: 'registryNotInMeshNetworks',
        data,
        at: place(x.at),
        cluster: c,
        related: [rel(x.entry.name.source, `network "${x.entry.name.value}" of primary "${x.primary.cluster.name}"`)],
      };
    }
    case 'webhookNotExposed': {
      const data = { cluster: c, primary: x.primary.cluster.name, port: ISTIOD_PORTS.webhook };
      return { messageId: 'webhookNotExposed', data, at: place(x.gateway), cluster: x.primary.cluster.name, severity: 'warn', related: [rel(plane.role.source, `remote "${c}"`)] };
    }
  }
}

/**
 * `istio-remote-control-plane`: a remote-profile Istio cluster reaches its primary's istiod. It
 * needs `global.remotePilotAddress` (or `istiodRemote.injectionURL`) that is not a loopback or
 * cluster-local name (a placeholder is `unrendered-placeholder`'s), a cluster ID
 * (`global.multiCluster.clusterName` or the `cluster` of its injection path,
 * `istiodRemote.injectionPath` / `injectionURL` `/inject/cluster/<id>/net/<network>`; else the
 * primary's istiod injects its proxies with its own cluster ID or Istio's default `Kubernetes`),
 * the meshID of its primary, and a primary that routes port 15012 (and 15017 for the webhooks)
 * through an east-west Gateway or exposes istiod's Service (a warning: `expose-istiod.yaml` is
 * often applied from the Istio release rather than kept in the repository). Its primary is the
 * primary holding its remote secret, else the primaries of its mesh (any of which may expose
 * istiod), else the set's only primary. An external control plane (`EXTERNAL_ISTIOD=true`, or a
 * `--type config` kubeconfig) is published by its own cluster — an ingress gateway or a
 * LoadBalancer Service — and is worded so (`externalIstiodNotExposed`). The comparisons are the model's view `istioRemote`
 * (`src/model/views/istio-remote.ts`); the remote's network for meshNetworks is its
 * `global.network`, else the `net` of its injection path.
 *
 * Upstream: istio/istio `manifests/charts/istiod-remote` and `manifests/profiles/remote.yaml`
 * (`global.remotePilotAddress` becomes the `istiod-remote` Endpoints / the proxies'
 * discoveryAddress; `istiodRemote.injectionURL`, `injectionPath`); `pkg/kube/inject/webhook.go`
 * (`parseInjectEnvs`: the path's `cluster` and `net` pairs become `ISTIO_META_CLUSTER_ID` and
 * `ISTIO_META_NETWORK`, `URLParameterToEnv`) and `pkg/kube/inject/inject.go` (`RunTemplate`: they
 * take priority over the injecting istiod's `global.multiCluster.clusterName` and `global.network`);
 * `security/pkg/server/ca/authenticate/kubeauth/kube_jwt.go` (`Authenticate`: a certificate request
 * is checked against the kube client of the proxy's cluster ID);
 * `samples/multicluster/expose-istiod.yaml`; istio.io "Install Primary-Remote" (the remote is
 * installed with `injectionPath: /inject/cluster/cluster2/net/network2` and no clusterName);
 * istio.io "Install Istio with an External Control Plane" (the external istiod, `EXTERNAL_ISTIOD`
 * and `CLUSTER_ID` in its environment, is published by an ingress gateway of the external cluster:
 * a Gateway on 15012 and 15017 and a VirtualService to istiod); istio/istio#21768, #43611, #39707, #23487.
 */
export default defineRule({
  meta: {
    id: 'istio-remote-control-plane',
    description: "An Istio remote cluster must reach its primary's istiod through a remotePilotAddress the primary exposes, with the mesh's identity",
    severity: 'error',
    docs: 'docs/rules/istio-remote-control-plane.md',
    messages: {
      noAddress: {
        text: 'Remote Istio cluster "{{cluster}}" sets no global.remotePilotAddress.',
        hint: 'The remote\'s proxies and webhooks use istiod-remote.istio-system.svc, whose Endpoints then hold no address, so proxies never get config ("config not received from Pilot", istio/istio#23487). Set global.remotePilotAddress to the primary\'s east-west gateway address.',
      },
      localAddress: {
        text: 'Remote Istio cluster "{{cluster}}" uses {{reason}} istiod address "{{address}}".',
        hint: "That name resolves inside the remote cluster, where no istiod runs, so proxies and sidecar injection fail. Set global.remotePilotAddress to the primary's east-west gateway address, reachable from the remote.",
      },
      noClusterName: {
        text: 'Remote Istio cluster "{{cluster}}" sets no cluster ID (global.multiCluster.clusterName, or the cluster of its istiodRemote.injectionPath).',
        hint: "The primary's istiod injects the remote's proxies with the cluster ID of the webhook path (/inject/cluster/<id>/net/<network>), else with its own clusterName or Istio's default \"Kubernetes\": not the name of the remote's remote secret, so istiod misattributes their endpoints and rejects their certificate requests (\"could not get cluster …'s kube client\"). Set istiodRemote.injectionPath to /inject/cluster/<name>/net/<network> (or global.multiCluster.clusterName) with the name of its remote secret.",
      },
      meshID: {
        text: 'Remote Istio cluster "{{cluster}}" declares meshID "{{meshID}}" but its primary "{{primary}}" declares "{{primaryMeshID}}".',
        hint: "The remote's workloads get their config and identities from the primary's istiod, which treats them as members of another mesh. Use the primary's meshID.",
      },
      istiodNotExposed: {
        text: 'No primary of remote Istio cluster "{{cluster}}" ({{primaries}}) exposes istiod on port {{port}}.',
        hint: `The remote's proxies connect to istiod (xDS and certificates) through the primary's east-west gateway; without it they never become ready (istio/istio#39707). ${EXPOSE}`,
      },
      externalIstiodNotExposed: {
        text: 'No Gateway or LoadBalancer Service in {{primaries}} publishes the external istiod of remote Istio cluster "{{cluster}}" on port {{port}}.',
        hint: 'An external control plane is not reached through an east-west gateway: the external cluster publishes istiod itself, and the remote\'s proxies and webhooks call that address (its remotePilotAddress or injectionURL). istio.io "Install Istio with an External Control Plane" installs an ingress gateway in the external cluster with a Gateway serving ports 15012 and 15017 and a VirtualService routing them to istiod.<namespace>.svc; a LoadBalancer Service selecting the istiod pods with those ports works too. Without either, the remote\'s proxies never get config or certificates. If istiod is published outside this repository, suppress this finding.',
      },
      istiodNotRouted: {
        text: 'A gateway of the primary of remote Istio cluster "{{cluster}}" ({{primaries}}) has port {{port}}, but no Gateway routes it to istiod.',
        hint: `The gateway has no listener for port {{port}} until a Gateway selects it, so the remote's proxies cannot reach istiod. ${EXPOSE}`,
      },
      networkNotInMeshNetworks: {
        text: 'Remote Istio cluster "{{cluster}}" is on network "{{network}}", which the meshNetworks of its primary "{{primary}}" do not list ({{networks}}).',
        hint: "istiod places the remote's endpoints on the networks its meshNetworks define and routes cross-network traffic through their gateways; an unknown network gets no gateway, so traffic from other networks to the remote's pods fails. Add the network to the primary's global.meshNetworks, or fix the remote's global.network.",
      },
      registryNotInMeshNetworks: {
        text: 'Remote Istio cluster "{{cluster}}" (cluster ID "{{clusterID}}") is missing from fromRegistry of network "{{network}}" in the meshNetworks of primary "{{primary}}".',
        hint: 'The network lists only {{registries}}, so istiod does not put the remote\'s endpoints on it and sends cross-network traffic to their pod IPs directly, which other networks cannot reach. Add "- fromRegistry: {{clusterID}}" to the network\'s endpoints.',
      },
      webhookNotExposed: {
        text: 'Primary "{{primary}}" exposes istiod for remote cluster "{{cluster}}" but not its webhook port {{port}}.',
        hint: 'The remote\'s sidecar-injection and validation webhooks call istiod through the gateway on port {{port}}; pod creation in injected namespaces then fails ("failed calling webhook", istio/istio#58445). Add the 15017 server of expose-istiod.yaml.',
      },
    },
  },
  check({ set, report }) {
    for (const x of istioRemote(set).controlPlanes) report(finding(x));
  },
});
