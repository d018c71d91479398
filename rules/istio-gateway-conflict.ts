import { defineRule, istioConflicts, namespacedName, type GatewayConflict } from './kit.js';

const label = (c: Pick<GatewayConflict, 'gateway'>) => `Gateway "${namespacedName(c.gateway.namespace, c.gateway.name)}"`;

/**
 * `istio-gateway-conflict`: two Istio Gateways of one cluster with the same `selector` that both
 * have a server on the same port with overlapping hosts (istioctl IST0145 ConflictingGateways).
 * Reported at each conflicting server's `port.number`, with the other Gateways' servers as
 * related places. The grouping is the model's view (`src/model/views/istio-conflicts.ts`).
 *
 * What happens then decides the wording and the severity. Plain-HTTP servers (HTTP, HTTP2, GRPC…
 * without a `tls` block repeating a host) are merged by istiod into one route configuration per
 * port, every bound VirtualService's routes kept: `mergedHttp`, a warning (istioctl still says
 * IST0145). Otherwise (TLS or HTTPS servers, other protocols, a protocol left to apply time) a
 * server can be skipped or shadowed: `conflict`, an error as IST0145 is.
 *
 * Upstream: istio/istio `pkg/config/analysis/analyzers/gateway/conflictinggateway.go`
 * (`ConflictingGatewayAnalyzer.analyzeGateway`, `isGWsHostMatched` with `host.Name.Matches`:
 * selector, port number and hosts only), message IST0145 "Conflict with gateways … (workload
 * selector …, port …, hosts …)" (`diag.Error`); `pilot/pkg/model/gateway.go` (`mergeGateways`,
 * `canMergeProtocols`, `CheckDuplicates`: "skipping server on gateway …, duplicate host names")
 * and `pilot/pkg/networking/core/gateway.go` (`buildGatewayHTTPRouteConfig`: the routes of each
 * Gateway's VirtualServices appended to one virtual host per host).
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
        hint: "istiod merges the servers of every Gateway that selects the same gateway pods into one listener per port, but only plain-HTTP servers share a route table: a TLS server repeating a host of an earlier Gateway's is skipped (its certificate and routes are lost), a wildcard leaves the more specific host to the other Gateway's TLS settings and routes, and a server whose protocol cannot share the port is skipped (istioctl IST0145). Give each Gateway distinct hosts or ports, or merge them into one Gateway.",
      },
      mergedHttp: {
        text: '{{gateway}} in cluster "{{cluster}}" serves hosts {{hosts}} on plain-HTTP port {{port}}, which {{others}} also serve{{s}} (istioctl IST0145).',
        hint: 'These Gateways all select {{selector}}. istioctl analyze reports IST0145, but istiod builds one route table for plain-HTTP port {{port}} and adds the routes of the VirtualServices bound to each Gateway to the same virtual hosts: nothing is dropped. Where routes of more than one match a request, only the first applies. Give the Gateways distinct hosts if their routes must not mix, or merge them into one Gateway to silence istioctl.',
      },
    },
  },
  check({ set, report }) {
    for (const c of istioConflicts(set).gateways) {
      const others = [...new Set(c.others.map(label))];
      report({
        messageId: c.merged ? 'mergedHttp' : 'conflict',
        ...(c.merged && { severity: 'warn' as const }),
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
