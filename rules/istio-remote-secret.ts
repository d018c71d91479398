import { defineRule, istioRemote, type ClusterModel, type ClusterPlane, type Fact, type RelatedPlace, type RemoteSecretProblem, type Report, type Source } from './kit.js';

const rel = (s: Source, message: string): RelatedPlace => ({ file: s.file, doc: s.doc, path: s.path, ...(s.key && { key: true }), cluster: s.cluster, message });
const place = (s: Source) => ({ file: s.file, doc: s.doc, path: s.path, ...(s.key && { key: true }) });
/** Where a cluster's Istio cluster ID is declared, else its control plane. */
const idPlace = (p: ClusterPlane): Source => p.cluster.istio.find((i) => i.clusterName)?.clusterName?.source ?? p.plane.at;
const meshIDOf = (c: ClusterModel): Fact<string> | undefined => c.istio.find((i) => i.meshID)?.meshID;
const REASON = { loopback: 'a loopback', unspecified: 'an unspecified (0.0.0.0)', 'cluster-local': 'a cluster-local' } as const;
const FIX = 'Create it with `istioctl create-remote-secret --name=<clusterName>` against the remote cluster and apply it to the primary.';

/** The finding for one problem of the view (without the rule's `report` plumbing). */
function finding(x: RemoteSecretProblem): Report {
  switch (x.kind) {
    case 'missing': {
      const data = { cluster: x.holder.cluster.name, target: x.target.cluster.name, namespace: x.holder.plane.namespace?.value ?? "istiod's namespace" };
      const related = [
        rel(idPlace(x.target), `cluster "${x.target.cluster.name}" of the mesh`),
        rel(x.example.entry.clusterID.source, `a remote secret in cluster "${x.example.holder.name}"`),
      ];
      return { messageId: 'missing', data, at: place(idPlace(x.holder)), cluster: x.holder.cluster.name, related };
    }
    case 'remoteHolds':
      return {
        messageId: 'remoteHolds',
        data: { cluster: x.holder.cluster.name, secret: x.secret.name.value },
        at: place(x.secret.name.source),
        cluster: x.holder.cluster.name,
        severity: 'warn',
        related: [rel(x.holder.plane.role.source, 'the remote profile')],
      };
    case 'wrongNamespace': {
      const data = { cluster: x.holder.cluster.name, secret: x.secret.name.value, namespace: x.namespace.value, istioNamespace: x.istioNamespace.value };
      return {
        messageId: 'wrongNamespace',
        data,
        at: place(x.namespace.source),
        cluster: x.holder.cluster.name,
        related: [rel(x.istioNamespace.source, "istiod's namespace")],
      };
    }
    case 'duplicate': {
      const data = { cluster: x.ref.holder.name, secret: x.ref.secret.name.value, first: x.first.secret.name.value, clusterID: x.ref.entry.clusterID.value };
      return {
        messageId: 'duplicate',
        data,
        at: place(x.ref.entry.clusterID.source),
        cluster: x.ref.holder.name,
        related: [rel(x.first.entry.clusterID.source, 'the other secret')],
      };
    }
    case 'localServer': {
      const data = { cluster: x.ref.holder.name, secret: x.ref.secret.name.value, clusterID: x.ref.entry.clusterID.value, server: x.server.value, reason: REASON[x.reason] };
      return { messageId: 'localServer', data, at: place(x.server.source), cluster: x.ref.holder.name };
    }
    case 'otherMesh': {
      const meshID = meshIDOf(x.target);
      const data = { cluster: x.ref.holder.name, secret: x.ref.secret.name.value, target: x.target.name, meshID: x.meshID ?? '(none)' };
      const related = meshID ? [rel(meshID.source, `meshID of cluster "${x.target.name}"`)] : [];
      return { messageId: 'otherMesh', data, at: place(x.ref.entry.clusterID.source), cluster: x.ref.holder.name, related };
    }
    case 'nameMismatch': {
      const data = { cluster: x.ref.holder.name, secret: x.ref.secret.name.value, clusterID: x.ref.entry.clusterID.value, clusterName: x.clusterName.value };
      const related = [rel(x.clusterName.source, `Istio cluster ID of cluster "${x.target.name}" (${x.clusterName.source.origin})`)];
      return { messageId: 'nameMismatch', data, at: place(x.ref.entry.clusterID.source), cluster: x.ref.holder.name, related };
    }
    case 'unknownCluster': {
      const data = { cluster: x.ref.holder.name, secret: x.ref.secret.name.value, clusterID: x.ref.entry.clusterID.value, known: x.known.map((k) => `"${k}"`).join(', ') };
      return { messageId: 'unknownCluster', data, at: place(x.ref.entry.clusterID.source), cluster: x.ref.holder.name, severity: 'warn' };
    }
    case 'self': {
      const data = { cluster: x.ref.holder.name, secret: x.ref.secret.name.value, clusterID: x.ref.entry.clusterID.value };
      return { messageId: 'self', data, at: place(x.ref.entry.clusterID.source), cluster: x.ref.holder.name, severity: 'warn' };
    }
  }
}

/**
 * `istio-remote-secret`: the remote secrets (`istio/multiCluster: "true"`) of an Istio mesh give
 * every primary a reachable kubeconfig for each other cluster: a primary without a secret for a
 * cluster of its mesh, a remote holding secrets, a secret for the cluster itself, for a cluster of
 * another mesh or outside the set, under a name other than the cluster's Istio cluster ID (its
 * `clusterName`, else the `cluster` of its injection path `/inject/cluster/<id>/net/<network>`), outside
 * istiod's namespace, twice for one cluster, or whose kubeconfig `server` is a loopback or
 * cluster-local address. Missing secrets are reported only in a mesh some cluster of which holds a
 * remote secret in the repository (otherwise they are managed out of band); secrets with
 * placeholders in their keys or kubeconfigs are not read. A `--type config` kubeconfig is no remote
 * secret (only its server is checked), and a cluster running an external istiod is no primary of
 * its own workloads. The comparisons are the model's view
 * `istioRemote` (`src/model/views/istio-remote.ts`).
 *
 * Upstream: istio/istio `pkg/kube/multicluster/secretcontroller.go` (`addSecret`),
 * `istioctl/pkg/multicluster/remote_secret.go` (`create-remote-secret`); istio.io "Install
 * Multi-Primary" and "Install Primary-Remote" (Enable Endpoint Discovery; the primary-remote guides
 * install the remote with `injectionPath: /inject/cluster/cluster2/net/network2` and no clusterName,
 * and create its secret with `--name=cluster2`); istio/istio `pkg/kube/inject/webhook.go`
 * (`parseInjectEnvs`: the path's `cluster` is the injected proxies' cluster ID); istio/istio#49780
 * (secret in the wrong namespace), #58047 (a `127.0.0.1` server), #29359, #58445. External control
 * planes (istio.io "Install Istio with an External Control Plane"): `create-remote-secret --type
 * config` writes the Secret `istio-kubeconfig` keyed `config` (`configSecretName`,
 * `configSecretKey`), the config cluster's kubeconfig that the external istiod
 * (`EXTERNAL_ISTIOD=true`, `CLUSTER_ID` naming that cluster) mounts as its own kube client
 * (`KUBECONFIG=/var/run/secrets/remote/config`, istio `manifests/charts/istio-control/istio-discovery/templates/deployment.yaml`):
 * it names no cluster `config`, and that istiod needs no remote secret for the cluster it serves;
 * remote secrets for further clusters may be applied to the config cluster, which it watches too.
 */
export default defineRule({
  meta: {
    id: 'istio-remote-secret',
    description: 'Istio remote secrets must give every primary each other cluster of its mesh, through a kubeconfig reachable from the primary',
    severity: 'error',
    docs: 'docs/rules/istio-remote-secret.md',
    messages: {
      missing: {
        text: 'Primary cluster "{{cluster}}" holds no Istio remote secret for cluster "{{target}}" of its mesh.',
        hint: `istiod discovers services and endpoints only in the clusters it has a kubeconfig for (a Secret labelled istio/multiCluster: "true" in {{namespace}}), so workloads of "{{cluster}}" never reach those of "{{target}}". ${FIX}`,
      },
      remoteHolds: {
        text: 'Remote cluster "{{cluster}}" holds Istio remote secret "{{secret}}".',
        hint: "A remote cluster runs no istiod, so nothing reads the secret while it spreads another cluster's credentials; endpoint discovery needs the remote's secret in its primary instead. Apply it to the primary.",
      },
      wrongNamespace: {
        text: 'Istio remote secret "{{secret}}" of cluster "{{cluster}}" is in namespace "{{namespace}}" but istiod runs in "{{istioNamespace}}".',
        hint: "istiod's secret controller watches only its own namespace, so the remote cluster is never added (istio/istio#49780). Move the secret to {{istioNamespace}}.",
      },
      duplicate: {
        text: 'Istio remote secrets "{{secret}}" and "{{first}}" of cluster "{{cluster}}" both name cluster "{{clusterID}}".',
        hint: 'istiod registers the cluster from whichever secret it processes first and ignores the other ("has already been registered"), so which kubeconfig is used depends on event order. Keep one secret per cluster.',
      },
      localServer: {
        text: 'The kubeconfig for cluster "{{clusterID}}" in Istio remote secret "{{secret}}" of cluster "{{cluster}}" uses {{reason}} server "{{server}}".',
        hint: 'istiod in "{{cluster}}" resolves that address inside its own pod or cluster, so it never reaches the remote API server and the remote\'s services are not discovered (istioctl warns it is "likely not reachable from inside the cluster"). Re-create the secret with --server set to an address reachable from "{{cluster}}".',
      },
      otherMesh: {
        text: 'Istio remote secret "{{secret}}" of cluster "{{cluster}}" names cluster "{{target}}", which belongs to another mesh (meshID {{meshID}}).',
        hint: "istiod merges that cluster's services and endpoints into this mesh although its proxies belong to another one. Remove the secret, or give both clusters one meshID.",
      },
      nameMismatch: {
        text: 'Istio remote secret "{{secret}}" of cluster "{{cluster}}" names cluster "{{clusterID}}", whose Istio cluster ID is "{{clusterName}}".',
        hint: 'istiod registers the cluster under the secret\'s key while its proxies and endpoints (topology.istio.io/cluster) carry "{{clusterName}}", so locality, network and remote-proxy lookups miss it. Re-create the secret with --name={{clusterName}}.',
      },
      unknownCluster: {
        text: 'Istio remote secret "{{secret}}" of cluster "{{cluster}}" names cluster "{{clusterID}}", which is not a cluster of its mesh ({{known}}).',
        hint: 'istiod adds a registry for "{{clusterID}}" and merges its services into the mesh. If it is a cluster of this mesh, name the secret after its clusterName; otherwise remove the secret.',
      },
      self: {
        text: 'Istio remote secret "{{secret}}" of cluster "{{cluster}}" names the cluster itself ("{{clusterID}}").',
        hint: 'istiod ignores a remote secret for its own cluster ID ("it would overwrite the local cluster"). Remove it, or apply it to the other clusters of the mesh.',
      },
    },
  },
  check({ set, report }) {
    for (const x of istioRemote(set).secrets) report(finding(x));
  },
});
