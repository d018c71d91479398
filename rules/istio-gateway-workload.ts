import { defineRule, fieldPlace, gatewayWorkloadProblems, labelsText, namespacedName, serviceNamePlace } from './kit.js';
import type { GatewayWorkloadProblem, RelatedPlace } from './kit.js';

const quoted = (names: Iterable<string>) => [...new Set(names)].map((n) => `"${n}"`).join(', ');

/** Why a config cluster's Gateway is checked in its remotes (istio.io "Install Primary-Remote on different networks"). */
const REMOTE =
  'A remote cluster runs no istiod: the istiod that configures its gateway pods reads Gateways from its config cluster (this one), so this Gateway configures the remote\'s east-west gateway too (istio.io: "exposing services on the primary cluster will expose them on the east-west gateways of both clusters")';
const NO_TRAFFIC = 'so no pod runs this Gateway: the other networks of the mesh send their cross-network mTLS traffic to an address nothing answers, and those requests fail';
const PORT =
  'Istio IST0162 GatewayPortNotDefinedOnService: the gateway pods listen on 15443 but no Service forwards it, so the other networks (which reach this network through the gateway Service address) cannot connect and cross-network requests fail. Add port 15443 (name `tls`) to the Service, as `samples/multicluster/gen-eastwest-gateway.sh` does.';

/** For a remote network: where each remote (first per network: they share it) declares the network checked. */
function remoteNetworkPlaces(p: GatewayWorkloadProblem): RelatedPlace[] {
  if (p.remotes.length === 0 || !p.network) return [];
  const { source, value } = p.network;
  return [
    {
      file: source.file,
      doc: source.doc,
      path: source.path,
      ...(source.key && { key: true }),
      cluster: source.cluster,
      message: `network "${value}" of remote cluster "${source.cluster}"`,
    },
  ];
}

/** The message id, extra data and related places of a problem. */
function details(p: GatewayWorkloadProblem): [string, Record<string, string>, RelatedPlace[]] {
  switch (p.kind) {
    case 'noWorkload':
      return p.remotes.length > 0 ? ['noWorkloadRemote', {}, remoteNetworkPlaces(p)] : ['noWorkload', {}, []];
    case 'noService': {
      const related = p.workloads.slice(0, 3).map((w) => ({
        ...fieldPlace(w.workload.object, 'metadata', 'name'),
        cluster: w.cluster.name,
        message: `${w.workload.kind} "${w.workload.name}" in cluster "${w.cluster.name}"`,
      }));
      return ['noService', { workloads: quoted(p.workloads.map((w) => namespacedName(w.workload.namespace, w.workload.name))) }, related];
    }
    case 'portNotOnService': {
      const related = p.services
        .slice(0, 3)
        .map((s) => ({ ...serviceNamePlace(s), cluster: s.cluster, message: `Service "${namespacedName(s.namespace, s.name)}" in cluster "${s.cluster}"` }));
      return ['portNotOnService', { services: quoted(p.services.map((s) => namespacedName(s.namespace, s.name))), ports: p.ports.join(', ') || 'none' }, related];
    }
    case 'portNotOnInstall': {
      const related = p.installs
        .slice(0, 3)
        .map((g) => ({ file: g.at.file, doc: g.at.doc, path: g.at.path, cluster: g.at.cluster, message: `${g.at.origin} in cluster "${g.at.cluster}"` }));
      return ['portNotOnInstall', { ports: [...new Set(p.installs.flatMap((g) => g.ports))].join(', ') }, related];
    }
  }
}

/**
 * `istio-gateway-workload`: every cross-network Gateway (a server on port 15443 with
 * `AUTO_PASSTHROUGH`) selects a gateway workload — a pod template, an IstioOperator gateway
 * component or a gateway chart release — in a cluster of its mesh on its network, and a Service of
 * those pods exposes port 15443. A Gateway object alone configures nothing: the pods it selects
 * serve it. A Gateway of a remote's config cluster (its primary, or the remote config cluster of
 * an external control plane) also configures the remote's gateway pods: each network of the
 * remotes it serves needs its gateway workload in those remotes (`noWorkloadRemote`, and the
 * Service checks on their pods). The facts come from `src/model/views/istio-gateways.ts`.
 *
 * Upstream: istio/istio `pkg/config/analysis/analyzers/gateway/gateway.go`
 * (IngressGatewayPortAnalyzer: IST0101 ReferencedResourceNotFound for a selector no pod matches,
 * IST0162 GatewayPortNotDefinedOnService for a server port no selecting Service exposes);
 * `samples/multicluster/gen-eastwest-gateway.sh` and `expose-services.yaml` (the east-west gateway
 * and its Gateway); `manifests/charts/gateway` (pod labels and `networkGateway` ports); istio.io
 * "Install Primary-Remote on different networks" (`expose-services.yaml` applied to the primary
 * only: "exposing services on the primary cluster will expose them on the east-west gateways of
 * both clusters").
 */
export default defineRule({
  meta: {
    id: 'istio-gateway-workload',
    description: 'Istio cross-network Gateways select a gateway workload in their network, with a Service exposing port 15443',
    severity: 'error',
    docs: 'docs/rules/istio-gateway-workload.md',
    messages: {
      noWorkload: {
        text: 'Gateway "{{gateway}}" in cluster "{{cluster}}" selects {{selector}}, which no gateway workload carries in clusters {{searched}}.',
        hint: `Clusters searched: {{searched}} ({{network}}). Istio IST0101 ReferencedResourceNotFound (selector): ${NO_TRAFFIC}. Install the east-west gateway in this network (samples/multicluster/gen-eastwest-gateway.sh, or the gateway chart with networkGateway), or fix the selector; if it is installed outside this repository, suppress this finding.`,
      },
      noWorkloadRemote: {
        text: 'Gateway "{{gateway}}" in cluster "{{cluster}}" configures remote clusters {{searched}} ({{network}}), where no gateway workload carries {{selector}}.',
        hint: `${REMOTE}. Istio IST0101 ReferencedResourceNotFound (selector): no pod runs it on that network, so the other networks of the mesh send their cross-network mTLS traffic for the remote's services to an address nothing answers, and those requests fail. Install the east-west gateway in the remote (samples/multicluster/gen-eastwest-gateway.sh --network, or the gateway chart with networkGateway); if it is installed outside this repository, suppress this finding.`,
      },
      noService: {
        text: 'Gateway "{{gateway}}" in cluster "{{cluster}}" selects workloads {{workloads}}, but no Service selects their pods to expose port 15443.',
        hint: PORT,
      },
      portNotOnService: {
        text: 'Gateway "{{gateway}}" in cluster "{{cluster}}" serves port 15443, but the Services of its pods ({{services}}) expose only {{ports}}.',
        hint: PORT,
      },
      portNotOnInstall: {
        text: 'Gateway "{{gateway}}" in cluster "{{cluster}}" serves port 15443, but the gateway install it selects gives its Service only ports {{ports}}.',
        hint: PORT,
      },
    },
  },
  check({ set, report }) {
    for (const p of gatewayWorkloadProblems(set)) {
      const [messageId, extra, related] = details(p);
      const { gateway, server, cluster } = p;
      const data = {
        gateway: namespacedName(gateway.namespace, gateway.name),
        cluster: cluster.name,
        selector: labelsText(gateway.selector),
        searched: quoted(p.searched.map((c) => c.name)),
        network: p.network ? `network "${p.network.value}"` : 'no network declared',
        ...extra,
      };
      const at =
        p.kind === 'noWorkload'
          ? fieldPlace(gateway.object, 'spec', 'selector')
          : { file: server.source.file, doc: server.source.doc, path: [...server.source.path, 'port', 'number'] };
      // A gateway installed outside the repository (istioctl, another repository) is common: advisory.
      report({ messageId, data, at, cluster: cluster.name, related, ...(p.kind === 'noWorkload' ? { severity: 'warn' as const } : {}) });
    }
  },
});
