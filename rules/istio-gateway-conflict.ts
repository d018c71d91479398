import { defineRule, istioConflicts, namespacedName, type GatewayConflict } from './kit.js';

const label = (c: Pick<GatewayConflict, 'gateway'>) => `Gateway "${namespacedName(c.gateway.namespace, c.gateway.name)}"`;

/**
 * `istio-gateway-conflict`: two Istio Gateways of one cluster with the same `selector` that both
 * have a server on the same port with overlapping hosts (istioctl IST0145 ConflictingGateways).
 * Reported at each conflicting server's `port.number`, with the other Gateways' servers as
 * related places. The grouping is the model's view (`src/model/views/istio-conflicts.ts`).
 *
 * Upstream: istio/istio `pkg/config/analysis/analyzers/gateway/conflictinggateway.go`
 * (`ConflictingGatewayAnalyzer.analyzeGateway`, `isGWsHostMatched` with `host.Name.Matches`),
 * message IST0145 "Conflict with gateways … (workload selector …, port …, hosts …)"; istiod
 * merges the servers of every Gateway selecting one workload into one listener per port and keeps
 * one server per host (istio docs "Gateway" reference, IST0145 page).
 */
export default defineRule({
  meta: {
    id: 'istio-gateway-conflict',
    description: 'Istio Gateways in one cluster with the same selector and a server on the same port with overlapping hosts (IST0145)',
    severity: 'error',
    docs: 'docs/rules/istio-gateway-conflict.md',
    messages: {
      conflict: {
        text: '{{gateway}} in cluster "{{cluster}}" serves hosts {{hosts}} on port {{port}} for selector {{selector}}, which {{others}} also serve{{s}}.',
        hint: "istiod merges the servers of every Gateway that selects the same gateway pods into one listener per port and keeps only one server per host, so the other Gateway's TLS settings and routes for those hosts are dropped (istioctl IST0145). Give each Gateway distinct hosts or ports, or merge them into one Gateway.",
      },
    },
  },
  check({ set, report }) {
    for (const c of istioConflicts(set).gateways) {
      const others = [...new Set(c.others.map(label))];
      report({
        messageId: 'conflict',
        data: {
          gateway: label(c),
          cluster: c.cluster.name,
          hosts: c.server.hosts.map((h) => JSON.stringify(h)).join(', '),
          port: c.port,
          selector: c.selector === '' ? '(empty)' : c.selector,
          others: others.join(', '),
          s: others.length === 1 ? 's' : '',
        },
        at: c.at,
        cluster: c.cluster.name,
        related: c.others.map((o) => ({ ...o.at, cluster: c.cluster.name, message: `${label(o)} port ${c.port}, hosts ${o.server.hosts.join(', ')}` })),
      });
    }
  },
});
