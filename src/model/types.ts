/**
 * The model: ClusterSets → clusters → facts, each fact with its provenance, plus indexes.
 * Rules read only this; it is the one place that knows where a value came from.
 */
import type { LoadedFile, ManifestObject } from '../load/types.js';
import type { Place } from '../base/types.js';
import type { FileConfig } from '../config/index.js';
import type { Cidr } from '../base/cidr.js';
import type { CertificateInfo } from '../base/x509.js';
import type { Corefile } from './corefile.js';

/** Where a fact came from: the field's place, its cluster, and the object holding it (if any). */
export interface Source extends Place {
  readonly cluster: string;
  readonly object?: ManifestObject;
  /** Human description of the origin, e.g. `Submariner spec.clusterCIDR`, `config podCIDRs`. */
  readonly origin: string;
}

/**
 * A value and where it came from. `isDefault` marks values a tool applies when the field is
 * absent (then `source` points at the object that would carry the field).
 */
export interface Fact<T> {
  readonly value: T;
  readonly source: Source;
  readonly isDefault?: boolean;
}

/**
 * One entry of a Service's `spec.ports`, as far as it passed schema validation.
 * `protocol` defaults to TCP (marked in `protocolIsDefault`); `source` points at the list item.
 */
export interface ServicePortFacts {
  readonly index: number;
  readonly name: string | undefined;
  readonly port: number | undefined;
  readonly protocol: string;
  readonly protocolIsDefault: boolean;
  readonly appProtocol: string | undefined;
  readonly targetPort: number | string | undefined;
  /** The `spec.ports[i]` item. */
  readonly source: Source;
}

/**
 * A Service as the cross-cluster rules see it. `type` defaults to ClusterIP when absent;
 * `headless` is `spec.clusterIP: None`. Label and annotation maps are empty when absent.
 */
export interface ServiceFacts {
  readonly object: ManifestObject;
  readonly cluster: string;
  readonly name: string;
  /** undefined when the manifest leaves the namespace to apply time. */
  readonly namespace: string | undefined;
  readonly type: Fact<string>;
  /** `spec.clusterIP` when written (e.g. `None`). */
  readonly clusterIP: Fact<string> | undefined;
  readonly headless: boolean;
  readonly ports: readonly ServicePortFacts[];
  /** `spec.selector`, undefined when absent (a Service without selector). */
  readonly selector: Readonly<Record<string, string>> | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** `spec.sessionAffinity` when written (`None` or `ClientIP`); absent means `None`. */
  readonly sessionAffinity?: Fact<string>;
  /**
   * `spec.sessionAffinityConfig.clientIP.timeoutSeconds` when written (seconds); with
   * `ClientIP` affinity and no value the API server applies 10800.
   */
  readonly sessionAffinityTimeout?: Fact<number>;
  /** `spec.internalTrafficPolicy` when written; absent means `Cluster`. */
  readonly internalTrafficPolicy?: Fact<string>;
  /** `spec.trafficDistribution` when written (e.g. `PreferClose`). */
  readonly trafficDistribution?: Fact<string>;
  /** `spec.ipFamilies` when written (`IPv4`, `IPv6`); absent: the API server decides. */
  readonly ipFamilies?: Fact<readonly string[]>;
  /** `spec.ipFamilyPolicy` when written (`SingleStack`, `PreferDualStack`, `RequireDualStack`). */
  readonly ipFamilyPolicy?: Fact<string>;
}

/** A Namespace object: its labels and annotations (empty maps when absent). */
export interface NamespaceFacts {
  readonly object: ManifestObject;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Its `topology.istio.io/network` label as a fact (Istio reads it on `istio-system`). */
  readonly network?: Fact<string>;
}

/**
 * A failure domain a cluster has workloads in, Kubernetes' `topology.kubernetes.io/region` and
 * `zone` (Istio's `region/zone/subzone` locality; subzone from `topology.istio.io/subzone`).
 */
export interface Locality {
  readonly region: string;
  readonly zone?: string;
  readonly subzone?: string;
}

/** Where a cluster runs: localities from Node labels, kind node labels, config `region`/`zones`. */
export interface ClusterTopology {
  readonly localities: Fact<Locality>[];
  /** Network names the cluster is declared on (config `network`). */
  readonly networks: Fact<string>[];
}

/** A ServiceExport of any flavour (MCS `multicluster.x-k8s.io`, GKE `net.gke.io`, Azure fleet). */
export interface ServiceExportFacts {
  readonly object: ManifestObject;
  readonly name: string;
  readonly namespace: string | undefined;
  /** The cluster the export belongs to (absent only in drafts built by older sources). */
  readonly cluster?: string;
  /**
   * `metadata.creationTimestamp` when written and parseable (RFC 3339): `value` is the text,
   * `ms` milliseconds since the epoch. MCS controllers give the oldest export precedence.
   */
  readonly creationTimestamp?: Fact<string> & { readonly ms: number };
  /** `spec.exportedLabels` (MCS API), copied onto the ServiceImport. */
  readonly exportedLabels?: Fact<Readonly<Record<string, string>>>;
  /** `spec.exportedAnnotations` (MCS API), copied onto the ServiceImport. */
  readonly exportedAnnotations?: Fact<Readonly<Record<string, string>>>;
}

/** One entry of a ServiceImport's `spec.ports` (MCS `ServicePort`: name, protocol, appProtocol, port). */
export interface ServiceImportPortFacts {
  readonly name: string | undefined;
  readonly port: number | undefined;
  /** Default TCP. */
  readonly protocol: string;
  readonly appProtocol: string | undefined;
  /** The `spec.ports[i]` item. */
  readonly source: Source;
}

/**
 * A ServiceImport checked into the repository (`multicluster.x-k8s.io` v1alpha1/v1beta1, or a
 * vendor group such as GKE's `net.gke.io`). KEP-1645 makes the MCS controller its only author.
 */
export interface ServiceImportFacts {
  readonly object: ManifestObject;
  readonly cluster: string;
  readonly name: string;
  readonly namespace: string | undefined;
  /**
   * `spec.type` (`ClusterSetIP` or `Headless`) when written; `type` at the root of the object in
   * `multicluster.x-k8s.io/v1alpha2`, which has no `spec`.
   */
  readonly type?: Fact<string>;
  /** `spec.ports` (v1alpha2: `ports` at the root); undefined when the field is absent. */
  readonly ports?: readonly ServiceImportPortFacts[];
  /** Where the ports list is written (`spec.ports`, or `ports` in v1alpha2), when it is. */
  readonly portsSource?: Source;
}

/**
 * A reference to a ServiceImport by another object: a Gateway API route `backendRefs[]` entry with
 * `kind: ServiceImport` (also the `networking.x-k8s.io/v1alpha1` `forwardTo[].backendRef` shape
 * and `requestMirror.backendRef` filters), or an Azure fleet `MultiClusterService`
 * `spec.serviceImport`. `source` points at the referenced name.
 */
export interface ServiceImportRefFacts {
  readonly object: ManifestObject;
  readonly cluster: string;
  readonly name: string;
  /** The referenced namespace: the ref's own `namespace`, else the referring object's. */
  readonly namespace: string | undefined;
  /** The referenced group as written (`multicluster.x-k8s.io`, `net.gke.io`...), if any. */
  readonly group?: string;
  /** `HTTPRoute backendRef`, `MultiClusterService spec.serviceImport`... for messages. */
  readonly via: string;
  readonly source: Source;
}

/**
 * A Linkerd multicluster `Link` (`multicluster.linkerd.io`): this cluster (the source) mirrors
 * the exported Services of the target cluster as `<svc>-<targetClusterName>`.
 */
export interface LinkerdLinkFacts {
  readonly object: ManifestObject;
  readonly cluster: string;
  /** `spec.targetClusterName`. */
  readonly targetClusterName: Fact<string>;
  /** `spec.targetClusterDomain` (`linkerd multicluster link` copies the target's `clusterDomain`). */
  readonly targetClusterDomain?: Fact<string>;
  /** `spec.targetClusterLinkerdNamespace` (default `linkerd`). */
  readonly targetClusterLinkerdNamespace?: Fact<string>;
  /** `spec.gatewayIdentity`: `<sa>.<ns>.serviceaccount.identity.<linkerd namespace>.<trust domain>`. */
  readonly gatewayIdentity?: Fact<string>;
  /**
   * The label selectors the Link states (`spec.selector`, `spec.remoteDiscoverySelector`,
   * `spec.federatedServiceSelector`; `linkerd multicluster link --selector`…), read by the
   * `linkerd` fact source. A field neither here nor in `unknownSelectors` is not written:
   * `linkerd multicluster link`'s defaults apply.
   */
  readonly selectors?: Readonly<Partial<Record<LinkerdSelectorField, Fact<LinkerdLabelSelector>>>>;
  /** Selector fields written but not evaluable (a placeholder, a malformed or an empty selector): which Services they select is unknown. */
  readonly unknownSelectors?: readonly LinkerdSelectorField[];
}

/** The Link fields that choose target Services: mirrored through the gateway, in remote-discovery mode, federated. */
export type LinkerdSelectorField = 'selector' | 'remoteDiscoverySelector' | 'federatedServiceSelector';

/** A Kubernetes label selector (`metav1.LabelSelector`) of a Link: every `matchLabels` pair and every requirement must hold. */
export interface LinkerdLabelSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly {
    readonly key: string;
    readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    readonly values: readonly string[];
  }[];
}

/**
 * One Linkerd control plane's settings (linkerd/linkerd2 `charts/linkerd-control-plane/values.yaml`):
 * `clusterDomain` and `identityTrustDomain` (both default `cluster.local`), the trust anchors
 * (`identityTrustAnchorsPEM`, or the `linkerd-identity-trust-roots` ConfigMap `ca-bundle.crt`) and
 * the identity issuer certificate (`identity.issuer.tls.crtPEM`, or the `linkerd-identity-issuer`
 * Secret `crt.pem` / `tls.crt`). `at` is the values document or object. Certificates hold public
 * data only (`src/base/x509.ts`); `problem` says why a field gave none.
 */
export interface LinkerdInstallFacts {
  readonly at: Source;
  readonly clusterDomain?: Fact<string>;
  readonly identityTrustDomain?: Fact<string>;
  readonly trustAnchors?: Fact<readonly LinkerdCertificate[]> & { readonly problem?: string };
  readonly issuer?: Fact<readonly LinkerdCertificate[]> & { readonly problem?: string };
}

/** A certificate as `src/base/x509.ts` reads it (fingerprints, subject, issuer; public data only). */
export type LinkerdCertificate = import('../base/x509.js').CertificateInfo;

/**
 * A backend a Linkerd traffic object names by Service name: Gateway API / `policy.linkerd.io`
 * HTTPRoute and GRPCRoute `backendRefs` of kind Service, SMI TrafficSplit `spec.backends[].service`,
 * ServiceProfile `spec.dstOverrides[].authority`. `source` points at the name.
 */
export interface LinkerdBackendRefFacts {
  readonly object: ManifestObject;
  readonly cluster: string;
  readonly name: string;
  readonly namespace: string | undefined;
  /** `HTTPRoute rules[0].backendRefs[1]`… for messages. */
  readonly via: string;
  readonly source: Source;
}

/** A StatefulSet's pod hostnames for a headless Service: `<name>-0` .. `<name>-<replicas-1>`. */
export interface StatefulSetFacts {
  readonly object: ManifestObject;
  readonly name: string;
  readonly namespace: string | undefined;
  /** `spec.serviceName`, the governing headless Service. */
  readonly serviceName: string;
  /** `spec.replicas`, default 1 (also when a placeholder: then `replicasUnknown`). */
  readonly replicas: number;
  /** `spec.replicas` is decided at apply time (a placeholder) or not a count: the pods' ordinals are unknown. */
  readonly replicasUnknown?: true;
  /** `spec.ordinals.start` (Kubernetes 1.27+): the first pod's ordinal, default 0. */
  readonly ordinalStart: number;
}

/**
 * Which controller handles a cluster's ServiceExports: Submariner Lighthouse, Cilium Cluster Mesh
 * (its MCS-API support), or a generic KEP-1645 implementation (GKE, AWS Cloud Map, Azure fleet,
 * the mcs-api reference controller). `source` says why.
 */
export type McsImplementation = 'lighthouse' | 'cilium' | 'generic';

/**
 * The cluster joined a Broker and its gateways connect it to the set: a Submariner CR, or the
 * values of the submariner-operator Helm chart, which renders that CR.
 */
export interface SubmarinerFacts {
  /** The Submariner CR; undefined for chart values. */
  readonly object?: ManifestObject;
  /** What declares it: the CR's `kind`, or the values' `submariner` key (origin `Submariner CR` / `submariner-operator chart values`). */
  readonly at: Source;
  /** Where its settings are written: the CR's `spec`, or the values' `submariner` mapping. */
  readonly settings: Source;
}

/** What deploys Submariner Lighthouse in a cluster: a Submariner CR or chart values with service discovery on, a ServiceDiscovery CR. */
export interface LighthouseFacts {
  /** `Submariner`, `ServiceDiscovery`, `submariner-operator chart values`. */
  readonly what: string;
  readonly at: Source;
}

/** A Submariner Broker CR with the operator's defaults applied (GlobalNet settings). */
export interface BrokerFacts {
  readonly object: ManifestObject;
  readonly cluster: string;
  /**
   * `spec.globalnetEnabled`, default false. An unrendered placeholder (`${GLOBALNET}`) counts as
   * on (`value` true, not `isDefault`): the Broker's GlobalNet settings are then checked as they
   * apply once it is rendered true, the only case in which they matter, and no globalCIDR is
   * called ignored.
   */
  readonly globalnetEnabled: Fact<boolean>;
  /**
   * `spec.globalnetCIDRRange` (only meaningful with GlobalNet on); the default 242.0.0.0/8, marked
   * `isDefault`, when absent or not a valid CIDR (the `schema` rule reports the latter); undefined
   * when it is an unrendered placeholder (unknown: no default is assumed).
   */
  readonly globalnetCIDRRange?: Fact<Cidr>;
  /**
   * `spec.defaultGlobalnetClusterSize` in addresses, default 65536 (marked `isDefault`) when
   * absent; undefined when it is an unrendered placeholder (unknown: no default is assumed).
   */
  readonly defaultGlobalnetClusterSize?: Fact<number>;
}

/**
 * A Calico IP pool as written: an `IPPool` (`projectcalico.org/v3`, `crd.projectcalico.org/v1`;
 * projectcalico/api `pkg/apis/projectcalico/v3/ippool.go`) or an operator `Installation`
 * `spec.calicoNetwork.ipPools[i]` (tigera/operator `api/v1/installation_types.go`). A setting
 * holding an unrendered placeholder is undefined (unknown); an absent one is Calico's default,
 * marked `isDefault`.
 */
export interface CalicoPoolFacts {
  readonly object: ManifestObject;
  readonly cidr: Fact<Cidr>;
  /** `disabled` (default false): no pod IPs are allocated from a disabled pool. */
  readonly disabled?: Fact<boolean>;
  /** `natOutgoing` (IPPool default false; Installation `natOutgoing: Enabled` by default). */
  readonly natOutgoing?: Fact<boolean>;
  /**
   * How traffic between nodes is carried: `VXLAN` (`vxlanMode: Always|CrossSubnet`, Installation
   * `encapsulation: VXLAN|VXLANCrossSubnet`), `IPIP` (`ipipMode`, `encapsulation: IPIP…`) or
   * `None` (IPPool default: both modes `Never`; Installation default `IPIP`).
   */
  readonly encapsulation?: Fact<'VXLAN' | 'IPIP' | 'None'>;
}

/**
 * kube-proxy's proxy mode (`iptables`, `ipvs`, `nftables`, `kernelspace`): KubeProxyConfiguration
 * (`kubeproxy.config.k8s.io`) `mode`, the kubeadm `kube-proxy` ConfigMap's `config.conf`, or kind
 * `networking.kubeProxyMode`. An empty `mode` means kube-proxy's platform default (iptables on Linux).
 */
export interface KubeProxyFacts {
  readonly mode: Fact<string>;
}

/** Network facts of one cluster. Every list may hold several sources for the same range. */
export interface ClusterNetwork {
  readonly podCIDRs: Fact<Cidr>[];
  readonly serviceCIDRs: Fact<Cidr>[];
  /** Submariner GlobalNet CIDRs allocated to this cluster (`Submariner spec.globalCIDR`). */
  readonly globalCIDRs: Fact<Cidr>[];
  /** Per-node pod ranges (`Node spec.podCIDR`/`podCIDRs`): slices of the cluster's pod CIDRs. */
  readonly nodePodCIDRs: Fact<Cidr>[];
  /** Node addresses (`Node status.addresses`), as single-address ranges (/32, /128). */
  readonly nodeAddresses: Fact<Cidr>[];
}

/** A malformed value in a document without schema: where it is and what is wrong with it. */
export interface ValueProblem {
  readonly at: Source;
  readonly message: string;
  /**
   * `too-many-cidrs`: a field lists more CIDRs than mclint reads (`MAX_FIELD_CIDRS`); `chart-key`: a
   * key of a chart's values the chart does not read (spelt like the field of the object it renders);
   * else a value Cilium refuses.
   */
  readonly kind?: 'too-many-cidrs' | 'chart-key';
}

/**
 * One Cilium installation as configured: Helm values (`cluster.name`, `cluster.id`,
 * `clustermesh.*`, `ipam.*`, `routingMode`, `ipv4NativeRoutingCIDR`) or the `cilium-config`
 * ConfigMap (`cluster-name`, `cluster-id`, ...). `at` is the values document or the ConfigMap.
 */
export interface CiliumFacts {
  readonly at: Source;
  readonly clusterName?: Fact<string>;
  /** `cluster.id` / `cluster-id`, a number when it parses as an integer. */
  readonly clusterID?: Fact<number>;
  /** `clustermesh.maxConnectedClusters` (255 or 511); default 255. */
  readonly maxConnectedClusters?: Fact<number>;
  /**
   * `clustermesh.defaultGlobalNamespace` (Helm) / `clustermesh-default-global-namespace`: whether
   * namespaces without the `clustermesh.cilium.io/global` annotation are global. Cilium's default
   * is true.
   */
  readonly defaultGlobalNamespace?: Fact<boolean>;
  /** Helm values with a `clustermesh` section: the install means to join a Cluster Mesh. */
  readonly clusterMesh: boolean;
  /** `routingMode` (`tunnel` | `native`) or the older `tunnel: disabled`. */
  readonly routingMode?: Fact<string>;
  readonly nativeRoutingCIDR?: Fact<Cidr>;
  /**
   * Identity settings written as an unrendered placeholder (also listed in
   * `ClusterIdentity.unrendered`): unknown, so neither Cilium's default (`default`, ID 0) nor a
   * missing value.
   */
  readonly unrendered?: readonly ('clusterName' | 'clusterID')[];
}

/**
 * One set of Cilium Helm values, as far as `cilium-values` and `cilium-clustermesh-config` check
 * them: values recognised as Cilium's by their chart or by Cilium-only keys, with or without
 * `cluster.name` (so not always a `CiliumFacts`).
 */
export interface CiliumValuesFacts {
  readonly at: Source;
  /** The chart named by what passes the values (HelmRelease, Application, helmfile, sub-chart key). */
  readonly chart?: string;
  /** Every top-level key, pointing at the key as written. */
  readonly keys: readonly Fact<string>[];
  /**
   * Keys of `CILIUM_KEY_CHANGES` (removed, renamed or ignored by the chart) that the values set to
   * something the chart would act on (`tunnel: ""` is not), as dotted paths, pointing at the key.
   */
  readonly changedKeys: readonly Fact<string>[];
  /** `clustermesh.config`, when written. */
  readonly meshConfig?: CiliumMeshConfigFacts;
  /**
   * `clustermesh.apiserver.service.type` when `clustermesh.useAPIServer` is true (chart default
   * `NodePort`, then marked `isDefault` and pointing at `useAPIServer`).
   */
  readonly apiserverServiceType?: Fact<string>;
}

/** Cilium values `clustermesh.config` (cilium/cilium `templates/clustermesh-config/clustermesh-secret.yaml`). */
export interface CiliumMeshConfigFacts {
  /** `clustermesh.config.enabled` (chart default false: no Secret is rendered). */
  readonly enabled: boolean;
  readonly at: Source;
  /** `clustermesh.config.clusters[].name`, string names only, in list order. */
  readonly clusters: readonly Fact<string>[];
}

/** One key of a `cilium-clustermesh` Secret: a remote cluster's etcd config or a file it names. */
export interface CiliumMeshSecretKey {
  readonly key: string;
  readonly source: Source;
  /** For a config key (its text holds `endpoints:`): the files under `/var/lib/cilium/clustermesh/` it names. */
  readonly files?: readonly string[];
}

/** A `cilium-clustermesh` Secret (the agent's `/var/lib/cilium/clustermesh` directory). */
export interface CiliumMeshSecretFacts {
  readonly at: Source;
  readonly keys: readonly CiliumMeshSecretKey[];
}

/** An `io.cilium.k8s.policy.cluster` value in a Cilium policy's endpoint selector (`matchLabels` or `matchExpressions` values). */
export interface CiliumPolicyClusterFacts {
  /** `CiliumNetworkPolicy "ns/name"`. */
  readonly policy: string;
  /** The label key as written (`io.cilium.k8s.policy.cluster`, `k8s:io.cilium.k8s.policy.cluster`). */
  readonly key: string;
  readonly value: Fact<string>;
  /**
   * How the value selects: `In` for a `matchLabels` entry or an `In` expression (the label must
   * hold the value), `NotIn` for a `NotIn` expression (the label must not hold it; endpoints
   * without the label match too, as in Kubernetes label selectors).
   */
  readonly operator: 'In' | 'NotIn';
  /**
   * Where the selector sits: `subject` for the endpoints the policy applies to (`endpointSelector`;
   * any selector outside the rule sections), `allow` for the peers of `ingress`/`egress` rules (`fromEndpoints`,
   * `toEndpoints`...), `deny` for the peers of `ingressDeny`/`egressDeny` rules.
   */
  readonly role: 'subject' | 'allow' | 'deny';
}

/** A chart release of a HelmRelease or Argo CD Application: chart, version, and the ConfigMaps/Secrets its values come from. */
export interface ChartReleaseFacts {
  readonly at: Source;
  readonly chart?: string;
  /** `spec.chart.spec.version` / `targetRevision`, as written. */
  readonly version?: Fact<string>;
  /** Flux `valuesFrom` entries as `ConfigMap/name` or `Secret/name`. */
  readonly valuesFrom: readonly string[];
}

/** A ConfigMap whose `values.yaml` key holds Cilium Helm values. */
export interface WrappedValuesFacts {
  readonly name: string;
  readonly key: string;
  readonly source: Source;
}

/**
 * One Istio installation's multi-cluster settings: IstioOperator `spec.values.global`/`meshConfig`,
 * Helm values of the same shape, or the Sail operator `Istio` CR.
 */
export interface IstioInstallFacts {
  readonly at: Source;
  readonly meshID?: Fact<string>;
  /** `global.multiCluster.clusterName`. */
  readonly clusterName?: Fact<string>;
  /** `global.network`. */
  readonly network?: Fact<string>;
  /** `meshConfig.trustDomain` (default `cluster.local`). */
  readonly trustDomain?: Fact<string>;
}

/**
 * An Istio control-plane install of a cluster (IstioOperator, Sail `Istio` CR, istiod /
 * istiod-remote Helm values), for the multi-cluster wiring rules: whether the cluster runs its own
 * istiod (`primary`) or is a `remote` whose proxies and webhooks use another cluster's istiod, the
 * namespace istiod watches for remote secrets, and where a remote finds istiod. Read by
 * `src/model/sources/istio-multicluster.ts`.
 */
export interface IstioControlPlaneFacts {
  /** The install object or values document. */
  readonly at: Source;
  /** `remote` for the remote/external profiles, the istiod-remote chart or `istiodRemote.enabled`; else `primary` (`isDefault`: no profile said so). */
  readonly role: Fact<'primary' | 'remote'>;
  /**
   * `spec.namespace` / `global.istioNamespace`; `istio-system` marked `isDefault` when absent from an
   * IstioOperator or Sail `Istio`; undefined for Helm values without `global.istioNamespace` (istiod
   * then runs in the release's namespace, decided at install time).
   */
  readonly namespace: Fact<string> | undefined;
  /** `global.remotePilotAddress`: the primary's istiod address a remote connects to (port 15012). */
  readonly remotePilotAddress?: Fact<string>;
  /** `istiodRemote.injectionURL`: the full sidecar-injection URL a remote's webhook calls. */
  readonly injectionURL?: Fact<string>;
  /** True when `remotePilotAddress` or `injectionURL` holds an unrendered placeholder (`unrendered-placeholder` reports it). */
  readonly addressUnrendered: boolean;
  /**
   * `global.meshNetworks`: the networks this control plane knows, each with the cluster IDs
   * (`endpoints[].fromRegistry`) whose endpoints it puts on that network. Undefined when not set.
   */
  readonly meshNetworks?: readonly MeshNetworkFacts[];
  /**
   * `istiodRemote.injectionPath`: the path of the sidecar-injection webhook (`/inject/cluster/<id>/net/<network>`);
   * `/inject` when absent. When `injectionURL` is set the webhook calls that URL and this field is
   * unused; when the URL holds a placeholder in its host only, this is the URL's path (origin
   * `… istiodRemote.injectionURL`), which still passes the cluster ID and network.
   */
  readonly injectionPath?: Fact<string>;
  /** `global.configCluster: true`: a remote that is the config cluster of an external istiod. */
  readonly configCluster?: Fact<boolean>;
  /** The install profile as written (`spec.profile`, Helm `profile`): `ambient` marks an ambient data plane. */
  readonly profile?: Fact<string>;
  /**
   * istiod's `EXTERNAL_ISTIOD=true` environment (IstioOperator `components.pilot.k8s.env`, Helm
   * `pilot.env` / `env`): an external control plane, whose own kube client is the cluster it serves
   * (the `--type config` kubeconfig it mounts), not the cluster it runs in.
   */
  readonly externalIstiod?: Fact<boolean>;
  /**
   * For an external istiod: the cluster ID it serves, its `CLUSTER_ID` environment, else its
   * `global.multiCluster.clusterName` (which the istiod chart passes as `CLUSTER_ID`).
   */
  readonly servedClusterID?: Fact<string>;
  /**
   * True when `global.multiCluster.clusterName` or the injection path (`istiodRemote.injectionPath`,
   * or the path of `injectionURL` when set) holds an unrendered placeholder: the cluster ID is unknown.
   */
  readonly identityUnrendered?: boolean;
}

/** One network of `global.meshNetworks`: its name (the key) and its `endpoints[].fromRegistry` cluster IDs. */
export interface MeshNetworkFacts {
  readonly name: Fact<string>;
  readonly registries: readonly Fact<string>[];
}

/** One cluster an Istio remote secret gives access to: a `stringData`/`data` key and its kubeconfig's servers. */
export interface IstioRemoteSecretEntry {
  /** The key: the cluster ID istiod registers the remote cluster under (`--name` of create-remote-secret). */
  readonly clusterID: Fact<string>;
  /** `clusters[].cluster.server` of the kubeconfig (the fact's source is the key's value: the kubeconfig). */
  readonly servers: readonly Fact<string>[];
}

/** A Secret labelled `istio/multiCluster: "true"` (istioctl create-remote-secret), as istiod's secret controller reads it. */
export interface IstioRemoteSecretFacts {
  readonly object: ManifestObject;
  /** `metadata.name` (the Secret's place when the name is absent). */
  readonly name: Fact<string>;
  /** `metadata.namespace`, undefined when left to apply time. */
  readonly namespace: Fact<string> | undefined;
  readonly entries: readonly IstioRemoteSecretEntry[];
  /** True when a key or kubeconfig holds an unrendered placeholder (or `data` is not base64 text): which clusters it names is unknown. */
  readonly unrendered: boolean;
  /**
   * The `istioctl create-remote-secret --type config` form (Secret `istio-kubeconfig`, key
   * `config`): the kubeconfig of the config cluster an external istiod mounts as its own kube client
   * (`KUBECONFIG=/var/run/secrets/remote/config`), not an entry keyed by cluster ID. `cluster`: its
   * `networking.istio.io/cluster` annotation (`--name`); `key`: the `config` key's place.
   */
  readonly config?: { readonly cluster: Fact<string> | undefined; readonly key: Source; readonly servers: readonly Fact<string>[] };
}

/**
 * A workload's pod template (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod,
 * Argo Rollout): the labels its pods carry, which Istio subsets and Services select.
 */
export interface WorkloadFacts {
  readonly object: ManifestObject;
  readonly cluster: string;
  readonly kind: string;
  readonly name: string;
  /** undefined when the manifest leaves the namespace to apply time. */
  readonly namespace: string | undefined;
  /** Pod template labels (Pod: its own labels); empty when absent. */
  readonly labels: Readonly<Record<string, string>>;
  /** The pod template's `metadata.labels` (or where it would be). */
  readonly source: Source;
}

/** One `subsets[]` entry of a DestinationRule. */
export interface SubsetFacts {
  readonly name: string;
  /** `labels`, empty when absent (the subset then selects every endpoint of the host). */
  readonly labels: Readonly<Record<string, string>>;
  /** The `subsets[i]` item. */
  readonly source: Source;
  /** `subsets[i].labels` (the item when absent). */
  readonly labelsSource: Source;
}

/** A `to` entry of a `distribute` rule: a locality (`region/zone/subzone`, `*` allowed) and its weight. */
export interface LocalityWeightFacts {
  readonly locality: string;
  readonly weight: number | undefined;
  /** The `to.<locality>` entry. */
  readonly source: Source;
}

/** `localityLbSetting` (Istio `LocalityLoadBalancerSetting`) as far as it passed schema validation. */
export interface LocalityLbFacts {
  readonly source: Source;
  readonly enabled: boolean | undefined;
  readonly distribute: readonly { readonly from: Fact<string> | undefined; readonly to: readonly LocalityWeightFacts[]; readonly source: Source }[];
  readonly failover: readonly { readonly from: Fact<string> | undefined; readonly to: Fact<string> | undefined; readonly source: Source }[];
  readonly failoverPriority: readonly Fact<string>[];
}

/**
 * One traffic policy of a DestinationRule: the top level (`spec.trafficPolicy`), a port level
 * (`portLevelSettings[i]`) or a subset's (`subsets[i].trafficPolicy`, and its port levels).
 */
export interface TrafficPolicyFacts {
  /** `top level`, `port 9080`, `subset "v1"`, `subset "v1" port 9080`: for messages. */
  readonly level: string;
  readonly source: Source;
  readonly localityLbSetting: LocalityLbFacts | undefined;
  /** Whether `outlierDetection` is set at this level. */
  readonly outlierDetection: boolean;
}

/** A DestinationRule: host, subsets, traffic policies, visibility. */
export interface DestinationRuleFacts {
  readonly object: ManifestObject;
  readonly cluster: string;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly host: Fact<string> | undefined;
  /** `exportTo`, undefined when absent (visible everywhere, Istio's default). */
  readonly exportTo: readonly string[] | undefined;
  /** `workloadSelector.matchLabels`, when set (the rule then applies to those workloads only). */
  readonly workloadSelector: Readonly<Record<string, string>> | undefined;
  readonly subsets: readonly SubsetFacts[];
  readonly trafficPolicies: readonly TrafficPolicyFacts[];
}

/** A destination of a VirtualService route (`route[].destination`) or mirror (`mirror`, `mirrors[].destination`). */
export interface RouteDestinationFacts {
  readonly role: 'route' | 'mirror';
  readonly host: string;
  readonly subset: string | undefined;
  /** The `destination` object. */
  readonly source: Source;
  /** The `subset` field (the destination when absent). */
  readonly subsetSource: Source;
  /** `route[i].weight` for routes (undefined when absent). */
  readonly weight: number | undefined;
}

/** One `http`, `tcp` or `tls` route of a VirtualService. */
export interface RouteFacts {
  readonly protocol: 'http' | 'tcp' | 'tls';
  readonly index: number;
  readonly source: Source;
  /** `route[]` destinations then mirrors. */
  readonly destinations: readonly RouteDestinationFacts[];
}

/** A VirtualService: the hosts it applies to and its routes. */
export interface VirtualServiceFacts {
  readonly object: ManifestObject;
  readonly cluster: string;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly hosts: readonly string[];
  readonly gateways: readonly string[];
  /** `gateways[i]` entries with their places (placeholders left out; absent in drafts built by older sources). */
  readonly gatewayRefs?: readonly Fact<string>[];
  readonly exportTo: readonly string[] | undefined;
  readonly routes: readonly RouteFacts[];
}

/** A ServiceEntry: hosts added to the mesh's registry. */
export interface ServiceEntryFacts {
  readonly object: ManifestObject;
  readonly cluster: string;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly hosts: readonly string[];
  readonly exportTo: readonly string[] | undefined;
  /** `workloadSelector.labels`: the entry's endpoints are these pods/WorkloadEntries. */
  readonly workloadSelector: Readonly<Record<string, string>> | undefined;
  /** Labels of inline `endpoints[]`. */
  readonly endpointLabels: readonly Readonly<Record<string, string>>[];
  /** `ports[]` with a `number` (absent in drafts built by older sources). */
  readonly ports?: readonly ServiceEntryPortFacts[];
}

/** One `ports[]` entry of a ServiceEntry: `number`, `name`, and `protocol` as written (undefined when absent). */
export interface ServiceEntryPortFacts {
  readonly number: number;
  readonly name: string | undefined;
  readonly protocol: Fact<string> | undefined;
  /** The `ports[i]` item. */
  readonly source: Source;
}

/** A WorkloadEntry: a VM or external endpoint with labels, network and locality. */
export interface WorkloadEntryFacts {
  readonly object: ManifestObject;
  readonly cluster: string;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly labelsSource: Source;
  readonly network: Fact<string> | undefined;
  readonly locality: Fact<string> | undefined;
}

/** One `servers[]` entry of an Istio Gateway. */
export interface GatewayServerFacts {
  readonly port: number | undefined;
  readonly protocol: string | undefined;
  /** `tls.mode` (`AUTO_PASSTHROUGH` on east-west gateways). */
  readonly tlsMode: string | undefined;
  /** A `tls` block is written (any setting, `httpsRedirect` included): istiod then gives the server an SNI filter chain or checks its hosts for duplicates. */
  readonly tls: boolean;
  readonly hosts: readonly string[];
  readonly source: Source;
}

/** An Istio Gateway (networking.istio.io). */
export interface GatewayFacts {
  readonly object: ManifestObject;
  readonly cluster: string;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly selector: Readonly<Record<string, string>>;
  readonly servers: readonly GatewayServerFacts[];
}

/**
 * A gateway deployment declared at install time (IstioOperator `components.ingressGateways[]`,
 * Helm gateway values): its labels, `topology.istio.io/network` label or
 * `ISTIO_META_REQUESTED_NETWORK_VIEW`, and the ports its Service exposes.
 */
export interface GatewayInstallFacts {
  readonly at: Source;
  readonly name: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly network: Fact<string> | undefined;
  readonly ports: readonly number[];
  /**
   * For a Kubernetes Gateway API `Gateway` (gateway.networking.k8s.io) of an Istio class, which
   * istiod's deployment controller deploys: its `spec.gatewayClassName` (`istio-east-west`, the
   * ambient east-west gateway; `istio` with the network label). Its `network` is then its
   * `topology.istio.io/network` label only, its `ports` 15021 and its listeners' ports.
   */
  readonly gatewayClass?: Fact<string>;
  /** The Gateway's `metadata.namespace` (Gateway API installs). */
  readonly namespace?: string;
  /**
   * The Gateway API listener istiod treats as the network's gateway: an `HBONE` listener with
   * `tls.mode: Terminate` of an `istio-east-west` Gateway (ambient), or a TLS listener on 15443 (or
   * the `networking.istio.io/gatewayPort` label's port) that istiod turns into `AUTO_PASSTHROUGH`;
   * only set when the Gateway carries the network label, which both require.
   */
  readonly crossNetwork?: { readonly mode: 'HBONE' | 'AUTO_PASSTHROUGH'; readonly port: number; readonly source: Source };
}

/** Istio configuration objects of one cluster (networking.istio.io). */
export interface IstioConfigFacts {
  readonly destinationRules: DestinationRuleFacts[];
  readonly virtualServices: VirtualServiceFacts[];
  readonly serviceEntries: ServiceEntryFacts[];
  readonly workloadEntries: WorkloadEntryFacts[];
  readonly gateways: GatewayFacts[];
  /** Gateways declared by install settings (IstioOperator components, gateway Helm values). */
  readonly gatewayInstalls: GatewayInstallFacts[];
}

/** A Karmada `Cluster` object (cluster.karmada.io): a member cluster registered with Karmada. */
export interface KarmadaClusterFacts {
  readonly object: ManifestObject;
  readonly name: Fact<string>;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * What a field holding an unrendered placeholder would have decided: the cluster's identity
 * (Submariner `clusterID`, ClusterProperty, Cilium `cluster.name`/`cluster.id`, Istio
 * `meshID`/`clusterName`/`network` and the sidecar-injection path `istiodRemote.injectionPath` /
 * `injectionURL` that passes a remote's cluster ID and network, kubeadm and kind names), one of its
 * CIDRs (pod, service, node, GlobalNet, native routing, the Broker's range), or the address of a
 * remote component (Istio `global.remotePilotAddress`, an `injectionURL` whose host only is a placeholder).
 */
export type UnrenderedField = 'identity' | 'cidr' | 'address';

/**
 * A field whose value is an unrendered placeholder (`${CLUSTER_ID}`, `{{ .Values.cidr }}`):
 * `value` is the text as written, `source` the field holding it (origin: the setting read, e.g.
 * `Submariner spec.clusterID`). When the placeholder stands for a whole parent mapping
 * (`networking: ${NET}` while reading `networking.podSubnet`), `source` points at that parent and
 * `parent` is its path as written (`networking`).
 */
export interface UnrenderedFact extends Fact<string> {
  readonly field: UnrenderedField;
  readonly parent?: string;
}

/**
 * Identity facts of one cluster, by source. Each list may hold several facts (several files);
 * Cilium and Istio names live in `ClusterModel.cilium` / `istio`.
 */
export interface ClusterIdentity {
  /** Submariner `spec.clusterID` (Submariner and ServiceDiscovery CRs). */
  readonly clusterIDs: Fact<string>[];
  /**
   * Fields that decide cross-cluster behaviour (identities, CIDRs, remote addresses) holding an
   * unrendered placeholder: unknown until apply time, so never facts, defaults or duplicates. One
   * entry per field (a field two sources read is listed once); what `unrendered-placeholder`
   * reports.
   */
  readonly unrendered: UnrenderedFact[];
  /** ClusterProperty `cluster.clusterset.k8s.io` (or the older `id.k8s.io`) `spec.value`. */
  readonly clusterProperty: Fact<string>[];
  /** ClusterProperty `clusterset.k8s.io` `spec.value`: the ClusterSet this cluster belongs to. */
  readonly clusterSet: Fact<string>[];
  /** The ClusterProperty objects with their labels (which count for `naming-convention`). */
  readonly clusterPropertyObjects: { readonly object: ManifestObject; readonly labels: Readonly<Record<string, string>> }[];
  /** kubeadm `ClusterConfiguration.clusterName` (kubeadm's default `kubernetes` is not kept). */
  readonly kubeadm: Fact<string>[];
  /** kind `Cluster.name`; kind's default `kind`, marked `isDefault`, when absent. */
  readonly kind: Fact<string>[];
  /** Karmada `Cluster` objects found in this cluster (a Karmada control plane's registrations). */
  readonly karmadaClusters: KarmadaClusterFacts[];
}

/**
 * The facts of one cluster, declared once: the model builder fills them (as `ClusterDraft`, the
 * same lists growing) and rules read them on `ClusterModel`.
 */
export interface ClusterFacts {
  readonly identity: ClusterIdentity;
  readonly network: ClusterNetwork;
  readonly submariner: readonly SubmarinerFacts[];
  /**
   * Objects that deploy Submariner Lighthouse, the MCS implementation that handles this
   * cluster's ServiceExports: a Submariner CR with `serviceDiscoveryEnabled: true`, or a
   * ServiceDiscovery CR.
   */
  readonly lighthouse: readonly LighthouseFacts[];
  readonly brokers: readonly BrokerFacts[];
  /** Calico IP pools (IPPool objects, Installation `calicoNetwork.ipPools`), disabled ones included. */
  readonly calicoPools: readonly CalicoPoolFacts[];
  /** kube-proxy proxy-mode settings. */
  readonly kubeProxy: readonly KubeProxyFacts[];
  /**
   * Malformed values in documents no JSON Schema covers (Helm values, ConfigMap data): what the
   * `schema` rule reports for them. Such values never become facts.
   */
  readonly valueProblems: readonly ValueProblem[];
  /** Cilium installations (Helm values files, `cilium-config` ConfigMaps). */
  readonly cilium: readonly CiliumFacts[];
  /** Istio installations (IstioOperator, Helm values, Sail `Istio` CR). */
  readonly istio: readonly IstioInstallFacts[];
  /** Istio networking objects (DestinationRule, VirtualService, ServiceEntry, WorkloadEntry, Gateway). */
  readonly istioConfig: IstioConfigFacts;
  /** Istio control-plane installs: role (primary/remote), istiod namespace, remotePilotAddress. */
  readonly istioControlPlanes: readonly IstioControlPlaneFacts[];
  /** Istio remote secrets (`istio/multiCluster: "true"`) held by this cluster. */
  readonly istioRemoteSecrets: readonly IstioRemoteSecretFacts[];
  /** Workloads with their pod-template labels. */
  readonly workloads: readonly WorkloadFacts[];
  readonly topology: ClusterTopology;
  /** Namespace objects by name. */
  readonly namespaces: ReadonlyMap<string, NamespaceFacts>;
  readonly serviceExports: readonly ServiceExportFacts[];
  /** ServiceImports checked into the repository. */
  readonly serviceImports: readonly ServiceImportFacts[];
  /** References to ServiceImports (Gateway API routes, Azure fleet MultiClusterService). */
  readonly serviceImportRefs: readonly ServiceImportRefFacts[];
  /** Linkerd multicluster Links from this cluster to target clusters. */
  readonly linkerdLinks: readonly LinkerdLinkFacts[];
  /** Linkerd control plane settings (Helm values, trust-root ConfigMap, issuer Secret). */
  readonly linkerd: readonly LinkerdInstallFacts[];
  /** Services named as backends by Linkerd routes, TrafficSplits and ServiceProfiles. */
  readonly linkerdBackendRefs: readonly LinkerdBackendRefFacts[];
  readonly statefulSets: readonly StatefulSetFacts[];
  /** Cilium Helm values (see `CiliumValuesFacts`). */
  readonly ciliumValues: readonly CiliumValuesFacts[];
  /** `cilium-clustermesh` Secrets. */
  readonly ciliumMeshSecrets: readonly CiliumMeshSecretFacts[];
  /** `io.cilium.k8s.policy.cluster` values of Cilium policies. */
  readonly ciliumPolicyClusters: readonly CiliumPolicyClusterFacts[];
  /** Flux HelmReleases and Argo CD Applications: chart, version, valuesFrom. */
  readonly chartReleases: readonly ChartReleaseFacts[];
  /** ConfigMaps holding Cilium Helm values under a `values.yaml` key. */
  readonly ciliumWrappedValues: readonly WrappedValuesFacts[];
  /** Trust roots: Cilium Cluster Mesh CAs, Istio plug-in CA Secrets, SPIRE trust domains. */
  readonly trust: TrustFacts;
  /** Placement objects (Karmada policies, KubeFed federated objects, OCM Placements) and the member registries they name. */
  readonly placement: PlacementFacts;
  /** Prometheus servers and their external labels (Prometheus CRs, `prometheus.yml` in ConfigMaps, kube-prometheus-stack values). */
  readonly prometheus: readonly PrometheusFacts[];
  /** CoreDNS Corefiles of the cluster's own DNS (ConfigMaps `coredns` and `node-local-dns`). */
  readonly corednsConfigs: readonly CorednsConfigFacts[];
  /** Liqo: the cluster's own cluster IDs and its ForeignCluster peers (see `LiqoFacts`). */
  readonly liqo: LiqoFacts;
  /** Objects that join the cluster to a multi-cluster fabric the model has no other facts for (Skupper sites, Calico federation). */
  readonly interconnects: readonly InterconnectFacts[];
}

/**
 * Liqo (liqotech/liqo): `clusterIDs`, the cluster's own ID as Liqo knows it (Helm values
 * `discovery.config.clusterID`, the `liqo-clusterid-configmap` ConfigMap's `CLUSTER_ID`); `peers`,
 * its ForeignClusters (`core.liqo.io/v1beta1` `spec.clusterID`; `discovery.liqo.io/v1alpha1`
 * `spec.clusterIdentity.clusterID` / `clusterName`), each with the object.
 */
export interface LiqoFacts {
  readonly clusterIDs: Fact<string>[];
  readonly peers: { readonly object: ManifestObject; readonly clusterID: Fact<string>; readonly clusterName?: Fact<string> }[];
}

/** An object joining the cluster to a fabric: a Skupper `Site`, a Calico `RemoteClusterConfiguration`. */
export interface InterconnectFacts {
  readonly kind: 'skupper' | 'calico-federation';
  readonly at: Source;
}

/**
 * A `connectivity` statement of the config file for a set: every pair of `clusters` is connected
 * as `kind` says (`via`: what connects them, when given); `source` is the entry's `kind` field.
 */
export interface ConnectivityStatement {
  readonly clusters: readonly string[];
  readonly kind: 'flat' | 'remapped' | 'gateway';
  readonly via?: string;
  readonly source: Source;
}

/** One cluster: its name and files, the facts read from them, and indexes for the rules. */
export interface ClusterModel extends ClusterFacts {
  readonly name: string;
  /** Where the name comes from: the directory, the config entry or the `--cluster` flag. */
  readonly nameSource: Fact<string>;
  /** Cluster directory (absolute), when the cluster has one. */
  readonly root?: string;
  readonly files: readonly LoadedFile[];
  /** Objects of the kinds fact sources read, plus any object with schema errors. */
  readonly objects: readonly ManifestObject[];
  /** Services by name (several namespaces may share a name). */
  readonly servicesByName: ReadonlyMap<string, readonly ServiceFacts[]>;
  /** `mcsImplementation` from the config file, when it states one. */
  readonly mcsImplementation?: Fact<McsImplementation>;
}

/**
 * A ServiceExport paired with its cluster and the Service it exports (if that Service exists in
 * the same cluster and namespace).
 */
export interface ExportedService {
  readonly cluster: ClusterModel;
  readonly export: ServiceExportFacts;
  readonly service: ServiceFacts | undefined;
}

/**
 * Submariner GlobalNet for the set. `via: 'broker'`: a Broker in the set has
 * `spec.globalnetEnabled: true`. `via: 'globalCIDR'`: no Broker is in the repository, but
 * Submariner CRs carry a `globalCIDR`, which Submariner only uses with GlobalNet on.
 */
export interface GlobalnetState {
  readonly enabled: boolean;
  readonly via?: 'broker' | 'globalCIDR';
}

/** A ClusterSet: its clusters and the set-wide facts and indexes cross-cluster rules need. */
export interface ClusterSetModel {
  readonly name: string;
  /** Clusters sorted by name. */
  readonly clusters: readonly ClusterModel[];
  readonly clusterByName: ReadonlyMap<string, ClusterModel>;
  /** Where findings about the set as a whole go: the config file, or the root directory. */
  readonly anchor: Place;
  readonly globalnet: GlobalnetState;
  /** The config file's `connectivity` statements for this set (empty: none). */
  readonly connectivity: readonly ConnectivityStatement[];
  /** Services of every cluster by name, for "it exists elsewhere" hints; built once. */
  readonly servicesByName: ReadonlyMap<string, readonly ServiceFacts[]>;
  /**
   * ServiceExports of every cluster by `namespace/name` (MCS namespace sameness; see
   * `serviceKey`), each list sorted by cluster name then file; built once.
   */
  readonly exportsByKey: ReadonlyMap<string, readonly ExportedService[]>;
  /** Services of every cluster by `namespace/name` (see `serviceKey`), sorted by cluster name. */
  readonly servicesByKey: ReadonlyMap<string, readonly ServiceFacts[]>;
  /**
   * The set's derived views (Istio meshes, hosts and subsets, merged MCS services…), built lazily
   * on first use and kept with the set, so they live exactly as long as the run's model: see
   * `src/model/views/cache.ts` (`viewOf`). Nothing outside the model reads it directly.
   */
  readonly views: ViewCache;
}

/** A set's lazily built views, by view key (a symbol each view module owns). */
export type ViewCache = Map<symbol, unknown>;

/** Everything a run knows; rules see it through `RuleContext.run`. */
export interface RunModel {
  readonly sets: readonly ClusterSetModel[];
  readonly config: FileConfig;
}

/**
 * Certificates read from one field (a Secret key, a Helm value): the PEM bundle's certificates,
 * or why none could be read (`problem`: `not base64`, `no PEM certificate`, `N unreadable
 * certificate(s)`). `source` is the field. Public certificate data only (see `src/base/x509.ts`).
 */
export interface CertificateBundleFact {
  readonly certificates: readonly CertificateInfo[];
  readonly problem?: string;
  readonly source: Source;
}

/**
 * How one Cilium installation gets its Cluster Mesh CA (cilium/cilium
 * `install/kubernetes/cilium/templates/clustermesh-apiserver/tls-helm/_helpers.tpl`,
 * `clustermesh-apiserver-generate-certs.helm.setup-ca`): a given CA (Helm values
 * `clustermesh.apiserver.tls.ca.cert`, else `tls.ca.cert`, base64 PEM), a `cilium-ca` Secret
 * (`ca.crt`), or the `clustermesh.apiserver.tls.auto.method` that generates one (`helm`,
 * `cronJob`, `certmanager`; only when written).
 */
export interface CiliumCAFacts {
  /** The values document or the Secret. */
  readonly at: Source;
  readonly via: 'values' | 'secret';
  /** The CA certificate (`tls.ca.cert`, or the Secret's `ca.crt`). */
  readonly cert?: CertificateBundleFact;
  /** `clustermesh.apiserver.tls.auto.method` as written. */
  readonly autoMethod?: Fact<string>;
  /** `clustermesh.apiserver.tls.auto.enabled: false` (certificates provided by hand). */
  readonly autoDisabled?: boolean;
  /** `clustermesh.apiserver.tls.auto.certManagerIssuerRef.name`, when written. */
  readonly issuerRef?: Fact<string>;
}

/**
 * Istio's plug-in CA Secret `cacerts` (istio.io "Plug in CA Certificates"; istio/istio
 * `security/pkg/pki/ca/ca.go`, `NewPluggedCertIstioCAOptions`): `root-cert.pem` (or `ca.crt`
 * in the `kubernetes.io/tls` form) is the root, `ca-cert.pem` (or `tls.crt`) the CA istiod signs
 * with, `cert-chain.pem` the chain up to the root. The key is never read.
 */
export interface IstioCACertsFacts {
  readonly object: ManifestObject;
  readonly cluster: string;
  readonly root?: CertificateBundleFact;
  readonly signing?: CertificateBundleFact;
  readonly chain?: CertificateBundleFact;
}

/** A trust domain a SPIRE server federates with, and the bundle endpoint it fetches that domain's bundle from. */
export interface SpireFederationFacts {
  readonly trustDomain: Fact<string>;
  readonly bundleEndpointURL?: Fact<string>;
}

/**
 * A SPIRE server's trust domain and federation: `server.conf` in JSON form (a ConfigMap key;
 * `server.trust_domain`, `server.federation.federates_with`) or the spire Helm chart values
 * (`global.spire.trustDomain`, `spire-server.federation.enabled`). `at` is the ConfigMap or
 * values document.
 */
export interface SpireServerFacts {
  readonly at: Source;
  readonly trustDomain?: Fact<string>;
  readonly federatesWith: readonly SpireFederationFacts[];
}

/** A `ClusterFederatedTrustDomain` (spire.spiffe.io/v1alpha1, spire-controller-manager). */
export interface FederatedTrustDomainFacts {
  readonly object: ManifestObject;
  readonly cluster: string;
  readonly federation: SpireFederationFacts;
}

/** Trust roots of one cluster (`ClusterFacts.trust`). */
export interface TrustFacts {
  readonly ciliumCAs: CiliumCAFacts[];
  readonly istioCACerts: IstioCACertsFacts[];
  readonly spireServers: SpireServerFacts[];
  readonly federatedTrustDomains: FederatedTrustDomainFacts[];
}

/**
 * One `resourceSelectors[]` entry of a Karmada (Cluster)PropagationPolicy (karmada
 * `pkg/apis/policy/v1alpha1` `ResourceSelector`): `apiVersion` and `kind` (required), optional
 * `name`, `namespace` and `labelSelector`. `source` is the list item.
 */
export interface KarmadaResourceSelectorFacts {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  /** A `labelSelector` is set (labels of resources are not kept, so it is not evaluated). */
  readonly labelSelector: boolean;
  readonly source: Source;
}

/** One `spreadConstraints[]` entry of a Karmada placement (numbers only when written as integers). */
export interface KarmadaSpreadConstraintFacts {
  readonly spreadByField?: string;
  readonly spreadByLabel?: string;
  readonly minGroups?: number;
  readonly maxGroups?: number;
  readonly source: Source;
}

/**
 * A Karmada policy (`policy.karmada.io`): PropagationPolicy, ClusterPropagationPolicy,
 * OverridePolicy or ClusterOverridePolicy. `clusterNames` holds every member cluster name it
 * names (`placement.clusterAffinity.clusterNames`, `placement.clusterAffinities[].clusterNames`,
 * `replicaScheduling.weightPreference.staticWeightList[].targetCluster.clusterNames`,
 * `overrideRules[].targetCluster.clusterNames`, the deprecated `targetCluster.clusterNames`), each
 * a fact whose origin is the field; the other lists carry what the webhook validates.
 */
export interface KarmadaPolicyFacts {
  readonly object: ManifestObject;
  readonly kind: string;
  readonly name: string;
  /** undefined for the cluster-scoped kinds, or when left to apply time. */
  readonly namespace: string | undefined;
  readonly clusterNames: Fact<string>[];
  readonly resourceSelectors: KarmadaResourceSelectorFacts[];
  /** `spec.placement` when both `clusterAffinity` and `clusterAffinities` are written. */
  readonly affinityConflict?: Source;
  /** `placement.clusterAffinities[].affinityName`, as written (non-strings left out). */
  readonly affinityNames: Fact<string>[];
  /** `fieldSelector.matchExpressions[]` keys and operators of every cluster affinity and target. */
  readonly fieldSelectorKeys: Fact<string>[];
  readonly fieldSelectorOperators: Fact<string>[];
  readonly spreadConstraints: KarmadaSpreadConstraintFacts[];
  /** `spec.preemption: Always`. */
  readonly preemptAlways: boolean;
}

/** An OCM `Placement` (`cluster.open-cluster-management.io`): the ManagedClusterSets it selects from. */
export interface OcmPlacementFacts {
  readonly object: ManifestObject;
  readonly namespace: string | undefined;
  /** `spec.clusterSets[]` (empty: every ManagedClusterSet bound to the namespace). */
  readonly clusterSets: Fact<string>[];
}

/** An OCM `ManagedClusterSetBinding`: projects the ManagedClusterSet `spec.clusterSet` into its namespace. */
export interface OcmBindingFacts {
  readonly object: ManifestObject;
  readonly namespace: string | undefined;
  readonly name: Fact<string>;
  readonly clusterSet?: Fact<string>;
}

/** Placement objects of one cluster (a Karmada, KubeFed or OCM control plane's), read by `sources/placement.ts`. */
export interface PlacementFacts {
  readonly karmadaPolicies: KarmadaPolicyFacts[];
  /** KubeFed `Federated*` `spec.placement.clusters[].name` and `spec.overrides[].clusterName`. */
  readonly kubefedClusterRefs: Fact<string>[];
  /** `KubeFedCluster` (`core.kubefed.io`) names: the member clusters KubeFed knows. */
  readonly kubefedClusters: Fact<string>[];
  readonly ocmPlacements: OcmPlacementFacts[];
  readonly ocmBindings: OcmBindingFacts[];
  /** `ManagedClusterSet` names. */
  readonly ocmClusterSets: Fact<string>[];
}

/**
 * One external label of a Prometheus server. `value` is undefined when it holds an unrendered
 * placeholder (`${CLUSTER}`: Prometheus expands environment variables there); `implicit` marks a
 * label the Prometheus Operator adds itself (`prometheus: <namespace>/<name>`), whose `source` is
 * the object, and `assumed` one whose value mclint assumes (a Helm release's name is not known).
 */
export interface PrometheusLabelFacts {
  readonly name: string;
  readonly value: string | undefined;
  readonly source: Source;
  readonly implicit?: boolean;
  readonly assumed?: boolean;
}

/**
 * A Prometheus server as it identifies itself to Thanos and remote-write receivers: its external
 * labels and the labels that only tell replicas of one HA group apart (deduplicated by the
 * querier, so ignored when comparing servers).
 */
export interface PrometheusFacts {
  /** `Prometheus CR`, `prometheus.yml`, `kube-prometheus-stack values`. */
  readonly origin: string;
  /** The object or values document (where a finding about the whole set goes). */
  readonly at: Source;
  readonly labels: readonly PrometheusLabelFacts[];
  /** Replica label names of this server (the operator's `replicaExternalLabelName`, default `prometheus_replica`). */
  readonly replicaLabels: readonly string[];
}

/** A Corefile of the cluster's DNS: stock CoreDNS (`coredns`) or NodeLocal DNSCache (`node-local-dns`). */
export interface CorednsConfigFacts {
  readonly flavour: 'coredns' | 'node-local-dns';
  /** The parsed `data.Corefile`; its `source` is the ConfigMap key (lines inside it are Corefile lines). */
  readonly corefile: Fact<Corefile>;
}
