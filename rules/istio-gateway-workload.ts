import { defineRule, fieldPlace, gatewayWorkloadProblems, labelsText, namespacedName, serviceNamePlace } from './kit.js';
import type { GatewayWorkloadProblem, RelatedPlace } from './kit.js';

const quoted = (names: Iterable<string>) => [...new Set(names)].map((n) => `"${n}"`).join(', ');

const NO_TRAFFIC = 'so no pod runs this Gateway: the other networks of the mesh send their cross-network mTLS traffic to an address nothing answers, and those requests fail';
const PORT =
  'Istio IST0162 GatewayPortNotDefinedOnService: the gateway pods listen on 15443 but no Service forwards it, so the other networks (which reach this network through the gateway Service address) cannot connect and cross-network requests fail. Add port 15443 (name `tls`) to the Service, as `samples/multicluster/gen-eastwest-gateway.sh` does.';

/** The message id, extra data and related places of a problem. */
function details(p: GatewayWorkloadProblem): [string, Record<string, string>, RelatedPlace[]] {
  switch (p.kind) {
    case 'noWorkload':
      return ['noWorkload', {}, []];
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
 * serve it. The facts come from `src/model/views/istio-gateways.ts`.
 *
 * Upstream: istio/istio `pkg/config/analysis/analyzers/gateway/gateway.go`
 * (IngressGatewayPortAnalyzer: IST0101 ReferencedResourceNotFound for a selector no pod matches,
 * IST0162 GatewayPortNotDefinedOnService for a server port no selecting Service exposes);
 * `samples/multicluster/gen-eastwest-gateway.sh` and `expose-services.yaml` (the east-west gateway
 * and its Gateway); `manifests/charts/gateway` (pod labels and `networkGateway` ports).
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
