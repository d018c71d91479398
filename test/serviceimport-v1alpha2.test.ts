/**
 * mcs-api v1alpha2 ServiceImports keep `ports`, `ips`, `type`, `sessionAffinity`,
 * `sessionAffinityConfig` and `clusters` at the root of the object, with no `spec`
 * (kubernetes-sigs/mcs-api pkg/apis/v1alpha2/serviceimport.go); v1alpha1 and v1beta1 keep them in
 * `spec`. The schema validator checks each layout by apiVersion
 * (schemas/multicluster.x-k8s.io_v1alpha2_ServiceImport.schema.json), and the `schema` rule
 * reports a v1beta1-style `spec` in a v1alpha2 object, which the API server would not keep.
 */
import { describe, expect, it } from 'vitest';
import schemaRule from '../rules/schema.js';
import danglingRule from '../rules/serviceimport-dangling.js';
import { validateObject } from '../src/schema/index.js';
import { exported } from './helpers/mcs.js';
import { lintScenario, yaml } from './helpers/scenario.js';

const V1ALPHA2 = 'multicluster.x-k8s.io/v1alpha2';

describe('v1alpha2 ServiceImport schema', () => {
  it('accepts the root-level fields of the upstream type, with core ServicePorts', () => {
    const body = {
      apiVersion: V1ALPHA2,
      kind: 'ServiceImport',
      metadata: { name: 'checkout', namespace: 'shop' },
      type: 'ClusterSetIP',
      ips: ['10.42.0.10'],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP', appProtocol: 'http', targetPort: 'http' }],
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
      clusters: [{ cluster: 'east' }],
    };
    expect(validateObject(V1ALPHA2, 'ServiceImport', body)).toEqual([]);
  });

  it('checks the root-level fields as v1beta1 checks spec: type enum, port range, at most two IPs', () => {
    const body = {
      apiVersion: V1ALPHA2,
      kind: 'ServiceImport',
      metadata: { name: 'checkout', namespace: 'shop' },
      type: 'ClusterIP',
      ips: ['10.0.0.1', '10.0.0.2', '10.0.0.3'],
      ports: [{ name: 'http', port: 70000 }],
    };
    expect(validateObject(V1ALPHA2, 'ServiceImport', body).map((e) => e.path)).toEqual([['type'], ['ips'], ['ports', 0, 'port']]);
  });

  it('v1beta1 keeps its spec layout', () => {
    const body = { apiVersion: 'multicluster.x-k8s.io/v1beta1', kind: 'ServiceImport', metadata: { name: 'checkout' }, spec: { type: 'ClusterSetIP', ports: [{ port: 80 }] } };
    expect(validateObject('multicluster.x-k8s.io/v1beta1', 'ServiceImport', body)).toEqual([]);
  });
});

describe('v1alpha2 ServiceImport with a v1beta1-style spec', () => {
  const files = {
    'central/import.yaml': yaml`
      apiVersion: multicluster.x-k8s.io/v1alpha2
      kind: ServiceImport
      metadata:
        name: web
        namespace: shop
      spec:
        type: ClusterSetIP
        ports: [{name: http, port: 8081}]
    `,
    'east/web.yaml': exported({ name: 'web', namespace: 'shop', ports: ['name: http, port: 80'] }),
  };

  it('is an unknown field for the schema rule, at the spec key', async () => {
    const { findings } = await lintScenario(files, { rules: [schemaRule] });
    expect(findings.map((f) => [f.file.endsWith('central/import.yaml'), f.line, f.column])).toEqual([[true, 6, 1]]);
    expect(findings[0].message).toContain('unknown field "spec"');
  });

  it("is not read as the import's ports: serviceimport-dangling compares the root-level fields of v1alpha2 only", async () => {
    const { findings } = await lintScenario(files, { rules: [danglingRule] });
    expect(findings).toEqual([]);
  });
});
