import { defineRule, fieldPlace, gatewayHostMismatches, namespacedName } from './kit.js';

const quoted = (hosts: readonly string[]) => hosts.map((h) => JSON.stringify(h)).join(', ');

/**
 * `istio-gateway-host`: a VirtualService bound (`gateways`) to a Gateway of its cluster whose
 * servers accept none of the VirtualService's `hosts` (istioctl IST0132
 * VirtualServiceHostNotFoundInGateway). Reported at the `gateways` entry, with the Gateway's
 * `metadata.name` related. Host matching (namespace parts, wildcards) is the model's view
 * (`src/model/views/istio-gateway-hosts.ts`).
 *
 * Upstream: istio/istio `pkg/config/analysis/analyzers/virtualservice/gateways.go`
 * (`GatewayAnalyzer`, `vsHostInGateway`), message IST0132 "one or more host … defined in
 * VirtualService … not found in Gateway …"; the gateway builds its routes per server host, so a
 * VirtualService whose hosts no server accepts adds no route to that gateway.
 */
export default defineRule({
  meta: {
    id: 'istio-gateway-host',
    description: 'A VirtualService bound to a Gateway whose servers accept none of its hosts (IST0132)',
    severity: 'warn',
    docs: 'docs/rules/istio-gateway-host.md',
    messages: {
      notInGateway: {
        text: '{{virtualService}} in cluster "{{cluster}}" is bound to {{gateway}}, whose servers accept none of its hosts {{hosts}}.',
        hint: 'The gateway serves only the hosts its servers list ({{gatewayHosts}}), so these routes are never used at that gateway (istioctl IST0132 VirtualServiceHostNotFoundInGateway). Add the host to a server of the Gateway, or bind the VirtualService to the Gateway that serves it.',
      },
    },
  },
  check({ set, report }) {
    for (const m of gatewayHostMismatches(set)) {
      const gateway = `Gateway "${namespacedName(m.gateway.namespace, m.gateway.name)}"`;
      report({
        messageId: 'notInGateway',
        data: {
          virtualService: `VirtualService "${namespacedName(m.virtualService.namespace, m.virtualService.name)}"`,
          cluster: m.cluster.name,
          gateway,
          hosts: quoted(m.virtualService.hosts),
          gatewayHosts: m.gatewayHosts.length > 0 ? quoted(m.gatewayHosts) : 'none for this namespace',
        },
        at: m.ref.source,
        cluster: m.cluster.name,
        related: [{ ...fieldPlace(m.gateway.object, 'metadata', 'name'), cluster: m.cluster.name, message: `${gateway} in cluster "${m.cluster.name}"` }],
      });
    }
  },
});
