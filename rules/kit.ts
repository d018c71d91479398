/**
 * The rule kit: everything a rule may use, in one module (rules import nothing else). A rule
 * queries the model's facts and views through these and words its findings (`meta.messages`);
 * indexes, caches and speed techniques live in the model, never in a rule. See CONTRIBUTING.md,
 * "Adding a rule".
 */
export { defineRule } from '../src/engine/types.js';
export type { MessageData, MessageTemplate, RelatedPlace, Report, ReportWithout, Rule } from '../src/engine/types.js';
export { cidrText, displayPath, factOrigin, fieldPlace, namespacedName, objectLabel, writtenNamePlace } from '../src/model/describe.js';
export type { ClusterModel, ClusterSetModel, DestinationRuleFacts, Fact, ServiceFacts, ServicePortFacts, Source, UnrenderedFact } from '../src/model/types.js';
export { loadProblems, mcsImplementationOf } from '../src/model/index.js';
export {
  ciliumNamespaceGlobal,
  exportedFromSeveral,
  mergePorts,
  multiClusterServices,
  portText,
  portsText,
  precedenceText,
  serviceLabel,
  serviceNamePlace,
} from '../src/model/mcs.js';
export type { ExportedPort, MultiClusterService } from '../src/model/mcs.js';
export { globalnetCIDRError } from '../src/model/globalnet.js';
export { selects } from '../src/model/istio.js';
export { labelCarriers } from '../src/model/views/identity.js';
export { CILIUM_GLOBAL_SERVICE, CILIUM_SHARED_SERVICE, ciliumGlobalServices, ciliumPortMismatches, ciliumServices } from '../src/model/views/cilium.js';
export type { CiliumServiceAnnotations } from '../src/model/views/cilium.js';
export { isIstioControlPlane, istioProtocol, istioServices, lacksIstioProtocol } from '../src/model/views/istio-services.js';
export { EAST_WEST_PORT, istioMeshIdentity } from '../src/model/views/istio-mesh.js';
export type { ClusterFact } from '../src/model/views/istio-mesh.js';
export { addressCount, globalnetPlan } from '../src/model/globalnet.js';
export type { GlobalnetPlan } from '../src/model/globalnet.js';
export { MAX_SERVICE_NAME, linkerdLabelled, linkerdMirrorProblems } from '../src/model/views/linkerd.js';
export type { LinkerdMirrorProblem } from '../src/model/views/linkerd.js';
export { istioLocalityProblems } from '../src/model/views/istio-locality.js';
export type { LocalityProblem } from '../src/model/views/istio-locality.js';
export { nativeRoutingGaps, nodesOutsidePodCIDRs, rangeOverlaps, rangeShapes, remoteSubnets } from '../src/model/views/networks.js';
export type { RangeOverlap, RangeRole } from '../src/model/views/networks.js';
export { listRanges } from '../src/model/views/networks.js';
export { istioSubsets, labelsText, weightlessDestinations } from '../src/model/views/istio-subsets.js';
export type { MissingSubset, SubsetEndpoint, SubsetSignature, UnknownTopology, UnselectedSubset } from '../src/model/views/istio-subsets.js';
export { gatewayWorkloadProblems } from '../src/model/views/istio-gateways.js';
export type { GatewayWorkloadProblem } from '../src/model/views/istio-gateways.js';
export { unresolvedReferences } from '../src/model/views/istio-references.js';
export type { UnresolvedReference } from '../src/model/views/istio-references.js';
export type { PortConflict } from '../src/model/mcs.js';
export {
  exportConflicts,
  exportDnsProblem,
  exportPairings,
  exportedServiceFinder,
  importMismatches,
  ipFamilyConflicts,
  legacyLighthouseImport,
  missingExport,
  serviceElsewhere,
} from '../src/model/views/mcs-exports.js';
export type { ExportConflictReason, ExportPairing, ImportMismatch } from '../src/model/views/mcs-exports.js';
export { CILIUM_NAME_MAX, KARMADA_NAME_MAX, ciliumIdentityProblems, clusterIDProblems, clusterSetSplits, identityDisagreements } from '../src/model/views/identity.js';
export type { CiliumIdentityProblem, IdentityClaim } from '../src/model/views/identity.js';
export { istioConflicts, selectorText } from '../src/model/views/istio-conflicts.js';
export type { GatewayConflict, ServiceEntryConflict } from '../src/model/views/istio-conflicts.js';
export { gatewayHostMismatches } from '../src/model/views/istio-gateway-hosts.js';
export { ISTIOD_PORTS, istioRemote } from '../src/model/views/istio-remote.js';
export type { ClusterPlane, LocalReason, RemoteControlPlaneProblem, RemoteSecretProblem, SecretRef } from '../src/model/views/istio-remote.js';
export { compileUserPattern } from '../src/base/regex.js';
export { LINKERD_DEFAULT_DOMAIN, gatewayIdentityParts, linkerdLinkProblems } from '../src/model/views/linkerd-links.js';
export type { LinkProblem, MirrorProblem, LinkerdTrustProblem } from '../src/model/views/linkerd-links.js';
export { certificateLabel } from '../src/base/x509.js';
export { ciliumCAProblems, istioRootProblems, spireFederationProblems } from '../src/model/views/trust.js';
export type { SpireFederationProblem, TrustRootProblem } from '../src/model/views/trust.js';
export { memberData, memberRelated, placementView, unknownMemberFinding } from '../src/model/views/placement.js';
export type { KarmadaPolicyProblem, OcmProblem, PlacementMembers, UnknownMember, UnmatchedSelector } from '../src/model/views/placement.js';
export { DEFAULT_REPLICA_LABELS, prometheusIdentityProblems } from '../src/model/views/observability.js';
export type { ClusterLabelMismatch, PrometheusDuplicate } from '../src/model/views/observability.js';
export { EXTERNAL_PLUGINS, LIGHTHOUSE_DNS_SERVICE, lighthouseDnsProblems } from '../src/model/views/dns.js';
export type { DnsProblem } from '../src/model/views/dns.js';
export { cidrSourceMismatches } from '../src/model/views/cidr-sources.js';
export type { CidrSourceMismatch } from '../src/model/views/cidr-sources.js';
export { submarinerCniProblems } from '../src/model/views/submariner-cni.js';
export type { SubmarinerCniProblem } from '../src/model/views/submariner-cni.js';
export { chartMinor, ciliumMeshProblems, ciliumPolicyClusterProblems, ciliumValuesProblems } from '../src/model/views/cilium.js';
export type { CiliumMeshProblem, CiliumPolicyClusterProblem, CiliumValuesProblem } from '../src/model/views/cilium.js';
export { connectivityPairs, evidenceText, joinedSubmariner, linkBetween, linkText, liqoPeerOf, VIA_TEXT, type Link, type LinkKind } from '../src/model/connectivity.js';

/**
 * The note rules give a cluster whose folder holds per-cluster alternatives (the model's
 * `perClusterAlternatives`: sibling kind or kubeadm configs, `values-<a>.yaml` files) instead of
 * comparing the values they disagree on. Data: `cluster`, `kind` (what the files are), `files`.
 */
export const PER_CLUSTER_ALTERNATIVES = {
  text: 'Cluster "{{cluster}}" is a folder of per-cluster alternatives ({{kind}} {{files}}), so the values they disagree on are not compared.',
  hint: 'Each of these files configures a cluster of its own (they are never applied together), while mclint takes one folder for one cluster. Name each cluster in mclint.config.yaml with its file as path (clusters: [{name, path}]) or lint each file separately, so that each is checked as a cluster of its own.',
} as const;
