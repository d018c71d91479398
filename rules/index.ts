/**
 * The rule registry: every rule mclint runs, in the order it runs them. A rule exists only when
 * it is listed here (no discovery by file name, so a repository cannot inject rules).
 */
import type { Rule } from '../src/engine/types.js';
import cidrOverlap from './cidr-overlap.js';
import ciliumGlobalService from './cilium-global-service.js';
import linkerdMirror from './linkerd-mirror.js';
import clusterIdentity from './cluster-identity.js';
import globalnetAllocation from './globalnet-allocation.js';
import namingConvention from './naming-convention.js';
import istioLocality from './istio-locality.js';
import istioMeshIdentity from './istio-mesh-identity.js';
import istioPortName from './istio-port-name.js';
import istioServiceConsistency from './istio-service-consistency.js';
import istioSubsetConsistency from './istio-subset-consistency.js';
import parseError from './parse-error.js';
import renderError from './render-error.js';
import schema from './schema.js';
import serviceExportConflict from './serviceexport-conflict.js';
import serviceExportPairing from './service-export-pairing.js';
import serviceimportDangling from './serviceimport-dangling.js';
import serviceimportPortConflict from './serviceimport-port-conflict.js';
import unrenderedPlaceholder from './unrendered-placeholder.js';
import istioGatewayConflict from './istio-gateway-conflict.js';
import istioGatewayHost from './istio-gateway-host.js';
import istioServiceentryConflict from './istio-serviceentry-conflict.js';
import istioGatewayWorkload from './istio-gateway-workload.js';
import istioReferenceNotFound from './istio-reference-not-found.js';
import istioRemoteSecret from './istio-remote-secret.js';
import istioRemoteControlPlane from './istio-remote-control-plane.js';
import ciliumClustermeshCa from './cilium-clustermesh-ca.js';
import istioRootCa from './istio-root-ca.js';
import spireFederation from './spire-federation.js';
import linkerdLink from './linkerd-link.js';
import linkerdTrustAnchors from './linkerd-trust-anchors.js';
import ciliumValues from './cilium-values.js';
import ciliumClustermeshConfig from './cilium-clustermesh-config.js';
import ciliumPolicyCluster from './cilium-policy-cluster.js';
import karmadaPlacement from './karmada-placement.js';
import kubefedPlacement from './kubefed-placement.js';
import ocmPlacement from './ocm-placement.js';
import prometheusExternalLabels from './prometheus-external-labels.js';
import lighthouseDns from './lighthouse-dns.js';
import cidrSourceMismatch from './cidr-source-mismatch.js';
import submarinerCni from './submariner-cni.js';
import globalnetConsistency from './globalnet-consistency.js';
import liqoForeignCluster from './liqo-foreign-cluster.js';

/** Every rule, in the order the engine runs them (ids are public API: never rename one). */
export const RULES: readonly Rule[] = [
  parseError,
  renderError,
  schema,
  cidrOverlap,
  globalnetAllocation,
  clusterIdentity,
  unrenderedPlaceholder,
  namingConvention,
  serviceExportPairing,
  serviceimportPortConflict,
  serviceExportConflict,
  serviceimportDangling,
  ciliumGlobalService,
  linkerdMirror,
  istioSubsetConsistency,
  istioLocality,
  istioMeshIdentity,
  istioServiceConsistency,
  istioPortName,
  istioGatewayConflict,
  istioGatewayHost,
  istioServiceentryConflict,
  istioGatewayWorkload,
  istioReferenceNotFound,
  istioRemoteSecret,
  istioRemoteControlPlane,
  ciliumClustermeshCa,
  istioRootCa,
  spireFederation,
  linkerdLink,
  linkerdTrustAnchors,
  ciliumValues,
  ciliumClustermeshConfig,
  ciliumPolicyCluster,
  karmadaPlacement,
  kubefedPlacement,
  ocmPlacement,
  prometheusExternalLabels,
  lighthouseDns,
  cidrSourceMismatch,
  submarinerCni,
  globalnetConsistency,
  liqoForeignCluster,
] as Rule[];
