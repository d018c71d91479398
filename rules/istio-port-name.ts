import { defineRule, isIstioControlPlane, istioServices, lacksIstioProtocol, namespacedName, serviceNamePlace, type RelatedPlace } from './kit.js';

const NO_PROTOCOL = 'declares no protocol by name or appProtocol';
const IST0118 =
  'Istio IST0118: "Port name {{portName}} (port: {{number}}, targetPort: {{targetPort}}) doesn\'t follow the naming convention of Istio port." ' +
  'Istio falls back to protocol sniffing, and server-first protocols (MySQL, SMTP...) hang across clusters. ' +
  'Name it <protocol>[-<suffix>] (http, http2, https, grpc, grpc-web, tcp, tls, udp, mongo, mysql, redis) or set appProtocol.';
const IST0150 =
  'Istio IST0150: "Port name for ExternalName service is invalid. Proxy may prevent tcp named ports and unmatched traffic for ports serving TCP protocol from being forwarded correctly." ' +
  'Name the port after its protocol (http-…, tls-…) or set appProtocol.';

/**
 * `istio-port-name`: ports of mesh Services that are shared across clusters (present in several
 * clusters, exported with a ServiceExport, or the host of an Istio route or DestinationRule) declare
 * their protocol by `appProtocol` or a `<protocol>[-<suffix>]` name. Istio's control-plane and
 * managed gateway Services are skipped.
 *
 * Upstream: istio/istio `pkg/config/analysis/analyzers/service/portname.go` (IST0118
 * PortNameIsNotUnderNamingConvention, IST0150 ExternalNameServiceTypeInvalidPortName) and
 * `pkg/config/kube/conversion.go` (ConvertProtocol, mirrored by `istioProtocol` of
 * `src/model/views/istio-services.ts`).
 */
export default defineRule({
  meta: {
    id: 'istio-port-name',
    description: 'Ports of Istio mesh Services shared across clusters must declare their protocol (name prefix or appProtocol)',
    severity: 'warn',
    docs: 'docs/rules/istio-port-name.md',
    messages: {
      inMesh: { text: `Port {{port}} of Service "{{service}}", in {{clusters}} clusters of the mesh, ${NO_PROTOCOL}.`, hint: IST0118 },
      exported: { text: `Port {{port}} of Service "{{service}}", exported with a ServiceExport, ${NO_PROTOCOL}.`, hint: IST0118 },
      routed: { text: `Port {{port}} of Service "{{service}}", routed by Istio VirtualServices/DestinationRules, ${NO_PROTOCOL}.`, hint: IST0118 },
      externalName: { text: 'Port {{port}} of ExternalName Service "{{service}}" {{problem}}.', hint: IST0150 },
    },
  },
  check({ set, run, report }) {
    const view = istioServices(set, run);
    for (const c of view.istio.clusters) {
      for (const [name, list] of c.servicesByName) {
        for (const s of list) {
          // Nearly every Service declares its protocols: decided before anything is counted.
          if (s.ports.every((p) => !lacksIstioProtocol(s, p)) || isIstioControlPlane(s)) continue;
          const clusters = view.meshClustersNamed(name);
          const why = clusters > 1 ? 'inMesh' : view.isExported(c, s) ? 'exported' : view.routedServices.has(`${s.namespace ?? ''}/${s.name}`) ? 'routed' : undefined;
          if (!why) continue;
          const service = namespacedName(s.namespace, s.name);
          // The same Service in another cluster of the mesh, when that is why it matters.
          const other = clusters > 1 ? view.inOtherMeshCluster(s) : undefined;
          const related: RelatedPlace[] = other ? [{ ...serviceNamePlace(other), cluster: other.cluster, message: `Service "${service}" in cluster "${other.cluster}"` }] : [];
          const external = s.type.value === 'ExternalName';
          for (const p of s.ports) {
            if (!lacksIstioProtocol(s, p)) continue;
            const data = {
              service,
              port: p.name ?? '(unnamed)',
              portName: p.name ?? '""',
              number: p.port ?? '?',
              targetPort: p.targetPort === undefined ? '0' : String(p.targetPort),
              clusters,
              ...(external ? { problem: p.name === 'tcp' ? 'is named "tcp"' : NO_PROTOCOL } : {}),
            };
            const at = p.name !== undefined ? { ...p.source, path: [...p.source.path, 'name'] } : p.source;
            report({ messageId: external ? 'externalName' : why, data, at, cluster: c.name, related });
          }
        }
      }
    }
  },
});
