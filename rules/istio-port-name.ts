import { configNetworks, defineRule, istioView, normalizeHost, serviceKey, serviceNamePlace, serviceOfHost, type ServiceFacts, type ServicePortFacts } from './kit.js';

/** Protocols Istio recognises in a port name prefix or appProtocol (istio/istio `pkg/config/protocol` Parse). */
const PROTOCOLS = new Set(['http', 'http2', 'https', 'http_proxy', 'grpc', 'grpc-web', 'tcp', 'tls', 'udp', 'mongo', 'mysql', 'redis']);
/** Ports Istio treats as TCP without a protocol (SMTP, DNS, MySQL, MongoDB): `wellKnownPorts`. */
const WELL_KNOWN_PORTS = new Set([25, 53, 3306, 27017]);
/** Label values marking gateway Services Istio creates itself (`gateway.istio.io/managed`). */
const MANAGED_GATEWAY_LABEL = 'gateway.istio.io/managed';

/**
 * The protocol Istio derives for a Service port, as istio/istio `pkg/config/kube` ConvertProtocol
 * does: UDP from `protocol`; else `appProtocol`, else the port name, up to its first `-`
 * (`grpc-web` as a whole); unknown names on well-known ports are TCP.
 * @returns the protocol, or undefined when Istio falls back to protocol sniffing
 */
export function istioProtocol(p: ServicePortFacts): string | undefined {
  if (p.protocol === 'UDP') return 'udp';
  let name = (p.appProtocol ?? p.name ?? '').toLowerCase();
  if (name === 'kubernetes.io/h2c') return 'http2';
  if (name === 'kubernetes.io/ws' || name === 'kubernetes.io/wss') return 'http';
  if (name.startsWith('grpc-web')) return 'grpc-web';
  const dash = name.indexOf('-');
  if (dash >= 0) name = name.slice(0, dash);
  if (PROTOCOLS.has(name)) return name;
  return p.port !== undefined && WELL_KNOWN_PORTS.has(p.port) ? 'tcp' : undefined;
}

/** Istio's control-plane Services (util.IsIstioControlPlane: label `istio`, or `release: istio`). */
const isControlPlane = (s: ServiceFacts) => s.labels.istio !== undefined || s.labels.release === 'istio' || s.labels[MANAGED_GATEWAY_LABEL] !== undefined;

/**
 * `istio-port-name`: ports of mesh Services that are shared across clusters (present in several
 * clusters, exported with a ServiceExport, or the host of an Istio route or DestinationRule) declare
 * their protocol by `appProtocol` or a `<protocol>[-<suffix>]` name.
 *
 * Upstream: istio/istio `pkg/config/analysis/analyzers/service/portname.go` (IST0118
 * PortNameIsNotUnderNamingConvention, IST0150 ExternalNameServiceTypeInvalidPortName) and
 * `pkg/config/kube/conversion.go` (ConvertProtocol).
 */
export default defineRule({
  meta: {
    id: 'istio-port-name',
    description: 'Ports of Istio mesh Services shared across clusters must declare their protocol (name prefix or appProtocol)',
    severity: 'warn',
    docs: 'docs/rules/istio-port-name.md',
  },
  check({ set, run, report }) {
    const domain = run.config.clusterDomain;
    const view = istioView(set, configNetworks(run.config));
    if (view.clusters.length === 0) return;
    // Services named by Istio routes and DestinationRules anywhere in the set (`namespace/name`);
    // built only when a Service with an undeclared protocol needs it.
    let routedKeys: Set<string> | undefined;
    const routed = () => {
      if (routedKeys) return routedKeys;
      const keys = new Set<string>();
      const addHost = (host: string, ns: string | undefined) => {
        const normalized = normalizeHost(host, ns, domain);
        const svc = serviceOfHost(normalized, domain);
        if (svc) keys.add(`${svc.namespace}/${svc.name}`);
        // A short name in a resource whose namespace is chosen at apply time.
        else if (!normalized.includes('.') && !normalized.includes('*')) keys.add(`/${normalized}`);
      };
      for (const c of view.clusters) {
        for (const dr of c.istioConfig.destinationRules) if (dr.host) addHost(dr.host.value, dr.namespace);
        for (const vs of c.istioConfig.virtualServices) {
          for (const h of vs.hosts) addHost(h, vs.namespace);
          for (const r of vs.routes) for (const d of r.destinations) addHost(d.host, vs.namespace);
        }
      }
      return (routedKeys = keys);
    };
    // Number of mesh clusters holding a Service of each name; counted for the names that need it.
    const clustersByName = new Map<string, number>();
    const meshClustersNamed = (name: string) => {
      let n = clustersByName.get(name);
      if (n === undefined) {
        const clusters = new Set<string>();
        for (const s of set.servicesByName.get(name) ?? []) if (view.meshOf.has(set.clusterByName.get(s.cluster)!)) clusters.add(s.cluster);
        clustersByName.set(name, (n = clusters.size));
      }
      return n;
    };
    for (const c of view.clusters) {
      let exportedKeys: Set<string> | undefined;
      for (const [name, list] of c.servicesByName) {
        for (const s of list) {
          // Nearly every Service declares its protocols: decided before anything is counted.
          if (s.ports.every((p) => istioProtocol(p) !== undefined && !(s.type.value === 'ExternalName' && p.name === 'tcp')) || isControlPlane(s)) continue;
          const inClusters = meshClustersNamed(name);
          const exported = (exportedKeys ??= new Set(c.serviceExports.map((e) => `${e.namespace ?? ''}/${e.name}`)));
          const key = `${s.namespace ?? ''}/${s.name}`;
          const why =
            inClusters > 1
              ? `is in ${inClusters} clusters of the mesh`
              : exported.has(key) || (s.namespace === undefined && c.serviceExports.some((e) => e.name === s.name))
                ? 'is exported with a ServiceExport'
                : routed().has(key)
                  ? 'is routed by Istio VirtualServices/DestinationRules'
                  : undefined;
          if (!why) continue;
          const external = s.type.value === 'ExternalName';
          for (const p of s.ports) {
            const protocol = istioProtocol(p);
            if (protocol !== undefined && !(external && p.name === 'tcp')) continue;
            const at = p.name !== undefined ? { ...p.source, path: [...p.source.path, 'name'] } : p.source;
            const target = p.targetPort === undefined ? '0' : String(p.targetPort);
            const label = `Service "${key.startsWith('/') ? s.name : key}"`;
            report({
              message: external
                ? `${label} (ExternalName) port ${p.name ?? '(unnamed)'}: Port name for ExternalName service is invalid. Proxy may prevent tcp named ports and unmatched traffic for ports serving TCP protocol from being forwarded correctly (Istio IST0150). ` +
                  `Name the port after its protocol (http-…, tls-…) or set appProtocol.`
                : `${label} port ${p.name ?? '(unnamed)'} ${why}: Port name ${p.name ?? '""'} (port: ${p.port ?? '?'}, targetPort: ${target}) doesn't follow the naming convention of Istio port (IST0118). ` +
                  `Istio falls back to protocol sniffing, and server-first protocols (MySQL, SMTP...) hang across clusters. ` +
                  `Name it <protocol>[-<suffix>] (http, http2, https, grpc, grpc-web, tcp, tls, udp, mongo, mysql, redis) or set appProtocol.`,
              at,
              cluster: c.name,
              // The same Service in another cluster of the mesh, when that is why it matters.
              related:
                inClusters > 1
                  ? (set.servicesByKey.get(serviceKey(s.namespace, s.name)) ?? [])
                      .filter((o) => o.cluster !== c.name && view.meshOf.has(set.clusterByName.get(o.cluster)!))
                      .slice(0, 1)
                      .map((o) => ({ ...serviceNamePlace(o), cluster: o.cluster, message: `Service "${key.startsWith('/') ? o.name : key}" in cluster "${o.cluster}"` }))
                  : [],
            });
          }
        }
      }
    }
  },
});
