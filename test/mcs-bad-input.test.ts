/**
 * Malformed Multi-Cluster Services input: wrong types where objects, lists or strings are
 * expected never crash a rule; the `schema` rule reports what it can.
 */
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { lintScenario, yaml } from './helpers/scenario.js';

const garbage = yaml`
  apiVersion: multicluster.x-k8s.io/v1beta1
  kind: ServiceImport
  metadata: {name: web, namespace: shop}
  spec: {type: 7, ports: [null, 3, {port: "80"}, {name: [x]}]}
  ---
  apiVersion: gateway.networking.k8s.io/v1
  kind: HTTPRoute
  metadata: {name: r, namespace: shop}
  spec: {rules: [null, {backendRefs: "web"}, {backendRefs: [null, {kind: ServiceImport}, {kind: ServiceImport, name: 5}], filters: [{requestMirror: 3}]}, {forwardTo: [{backendRef: []}]}]}
  ---
  apiVersion: networking.x-k8s.io/v1alpha1
  kind: HTTPRoute
  metadata: {name: old}
  spec: {rules: {forwardTo: 1}}
  ---
  apiVersion: multicluster.linkerd.io/v1alpha3
  kind: Link
  metadata: {name: l}
  spec: {targetClusterName: [west]}
  ---
  apiVersion: networking.fleet.azure.com/v1alpha1
  kind: MultiClusterService
  metadata: {name: m, namespace: shop}
  spec: {serviceImport: web}
  ---
  apiVersion: apps/v1
  kind: StatefulSet
  metadata: {name: db, namespace: shop}
  spec: {serviceName: {}, replicas: "3"}
  ---
  apiVersion: v1
  kind: Service
  metadata:
    name: web
    namespace: shop
    labels: {mirror.linkerd.io/exported: true}
    annotations: {service.cilium.io/global: true, service.cilium.io/affinity: [local]}
  spec: {clusterIP: None, sessionAffinity: 3, ipFamilies: IPv4, ports: "80", sessionAffinityConfig: {clientIP: {timeoutSeconds: "x"}}}
  ---
  apiVersion: multicluster.x-k8s.io/v1alpha1
  kind: ServiceExport
  metadata: {name: web, namespace: shop, creationTimestamp: yesterday}
  spec: {exportedLabels: [a], exportedAnnotations: {a: 1}}
`;

describe('Multi-Cluster Services rules on malformed input', () => {
  it('report schema problems and never throw', async () => {
    const { internalErrors, findings } = await lintScenario(
      {
        'east/bad.yaml': garbage,
        'west/bad.yaml': garbage,
        'west/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, annotations: {clustermesh.cilium.io/global: 1}}\n',
      },
      { rules: RULES },
    );
    expect(internalErrors).toEqual([]);
    expect(findings.some((f) => f.ruleId === 'schema')).toBe(true);
  });
});
