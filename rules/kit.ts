/**
 * The rule kit: everything a rule may use, in one module (rules import nothing else). A rule
 * queries the model's facts and views through these and words its findings (`meta.messages`);
 * indexes, caches and speed techniques live in the model, never in a rule. See CONTRIBUTING.md,
 * "Adding a rule".
 */
export { defineRule } from '../src/engine/types.js';
export type { MessageData, MessageTemplate, RelatedPlace, Report, ReportWithout, Rule } from '../src/engine/types.js';
export { overlappingPairs, parseCidr } from '../src/base/cidr.js';
export type { Cidr } from '../src/base/cidr.js';
export { inCiliumMesh, linkBetween } from '../src/model/connectivity.js';
export { cidrText, displayPath, factOrigin, fieldPlace, namespacedName, objectLabel } from '../src/model/describe.js';
export type { BrokerFacts, CiliumFacts, ClusterModel, ClusterSetModel, DestinationRuleFacts, Fact, Locality, LocalityLbFacts, ServiceExportFacts, ServiceFacts, ServiceImportFacts, ServicePortFacts, Source, SubsetFacts, TrafficPolicyFacts, UnrenderedFact, UnrenderedField, WorkloadEntryFacts, WorkloadFacts } from '../src/model/types.js';
export type { Place } from '../src/base/types.js';
export { loadProblems, mcsImplementationOf, serviceKey } from '../src/model/index.js';
export { ciliumNamespaceGlobal, exportedFromSeveral, importType, mergePorts, multiClusterServices, portText, portsText, precedenceText, serviceLabel, serviceNamePlace } from '../src/model/mcs.js';
export type { AcceptedExport, ExportedPort, MultiClusterService } from '../src/model/mcs.js';
export { GLOBALNET_DEFAULTS, allocateGlobalCIDR, globalnetCIDRError, nextPowerOf2, validClusterSize } from '../src/model/globalnet.js';
export { DEFAULT_TRUST_DOMAIN, ISTIO_TOPOLOGY_LABELS, configNetworks, hostMatches, isVisible, istioClusterName, istioView, normalizeHost, selects, serviceOfHost, workloadsByNamespace } from '../src/model/istio.js';
export type { IstioView } from '../src/model/istio.js';
export { labelCarriers } from '../src/model/views/identity.js';
export type { LabelCarrier } from '../src/model/views/identity.js';
export { CILIUM_GLOBAL_SERVICE, CILIUM_SERVICE_AFFINITY, CILIUM_SHARED_SERVICE, ciliumGlobalServices, ciliumPortMismatches, ciliumServiceAnnotations, ciliumServices } from '../src/model/views/cilium.js';
export type { CiliumAnnotation, CiliumGlobalService, CiliumPortMismatch, CiliumServiceAnnotations } from '../src/model/views/cilium.js';
export { isIstioControlPlane, istioProtocol, istioServices, lacksIstioProtocol } from '../src/model/views/istio-services.js';
export type { ClusterServices, IstioServicesView, MeshService } from '../src/model/views/istio-services.js';
export { EAST_WEST_PORT, istioMeshIdentity } from '../src/model/views/istio-mesh.js';
export type { ClusterFact, ClusterNameDuplicate, ClusterNameMismatch, EastWestGap, IstioMeshIdentity, MeshIDSplit, SettingConflict, TrustDomainSplit } from '../src/model/views/istio-mesh.js';
export { addressCount, globalnetPlan } from '../src/model/globalnet.js';
export type { ClusterSizePlan, GlobalCIDRCollision, GlobalRange, GlobalnetPlan, PendingAllocation } from '../src/model/globalnet.js';
export { LINKERD_EXPORTED, LINKERD_EXPORTED_VALUES, LINKERD_FEDERATED, LINKERD_FEDERATED_VALUE, LINKERD_MIRRORED, MAX_SERVICE_NAME, existingService, linkerdLabelled, linkerdLinks, linkerdMirrorProblems } from '../src/model/views/linkerd.js';
export type { LinkerdLabelled, LinkerdLink, LinkerdMirrorProblem } from '../src/model/views/linkerd.js';
export { istioLocalityProblems, localitiesDefect, matchesLocality } from '../src/model/views/istio-locality.js';
export type { LocalityProblem, LocalityProblemKind } from '../src/model/views/istio-locality.js';
export { nativeRoutingGaps, nodesOutsidePodCIDRs, rangeOverlaps, rangeShapes, rangesByRole, remoteSubnets } from '../src/model/views/networks.js';
export type { NetworkRange, RangeOverlap, RangeRole } from '../src/model/views/networks.js';
export { destinationRuleNamePlace, istioSubsets, labelsText, weightlessDestinations } from '../src/model/views/istio-subsets.js';
export type { IstioSubsetsView, MissingSubset, SubsetAt, SubsetDisagreement, SubsetEndpoint, SubsetSignature, UnknownTopology, UnselectedSubset } from '../src/model/views/istio-subsets.js';
export type { PortConflict } from '../src/model/mcs.js';
export { exportConflicts, exportDnsProblem, exportPairings, exportedServiceFinder, importMismatches, ipFamilyConflicts, lighthouseDeniedBy, missingExport, serviceElsewhere, writtenNamePlace } from '../src/model/views/mcs-exports.js';
export type { DnsProblem, ExportConflict, ExportConflictReason, ExportPairing, ImportMismatch, IpFamilyConflict, MissingExport } from '../src/model/views/mcs-exports.js';
export { CILIUM_NAME_MAX, KARMADA_NAME_MAX, ciliumIdentityProblems, clusterIDProblems, clusterSetSplits, dns1123LabelErrors, identityClaims, identityDisagreements } from '../src/model/views/identity.js';
export type { CiliumIdentityProblem, IdentityClaim, IdentityFact } from '../src/model/views/identity.js';
