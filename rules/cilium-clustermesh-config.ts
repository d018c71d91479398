import { ciliumMeshProblems, defineRule, type CiliumMeshProblem, type Report } from './kit.js';

const WHERE = { config: 'clustermesh.config.clusters', secret: 'Secret cilium-clustermesh' } as const;

/** Reports one problem (see the rule's docstring). */
function reportProblem(p: CiliumMeshProblem, report: (r: Report) => void): void {
  const cluster = p.cluster.name;
  if (p.kind === 'unknownPeer') {
    report({ messageId: p.where === 'config' ? 'unknownPeer' : 'unknownSecretPeer', data: { cluster, name: p.name.value, where: WHERE[p.where] }, at: p.name.source, cluster });
  } else if (p.kind === 'missingPeer') {
    const data = { cluster, peer: p.peerName.value, where: WHERE[p.where] };
    report({
      messageId: 'missingPeer',
      data,
      at: p.at,
      cluster,
      severity: 'warn',
      related: [{ ...p.peerName.source, cluster: p.peer.name, otherSide: true, message: `cluster.name of cluster "${p.peer.name}"` }],
      // The text names both clusters: it reads the same at the peer's cluster.name.
      mirror: { relatedMessage: `${WHERE[p.where]} of cluster "${cluster}"` },
    });
  } else if (p.kind === 'missingFile') {
    report({ messageId: 'missingFile', data: { cluster, name: p.name.value, files: p.files.join(', ') }, at: p.name.source, cluster });
  } else {
    const data = { cluster, type: p.type.isDefault ? 'NodePort (the chart default)' : 'NodePort' };
    // A note, as cilium-cli prints it: a status remark; the mesh works while the node stays.
    report({ messageId: 'nodePort', data, at: p.type.source, cluster, severity: 'info' });
  }
}

/**
 * `cilium-clustermesh-config`: how a Cilium cluster is told about its peers. The Helm values
 * `clustermesh.config.clusters[].name` and the etcd config keys of a `cilium-clustermesh` Secret
 * name clusters of the set (by their Cilium `cluster.name`, else their directory name), one entry
 * per other Cilium cluster (a missing peer is a warning); each config key's files
 * (`<name>.etcd-client.crt`, `.key`, `-ca.crt`, or the `common-`/`local-` ones) are keys of the
 * Secret; `clustermesh.apiserver.service.type` NodePort, written or the chart default with
 * `clustermesh.useAPIServer: true`, is a note with the warning `cilium clustermesh status` prints.
 * Problems: `ciliumMeshProblems` (`src/model/views/cilium.ts`).
 *
 * Upstream: cilium/cilium `install/kubernetes/cilium/templates/clustermesh-config/` (the Secret
 * `cilium-clustermesh`, one key per cluster named after it, and `_helpers.tpl`
 * `clustermesh-config-generate-etcd-cfg`: `trusted-ca-file`, `key-file`, `cert-file` under
 * `/var/lib/cilium/clustermesh/`); `pkg/clustermesh/common` (each config file is a remote cluster
 * named after the file, the local cluster's own entry is skipped); cilium-cli
 * `clustermesh status` ("Service type NodePort detected! Service may fail when nodes are removed
 * from the cluster!"); Cilium docs "Setting up Cluster Mesh".
 */
export default defineRule({
  meta: {
    id: 'cilium-clustermesh-config',
    description:
      'Cilium Cluster Mesh wiring: clustermesh.config.clusters and the cilium-clustermesh Secret name every peer by its cluster.name; clustermesh-apiserver Service type',
    severity: 'error',
    docs: 'docs/rules/cilium-clustermesh-config.md',
    messages: {
      unknownPeer: {
        text: '{{where}} of cluster "{{cluster}}" names "{{name}}", which is no cluster of the ClusterSet.',
        hint: 'The agent names the remote cluster after the entry and connects to the address given for it; a name that is no cluster.name of a peer is a stale or misspelt entry. Use the peer cluster.name.',
      },
      unknownSecretPeer: {
        text: '{{where}} of cluster "{{cluster}}" has a config for "{{name}}", which is no cluster of the ClusterSet.',
        hint: 'The agent takes every key holding an etcd config (endpoints:) for a remote cluster named after the key. Name the key after the peer cluster.name, or remove it.',
      },
      missingPeer: {
        text: '{{where}} of cluster "{{cluster}}" has no entry for cluster "{{peer}}".',
        hint: 'The agents of this cluster never connect to that cluster, so its endpoints, identities and global services stay unknown here. Add an entry named after its cluster.name.',
      },
      missingFile: {
        text: 'Secret cilium-clustermesh of cluster "{{cluster}}": the config for "{{name}}" names {{files}}, which the Secret does not hold.',
        hint: 'The agent finds no such file in /var/lib/cilium/clustermesh, so it cannot set up the TLS connection to that cluster. Add the keys to the Secret.',
      },
      nodePort: {
        text: 'The clustermesh-apiserver Service of cluster "{{cluster}}" is of type {{type}}.',
        hint: '`cilium clustermesh status` warns "Service type NodePort detected! Service may fail when nodes are removed from the cluster!": peers connect to one node\'s address. Set clustermesh.apiserver.service.type: LoadBalancer.',
      },
    },
  },
  check({ set, report }) {
    for (const p of ciliumMeshProblems(set)) reportProblem(p, report);
  },
});
