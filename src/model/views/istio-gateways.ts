/**
 * The east-west gateway view of a ClusterSet, for `istio-gateway-workload`: for every cross-network
 * Gateway (a server on port 15443 with `tls.mode: AUTO_PASSTHROUGH`), the gateway workloads its
 * `selector` matches in the clusters of its network, and the Services that expose them.
 *
 * Upstream behaviour mirrored:
 * - istio/istio `pkg/config/analysis/analyzers/gateway/gateway.go` (IngressGatewayPortAnalyzer):
 *   IST0101 ReferencedResourceNotFound ("selector") when no pod carries the Gateway's selector
 *   labels, IST0162 GatewayPortNotDefinedOnService when no TCP port of a Service selecting those
 *   pods (in the pods' namespace) is the server's port. Istio Gateways select gateway pods in every
 *   namespace of their cluster (unless istiod runs with PILOT_SCOPE_GATEWAY_TO_NAMESPACE).
 * - istio/istio `samples/multicluster/gen-eastwest-gateway.sh` (an IstioOperator gateway component
 *   labelled `istio: eastwestgateway`, `topology.istio.io/network`, Service port 15443) and
 *   `manifests/charts/gateway` (pods labelled `app: <name>` and `istio: <name without "istio-">`
 *   plus `labels`, `templates/_helpers.tpl`; with `networkGateway` set its Service exposes 15021,
 *   15443, 15012 and 15017 whatever `service.ports` says, `templates/service.yaml`).
 * - IstioOperator ingress gateways carry `app: istio-ingressgateway`, `istio: ingressgateway` unless
 *   their `label` overrides them (istio `manifests/charts/gateways/istio-ingress/values.yaml`).
 *
 * - istio.io "Install Primary-Remote on different networks": `expose-services.yaml` is applied to the
 *   primary only — "Since cluster2 is installed with a remote profile, exposing services on the
 *   primary cluster will expose them on the east-west gateways of both clusters": a remote has no
 *   istiod, and the istiod that configures its gateway pods reads Gateways from its own config
 *   cluster (the primary, or the remote config cluster of an external control plane, istio.io
 *   "Install Istio with an External Control Plane"). So a cross-network Gateway of a config cluster
 *   selects gateway pods in the remotes it serves (`remoteServices`, `src/model/views/istio-remote.ts`)
 *   as well as in its own network: each remote network needs its gateway workload in those remotes.
 *
 * A gateway installed by a chart mclint does not render (an IstioOperator component, a HelmRelease
 * or Argo CD Application of the gateway chart) counts as present; so does any workload of a cluster
 * whose kustomizations failed to render (mclint cannot know what they deploy). A Kubernetes Gateway
 * API Gateway that istiod deploys (an ambient `istio-east-west` Gateway, an `istio` Gateway with the
 * network label) is a gateway install too, with the pods and Service istiod gives it
 * (`installPodLabels`); it is not a cross-network Istio Gateway and is not checked here: istiod
 * deploys its pods itself.
 */
import { istioView, selects } from '../istio.js';
import { loadProblems } from '../index.js';
import type { ClusterModel, ClusterSetModel, Fact, GatewayFacts, GatewayInstallFacts, GatewayServerFacts, ServiceFacts, WorkloadFacts } from '../types.js';
import { viewKey, viewOf } from './cache.js';
import { EAST_WEST_PORT } from './istio-mesh.js';
import { remoteServices } from './istio-remote.js';

/**
 * A Gateway server that carries cross-network traffic (port 15443, `AUTO_PASSTHROUGH`), checked on
 * one network: the network of the Gateway's own cluster, or the network of remote clusters whose
 * gateways the Gateway configures (`remotes` not empty).
 */
export interface CrossNetworkServer {
  readonly cluster: ClusterModel;
  readonly gateway: GatewayFacts;
  readonly server: GatewayServerFacts;
  /** The network checked (first declared of its clusters), undefined when the Gateway's cluster declares none. */
  readonly network: Fact<string> | undefined;
  /**
   * The clusters searched for gateway workloads: for the Gateway's own network, the mesh's clusters
   * on it (the Gateway's own first); for a remote network, the remotes the Gateway configures on it.
   */
  readonly searched: readonly ClusterModel[];
  /**
   * The remote clusters on `network` whose gateways this Gateway configures (its cluster is their
   * config cluster, `remoteServices`), in set order; empty when `network` is the Gateway's own.
   */
  readonly remotes: readonly ClusterModel[];
}

/** A workload the Gateway's selector matches, with its cluster. */
export interface GatewayWorkload {
  readonly cluster: ClusterModel;
  readonly workload: WorkloadFacts;
}

/**
 * What is wrong with a cross-network Gateway's workload:
 * - `noWorkload`: no pod template nor gateway install in `searched` carries the selector's labels;
 * - `noService`: pods match (`workloads`) but no Service of their namespace selects them;
 * - `portNotOnService`: Services select them (`services`), none exposes port 15443 (`ports`: theirs);
 * - `portNotOnInstall`: only gateway installs match (`installs`), and the ports their Services get
 *   (`service.ports`, `k8s.service.ports`) leave out 15443.
 */
export type GatewayWorkloadProblem =
  | (CrossNetworkServer & { readonly kind: 'noWorkload' })
  | (CrossNetworkServer & { readonly kind: 'noService'; readonly workloads: readonly GatewayWorkload[] })
  | (CrossNetworkServer & {
      readonly kind: 'portNotOnService';
      readonly workloads: readonly GatewayWorkload[];
      readonly services: readonly ServiceFacts[];
      readonly ports: readonly number[];
    })
  | (CrossNetworkServer & { readonly kind: 'portNotOnInstall'; readonly installs: readonly GatewayInstallFacts[] });

/** The label istiod's deployment controller gives the pods of a Gateway API Gateway it deploys. */
const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/** IstioOperator ingress gateway pod labels when the component's `label` does not override them. */
const OPERATOR_GATEWAY_LABELS: Readonly<Record<string, string>> = { app: 'istio-ingressgateway', istio: 'ingressgateway' };

/**
 * The labels the pods of a gateway install carry, or undefined when they are unknown (a gateway
 * chart release whose name is the Helm release name, which the values do not tell). The pods of a
 * Gateway API Gateway istiod deploys carry its labels and `gateway.networking.k8s.io/gateway-name`
 * (istio/istio `pilot/pkg/config/kube/gateway/testdata/deployment/istio-east-west.yaml`), not
 * `istio: eastwestgateway`: an Istio Gateway selecting the sidecar-style gateway does not select them.
 */
export function installPodLabels(g: GatewayInstallFacts): Readonly<Record<string, string>> | undefined {
  if (g.gatewayClass) return g.name === undefined ? undefined : { ...g.labels, [GATEWAY_NAME_LABEL]: g.name };
  if (g.at.origin.startsWith('IstioOperator')) return { ...OPERATOR_GATEWAY_LABELS, ...g.labels };
  if (g.name === undefined) return undefined;
  return { app: g.name, istio: g.name.replace(/^istio-/, ''), ...g.labels };
}

/** True when a gateway install's Service exposes port 15443, or its ports are unknown (not written). */
function installExposes(g: GatewayInstallFacts): boolean {
  // A Gateway API Gateway's Service has exactly 15021 and its listeners' ports.
  if (g.gatewayClass) return g.ports.includes(EAST_WEST_PORT);
  // The gateway chart with `networkGateway` writes its own ports, 15443 among them.
  return g.ports.length === 0 || g.ports.includes(EAST_WEST_PORT) || g.network?.source.origin === 'Helm values networkGateway';
}

const sameNamespace = (a: string | undefined, b: string | undefined) => a === undefined || b === undefined || a === b;

const GATEWAY_WORKLOADS = viewKey<readonly GatewayWorkloadProblem[]>('istio gateway workloads');

/** The cross-network Gateways of `set` whose gateway workload or Service is missing (see `GatewayWorkloadProblem`), cluster by cluster. */
export function gatewayWorkloadProblems(set: ClusterSetModel): readonly GatewayWorkloadProblem[] {
  return viewOf(set, GATEWAY_WORKLOADS, () => build(set));
}

/** The cross-network server of a Gateway (port 15443, `AUTO_PASSTHROUGH`), undefined when it has none or no selector. */
function crossNetworkServer(gateway: GatewayFacts): GatewayServerFacts | undefined {
  if (Object.keys(gateway.selector).length === 0) return undefined;
  return gateway.servers.find((s) => s.port === EAST_WEST_PORT && s.tlsMode === 'AUTO_PASSTHROUGH');
}

/**
 * The remote networks a config cluster's cross-network Gateways configure: the remotes it serves
 * (`remoteServices`: it is one of their `configClusters`), by their first network, leaving out
 * remotes on `own` (searched with the Gateway's own network), remotes with no network declared
 * (nothing tells they are on another network) and networks where a served remote holds a
 * cross-network Gateway of its own (checked at that Gateway, over the same clusters).
 */
function remoteNetworks(set: ClusterSetModel, cluster: ClusterModel, own: Fact<string> | undefined): { network: Fact<string>; remotes: ClusterModel[] }[] {
  const view = istioView(set);
  const byNetwork = new Map<string, { network: Fact<string>; remotes: ClusterModel[] }>();
  for (const [remote, service] of remoteServices(set)) {
    if (!service.configClusters.includes(cluster)) continue;
    const network = view.networksOf.get(remote)?.[0];
    if (!network || network.value === own?.value) continue;
    const entry = byNetwork.get(network.value) ?? { network, remotes: [] };
    entry.remotes.push(remote);
    byNetwork.set(network.value, entry);
  }
  return [...byNetwork.values()].filter((e) => !e.remotes.some((r) => r.istioConfig.gateways.some((g) => crossNetworkServer(g) !== undefined)));
}

function build(set: ClusterSetModel): GatewayWorkloadProblem[] {
  const view = istioView(set);
  const unrendered = new Set<ClusterModel>();
  for (const { cluster } of loadProblems(set, 'render-error')) unrendered.add(cluster);
  const services = new Map<ClusterModel, ServiceFacts[]>();
  const servicesOf = (c: ClusterModel) => {
    let l = services.get(c);
    if (!l) services.set(c, (l = [...c.servicesByName.values()].flat()));
    return l;
  };
  const out: GatewayWorkloadProblem[] = [];
  for (const cluster of set.clusters) {
    const mesh = view.meshOf.get(cluster);
    if (!mesh) continue;
    let remote: { network: Fact<string>; remotes: ClusterModel[] }[] | undefined;
    for (const gateway of cluster.istioConfig.gateways) {
      const server = crossNetworkServer(gateway);
      if (!server) continue;
      const network = view.networksOf.get(cluster)?.[0];
      const searched = [cluster, ...mesh.clusters.filter((c) => c !== cluster && network !== undefined && view.networksOf.get(c)?.[0]?.value === network.value)];
      const own: CrossNetworkServer = { cluster, gateway, server, network, searched, remotes: [] };
      remote ??= remoteNetworks(set, cluster, network);
      for (const base of [own, ...remote.map((r) => ({ cluster, gateway, server, network: r.network, searched: r.remotes, remotes: r.remotes }))]) {
        const problem = check(base, set, unrendered, servicesOf);
        if (problem) out.push(problem);
      }
    }
  }
  return out;
}

/** What is wrong with the gateway workload of `base` on its network (see `GatewayWorkloadProblem`), undefined when nothing is. */
function check(
  base: CrossNetworkServer,
  set: ClusterSetModel,
  unrendered: ReadonlySet<ClusterModel>,
  servicesOf: (c: ClusterModel) => readonly ServiceFacts[],
): GatewayWorkloadProblem | undefined {
  const { gateway, searched } = base;
  if (searched.some((c) => unrendered.has(c))) return undefined;
  const installs = searched
    .flatMap((c) => c.istioConfig.gatewayInstalls)
    .filter((g) => {
      const labels = installPodLabels(g);
      return labels === undefined || selects(gateway.selector, labels);
    });
  if (installs.some(installExposes)) return undefined;
  const workloads = searched.flatMap((c) => c.workloads.filter((w) => selects(gateway.selector, w.labels)).map((workload) => ({ cluster: c, workload })));
  const installLabels = installs.map((g) => ({ cluster: set.clusterByName.get(g.at.cluster), labels: installPodLabels(g)!, namespace: undefined as string | undefined }));
  const pods = [...workloads.map((w) => ({ cluster: w.cluster, labels: w.workload.labels, namespace: w.workload.namespace })), ...installLabels];
  if (pods.length === 0) return { ...base, kind: 'noWorkload' };
  const selecting = new Set<ServiceFacts>();
  for (const p of pods) {
    if (!p.cluster) continue;
    for (const s of servicesOf(p.cluster))
      if (s.selector && Object.keys(s.selector).length > 0 && sameNamespace(s.namespace, p.namespace) && selects(s.selector, p.labels)) selecting.add(s);
  }
  const list = [...selecting];
  if (list.some((s) => s.ports.some((p) => p.port === EAST_WEST_PORT && p.protocol === 'TCP'))) return undefined;
  if (list.length === 0 && workloads.length === 0) return { ...base, kind: 'portNotOnInstall', installs };
  if (list.length === 0) return { ...base, kind: 'noService', workloads };
  return {
    ...base,
    kind: 'portNotOnService',
    workloads,
    services: list,
    ports: [...new Set(list.flatMap((s) => s.ports.flatMap((p) => (p.port === undefined ? [] : [p.port]))))],
  };
}
