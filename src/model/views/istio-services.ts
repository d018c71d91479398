/**
 * The Istio Service view of a ClusterSet, for the rules about Services that an Istio mesh shares
 * across clusters (`istio-service-consistency`, `istio-port-name`): the protocol Istio derives
 * for a port, the Services of one `namespace/name` in several clusters of a mesh, the Services
 * Istio routes name, and how many mesh clusters hold a Service of a name.
 *
 * Built lazily, part by part, once per ClusterSet and run (see `istioServices`).
 */
import { istioView, normalizeHost, serviceOfHost, type IstioView } from '../istio.js';
import { serviceKey } from '../index.js';
import { exportedFromSeveral } from '../mcs.js';
import type { ClusterModel, ClusterSetModel, RunModel, ServiceFacts, ServicePortFacts } from '../types.js';
import { viewKey, viewOf } from './cache.js';

/** Protocols Istio recognises in a port name prefix or appProtocol (istio/istio `pkg/config/protocol` Parse). */
const PROTOCOLS = new Set(['http', 'http2', 'https', 'http_proxy', 'grpc', 'grpc-web', 'tcp', 'tls', 'udp', 'mongo', 'mysql', 'redis']);
/** Ports Istio treats as TCP without a protocol (SMTP, DNS, MySQL, MongoDB): `wellKnownPorts`. */
const WELL_KNOWN_PORTS = new Set([25, 53, 3306, 27017]);
/** The label marking gateway Services Istio creates itself. */
const MANAGED_GATEWAY_LABEL = 'gateway.istio.io/managed';

/**
 * The protocol Istio derives for a Service port, as istio/istio `pkg/config/kube` ConvertProtocol
 * does: UDP from `protocol`; else `appProtocol`, else the port name, up to its first `-`
 * (`grpc-web` as a whole); unknown names on well-known ports are TCP.
 * @returns the protocol (lower case), or undefined when Istio falls back to protocol sniffing
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

/**
 * True when Istio sees no usable protocol for port `p` of `s`: no protocol at all (IST0118), or,
 * for an ExternalName Service, also a port named `tcp` (IST0150) — istio/istio
 * `pkg/config/analysis/analyzers/service/portname.go`.
 */
export function lacksIstioProtocol(s: ServiceFacts, p: ServicePortFacts): boolean {
  return istioProtocol(p) === undefined || (s.type.value === 'ExternalName' && p.name === 'tcp');
}

/**
 * Istio's control-plane and managed gateway Services, which the port-name analyzer skips
 * (istio/istio `pkg/config/analysis/analyzers/util` IsIstioControlPlane: label `istio`, or
 * `release: istio`; plus `gateway.istio.io/managed`).
 */
export function isIstioControlPlane(s: ServiceFacts): boolean {
  return s.labels.istio !== undefined || s.labels.release === 'istio' || s.labels[MANAGED_GATEWAY_LABEL] !== undefined;
}

/** One cluster's Services of a `namespace/name` (tutorial repositories may hold alternative versions). */
export interface ClusterServices {
  readonly cluster: ClusterModel;
  readonly services: readonly ServiceFacts[];
}

/** A `namespace/name` with Services in two or more clusters of one mesh. */
export interface MeshService {
  /** `namespace/name` (see `serviceKey`). */
  readonly key: string;
  /** The clusters of the mesh holding it, in cluster name order, each with its Services in file order. */
  readonly clusters: readonly ClusterServices[];
  /** Exported from several clusters (`exportedFromSeveral`): the MCS rules report its ports and headless mode. */
  readonly mcsCovers: boolean;
}

/** The Istio Service view of a set for one run (see `istioServices`). */
export interface IstioServicesView {
  readonly istio: IstioView;
  /**
   * Every `namespace/name` held by two or more clusters of one mesh (meshes of two or more
   * clusters), mesh by mesh in `istio.meshes` order, keys in `set.servicesByKey` order.
   */
  readonly meshServices: readonly MeshService[];
  /**
   * Services named by Istio DestinationRule hosts and VirtualService hosts and route destinations
   * in any cluster of the set, as `namespace/name`; a short host in a resource whose namespace is
   * chosen at apply time as `/name`.
   */
  readonly routedServices: ReadonlySet<string>;
  /** How many clusters of any mesh hold a Service called `name` (any namespace). */
  meshClustersNamed(name: string): number;
  /**
   * True when cluster `c` has a ServiceExport for Service `s` (same `namespace/name`; by name alone
   * when the Service's namespace is chosen at apply time).
   */
  isExported(c: ClusterModel, s: ServiceFacts): boolean;
  /** The first Service of `s`'s `namespace/name` in another cluster of any mesh, in cluster name order. */
  inOtherMeshCluster(s: ServiceFacts): ServiceFacts | undefined;
}

const ISTIO_SERVICES = viewKey<IstioServicesView>('istio services');

/**
 * The Istio Service view of `set` in `run` (cluster domain and config networks from `run.config`),
 * built once per set and run; each part is built on first use.
 */
export function istioServices(set: ClusterSetModel, run: RunModel): IstioServicesView {
  return viewOf(set, ISTIO_SERVICES, () => new ServicesView(set, run.config.clusterDomain, istioView(set)));
}

class ServicesView implements IstioServicesView {
  #meshServices: MeshService[] | undefined;
  #routed: Set<string> | undefined;
  readonly #clustersNamed = new Map<string, number>();
  readonly #exported = new Map<ClusterModel, Set<string>>();

  constructor(
    readonly set: ClusterSetModel,
    readonly domain: string,
    readonly istio: IstioView,
  ) {}

  get meshServices(): readonly MeshService[] {
    if (this.#meshServices) return this.#meshServices;
    const out: MeshService[] = [];
    const { set } = this;
    for (const mesh of this.istio.meshes) {
      if (mesh.clusters.length < 2) continue;
      const inMesh = new Set(mesh.clusters);
      for (const [key, list] of set.servicesByKey) {
        if (list.length < 2) continue;
        // A key's Services come in cluster order: a cluster's are consecutive.
        const clusters: { cluster: ClusterModel; services: ServiceFacts[] }[] = [];
        for (const s of list) {
          const c = set.clusterByName.get(s.cluster)!;
          if (!inMesh.has(c)) continue;
          const last = clusters[clusters.length - 1];
          if (last && last.cluster === c) last.services.push(s);
          else clusters.push({ cluster: c, services: [s] });
        }
        if (clusters.length > 1) out.push({ key, clusters, mcsCovers: exportedFromSeveral(set, key) });
      }
    }
    return (this.#meshServices = out);
  }

  get routedServices(): ReadonlySet<string> {
    if (this.#routed) return this.#routed;
    const keys = new Set<string>();
    const addHost = (host: string, ns: string | undefined) => {
      const normalized = normalizeHost(host, ns, this.domain);
      const svc = serviceOfHost(normalized, this.domain);
      if (svc) keys.add(`${svc.namespace}/${svc.name}`);
      // A short name in a resource whose namespace is chosen at apply time.
      else if (!normalized.includes('.') && !normalized.includes('*')) keys.add(`/${normalized}`);
    };
    for (const c of this.istio.clusters) {
      for (const dr of c.istioConfig.destinationRules) if (dr.host) addHost(dr.host.value, dr.namespace);
      for (const vs of c.istioConfig.virtualServices) {
        for (const h of vs.hosts) addHost(h, vs.namespace);
        for (const r of vs.routes) for (const d of r.destinations) addHost(d.host, vs.namespace);
      }
    }
    return (this.#routed = keys);
  }

  meshClustersNamed(name: string): number {
    let n = this.#clustersNamed.get(name);
    if (n === undefined) {
      const clusters = new Set<string>();
      for (const s of this.set.servicesByName.get(name) ?? []) if (this.istio.meshOf.has(this.set.clusterByName.get(s.cluster)!)) clusters.add(s.cluster);
      this.#clustersNamed.set(name, (n = clusters.size));
    }
    return n;
  }

  isExported(c: ClusterModel, s: ServiceFacts): boolean {
    let keys = this.#exported.get(c);
    if (!keys) this.#exported.set(c, (keys = new Set(c.serviceExports.map((e) => `${e.namespace ?? ''}/${e.name}`))));
    return keys.has(`${s.namespace ?? ''}/${s.name}`) || (s.namespace === undefined && c.serviceExports.some((e) => e.name === s.name));
  }

  inOtherMeshCluster(s: ServiceFacts): ServiceFacts | undefined {
    const { set } = this;
    return (set.servicesByKey.get(serviceKey(s.namespace, s.name)) ?? []).find((o) => o.cluster !== s.cluster && this.istio.meshOf.has(set.clusterByName.get(o.cluster)!));
  }
}
