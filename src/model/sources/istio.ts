/**
 * Istio facts:
 * - networking.istio.io (v1alpha3, v1beta1, v1) DestinationRule, VirtualService, ServiceEntry,
 *   WorkloadEntry and Gateway, as far as they passed schema validation;
 * - installation settings (istio/istio `manifests/charts/istio-control/istio-discovery` values):
 *   `global.meshID`, `global.multiCluster.clusterName`, `global.network`,
 *   `meshConfig.trustDomain`, from an IstioOperator (`spec.values`, `spec.meshConfig`), the Sail
 *   operator's `Istio` CR (`spec.values`) or Helm values documents;
 * - gateways declared at install time (IstioOperator `components.ingressGateways[]`, the gateway
 *   chart's values with `networkGateway`), which is how east-west gateways are usually installed,
 *   and Kubernetes Gateway API `Gateway`s istiod deploys as a network's gateway (class
 *   `istio-east-west`, the ambient east-west gateway; class `istio` with the network label), see
 *   `gatewayAPIInstall`;
 * - an external istiod's install (`EXTERNAL_ISTIOD=true`) gives no `clusterName` nor `network`:
 *   they are the served cluster's;
 * - WorkloadEntry `locality` as a locality of the cluster's topology.
 */
import type { Path } from '../../base/types.js';
import type { Fact, GatewayInstallFacts, IstioInstallFacts, LocalityLbFacts, RouteDestinationFacts, RouteFacts, Source, SubsetFacts, TrafficPolicyFacts } from '../types.js';
import { factValue, stringRecord } from '../placeholder.js';
import { compact } from '../../base/memory.js';
import { isPlaceholder } from '../../base/placeholder.js';
import type { ExtractContext, FactSource, ValuesContext, ValuesSource } from './types.js';
import { chartProject } from '../values.js';
import { unrendered, type FieldReader } from './facts.js';
import { OPERATOR_ENV, SAIL_ENV, VALUES_ENV, injectionURLPath, isExternalIstiodInstall } from './istio-multicluster.js';

const EMPTY: Readonly<Record<string, string>> = Object.freeze({});

/** The env var an east-west gateway uses to ask for its network's view (istio gen-eastwest-gateway.sh). */
export const REQUESTED_NETWORK_VIEW = 'ISTIO_META_REQUESTED_NETWORK_VIEW';
/** The label Istio reads a pod's, gateway's or namespace's network from. */
export const NETWORK_LABEL = 'topology.istio.io/network';

/** Chart names of Istio gateway installs: `gateway`, and the older `istio-ingressgateway`-style charts. */
const GATEWAY_CHART = /^(?:[a-z0-9-]*-)?gateways?$|ingressgateway$|eastwestgateway$/i;

/** Reads values through either context (objects and values documents share the shape). */
type Reader = Pick<ExtractContext, 'get' | 'source'>;

/**
 * `ctx.get` for one object, made cheap for the common case: when the object passed its schema,
 * `ctx.get([])` returns the whole body (no violation lies anywhere below it), and plain property
 * reads (with the same placeholder rule) give exactly what `ctx.get` would.
 */
class ObjectReader implements Reader {
  private readonly root: unknown;
  constructor(private readonly ctx: ExtractContext) {
    this.root = ctx.get([]);
  }
  get(path: Path): unknown {
    if (this.root === undefined) return this.ctx.get(path);
    let v: unknown = this.root;
    for (let i = 0; i < path.length; i++) {
      if (typeof v !== 'object' || v === null) return undefined;
      v = (v as Record<string | number, unknown>)[path[i]];
    }
    return factValue(v);
  }
  source(path: Path, origin: string): Source {
    return this.ctx.source(path, origin);
  }
}

const str = (ctx: Reader, path: Path): string | undefined => {
  const v = ctx.get(path);
  return typeof v === 'string' && v !== '' ? v : undefined;
};
const fact = (ctx: Reader, path: Path, origin: string): Fact<string> | undefined => {
  const v = str(ctx, path);
  return v === undefined ? undefined : { value: v, source: ctx.source(path, origin) };
};
const list = (ctx: Reader, path: Path): unknown[] => {
  const v = ctx.get(path);
  return Array.isArray(v) ? v : [];
};
function strings(ctx: Reader, path: Path): string[] {
  const v = ctx.get(path);
  if (!Array.isArray(v)) return [];
  const out: string[] = [];
  for (let i = 0; i < v.length; i++) {
    // Elements of a list that passed `get` are usable; only placeholders are left out.
    const e: unknown = v[i];
    if (typeof e === 'string' && e !== '' && !isPlaceholder(e)) out.push(e);
  }
  return compact(out);
}
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string map (labels, selectors) at `path`, undefined when absent; kept as is when every value is a string. */
function labelsAt(r: Reader, path: Path): Readonly<Record<string, string>> | undefined {
  return stringRecord(r.get(path));
}

function localityLb(ctx: Reader, at: Path, origin: string): LocalityLbFacts | undefined {
  const path = [...at, 'loadBalancer', 'localityLbSetting'];
  if (!isObject(ctx.get(path))) return undefined;
  const enabled = ctx.get([...path, 'enabled']);
  return {
    source: ctx.source(path, `${origin} localityLbSetting`),
    enabled: typeof enabled === 'boolean' ? enabled : undefined,
    distribute: list(ctx, [...path, 'distribute']).map((_, i) => {
      const item = [...path, 'distribute', i];
      const to = ctx.get([...item, 'to']);
      return {
        source: ctx.source(item, `${origin} localityLbSetting.distribute[${i}]`),
        from: fact(ctx, [...item, 'from'], `${origin} localityLbSetting.distribute[${i}].from`),
        to: isObject(to)
          ? Object.keys(to).map((locality) => {
              const w = ctx.get([...item, 'to', locality]);
              return { locality, weight: typeof w === 'number' ? w : undefined, source: ctx.source([...item, 'to', locality], `distribute[${i}].to`) };
            })
          : [],
      };
    }),
    failover: list(ctx, [...path, 'failover']).map((_, i) => {
      const item = [...path, 'failover', i];
      return {
        source: ctx.source(item, `${origin} localityLbSetting.failover[${i}]`),
        from: fact(ctx, [...item, 'from'], `failover[${i}].from`),
        to: fact(ctx, [...item, 'to'], `failover[${i}].to`),
      };
    }),
    failoverPriority: list(ctx, [...path, 'failoverPriority']).flatMap((_, i) => fact(ctx, [...path, 'failoverPriority', i], `failoverPriority[${i}]`) ?? []),
  };
}

/** The traffic policy at `at` and its port-level settings, when the policy is set. */
function trafficPolicies(ctx: Reader, at: Path, level: string, out: TrafficPolicyFacts[]): void {
  if (!isObject(ctx.get(at))) return;
  const policy = (path: Path, name: string): TrafficPolicyFacts => ({
    level: name,
    source: ctx.source(path, `DestinationRule ${name} traffic policy`),
    localityLbSetting: localityLb(ctx, path, `${name}`),
    outlierDetection: isObject(ctx.get([...path, 'outlierDetection'])),
  });
  out.push(policy(at, level));
  list(ctx, [...at, 'portLevelSettings']).forEach((_, i) => {
    const path = [...at, 'portLevelSettings', i];
    if (!isObject(ctx.get(path))) return;
    const port = ctx.get([...path, 'port', 'number']);
    const name = `${level === 'top level' ? '' : `${level} `}port ${typeof port === 'number' ? port : `settings [${i}]`}`;
    out.push(policy(path, name));
  });
}

const ORIGINS = {
  route: { destination: 'VirtualService route destination', subset: 'VirtualService route destination subset' },
  mirror: { destination: 'VirtualService mirror destination', subset: 'VirtualService mirror destination subset' },
} as const;

/** The destination at `path` (a `{host, subset, port}` object), with the route weight at `weightPath`. */
function destination(ctx: Reader, path: Path, role: RouteDestinationFacts['role'], weightPath?: Path): RouteDestinationFacts | undefined {
  const d = ctx.get(path);
  if (!isObject(d)) return undefined;
  const host = typeof d.host === 'string' ? str(ctx, [...path, 'host']) : undefined;
  if (host === undefined) return undefined;
  const subset = d.subset === undefined ? undefined : str(ctx, [...path, 'subset']);
  const weight = weightPath && ctx.get(weightPath);
  const source = ctx.source(path, ORIGINS[role].destination);
  return {
    role,
    host,
    subset,
    source,
    subsetSource: subset === undefined ? source : ctx.source([...path, 'subset'], ORIGINS[role].subset),
    weight: typeof weight === 'number' ? weight : undefined,
  };
}

const ROUTE_PROTOCOLS = ['http', 'tcp', 'tls'] as const;

function routes(ctx: Reader): RouteFacts[] {
  const out: RouteFacts[] = [];
  for (const protocol of ROUTE_PROTOCOLS) {
    const items = ctx.get(['spec', protocol]);
    if (!Array.isArray(items)) continue;
    for (let index = 0; index < items.length; index++) {
      const at = ['spec', protocol, index];
      const item = ctx.get(at);
      if (!isObject(item)) continue;
      const destinations: RouteDestinationFacts[] = [];
      const route = Array.isArray(item.route) ? item.route : [];
      for (let j = 0; j < route.length; j++) {
        const d = destination(ctx, ['spec', protocol, index, 'route', j, 'destination'], 'route', ['spec', protocol, index, 'route', j, 'weight']);
        if (d) destinations.push(d);
      }
      if (protocol === 'http') {
        if (item.mirror !== undefined) {
          const mirror = destination(ctx, ['spec', protocol, index, 'mirror'], 'mirror');
          if (mirror) destinations.push(mirror);
        }
        const mirrors = Array.isArray(item.mirrors) ? item.mirrors : [];
        for (let j = 0; j < mirrors.length; j++) {
          const d = destination(ctx, ['spec', protocol, index, 'mirrors', j, 'destination'], 'mirror');
          if (d) destinations.push(d);
        }
      }
      out.push({ protocol, index, source: ctx.source(at, 'VirtualService route'), destinations: compact(destinations) });
    }
  }
  return compact(out);
}

/** `region/zone/subzone` → a locality fact of the cluster (WorkloadEntry `locality`). */
function addWorkloadEntryLocality(ctx: ExtractContext, locality: Fact<string>): void {
  const [region, zone, subzone] = locality.value.split('/');
  if (!region) return;
  ctx.cluster.topology.localities.push({
    value: { region, ...(zone && { zone }), ...(zone && subzone && { subzone }) },
    source: locality.source,
  });
}

/**
 * Install facts from a values tree (`spec.values` of an IstioOperator or Sail Istio, or a values
 * document). `external`: the install is an external istiod (`EXTERNAL_ISTIOD=true`), whose
 * `clusterName` and `network` are those of the cluster it serves (istio.io "Install Istio with an
 * External Control Plane" sets them to the remote config cluster's): not facts of its own cluster.
 */
function installFacts(ctx: Reader, values: Path, meshConfigPaths: readonly Path[], at: Source, origin: string, external = false): IstioInstallFacts | undefined {
  const g = [...values, 'global'];
  const meshID = fact(ctx, [...g, 'meshID'], `${origin} global.meshID`);
  const clusterName = external ? undefined : fact(ctx, [...g, 'multiCluster', 'clusterName'], `${origin} global.multiCluster.clusterName`);
  const network = external ? undefined : fact(ctx, [...g, 'network'], `${origin} global.network`);
  let trustDomain: Fact<string> | undefined;
  for (const p of meshConfigPaths) trustDomain ??= fact(ctx, [...p, 'trustDomain'], `${origin} meshConfig.trustDomain`);
  if (!meshID && !clusterName && !network && !trustDomain) return undefined;
  return { at, ...(meshID && { meshID }), ...(clusterName && { clusterName }), ...(network && { network }), ...(trustDomain && { trustDomain }) };
}

/**
 * Records install settings that decide cross-cluster behaviour and hold an unrendered placeholder:
 * `global.meshID`, `global.multiCluster.clusterName`, `global.network` (the mesh identity; with
 * `identity` true) and `global.remotePilotAddress`, the address of the primary cluster's istiod a
 * remote cluster connects to (istio `manifests/charts/base/values.yaml`, the istiod-remote chart).
 */
function recordUnrendered(ctx: FieldReader, values: Path, origin: string, identity = true): void {
  const g = [...values, 'global'];
  if (identity) {
    unrendered(ctx, [...g, 'meshID'], `${origin} global.meshID`, 'identity');
    unrendered(ctx, [...g, 'multiCluster', 'clusterName'], `${origin} global.multiCluster.clusterName`, 'identity');
    unrendered(ctx, [...g, 'network'], `${origin} global.network`, 'identity');
  }
  unrendered(ctx, [...g, 'remotePilotAddress'], `${origin} global.remotePilotAddress`, 'address');
}

/**
 * Records the sidecar-injection webhook settings of a remote that hold an unrendered placeholder:
 * `istiodRemote.injectionPath` (`/inject/cluster/${CLUSTER}/net/${NETWORK}`), which passes the
 * remote's cluster ID and network to istiod's injector (istio/istio `pkg/kube/inject/webhook.go`,
 * `parseInjectEnvs`), an identity; `istiodRemote.injectionURL`, an identity too unless the
 * placeholder is in its host only (`https://${ISTIOD_ADDR}:15017/inject/cluster/c2/net/n2`: only
 * the address is unknown, `injectionURLPath`).
 */
function recordInjectionUnrendered(ctx: FieldReader, values: Path, origin: string): void {
  const remote = [...values, 'istiodRemote'];
  const url = ctx.placeholder([...remote, 'injectionURL']);
  unrendered(ctx, [...remote, 'injectionURL'], `${origin} istiodRemote.injectionURL`, url !== undefined && injectionURLPath(url) !== undefined ? 'address' : 'identity');
  unrendered(ctx, [...remote, 'injectionPath'], `${origin} istiodRemote.injectionPath`, 'identity');
}

/** A gateway declared at install time: IstioOperator `components.ingressGateways[i]`. */
function operatorGateway(ctx: Reader, path: Path): GatewayInstallFacts | undefined {
  if (!isObject(ctx.get(path)) || ctx.get([...path, 'enabled']) === false) return undefined;
  const labels = labelsAt(ctx, [...path, 'label']) ?? EMPTY;
  const envIndex = list(ctx, [...path, 'k8s', 'env']).findIndex((_, i) => ctx.get([...path, 'k8s', 'env', i, 'name']) === REQUESTED_NETWORK_VIEW);
  const network =
    (envIndex >= 0 ? fact(ctx, [...path, 'k8s', 'env', envIndex, 'value'], `IstioOperator gateway env ${REQUESTED_NETWORK_VIEW}`) : undefined) ??
    (labels[NETWORK_LABEL] ? { value: labels[NETWORK_LABEL], source: ctx.source([...path, 'label', NETWORK_LABEL], `IstioOperator gateway label ${NETWORK_LABEL}`) } : undefined);
  const ports = list(ctx, [...path, 'k8s', 'service', 'ports']).flatMap((_, i) => {
    const p = ctx.get([...path, 'k8s', 'service', 'ports', i, 'port']);
    return typeof p === 'number' ? [p] : [];
  });
  return { at: ctx.source(path, 'IstioOperator components.ingressGateways'), name: str(ctx, [...path, 'name']), labels, network, ports };
}

/** The Kubernetes Gateway API group. */
const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
/** The GatewayClass of ambient east-west gateways (istio/istio `pkg/config/constants`, `EastWestGatewayClassName`). */
export const EAST_WEST_GATEWAY_CLASS = 'istio-east-west';
/** istiod's own GatewayClass for gateways it deploys (`istio`). */
const ISTIO_GATEWAY_CLASS = 'istio';
/** The label overriding the port of a Gateway API multi-network listener (istio `label.NetworkingGatewayPort`). */
const GATEWAY_PORT_LABEL = 'networking.istio.io/gatewayPort';
/** The status port every gateway Service istiod deploys exposes. */
const STATUS_PORT = 15021;
/** The default port of a Gateway API multi-network listener, that of `samples/multicluster/expose-services.yaml`. */
const EAST_WEST_PORT_DEFAULT = 15443;

/**
 * A Kubernetes Gateway API `Gateway` that istiod deploys as a network's gateway, as a gateway
 * install (undefined for other Gateways):
 * - class `istio-east-west` (ambient multi-network, `samples/multicluster/gen-eastwest-gateway.sh
 *   --ambient`; istio.io "Install ambient multi-primary on different networks"): istiod in the
 *   other clusters takes it as the gateway of the network of its `topology.istio.io/network` label
 *   when a listener has protocol `HBONE` and `tls.mode: Terminate` (istio/istio
 *   `pilot/pkg/serviceregistry/kube/controller/ambient/networks.go`,
 *   `remoteK8sGatewayToNetworkGateways`; without the label it is no network gateway);
 * - class `istio` with the network label: a TLS `Passthrough` listener on port 15443 (or the
 *   `networking.istio.io/gatewayPort` label's) becomes an `AUTO_PASSTHROUGH` server
 *   (`pilot/pkg/config/kube/gateway/conversion.go`, `isAutoPassthrough` and `buildTLS`).
 * Its pods carry `gateway.networking.k8s.io/gateway-name: <name>` and its labels, its Service
 * port 15021 and its listeners' ports (`pilot/pkg/config/kube/gateway/testdata/deployment/istio-east-west.yaml`).
 */
function gatewayAPIInstall(r: ObjectReader): GatewayInstallFacts | undefined {
  const className = fact(r, ['spec', 'gatewayClassName'], 'Gateway spec.gatewayClassName');
  const labels = labelsAt(r, ['metadata', 'labels']) ?? EMPTY;
  const networkLabel = labels[NETWORK_LABEL];
  const eastWest = className?.value === EAST_WEST_GATEWAY_CLASS;
  if (!className || (!eastWest && !(className.value === ISTIO_GATEWAY_CLASS && networkLabel))) return undefined;
  const network =
    networkLabel && !isPlaceholder(networkLabel) ? { value: networkLabel, source: r.source(['metadata', 'labels', NETWORK_LABEL], `Gateway label ${NETWORK_LABEL}`) } : undefined;
  const expectedPort = Number(labels[GATEWAY_PORT_LABEL] ?? EAST_WEST_PORT_DEFAULT);
  const ports = [STATUS_PORT];
  let crossNetwork: GatewayInstallFacts['crossNetwork'];
  list(r, ['spec', 'listeners']).forEach((_, i) => {
    const at = ['spec', 'listeners', i];
    const port = r.get([...at, 'port']);
    if (typeof port !== 'number') return;
    ports.push(port);
    if (crossNetwork || !network) return;
    const protocol = str(r, [...at, 'protocol']);
    const mode = str(r, [...at, 'tls', 'mode']);
    const source = r.source(at, `Gateway listeners[${i}]`);
    if (eastWest && protocol === 'HBONE' && mode === 'Terminate') crossNetwork = { mode: 'HBONE', port, source };
    else if (!eastWest && port === expectedPort && mode === 'Passthrough') crossNetwork = { mode: 'AUTO_PASSTHROUGH', port, source };
  });
  return {
    at: r.source([], 'Gateway'),
    name: str(r, ['metadata', 'name']),
    namespace: str(r, ['metadata', 'namespace']),
    labels,
    network,
    ports: compact([...new Set(ports)]),
    gatewayClass: className,
    ...(crossNetwork && { crossNetwork }),
  };
}

/** Reads Istio networking objects, IstioOperator and Sail `Istio` CRs (see the file comment). */
export const istioSource: FactSource = {
  id: 'istio',
  handles: [
    'networking.istio.io/DestinationRule',
    'networking.istio.io/VirtualService',
    'networking.istio.io/ServiceEntry',
    'networking.istio.io/WorkloadEntry',
    'networking.istio.io/Gateway',
    'install.istio.io/IstioOperator',
    'sailoperator.io/Istio',
    `${GATEWAY_API_GROUP}/Gateway`,
  ],
  extract(ctx) {
    const { cluster, object } = ctx;
    const config = cluster.istioConfig;
    const r = new ObjectReader(ctx);
    if (object.kind === 'IstioOperator' || object.kind === 'Istio') {
      const origin = object.kind === 'IstioOperator' ? 'IstioOperator spec.values' : 'Istio spec.values';
      const meshConfig: Path[] =
        object.kind === 'IstioOperator'
          ? [
              ['spec', 'meshConfig'],
              ['spec', 'values', 'meshConfig'],
            ]
          : [['spec', 'values', 'meshConfig']];
      const external = isExternalIstiodInstall(r, object.kind === 'IstioOperator' ? OPERATOR_ENV : SAIL_ENV);
      const facts = installFacts(r, ['spec', 'values'], meshConfig, ctx.source([], object.kind), origin, external);
      if (facts) cluster.istio.push(facts);
      recordUnrendered(ctx, ['spec', 'values'], origin);
      recordInjectionUnrendered(ctx, ['spec', 'values'], origin);
      if (object.kind === 'IstioOperator') {
        list(r, ['spec', 'components', 'ingressGateways']).forEach((_, i) => {
          const g = operatorGateway(r, ['spec', 'components', 'ingressGateways', i]);
          if (g) config.gatewayInstalls.push(g);
        });
      }
      return;
    }
    if (object.group === GATEWAY_API_GROUP) {
      const g = gatewayAPIInstall(r);
      if (g) config.gatewayInstalls.push(g);
      return;
    }
    const name = str(r, ['metadata', 'name']);
    if (name === undefined) return;
    const namespace = str(r, ['metadata', 'namespace']);
    const exportTo = r.get(['spec', 'exportTo']) === undefined ? undefined : strings(r, ['spec', 'exportTo']);
    const clusterName = cluster.name;
    switch (object.kind) {
      case 'DestinationRule': {
        const subsets: SubsetFacts[] = [];
        const policies: TrafficPolicyFacts[] = [];
        if (r.get(['spec', 'trafficPolicy']) !== undefined) trafficPolicies(r, ['spec', 'trafficPolicy'], 'top level', policies);
        const items = r.get(['spec', 'subsets']);
        for (let i = 0; Array.isArray(items) && i < items.length; i++) {
          const item = r.get(['spec', 'subsets', i]);
          if (!isObject(item)) continue;
          const subset = str(r, ['spec', 'subsets', i, 'name']);
          if (subset === undefined) continue;
          const labels = labelsAt(r, ['spec', 'subsets', i, 'labels']);
          const source = ctx.source(['spec', 'subsets', i], 'DestinationRule subset');
          subsets.push({
            name: subset,
            labels: labels ?? EMPTY,
            source,
            labelsSource: labels ? ctx.source(['spec', 'subsets', i, 'labels'], 'DestinationRule subset labels') : source,
          });
          if (item.trafficPolicy !== undefined) trafficPolicies(r, ['spec', 'subsets', i, 'trafficPolicy'], `subset "${subset}"`, policies);
        }
        config.destinationRules.push({
          object,
          cluster: clusterName,
          name,
          namespace,
          host: fact(r, ['spec', 'host'], 'DestinationRule spec.host'),
          exportTo,
          workloadSelector: labelsAt(r, ['spec', 'workloadSelector', 'matchLabels']),
          subsets: compact(subsets),
          trafficPolicies: compact(policies),
        });
        break;
      }
      case 'VirtualService':
        config.virtualServices.push({
          object,
          cluster: clusterName,
          name,
          namespace,
          hosts: strings(r, ['spec', 'hosts']),
          gateways: strings(r, ['spec', 'gateways']),
          gatewayRefs: list(r, ['spec', 'gateways']).flatMap((_, i) => fact(r, ['spec', 'gateways', i], `VirtualService gateways[${i}]`) ?? []),
          exportTo,
          routes: routes(ctx),
        });
        break;
      case 'ServiceEntry':
        config.serviceEntries.push({
          object,
          cluster: clusterName,
          name,
          namespace,
          hosts: strings(r, ['spec', 'hosts']),
          exportTo,
          workloadSelector: labelsAt(r, ['spec', 'workloadSelector', 'labels']),
          endpointLabels: list(r, ['spec', 'endpoints']).map((_, i) => labelsAt(r, ['spec', 'endpoints', i, 'labels']) ?? EMPTY),
          ports: list(r, ['spec', 'ports']).flatMap((_, i) => {
            const n = r.get(['spec', 'ports', i, 'number']);
            if (typeof n !== 'number') return [];
            const protocol = fact(r, ['spec', 'ports', i, 'protocol'], `ServiceEntry ports[${i}].protocol`);
            return [{ number: n, name: str(r, ['spec', 'ports', i, 'name']), protocol, source: ctx.source(['spec', 'ports', i], `ServiceEntry ports[${i}]`) }];
          }),
        });
        break;
      case 'WorkloadEntry': {
        const locality = fact(r, ['spec', 'locality'], 'WorkloadEntry spec.locality');
        if (locality) addWorkloadEntryLocality(ctx, locality);
        const hasLabels = isObject(r.get(['spec', 'labels']));
        config.workloadEntries.push({
          object,
          cluster: clusterName,
          name,
          namespace,
          labels: labelsAt(r, ['spec', 'labels']) ?? EMPTY,
          labelsSource: ctx.source(hasLabels ? ['spec', 'labels'] : ['spec'], 'WorkloadEntry spec.labels'),
          network: fact(r, ['spec', 'network'], 'WorkloadEntry spec.network'),
          locality,
        });
        break;
      }
      case 'Gateway':
        config.gateways.push({
          object,
          cluster: clusterName,
          name,
          namespace,
          selector: labelsAt(r, ['spec', 'selector']) ?? EMPTY,
          servers: list(r, ['spec', 'servers']).flatMap((_, i) => {
            const at = ['spec', 'servers', i];
            if (!isObject(r.get(at))) return [];
            const port = r.get([...at, 'port', 'number']);
            return [
              {
                port: typeof port === 'number' ? port : undefined,
                protocol: str(r, [...at, 'port', 'protocol']),
                tlsMode: str(r, [...at, 'tls', 'mode']),
                tls: isObject(r.get([...at, 'tls'])),
                hosts: strings(r, [...at, 'hosts']),
                source: ctx.source(at, `Gateway servers[${i}]`),
              },
            ];
          }),
        });
        break;
    }
  },
};

/**
 * Helm values of the istiod chart (`global.meshID`, `global.multiCluster.clusterName`,
 * `global.network`, `meshConfig.trustDomain`) and of the gateway chart used for east-west
 * gateways (`networkGateway`, `service.ports`, `labels`, `env`).
 */
export const istioValuesSource: ValuesSource = {
  id: 'istio-values',
  extract(ctx: ValuesContext) {
    if (chartProject(ctx.chart) === 'cilium') return;
    const { cluster } = ctx;
    const g = ctx.get(['global']);
    if (isObject(g) && (typeof g.meshID === 'string' || isObject(g.multiCluster))) {
      const facts = installFacts(ctx, [], [['meshConfig']], ctx.source([], 'Helm values'), 'Helm values', isExternalIstiodInstall(ctx, VALUES_ENV));
      if (facts) cluster.istio.push(facts);
      recordUnrendered(ctx, [], 'Helm values');
    } else if (isObject(g)) recordUnrendered(ctx, [], 'Helm values', false);
    recordInjectionUnrendered(ctx, [], 'Helm values');
    const networkGateway = fact(ctx, ['networkGateway'], 'Helm values networkGateway');
    const env = ctx.get(['env']);
    const viewFact = isObject(env) ? fact(ctx, ['env', REQUESTED_NETWORK_VIEW], `Helm values env.${REQUESTED_NETWORK_VIEW}`) : undefined;
    // A release of Istio's gateway chart is a gateway install even without network settings: its
    // pods exist although mclint does not render the chart (istio `manifests/charts/gateway`).
    if (networkGateway || viewFact || (ctx.chart !== undefined && GATEWAY_CHART.test(ctx.chart))) {
      const ports = list(ctx, ['service', 'ports']).flatMap((_, i) => {
        const p = ctx.get(['service', 'ports', i, 'port']);
        return typeof p === 'number' ? [p] : [];
      });
      const labels = ctx.get(['labels']);
      cluster.istioConfig.gatewayInstalls.push({
        at: ctx.source([], 'Helm values'),
        name: str(ctx, ['name']),
        labels: isObject(labels) ? (Object.fromEntries(Object.entries(labels).filter(([, v]) => typeof v === 'string')) as Record<string, string>) : EMPTY,
        network: networkGateway ?? viewFact,
        ports,
      });
    }
  },
};
