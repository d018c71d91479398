import rule from '../../rules/istio-port-name.js';
import { istioProtocol } from '../../src/model/views/istio-services.js';
import { describe, expect, it } from 'vitest';
import { ruleTester } from '../helpers/rule-tester.js';
import { docs, serviceExport } from '../helpers/manifests.js';
import { lintScenario, yaml } from '../helpers/scenario.js';
import { destinationRule, meshService } from '../helpers/istio.js';
import type { ServicePortFacts } from '../../src/model/types.js';

const injected = yaml`
  apiVersion: v1
  kind: Namespace
  metadata:
    name: shop
    labels: {istio.io/rev: default}
`;
// meshService layout: line 8 `ports:` flow list (line 14 after the Namespace document and `---`).
const svc = (name: string, ports: string) => docs(injected, meshService(name, 'shop', { app: name }, ports));

describe('istioProtocol (Istio ConvertProtocol)', () => {
  const port = (p: Partial<ServicePortFacts>) => ({ index: 0, protocol: 'TCP', protocolIsDefault: true, ...p }) as ServicePortFacts;
  it.each([
    [{ name: 'http-web' }, 'http'],
    [{ name: 'GRPC-Web-x' }, 'grpc-web'],
    [{ name: 'web' }, undefined],
    [{ name: 'web', appProtocol: 'HTTP2' }, 'http2'],
    [{ name: 'x', appProtocol: 'kubernetes.io/h2c' }, 'http2'],
    [{ name: 'db', port: 3306 }, 'tcp'],
    [{ name: 'dns', protocol: 'UDP' }, 'udp'],
    [{ port: 80 }, undefined],
  ])('%o → %s', (p, want) => expect(istioProtocol(port(p as Partial<ServicePortFacts>))).toBe(want));
});

ruleTester(rule, {
  valid: [
    {
      name: 'named ports and appProtocol in clusters of a mesh',
      files: {
        'a/app.yaml': svc('web', '[{name: http-web, port: 80}, {name: metrics, port: 9090, appProtocol: http}]'),
        'b/app.yaml': svc('web', '[{name: http-web, port: 80}, {name: metrics, port: 9090, appProtocol: http}]'),
      },
    },
    {
      name: 'a Service in one cluster only, neither exported nor routed',
      files: { 'a/app.yaml': svc('web', '[{name: web, port: 80}]'), 'b/app.yaml': svc('api', '[{name: http, port: 80}]') },
    },
    {
      name: 'control-plane Services are skipped',
      files: {
        'a/istiod.yaml': docs(
          injected,
          'apiVersion: v1\nkind: Service\nmetadata:\n  name: istiod\n  namespace: shop\n  labels: {istio: pilot}\nspec:\n  ports: [{name: grpc-xds, port: 15010}, {name: webhook, port: 443}]\n',
        ),
        'b/istiod.yaml': docs(
          injected,
          'apiVersion: v1\nkind: Service\nmetadata:\n  name: istiod\n  namespace: shop\n  labels: {release: istio}\nspec:\n  ports: [{name: webhook, port: 443}]\n',
        ),
      },
    },
  ],
  invalid: [
    {
      name: 'a Service in two clusters with an unnamed and a badly named port (IST0118)',
      files: { 'a/app.yaml': svc('web', '[{port: 80}, {name: web, port: 8080, targetPort: 8080}]'), 'b/app.yaml': svc('web', '[{name: http, port: 80}]') },
      findings: [
        {
          file: 'a/app.yaml',
          line: 14,
          column: 11,
          severity: 1,
          cluster: 'a',
          messageId: 'inMesh',
          data: { service: 'shop/web', port: '(unnamed)', portName: '""', number: 80, targetPort: '0', clusters: 2 },
          related: [{ file: 'b/app.yaml', line: 10, column: 9, cluster: 'b' }],
        },
        {
          file: 'a/app.yaml',
          line: 14,
          column: 30,
          messageId: 'inMesh',
          data: { service: 'shop/web', port: 'web', portName: 'web', number: 8080, targetPort: '8080', clusters: 2 },
        },
      ],
    },
    {
      name: 'exported and routed Services are in scope',
      files: {
        'a/app.yaml': svc('ledger', '[{name: ledger, port: 80}]'),
        'a/export.yaml': serviceExport('ledger', 'shop'),
        'a/cart.yaml': svc('cart', '[{name: cart, port: 80}]'),
        'a/dr.yaml': destinationRule('cart', 'shop', 'cart', { v1: { version: 'v1' } }),
      },
      findings: [
        { file: 'a/app.yaml', line: 14, column: 18, cluster: 'a', messageId: 'exported', data: { service: 'shop/ledger', port: 'ledger', number: 80, clusters: 1 }, related: [] },
        { file: 'a/cart.yaml', line: 14, column: 18, cluster: 'a', messageId: 'routed', data: { service: 'shop/cart', port: 'cart', number: 80, clusters: 1 }, related: [] },
      ],
    },
    {
      name: 'an ExternalName Service with a tcp port (IST0150)',
      files: {
        'a/ext.yaml': docs(
          injected,
          'apiVersion: v1\nkind: Service\nmetadata:\n  name: legacy\n  namespace: shop\nspec:\n  type: ExternalName\n  externalName: db.example.com\n  ports: [{name: tcp, port: 5432}]\n',
        ),
        'b/ext.yaml': docs(
          injected,
          'apiVersion: v1\nkind: Service\nmetadata:\n  name: legacy\n  namespace: shop\nspec:\n  type: ExternalName\n  externalName: db.example.com\n  ports: [{name: tcp, port: 5432}]\n',
        ),
      },
      findings: [
        {
          file: 'a/ext.yaml',
          line: 15,
          column: 18,
          cluster: 'a',
          messageId: 'externalName',
          data: { service: 'shop/legacy', port: 'tcp', problem: 'is named "tcp"' },
          related: [{ file: 'b/ext.yaml', line: 10, column: 9, cluster: 'b' }],
        },
        {
          file: 'b/ext.yaml',
          line: 15,
          column: 18,
          cluster: 'b',
          messageId: 'externalName',
          data: { service: 'shop/legacy', port: 'tcp' },
          related: [{ file: 'a/ext.yaml', line: 10, column: 9, cluster: 'a' }],
        },
      ],
    },
    {
      name: 'an ExternalName Service port without a protocol (IST0150), unnamed',
      files: {
        'a/ext.yaml': docs(
          injected,
          'apiVersion: v1\nkind: Service\nmetadata:\n  name: legacy\n  namespace: shop\nspec:\n  type: ExternalName\n  externalName: db.example.com\n  ports: [{port: 5432}]\n',
        ),
        'a/export.yaml': serviceExport('legacy', 'shop'),
      },
      findings: [
        {
          file: 'a/ext.yaml',
          line: 15,
          column: 11,
          messageId: 'externalName',
          data: { service: 'shop/legacy', port: '(unnamed)', problem: 'declares no protocol by name or appProtocol' },
        },
      ],
    },
  ],
});

describe('istio-port-name wording', () => {
  it("names the port, the Service and why it crosses clusters in one sentence; the hint keeps Istio's IST0118 wording", async () => {
    const { relFindings } = await lintScenario(
      { 'a/app.yaml': svc('web', '[{name: web, port: 8080, targetPort: 8080}]'), 'b/app.yaml': svc('web', '[{name: http, port: 80}]') },
      { rules: [rule] },
    );
    expect(relFindings.map((f) => f.message)).toEqual(['Port web of Service "shop/web", in 2 clusters of the mesh, declares no protocol by name or appProtocol.']);
    expect(relFindings[0].hint).toContain('Istio IST0118: "Port name web (port: 8080, targetPort: 8080) doesn\'t follow the naming convention of Istio port."');
  });
});
