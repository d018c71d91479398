/**
 * The registry of fact sources, in the order they run. Add a source here to teach the model a
 * new kind of manifest; rules keep reading the same facts.
 */
import { argoApplicationCarrier } from './argocd.js';
import { calicoSource } from './calico.js';
import { helmReleaseCarrier } from './helm-release.js';
import { helmfileCarrier } from './helmfile.js';
import { chartReleaseSource, ciliumConfigMapSource, ciliumMeshSecretSource, ciliumValuesSource } from './cilium.js';
import { ciliumPolicySource } from './cilium-policy.js';
import { identitySource } from './identity.js';
import { kindSource } from './kind.js';
import { kubeadmSource } from './kubeadm.js';
import { kubeProxySource } from './kube-proxy.js';
import { linkerdSource, linkerdValuesSource } from './linkerd.js';
import { liqoSource } from './liqo.js';
import { istioSource, istioValuesSource } from './istio.js';
import { istioMulticlusterSource, istioMulticlusterValuesSource } from './istio-multicluster.js';
import { mcsSource } from './mcs.js';
import { prometheusSource, prometheusValuesSource } from './prometheus.js';
import { corednsSource } from './coredns.js';
import { servicesSource } from './services.js';
import { submarinerSource, submarinerValuesSource } from './submariner.js';
import { trustSource, trustValuesSource } from './trust.js';
import { nodeSource } from './topology.js';
import { placementSource } from './placement.js';
import type { FactSource, ValuesCarrier, ValuesSource } from './types.js';
import { workloadsSource } from './workloads.js';

/** Every fact source; the model builder dispatches objects to them by group and kind. */
export const FACT_SOURCES: readonly FactSource[] = [
  submarinerSource,
  servicesSource,
  nodeSource,
  kubeadmSource,
  kindSource,
  calicoSource,
  kubeProxySource,
  ciliumConfigMapSource,
  ciliumMeshSecretSource,
  chartReleaseSource,
  ciliumPolicySource,
  identitySource,
  istioSource,
  istioMulticlusterSource,
  workloadsSource,
  mcsSource,
  linkerdSource,
  trustSource,
  placementSource,
  prometheusSource,
  corednsSource,
  liqoSource,
];

/** Every values source; the model builder gives each Helm values document to all of them. */
export const VALUES_SOURCES: readonly ValuesSource[] = [
  ciliumValuesSource,
  istioValuesSource,
  trustValuesSource,
  istioMulticlusterValuesSource,
  linkerdValuesSource,
  prometheusValuesSource,
  submarinerValuesSource,
];

/**
 * Every values carrier: objects and documents that pass values to a chart from other places
 * (Flux HelmRelease, Argo CD Application, helmfile), held while loading and resolved when the
 * model is finished; the values sources read the merged values they yield.
 */
export const VALUES_CARRIERS: readonly ValuesCarrier[] = [helmReleaseCarrier, argoApplicationCarrier, helmfileCarrier];

export { applyConfigFacts } from './config.js';
export type {
  CarrierContext,
  ClusterDraft,
  ExtractContext,
  FactSource,
  HeldCarrier,
  HeldObject,
  HelmReleaseName,
  ValuesCarrier,
  ValuesContext,
  ValuesSource,
  ValuesUnit,
} from './types.js';
